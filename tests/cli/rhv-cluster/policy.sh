# Scheduling policies with oVirt's parameters, defaults and ranges.
run rhv-dc create Default
run rhv-cluster create c1 --dc Default --cpu-type nehalem
run rhv-cluster policies
run rhv-cluster params c1
run rhv-cluster policy c1 --policy vm_evenly_distributed --param HighVmCount=20 --param SpmVmGrace=0
run rhv-cluster params c1 -o json
run rhv-cluster policy c1 --param MigrationThreshold=1
run rhv-cluster policy c1 --param HighUtilization=70
run rhv-cluster policy c1 --param HighVmCount=ten
run rhv-cluster policy c1 --param HighVmCount
run rhv-cluster policy c1 --param Bogus=1
run rhv-cluster policy c1 --policy round_robin
run rhv-cluster policy c1
run rhv-cluster policy c1 --ha-reservation maybe
run rhv-cluster show c1 -c name,policy,ha_reservation,policy_params
run rhv-cluster policy c1 --policy power_saving --param LowUtilization=30 --param HighUtilization=60 --ha-reservation on
run rhv-cluster show c1 -c name,policy,ha_reservation,policy_params
run rhv-cluster policy c1 --param LowUtilization=45 --param HighUtilization=50
run rhv-cluster policy c1 --param LowUtilization=
run rhv-cluster policy c1 --param MaxFreeMemoryForOverUtilized=4096 --param MinFreeMemoryForUnderUtilized=1024
run rhv-cluster policy c1 --param MaxFreeMemoryForOverUtilized=1024 --param MinFreeMemoryForUnderUtilized=8192
run rhv-cluster params c1 -o tsv -c parameter,value,explicit
run rhv-cluster policy c1 --policy none
run rhv-cluster params c1 -c parameter,value,explicit
run sql "SELECT count(*) FROM cluster_policy_params"
run rhv-event list --object cluster:c1 -c action,message
# a boolean parameter set on the cluster is read back as set by every reader
# (the balancer read the stored "true" as false)
rhv-cluster create ps --dc Default --cpu-type nehalem -q
for v in true false true; do
	rhv-cluster policy ps --policy power_saving --param EnableAutomaticHostPowerManagement=$v -q
	run sh -c "rhv-balance save --cluster ps -q '$CASE_TMP/ps.json' && grep -o '\"EnableAutomaticHostPowerManagement\": [a-z]*' '$CASE_TMP/ps.json'; rhv-cluster params ps -o tsv -H -c parameter,value | grep EnableAutomatic"
done
