# needs: lab
# Memory limits are respected: 30 VMs of 64 MiB on 3 hosts limited to
# 512 MiB each -> 24 run (8 per host), 6 are refused with the reason.
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
for h in 1 2 3; do u=LAB_H${h}_URI; rhv-host add h$h --cluster lab --uri "${!u}" --emulated --memory-limit 512M -q; done
for i in $(seq -w 1 30); do rhv-vm create vm$i --cluster lab --memory 64M --vcpus 1 -q; done
ok=0 refused=0
for i in $(seq -w 1 30); do
	if rhv-vm start vm$i -q 2>"$CASE_TMP/err.$i"; then ok=$((ok + 1)); else refused=$((refused + 1)); fi
done
echo "started $ok, refused $refused"
run cat "$CASE_TMP/err.30"
run rhv-host list -c name,vms,memory_committed,memory_limit
run sh -c 'for h in 1 2 3; do eval u=\$LAB_H${h}_URI; virsh -c "$u" list --name | grep -c .; done'
run rhv-vm start vm30 --explain
run rhv-vm start vm30 --explain -o json -c host,eligible,reason,policy
run rhv-vm start vm30 --explain -o tsv -H
for v in $(rhv-vm list --state Up -o tsv -H -c name); do rhv-vm stop "$v" -q; done
run rhv-host list -c name,vms,memory_committed
