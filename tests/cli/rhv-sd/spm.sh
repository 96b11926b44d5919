# The SPM verbs and ISO domains without hosts: a data center without a
# master domain has no lease and no SPM to elect or release; SPM priorities
# are host settings; confirm-down refuses a host that answers or does not
# exist, without its warning.  ISO images land in an ISO domain's iso/.
rhv-dc create Default -q
rhv-dc create East -q
run rhv-sd spm-status
run rhv-sd spm-status Default -o json
run rhv-sd spm-status -c all -o tsv
run rhv-sd spm-elect Default
run rhv-sd spm-elect Default --force
run rhv-sd spm-release Default
run rhv-sd spm-set-priority nohost --priority 3
run rhv-sd spm-set-priority nohost
run rhv-host confirm-down nohost
# a host in Maintenance is in the store but answers nothing here
rhv-cluster create c1 --dc Default --cpu-type nehalem -q
sql "INSERT INTO hosts (name, cluster_id, uri, state) SELECT 'h1', id, 'qemu+ssh://root@h1/system', 'Maintenance' FROM clusters" >/dev/null
run rhv-sd spm-set-priority h1 --priority -1
run rhv-sd spm-set-priority h1 --priority 11
run rhv-host show h1 -c name,spm_priority,spm
run rhv-host confirm-down h1
# ISO images
mkdir "$CASE_TMP/iso1" "$CASE_TMP/data1"
rhv-sd create isos --kind nfs --role iso --path "$CASE_TMP/iso1" -q
rhv-sd create data1 --kind nfs --path "$CASE_TMP/data1" -q
head -c 3000 /dev/zero >"$CASE_TMP/boot.iso"
run rhv-sd iso-upload "$CASE_TMP/boot.iso" --domain isos
run rhv-sd iso-upload "$CASE_TMP/boot.iso" --domain isos
run rhv-sd iso-upload "$CASE_TMP/boot.iso" --domain isos --name rescue.iso
run rhv-sd iso-upload "$CASE_TMP/boot.iso" --domain isos --name .hidden
run rhv-sd iso-upload "$CASE_TMP/boot.iso" --domain data1
run rhv-sd iso-upload "$CASE_TMP/missing.iso" --domain isos
run rhv-sd iso-list -c name,domain,size
run rhv-sd iso-list --domain isos -o json -c name,size
run rhv-sd iso-list --domain data1
run ls -A "$CASE_TMP/iso1/iso"
run rhv-vm edit novm --cdrom boot.iso
run rhv-vm edit novm --cdrom boot.iso --eject
