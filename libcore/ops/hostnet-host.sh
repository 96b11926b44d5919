# rhv-net's host side: sent on ssh's standard input and run as root by
# sh on the host, after the lines that set RHV_NS_ACTION (discover, apply,
# confirm, mirror), RHV_NS_TOKEN, RHV_NS_TIMEOUT and RHV_NS_CONFIG.  Nothing
# is installed on the host.  The host keeps its state in RHV_NET_STATE_DIR
# (default /var/lib/rhv-net): "current", the configuration last confirmed,
# "owned", the links and Open vSwitch bridges rhv-net made, and "mirrored",
# the bridges it mirrors (below).
#
# apply does what vdsm does for setupNetworks: save, apply, and wait for
# the engine to confirm over a NEW connection (confirm, below) within
# RHV_NS_TIMEOUT seconds; without it the host restores the previous
# configuration by itself.  The waiting runs detached, so that a change
# that cuts this very session still rolls back.
#
# Configuration lines (RHV_NS_CONFIG; see ops/hostnet-apply.c):
#   dev NAME MTU [bond MODE NIC,NIC] [ovs]   a NIC or bond (ovs: on Open vSwitch)
#   bridge NAME DEV VLAN|- MTU ADDR|-        a VM network: a Linux bridge
#   port DEV VLAN|- MTU ADDR|-               a non-VM network on the device
#   addr DEV ADDR                            an address rhv-net did not set up
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
STATE=${RHV_NET_STATE_DIR:-/var/lib/rhv-net}

ovs() { ovs-vsctl --timeout=20 "$@"; }
have_ovs() { command -v ovs-vsctl >/dev/null 2>&1 && ovs-vsctl --timeout=3 show >/dev/null 2>&1; }

# Linux bond modes on Open vSwitch: 1 active-backup, 2 balance-slb, 4 LACP
# (balance-tcp, falling back to active-backup without a partner); 0, 3, 5
# and 6 do not exist there: active-backup, the mode kept in external_ids.
# The first NIC is the active one while it has a link (bond-primary), as a
# Linux active-backup bond makes its first NIC active: left to choose, OVS
# may pick eth1 on one host and eth2 on another, and where the two NICs go
# to different switches the hosts then no longer reach each other.
bond_args() {
	case $1 in
	1 | 0 | 3 | 5 | 6) echo "bond_mode=active-backup" ;;
	2) echo "bond_mode=balance-slb" ;;
	4) echo "bond_mode=balance-tcp lacp=active other_config:lacp-fallback-ab=true" ;;
	esac
}

# the port of a network on an OVS device: DEV.VLAN (0: untagged)
vport() { echo "$1.${2#-}" | sed 's/\.$/.0/'; }

own() { echo "$1 $2" >>"$STATE/owned.new"; }

# every address rhv-net manages comes off first: the NICs of both
# configurations, the bridges and ports it owns
teardown() {
	old=$1 new=$2
	if [ -f "$STATE/owned" ]; then
		while read -r kind name; do
			case $kind in
			link)
				# a bridge that stays keeps its taps (running guests)
				if grep -q "^bridge $name " "$new"; then
					ip addr flush dev "$name" 2>/dev/null
					for m in $(ip -o link show master "$name" 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//'); do
						[ -e "/sys/class/net/$m/tun_flags" ] || ip link set "$m" nomaster
					done
					echo "link $name" >>"$STATE/owned.new"
				else
					ip link del "$name" 2>/dev/null
				fi
				;;
			veth) ip link del "$name" 2>/dev/null ;;
			ovs) ovs del-br "$name" 2>/dev/null ;;
			esac
		done <"$STATE/owned"
	fi
	for n in $(awk '$1 == "dev" && $4 != "bond" { print $2 } $1 == "addr" { print $2 }' "$old" "$new" | sort -u); do
		[ -e "/sys/class/net/$n" ] || continue
		ip addr flush dev "$n" scope global
		ip link set "$n" nomaster 2>/dev/null
	done
}

build() {
	conf=$1
	while read -r kind a b c d e f; do
		case $kind in
		dev)
			if [ "$c" = bond ]; then
				have_ovs || { echo "bond $a needs Open vSwitch, which this host lacks" >&2; return 1; }
				slaves=$(echo "$e" | tr , ' ')
				# shellcheck disable=SC2046
				ovs add-br "ob-$a" -- set bridge "ob-$a" datapath_type=netdev \
					-- add-bond "ob-$a" "$a" $slaves $(bond_args "$d") \
					-- set port "$a" external_ids:rhv_bond_mode="$d" \
					other_config:bond-primary="${e%%,*}" || return 1
				own ovs "ob-$a"
				for s in $slaves; do
					ip link set "$s" mtu "$b" up || return 1
					ovs set interface "$s" mtu_request="$b"
				done
				ip link set "ob-$a" mtu "$b" up 2>/dev/null
			else
				ip link set "$a" mtu "$b" up || return 1
				if [ "$c" = ovs ]; then
					have_ovs || { echo "VLANs on $a need Open vSwitch, which this host lacks" >&2; return 1; }
					ovs add-br "ob-$a" -- set bridge "ob-$a" datapath_type=netdev \
						-- add-port "ob-$a" "$a" || return 1
					own ovs "ob-$a"
					ip link set "ob-$a" mtu "$b" up 2>/dev/null
				fi
			fi
			;;
		bridge)
			if [ ! -e "/sys/class/net/$a" ]; then
				ip link add "$a" type bridge stp_state 0 forward_delay 0 || return 1
				own link "$a"
			fi
			ip link set "$a" mtu "$d" up || return 1
			if ovs br-exists "ob-$b" 2>/dev/null; then
				p=$(vport "$b" "$c")
				ip link add "$p" mtu "$d" type veth peer name "${p}p" mtu "$d" || return 1
				own veth "$p"
				ip link set "$p" master "$a" up && ip link set "${p}p" up || return 1
				ovs add-port "ob-$b" "${p}p" tag="${c#-}" || return 1
				[ "$c" != - ] || ovs set port "${p}p" tag=0
			else
				ip link set "$b" master "$a" || return 1
			fi
			ip link set "$a" mtu "$d"
			[ "$e" = - ] || ip addr add "$e" dev "$a" || return 1
			;;
		port)
			dev=$a
			if ovs br-exists "ob-$a" 2>/dev/null; then
				dev=ob-$a
				if [ "$b" != - ]; then
					dev=$(vport "$a" "$b")
					ovs add-port "ob-$a" "$dev" tag="$b" -- set interface "$dev" type=internal \
						mtu_request="$c" || return 1
				fi
				ip link set "$dev" mtu "$c" up || return 1
			fi
			[ "$d" = - ] || ip addr add "$d" dev "$dev" || return 1
			;;
		addr) ip addr add "$b" dev "$a" 2>/dev/null ;;
		esac
	done <"$conf"
}

# converge OLD NEW: from what OLD set up to NEW
converge() {
	: >"$STATE/owned.new"
	teardown "$1" "$2"
	build "$2"
	rc=$?
	mv "$STATE/owned.new" "$STATE/owned"
	return $rc
}

# what the host has before rhv-net ever ran: its NICs' global addresses
snapshot() {
	ip -o -4 addr show scope global | while read -r _ dev _ addr _; do
		[ -z "$(ip -o link show dev "$dev" | grep ' master ')" ] || continue
		echo "addr $dev $addr"
	done
}

# the detached half of apply: apply, wait for the engine, or roll back
worker() {
	t=$1
	exec 9>"$STATE/lock"
	flock 9
	cp "$STATE/current" "$STATE/previous"
	if converge "$STATE/previous" "$STATE/want.$t" 2>"$STATE/err.$t"; then
		echo applied >"$STATE/result.$t"
	else
		echo "failed: $(tail -1 "$STATE/err.$t")" >"$STATE/result.$t"
		mkdir "$STATE/decided.$t" 2>/dev/null
		converge "$STATE/want.$t" "$STATE/previous" 2>>"$STATE/err.$t"
		echo "rolled back" >>"$STATE/result.$t"
		rm -f "$STATE/want.$t"
		return
	fi
	end=$(($(date +%s) + RHV_NS_TIMEOUT))
	while [ "$(date +%s)" -lt "$end" ] && [ ! -d "$STATE/decided.$t" ]; do
		sleep 0.2
	done
	if mkdir "$STATE/decided.$t" 2>/dev/null; then
		# nobody confirmed: the engine lost the host
		converge "$STATE/want.$t" "$STATE/previous" 2>>"$STATE/err.$t"
		echo "rolled back: no confirmation within ${RHV_NS_TIMEOUT}s" >>"$STATE/result.$t"
	else
		mv "$STATE/want.$t" "$STATE/current"
		echo committed >>"$STATE/result.$t"
	fi
	rm -f "$STATE/want.$t"
}

# Port mirroring, as vdsm does it: a clsact qdisc on the network's bridge,
# whose ingress and egress hooks each hold one u32 filter (pref 49) with
# one mirred action per mirroring tap, copying every frame to each (this
# kernel has neither matchall nor prio; one filter per tap would stop at
# the first).  The bridge is made promiscuous, so that the frames it
# forwards between its ports pass its ingress hook too.  "mirrored" lists
# those bridges ("BRIDGE promisc" when rhv-net turned that on).
# Configuration lines: "tap BRIDGE TAP", copy BRIDGE's traffic to TAP.
# Every run also drops the taps that are gone (tc shows them as "*": a
# guest stopped or migrated away), and a bridge left without taps gets its
# qdisc and promiscuity back.
MIRROR_PREF=49

# the taps BRIDGE's filter in HOOK mirrors to, one a line
mirror_taps() {
	tc filter show dev "$1" "$2" 2>/dev/null | awk -v want=$MIRROR_PREF '
		$1 == "filter" { p = ""; for (i = 1; i < NF; i++) if ($i == "pref") p = $(i + 1) }
		p == want && /Mirror to device / { d = $0; sub(/.*Mirror to device /, "", d); sub(/\).*/, "", d); print d }'
}

# mirror_set BRIDGE TAP...: BRIDGE mirrors to these taps and no others
mirror_set() {
	br=$1
	shift
	if [ $# -gt 0 ]; then
		if ! awk -v b="$br" '$1 == b { f = 1 } END { exit !f }' "$STATE/mirrored"; then
			if ip -o link show dev "$br" | grep -q '[<,]PROMISC[,>]'; then
				echo "$br" >>"$STATE/mirrored"
			else
				ip link set "$br" promisc on || return 1
				echo "$br promisc" >>"$STATE/mirrored"
			fi
		fi
		tc qdisc show dev "$br" | grep -q '^qdisc clsact ' || tc qdisc add dev "$br" clsact || return 1
	fi
	acts=
	for t in "$@"; do acts="$acts action mirred egress mirror dev $t pipe"; done
	for hook in ingress egress; do
		tc filter del dev "$br" $hook pref $MIRROR_PREF 2>/dev/null
		[ $# -eq 0 ] && continue
		# shellcheck disable=SC2086
		tc filter add dev "$br" $hook pref $MIRROR_PREF protocol all u32 match u32 0 0 $acts || return 1
	done
}

mirror() {
	exec 8>"$STATE/mirror.lock"
	flock 8
	touch "$STATE/mirrored"
	want=$(printf '%s\n' "$RHV_NS_CONFIG" | awk '$1 == "tap" { print $2, $3 }')
	rc=0
	for br in $( (awk '{ print $1 }' "$STATE/mirrored"; echo "$want" | awk 'NF { print $1 }') | sort -u); do
		if [ ! -e "/sys/class/net/$br" ]; then
			echo "$want" | awk -v b="$br" '$1 == b { f = 1 } END { exit !f }' &&
				{ echo "no bridge $br on the host" >&2; rc=1; }
			continue
		fi
		taps=
		# what it has, but taps that are gone and taps given anew
		for t in $(mirror_taps "$br" ingress); do
			[ -e "/sys/class/net/$t" ] || continue
			echo "$want" | awk -v t="$t" '$2 == t { f = 1 } END { exit !f }' || taps="$taps $t"
		done
		for t in $(echo "$want" | awk -v b="$br" '$1 == b { print $2 }'); do
			if [ -e "/sys/class/net/$t" ]; then taps="$taps $t"; else echo "no tap $t on the host" >&2; rc=1; fi
		done
		# shellcheck disable=SC2046,SC2086
		mirror_set "$br" $(printf '%s\n' $taps | sort -u) || { echo "cannot mirror bridge $br" >&2; rc=1; }
	done
	: >"$STATE/mirrored.new"
	while read -r br promisc; do
		[ -e "/sys/class/net/$br" ] || continue
		if [ -n "$(mirror_taps "$br" ingress)" ]; then
			echo "$br${promisc:+ $promisc}" >>"$STATE/mirrored.new"
			continue
		fi
		tc qdisc del dev "$br" clsact 2>/dev/null
		[ -z "$promisc" ] || ip link set "$br" promisc off
	done <"$STATE/mirrored"
	mv "$STATE/mirrored.new" "$STATE/mirrored"
	return $rc
}

main() {
	umask 077
	mkdir -p "$STATE" || exit 1
	case $RHV_NS_ACTION in
	discover)
		ip -j -d link
		echo '--'
		ip -j addr
		echo '--'
		if have_ovs; then
			for br in $(ovs list-br); do
				echo "ovs-bridge $br $(ovs get bridge "$br" datapath_type)"
				for p in $(ovs list-ports "$br"); do
					ifs=
					for u in $(ovs get port "$p" interfaces | tr -d '[],'); do
						ifs=$ifs${ifs:+,}$(ovs get interface "$u" name | tr -d '"')
					done
					tag=$(ovs get port "$p" tag | tr -d '[]')
					bm=$(ovs get port "$p" bond_mode | tr -d '[]')
					rm=$(ovs get port "$p" external_ids:rhv_bond_mode 2>/dev/null | tr -d '"')
					echo "ovs-port $br $p ${tag:--} ${ifs:--} ${bm:--} ${rm:--}"
				done
			done
		fi
		echo '--'
		cat "$STATE/current" 2>/dev/null || true
		;;
	apply)
		t=$RHV_NS_TOKEN
		[ -f "$STATE/current" ] || snapshot >"$STATE/current"
		printf '%s\n' "$RHV_NS_CONFIG" >"$STATE/want.$t"
		rm -f "$STATE/result.$t"
		# the worker outlives this session (and its script file)
		cp "$0" "$STATE/worker.$t"
		RHV_NS_ACTION=worker setsid sh "$STATE/worker.$t" </dev/null >/dev/null 2>&1 &
		end=$(($(date +%s) + RHV_NS_TIMEOUT))
		until [ -s "$STATE/result.$t" ] || [ "$(date +%s)" -ge "$end" ]; do sleep 0.1; done
		head -1 "$STATE/result.$t" 2>/dev/null
		;;
	mirror) mirror ;;
	worker)
		worker "$RHV_NS_TOKEN"
		rm -f "$0"
		;;
	confirm)
		t=$RHV_NS_TOKEN
		i=0
		until [ -s "$STATE/result.$t" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
		if grep -q '^applied' "$STATE/result.$t" 2>/dev/null && mkdir "$STATE/decided.$t" 2>/dev/null; then
			# wait for the worker to record it as current
			i=0
			until grep -q '^committed' "$STATE/result.$t" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
			echo committed
		else
			cat "$STATE/result.$t" 2>/dev/null || echo "no such setup"
			exit 1
		fi
		;;
	esac
}
main
