# Networks in clusters: ovirtmgmt with every role in every cluster, required, roles move.
run rhv-dc create Default
run rhv-dc create Lab
run rhv-cluster create prod --dc Default --cpu-type haswell
run rhv-cluster create other --dc Lab --cpu-type haswell
run rhv-net list --cluster prod
run rhv-net list --cluster prod -o json
run rhv-net create display --dc Default
run rhv-net create migration --dc Default --vm-network no
run rhv-net create optional --dc Default
run rhv-net create labnet --dc Lab
run rhv-net attach display --cluster prod --role display
run rhv-net attach migration --cluster prod --role migration --required no
run rhv-net attach optional --cluster prod --required no
run rhv-net list --cluster prod
run rhv-net list --cluster prod -c +management,display,migration -o tsv
# again: nothing given is a conflict; something given changes it
run rhv-net attach optional --cluster prod
run rhv-net attach optional --cluster prod --required yes --role display
run rhv-net list --cluster prod -c name,required,roles
# the management network: required, moves only in a cluster without hosts
run rhv-net attach optional --cluster prod --required no
run rhv-net attach display --cluster prod --role management --required no
run rhv-net attach display --cluster prod --role management
run rhv-net list --cluster prod -c name,required,roles
run rhv-net attach ovirtmgmt --cluster prod --role management
# refusals
run rhv-net attach labnet --cluster prod
run rhv-net attach labnet --cluster prod --dc Lab
run rhv-net attach display --cluster nowhere
run rhv-net attach display --cluster prod --role boss
run rhv-net attach display
run rhv-net detach ovirtmgmt --cluster prod
run rhv-net detach labnet --cluster other
run rhv-net detach display --cluster other
run rhv-net remove optional
# detaching gives the roles back to the management network
run rhv-net detach optional --cluster prod
run rhv-net list --cluster prod -c name,required,roles
run rhv-net detach optional --cluster prod
run rhv-net remove optional
run rhv-net list -c name,data_center,clusters
run rhv-cluster create third --dc Default
run rhv-net list --cluster third
run rhv-event list --object network -c object,action,message
