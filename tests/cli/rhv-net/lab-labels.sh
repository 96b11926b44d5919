# needs: netlab
# Labels applied at once (reference 3.9) on two real hosts: a network that
# gets a label is set up on every host NIC carrying it, each host in its own
# transaction; losing the label takes it off; detaching the labelled network
# from the cluster takes it off, attaching it brings it back.  A host that
# cannot be reached fails alone: exit 6, the other host done, the store
# says what each host has.  A host that leaves the store and comes back
# brings its networks and labels with it.
. "$(dirname "$TESTS_LAB")/../netlab-lib.sh"
rhv-dc create D -q
rhv-cluster create C --dc D -q
netlab_hosts C
# the host's own view: OVS ports with their tags, bridges with their ports
host_view() {
	local h=$1 br p
	for br in $(ovs-vsctl --db="${NL_OVSDB[$h]}" list-br | sort); do
		for p in $(ovs-vsctl --db="${NL_OVSDB[$h]}" list-ports "$br" | sort); do
			printf '%s: ovs %s port %s tag %s\n' "$h" "$br" "$p" "$(ovs-vsctl --db="${NL_OVSDB[$h]}" get port "$p" tag)"
		done
	done
	for br in $(ip -n "${NL_NS[$h]}" -o link show type bridge | awk -F': ' '{ print $2 }' | sort); do
		printf '%s: bridge %s ports %s\n' "$h" "$br" \
			"$(ip -n "${NL_NS[$h]}" -o link show master "$br" | awk -F': ' '{ print $2 }' | sed 's/@.*//' | sort | paste -sd,)"
	done
}
{
	run rhv-net create blue --dc D --vlan 60
	run rhv-net attach blue --cluster C --required no
	echo "# both hosts: the management network on eth0, label 'fast' on eth1"
	for h in h1 h2; do
		run rhv-net host-setup "$h" --attach ovirtmgmt:eth0 --label eth1:fast --timeout 60
	done
	run rhv-net host-nics h1 -c name,labels,networks,vlans

	echo "# the network gets the label: set up at once on eth1 of both hosts"
	run rhv-net edit blue --label fast
	run rhv-net host-networks --network blue -c host,network,nic,bridge,vlan,in_sync
	host_view h1
	host_view h2
	echo "# the same label again: nothing to do on any host"
	run rhv-net edit blue --label fast

	echo "# it loses the label: taken off both hosts"
	run rhv-net edit blue --label ''
	run rhv-net host-networks --network blue -c host,network,nic
	host_view h1

	echo "# h2 cannot be reached: h1 follows, h2 fails alone (exit 6) and keeps what it had"
	rhv-fence setup h2 --ssh-port 1 -q
	run rhv-net edit blue --label fast
	run rhv-net host-networks --network blue -c host,network,nic,vlan
	rhv-fence setup h2 --ssh-port 22 -q
	echo "# host-setup follows the labels on h2 too"
	run rhv-net host-setup h2 --timeout 60
	run rhv-net host-networks --network blue -c host,network,nic,vlan

	echo "# detached from the cluster: off the labelled NICs; attached again: back"
	run rhv-net detach blue --cluster C
	run rhv-net host-networks --network blue -c host,network,nic
	run rhv-net attach blue --cluster C --required no
	run rhv-net host-networks --network blue -c host,network,nic,vlan
	host_view h2

	echo "# h2 leaves the store and comes back: its networks and labels come from what it confirmed last"
	rhv-host maintenance h2 -q
	rhv-host remove h2 -q
	netlab_hosts C h2
	run rhv-net host-nics h2 -c name,labels,networks,vlans
	run rhv-net host-networks h2 -c host,network,nic,bridge,vlan,address,in_sync
	echo "# the management network set up again: the host keeps its address"
	run rhv-net host-setup h2 --attach ovirtmgmt:eth0 --timeout 60
	run rhv-net host-networks h2 -c network,nic,address
	host_view h2
	rhv-event list --object host -c object,action,message | grep -E "^OBJECT|network-setup|network-adopt"
} 2>&1 | sed -e "s/$RHV_LAB_NET\./<net>./g"
