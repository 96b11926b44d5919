# needs: lab
# VMs on real QEMU guests: define, start where the scheduler says, migrate,
# stable device addresses, shutdown and stop.  libvirt is asked directly
# where each guest runs.
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
rhv-host add h2 --cluster lab --uri "$LAB_H2_URI" --emulated -q
guests() { for h in 1 2; do u=LAB_H${h}_URI; echo "h$h: $(virsh -c "${!u}" list --name | sort | xargs)"; done; }
run rhv-vm create web --cluster lab --memory 64M --vcpus 1 --nic ovirtmgmt --nic ovirtmgmt,model=e1000 --video qxl --sound ac97 --balloon --graphics vnc --ha
run rhv-vm create db --cluster lab --memory 96M --vcpus 2 --pin-host h2 --description 'pinned to h2'
run rhv-vm create x --cluster lab --memory 64M --vcpus 1 --nic lan
run rhv-vm create x --cluster lab --memory 64M --vcpus 1 --nic ovirtmgmt,model=ne2k
run rhv-vm create x --cluster lab --memory 10M --vcpus 1
run rhv-vm create x --cluster lab --memory 64M --vcpus 300
run rhv-vm create x --cluster lab --memory 64M --vcpus 1 --video matrox
run rhv-vm create web --cluster lab --memory 64M --vcpus 1
run rhv-vm list
run rhv-vm show web -c name,state,nics,graphics,video,sound,balloon,ha
run rhv-vm start web --explain
run rhv-vm start web
run rhv-vm start db --host h1
run rhv-vm start db
run rhv-vm list -c name,state,host
run guests
run rhv-vm devices web
run rhv-vm migrate web --explain
run guests
run rhv-vm migrate db
run rhv-vm migrate web --host h1
run rhv-vm list -o json -c name,state,host
run rhv-vm list --state up -c name
run rhv-vm list --state sleeping -c name
run rhv-vm list --host h9
run guests
run rhv-vm edit web --memory 128M
run rhv-vm shutdown web --timeout 1
run rhv-vm stop web
run rhv-vm edit web --memory 128M --remove-nic 00:1A:4A:16:01:52 --sound none
run rhv-vm start web --host h2
run rhv-vm devices web
run rhv-vm stop web
run rhv-vm stop db
run guests
run rhv-vm remove web
run rhv-vm list -c name,state
run rhv-event list --object vm -c severity,object,action,message
