# needs: lab
# Two admins start the same VM at the same moment: one guest, one clean
# refusal.  Four VMs started at once on two hosts never overcommit.
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated --memory-limit 128M -q
rhv-host add h2 --cluster lab --uri "$LAB_H2_URI" --emulated --memory-limit 128M -q
rhv-vm create one --cluster lab --memory 64M --vcpus 1 -q
for i in 1 2; do (rhv-vm start one -q 2>"$CASE_TMP/err.$i"; echo $? >"$CASE_TMP/rc.$i") & done
wait
run sh -c "cat $CASE_TMP/rc.1 $CASE_TMP/rc.2 | sort | xargs"
run sh -c "cat $CASE_TMP/err.1 $CASE_TMP/err.2"
run sh -c 'for h in 1 2; do eval u=\$LAB_H${h}_URI; virsh -c "$u" list --name; done | grep -c one'
for v in a b c d e; do rhv-vm create $v --cluster lab --memory 64M --vcpus 1 -q; done
for v in a b c d e; do (rhv-vm start $v -q 2>/dev/null; echo $? >"$CASE_TMP/s.$v") & done
wait
# 128 MiB per host: one already holds 'one', so exactly 3 of the 5 fit
run sh -c "cat $CASE_TMP/s.? | sort | uniq -c | awk '{print \$2\": \"\$1}'"
run rhv-host list -c name,vms,memory_committed,memory_limit
# outgoing migrations per host are limited (MigrationMaxOutgoing, and never
# more than the host's cores): with one already in flight and a limit of 1,
# the next is refused
rhv-db set MigrationMaxOutgoing 1 -q
src=$(rhv-vm show one -o tsv -H -c host)
other=$(rhv-vm list --host "$src" --state Up -o tsv -H -c name | grep -vx one | head -1)
sql "UPDATE vms SET state = 'MigratingFrom', migrating_to = (SELECT id FROM hosts WHERE name <> '$src' LIMIT 1) WHERE name = '$other'"
run sh -c "rhv-vm migrate one 2>&1 | sed 's/host .h[12]. already/host already/'"
sql "UPDATE vms SET state = 'Up', migrating_to = NULL WHERE name = '$other'"
rhv-db reset MigrationMaxOutgoing -q
# four monitoring passes at once: each host is worked on by one of them
for i in 1 2 3 4; do (rhv-host monitor -q; echo $? >"$CASE_TMP/m.$i") & done
wait
run sh -c "cat $CASE_TMP/m.? | xargs"
run sh -c "rhv-vm list -o tsv -H -c state | sort | uniq -c"
run sql "SELECT count(*) FROM events WHERE severity <> 'NORMAL'"
