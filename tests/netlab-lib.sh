# shellcheck shell=bash
# Helpers for the cases that say "# needs: netlab" (sourced by them, after
# tests/lib.sh): the hosts of the network lab in a cluster, what the hosts
# themselves show (ip, bridge, ovs-vsctl, their taps), and waits.  Nothing
# here waits for a fixed time: every wait polls up to a generous bound (the
# machine is busy and the guests are TCG), and says what never came.

NL_WAIT=${NL_WAIT:-300}
declare -A NL_NS NL_OVSDB NL_OVSCTL NL_URI NL_MGMT

# netlab_hosts CLUSTER [HOST]: add h1 and h2 of the network lab (or HOST
# alone) to CLUSTER, with SSH access as root (rhv-net host-setup needs it),
# and learn their namespaces, Open vSwitch and libvirt URIs.
netlab_hosts() {
	local name uri skey skh netns mgmt ovsdb
	while IFS=$'\t' read -r name uri _ _ _ _ _ _ _ _ _ _ skey skh _ _ netns mgmt _ _ ovsdb; do
		[ "$name" = name ] && continue
		[ -n "${2:-}" ] && [ "$name" != "$2" ] && continue
		NL_NS[$name]=$netns NL_URI[$name]=$uri NL_MGMT[$name]=$mgmt
		NL_OVSDB[$name]=unix:$ovsdb NL_OVSCTL[$name]=${ovsdb%/db.sock}/ovs-vswitchd.ctl
		rhv-host add "$name" --cluster "$1" --uri "$uri" --emulated -q
		rhv-fence setup "$name" --ssh-address "$mgmt" --ssh-user root --ssh-key "$skey" \
			--ssh-known-hosts "$skh" -q
	done < <("$TESTS_LAB" status --dir "$NETLAB_DIR" -o tsv)
}

# netlab_red_blue DC CLUSTER: VM networks red (VLAN 10) and blue (VLAN 20)
# in CLUSTER, on a bond of eth1 and eth2 on h1 and h2, ovirtmgmt on eth0.
netlab_red_blue() {
	local h
	run rhv-net create red --dc "$1" --vlan 10
	run rhv-net create blue --dc "$1" --vlan 20
	run rhv-net attach red --cluster "$2"
	run rhv-net attach blue --cluster "$2"
	for h in h1 h2; do
		run rhv-net host-setup "$h" --attach ovirtmgmt:eth0 --bond bond0:eth1,eth2 \
			--attach red:bond0 --attach blue:bond0 --timeout 120
	done
}

# until_true SECONDS CMD...: poll CMD every second until it succeeds;
# false when it never did.
until_true() {
	local t=$((SECONDS + $1))
	shift
	until "$@"; do
		((SECONDS < t)) || return 1
		sleep 1
	done
}

# wait_for WHAT CMD...: poll CMD up to NL_WAIT seconds, print "WHAT: yes"
# or "WHAT: never (within N s)".
wait_for() {
	local what=$1
	shift
	if until_true "$NL_WAIT" "$@"; then echo "$what: yes"; else echo "$what: never (within $NL_WAIT s)"; fi
}

# tap_of HOST VM [MAC]: the tap of VM's NIC (its first one, or the one
# with MAC) on HOST, as HOST's libvirt names it
tap_of() {
	virsh -q -c "${NL_URI[$1]}" domiflist "$2" 2>/dev/null |
		awk -v mac="${3:-}" 'mac == "" || $5 == mac { print $1; exit }'
}

# master_of HOST DEV: the bridge DEV is a port of, on HOST ("-": none)
master_of() {
	ip -n "${NL_NS[$1]}" -j link show "$2" 2>/dev/null |
		python3 -c 'import json, sys
l = json.load(sys.stdin)
print(l[0].get("master", "-") if l else "(no such device)")'
}

# tap_line HOST VM [MAC]: "VM's tap on HOST is on bridge B"
tap_line() {
	local tap
	tap=$(tap_of "$1" "$2" "${3:-}")
	if [ -z "$tap" ]; then
		echo "$2 has no NIC${3:+ $3} on $1"
	else
		echo "$2's tap${3:+ for $3} on $1 is on bridge $(master_of "$1" "$tap")"
	fi
}

# fdb_dev HOST BRIDGE MAC: the port through which BRIDGE on HOST learned
# MAC (a tap shows as "tap of VM" when VM is given as 4th argument), or
# nothing
fdb_dev() {
	local dev
	dev=$(bridge -n "${NL_NS[$1]}" fdb show br "$2" 2>/dev/null |
		awk -v mac="$3" 'tolower($1) == tolower(mac) && $2 == "dev" && $0 !~ / permanent/ { print $3; exit }')
	[[ -n $4 && -n $dev && $dev = "$(tap_of "$1" "$4" "$3")" ]] && dev="the tap of $4"
	echo "$dev"
}

# learned HOST BRIDGE MAC DEV [VM]: true once BRIDGE on HOST learned MAC on DEV
learned() { [ "$(fdb_dev "$1" "$2" "$3" "${5:-}")" = "$4" ]; }

# fdb_guests HOST MAC...: every bridge of HOST that learned one of the MACs,
# and where (taps named as "tap"): the guests' frames as the host saw them
fdb_guests() {
	local h=$1 mac
	shift
	for mac; do
		bridge -n "${NL_NS[$h]}" fdb show 2>/dev/null |
			awk -v mac="$mac" -v h="$h" 'tolower($1) == tolower(mac) && $4 == "master" {
				dev = $3; sub(/^tap[0-9]+$/, "<tap>", dev)
				print h ": bridge " $5 " learned " $1 " on " dev }'
	done | sort
}

# ovs_vlans HOST MAC: the VLANs in which HOST's Open vSwitch bridge ob-bond0
# learned MAC (comma-separated, "none")
ovs_vlans() {
	ovs-appctl -t "${NL_OVSCTL[$1]}" fdb/show ob-bond0 2>/dev/null |
		awk -v mac="$2" 'tolower($3) == tolower(mac) { print $2 }' | sort -n | paste -sd, | sed 's/^$/none/'
}

# tap_rx HOST DEV: frames the guest sent out of its tap DEV (its rx on the host)
tap_rx() {
	ip -n "${NL_NS[$1]}" -s -j link show "$2" | python3 -c 'import json, sys
print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'
}

# sniff HOST DEV SECONDS MAC...: count, for SECONDS, the frames that DEV on
# HOST sends to its guest (a tap's outgoing frames) with one of the MACs as
# source; print "MAC N" for each.  A packet socket: this host has no
# tcpdump.  Stops early once every MAC was seen when SNIFF_UNTIL_ALL=1, or
# once the file SNIFF_STOP exists.  Once it listens it creates the file
# SNIFF_READY, if given (see sniffing).
sniff() {
	local h=$1 dev=$2 secs=$3
	shift 3
	ip netns exec "${NL_NS[$h]}" python3 - "$dev" "$secs" "${SNIFF_UNTIL_ALL:-0}" "${SNIFF_STOP:-/nonexistent}" \
		"${SNIFF_READY:-}" "$@" <<-'EOF'
		import os, socket, sys, time
		dev, secs, until_all, stop, ready = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1", sys.argv[4], sys.argv[5]
		macs = sys.argv[6:]
		want = {bytes.fromhex(m.replace(":", "")): m for m in macs}
		seen = dict.fromkeys(macs, 0)
		s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
		s.bind((dev, 0))
		if ready:
		    open(ready, "w").close()
		end = time.monotonic() + secs
		while time.monotonic() < end and not os.path.exists(stop):
		    s.settimeout(1)
		    try:
		        frame, addr = s.recvfrom(65536)
		    except socket.timeout:
		        continue
		    if addr[2] == socket.PACKET_OUTGOING and frame[6:12] in want:
		        seen[want[frame[6:12]]] += 1
		        if until_all and all(seen.values()):
		            break
		for m in macs:
		    print(m, seen[m])
	EOF
}

# sniffing FILE...: wait until the sniffers given these SNIFF_READY files
# listen (a loaded machine may take seconds to start one); false when one
# never did
sniffing() {
	local f
	for f; do
		until_true "$NL_WAIT" test -e "$f" || { echo "a sniffer never started ($f)"; return 1; }
	done
}

# send_frames HOST DEV SRC DST N: N frames from MAC SRC to MAC DST, sent
# by HOST's own stack out of DEV (a bridge: it forwards them as it learned
# DST), ethertype 0x88b5 (local experimental)
send_frames() {
	ip netns exec "${NL_NS[$1]}" python3 - "$2" "$3" "$4" "$5" <<-'EOF'
		import socket, sys
		dev, src, dst, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
		frame = bytes.fromhex(dst.replace(":", "") + src.replace(":", "")) + b"\x88\xb5" + bytes(46)
		s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
		s.bind((dev, 0))
		for _ in range(n):
		    s.send(frame)
	EOF
}

# mirrors HOST BRIDGE VM...: where BRIDGE's port mirroring filters (tc, both
# hooks) copy its traffic on HOST, taps named by the VMs they belong to, and
# whether the bridge has the clsact qdisc and is promiscuous
mirrors() {
	local h=$1 br=$2 vm tap out ns=${NL_NS[$1]}
	shift 2
	out=$(for hook in ingress egress; do
		tc -n "$ns" filter show dev "$br" "$hook" 2>/dev/null | sed -n 's/.*Mirror to device \([^)]*\)).*/\1/p'
	done | sort -u | sed 's/^\*$/a tap that is gone (*)/')
	for vm; do
		tap=$(tap_of "$h" "$vm")
		[ -n "$tap" ] && out=$(sed "s/^$tap\$/$vm's tap/" <<<"$out")
	done
	echo "$h: bridge $br mirrors to: $(paste -sd, <<<"$out" | sed 's/,/, /g; s/^$/nothing/')" \
		"(clsact qdisc: $(tc -n "$ns" qdisc show dev "$br" | grep -q '^qdisc clsact' && echo yes || echo no)," \
		"promiscuous: $(ip -n "$ns" -o link show dev "$br" | grep -q '[<,]PROMISC[,>]' && echo yes || echo no))"
}

# agree HOST: what `rhv-net host-nics HOST -o json` and `host-networks`
# say, checked against what ip and ovs-vsctl show on HOST; prints one line,
# "agree" and what was compared, or each difference.
agree() {
	local h=$1 d=$CASE_TMP/agree
	mkdir -p "$d"
	rhv-net host-nics "$h" -o json -c all >"$d/nics.json" || return
	rhv-net host-networks "$h" -o json -c all >"$d/nets.json" || return
	ip -n "${NL_NS[$h]}" -j -d link >"$d/link.json"
	ip -n "${NL_NS[$h]}" -j addr >"$d/addr.json"
	ovs-vsctl --db="${NL_OVSDB[$h]}" -f json --columns=name,tag,interfaces,bond_mode,external_ids list port >"$d/ports.json"
	ovs-vsctl --db="${NL_OVSDB[$h]}" -f json --columns=_uuid,name list interface >"$d/ifaces.json"
	python3 - "$h" "$d" <<-'EOF'
		import json, sys
		h, d = sys.argv[1], sys.argv[2]
		load = lambda f: json.load(open(f"{d}/{f}"))
		nics = load("nics.json")["host_nics"]
		nets = load("nets.json")["host_networks"]
		links = {l["ifname"]: l for l in load("link.json")}
		addrs = {a["ifname"]: sorted(f'{i["local"]}/{i["prefixlen"]}' for i in a.get("addr_info", [])
		                              if i["family"] == "inet") for a in load("addr.json")}
		def table(f):
		    t = load(f)
		    return [dict(zip(t["headings"], r)) for r in t["data"]]
		def val(v):  # ovs-vsctl's JSON: ["set", [...]], ["uuid", u], ["map", [...]] or a plain value
		    if isinstance(v, list) and v[0] == "set":
		        return [val(x) for x in v[1]]
		    if isinstance(v, list) and v[0] in ("uuid", "named-uuid"):
		        return v[1]
		    if isinstance(v, list) and v[0] == "map":
		        return {k: x for k, x in v[1]}
		    return v
		ifname = {val(i["_uuid"]): i["name"] for i in table("ifaces.json")}
		ports = {}
		for p in table("ports.json"):
		    ifs = val(p["interfaces"])
		    ifs = ifs if isinstance(ifs, list) else [ifs]
		    tag = val(p["tag"])
		    ports[p["name"]] = dict(tag=tag if tag != [] else None, ifaces=sorted(ifname[u] for u in ifs),
		                            bond_mode=val(p["bond_mode"]), ext=val(p["external_ids"]))
		bad = []
		for n in nics:
		    name = n["name"]
		    if n["kind"] == "nic":
		        l = links.get(name)
		        if not l:
		            bad.append(f"{name}: no such link"); continue
		        if l["mtu"] != n["mtu"]:
		            bad.append(f"{name}: MTU {l['mtu']} on the host, {n['mtu']} in host-nics")
		        if (n["mac"] or "").lower() != l["address"].lower():
		            bad.append(f"{name}: MAC differs")
		        if sorted(x for x in (n["addresses"] or "").split(",") if x) != addrs.get(name, []):
		            bad.append(f"{name}: addresses {addrs.get(name)} on the host, '{n['addresses']}' in host-nics")
		        if n["bond"] and name not in ports.get(n["bond"], {}).get("ifaces", []):
		            bad.append(f"{name}: not an interface of OVS bond port {n['bond']}")
		    else:
		        p = ports.get(name)
		        members = sorted(x["name"] for x in nics if x["bond"] == name)
		        if not p:
		            bad.append(f"{name}: no OVS port of that name"); continue
		        if p["ifaces"] != members:
		            bad.append(f"{name}: OVS interfaces {p['ifaces']}, host-nics says {members}")
		        mode = p["ext"].get("rhv_bond_mode") if isinstance(p["ext"], dict) else None
		        ovs_mode = {"balance-tcp": 4, "balance-slb": 2, "active-backup": 1}.get(p["bond_mode"])
		        if n["bond_mode"] != (int(mode) if mode else ovs_mode):
		            bad.append(f"{name}: bond mode {mode or p['bond_mode']} on the host, {n['bond_mode']} in host-nics")
		    # the networks on the device: bridge, VLAN port, tag
		    vlist = lambda k: (n[k] or "").split(",") if n[k] else []
		    for net, br, vlan in zip(vlist("networks"), vlist("bridges"), vlist("vlans")):
		        tag = None if vlan == "-" else int(vlan)
		        if br != "-":
		            b = links.get(br)
		            if not b or b.get("linkinfo", {}).get("info_kind") != "bridge":
		                bad.append(f"{net}: no bridge {br}"); continue
		            ports_of = sorted(l["ifname"] for l in links.values() if l.get("master") == br)
		            if name not in ports_of and f"{name}.{tag or 0}" not in ports_of:
		                bad.append(f"{net}: bridge {br} holds {ports_of}, not {name}")
		        if (tag is not None or n["kind"] == "bond"):
		            peer = ports.get(f"{name}.{tag or 0}p" if br != "-" else f"{name}.{tag or 0}")
		            if not peer or (peer["tag"] or 0) != (tag or 0):
		                bad.append(f"{net}: no OVS port with tag {tag} for it")
		for x in nets:
		    dev = x["bridge"] if x["bridge"] not in (None, "-") else x["nic"]
		    if x["address"] not in (None, "", "-") and x["address"] not in addrs.get(dev, []):
		        bad.append(f"{x['network']}: address {x['address']} is not on {dev}: {addrs.get(dev)}")
		    if x["bridge"] not in (None, "-") and links.get(x["bridge"], {}).get("mtu") != x["mtu"]:
		        bad.append(f"{x['network']}: bridge MTU differs")
		if bad:
		    for b in bad:
		        print(f"{h}: DIFFERS: {b}")
		else:
		    print(f"{h}: ip and ovs-vsctl show what host-nics says: {len(nics)} devices, "
		          f"{sum(1 for x in nets)} networks")
	EOF
}
