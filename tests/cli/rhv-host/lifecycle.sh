# needs: lab
# Hosts on real libvirt daemons: add (read through libvirt), fit checks,
# states, edit, maintenance and remove.
rhv-dc create Default -q
rhv-cluster create lab --dc Default -q
rhv-cluster create other --dc Default --cpu-type "$(other_vendor_type)" -q
run rhv-cluster show lab -c name,cpu_type
# the cluster takes the newest type its first host can run (here on TCG)
run rhv-host add h1 --cluster lab --uri "$LAB_H1_URI" --emulated
run sh -c 'test "$(rhv-cluster show lab -o tsv -H -c cpu_type)" = "$(rhv-cluster cpu-types --host h1 -o tsv -H -c id | tail -n 1)" && echo "lab took the newest type h1 can run"'
run sh -c 'rhv-cluster cpu-types --host h1 -o tsv -H -c vendor | sort -u'
run rhv-host add h2 --cluster lab --uri "$LAB_H2_URI" --emulated --memory-limit 1G --spm-priority 8
# an Intel host never joins an AMD cluster, nor the reverse (reference 10.3)
run rhv-host add h3 --cluster other --uri "$LAB_H3_URI" --emulated
run rhv-host add h1 --cluster lab --uri "$LAB_H3_URI"
run rhv-host add h4 --cluster lab --uri "$LAB_H1_URI"
run rhv-host add h5 --cluster lab --uri 'qemu+unix:///session?socket=/nonexistent/sock'
run rhv-host add h5 --cluster nowhere --uri "$LAB_H3_URI"
run rhv-host add h5 --cluster lab --uri nonsense
run rhv-host add h5 --cluster lab --uri "$LAB_H3_URI" --spm-priority 11
run rhv-host add h5 --cluster lab --uri "$LAB_H3_URI" --memory-limit 12Q
run rhv-host add h5 --cluster lab
run rhv-host list -c name,cluster,state,vms,memory_committed
run rhv-host list --cluster other -c name,state,reason
run rhv-cluster cpu-types --host nowhere
# a type the cluster's hosts cannot run is refused while they serve it
run rhv-cluster edit lab --cpu-type "$(other_vendor_type)"
run rhv-cluster show lab -c name,cpu_type
run rhv-host show h1 -c name,cluster,data_center,state,cpu_vendor,emulated,spm_priority,memory_limit
run rhv-host show h2 -o json -c name,spm_priority,memory_limit,emulated,vms
run sh -c 'rhv-host show h1 -o tsv -H -c cpu_flags | tr , "\n" | grep -x -e nx -e sse2'
run rhv-host edit h2 --memory-limit none --spm-priority -1
run rhv-host show h2 -c spm_priority,memory_limit
run rhv-host edit h2 --emulated maybe
run rhv-host remove h1
run rhv-host activate h3
run rhv-host refresh h1
# a refresh that finds a host no longer fits says so like activate does
# (exit 4); here the cluster's type changed behind rhv's back
t=$(rhv-cluster show lab -o tsv -H -c cpu_type)
sql "UPDATE clusters SET cpu_type = '$(other_vendor_type)' WHERE name = 'lab'"
run rhv-host refresh h1
run rhv-host list -c name,state
sql "UPDATE clusters SET cpu_type = '$t' WHERE name = 'lab'"
run rhv-host refresh h1
run rhv-host maintenance h1
run rhv-host maintenance h1
run rhv-host list -c name,state
run rhv-host activate h1
run rhv-host maintenance h2
run rhv-host remove h2
run rhv-host remove h2
run rhv-host list -c name,state
# the facts read from each host vary by machine: masked
run rhv-event list --object host -c severity,object,action,message
run rhv-event list --object cluster:lab -c severity,action,message
# at most 200 hosts per data center (reference 10.2): fill it up to 200
sql "INSERT INTO hosts (name, cluster_id, uri, state)
     SELECT 'filler' || i, (SELECT id FROM clusters WHERE name = 'lab'), 'qemu+ssh://root@filler' || i || '/system',
            'Maintenance' FROM generate_series(1, 198) i"
run rhv-host add h2 --cluster lab --uri "$LAB_H2_URI" --emulated
run sql "SELECT count(*) FROM hosts"
