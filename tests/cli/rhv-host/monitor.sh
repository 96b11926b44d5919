# needs: lab
# rhv-host monitor: a guest killed behind our back is marked Down; a guest
# the store does not know is reported, never destroyed; a host that stops
# answering goes Connecting, then NonResponsive after the (shortened) grace
# time, and Up again when it answers.
rhv-dc create Default -q
rhv-cluster create lab --dc Default --cpu-type nehalem -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
rhv-host add h2 --cluster lab --uri "$LAB_H2_URI" --emulated -q
rhv-db set HostGraceSeconds 2 -q
rhv-db set HostGracePerVmMillis 0 -q
for v in a b c; do rhv-vm create $v --cluster lab --memory 64M --vcpus 1 --pin-host h1 -q; rhv-vm start $v -q; done
run rhv-host monitor
run rhv-vm list -c name,state,host
# kill -9 a guest's QEMU behind libvirt's back
run "$TESTS_LAB" guest-kill h1 b --dir "$LAB_DIR" -q
run rhv-host monitor -q
run rhv-vm list -c name,state,host
# a guest started by hand on h2: reported once, left alone
virsh -c "$LAB_H2_URI" create /dev/stdin >/dev/null <<'XML'
<domain type='qemu'><name>stranger</name><uuid>3e3fce45-4f53-4fa7-bb32-11f34b9ddd9a</uuid>
<memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>
XML
run rhv-host monitor -q
run rhv-host monitor -q
run virsh -c "$LAB_H2_URI" list --name
run rhv-event list --severity WARNING -c severity,object_type,object,message
# h1's daemon dies: Connecting, then NonResponsive after 2 s of grace
run "$TESTS_LAB" host-down h1 --dir "$LAB_DIR" -q
run rhv-host monitor
run rhv-host list -c name,state
sleep 3
run rhv-host monitor
run rhv-host list -c name,state
run rhv-vm list -c name,state,host
run "$TESTS_LAB" host-up h1 --dir "$LAB_DIR" -q
run rhv-host monitor
run rhv-host list -c name,state
run rhv-vm list -c name,state,host
run sh -c "rhv-event list --object host:h1 -c severity,action,message | sed -E 's/: cannot connect.*//; s/\\(Intel .*\\)/(facts)/'"
