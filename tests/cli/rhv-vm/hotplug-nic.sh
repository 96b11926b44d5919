# needs: lab
# vNICs of running VMs (reference 3.7, 3.14): a NIC added to a VM that is Up
# is plugged into the guest at once, with a MAC from the pool, and keeps its
# PCI address; one on a port-mirroring profile is refused and nothing
# changes; a NIC the guest does not release (these guests have no OS to
# answer ACPI hot-unplug) stays, in the guest and in the store. The lab's
# hosts have no network data (rhv-net never read them): their guests keep
# user networking, and no QoS (a session daemon cannot shape taps).
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
rhv-net profile-create mirror --network ovirtmgmt --port-mirroring yes -q
rhv-net profile-create fast --network ovirtmgmt --qos-in 10,20,1 --qos-out 5,10,1 -q
rhv-vm create a --cluster lab --memory 64M --vcpus 1 --nic ovirtmgmt -q
rhv-vm create d --cluster lab --memory 64M --vcpus 1 -q
rhv-vm start a -q
nics() { virsh -c "$LAB_H1_URI" domiflist "$1" | awk 'NR > 2 && $1 != "" { print $2, $4, $5 }'; }
run nics a
run rhv-vm edit a --nic ovirtmgmt/fast,model=e1000
run nics a
run rhv-vm show a -c name,state,nics
run bash -c "rhv-vm devices a | grep interface"
# port mirroring: never plugged into a running VM, nothing changes
run rhv-vm edit a --nic ovirtmgmt/mirror
run rhv-vm show a -c nics
run nics a
# other hardware still waits for Down, NICs with it or not
run rhv-vm edit a --nic ovirtmgmt --memory 128M
run rhv-vm show a -c nics,memory
# the guest has no OS to release a NIC: the store keeps it, as the guest does
run rhv-vm edit a --remove-nic 00:1a:4a:16:01:51
run rhv-vm show a -c nics
run nics a
run rhv-event list --object vm:a --severity WARNING -c message -H
# a Down VM changes as before; the mirroring profile is fine there
run rhv-vm edit d --nic ovirtmgmt/mirror
run rhv-vm show d -c nics
# the next start gives the plugged NIC its address again
rhv-vm stop a -q
rhv-vm start a -q
run nics a
run bash -c "rhv-vm devices a | grep interface"
# a NIC on a mirroring profile is not unplugged from a running VM either
rhv-vm start d -q
run rhv-vm edit d --remove-nic 00:1a:4a:16:01:53
run rhv-vm show d -c nics
