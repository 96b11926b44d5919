# needs: netlab
# Required networks on real hosts (reference 3.11-3.12): a host whose
# required network is out of sync (changed by hand on the host, found by
# the next discovery) or missing (detached with host-setup) goes
# NonOperational at the next monitor pass, with the reason, and its VMs
# are migrated to the other host; activate refuses it (exit 4) while it
# lacks the network; once host-setup gives it back, the next pass (or
# activate) makes it Up.
. "$(dirname "$TESTS_LAB")/../netlab-lib.sh"
rhv-dc create D -q
rhv-cluster create C --dc D -q
netlab_hosts C
{
	netlab_red_blue D C
	run rhv-vm create a --cluster C --memory 64M --vcpus 1 --nic red
	run rhv-vm create b --cluster C --memory 64M --vcpus 1 --nic blue
	run rhv-vm start a --host h2
	run rhv-vm start b --host h2

	echo "# red changed by hand on h2: out of sync at the next discovery"
	ip -n "${NL_NS[h2]}" link set red mtu 1400
	run rhv-net host-nics h2 -c name,networks,in_sync
	run rhv-net host-networks h2 -c network,in_sync,sync_reason
	run rhv-host monitor
	run rhv-host list -c name,state,reason
	run rhv-vm list -c name,state,host
	tap_line h1 a
	tap_line h1 b
	run rhv-host activate h2
	run rhv-net host-setup h2 --sync --timeout 120
	run rhv-host monitor
	run rhv-host list -c name,state,reason

	echo "# blue detached from h2 with host-setup while b runs there"
	run rhv-vm migrate b --host h2
	run rhv-net host-setup h2 --detach blue --timeout 120
	run rhv-host monitor
	run rhv-host list -c name,state,reason
	run rhv-vm list -c name,state,host
	tap_line h1 b
	run rhv-host activate h2
	run rhv-vm migrate a --host h2
	run rhv-net host-setup h2 --attach blue:bond0 --timeout 120
	run rhv-host activate h2
	run rhv-host list -c name,state,reason
	run rhv-vm migrate a --host h2
	tap_line h2 a
	rhv-event list --object host:h2 -c severity,action,message | grep -E '^SEVERITY|NonOperational|Up'
} 2>&1 | sed -e "s/$RHV_LAB_NET\./<net>./g"
