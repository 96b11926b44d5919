# needs: lab
# A host of three loses its power (its BMC's button, not rhv): the monitor
# counts its failed checks, tries a soft fence over SSH (which cannot reach a
# host without power), declares it NonResponsive, fences it through a proxy
# host over SSH, and starts its highly available VMs on the other hosts,
# highest priority first; its other VM is Down. Every host's libvirt is asked:
# each HA VM runs exactly once; the SPM role h1 held moves to another host
# only once h1 is confirmed off. The second round has two monitors racing.
# The /proc scanner must never see the BMC password.
pw="$LAB_DIR/bmc-password"
declare -A bmc sshp
rhv-dc create D -q
rhv-cluster create C --dc D -q
while IFS=$'\t' read -r name uri _ port _ _ _ _ _ _ sport user key known soft _; do
	[ "$name" = name ] && continue
	bmc[$name]=$port
	sshp[$name]=$sport
	rhv-host add "$name" --cluster C --uri "$uri" --emulated -q
	rhv-fence setup "$name" --ssh-address 127.0.0.1 --ssh-port "$sport" --ssh-user "$user" --ssh-key "$key" \
		--ssh-known-hosts "$known" --soft-fence-command "$soft" -q
done < <("$TESTS_LAB" status --dir "$LAB_DIR" -o tsv)
rhv-cluster edit C --fencing-startup-grace 0 -q
for s in HostGraceSeconds=2 HostGracePerVmMillis=0 HostGraceSpmSeconds=0 HostTimeoutSeconds=3 \
	FenceNonResponsiveWaitSeconds=1 FenceStopStatusDelayMillis=200 SoftFenceTimeoutSeconds=10 HaRetrySeconds=1; do
	rhv-db set "${s%=*}" "${s#*=}" -q
done
# h1 is the SPM of the data center's storage: the role moves only after h1 is confirmed off
lab_spm_timing
rhv-sd spm-set-priority h1 --priority 8 -q
S="$LAB_DIR/shared/ha"
install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S"
rhv-sd create data --kind nfs --path "$S" --dc D -q
run rhv-sd spm-status D -c spm,master,state
rhv-fence agent-add h1 --type ipmilan --address 127.0.0.1 --port "${bmc[h1]}" --user admin --password-file "$pw" \
	--options lanplus=1,cipher=3,power_wait=0 -q
run rhv-fence setup h1 --enable --proxies cluster,dc
rhv-vm create web --cluster C --memory 64M --vcpus 1 --ha -q
rhv-vm create db --cluster C --memory 64M --vcpus 1 --ha --ha-priority high -q
rhv-vm create scratch --cluster C --memory 64M --vcpus 1 -q

proc_scan_start "$pw"

lab_power() { "$TESTS_LAB" status --dir "$LAB_DIR" -o tsv | awk -v h="$1" '$1 == h { print $9 }'; }
# where libvirt runs each VM: every host asked
where() {
	local h uri
	for h in h1 h2 h3; do
		uri=$("$TESTS_LAB" status --dir "$LAB_DIR" -o tsv | awk -v h="$h" '$1 == h { print $2 }')
		virsh -c "$uri" list --name 2>/dev/null | sed "/^$/d; s/\$/ on $h/"
	done | sort
}
ha_running() { [ "$(sql "SELECT count(*) FROM vms WHERE ha AND state = 'Up'")" = 2 ]; }
host_up() { [ "$(sql "SELECT state FROM hosts WHERE name = '$1'")" = Up ]; }

# monitors: N of them, each pass after the other, until the HA VMs run and h1 is Up again (at most 120 passes)
monitors() {
	local n=$1 i pids=()
	for ((i = 0; i < n; i++)); do
		(for _ in $(seq 120); do
			rhv-host monitor -q >/dev/null 2>&1
			ha_running && host_up h1 && break
			sleep 0.5
		done) &
		pids+=($!)
	done
	wait "${pids[@]}"
}

round() {
	echo "--- round $1: $2 monitor(s)"
	for v in web db scratch; do rhv-vm start $v --host h1 -q; done
	rhv-host monitor -q
	run "$(dirname "$TESTS_LAB")/bmc-power" "$LAB_DIR" h1 set power 0
	echo "lab says h1 is: $(lab_power h1)"
	monitors "$2"
	echo "lab says h1 is: $(lab_power h1)"
	run rhv-host list -c name,state
	run rhv-vm list -c name,ha,state
	echo "libvirt runs:"
	where | sed 's/ on h[23]$/ on another host/'
	echo "HA VMs on h1 in libvirt: $(where | grep -c ' on h1$')"
	echo "the SPM is: $(rhv-sd spm-status D -c spm -o tsv | awk 'NR == 2 { print ($1 == "h1" ? "h1" : $1 == "" ? "none" : "another host") }')"
	echo "starts of each HA VM in this round:"
	sql "SELECT object_name, count(*) FROM events WHERE action = 'ha-restart' AND id > $3
	     GROUP BY 1 ORDER BY 1"
	echo "what happened to h1:"
	sql "SELECT severity, action FROM events WHERE object_name = 'h1' AND id > $3 ORDER BY id"
	# back to the start: the HA VMs stop, h1 takes them again next round
	for v in web db; do rhv-vm stop $v -q; done
}

mark=$(sql "SELECT max(id) FROM events")
round 1 1 "$mark"
echo "HA restarts in order (priority first):"
sql "SELECT object_name FROM events WHERE action = 'ha-restart' ORDER BY id"
# the BMC port and the seconds change from run to run
run sh -c "rhv-event list --object host:h1 -c severity,action,message | grep -E 'confirm|fence-(stop|start)|Reboot'" |
	sed -E -e "s/\b${bmc[h1]}\b/<bmc-h1>/g" -e 's/for [0-9]+ s/for <n> s/g'
mark=$(sql "SELECT max(id) FROM events")
round 2 2 "$mark"

proc_scan_report
