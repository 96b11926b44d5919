# needs: lab
# A skewed cluster becomes balanced by repeated runs with real migrations;
# two runs at once take turns; HA reservation before and after a large HA VM;
# a saved snapshot plans as the store does.
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
for h in 1 2 3; do u=LAB_H${h}_URI; rhv-host add h$h --cluster lab --uri "${!u}" --emulated --memory-limit 768M -q; done
rhv-cluster policy lab --policy vm_evenly_distributed --param HighVmCount=3 --param MigrationThreshold=2 --param SpmVmGrace=0 -q
for i in 1 2 3 4 5 6; do rhv-vm create v$i --cluster lab --memory 64M --vcpus 1 -q; rhv-vm start v$i --host h1 -q; done
guests() { for h in 1 2 3; do u=LAB_H${h}_URI; echo "h$h: $(virsh -c "${!u}" list --name | sort | xargs)"; done; }
run rhv-balance plan --max-moves 0 -c step,vm,from,to
run rhv-balance save --cluster lab "$CASE_TMP/lab.json"
run rhv-balance plan --from "$CASE_TMP/lab.json" --max-moves 0 -c step,vm,from,to
run rhv-balance explain v1
run rhv-balance explain v1 --policy none
run rhv-balance explain v1 -o json -c host,eligible,chosen,weight,current,move,verdict
run rhv-balance explain v1 -o tsv -c +vm,current,move -H
run rhv-balance explain v1 -c host,current,move,weight
run rhv-balance explain nosuchvm
run rhv-balance run --dry-run -c step,vm,from,to,result
run guests
# two runs at once: one balances, the other finds the cluster held and skips it
(rhv-balance run -c vm,result -H >"$CASE_TMP/r1" 2>"$CASE_TMP/e1"; echo $? >"$CASE_TMP/x1") &
(rhv-balance run -c vm,result -H >"$CASE_TMP/r2" 2>"$CASE_TMP/e2"; echo $? >"$CASE_TMP/x2") &
wait
# whichever way they interleaved: both succeed, no VM moves twice, at least one moves
run sh -c "cat $CASE_TMP/x1 $CASE_TMP/x2 | xargs"
run sh -c "cat $CASE_TMP/r1 $CASE_TMP/r2 | awk '{print \$1}' | sort | uniq -d | wc -l"
run sh -c "cat $CASE_TMP/r1 $CASE_TMP/r2 | grep -c migrated | awk '{print (\$1 >= 1)}'"
# the cool-down keeps a VM that just moved where it is; without it the runs go on
for i in 1 2 3 4; do rhv-balance run --cooldown 0 -q >/dev/null; done
run rhv-balance plan --max-moves 0
run rhv-balance explain v4
run sh -c 'rhv-host list -c name,vms -H'
run guests
run sh -c 'for h in h1 h2 h3; do rhv-vm list --host $h -o tsv -H -c name | sort | xargs echo $h:; done'
run sh -c "rhv-event list --object cluster:lab -c action,message | grep balance | head -3"
# HA reservation: fine, then a large HA VM that no other host could take
run rhv-balance ha-check
rhv-vm create big --cluster lab --memory 704M --vcpus 1 --ha -q
run rhv-vm start big --host h3
run rhv-balance ha-check -c cluster,at_risk,worst_host,ha_vms,unplaceable
run sh -c "rhv-event list --severity ALERT -c severity,object,message"
for v in $(rhv-vm list --state Up -o tsv -H -c name); do rhv-vm stop "$v" -q; done
