# Engine settings: the reference's timing constants, tunable per store.
run rhv-db settings
run rhv-db settings HostGraceSeconds -o json
run rhv-db set HostGraceSeconds 5
run rhv-db set HostGracePerVmMillis 0
run rhv-db settings -c key,value,default,explicit
run rhv-db set HostGraceSeconds 99999
run rhv-db set HostGraceSeconds soon
run rhv-db set NoSuchSetting 1
run rhv-db settings NoSuchSetting
run rhv-db reset HostGraceSeconds
run rhv-db settings HostGraceSeconds -c key,value,explicit
run rhv-event list --object setting -c object,action,message
