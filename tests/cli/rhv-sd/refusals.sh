# What creating and naming a storage domain refuses, each with its exit
# code; no host is needed, and nothing is left behind.
rhv-dc create Default -q
mkdir "$CASE_TMP/d1"
run rhv-sd create x
run rhv-sd create x --kind ceph --path "$CASE_TMP/d1"
run rhv-sd create x --kind nfs --role backup --path "$CASE_TMP/d1"
run rhv-sd create x --kind nfs
run rhv-sd create x --kind nfs --path relative/dir
run rhv-sd create x --kind nfs --path "$CASE_TMP/missing"
run rhv-sd create x --kind nfs --path "$CASE_TMP/d1/../d1"
run rhv-sd create x --kind posixfs --path "$CASE_TMP/d1" --lun 3600a:10G
run rhv-sd create x --kind iscsi
run rhv-sd create x --kind iscsi --path "$CASE_TMP/d1"
run rhv-sd create x --kind fcp --role iso --lun 3600a:10G
run rhv-sd create x --kind iscsi --lun 3600a
run rhv-sd create x --kind iscsi --lun 3600a:10Q
run rhv-sd create x --kind iscsi --lun 3600a:512M
run rhv-sd create x --kind iscsi --lun 3600a:1G
run rhv-sd create x --kind iscsi --lun 3600a:10G --lun 3600a:20G
run rhv-sd create 012345678901234567890123456789012345678901234567890 --kind nfs --path "$CASE_TMP/d1"
run rhv-sd create ' x' --kind nfs --path "$CASE_TMP/d1"
run rhv-sd create x --kind nfs --path "$CASE_TMP/d1" --warning-pct 101
run rhv-sd create x --kind nfs --path "$CASE_TMP/d1" --extend-chunk-mib 64
run rhv-sd create x --kind nfs --path "$CASE_TMP/d1" --dc nowhere
run rhv-sd list -c name,status,dc
run ls -A "$CASE_TMP/d1"
# 300 LUNs is the limit of a block domain (reference 10.4)
# create_big N: rhv-sd create big --kind iscsi --lun 3600b1:1G ... --lun 3600bN:1G
create_big() {
	local luns=() i
	for ((i = 1; i <= $1; i++)); do luns+=(--lun "3600b$i:1G"); done
	rhv-sd create big --kind iscsi "${luns[@]}"
}
run create_big 301
run create_big 300
run rhv-sd show big -c name,kind,luns,size,free
# a LUN belongs to one domain only
run rhv-sd create other --kind fcp --lun 3600b7:5G
# unknown objects exit 3
run rhv-sd show nope
run rhv-sd edit nope --description x
run rhv-sd attach nope --dc Default
run rhv-sd attach big --dc nowhere
run rhv-sd attach big
run rhv-sd activate nope
run rhv-sd maintenance nope
run rhv-sd detach nope
run rhv-sd remove nope
run rhv-sd list --dc nowhere
run rhv-sd scrub nope
run rhv-sd iso-list --domain nope
run rhv-sd iso-upload "$CASE_TMP/none.iso" --domain nope
run rhv-sd iso-upload "$CASE_TMP/none.iso"
run rhv-sd spm-status nowhere
run rhv-sd spm-elect nowhere
run rhv-sd spm-release nowhere
run rhv-sd spm-set-priority nohost --priority 3
run rhv-sd recover --dc nowhere
# a domain already in the store is not imported twice
rhv-sd create x --kind nfs --path "$CASE_TMP/d1" -q
run rhv-sd import "$CASE_TMP/d1"
run rhv-sd import relative/dir
run rhv-sd edit big
run rhv-sd edit big --critical-gib -1
run sql "SELECT count(*) FROM storage_domains"
run ls -A "$CASE_TMP/d1"
