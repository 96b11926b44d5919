# needs: lab
# power_saving's power actions carried out by rhv-balance run through power
# management (the lab's simulated BMCs): an idle host goes to Maintenance,
# is powered off and is Down "powered off for power saving"; when VMs fill
# the other hosts the policy powers it on and it is Up again.  Refusals: the
# SPM and a host without power management are never powered off.  Failures:
# a fence stop that fails leaves the host Up; a host that never answers after
# power on stays Down and the step fails.
pw="$LAB_DIR/bmc-password"
declare -A bmc uri
rhv-dc create D -q
rhv-cluster create C --dc D -q
while IFS=$'\t' read -r name u _ port _; do
	[ "$name" = name ] && continue
	bmc[$name]=$port
	uri[$name]=$u
	rhv-host add "$name" --cluster C --uri "$u" --emulated --memory-limit 768M -q
done < <("$TESTS_LAB" status --dir "$LAB_DIR" -o tsv)
# the BMC ports change from run to run
runf() { run "$@" | sed -e "s/\b${bmc[h3]}\b/<bmc-h3>/g"; }
lab_power() { "$TESTS_LAB" status --dir "$LAB_DIR" -o tsv | awk -v h="$1" '$1 == h { print $9 }'; }
hosts() { run rhv-host list -c name,state,reason,vms; }
cols=step,kind,vm,from,to,result

rhv-db set FenceStopStatusDelayMillis 200 -q
for h in h1 h3; do
	rhv-fence agent-add $h --type ipmilan --address 127.0.0.1 --port "${bmc[$h]}" --user admin --password-file "$pw" \
		--options lanplus=1,cipher=3,power_wait=0 -q
	rhv-fence setup $h --enable --proxies local -q
done
# h1 is the SPM (with power management), h2 has no power management, h3 has it
sql "UPDATE hosts SET is_spm = true WHERE name = 'h1'"
run rhv-cluster policy C --policy power_saving --param EnableAutomaticHostPowerManagement=true --param HostsInReserve=1

# three empty hosts, one kept in reserve: only h3 may be powered off
run rhv-balance plan --max-moves 0 -c step,kind,from,trigger,reason
runf rhv-balance run --dry-run -c $cols
hosts
runf rhv-balance run -c $cols
hosts
runf rhv-fence status h3 -c operation,result
echo "lab says h3 is: $(lab_power h3)"
sql "SELECT name, power_saving_off FROM hosts ORDER BY name"
# the SPM and a host without power management stay on, even with no reserve
run rhv-balance plan --max-moves 0 -c step,kind,from,trigger
run rhv-balance plan --max-moves 0 --param HostsInReserve=0 -c step,kind,from,trigger
runf rhv-balance run -c $cols

# VMs on h1 and h2: no empty host left, the reserve asks for h3
for i in 1 2; do rhv-vm create v$i --cluster C --memory 64M --vcpus 1 -q; rhv-vm start v$i --host h$i -q; done
run rhv-balance plan --max-moves 0 -c step,kind,vm,from,to,trigger,reason
runf rhv-balance run -c $cols
hosts
echo "lab says h3 is: $(lab_power h3)"
sql "SELECT name, power_saving_off FROM hosts ORDER BY name"

# a fence stop that fails: h3 goes back Up, the step fails (exit 6)
rhv-vm stop v2 -q
printf 'not-the-password\n' >wrong
rhv-fence agent-edit h3 1 --password-file wrong -q
runf rhv-balance run -c $cols
hosts
echo "lab says h3 is: $(lab_power h3)"
rhv-fence agent-edit h3 1 --password-file "$pw" -q
runf rhv-balance run -c $cols
echo "lab says h3 is: $(lab_power h3)"

# powered on, but its daemon never answers at its address: it stays Down, the step fails
rhv-db set HostPowerOnTimeoutSeconds 2 -q
sql "UPDATE hosts SET uri = 'qemu+unix:///session?socket=$CASE_TMP/nothing-here' WHERE name = 'h3'"
rhv-vm start v2 --host h2 -q
runf rhv-balance run -c $cols
hosts
echo "lab says h3 is: $(lab_power h3)"
# its address right again: the next run powers it on (it is on already) and it is Up
sql "UPDATE hosts SET uri = '${uri[h3]}' WHERE name = 'h3'"
runf rhv-balance run -c $cols
hosts
sql "SELECT name, power_saving_off FROM hosts ORDER BY name"

runf rhv-event list --object host:h3 -c severity,action,message
run sh -c "rhv-event list --object cluster:C -c action,message | grep balance"
for v in v1 v2; do rhv-vm stop $v -q; done
echo "lab power at the end: $(for h in h1 h2 h3; do printf '%s=%s ' "$h" "$(lab_power "$h")"; done)"
