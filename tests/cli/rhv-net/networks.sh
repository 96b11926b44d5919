# Logical networks: ovirtmgmt from the start, create/edit/remove, unique per data center.
run rhv-dc create Default
run rhv-dc create Lab
run rhv-net list
run rhv-net show ovirtmgmt
run rhv-net show ovirtmgmt --dc Lab -o json
run rhv-net create blue --dc Default --vlan 10 --mtu 9000 --label lab_1 --description 'VM traffic'
run rhv-net create storage --dc Default --vm-network no
run rhv-net create blue --dc Lab
run rhv-net create blue --dc Default
run rhv-net create x --dc Nowhere
run rhv-net create x
run rhv-net create x --dc Default --vlan 4095
run rhv-net create x --dc Default --mtu 67
run rhv-net create x --dc Default --label 'a b'
run rhv-net create x --dc Default --vm-network maybe
run rhv-net create a/b --dc Default
run rhv-net create "$(printf 'n%.0s' {1..51})" --dc Default
run rhv-net list --dc Default
run rhv-net list --dc Nowhere
run rhv-net list -o tsv -c name,data_center,vm_network,vlan,mtu,label,clusters,profiles,vnics
# a name in two data centers: say which
run rhv-net show blue
run rhv-net show blue --dc Lab -c name,data_center,vlan
run rhv-net show nothing
run rhv-net show nothing --dc Lab
run rhv-net edit blue --dc Default --name green --vlan none --mtu default --label ''
run rhv-net show green -c name,vlan,mtu,label,profiles
run rhv-net edit green --dc Default
run rhv-net edit green --name storage
run rhv-net edit ovirtmgmt --dc Lab --name mgmt
run rhv-net edit ovirtmgmt --dc Lab --mtu 1400 --description 'changed'
run rhv-net edit green --vm-network no
run rhv-net show green -c name,vm_network,profiles
run rhv-net edit green --vm-network yes
run rhv-net show green -c name,vm_network,profiles
run rhv-net edit storage --vlan 20 --vm-network yes
run rhv-net profile-list --dc Default
run rhv-net remove ovirtmgmt --dc Lab
run rhv-net remove blue
run rhv-net remove blue --dc Lab
run rhv-net remove green
run rhv-net remove green
run rhv-net list -c name,data_center
run rhv-event list --object network -c object,action,message
