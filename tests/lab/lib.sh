# shellcheck shell=bash disable=SC2034
# Helpers shared by tests/lab/lab and tests/lab/bmc-power (sourced, not run).
# (SC2034: the settings below are used by those scripts.)

LAB_BIN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BMC_ADDR=127.0.0.1
BMC_USER="admin"
MIGRATION_URI=tcp://127.0.0.1    # the destination picks a port in its range
KVM_SAVE=/run/rhv-lab-kvm.orig   # /dev/kvm owner and mode before a lab
NET_SAVE=/run/rhv-lab-net.orig   # /dev/net/tun, qemu-bridge-helper before a netns lab
# netns mode: the hosts' management network, a /24 (hN is .N, the engine
# side in the root namespace .254). Nothing routes anywhere else.
: "${RHV_LAB_NET:=10.213.0}"
MGMT_GW=254
CLEAN_PATH=/usr/sbin:/usr/bin:/sbin:/bin
: "${RHV_LAB_TIMEOUT:=120}"      # seconds to wait for a daemon, a BMC, a guest or the lock
# (long: a daemon takes 0.2-1.5 s here, but all share one CPU and a loaded
# machine may be ten times slower; only a failure waits this long)

die() {
	local rc=$1
	shift
	echo "lab: error: $*" >&2
	exit "$rc"
}

note() { [[ ${QUIET:-0} = 1 ]] || echo "lab: $*" >&2; }

# load_lab: read the settings `lab up` wrote into $DIR/lab.conf.
load_lab() {
	[[ -f $DIR/lab.conf ]] || die 3 "no lab in '$DIR'"
	LAB_LOCK_MANAGER=none # a lab.conf from before lock managers
	LAB_NETNS=0 LAB_NICS=0 LAB_NET='' LAB_OVS=0 # ... from before netns mode
	# shellcheck source=/dev/null
	. "$DIR/lab.conf"
	set_run_as
}

# set_run_as: AS_USER is the command prefix that runs a program as the lab
# user; root switches with setpriv, anyone else already is that user.
set_run_as() {
	AS_USER=()
	if [[ $(id -u) = 0 && $LAB_USER != root ]]; then
		AS_USER=(setpriv --reuid "$(id -u "$LAB_USER")"
			--regid "$(id -g "$LAB_USER")" --init-groups --)
	fi
}

host_uri() { echo "qemu+unix:///session?socket=$DIR/$1/sock/libvirt-sock"; }
bmc_port() { echo $((LAB_PORT_BASE + ${1#h})); }
mig_port_min() { echo $((LAB_PORT_BASE + 100 + 10 * (${1#h} - 1))); }
# TCP P+50+N: tests/run spaces labs 100 ports apart, so P+200+N would be
# the migration ports (TCP P+100..) of the lab above; P+50.. is free.
# In netns mode every host has its own address and ports: 22.
ssh_port() {
	if ((LAB_NETNS)); then echo 22; else echo $((LAB_PORT_BASE + 50 + ${1#h})); fi
}

# netns mode (lab up --netns): every host in its own network namespace,
# named after the lab directory so that two labs can coexist.
ns_tag() { printf '%s' "$DIR" | sha1sum | cut -c1-6; }
netns_name() { echo "rhvlab-$(ns_tag)-$1"; } # HOST, or "sw" for the switch
switch_ns() { netns_name sw; }
mgmt_if() { echo "rlab-$(ns_tag)"; } # root namespace's port on the switch
mgmt_addr() { echo "$LAB_NET.${1#h}"; }
ssh_addr() { if ((LAB_NETNS)); then mgmt_addr "$1"; else echo "$BMC_ADDR"; fi; }
migration_uri() {
	if ((LAB_NETNS)); then echo "tcp://$(mgmt_addr "$1")"; else echo "$MIGRATION_URI"; fi
}
host_nics() {
	local k out=
	for ((k = 0; k < LAB_NICS; k++)); do out+=${out:+,}eth$k; done
	echo "$out"
}
ovs_db() { if ((LAB_OVS)); then echo "$DIR/$1/ovs/db.sock"; fi; }

# host_exec HOST: HOST_EXEC is the command prefix that runs a program in
# HOST's network namespace: nothing in default mode or when we run there
# already (restart-daemon over SSH), else `ip netns exec` (root only).
host_exec() {
	local ns
	HOST_EXEC=()
	((LAB_NETNS)) || return 0
	ns=$(netns_name "$1")
	[[ -e /run/netns/$ns ]] || die 1 "network namespace '$ns' of $1 is missing"
	[[ $(readlink /proc/self/ns/net) != "net:[$(stat -L -c %i "/run/netns/$ns")]" ]] ||
		return 0
	[[ $(id -u) = 0 ]] || die 1 "only root may enter the namespace of $1"
	HOST_EXEC=(ip netns exec "$ns")
}

# host_links HOST up|down: HOST's NICs (netns mode): a powered-off host
# has no link.
host_links() {
	local k
	((LAB_NETNS)) || return 0
	for ((k = 0; k < LAB_NICS; k++)); do
		ip -n "$(netns_name "$1")" link set "eth$k" "$2" 2>/dev/null || true
	done
}
power_state() { cat "$DIR/$1/power" 2>/dev/null || echo 0; }

check_host() {
	if ! [[ $1 =~ ^h[0-9]+$ ]] || ((${1#h} < 1 || ${1#h} > LAB_N)); then
		die 3 "no host '$1' in the lab (h1..h$LAB_N)"
	fi
}

# find_pids COMM TEXT...: live processes whose name starts with COMM and
# whose command line holds every TEXT. Lab processes carry their host's
# paths in their command lines, so this never matches a stranger.
find_pids() {
	local p comm args text
	for p in /proc/[0-9]*; do
		read -r comm 2>/dev/null <"$p/comm" || continue
		[[ $comm == "$1"* ]] || continue
		mapfile -d '' -t args 2>/dev/null <"$p/cmdline" || continue
		for text in "${@:2}"; do
			[[ " ${args[*]} " == *"$text"* ]] || continue 2
		done
		echo "${p#/proc/}"
	done
}

daemon_pids() { find_pids libvirtd "--config $DIR/$1/libvirtd.conf"; }
reaper_pids() { find_pids reaper "--config $DIR/$1/libvirtd.conf"; }
guest_pids() { find_pids qemu-system "$DIR/$1/config/libvirt/qemu/" "${@:2}"; }
bmc_pids() { find_pids ipmi_sim "-c $DIR/$1/bmc/lan.conf"; }
sshd_pids() { find_pids sshd "-f $DIR/$1/ssh/sshd_config"; }
ovs_pids() {
	find_pids ovsdb-server "--pidfile=$DIR/$1/ovs/" &&
		find_pids ovs-vswitchd "--pidfile=$DIR/$1/ovs/"
}

# lockd_pids HOST: HOST's virtlockd: the one the lab starts (its --config
# names the host), and any that libvirtd spawned itself in the host's
# runtime directory (it does when it finds no virtlockd listening).
lockd_pids() {
	local p comm args env
	for p in /proc/[0-9]*; do
		read -r comm 2>/dev/null <"$p/comm" || continue
		[[ $comm = virtlockd ]] || continue
		mapfile -d '' -t args 2>/dev/null <"$p/cmdline" || continue
		if [[ " ${args[*]} " == *" --config "* ]]; then
			[[ " ${args[*]} " == *" --config $DIR/$1/virtlockd.conf "* ]] || continue
		else
			mapfile -d '' -t env 2>/dev/null <"$p/environ" || continue
			[[ " ${env[*]} " == *" XDG_RUNTIME_DIR=$DIR/$1/run "* ]] || continue
		fi
		echo "${p#/proc/}"
	done
}

# stopped PID: true when PID is stopped by a signal (lab host-hang).
stopped() {
	local st
	read -r st 2>/dev/null <"/proc/$1/stat" || return 1
	st=${st##*) }
	[[ ${st%% *} = T ]]
}

# tree_pids PID...: the PIDs and all their descendants.
tree_pids() {
	local p st ppid i=0 list=("$@")
	local -A kids=()
	for p in /proc/[0-9]*; do
		read -r st 2>/dev/null <"$p/stat" || continue
		st=${st##*) } ppid=${st#* } ppid=${ppid%% *}
		kids[$ppid]+=" ${p#/proc/}"
	done
	while ((i < ${#list[@]})); do
		p=${list[i++]}
		# shellcheck disable=SC2206 # a list of numbers
		list+=(${kids[$p]:-})
	done
	((${#list[@]} == 0)) || printf '%s\n' "${list[@]}"
}

# alive PID: true while PID runs (a zombie counts as gone).
alive() {
	local st
	read -r st 2>/dev/null <"/proc/$1/stat" || return 1
	st=${st##*) }
	[[ ${st%% *} != Z ]]
}

# kill_wait PID...: SIGKILL the processes and wait until they are gone.
kill_wait() {
	local p t=$((SECONDS + RHV_LAB_TIMEOUT))
	(($#)) || return 0
	kill -KILL "$@" 2>/dev/null || true
	for p; do
		while alive "$p"; do
			((SECONDS < t)) || die 1 "process $p does not die"
			sleep 0.05
		done
	done
}

# wait_reaped: PID 1 here reaps orphans only every 2 s or so; wait up to
# 3 s until no zombie of a lab program is left, so that ps looks clean
# once we are done (the processes are dead already).
wait_reaped() {
	local p comm st t=$((SECONDS + 3))
	while ((SECONDS < t)); do
		for p in /proc/[0-9]*; do
			read -r st 2>/dev/null <"$p/stat" || continue
			comm=${st#*(} comm=${comm%%)*} st=${st##*) }
			if [[ ${st%% *} = Z &&
				$comm =~ ^(reaper|libvirtd|virtlockd|ipmi_sim|qemu-system|bmc-power|ovsdb-server|ovs-vswitchd) ]]; then
				sleep 0.1
				continue 2
			fi
		done
		return 0
	done
}

# spawn LOG CMD...: run CMD detached in its own session, in /, output to
# LOG, without our open descriptors (a held lock must not leak into a
# daemon). $! is its pid: setsid and setpriv exec in place.
spawn() {
	local log=$1 fd
	shift
	(
		cd /
		for fd in "/proc/$BASHPID"/fd/*; do
			fd=${fd##*/}
			if ((fd > 2)); then eval "exec $fd>&-"; fi
		done
		exec setsid "$@" </dev/null >>"$log" 2>&1
	) &
	disown # no "Killed" job notice from bash when it dies
}

# start_daemon HOST: start HOST's libvirtd unless it runs; does not wait.
# DAEMON_PID is its pid (or its reaper's; empty when it already ran).
# libvirtd caches what it probed of QEMU (~1.5 s of work) but finds the
# cache stale whenever it runs on another CPU than the prober did (CPUID
# differs per core): pinned to one CPU, a daemon restarts in 0.2 s and
# all hosts can share h1's cache. libvirt gives QEMU every CPU anyway.
start_daemon() {
	local h=$DIR/$1 cpu
	DAEMON_PID=
	[[ -z $(daemon_pids "$1") ]] || return 0
	start_lockd "$1"
	cpu=$(awk -F'[\t,-]+' '/^Cpus_allowed_list/ { print $2 }' /proc/self/status)
	host_exec "$1"
	spawn "$h/libvirtd.log" "${HOST_EXEC[@]}" env -i PATH="$CLEAN_PATH" LANG=C \
		HOME="$h/home" XDG_CONFIG_HOME="$h/config" \
		XDG_CACHE_HOME="$h/cache" XDG_RUNTIME_DIR="$h/run" \
		taskset -c "$cpu" "$LAB_BIN/reaper" "${AS_USER[@]}" \
		libvirtd --config "$h/libvirtd.conf" --pid-file "$h/run/libvirtd.pid"
	DAEMON_PID=$!
}

# start_lockd HOST: start HOST's virtlockd, libvirt's lock manager, unless
# it runs or the lab has none (lab up --lock-manager none), and wait until
# it listens. It must listen before libvirtd starts: libvirtd connects to
# it at once (to set up the lease directory) and would otherwise spawn
# one of its own (that one would lose the race for virtlockd's pid file
# and exit, but it is cleaner never to start it). Not under the reaper
# (it forks nothing) nor pinned; it outlives libvirtd restarts, as on a
# real host, and holds the leases of the running guests meanwhile.
start_lockd() {
	local h=$DIR/$1 pid t=$((SECONDS + RHV_LAB_TIMEOUT))
	[[ ${LAB_LOCK_MANAGER:-none} = lockd ]] || return 0
	[[ -z $(lockd_pids "$1") ]] || return 0
	# a killed one leaves its sockets: they must not count as listening
	rm -f "$h/run/libvirt/virtlockd-sock" "$h/run/libvirt/virtlockd-admin-sock"
	host_exec "$1"
	spawn "$h/virtlockd.log" "${HOST_EXEC[@]}" env -i PATH="$CLEAN_PATH" LANG=C \
		HOME="$h/home" XDG_CONFIG_HOME="$h/config" \
		XDG_CACHE_HOME="$h/cache" XDG_RUNTIME_DIR="$h/run" \
		"${AS_USER[@]}" virtlockd --config "$h/virtlockd.conf" \
		--pid-file "$h/run/libvirt/virtlockd.pid"
	pid=$!
	# The admin socket comes after the main one, which then listens.
	until [[ -S $h/run/libvirt/virtlockd-admin-sock ]]; do
		alive "$pid" || die 1 "virtlockd of $1 exited, see $h/virtlockd.log"
		((SECONDS < t)) || die 1 "virtlockd of $1 silent for ${RHV_LAB_TIMEOUT}s"
		sleep 0.02
	done
}

# answers HOST: true when HOST's daemon serves its socket. Testing the
# socket first keeps a non-root client from autostarting a stray daemon.
answers() {
	[[ -S $DIR/$1/sock/libvirt-sock ]] &&
		timeout 10 virsh -q -c "$(host_uri "$1")" version >/dev/null 2>&1
}

# wait_daemon HOST PID: wait until the daemon PID of HOST answers.
wait_daemon() {
	local t=$((SECONDS + RHV_LAB_TIMEOUT))
	until answers "$1"; do
		alive "$2" || die 1 "libvirtd of $1 exited, see $DIR/$1/libvirtd.log"
		((SECONDS < t)) ||
			die 1 "libvirtd of $1 silent for ${RHV_LAB_TIMEOUT}s"
		sleep 0.1
	done
}

# start_sshd HOST: start HOST's sshd unless it runs; does not wait.
# SSHD_PID is its pid (empty when it already ran). Everything it uses
# lies in HOST's ssh/ directory, so it can move with its host (into a
# network namespace, say). sshd must be started by its absolute path.
start_sshd() {
	local s=$DIR/$1/ssh
	SSHD_PID=
	[[ -z $(sshd_pids "$1") ]] || return 0
	rm -f "$s/sshd.pid"
	host_exec "$1"
	spawn "$s/sshd.log" "${HOST_EXEC[@]}" env -i PATH="$CLEAN_PATH" LANG=C \
		/usr/sbin/sshd -D -f "$s/sshd_config" -E "$s/sshd.log"
	SSHD_PID=$!
}

# wait_sshd HOST PID: wait until the sshd PID of HOST listens.
wait_sshd() {
	local t=$((SECONDS + RHV_LAB_TIMEOUT))
	local net=()
	((LAB_NETNS == 0)) || net=(-N "$(netns_name "$1")")
	until [[ -n $(ss "${net[@]}" -Htln "sport = :$(ssh_port "$1")") ]]; do
		alive "$2" || die 1 "sshd of $1 exited, see $DIR/$1/ssh/sshd.log"
		((SECONDS < t)) || die 1 "sshd of $1 silent for ${RHV_LAB_TIMEOUT}s"
		sleep 0.05
	done
}

# kill_sshd HOST: HOST's sshd and every session it serves die, as on a
# power cut. Stopped first, so that nothing forks while we list them.
kill_sshd() {
	local pids
	mapfile -t pids < <(sshd_pids "$1")
	((${#pids[@]})) || return 0
	mapfile -t pids < <(tree_pids "${pids[@]}")
	kill -STOP "${pids[@]}" 2>/dev/null || true
	mapfile -t pids < <(tree_pids "${pids[@]}")
	kill_wait "${pids[@]}"
}

# kill_host HOST: pull HOST's plug: its daemon, its lock manager, its
# Open vSwitch (netns mode) and all its guests die (the guests' leases
# with them).
# Its sshd and SSH sessions go first.
# Loop, as a dying daemon may have been forking a QEMU. The reapers go
# last, once they have reaped the rest.
kill_host() {
	local pids try
	kill_sshd "$1"
	for try in 1 2 3 4; do
		mapfile -t pids < <(daemon_pids "$1" && guest_pids "$1" &&
			lockd_pids "$1" && ovs_pids "$1")
		((${#pids[@]})) || break
		((try < 4)) || die 1 "processes of $1 keep coming back"
		kill_wait "${pids[@]}"
	done
	mapfile -t pids < <(reaper_pids "$1")
	kill_wait "${pids[@]}"
}

# start_ovs HOST: HOST's own Open vSwitch (netns mode, when installed):
# an ovsdb-server and an ovs-vswitchd inside HOST's namespace, with a
# private database, sockets, pid and log files in HOST/ovs/; the system's
# OVS service is not used. Waits for the database (and initializes it),
# not for ovs-vswitchd (see wait_ovs). The kernel datapath does not work
# here: bridges need datapath_type=netdev (the userspace one).
start_ovs() {
	local o=$DIR/$1/ovs t=$((SECONDS + RHV_LAB_TIMEOUT)) pid env
	((LAB_OVS)) || return 0
	[[ -z $(ovs_pids "$1") ]] || return 0
	host_exec "$1"
	env=(env -i PATH="$CLEAN_PATH" LANG=C OVS_RUNDIR="$o" OVS_LOGDIR="$o"
		OVS_DBDIR="$o" OVS_SYSCONFDIR="$o")
	rm -f "$o/db.sock" "$o"/*.ctl "$o"/*.pid
	[[ -f $o/conf.db ]] ||
		ovsdb-tool create "$o/conf.db" /usr/share/openvswitch/vswitch.ovsschema
	spawn "$o/ovsdb-server.out" "${HOST_EXEC[@]}" "${env[@]}" ovsdb-server \
		"$o/conf.db" --remote="punix:$o/db.sock" --pidfile="$o/ovsdb-server.pid" \
		--unixctl="$o/ovsdb-server.ctl" --log-file="$o/ovsdb-server.log" --no-chdir
	pid=$!
	until [[ -S $o/db.sock ]]; do
		alive "$pid" || die 1 "ovsdb-server of $1 exited, see $o/ovsdb-server.log"
		((SECONDS < t)) || die 1 "ovsdb-server of $1 silent for ${RHV_LAB_TIMEOUT}s"
		sleep 0.02
	done
	ovs-vsctl --db="unix:$o/db.sock" --no-wait init
	spawn "$o/ovs-vswitchd.out" "${HOST_EXEC[@]}" "${env[@]}" ovs-vswitchd \
		"unix:$o/db.sock" --pidfile="$o/ovs-vswitchd.pid" \
		--unixctl="$o/ovs-vswitchd.ctl" --log-file="$o/ovs-vswitchd.log" --no-chdir
	OVS_PID=$!
}

# wait_ovs HOST PID: wait until HOST's ovs-vswitchd PID answers.
wait_ovs() {
	local o=$DIR/$1/ovs t=$((SECONDS + RHV_LAB_TIMEOUT))
	((LAB_OVS)) || return 0
	until ovs-appctl -t "$o/ovs-vswitchd.ctl" version >/dev/null 2>&1; do
		alive "$2" || die 1 "ovs-vswitchd of $1 exited, see $o/ovs-vswitchd.log"
		((SECONDS < t)) || die 1 "ovs-vswitchd of $1 silent for ${RHV_LAB_TIMEOUT}s"
		sleep 0.05
	done
}
