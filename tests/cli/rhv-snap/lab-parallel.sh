# needs: lab
# Two admins at once on one VM's snapshots.  A gate in qemu-img holds the
# first operation inside its storage work for as long as the case needs,
# so the overlap does not depend on the machine's speed: two creates on
# one VM → one snapshot and one exit 4; a delete and a preview of the same
# snapshot, each way round → one wins, the other is refused; no migration
# while a live create holds the snapshot Locked.  Then the same pairs
# without the gate, started at one moment: whoever wins, nothing is
# broken (no snapshot left Locked, chains valid, nothing for scrub).
. "$(dirname "$TESTS_LAB")/../snaplab-lib.sh"
snaplab snappar 16M 2
owner="$(stat -c %u "$LAB_DIR/shared")"
install -d -o "$owner" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/gate"

# qemu-img runs as the domain's owner: the gate lives where that user may write
G="$S/gate/verb"
cat >"$CASE_TMP/qemu-img" <<'SH'
#!/bin/sh
# the first qemu-img call of the verb named in $G waits until $G.go exists
if [ "$1" = "$(cat "$G" 2>/dev/null)" ] && mkdir "$G.held" 2>/dev/null; then
	: >"$G.held/reached"
	i=0
	while [ ! -e "$G.go" ] && [ $i -lt 1800 ]; do sleep 0.1; i=$((i + 1)); done
fi
exec /usr/bin/qemu-img "$@"
SH
chmod 755 "$CASE_TMP/qemu-img"
export RHV_QEMU_IMG="$CASE_TMP/qemu-img" G
gate() { rm -rf "$G.held" "$G.go"; echo "$1" >"$G"; chown "$owner" "$G"; }
open_gate() { : >"$G.go"; chown "$owner" "$G.go"; }
# held CMD...: start CMD in the background and wait until it stands at the gate
held() {
	"$@" >"$CASE_TMP/held.out" 2>"$CASE_TMP/held.err" &
	HELD=$!
	wait_for 120 test -e "$G.held/reached" || echo "'$*' never reached the gate"
}
released() {
	local rc
	open_gate
	wait "$HELD"
	rc=$?
	echo "the held '$1' ends: exit $rc"
	sed 's/^/! /' "$CASE_TMP/held.err"
	gate none
}
# nothing_broken: no snapshot Locked, every chain passes qemu-img check, scrub finds nothing
nothing_broken() {
	local d bad=
	[ "$(rhv-snap list v -o tsv -H -c status | grep -c Locked)" = 0 ] || bad="$bad Locked"
	for d in v-os v-data; do
		qemu-img check -q -U "$(rhv-disk show "$d" -o tsv -H -c path)" || bad="$bad $d-chain"
	done
	rhv-sd scrub data -o tsv -H 2>/dev/null | grep -q . && bad="$bad scrub:$(rhv-sd scrub data -o tsv -H | tr '\n\t' '  ')"
	echo "nothing broken:${bad:- yes}"
}

echo "== two creates on one VM at once (VM down)"
gate create
held rhv-snap create v --description first -q
run rhv-snap create v --description second -q
released create
run rhv-snap list v -c description,status,disks

echo "== two live creates at once, and a migration while the snapshot is Locked"
rhv-vm start v -q
gate create
held rhv-snap create v --description live -q
run rhv-snap create v --description live2 -q
run rhv-vm migrate v -q
released create
run rhv-snap list v -c description,status,live
rhv-vm stop v -q

echo "== a delete held in its merge; a preview of the same snapshot meanwhile"
gate commit
held rhv-snap delete first -q
run rhv-snap preview first
released delete
run rhv-snap preview first
run rhv-snap list v -c description,status

echo "== a preview held making its layers; a delete of the same snapshot meanwhile"
gate create
held rhv-snap preview live -q
run rhv-snap delete live
released preview
run rhv-snap list v -c description,status
run rhv-snap undo v -q
nothing_broken

echo "== the same pairs without the gate, started at one moment"
gate none
for round in 1 2 3; do
	rhv-snap create v --description "r$round" -q >/dev/null 2>"$CASE_TMP/a" & a=$!
	rhv-snap create v --description "s$round" -q >/dev/null 2>"$CASE_TMP/b" & b=$!
	wait $a; ra=$?; wait $b; rb=$?
	made=$(rhv-snap list v -o tsv -H -c description | grep -c "^[rs]$round\$")
	# both may succeed one after the other; a refused one says why and made nothing
	case "$ra$rb:$made" in
	00:2 | 04:1 | 40:1) echo "round $round, two creates: consistent" ;;
	*) echo "round $round, two creates: INCONSISTENT ($ra $rb, $made made)"; cat "$CASE_TMP/a" "$CASE_TMP/b" ;;
	esac
	one=$(rhv-snap list v -o tsv -H -c description | grep -m1 "^[rs]$round\$")
	rhv-snap delete "$one" -q >/dev/null 2>"$CASE_TMP/a" & a=$!
	rhv-snap preview "$one" -q >/dev/null 2>"$CASE_TMP/b" & b=$!
	wait $a; ra=$?; wait $b; rb=$?
	left=$(rhv-snap list v -o tsv -H -c description,status | grep "^$one	" | cut -f2)
	# delete first: gone, the preview refused or not finding it; preview first: InPreview, the delete refused
	case "$ra$rb:$left" in
	0[34]: | 40:InPreview) echo "round $round, delete and preview: consistent" ;;
	*) echo "round $round, delete and preview: INCONSISTENT ($ra $rb, left '$left')"; cat "$CASE_TMP/a" "$CASE_TMP/b" ;;
	esac
	[ "$left" = InPreview ] && rhv-snap undo v -q
	nothing_broken
done
run rhv-snap jobs
run rhv-sd scrub data
