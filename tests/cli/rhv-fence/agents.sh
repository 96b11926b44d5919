# Power management without a lab: agents, settings, the plans of the power
# actions (--dry-run), bad input, and the password kept out of every listing,
# event and reader but the store's owner.
rhv-dc create D -q
rhv-cluster create C --dc D -q
rhv-cluster create C2 --dc D -q
sql "INSERT INTO hosts (name, cluster_id, uri, state)
     SELECT n, (SELECT id FROM clusters WHERE name = c), 'test:///' || n, s
     FROM (VALUES ('h1', 'C', 'Up'), ('h2', 'C', 'Maintenance'), ('h3', 'C', 'Up'), ('h4', 'C2', 'Up'),
                  ('h5', 'C', 'NonOperational')) v (n, c, s)"
printf 'Sup3r-Secret\n' >pw
run rhv-fence agent-add h1 --type ipmilan --address 127.0.0.1 --port 47001 --user admin --password-file pw \
	--options lanplus=1,cipher=3,power_wait=0
run rhv-fence agent-add h1 --type apc --address pdu1 --user apc --password-file pw --options port=7 --concurrent
run sh -c 'printf "other-pw\n" | rhv-fence agent-add h1 --type drac7 --address 10.0.0.9 --password-file -'
run rhv-fence agent-add h3 --type ilo4 --address ilo3.example --order 2
run rhv-fence agent-list
run rhv-fence agent-list h1 -o json
run rhv-fence agent-list h1 -o tsv -c idx,type,password_set
run rhv-fence agent-edit h1 3 --options delay=0 --user root --order 1 --concurrent yes
run rhv-fence agent-edit h1 2 --no-password --port 161
run rhv-fence agent-list h1 -c idx,order,type,port,user,options,concurrent,password_set

# bad input: nothing changes
run rhv-fence agent-add h1 --type ilo_ssh --address x
run rhv-fence agent-add h1 --type ipmilan --address x --options lanplus=1,password=oops
run rhv-fence agent-add h1 --type ipmilan --address x --options ipmitool-path=/tmp/x
run rhv-fence agent-add h1 --type ipmilan --address x --port 70000
run rhv-fence agent-add h1 --type ipmilan --address x --port abc
run rhv-fence agent-add h1 --type ipmilan --address 'a b'
run rhv-fence agent-add h1 --type ipmilan
run rhv-fence agent-add nosuch --type ipmilan --address x
run rhv-fence agent-add h1 --type ipmilan --address x --password Sup3r-Secret
run rhv-fence agent-add h1 --type ipmilan --address x --password-file /nonexistent
: >empty
run rhv-fence agent-add h1 --type ipmilan --address x --password-file empty
run rhv-fence agent-edit h1 9 --user x
run rhv-fence agent-edit h1 x --user x
run rhv-fence agent-edit h1 1 --no-password --password-file pw
run rhv-fence agent-remove h1 9
run rhv-fence agent-list -c host,idx

# settings
run rhv-fence list
run rhv-fence setup h4 --enable
run rhv-fence setup h1 --enable --proxies cluster,dc,local
run rhv-fence setup h1 --proxies local,cluster
run rhv-fence setup h1 --proxies cluster,other_dc
run rhv-fence setup h1 --enable --disable
run rhv-fence setup h3 --ssh-address 127.0.0.1 --ssh-port 2222 --ssh-user rhv --ssh-key /k/id --ssh-known-hosts /k/kh
run rhv-fence setup h3 --ssh-key relative/key
run rhv-fence setup h3 --ssh-port 0
run rhv-fence show h1
run rhv-fence show h3 -c all -o json
run rhv-fence list -o tsv

# the power actions' plans: h3 reached over SSH first, local last; nothing runs
run rhv-fence status h1 --dry-run -o json
run rhv-fence test h1 --dry-run -c proxy,agent,operation,result
run rhv-fence start h1 --dry-run -c proxy,agent,operation
run rhv-fence stop h1 --dry-run
run rhv-fence setup h3 --ssh-address ''
run rhv-fence status h1 --dry-run -c proxy,agent,operation,message -o tsv
sql "UPDATE hosts SET state = 'Maintenance' WHERE name = 'h1'"
run rhv-fence stop h1 --dry-run -c proxy,agent,operation -H
run rhv-fence restart h1 --dry-run -c proxy,agent,device,operation,result
sql "UPDATE hosts SET state = 'Up' WHERE name = 'h1'"
# refusals: state, disabled, no agent
run rhv-fence stop h1
run rhv-fence restart h1
run rhv-fence start h3
run rhv-fence status h2
run rhv-fence status nosuch

# removing agents; the last one disables power management
run rhv-fence agent-remove h1 2
run rhv-fence agent-remove h1 1
run rhv-fence agent-remove h1 3
run rhv-fence show h1 -c host,pm_enabled,agents
run rhv-fence agent-list h1

# the password: in no listing, no event; only the store's owner reads it
for f in table json tsv; do rhv-fence agent-list -c all -o $f; rhv-fence show h3 -c all -o $f; done >listings
rhv-event list -c all -o tsv >events
echo "password in listings: $(grep -c -e Sup3r-Secret -e other-pw listings)"
echo "password in events: $(grep -c -e Sup3r-Secret -e other-pw events)"
echo "fence events: $(grep -c fence- events)"
sql "SELECT relacl IS NULL OR relacl::text NOT LIKE '%=r%' FROM pg_class WHERE relname = 'fence_agent_secrets'"
run sh -c 'psql "$RHV_DB" -XAtq -v ON_ERROR_STOP=1 -c "BEGIN; CREATE ROLE rhv_fence_probe;
	SET ROLE rhv_fence_probe; SELECT password FROM fence_agent_secrets"' 
sql "SELECT count(*) FROM fence_agent_secrets"

# the ipmitool wrapper: -P and its value dropped, -E added when the environment has the password
wrapper="$(dirname "$(command -v rhv-fence)")/helpers/rhv-ipmitool"
printf '#!/bin/sh\nprintf "[%%s]" "$@"; echo\n' >args
chmod +x args
run env RHV_IPMITOOL=./args IPMI_PASSWORD=Sup3r-Secret "$wrapper" -I lanplus -H 127.0.0.1 -U admin -P Sup3r-Secret chassis power status
run env RHV_IPMITOOL=./args "$wrapper" -I lanplus -PSup3r-Secret -H h
