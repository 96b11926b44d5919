# needs: lab
# A guest with an OS: a VM that boots a Linux kernel given by path
# (--kernel, --initrd, --kernel-params) and talks on its serial console,
# where it says when its kernel is up; then the NIC unplug the OS-less
# guests of the other cases cannot show (reference 3.7): a NIC plugged into
# the running guest and one it started with are both unplugged, the guest's
# kernel releases them, and the store, libvirt and the guest agree.
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
"$(dirname "$TESTS_LAB")/linux-guest" "$CASE_TMP/guest"
G=$CASE_TMP/guest
run rhv-vm create g --cluster lab --memory 128M --vcpus 1 --nic ovirtmgmt --serial-console \
	--kernel "$G/vmlinuz" --initrd "$G/initrd" --kernel-params 'console=ttyS0 quiet panic=-1'
run rhv-vm show g -c name,kernel,initrd,kernel_params,serial_console
run rhv-vm start g
# up_on_console VM: wait (up to 5 minutes: TCG on a busy machine) until the
# guest says on its serial console that its kernel is up
up_on_console() {
	local pty
	pty=$(virsh -q -c "$LAB_H1_URI" ttyconsole "$1") || return 1
	python3 - "$pty" 300 <<-'PY'
		import os, select, sys, time, tty
		fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
		tty.setraw(fd)
		seen, end = b"", time.monotonic() + float(sys.argv[2])
		while time.monotonic() < end:
		    if select.select([fd], [], [], 1)[0]:
		        seen = (seen + os.read(fd, 4096))[-4096:]
		        if b"rhv-lab-guest: up" in seen:
		            print("the guest's kernel is up (its serial console says so)")
		            sys.exit(0)
		print("the guest never said it is up within", sys.argv[2], "s")
		sys.exit(1)
	PY
}
up_on_console g
nics() { virsh -c "$LAB_H1_URI" domiflist "$1" | awk 'NR > 2 && $1 != "" { print $2, $4, $5 }'; }
run rhv-vm edit g --nic ovirtmgmt,model=e1000
run nics g
run rhv-vm edit g --remove-nic 00:1a:4a:16:01:52
run rhv-vm edit g --remove-nic 00:1a:4a:16:01:51
run rhv-vm show g -c name,state,nics
run nics g
run sh -c "rhv-vm devices g | grep interface"
run rhv-event list --object vm:g -c severity,action,message
run rhv-vm stop g
