#!/bin/bash
# Two admins and a cron job at once: parallel invocations of the real
# binaries against one store, then invariants on what it holds (TAP).
set -uo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
sql() { psql "$RHV_DB" -XAtq -c "$1"; }
# run_parallel N CMD...: N copies at once; exit codes land in $tmp/rc.*
run_parallel() {
	local count=$1 i
	shift
	rm -f "$tmp"/rc.*
	for i in $(seq "$count"); do
		("$@" -q >/dev/null 2>"$tmp/err.$i"; echo $? >"$tmp/rc.$i") &
	done
	wait
}
codes() { cat "$tmp"/rc.* | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }'; }

# 16 creates of one name: exactly one wins, the others are told it exists
run_parallel 16 rhv-dc create Same
ok "$([ "$(grep -lx 0 "$tmp"/rc.* | wc -l)" -eq 1 ] && [ "$(grep -lx 4 "$tmp"/rc.* | wc -l)" -eq 15 ]; echo $?)" \
	"16 parallel creates of one name: one exit 0, fifteen exit 4 ($(codes))"
ok "$([ "$(sql "SELECT count(*) FROM data_centers WHERE name = 'Same'")" = 1 ]; echo $?)" \
	"16 parallel creates of one name: exactly one row"
ok "$([ "$(sql "SELECT count(*) FROM events WHERE object_name = 'Same' AND action = 'create'")" = 1 ]; echo $?)" \
	"16 parallel creates of one name: exactly one audit event"
grep -h 'already exists' "$tmp"/err.* | sort -u | grep -qx "rhv-dc: error: data center 'Same' already exists"
ok $? "the losers say why, in one line"

# 16 creates of different names: all win
for i in $(seq 16); do (rhv-dc create "dc$i" -q; echo $? >"$tmp/d.$i") & done
wait
ok "$([ "$(cat "$tmp"/d.* | grep -cx 0)" -eq 16 ] && [ "$(sql "SELECT count(*) FROM data_centers WHERE name LIKE 'dc%'")" = 16 ]; echo $?)" \
	"16 parallel creates of different names: sixteen rows"

# parallel edits of different parameters of one cluster: none is lost
rhv-cluster create c1 --dc Same --cpu-type nehalem -q
rhv-cluster policy c1 --policy power_saving -q
params=(HighUtilization=70 LowUtilization=30 CpuOverCommitDurationMinutes=5 HostsInReserve=2
	EnableAutomaticHostPowerManagement=true MaxFreeMemoryForOverUtilized=1024
	MinFreeMemoryForUnderUtilized=8192)
for round in 1 2 3; do
	i=0
	for p in "${params[@]}"; do
		i=$((i + 1))
		(rhv-cluster policy c1 --param "$p" -q; echo $? >"$tmp/p.$i") &
	done
	(rhv-dc edit Same --description "round $round" -q; echo $? >"$tmp/p.desc") &
	(rhv-cluster edit c1 --description "cluster round $round" -q; echo $? >"$tmp/p.cdesc") &
	wait
	got=$(sql "SELECT string_agg(key || '=' || value, ' ' ORDER BY key) FROM cluster_policy_params")
	want=$(printf '%s\n' "${params[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
	ok "$([ "$(cat "$tmp"/p.* | grep -cvx 0)" -eq 0 ] && [ "$got" = "$want" ]; echo $?)" \
		"round $round: 9 parallel edits all succeed and all 7 parameters are kept"
done
ok "$([ "$(sql "SELECT description FROM data_centers WHERE name = 'Same'")" = "round 3" ] &&
	[ "$(sql "SELECT description FROM clusters WHERE name = 'c1'")" = "cluster round 3" ]; echo $?)" \
	"edits of different objects do not disturb each other"
ok "$([ "$(sql "SELECT count(*) FROM events WHERE object_name = 'c1' AND action = 'policy'")" = 22 ]; echo $?)" \
	"one audit event per successful policy change (22)"

# removing a data center while clusters are being created in it:
# either the remove is refused or the create finds no data center, never both
for i in $(seq 8); do
	rhv-dc create "race$i" -q
	(rhv-cluster create "rc$i" --dc "race$i" --cpu-type penryn -q 2>/dev/null; echo $? >"$tmp/c.$i") &
	(rhv-dc remove "race$i" -q 2>/dev/null; echo $? >"$tmp/r.$i") &
done
wait
orphans=$(sql "SELECT count(*) FROM clusters c LEFT JOIN data_centers d ON d.id = c.dc_id WHERE d.id IS NULL")
bad=0
for i in $(seq 8); do
	c=$(cat "$tmp/c.$i") r=$(cat "$tmp/r.$i")
	# exactly one of the two wins
	if ! { [ "$c" = 0 ] && [ "$r" = 4 ]; } && ! { [ "$c" = 3 ] && [ "$r" = 0 ]; }; then
		echo "race$i: create exit $c, remove exit $r"
		bad=1
	fi
done
ok "$([ "$orphans" = 0 ] && [ "$bad" = 0 ]; echo $?)" \
	"8 create-cluster/remove-dc races: one side wins each, no orphan cluster"

# the store initialized by many at once: one schema, every run succeeds
psql "$RHV_DB" -XAtq -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
run_parallel 8 rhv-db init
ok "$([ "$(cat "$tmp"/rc.* | grep -cvx 0)" -eq 0 ] &&
	[ "$(sql "SELECT count(*) FROM rhv_schema_version")" = "$(sql "SELECT max(version) FROM rhv_schema_version")" ]; echo $?)" \
	"8 parallel 'rhv-db init' on an empty database: all succeed, each migration once ($(codes))"

# raising a data center's compatibility version while clusters are created
# in it: no cluster may ever end below its data center (60 rounds)
bad=0
for i in $(seq 60); do
	rhv-dc create "cv$i" --compat-version 3.6 -q
	(rhv-cluster create "cv$i" --dc "cv$i" --cpu-type penryn -q 2>/dev/null; echo $? >"$tmp/cc.$i") &
	(rhv-dc edit "cv$i" --compat-version 4.0 -q 2>/dev/null; echo $? >"$tmp/ce.$i") &
	wait
	c=$(cat "$tmp/cc.$i") e=$(cat "$tmp/ce.$i")
	got=$(sql "SELECT d.compat_version || ' ' || c.compat_version FROM clusters c
		JOIN data_centers d ON d.id = c.dc_id WHERE d.name = 'cv$i'")
	# the create first: the edit is refused; the edit first: the cluster takes 4.0
	if ! { [ "$c/$e/$got" = "0/4/3.6 3.6" ] || [ "$c/$e/$got" = "0/0/4.0 4.0" ]; }; then
		echo "round $i: create exit $c, edit exit $e, data center and cluster versions '$got'"
		bad=$((bad + 1))
	fi
done
below=$(sql "SELECT count(*) FROM clusters c JOIN data_centers d ON d.id = c.dc_id
	WHERE string_to_array(c.compat_version, '.')::int[] < string_to_array(d.compat_version, '.')::int[]")
ok "$([ "$below" = 0 ] && [ "$bad" = 0 ]; echo $?)" \
	"60 create-cluster/raise-dc-version races: no cluster below its data center ($bad bad rounds)"

# creating a VM while its cluster is removed: either the VM is made and the
# remove refused, or the create finds no cluster (exit 3), never a raw error
bad=0
rhv-dc create vmrace -q
for i in $(seq 20); do
	rhv-cluster create "vr$i" --dc vmrace --cpu-type penryn -q
	(rhv-vm create "vr$i" --cluster "vr$i" --memory 64M --vcpus 1 -q 2>"$tmp/ve.$i"; echo $? >"$tmp/vc.$i") &
	(rhv-cluster remove "vr$i" -q 2>/dev/null; echo $? >"$tmp/vd.$i") &
	wait
	c=$(cat "$tmp/vc.$i") r=$(cat "$tmp/vd.$i")
	if ! { [ "$c/$r" = 0/4 ] || { [ "$c/$r" = 3/0 ] &&
		[ "$(cat "$tmp/ve.$i")" = "rhv-vm: error: cannot find cluster 'vr$i'" ]; }; }; then
		echo "round $i: create exit $c ($(head -1 "$tmp/ve.$i")), remove exit $r"
		bad=$((bad + 1))
	fi
done
ok "$([ "$bad" = 0 ]; echo $?)" \
	"20 create-VM/remove-cluster races: one side wins each, the loser says why ($bad bad rounds)"
echo "1..$n"
