# needs: lab
# The SPM: two elections at once give one SPM under one generation; when the
# SPM's daemon dies no other host takes over until an admin confirms it is
# down (or its lease dies on its own), and each takeover raises the generation.
# A lease lives 8N (expiry) + watchdog (dead) after its last renewal: long
# enough (28 s) that no slow machine lets one die before the case says so.
rhv-db set SpmIoTimeoutMillis 1000 -q
rhv-db set SpmWatchdogMillis 20000 -q
rhv-db set HostGraceSeconds 0 -q
rhv-db set HostGraceSpmSeconds 0 -q
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
for h in 1 2 3; do u=LAB_H${h}_URI; rhv-host add h$h --cluster lab --uri "${!u}" --emulated -q; done
rhv-sd spm-set-priority h1 --priority 8 -q
rhv-sd spm-set-priority h2 --priority 6 -q
rhv-sd spm-set-priority h3 --priority 4 -q
S="$LAB_DIR/shared/spm"
install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S"
rhv-sd create master --kind nfs --path "$S" --dc Default -q
gen() { rhv-sd spm-status Default -o tsv -H -c generation; }
run rhv-sd spm-status Default -c dc,spm,master,lease_holder,state
g0=$(gen)
run rhv-sd spm-release Default
# two elections at the same moment
rhv-sd spm-elect Default >"$CASE_TMP/e1" 2>&1 & p1=$!
rhv-sd spm-elect Default >"$CASE_TMP/e2" 2>&1 & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
echo "exit statuses: $r1 $r2"
g1=$(gen)
echo "generation after the concurrent elections: +$((g1 - g0))"
run rhv-sd spm-status Default -c spm,lease_holder,state
run sh -c "rhv-host list -o tsv -H -c name,spm | sort"
# the SPM's daemon dies
"$TESTS_LAB" host-down h1 --dir "$LAB_DIR" -q
rhv-host monitor -q >/dev/null 2>&1
rhv-host monitor -q >/dev/null 2>&1
run rhv-host list -c name,state
run rhv-sd spm-elect Default
run rhv-disk create d1 --domain master --size 1M
run rhv-host confirm-down h1
g2=$(gen)
echo "generation after confirm-down: +$((g2 - g1))"
run rhv-sd spm-status Default -c spm,lease_holder,state
run rhv-disk create d1 --domain master --size 1M
# now h2 dies too: nobody confirms; its lease must die first (8N + watchdog = 28 s)
"$TESTS_LAB" host-down h2 --dir "$LAB_DIR" -q
rhv-host monitor -q >/dev/null 2>&1
rhv-host monitor -q >/dev/null 2>&1
rhv-sd spm-elect Default >/dev/null 2>&1; echo "elect while h2's lease is alive: exit $?"
# dead, or anything but a lease that lives on (the election below then says what)
lease_dead() { case $(rhv-sd spm-status Default -o tsv -H -c state) in live | expired) false ;; esac; }
wait_for 120 lease_dead || echo "h2's lease is not dead 120 s after it stopped"
run rhv-sd spm-elect Default
g3=$(gen)
echo "generation after the lease expired: +$((g3 - g2))"
run rhv-sd spm-status Default -c spm,lease_holder,state
run rhv-disk list -c name,domain,status
# without a live SPM, rhv-disk elects one itself
run rhv-sd spm-release Default
run rhv-disk create d2 --domain master --size 1M
run rhv-sd spm-status Default -c spm,lease_holder,state
# when that election fails, the error is rhv-disk's own, with rhv-sd's words
for h in h1 h2 h3; do rhv-sd spm-set-priority $h --priority -1 -q; done
rhv-sd spm-release Default -q
run rhv-disk create d3 --domain master --size 1M
rm -rf "$S"
