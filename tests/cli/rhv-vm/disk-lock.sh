# needs: lab
# Never two QEMUs on one disk. A VM's disk runs on h1; h2, asked through
# its own libvirt (rhv would refuse to start the VM twice), cannot use it:
# a cold start stops at QEMU's own image lock (all lab hosts share one
# kernel, which sees QEMU's OFD locks), and a start from a saved state or
# a hot-plug, where QEMU takes no lock before libvirt asks for the lease,
# stops at the lock manager: h1's virtlockd holds the disk's lease, a file
# on the shared storage, and h2's virtlockd cannot take it. The lease
# goes with the guest: released when it stops, moved when it migrates.
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
rhv-host add h2 --cluster lab --uri "$LAB_H2_URI" --emulated -q
S="$LAB_DIR/shared/disklock"
for d in data saved; do install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/$d"; done
rhv-sd create data --kind nfs --path "$S/data" --dc Default -q
rhv-vm create a --cluster lab --memory 64M --vcpus 1 -q
rhv-disk create a-os --domain data --size 32M -q
rhv-disk attach a-os --vm a -q
DISK=$(rhv-disk show a-os -o tsv -H -c path)
TYPE=$(awk -F'\t' 'NR == 2 { print $7 }' <("$TESTS_LAB" status --dir "$LAB_DIR"))

# vsh HOST ARG...: virsh against a lab host; clean: its errors without
# what varies (QEMU's time stamps, the lease's name, which hashes the
# path, and libvirt's two words for a QEMU that exits at start, which
# depend on when it notices)
vsh() {
	local u=LAB_${1^^}_URI
	shift
	virsh -q -c "${!u}" "$@"
}
clean() {
	sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z //' \
		-e "s#$S#<sd>#g" -e 's#/images/[^ /]*/[^] /]*#/images/<volume>#g' \
		-e "s/Lockspace resource '[0-9a-f]{64}'/Lockspace resource '<lease>'/" \
		-e 's/-blockdev \{.*\}: //' \
		-e 's/internal error: (process exited while connecting to monitor|qemu unexpectedly closed the monitor): /internal error: QEMU exited: /'
}
# holder: the lab host whose virtlockd holds the disk's lease, from the
# kernel's table of fcntl locks; "none" when nobody does.
holder() {
	local f ino pid h
	f=$LAB_DIR/shared/leases/$(printf '%s' "$DISK" | sha256sum | cut -d' ' -f1)
	ino=$(stat -c %i "$f" 2>/dev/null) || { echo none; return; }
	pid=$(awk -v i=":$ino" '$2 == "POSIX" && substr($6, length($6) - length(i) + 1) == i { print $5 }' /proc/locks)
	for h in h1 h2 h3; do
		if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--config $LAB_DIR/$h/virtlockd.conf"; then
			echo "$h"
			return
		fi
	done
	echo "none"
}
export S DISK
export -f vsh clean
# a guest of h2 on the same disk, and a diskless one to plug it into
cat >"$CASE_TMP/b.xml" <<EOF
<domain type='$TYPE'>
  <name>b</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$DISK'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
EOF
"$TESTS_LAB" guest-xml probe --dir "$LAB_DIR" | sed 's#</os>#</os><features><acpi/></features>#' >"$CASE_TMP/probe.xml"
sed -n '/<disk/,/<\/disk>/p' "$CASE_TMP/b.xml" | sed 's/vda/vdb/' >"$CASE_TMP/disk.xml"
chmod 0644 "$CASE_TMP"/*.xml

# while nothing runs on it, h2 may use the disk; it saves that guest
run vsh h2 create "$CASE_TMP/b.xml"
run holder
run vsh h2 save b "$S/saved/b.state"
run holder
run rhv-vm start a --host h1
run holder

# h2 cannot start a guest on it: QEMU's image lock, the first line
run bash -c 'vsh h2 create "$CASE_TMP/b.xml" 2>&1 | clean; exit ${PIPESTATUS[0]}'
# nor restore the saved guest: the lease, the second line, before QEMU
# takes its lock
run bash -c 'vsh h2 restore "$S/saved/b.state" 2>&1 | clean; exit ${PIPESTATUS[0]}'
# nor plug it into a guest that runs there
run vsh h2 create "$CASE_TMP/probe.xml"
run bash -c 'vsh h2 attach-device probe "$CASE_TMP/disk.xml" 2>&1 | clean; exit ${PIPESTATUS[0]}'
run vsh h2 list --name
run vsh h1 domstate a
run holder

# the lease goes with the guest to h2, and h1 cannot plug the disk now
run rhv-vm migrate a --host h2
run holder
run vsh h1 create "$CASE_TMP/probe.xml"
run bash -c 'vsh h1 attach-device probe "$CASE_TMP/disk.xml" 2>&1 | clean; exit ${PIPESTATUS[0]}'
run rhv-vm migrate a --host h1
run holder

# once the guest on h1 is gone (rhv-vm stop destroys it), its lease is
# free: h2 restores its guest
run rhv-vm stop a
run holder
run bash -c 'vsh h2 restore "$S/saved/b.state" 2>&1 | clean; exit ${PIPESTATUS[0]}'
run holder
run vsh h2 domstate b
# nor can rhv start the VM while h2's guest holds its disk
run bash -c 'rhv-vm start a --host h1 2>&1 | clean; exit ${PIPESTATUS[0]}'
run rhv-vm show a -c name,state,host
run vsh h2 destroy b
run holder
run rhv-vm start a --host h1
run holder
run rhv-vm stop a
run holder
