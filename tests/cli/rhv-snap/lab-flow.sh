# needs: lab
# The acceptance walk of issue 12 on a running VM with two disks: a live
# snapshot, more data, a second snapshot; preview of the first (VM down),
# commit; a live delete of the middle snapshot.  At each step the chain on
# the storage (qemu-img --backing-chain), the guest's (virsh domblklist
# and its live XML) and `rhv-snap show -o json` agree, and the data read
# through each chain is what was written (qemu-io patterns, VM down).
. "$(dirname "$TESTS_LAB")/../snaplab-lib.sh"
snaplab snapflow 16M
vsh() { virsh -q -c "$LAB_H1_URI" "$@"; }
path() { rhv-disk show "$1" -o tsv -H -c path; }
# write DISK PATTERN MIB: qemu-io writes the pattern into MiB number MIB through the disk's chain
write() { qemu-io -f "$(rhv-disk show "$1" -o tsv -H -c format)" -c "write -P $2 $(($3 * 1048576)) 1M" "$(path "$1")" >/dev/null; }
# expect DISK P0 P1 P2: the first three MiB read as these patterns (0: never written)
expect() {
	local d=$1 i=0 p bad=
	shift
	for p in "$@"; do
		qemu-io -U -r -f "$(rhv-disk show "$d" -o tsv -H -c format)" -c "read -P $p $((i * 1048576)) 1M" "$(path "$d")" | grep -q 'read 1048576' || bad="$bad MiB$i!=$p"
		i=$((i + 1))
	done
	echo "$d reads ${*}${bad:+ — WRONG:$bad}"
}
# agree SNAP: the chain of each disk as rhv-snap shows it is the chain qemu-img reads from the top
# volume, and (VM running) the one the guest has
agree() {
	python3 - "$1" "$LAB_H1_URI" <<'PY'
import json, subprocess, sys, os
snap, uri = sys.argv[1], sys.argv[2]
show = json.loads(subprocess.run(["rhv-snap", "show", snap, "-o", "json"], capture_output=True, text=True, check=True).stdout)["snapshot"]
state = subprocess.run(["rhv-vm", "show", "v", "-o", "tsv", "-H", "-c", "state"], capture_output=True, text=True).stdout.strip()
ok = True
for d in show["volumes"]:
    chain = [v["id"] for v in d["chain"]]
    top = subprocess.run(["rhv-disk", "show", d["name"], "-o", "tsv", "-H", "-c", "path"], capture_output=True, text=True).stdout.strip()
    info = json.loads(subprocess.run(["qemu-img", "info", "-U", "--backing-chain", "--output=json", top], capture_output=True, text=True, check=True).stdout)
    disk_chain = [os.path.basename(i["filename"]) for i in reversed(info)]
    if disk_chain != chain:
        ok = False; print(d["name"], "storage", disk_chain, "rhv-snap", chain)
    if state == "Up":
        xml = subprocess.run(["virsh", "-c", uri, "dumpxml", "v"], capture_output=True, text=True).stdout
        import xml.etree.ElementTree as ET
        root = ET.fromstring(xml)
        for disk in root.iter("disk"):
            if disk.get("device") != "disk" or os.path.basename(disk.find("source").get("file")).split("/")[-1] not in chain: continue
            files, node = [], disk
            while node is not None and node.find("source") is not None:
                files.append(os.path.basename(node.find("source").get("file"))); node = node.find("backingStore")
            if list(reversed(files)) != chain:
                ok = False; print(d["name"], "guest", list(reversed(files)), "rhv-snap", chain)
print("chains agree: storage, rhv-snap" + (", guest" if state == "Up" else "") if ok else "chains DISAGREE")
PY
}
mask() { sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<id>/g; s/\b[0-9a-f]{8}\*? (raw|qcow2)/<v> \1/g'; }

write v-os 1 0; write v-data 11 0
rhv-vm start v -q
echo "== a live snapshot of both disks"
S1=$(rhv-snap create v --description first 2>"$CASE_TMP/err"); cat "$CASE_TMP/err" | mask
run rhv-snap list v -c vm,description,status,live,quiesced,disks
agree "$S1"
vsh domblklist v --details | awk '{print $3, $4}' | sed -E "s#$S/data#<sd>#; s#images/[^/]*/[^ ]*#images/<disk>/<volume>#"
rhv-vm stop v -q
write v-os 2 1; write v-data 12 1
rhv-vm start v -q
echo "== a second live snapshot"
S2=$(rhv-snap create v --description second -q)
agree "$S2"
rhv-vm stop v -q
write v-os 3 2; write v-data 13 2
expect v-os 1 2 3; expect v-data 11 12 13
echo "== preview the first, then commit"
run rhv-snap preview first
rhv-snap show first -c status,chain | mask
expect v-os 1 0 0; expect v-data 11 0 0
write v-os 4 1
run rhv-snap commit v
run rhv-snap list v -c description,status
expect v-os 1 4 0
agree "$S1"
echo "== snapshots again, then a live delete of the middle one"
write v-data 14 2
S3=$(rhv-snap create v --description third -q)
write v-os 5 2
rhv-vm start v -q
S4=$(rhv-snap create v --description fourth -q)
run rhv-snap delete third
run rhv-snap list v -c description,status
agree "$S1"; agree "$S4"
rhv-vm stop v -q
expect v-os 1 4 5; expect v-data 11 0 14
echo "== offline delete of the first: its volume takes the next layer's data"
run rhv-snap delete first
rhv-snap show fourth -c chain | mask
expect v-os 1 4 5; expect v-data 11 0 14
echo "== preview the fourth, write into the preview, undo: back to the state before the preview"
run rhv-snap preview fourth
write v-os 6 0; write v-data 16 0
expect v-os 6 4 5; expect v-data 16 0 14
run rhv-snap undo v
run rhv-snap list v -c description,status
expect v-os 1 4 5; expect v-data 11 0 14
agree "$S4"
run rhv-snap jobs
run rhv-snap resume
run rhv-sd scrub data
for d in v-os v-data; do qemu-img check -q "$(path $d)" && echo "$d: qemu-img check clean"; done
