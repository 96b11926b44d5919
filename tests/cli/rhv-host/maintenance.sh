# needs: lab
# Maintenance live-migrates every VM to other Up hosts chosen by the
# scheduler; a VM that cannot go anywhere is named with the reason (exit 6)
# and the host stays PreparingForMaintenance until the admin acts.
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
for h in 1 2 3; do u=LAB_H${h}_URI; rhv-host add h$h --cluster lab --uri "${!u}" --emulated -q; done
for v in v1 v2 v3 v4; do rhv-vm create $v --cluster lab --memory 64M --vcpus 1 -q; rhv-vm start $v --host h1 -q; done
rhv-vm create pinned --cluster lab --memory 64M --vcpus 1 --pin-host h1 -q
rhv-vm start pinned -q
guests() { for h in 1 2 3; do u=LAB_H${h}_URI; echo "h$h: $(virsh -c "${!u}" list --name | sort | xargs)"; done; }
run guests
run rhv-host maintenance h1
run rhv-host list -c name,state,vms
run sh -c 'rhv-vm list -c name,host -H | sort -k2,2 -k1,1'
run guests
# the store and libvirt agree on every placement
run sh -c 'for h in h1 h2 h3; do rhv-vm list --host $h -o tsv -H -c name | sort | xargs echo $h:; done'
# the admin changes course: the host serves again
run rhv-host activate h1
run rhv-host list -c name,state
run rhv-vm stop pinned
run rhv-host maintenance h1
run rhv-host list -c name,state,vms
run rhv-vm start v1 --host h1
run rhv-host activate h1
run rhv-host list -c name,state
for v in v1 v2 v3 v4; do rhv-vm stop $v -q; done
