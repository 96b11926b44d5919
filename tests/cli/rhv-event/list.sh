# The audit log: filters, and pruning that is itself audited.
run rhv-dc create a
run rhv-dc create b
run rhv-cluster create c --dc a --cpu-type penryn
run rhv-dc edit b --name bb
sql "UPDATE events SET time = now() - interval '40 days' WHERE object_name = 'a'"
sql "UPDATE events SET severity = 'WARNING' WHERE object_name = 'bb'"
run rhv-event list -c severity,object_type,object,action,message
run rhv-event list --object data_center -c object,action
run rhv-event list --object cluster:c -c object,action
run rhv-event list --object host
run rhv-event list --severity WARNING -c severity,object
run rhv-event list --severity fatal
run rhv-event list --since 1d -c object,action
run rhv-event list --since 2026-13-01
run rhv-event list --limit 1 -c object,action
run rhv-event list --limit 0
run rhv-event list -o json -c id,severity,user,object_type -H --limit 1
run rhv-event prune
run rhv-event list -c object_type,action,message
run rhv-event prune --older-than 0
run rhv-event prune --older-than -1
run rhv-event list -c object_type,action,message
