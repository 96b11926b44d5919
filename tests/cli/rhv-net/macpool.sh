# MAC pools: one per data center, the one source of NIC addresses; used up -> exit 4, nothing half done.
run rhv-dc create Default
run rhv-cluster create prod --dc Default --cpu-type haswell
run rhv-net mac-pool Default
run rhv-net mac-pool Default -o json
run rhv-net mac-pool Nowhere
run rhv-net mac-pool Default --range 02:00:00:00:00:01-02:00:00:00:00:02 --range 02:00:00:00:01:00-02:00:00:00:01:00
run rhv-net mac-pool Default -c data_center,first,last,size,allow_duplicates,pool_size,pool_used,pool_free
run rhv-vm create a --cluster prod --memory 64M --vcpus 1 --nic ovirtmgmt --nic ovirtmgmt
run rhv-vm show a -c name,nics
run rhv-net mac-pool Default -c first,last,pool_used,pool_free
# two NICs wanted, one address left: the VM is not created, no NIC is taken
run rhv-vm create b --cluster prod --memory 64M --vcpus 1 --nic ovirtmgmt --nic ovirtmgmt
run rhv-vm list -c name
run rhv-vm create b --cluster prod --memory 64M --vcpus 1 --nic ovirtmgmt
run rhv-vm create c --cluster prod --memory 64M --vcpus 1
run rhv-vm edit c --nic ovirtmgmt
run rhv-vm show c -c name,nics
# freed addresses are handed out again
run rhv-vm remove a
run rhv-vm edit c --nic ovirtmgmt
run rhv-vm show c -c name,nics
# shrinking below the addresses in use: NICs keep them
run rhv-net mac-pool Default --range 02:00:00:00:00:01-02:00:00:00:00:01
run rhv-net mac-pool Default -c first,last,size,pool_used,pool_free
run rhv-vm show b -c name,nics
run rhv-net mac-pool Default --range none
run rhv-net mac-pool Default
run rhv-vm edit c --nic ovirtmgmt
# refusals
run rhv-net mac-pool Default --range 02:00:00:00:00:09-02:00:00:00:00:01
run rhv-net mac-pool Default --range 02:00:00:00:00:01
run rhv-net mac-pool Default --range 02:00:00:00:00:01-02:00:00:00:00:0g
run rhv-net mac-pool Default --range 03:00:00:00:00:01-03:00:00:00:00:02
run rhv-net mac-pool Default --range 02:00:00:00:00:01-02:00:00:00:00:10 --range 02:00:00:00:00:05-02:00:00:00:00:20
run rhv-net mac-pool Default --range 02:00:00:00:00:00-02:00:00:01:86:a0
run rhv-net mac-pool Default --allow-duplicates sometimes
run rhv-net mac-pool Default --range 00:1a:4a:16:01:51-00:1a:4a:16:ff:ff
run rhv-event list --object data_center -c object,action,message
