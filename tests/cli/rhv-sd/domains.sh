# Storage domains without hosts: a file domain is formatted on a fresh
# directory, a block domain is recorded with its LUNs (modeled only); both
# list and show; attaching the first data domain needs an Up host to
# activate it, and a refused attachment leaves nothing attached.
rhv-dc create Default -q
rhv-dc create Local --storage-type local -q
mkdir "$CASE_TMP/data1" "$CASE_TMP/iso1" "$CASE_TMP/exp1" "$CASE_TMP/local1"
run rhv-sd create san1 --kind iscsi --lun 36001405aaaa:100G --lun 36001405bbbb:50G --description 'two LUNs'
run rhv-sd list
run rhv-sd show san1
run rhv-sd show san1 -o json -c name,kind,luns,size,free,committed,overcommit,path,note
run rhv-sd activate san1
run rhv-sd create data1 --kind nfs --path "$CASE_TMP/data1"
run ls -A "$CASE_TMP/data1" "$CASE_TMP/data1/dom_md"
run python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["name"], m["role"], m["kind"])' "$CASE_TMP/data1/dom_md/metadata.json"
# the same directory again, under another name: it holds a domain already
run rhv-sd create data2 --kind nfs --path "$CASE_TMP/data1"
run rhv-sd create data1 --kind nfs --path "$CASE_TMP/exp1"
run rhv-sd create isos --kind nfs --role iso --path "$CASE_TMP/iso1" --warning-pct 20 --critical-gib 1
run rhv-sd create exp1 --kind posixfs --role export --path "$CASE_TMP/exp1"
run rhv-sd list -c name,role,kind,status,dc,master,disks,luns,path
run rhv-sd list -o json -c name,role,kind,status,dc,master,committed,disks,luns,path,warning_pct,critical_gib
run rhv-sd show data1 -c name,role,kind,status,path,warning_pct,critical_gib,extend_chunk_mib,extend_threshold_pct,note
run rhv-sd edit data1 --description 'first data' --warning-pct 15
run rhv-sd show data1 -c name,description,warning_pct
# the first data domain of a data center must be activated, and no host is Up
run rhv-sd attach data1 --dc Default
run rhv-sd list -c name,status,dc,master
run rhv-sd list --dc Default
run rhv-event list --object storage_domain -c severity,object,action,message
# a local domain only in a local data center, and the other way round
run rhv-sd create here --kind local --path "$CASE_TMP/local1"
run rhv-sd attach here --dc Default
run rhv-sd attach data1 --dc Local
# ISO and export domains attach in Maintenance, with no SPM needed
run rhv-sd attach isos --dc Default
run rhv-sd attach isos --dc Default
run rhv-sd attach exp1 --dc Default
run rhv-sd list -c name,status,dc,master
run rhv-dc remove Default
run rhv-sd remove isos
run rhv-sd activate isos
run rhv-sd maintenance isos
run rhv-sd detach isos --dc Default
run rhv-sd detach isos
run rhv-sd maintenance isos
run rhv-sd remove isos
run rhv-sd remove data1
run rhv-sd list -c name,status
# remove leaves the storage as it was: import brings the domain back
run ls -A "$CASE_TMP/data1/dom_md"
run rhv-sd create data1 --kind nfs --path "$CASE_TMP/data1"
run rhv-sd import "$CASE_TMP/data1"
run rhv-sd import "$CASE_TMP/data1"
run rhv-sd show data1 -c name,role,kind,status,disks,description
run rhv-sd recover
run rhv-sd scrub data1
run rhv-sd scrub data1 --dry-run -o json
# scrub reports only what it did: a stray file goes; a directory rhv never
# makes stays, and says why (exit 6); the file beside it still goes
mkdir -p "$CASE_TMP/data1/images/junkdir/sub"
touch "$CASE_TMP/data1/images/junk"
touch "$CASE_TMP/data1/images/junkdir/stray"
run rhv-sd scrub data1 --dry-run
run rhv-sd scrub data1
run ls -A "$CASE_TMP/data1/images" "$CASE_TMP/data1/images/junkdir"
rmdir "$CASE_TMP/data1/images/junkdir/sub"
run rhv-sd scrub data1
run ls -A "$CASE_TMP/data1/images"
run rhv-event list --object storage_domain:data1 --severity WARNING -c severity,message
