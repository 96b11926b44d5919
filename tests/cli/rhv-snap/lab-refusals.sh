# needs: lab
# What rhv-snap refuses, each with its exit code and one line, changing
# nothing: unknown objects, bad arguments, an ambiguous description, the
# wrong VM state (preview of a running VM, commit or undo without a
# preview, a create, a delete or a second preview during one); and what
# other commands refuse because of snapshots.
lab_spm_timing
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated -q
S="$LAB_DIR/shared/snaprefuse"
install -d -o "$(stat -c %u "$LAB_DIR/shared")" -g "$(stat -c %g "$LAB_DIR/shared")" -m 0770 "$S/data" "$S/b"
rhv-sd create data --kind nfs --path "$S/data" --dc Default -q
rhv-sd create b --kind nfs --path "$S/b" --dc Default -q
rhv-sd activate b -q
rhv-vm create v --cluster lab --memory 64M --vcpus 1 -q
rhv-vm create bare --cluster lab --memory 64M --vcpus 1 -q
rhv-disk create v-os --domain data --size 16M --format raw -q
rhv-disk create v-data --domain data --size 16M -q
rhv-disk create loose --domain data --size 1M -q
rhv-disk attach v-os --vm v -q
rhv-disk attach v-data --vm v -q
# state: snapshots with their status, volumes and files, to show a refusal changed nothing
state() {
	echo "state: snapshots=$(sql "SELECT count(*) || ' ' || coalesce(string_agg(status, ',' ORDER BY created_at), '') FROM snapshots")" \
		"volumes=$(find "$S/data/images" -type f | wc -l)"
}
echo "== arguments and unknown objects"
run rhv-snap create nope
run rhv-snap create v --memory
run rhv-snap create v --description "$(printf 'two\nlines')"
run rhv-snap create v --disk nope
run rhv-snap create v --disk loose
run rhv-snap create v --disk v-os --disk v-os
run rhv-snap create bare
run rhv-snap create
run rhv-snap list nope
run rhv-snap show nope
run rhv-snap show
run rhv-snap delete nope
run rhv-snap preview nope
run rhv-snap commit nope
run rhv-snap undo nope
run rhv-snap resume nope
run rhv-snap list v extra
state
echo "== one description twice: the id tells them apart"
rhv-snap create v --description same -q >/dev/null
rhv-snap create v --description same --disk v-data -q >/dev/null
run rhv-snap show same
run rhv-snap delete same
run rhv-snap preview same
run rhv-snap list v -c description,status,disks
state
echo "== the wrong state"
rhv-vm start v -q
run rhv-snap preview "$(rhv-snap list v -o tsv -H -c id | head -1)"
run rhv-snap commit v
run rhv-snap undo v
rhv-vm stop v -q
run rhv-snap commit v
run rhv-snap undo v
rhv-snap preview "$(rhv-snap list v -o tsv -H -c id | head -1)" -q
state
run rhv-snap create v
run rhv-snap preview "$(rhv-snap list v -o tsv -H -c id | tail -1)"
run rhv-snap delete "$(rhv-snap list v -o tsv -H -c id | head -1)"
run rhv-snap delete "$(rhv-snap list v -o tsv -H -c id | tail -1)"
run rhv-vm remove v
state
run rhv-snap undo v
echo "== other commands and snapshots"
run rhv-disk move v-data --domain b
run rhv-vm show v -c name,snapshots
state
run rhv-sd scrub data
