# What creating and changing a disk refuses without hosts, each with its
# exit code: invalid combinations and sizes, unknown objects, a domain that
# is not Active (disks need an SPM, and the SPM needs a host).
rhv-dc create Default -q
mkdir "$CASE_TMP/data1" "$CASE_TMP/iso1"
rhv-sd create data1 --kind nfs --path "$CASE_TMP/data1" -q
rhv-sd create isos --kind nfs --role iso --path "$CASE_TMP/iso1" -q
rhv-sd create san1 --kind iscsi --lun 36001405aaaa:100G -q
run rhv-disk create d1
run rhv-disk create d1 --domain data1
run rhv-disk create d1 --domain data1 --size 1G --format qcow2 --allocation preallocated
run rhv-disk create d1 --domain data1 --size 1G --format vmdk
run rhv-disk create d1 --domain data1 --size 1G --allocation thick
run rhv-disk create d1 --domain data1 --size 10Q
run rhv-disk create d1 --domain data1 --size 1000
run rhv-disk create d1 --domain data1 --size 0
run rhv-disk create '' --domain data1 --size 1G
run rhv-disk create d1 --domain data1 --size 1G --description "$(printf 'two\nlines')"
run rhv-disk create d1 --domain nope --size 1G
run rhv-disk create d1 --domain data1 --size 1G
run rhv-disk create d1 --domain isos --size 1G
run rhv-disk create d1 --domain san1 --size 1G --format raw --allocation preallocated
run rhv-disk list
run rhv-disk list --domain nope
run rhv-disk list --vm nope
run rhv-disk list --domain data1 -o json
run rhv-disk show nope
run rhv-disk resize nope --size 2G
run rhv-disk resize nope
run rhv-disk copy nope copy1
run rhv-disk copy nope
run rhv-disk move nope --domain data1
run rhv-disk move nope
run rhv-disk remove nope
run rhv-disk attach nope --vm novm
run rhv-disk attach nope --vm novm --bootable maybe
run rhv-disk attach nope --vm novm --interface scsi
run rhv-disk attach nope
run rhv-disk detach nope
run rhv-disk list --list-columns -o tsv -H
run rhv-disk show --list-columns -o tsv -H
run sql "SELECT count(*) FROM disks"
run ls -A "$CASE_TMP/data1"
