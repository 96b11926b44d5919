# HA priority (oVirt's low 1, medium 50, high 100, or a number between):
# set on create and edit, also while the VM runs (the engine alone reads it),
# and the HA restart state the monitor keeps, shown read-only.
rhv-dc create Default -q
rhv-cluster create c1 --dc Default --cpu-type nehalem -q
sql "INSERT INTO hosts (name, cluster_id, uri, state)
     SELECT 'h1', id, 'qemu+ssh://root@h1/system', 'Up' FROM clusters" >/dev/null
run rhv-vm create web --cluster c1 --memory 64M --vcpus 1 --ha --ha-priority high
run rhv-vm create db --cluster c1 --memory 64M --vcpus 1 --ha --ha-priority 75
run rhv-vm create lb --cluster c1 --memory 64M --vcpus 1 --ha-priority Medium
run rhv-vm create dev --cluster c1 --memory 64M --vcpus 1
run rhv-vm list -c name,ha,ha_priority
run rhv-vm list -o json -c name,ha,ha_priority
# running: the priority changes, the hardware does not
sql "UPDATE vms SET state = 'Up', host_id = (SELECT id FROM hosts) WHERE name = 'web'" >/dev/null
run rhv-vm edit web --ha-priority low
run rhv-vm edit web --ha-priority 100 --memory 128M
run rhv-vm edit dev --ha on --ha-priority medium
run rhv-vm show web -c name,state,ha,ha_priority
# bad values: exit 2, nothing changed
counts >"$CASE_TMP/before"
for p in 0 101 -5 urgent '' 1.5 ' 7' 99999999999999999999; do
	run rhv-vm edit db --ha-priority "$p"
done
run rhv-vm create x --cluster c1 --memory 64M --vcpus 1 --ha-priority 0
counts >"$CASE_TMP/after"
run diff "$CASE_TMP/before" "$CASE_TMP/after"
run rhv-vm show db -c name,ha_priority
# what the monitor writes, read back as it is
run rhv-vm show db -c name,ha_pending_since,ha_tries,ha_last_error
sql "UPDATE vms SET ha_pending_since = now(), ha_tries = 3,
     ha_last_error = 'no host in cluster ''c1'' can run it' WHERE name = 'db'" >/dev/null
run rhv-vm show db -c name,ha_pending_since,ha_tries,ha_last_error
run rhv-vm show db -o json -c name,ha_pending_since,ha_tries,ha_last_error
run rhv-vm show web -o tsv -c name,ha_pending_since,ha_tries,ha_last_error
run rhv-vm list --list-columns
run rhv-event list --object vm -c object,action,message
