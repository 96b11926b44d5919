# Helpers for CLI test cases (sourced by tests/run for each case).
# A case prints a transcript: each command, its stdout, its stderr
# prefixed with "! ", and "[exit N]" when N is not 0.  The runner
# compares the transcript, with ids and times masked, to tests/expected.

quote_arg() {
	local LC_ALL=C.UTF-8 # C1 controls and U+2028 count as control characters too
	case $1 in
	*[[:cntrl:]]*) printf '%q' "$1" ;; # $'...': no raw control character in a transcript
	'' | *[!A-Za-z0-9_./:=,+@%-]*) printf "'%s'" "${1//\'/\'\\\'\'}" ;;
	*) printf '%s' "$1" ;;
	esac
}

# run CMD [ARG]...: show the command and what it did
run() {
	local a rc
	printf '$'
	for a in "$@"; do printf ' '; quote_arg "$a"; done
	printf '\n'
	"$@" >"$CASE_TMP/out" 2>"$CASE_TMP/err" </dev/null
	rc=$?
	cat "$CASE_TMP/out"
	sed 's/^/! /' "$CASE_TMP/err"
	[ "$rc" -eq 0 ] || echo "[exit $rc]"
	return 0
}

# sql QUERY: one value or rows from the case's database, unaligned
sql() {
	psql "$RHV_DB" -XAtq -v ON_ERROR_STOP=1 -c "$1"
}

# counts: the number of rows in every table, to show nothing changed
counts() {
	sql "SELECT 'data_centers=' || (SELECT count(*) FROM data_centers)
	     || ' clusters=' || (SELECT count(*) FROM clusters)
	     || ' params=' || (SELECT count(*) FROM cluster_policy_params)
	     || ' events=' || (SELECT count(*) FROM events)"
}

# complete BIN WORD...: what the shell completion offers for the last word
complete_words() {
	local bin=$1
	shift
	printf '$ complete %s' "$bin"
	printf ' [%s]' "$@"
	printf '\n'
	"$bin" __complete -- "$@" 2>&1 | sort
}

# The lab's hosts share this machine's CPU, Intel or AMD, with or without
# KVM: cases never name a CPU type of their own. A cluster created without
# --cpu-type takes the newest type its first host can run; a refusal case
# takes a type of the vendor the lab does not have.
other_vendor_type() {
	case $LAB_CPU_VENDOR in
	Intel) echo opteron_g2 ;;
	*) echo nehalem ;;
	esac
}

# A case waits for what it needs, never for a fixed time: a loaded machine
# may be ten times slower.  The bounds below only stop a broken case.

# wait_for SECONDS CMD...: run CMD until it succeeds; 1 if it never did
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

no_other_session() {
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
	          AND pid <> pg_backend_pid() AND backend_type = 'client backend'")" = 0 ]
}

# store_idle: until no other session uses the case's database; the server
# process of a killed command may hold its locks a moment after it died
store_idle() {
	wait_for 120 no_other_session || echo "store_idle: sessions still open after 120 s"
}

# lab_spm_timing: SPM lease timing for lab cases whose SPM must not change
# on its own.  Nothing renews the lease between commands, and a lease found
# expired is taken again under a new generation, which the transcript would
# show: io_timeout 5 s leaves 40 s between SPM commands (a second or two at
# normal speed); an election waits 10 s.
lab_spm_timing() {
	rhv-db set SpmIoTimeoutMillis 5000 -q
	rhv-db set SpmWatchdogMillis 1000 -q
}

# proc_scan_start SECRETFILE: scan every /proc/*/cmdline for the secret in
# the background until proc_scan_report, which prints the hits (must be 0)
proc_scan_start() {
	"$(dirname "$TESTS_LAB")/proc-scan" "$1" "$CASE_TMP/scan" &
	PROC_SCANNER=$!
}
proc_scan_report() {
	local scans hits
	kill "$PROC_SCANNER"
	wait "$PROC_SCANNER"
	read -r scans hits <"$CASE_TMP/scan"
	echo "proc scan: ${hits} (scans>0: $([ "${scans#scans=}" -gt 0 ] && echo yes || echo no))"
}
