# vNIC profiles: the default one, port mirroring, QoS in RHV's units stored in libvirt's.
run rhv-dc create Default
run rhv-cluster create prod --dc Default --cpu-type haswell
run rhv-net create blue --dc Default
run rhv-net create storage --dc Default --vm-network no
run rhv-net profile-list
run rhv-net profile-create mirror --network blue --port-mirroring yes --description 'IDS tap'
run rhv-net profile-create slow --network blue --qos-in 10,20,5 --qos-out 1,1,1
run rhv-net profile-create slow --network blue
run rhv-net profile-create x --network storage
run rhv-net profile-create x --network nowhere
run rhv-net profile-create x
run rhv-net profile-create x --network blue --qos-in 10,5,1
run rhv-net profile-create x --network blue --qos-in 10,20
run rhv-net profile-create x --network blue --qos-out 0,1,1
run rhv-net profile-create x --network blue --port-mirroring perhaps
run rhv-net profile-create a,b --network blue
run rhv-net profile-list --network blue
run rhv-net profile-list --network blue -o json -c name,qos_in,in_average,in_peak,in_burst,out_average,out_peak,out_burst
run rhv-net profile-edit slow --qos-in none --qos-out 100,200,10 --name capped
run rhv-net profile-edit capped
run rhv-net profile-edit nothing --description x
run rhv-net profile-edit capped --network storage --description x
run rhv-net profile-list --network blue -o tsv -c name,port_mirroring,qos_in,qos_out,description
# a profile name on two networks: say which
run rhv-net create red --dc Default
run rhv-net profile-create capped --network red
run rhv-net profile-edit capped --description x
run rhv-net profile-remove capped --network red
# a NIC on the profile: mirroring is fixed, the profile stays
run rhv-net attach blue --cluster prod
run rhv-vm create web --cluster prod --memory 64M --vcpus 1 --nic blue/mirror --nic blue/capped
run rhv-net profile-edit mirror --port-mirroring no
run rhv-net profile-edit mirror --port-mirroring yes --description 'still the IDS tap'
run rhv-net profile-remove mirror
run rhv-net edit blue --vm-network no
run rhv-net remove blue
run rhv-vm remove web
run rhv-net detach blue --cluster prod
run rhv-net profile-edit mirror --port-mirroring no
run rhv-net profile-remove mirror --network blue
run rhv-net profile-remove blue
run rhv-net profile-list -c name,network,vnics
run rhv-event list --object vnic_profile -c object,action,message
