# Data centers: create, list in every format, show, edit, remove.
run rhv-dc list
run rhv-dc create Default
run rhv-dc create 서울-데이터센터 --description 'Seoul	room 3' --storage-type local --compat-version 4.0
run rhv-dc list
run rhv-dc list -o tsv
run rhv-dc list -o tsv -H -c name,storage_type
run rhv-dc list -o json -c name,clusters,created
run rhv-dc list -c +id,created
run rhv-dc show Default
run rhv-dc show 서울-데이터센터 -o json
run rhv-dc list --list-columns
run rhv-dc edit Default --description 'main site' --name Main
run rhv-dc show Main -c name,description
run rhv-dc edit 서울-데이터센터 --compat-version 4.1
run rhv-dc edit 서울-데이터센터 --compat-version 4.0
run rhv-dc show "$(rhv-dc show Main -o tsv -H -c id)" -c name
run rhv-dc remove Main
run rhv-dc list -c name
run rhv-event list -c severity,object_type,object,action,message
