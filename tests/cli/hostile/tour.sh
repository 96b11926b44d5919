# Sixty-odd hostile invocations: each gets its documented exit code and a
# one-line message, and the store is unchanged afterwards.
rhv-dc create Default -q
rhv-cluster create prod --dc Default --cpu-type haswell -q
# values never reach SQL text: a name full of SQL is just a name
run rhv-dc create 'x"; DROP TABLE data_centers; --'
run rhv-dc show 'x"; DROP TABLE data_centers; --' -c name
run rhv-dc remove "x'); DELETE FROM events; --"
run rhv-dc remove 'x"; DROP TABLE data_centers; --'
run counts
run rhv-dc
run rhv-dc frobnicate
run rhv-dc list --frobnicate
run rhv-dc list extra-argument
run rhv-dc create
run rhv-dc create a b
run rhv-dc create ''
run rhv-dc create "$(printf 'tab\there')"
run rhv-dc create ' padded'
run rhv-dc create aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
run rhv-dc create "$(printf 'bad\xffutf8')"
run rhv-dc create Default
run rhv-dc create x --storage-type
run rhv-dc create x --storage-type=cephfs
run rhv-dc create x --compat-version 4.10
run rhv-dc edit Default
run rhv-dc edit Default --name ''
run rhv-dc edit Ghost --name Phantom
run rhv-dc remove Default
run rhv-dc list -o xml
run rhv-dc list -c name,nope
run rhv-dc list -c ''
run rhv-dc list -c +
run rhv-dc list -c name,
run rhv-dc show
run rhv-cluster create c --dc Default --cpu-type
run rhv-cluster create c --dc Default --cpu-type pentium
run rhv-cluster create c --cpu-type haswell
run rhv-cluster create prod --dc Default --cpu-type haswell
run rhv-cluster edit prod --dc Other
run rhv-cluster policy prod --policy evenly_distributed --param HighUtilization=101
run rhv-cluster policy prod --policy evenly_distributed --param HighUtilization=-5
run rhv-cluster policy prod --param CpuOverCommitDurationMinutes=0
run rhv-cluster policy prod --param CpuOverCommitDurationMinutes=99999999999999999999
run rhv-cluster policy prod --param =
run rhv-cluster policy prod --policy evenly_distributed --param HighUtilization=80.5
run rhv-cluster policy ghost --policy none
run rhv-event list --since never
run rhv-event list --since 2026-02-30
run rhv-event list --since 2026-01-01+99:99
run rhv-event list --since 53375995583d
run rhv-event list --object planet
run rhv-event list --limit -3
run rhv-event prune --older-than lots
run rhv-db upgrade --schema-version 0
run rhv-db init --schema-version=-1
run rhv-dc list --db 'host=/nonexistent'
run rhv-dc create x --db 'dbname=x host=/nonexistent'
run rhv-dc --db
# 301 LUNs: a usage error with the limit, not a conflict
create_luns() { # create_luns N: rhv-sd create big --kind iscsi --lun 3600c1:1G ... --lun 3600cN:1G
	local luns=() i
	for ((i = 1; i <= $1; i++)); do luns+=(--lun "3600c$i:1G"); done
	rhv-sd create big --kind iscsi "${luns[@]}"
}
run create_luns 301
run rhv-disk create d --domain nowhere --size 1
run rhv-disk create d --domain nowhere --size 16385T
run rhv-disk create d --domain nowhere --size 8388608T
run counts
# rhv-snap: refusals that need no host
run rhv-snap
run rhv-snap create
run rhv-snap create ghost
run rhv-snap create ghost --memory
run rhv-snap create ghost --description $'bad\x01text'
run rhv-snap create ghost --description "$(printf '%0256d' 0)"
run rhv-snap create ghost --description "$(printf 'bad\xffutf8')"
run rhv-snap list ghost
run rhv-snap show ghost
run rhv-snap show ''
run rhv-snap delete 00000000-0000-0000-0000-000000000000
run rhv-snap preview ghost
run rhv-snap commit ghost
run rhv-snap undo ghost
run rhv-snap resume ghost
run rhv-snap jobs extra-argument
run rhv-snap list -c vm,nope
# a VM without disks, and snapshots the store holds: a description two
# snapshots share names neither; a snapshot left Locked blocks the VM's
# other snapshot operations until resume settles it
rhv-vm create v1 --cluster prod --memory 64M --vcpus 1 -q
run counts
run rhv-snap create v1
run rhv-snap create v1 --disk ghost
run rhv-snap create v1 --memory
run rhv-snap commit v1
run rhv-snap undo v1
sql "INSERT INTO snapshots (id, vm_id, description, status, memory, vcpus)
     SELECT ('5a5a5a5a-0000-4000-8000-00000000000' || i)::uuid, id, 'twin', 'OK', memory, vcpus
     FROM vms, generate_series(1, 2) i WHERE name = 'v1'"
run rhv-snap show twin
run rhv-snap delete twin
run rhv-snap show 5a5a5a5a-0000-4000-8000-000000000001 -c description,status
sql "UPDATE snapshots SET status = 'Locked', operation = 'delete'
     WHERE id = '5a5a5a5a-0000-4000-8000-000000000002'"
run rhv-snap preview 5a5a5a5a-0000-4000-8000-000000000001
run rhv-snap delete 5a5a5a5a-0000-4000-8000-000000000002
run rhv-snap list v1 -c description,status,operation
run counts
