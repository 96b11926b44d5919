# needs: lab
# The attachment rules of the roles (a data domain belongs to one data
# center, an export domain is active in one at a time, an ISO domain is
# shared), the master role moving when the master goes to maintenance, a VM
# with disks refused while its domain is not active, a domain no host can
# read turning Inactive and `recover` bringing it back, and the critical
# space ALERT.
lab_spm_timing
rhv-db set HostGraceSeconds 0 -q
for dc in east west; do rhv-dc create $dc -q; rhv-cluster create $dc-c --dc $dc -q; done
rhv-host add h1 --cluster east-c --uri "$LAB_H1_URI" --emulated -q
rhv-host add h2 --cluster east-c --uri "$LAB_H2_URI" --emulated -q
rhv-host add h3 --cluster west-c --uri "$LAB_H3_URI" --emulated -q
rhv-sd spm-set-priority h1 --priority 8 -q
S="$LAB_DIR/shared/roles"
for d in e1 e2 w1 exp iso; do install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/$d"; done
rhv-sd create e1 --kind nfs --path "$S/e1" --dc east -q
rhv-sd create e2 --kind nfs --path "$S/e2" --dc east -q
rhv-sd activate e2 -q
rhv-sd create w1 --kind nfs --path "$S/w1" --dc west -q
rhv-sd create exp --kind nfs --role export --path "$S/exp" -q
rhv-sd create iso --kind nfs --role iso --path "$S/iso" -q
run rhv-sd attach e2 --dc west
run rhv-sd attach exp --dc east
run rhv-sd attach exp --dc west
run rhv-sd activate exp --dc east
run rhv-sd activate exp --dc west
run rhv-sd activate exp
run rhv-sd attach iso --dc east
run rhv-sd attach iso --dc west
run rhv-sd activate iso --dc east
run rhv-sd activate iso --dc west
run rhv-sd list -c name,role,status,dc,master
# the master goes to maintenance: the role (and the SPM lease) moves to e2
rhv-disk create d1 --domain e1 --size 16M -q
rhv-vm create vm1 --cluster east-c --memory 64M --vcpus 1 -q
rhv-disk attach d1 --vm vm1 -q
run rhv-sd maintenance e1
run rhv-vm start vm1
run rhv-sd list --dc east -c name,status,master
run rhv-sd spm-status east -c spm,master,lease_holder,state
run rhv-sd activate e1
run rhv-vm start vm1
run rhv-sd maintenance e1
run rhv-vm stop vm1
# no host can read e2 any more: Inactive at the next monitoring pass, Active again by recover
chmod 000 "$S/e2/dom_md"
rhv-host monitor -q >/dev/null 2>&1
run rhv-sd list --dc east -c name,status,master,hosts_ok,hosts_checked,reason
run rhv-event list --object storage_domain:e2 -c severity,action,message --limit 1
run rhv-sd recover --dc east
chmod 755 "$S/e2/dom_md"
run rhv-sd recover --dc east
run rhv-sd list --dc east -c name,status,master
# critical space: an ALERT when free space falls below it
rhv-sd edit w1 --critical-gib 1000000 -q
rhv-host monitor -q >/dev/null 2>&1
run rhv-event list --object storage_domain:w1 --severity ALERT -c severity,action --limit 1
rhv-disk create big --domain w1 --size 1M 2>&1 | sed -E 's/has [0-9.]+ GiB free/has N GiB free/'; echo "exit ${PIPESTATUS[0]}"
rhv-sd edit w1 --critical-gib 0 -q
rhv-host monitor -q >/dev/null 2>&1
run rhv-event list --object storage_domain:w1 --severity NORMAL -c severity,action,message --limit 1
# a master whose storage is gone for good: destroyed, and another domain takes over
rhv-sd maintenance exp --dc east -q
rhv-sd detach exp --dc east -q
rhv-sd maintenance iso --dc east -q
rhv-sd detach iso --dc east -q
rm -rf "$S/e1"
run rhv-sd maintenance e1
run rhv-sd remove e1
run rhv-sd remove e1 --force
run rhv-disk list -c name,domain
run rhv-sd maintenance e2 -q
rhv-sd activate e2 -q
run rhv-sd spm-status east -c spm,master,lease_holder,state
rm -rf "$S"
