# needs: lab
# RHV 4.1 changes devices of running VMs: a virtio disk attached to a
# running VM is plugged into the guest (and keeps its PCI address at the
# next start); the CD of a running VM with a drive is changed or ejected in
# the guest. What the guest cannot take is refused and changes nothing.
rhv-db set SpmIoTimeoutMillis 1000 -q
rhv-db set SpmWatchdogMillis 1000 -q
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
S="$LAB_DIR/shared/hotplug"
for d in data iso; do install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/$d"; done
rhv-sd create data --kind nfs --path "$S/data" --dc Default -q
rhv-sd create isos --kind nfs --role iso --path "$S/iso" --dc Default -q
rhv-sd activate isos -q
head -c 4096 /dev/zero >"$CASE_TMP/one.iso"
head -c 8192 /dev/zero >"$CASE_TMP/two.iso"
rhv-sd iso-upload "$CASE_TMP/one.iso" --domain isos -q
rhv-sd iso-upload "$CASE_TMP/two.iso" --domain isos -q
for v in a b; do rhv-vm create $v --cluster lab --memory 64M --vcpus 1 -q; done
rhv-disk create a-os --domain data --size 64M -q
rhv-disk create a-data --domain data --size 32M -q
rhv-disk create a-ide --domain data --size 32M -q
rhv-disk attach a-os --vm a -q
rhv-vm edit a --cdrom one.iso -q
rhv-vm start a -q
rhv-vm start b -q
# what the running guest has, as its host's libvirt sees it
devices() { virsh -c "$LAB_H1_URI" domblklist "$1" | awk 'NR > 2 && $1 != "" { print $1, $2 }' | sed "s#$S#<sd>#; s#/images/[^ ]*#/images/<volume>#"; }
run devices a
run rhv-disk attach a-data --vm a
run devices a
run rhv-disk list -c name,vm,target,interface
run rhv-disk attach a-ide --vm a --interface ide
# a guest that cannot open the disk refuses it: the attach is undone
rhv-disk create a-gone --domain data --size 32M -q
rm "$(rhv-disk show a-gone -o tsv -H -c path)"
uid() { sed -E 's/\(as uid:[0-9]+, gid:[0-9]+\)/(as the lab user)/'; }
run bash -c 'rhv-disk attach a-gone --vm a 2>&1 | sed -E "s/\(as uid:[0-9]+, gid:[0-9]+\)/(as the lab user)/"; exit ${PIPESTATUS[0]}'
run rhv-disk list -c name,vm,target
run rhv-vm edit a --cdrom two.iso
run devices a
run rhv-vm show a -c name,state,cdrom
run rhv-vm edit a --eject
run devices a
run rhv-vm edit a --cdrom one.iso
run devices a
# b started without a drive: IDE has no hot-plug
run rhv-vm edit b --cdrom one.iso
run rhv-vm show b -c name,cdrom
# the plugged disk keeps its PCI address at the next start
addr() { virsh -c "$LAB_H1_URI" dumpxml a | python3 -c 'import sys, xml.etree.ElementTree as E
for d in E.parse(sys.stdin).findall("devices/disk"):
    t, a = d.find("target").get("dev"), d.find("address")
    print(t, "pci" if a is not None and a.get("type") == "pci" else "-", a.get("slot") if a is not None else "")'; }
addr >"$CASE_TMP/before"
run sh -c 'cut -d" " -f1,2 "$CASE_TMP/before"'
rhv-vm stop a -q
rhv-vm start a -q
addr >"$CASE_TMP/after"
run sh -c 'diff "$CASE_TMP/before" "$CASE_TMP/after" && echo "same addresses after a restart"'
rhv-event list --object vm:a -c severity,action,message | grep -e attach -e CD -e SEVERITY -e after | uid
for v in a b; do rhv-vm stop $v -q; done
