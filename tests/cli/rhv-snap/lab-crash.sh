# needs: lab
# kill -9 at random points of over 100 snapshot operations — create live
# and offline, preview, commit, undo, delete live and offline — on a VM
# whose two disks hold known data (qemu-io patterns written while it is
# down), each followed by the documented recovery, `rhv-snap resume`.
# After every one: nothing Locked; every chain valid (qemu-img check, each
# volume's backing file its parent in the metadata); no file the metadata
# does not describe, no volume of the metadata outside the disk's chains;
# and every surviving snapshot and the active layer read exactly what was
# written.  How far each operation got before the kill varies with the
# machine; what must hold does not.
lab_spm_timing
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
S="$LAB_DIR/shared/snapcrash"
install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/data"
rhv-sd create data --kind nfs --path "$S/data" --dc Default -q
rhv-vm create v --cluster lab --memory 64M --vcpus 1 -q
rhv-disk create v-os --domain data --size 4M --format raw -q
rhv-disk create v-data --domain data --size 4M -q
rhv-disk attach v-os --vm v -q
rhv-disk attach v-data --vm v -q
python3 "${TESTS_LAB%/lab/lab}/cli/rhv-snap/crash-driver.py" "$S/data" "${SNAP_CRASH_OPS:-104}"
run rhv-snap jobs
run rhv-sd scrub data
