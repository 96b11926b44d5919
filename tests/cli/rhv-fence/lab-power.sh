# needs: lab
# Power actions on the lab's simulated BMCs (ipmi_sim, fence_ipmilan through
# rhv-ipmitool), the agents run on this machine (proxy local, after two hosts
# that cannot be reached): status, stop, start, restart, a wrong password, a
# dead BMC, two agents concurrent and sequential with one failing, one action
# per host at a time, a NonResponsive host confirmed down.  A /proc scanner
# runs through it all and must never see the BMC password.
pw="$LAB_DIR/bmc-password"
declare -A bmc
rhv-dc create D -q
rhv-cluster create C --dc D -q
while IFS=$'\t' read -r name uri _ port _; do
	[ "$name" = name ] && continue
	bmc[$name]=$port
	rhv-host add "$name" --cluster C --uri "$uri" --emulated -q
done < <("$TESTS_LAB" status --dir "$LAB_DIR" -o tsv)
dead=$((bmc[h1] + 90)) # nothing listens there
# the BMC ports change from run to run
runf() { run "$@" | sed -e "s/\b${bmc[h1]}\b/<bmc-h1>/g" -e "s/\b$dead\b/<dead>/g"; }
cols=proxy,agent,device,operation,result,message
lock_held() { [ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" -gt 0 ]; }
lab_power() { "$TESTS_LAB" status --dir "$LAB_DIR" -o tsv | awk -v h="$1" '$1 == h { print $9 }'; }

proc_scan_start "$pw"

rhv-db set FenceStopStatusDelayMillis 200 -q
runf rhv-fence agent-add h1 --type ipmilan --address 127.0.0.1 --port "${bmc[h1]}" --user admin --password-file "$pw" \
	--options lanplus=1,cipher=3,power_wait=0
run rhv-fence setup h1 --enable --proxies cluster,dc,local
runf rhv-fence status h1 -c $cols
run rhv-fence setup h1 --proxies local
runf rhv-fence status h1 -c $cols -o json
runf rhv-fence stop h1 -c $cols
run rhv-host maintenance h1
runf rhv-fence stop h1 -c $cols
echo "lab says h1 is: $(lab_power h1)"
runf rhv-fence status h1 -c $cols
runf rhv-fence start h1 -c $cols
runf rhv-fence restart h1 -c $cols
echo "lab says h1 is: $(lab_power h1)"

# a wrong password: a clear error, a fence-failed event, no power change
printf 'not-the-password\n' >wrong
run rhv-fence agent-edit h1 1 --password-file wrong
runf rhv-fence stop h1 -c $cols
runf rhv-fence agent-edit h1 1 --password-file "$pw"
echo "lab says h1 is: $(lab_power h1)"

# a dead BMC fails within its power_timeout
runf rhv-fence agent-add h1 --type ipmilan --address 127.0.0.1 --port "$dead" --user admin --password-file "$pw" \
	--options lanplus=1,cipher=3,power_wait=0,power_timeout=2,shell_timeout=1 --concurrent
runf rhv-fence agent-list h1 -c idx,order,port,password_set
start=$SECONDS
runf rhv-fence test h1 -c $cols
echo "test took less than 20 s: $([ $((SECONDS - start)) -lt 20 ] && echo yes || echo no)"

# concurrent (one order): stop needs both, so it fails although agent 1 powered off
runf rhv-fence stop h1 -c $cols
echo "lab says h1 is: $(lab_power h1)"
# status: off and failed is unknown; start: one suffices
runf rhv-fence status h1 -c $cols
runf rhv-fence start h1 -c $cols

# sequential: the dead agent first (order 1), agent 1 after it (order 2)
run rhv-fence agent-edit h1 1 --order 2 --concurrent no
rhv-fence stop h1 -c $cols >seq.out 2>&1 &
stopper=$!
wait_for 60 lock_held || echo "the stop never took its lock"
run rhv-fence start h1
wait $stopper
echo "the sequential stop exited $?"
sed -e "s/\b${bmc[h1]}\b/<bmc-h1>/g" -e "s/\b$dead\b/<dead>/g" seq.out
run rhv-fence agent-remove h1 2
runf rhv-fence start h1 -c $cols

# a NonResponsive host confirmed off: its VMs (none here) are marked Down
sql "UPDATE hosts SET state = 'NonResponsive' WHERE name = 'h1'"
runf rhv-fence stop h1 -c $cols
runf rhv-fence start h1 -c $cols
wait_for 60 rhv-host activate h1 -q || echo "h1 did not come back"
run rhv-host list -c name,state

runf rhv-event list --object host:h1 -c severity,action,message
proc_scan_report
echo "lab power at the end: $(for h in h1 h2 h3; do printf '%s=%s ' "$h" "$(lab_power "$h")"; done)"
