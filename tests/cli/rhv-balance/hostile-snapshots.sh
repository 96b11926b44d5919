# Snapshot files nobody should trust: numbers JSON has no room for (NaN,
# Infinity, 1e400), numbers out of their range or not whole, text around the
# JSON value, empty, cut short, NUL bytes, larger than the cap, names that
# would reach the terminal.  Each is refused with one clear line and exit 2;
# whole numbers written as 8.0 or 8e0 are read as they are.  No store needed.
s=$CASE_TMP/s.json
cat >"$s" <<'EOF'
{
  "format": "rhv-balance-snapshot/1",
  "cluster": "demo",
  "policy": "vm_evenly_distributed",
  "params": { "HighVmCount": 4, "MigrationThreshold": 2 },
  "hosts": [
    { "name": "h1", "state": "Up", "cores": 4, "memory": 8589934592, "cpu_pct": 30 },
    { "name": "h2", "state": "Up", "cores": 4, "memory": 8589934592, "cpu_pct": 5 }
  ],
  "vms": [
    { "name": "a", "host": "h1", "memory": 536870912, "vcpus": 1, "cpu_pct": 5, "ha": true },
    { "name": "b", "host": "h1", "memory": 536870912, "vcpus": 1, "cpu_pct": 1 },
    { "name": "c", "host": "h1", "memory": 536870912, "vcpus": 1, "cpu_pct": 9 },
    { "name": "d", "host": "h1", "memory": 536870912, "vcpus": 1, "cpu_pct": 3 }
  ]
}
EOF
# variant WHAT SED: the snapshot with one edit, as $CASE_TMP/WHAT.json
variant() {
	sed "$2" "$s" >"$CASE_TMP/$1.json"
}
cd "$CASE_TMP" || exit 1
run rhv-balance plan --from s.json --max-moves 0

# numbers: not finite, out of range, not whole
variant nan 's/"cores": 4, "memory": 8589934592, "cpu_pct": 5/"cores": NaN, "memory": 8589934592, "cpu_pct": 5/'
run rhv-balance ha-check --from nan.json
variant inf 's/"cpu_pct": 30/"cpu_pct": Infinity/'
run rhv-balance plan --from inf.json
variant minf 's/"cpu_pct": 30/"cpu_pct": -Infinity/'
run rhv-balance plan --from minf.json
variant huge 's/"cpu_pct": 30/"cpu_pct": 1e400/'
run rhv-balance plan --from huge.json
variant big 's/"memory": 536870912, "vcpus": 1, "cpu_pct": 3/"memory": 99999999999999999999, "vcpus": 1, "cpu_pct": 3/'
run rhv-balance plan --from big.json
variant p63 's/"cpu_pct": 30 }/"cpu_pct": 30, "memory_used": 9223372036854775808 }/'
run rhv-balance plan --from p63.json
variant half 's/"cores": 4, "memory": 8589934592, "cpu_pct": 30/"cores": 2.5, "memory": 8589934592, "cpu_pct": 30/'
run rhv-balance plan --from half.json
variant zero 's/"vcpus": 1, "cpu_pct": 9/"vcpus": -0, "cpu_pct": 9/'
run rhv-balance plan --from zero.json
variant hist 's/"cpu_pct": 30 }/"cpu_pct": 30, "cpu_history": [90, NaN] }/'
run rhv-balance plan --from hist.json
variant param 's/"HighVmCount": 4/"HighVmCount": 4.5/'
run rhv-balance plan --from param.json
variant bigparam 's/"HighVmCount": 4/"HighVmCount": 18446744073709551616/'
run rhv-balance plan --from bigparam.json
# whole numbers written another way are the same numbers
variant whole 's/"cores": 4, "memory": 8589934592, "cpu_pct": 30/"cores": 4.0, "memory": 8.589934592e9, "cpu_pct": 30/; s/"HighVmCount": 4/"HighVmCount": 4e0/'
run rhv-balance plan --from whole.json --max-moves 0

# text: around the value, empty, cut short, not JSON at all
{ cat "$s"; echo 'x'; } >trailing.json
run rhv-balance plan --from trailing.json
{ cat "$s" "$s"; } >twice.json
run rhv-balance plan --from twice.json
: >empty.json
run rhv-balance plan --from empty.json
printf ' \n\t\n' >blank.json
run rhv-balance plan --from blank.json
run rhv-balance plan --from - </dev/null
head -c 300 "$s" >cut.json
run rhv-balance plan --from cut.json
variant quote "s/\"cluster\": \"demo\"/\"cluster\": 'demo'/"
run rhv-balance plan --from quote.json
variant comma 's/"MigrationThreshold": 2 }/"MigrationThreshold": 2, }/'
run rhv-balance plan --from comma.json
printf '{"format": %s}\n' "$(printf '[%.0s' $(seq 40))" >deep.json
run rhv-balance plan --from deep.json
run rhv-balance plan --from /dev/zero
printf '{"format": "rhv-balance-snapshot/1", "policy": "none",\0 "hosts": [], "vms": []}' >nul.json
run rhv-balance plan --from nul.json
mkdir dir.json
run rhv-balance plan --from dir.json
# larger than the cap: refused from its size, never read (a sparse file)
truncate -s 257M large.json
run rhv-balance plan --from large.json

# names that would reach the terminal, or hide a NUL
variant esc 's/"name": "h2"/"name": "h2\\u001b]0;owned\\u0007"/'
run rhv-balance plan --from esc.json
variant clear 's/"host": "h1", "memory": 536870912, "vcpus": 1, "cpu_pct": 9/"host": "\\u001b[2J", "memory": 536870912, "vcpus": 1, "cpu_pct": 9/'
run rhv-balance plan --from clear.json
variant nul8 's/"name": "a"/"name": "a\\u0000b"/'
run rhv-balance plan --from nul8.json
variant spaced 's/"cluster": "demo"/"cluster": " demo"/'
run rhv-balance plan --from spaced.json
variant long "s/\"name\": \"d\"/\"name\": \"$(printf 'd%.0s' $(seq 65))\"/"
run rhv-balance plan --from long.json
variant state 's/"state": "Up", "cores": 4, "memory": 8589934592, "cpu_pct": 5/"state": "Up\\nrhv-balance: error: fake", "cores": 4, "memory": 8589934592, "cpu_pct": 5/'
run rhv-balance plan --from state.json
