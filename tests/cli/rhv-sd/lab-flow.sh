# needs: lab
# The whole storage flow on the lab's shared directory: domains created and
# attached (the first data domain becomes master and an SPM is elected on
# its lease), disks of every valid format and allocation (the invalid one
# refused), each checked against qemu-img info, a VM booted with two disks
# and an ISO, a disk moved and copied between domains, then the store's
# rows of a domain removed and the domain imported back with its disks.
lab_spm_timing
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
for h in 1 2 3; do u=LAB_H${h}_URI; rhv-host add h$h --cluster lab --uri "${!u}" --emulated -q; done
rhv-sd spm-set-priority h1 --priority 8 -q
rhv-sd spm-set-priority h3 --priority -1 -q
S="$LAB_DIR/shared/flow"
for d in data1 data2 iso1; do install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/$d"; done
run rhv-sd create data1 --kind nfs --path "$S/data1" --dc Default
run rhv-sd create data2 --kind posixfs --path "$S/data2" --dc Default
run rhv-sd activate data2
run rhv-sd create isos --kind nfs --role iso --path "$S/iso1" --dc Default
run rhv-sd activate isos
run rhv-sd list -c name,role,kind,status,dc,master,disks
run rhv-sd spm-status Default -c dc,spm,master,lease_holder,state
# every valid format/allocation, and the invalid one
run rhv-disk create thin --domain data1 --size 1G --format qcow2 --allocation sparse
run rhv-disk create full --domain data1 --size 64M --format raw --allocation preallocated
run rhv-disk create flat --domain data1 --size 2G --format raw --allocation sparse
run rhv-disk create nope --domain data1 --size 1G --format qcow2 --allocation preallocated
run rhv-disk list -c name,domain,size,format,allocation,status
# qemu-img agrees with show for every volume
for d in thin full flat; do
	rhv-disk show "$d" -o json -c all | python3 -c '
import json, subprocess, sys
d = json.load(sys.stdin)["disk"]
q = json.loads(subprocess.run(["qemu-img", "info", "-U", "--output=json", d["path"]], capture_output=True, text=True, check=True).stdout)
ok = q["format"] == d["format"] and q["virtual-size"] == d["size"] and q["actual-size"] == d["actual"]
pre = d["allocation"] != "preallocated" or q["actual-size"] >= d["size"]
print(d["name"], "qemu-img info matches show" if ok and pre else "MISMATCH %s %s" % (q, d))'
done
stat -c '%U %a' "$S"/data1/images/*/* | sort -u
# a VM with two disks and an ISO really starts
rhv-vm create vm1 --cluster lab --memory 64M --vcpus 1 -q
run rhv-disk attach thin --vm vm1
run rhv-disk attach full --vm vm1 --interface ide
truncate -s 4M "$CASE_TMP/boot.iso"
run rhv-sd iso-upload "$CASE_TMP/boot.iso" --domain isos
run rhv-sd iso-list -c name,domain,size
run rhv-vm edit vm1 --cdrom boot.iso
run rhv-vm show vm1 -c name,disks,cdrom
# at most 4 IDE devices, the CD-ROM included (reference 9.7)
for i in 1 2 3; do rhv-disk create "ide$i" --domain data1 --size 1M -q; done
run rhv-disk attach ide1 --vm vm1 --interface ide
run rhv-disk attach ide2 --vm vm1 --interface ide
run rhv-disk attach ide3 --vm vm1 --interface ide
run rhv-disk attach ide3 --vm vm1
for i in 1 2 3; do rhv-disk detach "ide$i" -q; rhv-disk remove "ide$i" -q; done
run rhv-vm start vm1 --host h2
run sh -c "virsh -c \"\$LAB_H2_URI\" domblklist vm1 | awk 'NR > 2 && NF { print \$1, \$2 }' | sed \"s|$S/||\" | sed -E 's/[0-9a-f-]{36}/UUID/g'"
run rhv-disk move thin --domain data2
run rhv-vm stop vm1
run rhv-disk move thin --domain data2
run rhv-disk copy full full-copy --domain data2
run rhv-disk resize flat --size 3G
run rhv-disk list -c name,domain,size,format,allocation,status,vm,target
run rhv-vm start vm1 --host h2
# the monitor reads the running guest's disks through libvirt
rhv-host monitor -q >/dev/null 2>&1
rhv-disk list -o json -c name,vm,highwater | python3 -c '
import json, sys
for d in json.load(sys.stdin)["disks"]:
    if d["vm"]:
        print(d["name"], "high-water mark read" if isinstance(d["highwater"], int) else "no high-water mark")'
run rhv-vm stop vm1 -q
# data2 leaves the store (its disks with it) and comes back by import
run rhv-disk detach thin
run rhv-sd maintenance data2
run rhv-sd detach data2
run rhv-sd remove data2
run rhv-disk list -c name,domain
run rhv-sd import "$S/data2" --dc Default
run rhv-sd activate data2
run rhv-disk list -c name,domain,size,format,allocation,status
run rhv-sd scrub data1
run rhv-sd scrub data2
# the SPM host goes to maintenance: it gives the role up and another host takes it at once
run rhv-host maintenance h1
run rhv-sd spm-elect Default
run rhv-sd spm-status Default -c spm,lease_holder,state
# the store loses everything; both data domains come back from their own metadata
sql "SET client_min_messages = warning; TRUNCATE data_centers, clusters, hosts, vms, storage_domains, disks, events CASCADE"
run rhv-disk list
run rhv-sd import "$S/data1"
run rhv-sd import "$S/data2"
run rhv-disk list -c name,domain,size,format,allocation,status
rm -rf "$S"
