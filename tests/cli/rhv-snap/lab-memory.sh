# needs: lab
# Snapshots with the guest's memory (create --memory, reference 8.2-8.4):
# the memory goes into an image of its own on the first disk's domain,
# recorded in the domain's metadata as a memory image that scrub leaves
# alone; a preview of the snapshot makes the VM's next start resume the
# guest from that memory (libvirt says "restored") on the preview layers,
# once: the start after boots.  Deleting the snapshot, or a commit that
# drops later snapshots, removes the image.  A Down VM has no memory to save.
# A preview also gives the VM the NICs the snapshot took (undo gives its
# own back), and is refused when one of their MACs went to another VM.
. "$(dirname "$TESTS_LAB")/../snaplab-lib.sh"
snaplab snapmem 16M
vsh() { virsh -q -c "$LAB_H1_URI" "$@"; }
path() { rhv-disk show "$1" -o tsv -H -c path; }
# the memory images in the domain's metadata, and whether each one's file is there and not empty
images() {
	python3 - "$S/data" <<'PY'
import json, os, sys
root = sys.argv[1]
m = json.load(open(os.path.join(root, "dom_md", "metadata.json")))
mem = [i for i in m["images"] if i.get("content") == "memory"]
print("memory images in the metadata:", len(mem))
for i in mem:
    v = i["volumes"][0]
    f = os.path.join(root, v["path"])
    print("  %s volume, file %s" % (v["format"], "there, %s" % ("not empty" if os.path.getsize(f) > 0 else "EMPTY") if os.path.exists(f) else "MISSING"))
dirs = sorted(os.listdir(os.path.join(root, "images")))
print("image directories:", len(dirs), "for", len(m["images"]), "images")
PY
}
# the guest's disks are the disks' top volumes as the store has them
tops() {
	local want got
	want=$(for d in v-os v-data; do path $d; done | sort)
	got=$(vsh domblklist v --details | awk '$2 == "disk" { print $4 }' | sort)
	[ "$want" = "$got" ] && echo "the guest runs on the disks' top volumes" || echo "guest disks DIFFER: $got / $want"
}
reason() { echo "libvirt: $(vsh domstate v --reason)"; }

echo "== a Down VM has no memory to save"
run rhv-snap create v --memory
rhv-vm start v -q
echo "== a live snapshot with the guest's memory"
M1=$(rhv-snap create v --description with-memory --memory 2>"$CASE_TMP/err"); sed -E 's/[0-9]+ MiB of guest memory/<n> MiB of guest memory/' "$CASE_TMP/err"
run rhv-snap list v -c description,live,quiesced,memory_saved,restore_memory
rhv-snap show "$M1" -c memory_image,memory_size -o json | python3 -c '
import json, sys
s = json.load(sys.stdin)["snapshot"]
print("memory image:", "named" if s["memory_image"] else "none", "| size:", "positive" if (s["memory_size"] or 0) > 0 else s["memory_size"])'
images
echo "== scrub leaves it alone"
run rhv-sd scrub data --dry-run
echo "== a disk-only snapshot after it"
N2=$(rhv-snap create v --description disks-only -q)
run rhv-snap list v -c description,memory_saved
rhv-vm stop v -q
echo "== preview the memory snapshot: the next start resumes the guest"
run rhv-snap preview with-memory
run rhv-snap show with-memory -c status,restore_memory
run rhv-vm start v
reason
tops
run rhv-snap show with-memory -c restore_memory
echo "== once: the start after boots"
rhv-vm stop v -q
run rhv-vm start v
reason
rhv-vm stop v -q
echo "== a preview that boots instead"
run rhv-snap undo v
run rhv-snap preview with-memory --restore-memory no
run rhv-snap show with-memory -c restore_memory
run rhv-vm start v
reason
rhv-vm stop v -q
run rhv-snap undo v
echo "== --restore-memory yes on a snapshot without memory"
run rhv-snap preview disks-only --restore-memory yes
run rhv-snap preview disks-only --restore-memory maybe
echo "== a commit drops the later snapshots with their memory"
rhv-vm start v -q
M3=$(rhv-snap create v --description later-memory --memory -q)
rhv-vm stop v -q
images
run rhv-snap preview with-memory --restore-memory no
run rhv-snap commit v
run rhv-snap list v -c description,memory_saved
images
echo "== a live delete removes its memory image"
rhv-vm start v -q
run rhv-snap delete with-memory
run rhv-snap list v -c description,memory_saved
images
rhv-vm stop v -q
echo "== a preview gives the VM the NICs the snapshot took; undo gives its own back"
run rhv-vm edit v --nic ovirtmgmt,model=e1000
N1=$(rhv-snap create v --description one-nic -q)
first=$(rhv-vm show v -o tsv -H -c nics | cut -d: -f3-)
run rhv-vm edit v --nic ovirtmgmt
run rhv-vm edit v --remove-nic "$first"
run rhv-vm show v -c nics
run rhv-snap preview one-nic
run rhv-vm show v -c nics
run rhv-snap undo v
run rhv-vm show v -c nics
echo "== the snapshot's MAC taken by another VM since: the preview is refused, nothing changes"
run rhv-vm create w --cluster lab --memory 64M --vcpus 1 --nic ovirtmgmt
run rhv-vm show w -c nics
run rhv-snap preview one-nic
run rhv-snap list v -c description,status
run rhv-vm show v -c nics
run rhv-vm remove w
run rhv-snap preview one-nic
run rhv-snap commit v
run rhv-vm show v -c nics
run rhv-sd scrub data
for d in v-os v-data; do
	[ "$(rhv-disk show $d -o tsv -H -c format)" = raw ] && echo "$d: raw" && continue
	qemu-img check -q "$(path $d)" && echo "$d: qemu-img check clean"
done
