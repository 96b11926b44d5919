# Linux boot options (RHV's kernel path, initrd path and kernel parameters):
# set on create, changed and removed on edit while the VM is Down, shown as
# columns; refused with exit 2 and nothing changed when a path is not
# absolute, a value holds a control character, or an initrd or parameters
# would be left without a kernel; refused with exit 4 while the VM runs.
# The serial console likewise.  The lab case rhv-vm/lab-linux-guest boots a
# real kernel with them.
rhv-dc create Default -q
rhv-cluster create c1 --dc Default -q
sql "INSERT INTO hosts (name, cluster_id, uri, state)
     SELECT 'h1', id, 'qemu+ssh://root@h1/system', 'Up' FROM clusters" >/dev/null
run rhv-vm create tiny --cluster c1 --memory 64M --vcpus 1 --kernel /srv/boot/vmlinuz \
	--initrd /srv/boot/initrd.img --kernel-params 'console=ttyS0 quiet'
run rhv-vm create plain --cluster c1 --memory 64M --vcpus 1
run rhv-vm list -c name,kernel,initrd,kernel_params
run rhv-vm show tiny -o json -c name,kernel,initrd,kernel_params
echo "# bad values: exit 2, nothing changed"
counts >"$CASE_TMP/before"
run rhv-vm create x --cluster c1 --memory 64M --vcpus 1 --kernel vmlinuz
run rhv-vm create x --cluster c1 --memory 64M --vcpus 1 --initrd /srv/boot/initrd.img
run rhv-vm create x --cluster c1 --memory 64M --vcpus 1 --kernel-params quiet
run rhv-vm create x --cluster c1 --memory 64M --vcpus 1 --kernel /k --kernel-params $'a\nb'
run rhv-vm create x --cluster c1 --memory 64M --vcpus 1 --kernel ''
run rhv-vm edit plain --initrd /srv/boot/initrd.img
run rhv-vm edit tiny --kernel ''
run sh -c 'rhv-vm edit tiny --kernel-params "$(printf %01025d 0)"'
counts >"$CASE_TMP/after"
run diff "$CASE_TMP/before" "$CASE_TMP/after"
run rhv-vm show tiny -c name,kernel,initrd,kernel_params
echo "# changed and removed while Down"
run rhv-vm edit tiny --kernel-params '' --initrd ''
run rhv-vm edit tiny --kernel ''
run rhv-vm edit plain --kernel /srv/boot/vmlinuz --kernel-params 'console=ttyS0'
run rhv-vm list -c name,kernel,initrd,kernel_params
echo "# running: the boot options wait for Down"
sql "UPDATE vms SET state = 'Up', host_id = (SELECT id FROM hosts) WHERE name = 'plain'" >/dev/null
run rhv-vm edit plain --kernel-params quiet
run rhv-event list --object vm:tiny -c action,message
echo "# a serial console: on create, on edit while Down"
run rhv-vm create con --cluster c1 --memory 64M --vcpus 1 --serial-console
run rhv-vm edit tiny --serial-console on
run rhv-vm edit con --serial-console maybe
run rhv-vm edit plain --serial-console on
run rhv-vm list -c name,serial_console
