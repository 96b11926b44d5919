# needs: lab
# HA VMs that cannot start at once after their host is confirmed down: each
# attempt is an event, later monitoring passes try again every HaRetrySeconds,
# a VM that fits once a host comes back starts then, and one that never fits
# is given up after HaMaxTries with an ERROR event. A VM stopped by an admin
# is not restarted; one whose guest crashed on a live host is.
rhv-dc create D -q
rhv-cluster create C --dc D --fencing-startup-grace 0 -q
for h in h1 h2 h3; do
	uri_var="LAB_${h^^}_URI"
	rhv-host add $h --cluster C --uri "${!uri_var}" --emulated -q
done
for s in HostGraceSeconds=1 HostGracePerVmMillis=0 HostGraceSpmSeconds=0 HostTimeoutSeconds=3 \
	HaRetrySeconds=0 HaMaxTries=3; do
	rhv-db set "${s%=*}" "${s#*=}" -q
done
# how long a VM waited depends on the machine's speed
runm() { run "$@" | sed -E 's/waiting [0-9]+ s/waiting <n> s/'; }
rhv-vm create web --cluster C --memory 64M --vcpus 1 --ha -q
rhv-vm create huge --cluster C --memory 64M --vcpus 1 --ha --ha-priority high -q
rhv-vm start web --host h1 -q
rhv-vm start huge --host h1 -q
# once it runs, huge grows beyond what any host has: it can never start again
rhv-vm edit huge --memory 1T -q 2>/dev/null || sql "UPDATE vms SET memory = 1099511627776 WHERE name = 'huge'"
rhv-host maintenance h2 -q
rhv-host maintenance h3 -q
"$TESTS_LAB" host-down h1 --dir "$LAB_DIR" -q
for _ in $(seq 30); do
	rhv-host monitor -q >/dev/null 2>&1
	[ "$(sql "SELECT state FROM hosts WHERE name = 'h1'")" = NonResponsive ] && break
	sleep 0.5
done
run rhv-host list -c name,state
run rhv-host confirm-down h1
run rhv-vm list -c name,state,ha_tries
run rhv-host activate h2
run rhv-host monitor -q
run rhv-vm list -c name,state,ha_tries
run rhv-host monitor -q
run rhv-vm list -c name,state,ha_tries,ha_pending_since,ha_last_error
runm sh -c "rhv-event list --object vm:huge -c severity,action,message | grep ha-"
runm sh -c "rhv-event list --object vm:web -c severity,action,message | grep ha-"
echo "--- an admin's stop is not undone; a crash is"
run rhv-vm stop web
run rhv-host monitor -q
run rhv-vm list -c name,state
rhv-vm start web --host h2 -q
run "$TESTS_LAB" guest-kill h2 web --dir "$LAB_DIR" -q
run rhv-host monitor -q
run rhv-vm list -c name,state,host
runm sh -c "rhv-event list --object vm:web -c severity,action,message | grep -E 'ha-|Down'"
"$TESTS_LAB" host-up h1 --dir "$LAB_DIR" -q
