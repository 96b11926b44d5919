# The store's connection string and the config file, used with hostile
# intent (issue 9): a password never shows, however it is written; the
# config file is read by lines of any length, and anything but a regular
# file there is refused (exit 2).
# every form of a password: shown as ********, the rest rebuilt by libpq's own parse
for ci in 'host=/nonexistent password=x password=REAL' \
	$'host=/nonexistent\npassword=REAL' \
	$'host=/nonexistent\rpassword=REAL' \
	"host=/nonexistent application_name=' password=d' password=REAL" \
	'host=/nonexistent sslpassword=REAL' \
	'postgresql://u@/db?host=/nonexistent&%70assword=REAL' \
	'postgresql://u@/db?host=/nonexistent&password=x&password=REAL' \
	'postgresql://u:REAL@/db?host=/nonexistent'; do
	run rhv-db status --db "$ci" -c source,conninfo,reachable
done
run rhv-dc list --db 'host=/nonexistent password=x password=REAL'
# what libpq cannot parse is refused before any connection, and not repeated
run rhv-dc list --db 'host=/nonexistent port password=REAL'
run rhv-dc list --db 'postgresql://u:REAL@[::1/db'
# a long-running command clears a --db password from its own arguments (ps)
hidden() { # hidden PID: wait (up to a minute) until PID runs rhv-host and its arguments no longer hold the password
	local i args
	for ((i = 0; i < 600; i++)); do
		# before its exec the child still shows the shell's arguments
		args=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)
		[[ $args == "rhv-host monitor "* && $args != *REAL* ]] && break
		sleep 0.1
	done
	tr '\0' ' ' <"/proc/$1/cmdline"
	echo
}
for form in "--db " --db=; do
	if [ "$form" = "--db " ]; then
		rhv-host monitor --every 3600 -q --db "$RHV_DB password=REAL" &
	else
		rhv-host monitor --every 3600 -q --db="$RHV_DB password=REAL" &
	fi
	pid=$!
	echo "\$ rhv-host monitor --every 3600 -q $form\"\$RHV_DB password=REAL\" &; cat /proc/\$!/cmdline"
	hidden "$pid" | sed -E -e 's/\*+/<stars>/' -e 's/ $//'
	kill "$pid"
	wait "$pid" 2>/dev/null
done
# the config file
conf=$CASE_TMP/conf/rhv/rhv.conf
mkdir -p "$CASE_TMP/conf/rhv"
cfg() { run env -u RHV_DB XDG_CONFIG_HOME="$CASE_TMP/conf" "$@"; }
# a comment of 4,095 bytes and more: its tail is not a live setting
{ printf 'db = %s\n' "$RHV_DB"; printf '# %04093d' 0 | tr 0 x; printf 'db = host=/evil\n'; } >"$conf"
cfg rhv-db status -c source,reachable
# a UTF-8 byte order mark does not hide the db line
printf '\xef\xbb\xbfdb = %s\n' "$RHV_DB" >"$conf"
cfg rhv-db status -c source,reachable
printf 'db =\n' >"$conf"
cfg rhv-db status
rm "$conf"
mkdir "$conf"
cfg rhv-db status
cfg rhv-dc list
rmdir "$conf"
ln -s /dev/zero "$conf"
cfg rhv-db status
rm "$conf"
mkfifo "$conf"
cfg rhv-db status
rm "$conf"
head -c 2000000 /dev/zero | tr '\0' '#' >"$conf"
cfg rhv-db status
