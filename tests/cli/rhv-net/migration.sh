# A store at schema 8 with a data center, a cluster and a VM with NICs: upgrade gives them ovirtmgmt,
# its attachment with every role, its default profile and the default MAC pool; the NICs keep their MACs.
sql "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
rhv-db init --schema-version 8 -q
sql "INSERT INTO data_centers (name, compat_version) VALUES ('Old', '4.1'), ('Empty', '4.1')"
sql "INSERT INTO clusters (name, dc_id, cpu_type, compat_version) SELECT 'oldc', id, 'haswell', '4.1'
	FROM data_centers WHERE name = 'Old'"
sql "INSERT INTO vms (name, cluster_id, memory, vcpus) SELECT 'oldvm', id, 67108864, 1 FROM clusters"
sql "INSERT INTO vm_nics (vm_id, idx, network, model, mac) SELECT id, 0, 'ovirtmgmt', 'virtio', '00:1a:4a:16:01:51'::macaddr
	FROM vms UNION ALL SELECT id, 1, 'ovirtmgmt', 'e1000', '00:1a:4a:16:01:53'::macaddr FROM vms"
run rhv-db upgrade
run rhv-net list -c name,data_center,vm_network,clusters,profiles,vnics
run rhv-net list --cluster oldc
run rhv-net profile-list -c name,network,data_center,vnics
run rhv-net mac-pool Old -c first,last,size,pool_used
run rhv-net mac-pool Empty -c first,last,size,pool_used
run rhv-vm show oldvm -c name,nics
# the next NIC takes the first free address, between the two
run rhv-vm edit oldvm --nic ovirtmgmt
run rhv-vm show oldvm -c name,nics
run rhv-net remove ovirtmgmt --dc Old
run rhv-net detach ovirtmgmt --cluster oldc
