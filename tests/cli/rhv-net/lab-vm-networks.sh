# needs: netlab
# VMs on logical networks end to end (issue 13's acceptance): a VM network
# with VLAN 10 on a bond of two NICs on both hosts, and another with VLAN
# 20 on the same bond.  a (h1) and b (h2) on VLAN 10, c (h1) on VLAN 20.
# Their taps are on their network's bridge; a's frames cross the bond and
# Open vSwitch to h2 and reach b's tap, never c's; each host's bridges and
# OVS learn each MAC in its own VLAN only; ip and ovs-vsctl on each host
# show what host-nics says.  A live migration goes to the address on the
# migration-role network (the management one when the migration network
# has no address there) and keeps the VM on its network; a vNIC hot-plugged
# there joins its bridge, and an OS-less guest does not release it.
# The guests have no OS: their firmware asks for DHCP (PXE) for a while
# after they start, and QEMU announces a migrated guest's MAC: these are
# the frames seen.  Every wait polls (tests/netlab-lib.sh).
. "$(dirname "$TESTS_LAB")/../netlab-lib.sh"
rhv-dc create D -q
rhv-cluster create C --dc D -q
netlab_hosts C
A=00:1a:4a:16:01:51 B=00:1a:4a:16:01:52 X=00:1a:4a:16:01:53
{
	netlab_red_blue D C
	echo "# ip and ovs-vsctl on each host against host-nics -o json and host-networks"
	agree h1
	agree h2
	run rhv-net host-networks -c host,network,nic,bridge,vlan,in_sync

	echo "# a (h1) and b (h2) on red, VLAN 10; c (h1) on blue, VLAN 20"
	run rhv-vm create a --cluster C --memory 64M --vcpus 1 --nic red
	run rhv-vm create b --cluster C --memory 64M --vcpus 1 --nic red
	run rhv-vm create c --cluster C --memory 64M --vcpus 1 --nic blue
	run rhv-vm start b --host h2
	run rhv-vm start c --host h1
	# watch b's and c's taps before a starts, so a's whole DHCP round is seen
	SNIFF_READY=$CASE_TMP/ready.b SNIFF_UNTIL_ALL=1 sniff h2 "$(tap_of h2 b)" "$NL_WAIT" "$A" >"$CASE_TMP/b.seen" &
	sniffb=$!
	SNIFF_READY=$CASE_TMP/ready.c SNIFF_STOP=$CASE_TMP/stop sniff h1 "$(tap_of h1 c)" "$NL_WAIT" "$A" "$B" \
		>"$CASE_TMP/c.seen" &
	sniffc=$!
	sniffing "$CASE_TMP"/ready.{b,c}
	run rhv-vm start a --host h1
	tap_line h1 a
	tap_line h2 b
	tap_line h1 c
	wait "$sniffb"
	echo "frames from a's MAC that reached b's tap on h2: $(awk '{ print ($2 > 0 ? "some" : "none") }' "$CASE_TMP/b.seen")"
	# once a's broadcasts crossed to h2, any leak into VLAN 20 (on a's own host) had happened
	n=$(tap_rx h1 "$(tap_of h1 a)")
	until_true "$NL_WAIT" eval '(($(tap_rx h1 "$(tap_of h1 a)") > n))'
	touch "$CASE_TMP/stop"
	wait "$sniffc"
	echo "frames from a's and b's MACs that reached c's tap on h1:" $(cat "$CASE_TMP/c.seen")
	wait_for "h2's red learned a's MAC over the bond" learned h2 red "$A" bond0.10
	wait_for "h1's red learned b's MAC over the bond" learned h1 red "$B" bond0.10
	wait_for "h2's blue learned c's MAC over the bond" learned h2 blue "$X" bond0.20
	fdb_guests h1 "$A" "$B" "$X"
	fdb_guests h2 "$A" "$B" "$X"
	for h in h1 h2; do
		echo "$h: Open vSwitch learned a in VLAN $(ovs_vlans $h "$A"), b in VLAN $(ovs_vlans $h "$B"), c in VLAN $(ovs_vlans $h "$X")"
	done

	echo "# live migration over the migration-role network (ovirtmgmt): a stays on red"
	run rhv-vm migrate a --host h2
	tap_line h2 a
	wait_for "h2's red learned a's MAC on a's new tap" learned h2 red "$A" "the tap of a" a
	wait_for "h1's red learned a's MAC over the bond" learned h1 red "$A" bond0.10
	echo "a's new tap has frames from the guest: $( (($(tap_rx h2 "$(tap_of h2 a)") > 0)) && echo yes || echo no)"
	echo "# the migration role on red, which has no address on the hosts: the stream takes the management one"
	run rhv-net attach red --cluster C --role migration
	run rhv-vm migrate a --host h1
	tap_line h1 a
	wait_for "h1's red learned a's MAC on a's new tap" learned h1 red "$A" "the tap of a" a
	run rhv-vm list -c name,state,host

	echo "# hot-plug: a NIC on blue in the running a joins blue on its host"
	run rhv-vm edit a --nic blue
	tap_line h1 a 00:1a:4a:16:01:54
	run rhv-vm show a -c nics
	echo "# a network the host does not have is refused, nothing plugged"
	run rhv-net create green --dc D --vlan 30
	run rhv-net attach green --cluster C --required no
	run rhv-vm edit a --nic green
	run rhv-vm show a -c nics
	echo "# unplug: the OS-less guest never releases it; it stays, in the guest and in the store"
	run rhv-vm edit a --remove-nic 00:1a:4a:16:01:54
	tap_line h1 a 00:1a:4a:16:01:54
	run rhv-vm show a -c nics
} 2>&1 | sed -e "s/$RHV_LAB_NET\./<net>./g"
