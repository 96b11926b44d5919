# needs: lab
# Two admins and a cron job at once: 6 parallel creates of one name give one
# disk and five clear refusals; 6 parallel creates of different names all
# succeed with their metadata intact; a remove racing a move of the same
# disk: one wins, the other is refused; nothing is left for scrub.
lab_spm_timing
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
for h in 1 2; do u=LAB_H${h}_URI; rhv-host add h$h --cluster lab --uri "${!u}" --emulated -q; done
S="$LAB_DIR/shared/par"
for d in a b; do install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/$d"; done
rhv-sd create a --kind nfs --path "$S/a" --dc Default -q
rhv-sd create b --kind nfs --path "$S/b" --dc Default -q
rhv-sd activate b -q
for i in 1 2 3 4 5 6; do rhv-disk create same --domain a --size 1M -q 2>"$CASE_TMP/same.$i" & done; wait
echo "created: $(rhv-disk list -o tsv -H -c name | grep -c '^same$')"
cat "$CASE_TMP"/same.* | sort | uniq -c
for i in 1 2 3 4 5 6; do rhv-disk create "d$i" --domain a --size 1M -q & done; wait
run rhv-disk list -c name,domain,status
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("images in the metadata:", sorted(i["name"] for i in m["images"]))' "$S/a/dom_md/metadata.json"
rhv-disk remove d1 -q 2>"$CASE_TMP/r" & p1=$!
rhv-disk move d1 --domain b -q 2>"$CASE_TMP/m" & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
where=$(rhv-disk list -o tsv -H -c name,domain | awk -F'\t' '$1 == "d1" { print $2 }')
# outcomes that may happen: the remove wins (the move is refused or finds no disk), or the move
# runs first and the remove then removes it from b; never a disk in two places or a half-done one
if { [ $r1 = 0 ] && [ -z "$where" ]; } || { [ $r1 != 0 ] && [ $r2 = 0 ] && [ "$where" = b ]; }; then
	echo "remove and move of one disk at once: consistent"
else
	echo "INCONSISTENT: remove $r1, move $r2, d1 on '${where}'"; cat "$CASE_TMP/r" "$CASE_TMP/m"
fi
run sh -c "rhv-disk list -o tsv -H -c name | grep -v '^d1$'"
run rhv-sd scrub a
run rhv-sd scrub b
rm -rf "$S"
