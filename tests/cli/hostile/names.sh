# Names echoed raw (issue 9): every lookup checks a name as create does,
# before any query (exit 2); a message that quotes other user text, and
# every table and TSV, shows control characters escaped, so nothing can
# forge a line or drive the terminal.  The store is unchanged.
rhv-dc create Default -q
rhv-cluster create prod --dc Default --cpu-type penryn -q
run counts
run rhv-dc show $'x\nrhv-dc: error: fake'
run rhv-dc show $'\e]0;owned\a'
run rhv-dc show $'\e[2J'
run rhv-dc show $'\xff'
run rhv-dc show ' Default'
run rhv-dc show $'Default\xc2\x85'
run rhv-dc show $'De\xe2\x80\xa8fault'
run rhv-dc remove $'x\nrhv-dc: error: fake'
run rhv-dc edit $'\e[2J' --description x
run rhv-cluster list --dc $'\e[2J'
run rhv-cluster create c2 --dc $'\xff' --cpu-type penryn
run rhv-cluster policy $'prod\r' --policy none
run rhv-host show $'\e]0;t\a'
run rhv-vm show $'\e[2J'
run rhv-vm list --cluster $'x\ny'
run rhv-vm create v1 --cluster $'\e[2J' --memory 1G --vcpus 1
run rhv-sd show $'\e[2J'
run rhv-disk show $'\xff'
run rhv-disk list --domain $'\e[2J'
run rhv-snap list $'\e[2J'
run rhv-snap create $'x\nrhv-snap: error: fake'
run rhv-snap commit $'\e]0;t\a'
run rhv-snap resume $'\xff'
# a snapshot is named by its id or its description (free text, no control character)
run rhv-snap show $'x\nrhv-snap: error: fake'
run rhv-snap delete $'\e[2J'
run rhv-snap preview $'\xff'
# an id is a name too
run rhv-dc show 00000000-0000-0000-0000-000000000000
# other user text is quoted with its control characters escaped
run rhv-dc $'\e[2J'
run rhv-dc create x --storage-type $'shared\e[2J'
run rhv-event list --since $'2h\nrhv-event: error: fake'
run rhv-cluster policy prod --param $'HighUtilization=\e]0;t\a'
run rhv-dc list -c $'name\e[2J'
run counts
# text the store holds with control characters (another writer, an older
# version): tables, show and TSV escape it; JSON escapes it as JSON does
sql "UPDATE data_centers SET description = E'one\\x1b[2J\\x1b]0;t\\x07\\u0085\\u2028two\\x7f' WHERE name = 'Default'"
run rhv-dc list
run rhv-dc list -o tsv -c name,description
run rhv-dc show Default -c name,description
run rhv-dc show Default -o json -c description
# a snapshot's description the store holds with control characters
rhv-vm create v1 --cluster prod --memory 64M --vcpus 1 -q
sql "INSERT INTO snapshots (id, vm_id, description, status, memory, vcpus)
     SELECT '5a5a5a5a-0000-4000-8000-000000000001', id, E'snap\\x1b[2J\\x07\\u2028end', 'OK', memory, vcpus
     FROM vms WHERE name = 'v1'"
run rhv-snap list -c vm,description,status
run rhv-snap list -o tsv -c description
run rhv-snap show 5a5a5a5a-0000-4000-8000-000000000001 -c description
run rhv-snap show 5a5a5a5a-0000-4000-8000-000000000001 -o json -c description
