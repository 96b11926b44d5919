# shellcheck shell=bash
# The setup the rhv-snap lab cases share (sourced by them, after
# tests/lib.sh): a data center Default with a cluster lab of HOSTS
# simulated hosts (h1..), a data domain at $LAB_DIR/shared/DIR/data, and
# VM v (64 MiB, 1 vCPU) with two disks of SIZE attached: v-os (raw) and
# v-data (qcow2).  Sets S to $LAB_DIR/shared/DIR.
snaplab() {
	local dir=$1 size=$2 hosts=${3:-1} h u
	lab_spm_timing
	rhv-dc create Default -q
	rhv-cluster create lab --dc Default -q
	for ((h = 1; h <= hosts; h++)); do
		u=LAB_H${h}_URI
		rhv-host add "h$h" --cluster lab --uri "${!u}" --emulated -q
	done
	S="$LAB_DIR/shared/$dir"
	install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/data"
	rhv-sd create data --kind nfs --path "$S/data" --dc Default -q
	rhv-vm create v --cluster lab --memory 64M --vcpus 1 -q
	rhv-disk create v-os --domain data --size "$size" --format raw -q
	rhv-disk create v-data --domain data --size "$size" -q
	rhv-disk attach v-os --vm v -q
	rhv-disk attach v-data --vm v -q
}
