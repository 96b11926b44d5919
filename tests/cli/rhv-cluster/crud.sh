# Clusters: CPU types, compatibility versions, list per data center.
run rhv-dc create Default
run rhv-dc create Lab --compat-version 4.0
run rhv-cluster cpu-types
run rhv-cluster create prod --dc Default --cpu-type haswell --description 'web tier'
run rhv-cluster create amd --dc Lab --cpu-type 'AMD Opteron G5'
run rhv-cluster create old --dc Default --cpu-type conroe --compat-version 4.0
run rhv-cluster create c --dc Nowhere --cpu-type conroe
run rhv-cluster create c --dc Default --cpu-type skylake
run rhv-cluster create c --dc Default --compat-version 2.0
run rhv-cluster create prod --dc Lab --cpu-type penryn
# no CPU type: it comes with the first host (rhv-host/lifecycle)
run rhv-cluster create later --dc Default
run rhv-cluster cpu-types --host nowhere
run rhv-cluster list
run rhv-cluster list --dc Lab -c name,cpu_type,cpu_vendor,compat_version
run rhv-cluster list --dc Nowhere
run rhv-cluster show prod
run rhv-cluster show amd -o json -c name,data_center,cpu_vendor,ha_reservation,policy_params
run rhv-dc list -c name,clusters
run rhv-cluster edit prod --name web --cpu-type sandybridge --description ''
run rhv-cluster edit web --compat-version 4.0
run rhv-cluster edit amd --compat-version 4.1
run rhv-dc edit Lab --compat-version 4.1
run rhv-dc show Lab -c name,compat_version
run rhv-cluster show web -o tsv -c name,cpu_type,description,compat_version
run rhv-cluster remove amd
run rhv-cluster remove amd
run rhv-dc remove Lab
run rhv-event list --object cluster -c object,action,message
