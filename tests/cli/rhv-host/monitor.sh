# needs: lab
# rhv-host monitor: a guest killed behind our back is marked Down; a guest
# the store does not know is reported, never destroyed; a host that stops
# answering goes Connecting, then NonResponsive after the (shortened) grace
# time, and Up again when it answers.
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
rhv-host add h2 --cluster lab --uri "$LAB_H2_URI" --emulated -q
rhv-db set HostGraceSeconds 2 -q
rhv-db set HostGracePerVmMillis 0 -q
# how long a host has been away depends on the machine's speed
runs() { run "$@" | sed -E 's/(for|after) [0-9]+ s/\1 <n> s/g'; }
for v in a b c; do rhv-vm create $v --cluster lab --memory 64M --vcpus 1 --pin-host h1 -q; rhv-vm start $v -q; done
runs rhv-host monitor
run rhv-vm list -c name,state,host
# kill -9 a guest's QEMU behind libvirt's back
run "$TESTS_LAB" guest-kill h1 b --dir "$LAB_DIR" -q
runs rhv-host monitor -q
run rhv-vm list -c name,state,host
# a guest started by hand on h2: reported once, left alone
virsh -c "$LAB_H2_URI" create /dev/stdin >/dev/null <<'XML'
<domain type='qemu'><name>stranger</name><uuid>3e3fce45-4f53-4fa7-bb32-11f34b9ddd9a</uuid>
<memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>
XML
runs rhv-host monitor -q
runs rhv-host monitor -q
run virsh -c "$LAB_H2_URI" list --name
run rhv-event list --severity WARNING -c severity,object_type,object,message
# h1's daemon dies: Connecting, then NonResponsive after 2 s of grace
run "$TESTS_LAB" host-down h1 --dir "$LAB_DIR" -q
runs rhv-host monitor
run rhv-host list -c name,state
sleep 3
runs rhv-host monitor
run rhv-host list -c name,state
run rhv-vm list -c name,state,host
run "$TESTS_LAB" host-up h1 --dir "$LAB_DIR" -q
runs rhv-host monitor
run rhv-host list -c name,state
run rhv-vm list -c name,state,host
runs sh -c "rhv-event list --object host:h1 -c severity,action,message | sed -E 's/: cannot connect.*//'"
# the admin confirms h1 down while it is only cut off, and starts its VM
# again elsewhere; when h1 answers, the guests it kept running are ERRORs
# naming both hosts (they are left alone: which copy to keep is the admin's)
rhv-vm create d --cluster lab --memory 64M --vcpus 1 -q
rhv-vm start d --host h1 -q
"$TESTS_LAB" host-down h1 --dir "$LAB_DIR" -q
rhv-host monitor -q 2>/dev/null
sleep 3
rhv-host monitor -q 2>/dev/null
run rhv-vm list -c name,state,host
run rhv-host confirm-down h1
run rhv-vm start d --host h2
run "$TESTS_LAB" host-up h1 --dir "$LAB_DIR" -q
runs rhv-host monitor -q
run rhv-vm list -c name,state,host
run rhv-event list --severity ERROR --object vm -c severity,object,action,message
run rhv-event list --object vm:a -c severity,action,message
