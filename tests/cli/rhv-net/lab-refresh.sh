# needs: netlab
# A change made by hand on a host, found by the monitor (issue 13): with
# HostNetworkRefreshSeconds at 1, one pass reads the hosts' networks
# again; h1, whose bridge of the required network red was deleted, has red
# out of sync, goes NonOperational and its VM goes to h2; host-setup
# --sync sets red up again and the next pass makes h1 Up.  A reading that
# fails (SSH refused) keeps the last one, and is one WARNING event for
# two passes.
. "$(dirname "$TESTS_LAB")/../netlab-lib.sh"
rhv-dc create D -q
rhv-cluster create C --dc D -q
netlab_hosts C
{
	netlab_red_blue D C
	run rhv-vm create a --cluster C --memory 64M --vcpus 1 --nic red
	run rhv-vm start a --host h1
	run rhv-db set HostNetworkRefreshSeconds 1
	sleep 1 # the hosts' last readings are older than the setting

	echo "# bridge red deleted by hand on h1"
	ip -n "${NL_NS[h1]}" link del red
	run rhv-host monitor
	run rhv-net host-networks h1 -c network,in_sync,sync_reason
	run rhv-host list -c name,state,reason
	run rhv-vm list -c name,state,host
	run rhv-net host-setup h1 --sync --timeout 120
	run rhv-net host-networks h1 -c network,in_sync
	run rhv-host monitor
	run rhv-host list -c name,state

	echo "# h1's SSH refused: the last reading is kept, one warning for two passes"
	run rhv-fence setup h1 --ssh-port 1
	sleep 1
	run rhv-host monitor
	sleep 1
	run rhv-host monitor
	run rhv-host list -c name,state
	run rhv-net host-networks h1 -c network,in_sync
	rhv-event list --object host:h1 -c severity,action | grep -E '^SEVERITY|network-read'
} 2>&1 | sed -e "s/$RHV_LAB_NET\./<net>./g"
