# 1,000 VM NICs created in parallel (50 VMs of 20 NICs at once): 1,000 distinct MACs from the pool.
# Then a pool of 30 addresses and 4 VMs of 10 NICs at once: three get theirs, one is told the pool is used up.
rhv-dc create Default -q
rhv-cluster create prod --dc Default --cpu-type haswell -q
nics=()
for i in $(seq 20); do nics+=(--nic ovirtmgmt); done
for i in $(seq 50); do
	(rhv-vm create "vm$i" --cluster prod --memory 64M --vcpus 1 "${nics[@]}" -q; echo $? >"$CASE_TMP/rc.$i") &
done
wait
echo "exit codes: $(cat "$CASE_TMP"/rc.* | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')"
sql "SELECT count(*) AS nics, count(DISTINCT mac) AS distinct_macs,
	min(mac::text) AS first, max(mac::text) AS last FROM vm_nics"
run rhv-net mac-pool Default -c pool_size,pool_used,pool_free

rhv-dc create Small -q
rhv-cluster create small --dc Small --cpu-type haswell -q
run rhv-net mac-pool Small --range 02:00:00:00:00:01-02:00:00:00:00:1e
nics=()
for i in $(seq 10); do nics+=(--nic ovirtmgmt); done
for i in $(seq 4); do
	(rhv-vm create "s$i" --cluster small --memory 64M --vcpus 1 "${nics[@]}" -q 2>"$CASE_TMP/err.$i"
	 echo $? >"$CASE_TMP/src.$i") &
done
wait
echo "exit codes: $(cat "$CASE_TMP"/src.* | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')"
cat "$CASE_TMP"/err.* | sort -u
sql "SELECT count(*) AS vms FROM vms v JOIN clusters c ON c.id = v.cluster_id WHERE c.name = 'small'"
sql "SELECT count(*) AS nics, count(DISTINCT x.mac) AS distinct_macs FROM vm_nics x JOIN vms v ON v.id = x.vm_id
	JOIN clusters c ON c.id = v.cluster_id WHERE c.name = 'small'"
sql "SELECT v.name FROM vms v LEFT JOIN vm_nics x ON x.vm_id = v.id JOIN clusters c ON c.id = v.cluster_id
	WHERE c.name = 'small' GROUP BY v.name HAVING count(x.mac) <> 10"
run rhv-net mac-pool Small -c first,last,pool_used,pool_free
