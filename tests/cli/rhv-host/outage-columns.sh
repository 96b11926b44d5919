# What the monitor keeps of a host's outage and power saving, shown read-only
# by list and show (the monitor writes them; here the store is set directly).
rhv-dc create Default -q
rhv-cluster create c1 --dc Default --cpu-type nehalem -q
sql "INSERT INTO hosts (name, cluster_id, uri, state)
     SELECT 'h' || i, c.id, 'qemu+ssh://root@h' || i || '/system', 'Up'
     FROM clusters c, generate_series(1, 2) i" >/dev/null
C=name,state,failed_checks,soft_fenced_at,nonresponsive_at,fence_attempt_at,recovery_note,power_saving_off
run rhv-host show h1 -c $C
sql "UPDATE hosts SET state = 'NonResponsive', failed_checks = 4, soft_fenced_at = now() - interval '2 minutes',
     nonresponsive_at = now() - interval '1 minute', fence_attempt_at = now(),
     recovery_note = 'the storage lease of host ''h1'' was renewed 10 s ago' WHERE name = 'h1'" >/dev/null
sql "UPDATE hosts SET state = 'Down', power_saving_off = true WHERE name = 'h2'" >/dev/null
run rhv-host show h1 -c $C
run rhv-host show h1 -o json -c $C
run rhv-host list -o tsv -c $C
run rhv-host list -c name,failed_checks,power_saving_off
run rhv-host show h2 --list-columns
