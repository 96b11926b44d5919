# needs: lab
# Power actions whose agents run on a real proxy host, over the lab's sshd
# (reference 4.2): h1's agent (fence_ipmilan against its ipmi_sim BMC) runs
# on h2 (same cluster) or h3 (same data center, another cluster), never on
# this machine (proxies cluster,dc, no local).  The plan names the proxy and
# the ssh command; status, stop, start and restart through h2; h2's sshd
# stopped: h3 takes over, an event says so; no proxy reachable: exit 5; a
# proxy in Maintenance serves, a Down or NonResponsive one does not; a wrong
# password through the proxy changes nothing.  A /proc scanner runs through
# it all and must never see the BMC password (it travels on ssh's stdin).
pw="$LAB_DIR/bmc-password"
declare -A bmc sshp
rhv-dc create D -q
rhv-cluster create C --dc D -q
rhv-cluster create C2 --dc D -q
while IFS=$'\t' read -r name uri _ port _ _ _ _ _ _ sport suser skey skh _; do
	[ "$name" = name ] && continue
	bmc[$name]=$port
	sshp[$name]=$sport
	cl=C
	[ "$name" = h3 ] && cl=C2
	rhv-host add "$name" --cluster "$cl" --uri "$uri" --emulated -q
	rhv-fence setup "$name" --ssh-address 127.0.0.1 --ssh-port "$sport" --ssh-user "$suser" --ssh-key "$skey" \
		--ssh-known-hosts "$skh" -q
done < <("$TESTS_LAB" status --dir "$LAB_DIR" -o tsv)
dead=$((sshp[h3] + 40)) # nothing listens there
# the BMC and SSH ports change from run to run
maskp() {
	sed -e "s/\b${bmc[h1]}\b/<bmc-h1>/g" -e "s/\b${sshp[h1]}\b/<ssh-h1>/g" -e "s/\b${sshp[h2]}\b/<ssh-h2>/g" \
		-e "s/\b${sshp[h3]}\b/<ssh-h3>/g" -e "s/\b$dead\b/<dead>/g"
}
runf() { run "$@" | maskp; }
cols=proxy,agent,device,operation,result,message
lab_power() { "$TESTS_LAB" status --dir "$LAB_DIR" -o tsv | awk -v h="$1" '$1 == h { print $9 }'; }
sshd_pid() { cat "$LAB_DIR/$1/ssh/sshd.pid"; }
listens() { [ -n "$(ss -Htln "sport = :$1")" ]; }
closed() { ! listens "$1"; }
stop_sshd() {
	kill "$(sshd_pid "$1")"
	wait_for 60 closed "${sshp[$1]}" || echo "the sshd of $1 still listens"
	echo "-- the sshd of $1 is stopped"
}
start_sshd() {
	"$TESTS_LAB" host-up "$1" --dir "$LAB_DIR" -q || echo "lab host-up $1 failed"
	listens "${sshp[$1]}" || echo "the sshd of $1 does not listen"
	echo "-- the sshd of $1 is back"
}
# states H=STATE...: set hosts' states in the store (no monitor runs here)
states() {
	local a
	for a in "$@"; do
		sql "UPDATE hosts SET state = '${a#*=}' WHERE name = '${a%%=*}'"
	done
	echo "-- states: $*"
}

proc_scan_start "$pw"

rhv-db set FenceStopStatusDelayMillis 200 -q
runf rhv-fence agent-add h1 --type ipmilan --address 127.0.0.1 --port "${bmc[h1]}" --user admin --password-file "$pw" \
	--options lanplus=1,cipher=3,power_wait=0
run rhv-fence setup h1 --enable --proxies cluster,dc
runf rhv-fence list -c host,cluster,state,pm_enabled,proxies,ssh_address,ssh_port,ssh_user,ssh_key,ssh_known_hosts

# the plan: h2 first (cluster), the agent through ssh, the password on its standard input
runf rhv-fence status h1 --dry-run -c proxy,agent,operation,command,input

# through h2
runf rhv-fence status h1 -c $cols
runf rhv-fence status h1 -c proxy,agent,operation,result -o json
run rhv-host maintenance h1
runf rhv-fence restart h1 --dry-run -c proxy,agent,operation,command -o json
runf rhv-fence stop h1 -c $cols
echo "lab says h1 is: $(lab_power h1)"
runf rhv-fence status h1 -c $cols
runf rhv-fence start h1 -c $cols
echo "lab says h1 is: $(lab_power h1)"
runf rhv-fence restart h1 -c proxy,agent,operation,result -o json
echo "lab says h1 is: $(lab_power h1)"
runf rhv-fence test h1 -c $cols

# h2's sshd stopped: h3, of the data center, takes over
stop_sshd h2
runf rhv-fence status h1 -c $cols
runf rhv-fence restart h1 -c $cols
echo "lab says h1 is: $(lab_power h1)"

# no proxy reachable (h2's sshd down, h3's port dead) and no local: exit 5, nothing done
runf rhv-fence setup h3 --ssh-port "$dead"
runf rhv-fence stop h1 -c $cols
echo "lab says h1 is: $(lab_power h1)"
runf rhv-fence test h1 -c $cols
runf rhv-fence setup h3 --ssh-port "${sshp[h3]}"
start_sshd h2

# a proxy in Maintenance serves; Down and NonResponsive ones are never asked
states h2=Maintenance h3=NonResponsive
runf rhv-fence status h1 --dry-run -c proxy,agent,operation
runf rhv-fence status h1 -c $cols
states h2=NonResponsive h3=Up
runf rhv-fence status h1 -c $cols
states h2=Down h3=NonResponsive
runf rhv-fence status h1 --dry-run -c proxy,agent,operation
runf rhv-fence status h1 -c $cols
states h2=Up h3=Up

# a wrong password through the proxy: a clear error, a fence-failed event, no power change
printf 'not-the-password\n' >wrong
run rhv-fence agent-edit h1 1 --password-file wrong
runf rhv-fence stop h1 -c $cols
echo "lab says h1 is: $(lab_power h1)"
runf rhv-fence agent-edit h1 1 --password-file "$pw"

wait_for 60 rhv-host activate h1 -q || echo "h1 did not come back"
run rhv-host list -c name,cluster,state
runf rhv-event list --object host:h1 -c severity,action,message
proc_scan_report
echo "lab power at the end: $(for h in h1 h2 h3; do printf '%s=%s ' "$h" "$(lab_power "$h")"; done)"
