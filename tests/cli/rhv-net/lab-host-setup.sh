# needs: netlab
# Host network setup on real hosts (reference 3.4, 3.5, 3.8, 3.9, 3.11):
# two hosts in network namespaces with three NICs and Open vSwitch each,
# reached over SSH as root.  Invalid combinations exit 2 naming the rule
# and change no host; a VLAN network on a bond on both hosts, and what
# host-nics says is what ip and ovs-vsctl show there; a setup that cuts
# the management address rolls back on the host and is reported (exit 5);
# an edit makes hosts out of sync until --sync; a label brings a network.
. "$(dirname "$TESTS_LAB")/../netlab-lib.sh"
rhv-dc create D -q
rhv-cluster create C --dc D -q
netlab_hosts C
# what the host itself says: its Linux bridges with their ports, its OVS ports with tags and interfaces
host_view() {
	local h=$1 br p
	echo "-- $h: ip and ovs-vsctl"
	for br in $(ip -n "${NL_NS[$h]}" -o link show type bridge | awk -F': ' '{ print $2 }' | sort); do
		printf 'bridge %s mtu %s ports %s addr %s\n' "$br" \
			"$(ip -n "${NL_NS[$h]}" -o link show "$br" | sed -E 's/.* mtu ([0-9]+) .*/\1/')" \
			"$(ip -n "${NL_NS[$h]}" -o link show master "$br" | awk -F': ' '{ print $2 }' | sed 's/@.*//' | sort | paste -sd,)" \
			"$(ip -n "${NL_NS[$h]}" -o -4 addr show dev "$br" | awk '{ print $4 }' | paste -sd,)"
	done
	for br in $(ovs-vsctl --db="${NL_OVSDB[$h]}" list-br); do
		for p in $(ovs-vsctl --db="${NL_OVSDB[$h]}" list-ports "$br"); do
			printf 'ovs %s port %s tag %s ifaces %s bond %s\n' "$br" "$p" \
				"$(ovs-vsctl --db="${NL_OVSDB[$h]}" get port "$p" tag)" \
				"$(for u in $(ovs-vsctl --db="${NL_OVSDB[$h]}" get port "$p" interfaces | tr -d '[],'); do
					ovs-vsctl --db="${NL_OVSDB[$h]}" get interface "$u" name; done | sort | paste -sd,)" \
				"$(ovs-vsctl --db="${NL_OVSDB[$h]}" get port "$p" bond_mode)"
		done
	done
	printf 'addresses of eth0: %s\n' "$(ip -n "${NL_NS[$h]}" -o -4 addr show dev eth0 | awk '{ print $4 }')"
}
{
	run rhv-net create red --dc D --vlan 10
	run rhv-net create storage --dc D --vm-network no
	run rhv-net create big --dc D --vlan 20 --mtu 9000
	run rhv-net create a-very-long-name --dc D --vlan 40
	run rhv-net create lab --dc D --vlan 30 --label fast
	for n in red storage big a-very-long-name lab; do rhv-net attach "$n" --cluster C -q; done
	run rhv-net create away --dc D --vlan 50
	run rhv-net host-nics h1

	echo "# invalid combinations: exit 2, the rule named, no host touched"
	run rhv-net host-setup h1 --bond bond0:eth1,eth2:6 --attach red:bond0
	run rhv-net host-setup h1 --attach ovirtmgmt:eth0 --attach storage:eth0
	run rhv-net host-setup h1 --attach ovirtmgmt:eth0 --attach big:eth0
	run rhv-net host-setup h1 --attach a-very-long-name:eth1
	run rhv-net host-setup h1 --attach away:eth1
	run rhv-net host-setup h1 --bond bond0:eth1
	host_view h1
	run rhv-net host-networks

	echo "# a VLAN network on a bond (mode 4) on both hosts; the management network on a bridge"
	for h in h1 h2; do
		run rhv-net host-setup "$h" --attach ovirtmgmt:eth0 --bond bond0:eth1,eth2 --attach red:bond0 --timeout 60
	done
	for h in h1 h2; do
		run rhv-net host-nics "$h" -o json -c name,kind,bond,bond_mode,mtu,networks,bridges,vlans,in_sync
		host_view "$h"
	done
	run rhv-net host-networks -c host,network,nic,bridge,vlan,mtu,address,in_sync
	rhv-event list --object host -c object,action,message | grep -E "^OBJECT|network-setup"

	echo "# cutting the management address: the host rolls back by itself, the store is unchanged"
	run rhv-net host-setup h2 --detach ovirtmgmt --timeout 5
	host_view h2
	run rhv-net host-networks h2 -c network,nic,address,in_sync

	echo "# an edit puts the hosts out of sync; --sync sets them up again"
	run rhv-net edit red --mtu 1400
	run rhv-net host-networks --network red -c host,network,mtu,in_sync,sync_reason
	run rhv-net host-setup h1 --sync --timeout 60
	run rhv-net host-networks --network red -c host,network,mtu,in_sync,sync_reason
	host_view h1

	echo "# a label on the bond brings the network with that label, and takes it away"
	run rhv-net host-setup h1 --label bond0:fast --timeout 60
	run rhv-net host-nics h1 -c name,labels,networks,vlans
	run rhv-net host-setup h1 --unlabel bond0:fast --timeout 60
	run rhv-net host-nics h1 -c name,labels,networks,vlans
} 2>&1 | sed -e "s/$RHV_LAB_NET\./<net>./g"
