# needs: lab
# What the monitor does, and does not do, about hosts that stop answering:
# - a hung management daemon (SIGSTOP) is brought back by a soft fence over
#   SSH, without any power action, and its guest keeps running;
# - a wrong BMC password: the fence fails with a clear error, the host stays
#   NonResponsive and its HA VM is not restarted elsewhere (it may still run);
#   with the password mended the next attempt fences it and the VM runs again;
# - two hosts of three unreachable at once: nothing is fenced, events say why.
pw="$LAB_DIR/bmc-password"
declare -A bmc
rhv-dc create D -q
rhv-cluster create C --dc D --fencing-startup-grace 0 -q
while IFS=$'\t' read -r name uri _ port _ _ _ _ _ _ sport user key known soft _; do
	[ "$name" = name ] && continue
	bmc[$name]=$port
	rhv-host add "$name" --cluster C --uri "$uri" --emulated -q
	rhv-fence setup "$name" --ssh-address 127.0.0.1 --ssh-port "$sport" --ssh-user "$user" --ssh-key "$key" \
		--ssh-known-hosts "$known" --soft-fence-command "$soft" -q
	rhv-fence agent-add "$name" --type ipmilan --address 127.0.0.1 --port "$port" --user admin --password-file "$pw" \
		--options lanplus=1,cipher=3,power_wait=0 -q
	rhv-fence setup "$name" --enable --proxies cluster,dc,local -q
done < <("$TESTS_LAB" status --dir "$LAB_DIR" -o tsv)
for s in HostGraceSeconds=2 HostGracePerVmMillis=0 HostGraceSpmSeconds=0 HostTimeoutSeconds=3 \
	FenceNonResponsiveWaitSeconds=1 FenceStopStatusDelayMillis=200 SoftFenceTimeoutSeconds=20 HaRetrySeconds=1 \
	FenceQuietSeconds=0; do
	rhv-db set "${s%=*}" "${s#*=}" -q
done
rhv-vm create web --cluster C --memory 64M --vcpus 1 --ha -q
proc_scan_start "$pw"
lab_power() { "$TESTS_LAB" status --dir "$LAB_DIR" -o tsv | awk -v h="$1" '$1 == h { print $9 }'; }
bmc_actions() { grep -c ' set ' "$LAB_DIR/$1/bmc/power.log" 2>/dev/null || true; }
# passes until cond holds (at most 60), the output of each pass dropped
passes_until() {
	for _ in $(seq 60); do
		rhv-host monitor -q >/dev/null 2>&1
		eval "$1" && return 0
		sleep 0.5
	done
	echo "never: $1"
}
state() { sql "SELECT state FROM hosts WHERE name = '$1'"; }
mask() { sed -E -e 's/(for|after|in) [0-9.]+ s/\1 <n> s/g' -e 's/port [0-9]+/port <ssh>/g' -e "s/\\b(${bmc[h1]}|${bmc[h2]}|${bmc[h3]})\\b/<bmc>/g"; }
mark() { sql "SELECT max(id) FROM events"; }
events_since() { sql "SELECT severity || ' ' || action || ' ' || message FROM events WHERE id > $1 AND object_type = 'host' ORDER BY id" | mask; }

echo "--- a hung daemon"
rhv-vm start web --host h1 -q
m=$(mark)
before=$(bmc_actions h1)
run "$TESTS_LAB" host-hang h1 --dir "$LAB_DIR" -q
passes_until '[ "$(state h1)" = Up ] && [ -n "$(sql "SELECT 1 FROM events WHERE id > $m AND action = '"'soft-fence'"' AND message LIKE '"'%restarted%'"'")" ]'
events_since "$m"
echo "power actions on h1's BMC: $(($(bmc_actions h1) - before)); lab says h1 is: $(lab_power h1)"
run rhv-vm list -c name,state,host

echo "--- a wrong BMC password"
printf 'not-the-password\n' >"$CASE_TMP/wrong"
rhv-fence agent-edit h1 1 --password-file "$CASE_TMP/wrong" -q
m=$(mark)
run "$(dirname "$TESTS_LAB")/bmc-power" "$LAB_DIR" h1 set power 0
passes_until '[ -n "$(sql "SELECT 1 FROM events WHERE id > $m AND action = '"'fence-failed'"'")" ]'
rhv-host monitor -q >/dev/null 2>&1
# a second attempt, on a slow machine, tells the same
events_since "$m" | awk '!seen[$0]++'
run rhv-host list -c name,state
run rhv-vm list -c name,state,ha_pending_since
echo "--- the password mended: the next attempt fences h1 and web runs again"
rhv-fence agent-edit h1 1 --password-file "$pw" -q
passes_until '[ "$(sql "SELECT state FROM vms WHERE name = '"'web'"'")" = Up ] && [ "$(state h1)" = Up ]'
run rhv-vm list -c name,state
echo "web runs on h1: $(virsh -c "$LAB_H1_URI" list --name | grep -cx web)"
rhv-vm stop web -q

echo "--- two of three hosts unreachable"
m=$(mark)
run "$(dirname "$TESTS_LAB")/bmc-power" "$LAB_DIR" h1 set power 0
run "$TESTS_LAB" host-down h2 --dir "$LAB_DIR" -q
passes_until '[ -n "$(sql "SELECT 1 FROM events WHERE id > $m AND action = '"'fence-skipped'"'")" ]'
rhv-host monitor -q >/dev/null 2>&1
run rhv-host list -c name,state
events_since "$m" | grep -E 'NonResponsive|fence' | sort | uniq
echo "lab says h1 is: $(lab_power h1)"
"$(dirname "$TESTS_LAB")/bmc-power" "$LAB_DIR" h1 set power 1 >/dev/null
"$TESTS_LAB" host-up h2 --dir "$LAB_DIR" -q
passes_until '[ "$(state h1)" = Up ] && [ "$(state h2)" = Up ]'
run rhv-host list -c name,state
proc_scan_report
