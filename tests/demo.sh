#!/bin/bash
# make demo: a short scripted tour on the embedded default store.
# It prints each command before running it.  Safe to run again: it first
# removes what an earlier run left.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$top/bin:$PATH"

bold='' plain=''
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; fi
step() {
	printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"
	"$@"
}

step rhv-db init

# an earlier run's objects (ignore "not found")
for v in $(rhv-vm list --cluster demo-web -o tsv -H -c name 2>/dev/null); do
	rhv-vm stop "$v" -q 2>/dev/null || true
	rhv-vm remove "$v" -q 2>/dev/null || true
done
for h in $(rhv-host list --cluster demo-web -o tsv -H -c name 2>/dev/null); do
	rhv-host maintenance "$h" -q 2>/dev/null || true
	rhv-host remove "$h" -q 2>/dev/null || true
done
for d in $(rhv-disk list --domain demo-data -o tsv -H -c name 2>/dev/null); do
	rhv-disk detach "$d" -q 2>/dev/null || true
done
rhv-sd remove demo-data --force -q 2>/dev/null || true
rhv-cluster remove demo-web -q 2>/dev/null || true
rhv-cluster remove demo-batch -q 2>/dev/null || true
rhv-dc remove Demo -q 2>/dev/null || true

step rhv-db status
step rhv-dc create Demo --description 'demo data center'
printf '\n# no --cpu-type: a cluster takes the newest type its first host can run\n'
step rhv-cluster create demo-web --dc Demo --description 'web tier'
step rhv-cluster create demo-batch --dc Demo
step rhv-cluster policy demo-web --policy evenly_distributed --param HighUtilization=75 --ha-reservation on
step rhv-cluster policy demo-batch --policy vm_evenly_distributed --param HighVmCount=20
step rhv-dc list
step rhv-cluster list --dc Demo -c +cpu_vendor
step rhv-cluster params demo-web
step rhv-dc show Demo -o json
printf '\n# what a script sees: TSV without headers\n'
step rhv-cluster list --dc Demo -o tsv -H -c name,policy
printf '\n# refusals come with an exit code and one line on stderr\n'
step rhv-dc remove Demo || echo "(exit $?)"
step rhv-cluster policy demo-web --param HighUtilization=120 || echo "(exit $?)"
step rhv-event list --object cluster --limit 5

printf '\n# hosts and VMs: a lab of three simulated hosts on this machine, each its\n'
printf '# own libvirt daemon with real QEMU guests (tests/lab/README.md)\n'
lab_dir=/tmp/rhv-demo-lab
export RHV_LAB_PORT_BASE=46000
"$top/tests/lab/lab" down --dir "$lab_dir" -q 2>/dev/null || true
trap '"$top/tests/lab/lab" down --dir "$lab_dir" -q' EXIT
step "$top/tests/lab/lab" up 3 --dir "$lab_dir" -o table
uri() { "$top/tests/lab/lab" status --dir "$lab_dir" -o tsv | awk -v h="$1" '$1 == h { print $2 }'; }
# --emulated: the lab's guests may run on TCG (this machine's KVM, if any, is nested)
for h in h1 h2 h3; do
	step rhv-host add "$h" --cluster demo-web --uri "$(uri $h)" --emulated
done
step rhv-host list
step rhv-cluster show demo-web -c name,cpu_type,cpu_name,cpu_vendor
step rhv-cluster cpu-types --host h1
for v in web1 web2 web3; do
	step rhv-vm create "$v" --cluster demo-web --memory 64M --vcpus 1 --nic ovirtmgmt
done
step rhv-vm start web1 --explain
step rhv-vm start web2
step rhv-vm start web3
step rhv-vm list
step rhv-vm migrate web1 --host h3
step rhv-host maintenance h2
step rhv-host monitor
step rhv-host list
step rhv-vm list -c name,state,host,nics
step rhv-vm devices web1
printf '\n# balancing: crowd one host, then ask what a policy would do (a what-if, nothing moves)\n'
step rhv-host activate h2
step rhv-vm migrate web2 --host h3
step rhv-balance plan --cluster demo-web --policy vm_evenly_distributed --param HighVmCount=1 \
	--param MigrationThreshold=2 --max-moves 0
step rhv-balance ha-check --cluster demo-web
printf '\n# storage: a data domain on the lab'"'"'s shared directory, an SPM elected on its\n'
printf '# lease, a thin disk made through the SPM and booted by a VM\n'
install -d -o "$(stat -c %u "$lab_dir/shared")" -g "$(stat -c %g "$lab_dir/shared")" -m 0770 "$lab_dir/shared/demo-data"
step rhv-db set SpmIoTimeoutMillis 1000   # elections wait 2 s here (20 s at the default 10 s)
step rhv-sd create demo-data --kind nfs --path "$lab_dir/shared/demo-data" --dc Demo
step rhv-sd spm-status Demo
step rhv-disk create web1-os --domain demo-data --size 4G
printf '\n# attached to a running VM, a disk is plugged into the guest at once\n'
step rhv-disk attach web1-os --vm web1
step rhv-disk list -c name,domain,size,actual,format,allocation,vm,target
printf '\n# its host goes to maintenance: the VM moves live with its disk (shared storage)\n'
web1_host=$(rhv-vm show web1 -o tsv -H -c host)
step rhv-host maintenance "$web1_host"
step rhv-vm list -c name,state,host,disks
step rhv-host activate "$web1_host"
step rhv-sd list
printf '\n# clean up the lab part\n'
for v in web1 web2 web3; do rhv-vm stop "$v" -q; rhv-vm remove "$v" -q; done
rhv-disk remove web1-os -q
rhv-sd maintenance demo-data -q
rhv-sd detach demo-data -q
rhv-sd remove demo-data -q
rhv-db reset SpmIoTimeoutMillis -q
for h in h1 h2 h3; do rhv-host maintenance "$h" -q; rhv-host remove "$h" -q; done
printf '\nDemo done.  The store stays in %s; remove the demo objects with\n' \
	"$(rhv-db status -o tsv -H -c data_directory)"
echo "  rhv-cluster remove demo-web; rhv-cluster remove demo-batch; rhv-dc remove Demo"
