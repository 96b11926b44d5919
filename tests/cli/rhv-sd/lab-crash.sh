# needs: lab
# kill -9 of disk operations at several points: afterwards `rhv-sd scrub`
# leaves no volume the metadata and the store do not account for, and no
# disk stuck Locked.  Points are reached by holding the operation inside
# qemu-img, or by killing it at random moments.
rhv-db set SpmIoTimeoutMillis 1000 -q
rhv-db set SpmWatchdogMillis 1000 -q
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
for h in 1 2; do u=LAB_H${h}_URI; rhv-host add h$h --cluster lab --uri "${!u}" --emulated -q; done
S="$LAB_DIR/shared/crash"
for d in a b marks; do install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/$d"; done
rhv-sd create a --kind nfs --path "$S/a" --dc Default -q
rhv-sd create b --kind nfs --path "$S/b" --dc Default -q
rhv-sd activate b -q
rhv-disk create src --domain a --size 256M --format raw --allocation preallocated -q
# accounted: every volume file is in the metadata and every metadata image is a disk of the store
check() {
	python3 - "$S" <<'PY'
import json, os, subprocess, sys
root = sys.argv[1]
store = {}
out = subprocess.run(["rhv-disk", "list", "-o", "json", "-c", "id,name,domain,status,volume_id"], capture_output=True, text=True, check=True).stdout
for d in json.loads(out)["disks"]:
    store[d["id"]] = d
bad = []
for dom in ("a", "b"):
    meta = json.load(open(os.path.join(root, dom, "dom_md", "metadata.json")))
    images = {i["id"]: i for i in meta["images"]}
    files = set()
    imgdir = os.path.join(root, dom, "images")
    for img in (os.listdir(imgdir) if os.path.isdir(imgdir) else []):
        for v in os.listdir(os.path.join(imgdir, img)):
            files.add((img, v))
    for img, v in files:
        if img not in images or v not in [x["id"] for x in images[img]["volumes"]]:
            bad.append(f"{dom}: file images/{img}/{v} not in the metadata")
    for img in images:
        if img not in store or store[img]["domain"] != dom:
            bad.append(f"{dom}: image {img} is no disk of the store on {dom}")
for d in store.values():
    if d["status"] != "OK":
        bad.append(f"disk {d['name']} is {d['status']}")
print("accounted for" if not bad else "\n".join(bad))
PY
}
# A qemu-img wrapper that holds the operation before or after the real work
# puts the kill at a known point: claimed but nothing on storage yet
# ("before"), or volume written but metadata not yet ("after"); it says so
# in $REACHED and waits to die with rhv (exec keeps qemu-img's death
# signal).  Then a sweep of kills at 10 to 250 ms without holds lands
# wherever the operation happens to be.
cat >"$CASE_TMP/qemu-img" <<'SH'
#!/bin/sh
mode=$(cat "$CRASH_MODE")
[ "$mode" = before ] && : >"$REACHED" && exec sleep 600
[ "$mode" = after ] || exec /usr/bin/qemu-img "$@"
/usr/bin/qemu-img "$@" || exit $?
: >"$REACHED"
exec sleep 600
SH
chmod 755 "$CASE_TMP/qemu-img"
export RHV_QEMU_IMG="$CASE_TMP/qemu-img" CRASH_MODE="$CASE_TMP/mode" REACHED="$S/marks/reached"
# after a kill: the store no longer serves the killed command, and no
# qemu-img of ours works on the domains any more
no_qemu_img() { ! pgrep -f "qemu-img.* $S/" >/dev/null; }
settled() {
	store_idle
	wait_for 120 no_qemu_img || echo "a qemu-img still runs 120 s after its rhv was killed"
}
# the point, or an operation that ended (failed) before it
reached_or_gone() { [ -e "$REACHED" ] || ! kill -0 "$pid"; }
n=0
for op in create copy move; do
	for point in before after; do
		n=$((n + 1))
		echo "$point" >"$CRASH_MODE"
		rm -f "$REACHED"
		case $op in
		create) cmd=(rhv-disk create "c$n" --domain a --size 512M --format raw --allocation preallocated -q) ;;
		copy) cmd=(rhv-disk copy src "k$n" --domain b -q) ;;
		move) cmd=(rhv-disk move src --domain b -q) ;;
		esac
		"${cmd[@]}" 2>/dev/null & pid=$!
		wait_for 300 reached_or_gone || echo "$op never reached the point $point"
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		echo none >"$CRASH_MODE"
		settled
		fixed=$( (rhv-sd scrub a -q -o tsv -H -c what,action; rhv-sd scrub b -q -o tsv -H -c what,action) 2>&1 | sort | tr '\t' ' ' | paste -sd ';')
		echo "$op killed $point: scrub: ${fixed:-nothing}; now $(check)"
		# the move's source must still be whole wherever it ended up
		[ "$op" = move ] && rhv-disk move src --domain a -q 2>/dev/null
	done
done
echo none >"$CRASH_MODE"
for op in create copy move; do
	for ms in 010 030 060 100 150 250; do
		n=$((n + 1))
		case $op in
		create) cmd=(rhv-disk create "c$n" --domain a --size 512M --format raw --allocation preallocated -q) ;;
		copy) cmd=(rhv-disk copy src "k$n" --domain b -q) ;;
		move) cmd=(rhv-disk move src --domain b -q) ;;
		esac
		"${cmd[@]}" 2>/dev/null & pid=$!
		sleep "0.$ms"
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		settled
		rhv-sd scrub a -q -o tsv -H >/dev/null 2>&1
		rhv-sd scrub b -q -o tsv -H >/dev/null 2>&1
		echo "$op killed after $ms ms: $(check)"
		[ "$op" = move ] && rhv-disk move src --domain a -q 2>/dev/null
	done
done
run rhv-disk show src -c name,status,size
run rhv-sd scrub a
run rhv-sd scrub b
rm -rf "$S"
