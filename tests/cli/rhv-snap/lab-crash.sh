# needs: lab
# kill -9 at random points of over 100 snapshot operations — create live
# (with and without the guest's memory) and offline, preview, commit, undo,
# delete live and offline — on a VM whose two disks hold known data
# (qemu-io patterns written while it is down), each followed by the
# documented recovery, `rhv-snap resume`.
# After every one: nothing Locked; every chain valid (qemu-img check, each
# volume's backing file its parent in the metadata); no file the metadata
# does not describe, no volume of the metadata outside the disk's chains,
# every memory image named by a snapshot and there with its file alone;
# and every surviving snapshot and the active layer read exactly what was
# written.  How far each operation got before the kill varies with the
# machine; what must hold does not.
. "$(dirname "$TESTS_LAB")/../snaplab-lib.sh"
snaplab snapcrash 4M
python3 "${TESTS_LAB%/lab/lab}/cli/rhv-snap/crash-driver.py" "$S/data" "${SNAP_CRASH_OPS:-104}"
run rhv-snap jobs
run rhv-sd scrub data
