# needs: lab
# Thin provisioning for real: a 1 GiB thin disk on a small (loop-mounted,
# 96 MiB) file domain, in a VM whose boot sector writes 60 MiB to it.  The
# domain runs out of space, QEMU pauses the guest (error_policy=stop), the
# monitor reports it; once space is freed the monitor resumes it and the
# guest finishes its writes.
lab_spm_timing
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
M="$LAB_DIR/shared/small"
mkdir -p "$M"
truncate -s 96M "$CASE_TMP/fs.img"
mkfs.ext4 -q -m 0 "$CASE_TMP/fs.img"
mount -o loop "$CASE_TMP/fs.img" "$M"
trap 'umount -l "$M" 2>/dev/null; rmdir "$M" 2>/dev/null' EXIT
chown "$(stat -c %u "$LAB_DIR/shared")":"$(stat -c %g "$LAB_DIR/shared")" "$M"
chmod 0770 "$M"
rhv-sd create small --kind posixfs --path "$M" --dc Default --critical-gib 0 -q
run rhv-disk create filler --domain small --size 40M --format raw --allocation preallocated
run rhv-disk create thin --domain small --size 1G
run rhv-sd show small -c name,size,committed,overcommit
# the boot sector: 968 writes of 127 sectors = 60 MiB
python3 "$(dirname "$TESTS_LAB")/fill-disk-mbr.py" 968 >"$CASE_TMP/mbr.bin"
path=$(rhv-disk show thin -o tsv -H -c path)
qemu-io -f qcow2 -c "write -s $CASE_TMP/mbr.bin 0 512" "$path" >/dev/null
rhv-vm create vm1 --cluster lab --memory 64M --vcpus 1 -q
rhv-disk attach thin --vm vm1 -q
rhv-vm start vm1 -q
# (each wait also ends when the guest is gone: the transcript then says so)
state() { virsh -c "$LAB_H1_URI" domstate vm1 --reason 2>/dev/null; }
gone() { [ -z "$(state)" ]; }
paused_on_enospc() { gone || state | grep -q 'paused (I/O error)'; }
not_paused() { ! state | grep -q paused; }
# 60 MiB written: 968 x 127 sectors
wrote_all() {
	wr=$(virsh -c "$LAB_H1_URI" domstats vm1 --block 2>/dev/null | awk -F= '/block.0.wr.bytes/ { print $2 }')
	[ "${wr:-0}" -ge $((60 << 20)) ]
}
wrote_all_or_gone() { wrote_all || gone; }
# QEMU pauses the guest on ENOSPC
wait_for 300 paused_on_enospc
virsh -c "$LAB_H1_URI" domstate vm1 --reason
rhv-host monitor -q >/dev/null 2>&1
run rhv-vm show vm1 -c name,state
run rhv-event list --object vm:vm1 --severity ERROR -c severity,message --limit 1
run rhv-disk remove filler
rhv-host monitor -q >/dev/null 2>&1
run rhv-event list --object vm:vm1 -c severity,message --limit 1
wait_for 300 not_paused
virsh -c "$LAB_H1_URI" domstate vm1 --reason
run rhv-vm show vm1 -c name,state
# the guest goes on until it wrote its 60 MiB
wait_for 300 wrote_all_or_gone
if wrote_all; then echo "the guest finished its writes"; else echo "the guest wrote only $wr bytes"; fi
rhv-vm stop vm1 -q
qemu-img info -U --output=json "$path" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("the guest wrote", d["actual-size"] >= 60 << 20 and "all of its 60 MiB" or "only %d bytes" % d["actual-size"])'
