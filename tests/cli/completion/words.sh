# Shell completion comes from the command tables and the store.
rhv-dc create Default -q
rhv-dc create Lab -q
rhv-cluster create prod --dc Default --cpu-type haswell -q
complete_words rhv-dc ''
complete_words rhv-dc -
complete_words rhv-dc show ''
complete_words rhv-dc show L
complete_words rhv-dc create x --storage-type ''
complete_words rhv-dc list -
complete_words rhv-dc help ''
complete_words rhv-cluster create c --dc ''
complete_words rhv-cluster create c --dc=D
complete_words rhv-cluster create c --cpu-type opt
complete_words rhv-cluster policy prod --param High
complete_words rhv-cluster policy prod --policy ''
complete_words rhv-cluster show ''
complete_words rhv-event list --severity ''
complete_words rhv-event list --object ''
complete_words rhv-db ''
# storage: domain, disk and ISO names come from the store
mkdir "$CASE_TMP/isos"
rhv-sd create san1 --kind iscsi --lun 36001405aaaa:10G -q
rhv-sd create isos --kind nfs --role iso --path "$CASE_TMP/isos" -q
sql "INSERT INTO disks (id, name, domain_id, volume_id, format, allocation, size, status)
     SELECT gen_random_uuid(), 'disk' || i, id, gen_random_uuid(), 'raw', 'preallocated', 1073741824, 'OK'
     FROM storage_domains, generate_series(1, 2) i WHERE name = 'san1'" >/dev/null
head -c 512 /dev/zero >"$CASE_TMP/boot.iso"
rhv-sd iso-upload "$CASE_TMP/boot.iso" --domain isos -q
rhv-vm create web --cluster prod --memory 64M --vcpus 1 -q
complete_words rhv-sd ''
complete_words rhv-sd show ''
complete_words rhv-sd create x --kind ''
complete_words rhv-sd create x --role=''
complete_words rhv-sd attach san1 --dc ''
complete_words rhv-sd spm-status ''
complete_words rhv-sd spm-set-priority ''
complete_words rhv-sd iso-list --domain i
complete_words rhv-disk ''
complete_words rhv-disk show ''
complete_words rhv-disk create d --domain ''
complete_words rhv-disk create d --format ''
complete_words rhv-disk attach disk1 --vm ''
complete_words rhv-disk attach disk1 --interface ''
complete_words rhv-disk copy disk1 ''
complete_words rhv-vm edit web --cdrom ''
complete_words rhv-host ''
# the fencing policy, HA priority and soft fence command
complete_words rhv-cluster edit prod --fencing
complete_words rhv-cluster edit prod --fencing ''
complete_words rhv-cluster create c --fencing-skip-lease=''
complete_words rhv-cluster edit prod --fencing-skip-percent ''
complete_words rhv-vm create x --ha-priority ''
complete_words rhv-vm edit web --ha-priority=m
complete_words rhv-vm edit web --ha
complete_words rhv-fence setup h1 --s
# snapshots: VMs, the VM's disks, and snapshots by id (descriptions need not be unique)
sql "INSERT INTO snapshots (id, vm_id, description, status, memory, vcpus)
     SELECT '5a5a5a5a-0000-4000-8000-000000000001', id, 'before upgrade', 'OK', memory, vcpus
     FROM vms WHERE name = 'web'"
complete_words rhv-snap ''
complete_words rhv-snap create ''
complete_words rhv-snap create web --
complete_words rhv-snap create web --disk ''
complete_words rhv-snap show ''
complete_words rhv-snap delete 5a
complete_words rhv-snap commit ''
complete_words rhv-snap resume ''
complete_words rhv-snap list -
# networks: verbs, network and profile names from the store, NETWORK/PROFILE for VM NICs, roles
rhv-net create blue --dc Default -q
rhv-net profile-create capped --network blue -q
complete_words rhv-net ''
complete_words rhv-net show ''
complete_words rhv-net attach blue --cluster ''
complete_words rhv-net attach blue --role ''
complete_words rhv-net profile-edit ''
complete_words rhv-net profile-list --network ''
complete_words rhv-net mac-pool ''
complete_words rhv-vm edit web --nic ''
