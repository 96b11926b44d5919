# needs: lab
# Emptying a host whose VMs have disks: their images live on a file domain
# mounted at one path on every host, so they migrate live (libvirt alone
# would call that unsafe on the lab's local file system), and the guests'
# disks are the same files on the new hosts.
rhv-db set SpmIoTimeoutMillis 1000 -q
rhv-db set SpmWatchdogMillis 1000 -q
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
for h in 1 2 3; do u=LAB_H${h}_URI; rhv-host add h$h --cluster lab --uri "${!u}" --emulated -q; done
# h1 is the SPM and h2 its successor, whatever the election's random
# tie-break: the SPM role weighs in placement
rhv-sd spm-set-priority h1 --priority 8 -q
rhv-sd spm-set-priority h2 --priority 6 -q
S="$LAB_DIR/shared/maint"
install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S"
rhv-sd create data --kind nfs --path "$S" --dc Default -q
for v in v1 v2 v3; do
	rhv-vm create $v --cluster lab --memory 64M --vcpus 1 -q
	rhv-disk create $v-os --domain data --size 64M -q
	rhv-disk attach $v-os --vm $v -q
	rhv-vm start $v --host h1 -q
done
rhv-disk create v3-data --domain data --size 32M --format raw -q
rhv-vm stop v3 -q
rhv-disk attach v3-data --vm v3 -q
rhv-vm start v3 --host h1 -q
guests() { for h in 1 2 3; do u=LAB_H${h}_URI; echo "h$h: $(virsh -c "${!u}" list --name | sort | xargs)"; done; }
# where the guest's disks are, as its host's libvirt sees them
disks_of() {
	local h u
	h=$(rhv-vm show "$1" -o tsv -H -c host)
	u=LAB_${h^^}_URI
	virsh -c "${!u}" domblklist "$1" | awk 'NR > 2 && $2 != "" { print $1, $2 }' | sed "s#$S#<domain>#"
}
run guests
run rhv-vm migrate v1 --host h2
run disks_of v1
run rhv-host maintenance h1
run rhv-host list -c name,state,vms
run guests
run sh -c 'for h in h1 h2 h3; do rhv-vm list --host $h -o tsv -H -c name | sort | xargs echo $h:; done'
run disks_of v3
run sh -c 'for d in v3-os v3-data; do virsh -c "$LAB_H2_URI" domblklist v3 | grep -qF "$(rhv-disk show $d -o tsv -H -c path)" && echo "$d: the file the store names"; done'
# the disks' rows are untouched by the moves
run rhv-disk list -c name,vm,target,status
for v in v1 v2 v3; do rhv-vm stop $v -q; done
