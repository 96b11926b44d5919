# VM NICs name a profile: NETWORK (its default profile) or NETWORK/PROFILE, in the VM's cluster's data center.
run rhv-dc create Default
run rhv-dc create Lab
run rhv-cluster create prod --dc Default --cpu-type haswell
run rhv-cluster create labc --dc Lab --cpu-type haswell
run rhv-net create blue --dc Default
run rhv-net create unattached --dc Default
run rhv-net create storage --dc Default --vm-network no
run rhv-net create labnet --dc Lab
run rhv-net attach blue --cluster prod
run rhv-net attach storage --cluster prod
run rhv-net profile-create fast --network blue --qos-out 1000,2000,100
run rhv-vm create web --cluster prod --memory 64M --vcpus 1 --nic ovirtmgmt --nic blue,model=e1000 --nic blue/fast
run rhv-vm show web -c name,nics
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic unattached
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic storage
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic labnet
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic nowhere
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic blue/nothing
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic blue/
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic /x
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic blue,speed=10
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic blue,mac=zz:00:00:00:00:00
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic blue,mac=01:00:00:00:00:00
run rhv-vm list -c name
# the same network name in another data center is another network
run rhv-net attach labnet --cluster labc
run rhv-vm create l --cluster labc --memory 64M --vcpus 1 --nic labnet --nic ovirtmgmt
run rhv-vm show l -c name,nics
run rhv-net list -c name,data_center,profiles,vnics
run rhv-net profile-list -c name,network,data_center,vnics
# a network in use
run rhv-net detach blue --cluster prod
run rhv-net remove blue
run rhv-net profile-remove fast
run rhv-net edit blue --name azure
run rhv-vm show web -c name,nics
run rhv-vm edit web --remove-nic 00:1a:4a:16:01:52
run rhv-vm edit web --nic azure/fast,mac=00:1a:4a:16:01:52,model=rtl8139
run rhv-vm show web -c name,nics
# a MAC given by hand: refused when taken unless the pool allows duplicates
run rhv-vm edit web --nic azure,mac=00:1A:4A:16:01:51
run rhv-net mac-pool Default --allow-duplicates yes
run rhv-vm edit web --nic azure,mac=00:1A:4A:16:01:51
run rhv-net mac-pool Default --allow-duplicates no
run rhv-vm show web -c name,nics
