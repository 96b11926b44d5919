# Plans on saved snapshots, no store needed: every policy, what-ifs,
# malformed files named by line and reason, HA reservation.
d="$(dirname "${BASH_SOURCE[0]}")/data"
cd "$d" || exit 1
run rhv-balance plan --from vm-count.json
run rhv-balance plan --from vm-count.json --max-moves 0
run rhv-balance plan --from vm-count.json --max-moves 0 --param MigrationThreshold=4
run rhv-balance plan --from vm-count.json --policy none --max-moves 0
run rhv-balance plan --from vm-count.json --max-moves 0 -o json -c step,vm,from,to
run rhv-balance plan --from cpu.json --max-moves 0 -c step,kind,vm,from,to,trigger,reason
run rhv-balance plan --from power.json --max-moves 0 -c step,kind,vm,from,to,trigger
run rhv-balance plan --from power.json --max-moves 0 --param EnableAutomaticHostPowerManagement=false -c step,kind,vm,from,to
run rhv-balance plan --from power.json --param HighUtilization=40 --param LowUtilization=45
run rhv-balance plan --from broken.json
run rhv-balance plan --from bad-vm.json
run rhv-balance plan --from nowhere.json
run rhv-balance plan --from vm-count.json --max-moves -1
run rhv-balance plan --from vm-count.json --policy greedy
run rhv-balance ha-check --from ha.json
run rhv-balance ha-check --from vm-count.json -o json
# a file with a state or a figure the planner cannot trust is refused
sed 's/"state": "Maintenance"/"state": "Sleeping"/' cpu.json >"$CASE_TMP/state.json"
run rhv-balance plan --from "$CASE_TMP/state.json"
sed 's/\[88, 91, 90\]/[88, 191, 90]/' cpu.json >"$CASE_TMP/history.json"
run rhv-balance plan --from "$CASE_TMP/history.json"
sed 's/"name": "b"/"name": "a"/' vm-count.json >"$CASE_TMP/twice.json"
run rhv-balance plan --from "$CASE_TMP/twice.json"
# explain's columns are a contract for scripts: keys, order, types
run rhv-balance explain --list-columns -o tsv -H
