# needs: netlab
# Port mirroring (reference 3.14) on the hosts: m's NIC is on a mirroring
# profile of red, so on the host where m runs every frame crossing red's
# bridge is copied to m's tap (tc mirred).  a (h1) and b (h2) are on red,
# c (h1) on blue.  Unicast frames to a, sent by h2 over the bond (they
# enter h1's red from the bond: its ingress) and by h1's own red (its
# egress), reach m's tap although the bridge forwards them to a's tap only:
# b's tap does not see them, nor does m see blue's frames.  The filters on
# h1's red name m's tap; stopping m takes them away, and after a migration
# to h2 they are on h2's red and gone from h1's.  A host that cannot be
# reached over SSH does not fail the stop: a warning and an event.  A
# mirroring guest killed outside rhv loses its filters at the next
# monitoring pass.  The guests have no OS: their firmware's DHCP (PXE)
# broadcasts teach the bridges their MACs.
. "$(dirname "$TESTS_LAB")/../netlab-lib.sh"
rhv-dc create D -q
rhv-cluster create C --dc D -q
netlab_hosts C
A=00:1a:4a:16:01:51 B=00:1a:4a:16:01:52 X=00:1a:4a:16:01:53
Z1=02:00:00:00:77:01 Z2=02:00:00:00:77:02 Z3=02:00:00:00:77:03
# unicast HOST DST VM: 5 frames each from Z1 (sent by h2's red), Z2 (h1's
# red) to DST on red, and from Z3 (h1's blue) to c; then what m's tap on
# HOST, b's tap and c's tap saw.  Sent at once: by the time m and c saw
# theirs, a leak to any of the others had come too.
unicast() {
	local d=$CASE_TMP s1 s2 s3 s4
	rm -f "$d/stop" "$d"/ready.*
	SNIFF_READY=$d/ready.1 SNIFF_UNTIL_ALL=1 sniff "$1" "$(tap_of "$1" m)" "$NL_WAIT" "$Z1" "$Z2" >"$d/m.red" &
	s1=$!
	SNIFF_READY=$d/ready.2 SNIFF_UNTIL_ALL=1 sniff h1 "$(tap_of h1 c)" "$NL_WAIT" "$Z3" >"$d/c.blue" &
	s2=$!
	SNIFF_READY=$d/ready.3 SNIFF_STOP=$d/stop sniff "$1" "$(tap_of "$1" m)" "$NL_WAIT" "$Z3" >"$d/m.blue" &
	s3=$!
	SNIFF_READY=$d/ready.4 SNIFF_STOP=$d/stop sniff h2 "$(tap_of h2 b)" "$NL_WAIT" "$Z1" "$Z2" >"$d/b.red" &
	s4=$!
	sniffing "$d"/ready.{1,2,3,4}
	send_frames h2 red "$Z1" "$2" 5
	send_frames h1 red "$Z2" "$2" 5
	send_frames h1 blue "$Z3" "$X" 5
	wait "$s1" "$s2"
	touch "$d/stop"
	wait "$s3" "$s4"
	echo "m's tap got the frames to $3 from h2 ($Z1) and from h1 ($Z2):" "$(some <"$d/m.red")"
	echo "b's tap (red, h2, not mirroring) got:" "$(some <"$d/b.red")"
	echo "c's tap (blue) got its own ($Z3):" "$(some <"$d/c.blue")"
	echo "m's tap got blue's frames:" "$(some <"$d/m.blue")"
}
some() { awk '{ printf "%s%s %s", (NR > 1 ? " " : ""), $1, ($2 > 0 ? "some" : "none") } END { print "" }'; }
{
	netlab_red_blue D C
	run rhv-net profile-create mon --network red --port-mirroring yes
	run rhv-vm create a --cluster C --memory 64M --vcpus 1 --nic red
	run rhv-vm create b --cluster C --memory 64M --vcpus 1 --nic red
	run rhv-vm create c --cluster C --memory 64M --vcpus 1 --nic blue
	run rhv-vm create m --cluster C --memory 64M --vcpus 1 --nic red/mon
	run rhv-vm show m -c nics
	run rhv-vm start b --host h2
	run rhv-vm start c --host h1
	run rhv-vm start m --host h1
	mirrors h1 red m
	mirrors h1 blue m
	run rhv-vm start a --host h1
	wait_for "h1's red learned a's MAC on a's tap" learned h1 red "$A" "the tap of a" a
	wait_for "h2's red learned a's MAC over the bond" learned h2 red "$A" bond0.10
	wait_for "h1's blue learned c's MAC on c's tap" learned h1 blue "$X" "the tap of c" c

	echo "# unicast to a, which h1's red forwards to a's tap only; and to c on blue"
	unicast h1 "$A" a
	echo "# stopped: no filter is left"
	run rhv-vm stop m
	mirrors h1 red m
	echo "# started again, then migrated to h2: the filters follow it"
	run rhv-vm start m --host h1
	mirrors h1 red m
	run rhv-vm migrate m --host h2
	mirrors h2 red m
	mirrors h1 red m
	wait_for "h1's red learned b's MAC over the bond" learned h1 red "$B" bond0.10
	wait_for "h2's red learned b's MAC on b's tap" learned h2 red "$B" "the tap of b" b
	echo "# unicast to b on h2, which h2's red forwards to b's tap only"
	unicast h2 "$B" b
	run rhv-event list --object vm:m --severity WARNING -c action,message
	echo "# h2 unreachable over SSH: m stops all the same, with a warning and an event;"
	echo "# the filter stays on h2's red, copying to a tap that is gone"
	run rhv-fence setup h2 --ssh-port 1
	run rhv-vm stop m
	run rhv-event list --object vm:m --severity WARNING -c action,message
	mirrors h2 red m
	run rhv-fence setup h2 --ssh-port 22
	echo "# m killed outside rhv on h1: the next monitoring pass finds it Down and takes"
	echo "# its filter off h1's red"
	run rhv-vm start m --host h1
	mirrors h1 red m
	virsh -q -c "${NL_URI[h1]}" destroy m >/dev/null
	run rhv-host monitor -q
	run rhv-vm show m -c name,state
	mirrors h1 red m
} 2>&1 | sed -e "s/$RHV_LAB_NET\./<net>./g"
