# The fencing policy of clusters (reference 4.4; oVirt's FencingPolicy): on,
# skip at 50 % unreachable, skip while the storage lease lives, 300 s grace.
F=name,fencing,fencing_skip_percent,fencing_skip_lease,fencing_startup_grace
run rhv-dc create Default
run rhv-cluster create c1 --dc Default --cpu-type nehalem
run rhv-cluster show c1 -c $F
run rhv-cluster create c2 --dc Default --cpu-type nehalem --fencing no --fencing-skip-percent 0 \
	--fencing-skip-lease off --fencing-startup-grace 0
run rhv-cluster list -c $F
run rhv-cluster list -o json -c $F
run rhv-cluster show c2 -o tsv -c $F
run rhv-cluster edit c1 --fencing-skip-percent 75 --fencing-startup-grace 86400
run rhv-cluster edit c2 --fencing yes
run rhv-cluster edit c2 --fencing-skip-lease yes --description 'lab hosts'
run rhv-cluster show c1 -c $F
run rhv-cluster show c2 -o json -c $F
# bad values: exit 2, one line (and the hint to --help), nothing changed
counts >"$CASE_TMP/before"
run rhv-cluster edit c1 --fencing maybe
run rhv-cluster edit c1 --fencing ''
run rhv-cluster edit c1 --fencing-skip-percent 101
run rhv-cluster edit c1 --fencing-skip-percent -1
run rhv-cluster edit c1 --fencing-skip-percent 5%
run rhv-cluster edit c1 --fencing-skip-lease 2
run rhv-cluster edit c1 --fencing-startup-grace 86401
run rhv-cluster edit c1 --fencing-startup-grace 5m
run rhv-cluster edit c1 --fencing no --fencing-startup-grace ' 10'
run rhv-cluster create c3 --dc Default --fencing-skip-percent 1000
run rhv-cluster edit nowhere --fencing no
counts >"$CASE_TMP/after"
run diff "$CASE_TMP/before" "$CASE_TMP/after"
run rhv-cluster show c1 -c $F
run rhv-cluster list --list-columns
run rhv-event list --object cluster -c object,action,message
