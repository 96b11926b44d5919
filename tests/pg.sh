#!/bin/bash
# A throwaway PostgreSQL cluster for the tests: unix socket only, in DIR.
#   tests/pg.sh start DIR   -> prints nothing; the socket is DIR/.s.PGSQL.5432
#   tests/pg.sh stop DIR
# PostgreSQL refuses to run as root, so root runs it as the system user rhv.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop DIR}
dir=${2:?usage: pg.sh start|stop DIR}
bindir=${RHV_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u rhv -- "$@"
	else
		"$@"
	fi
}

case $cmd in
start)
	if [ "$(id -u)" -eq 0 ]; then
		id rhv >/dev/null 2>&1 ||
			useradd --system --user-group --no-create-home --home-dir /var/lib/rhv \
				--shell /usr/sbin/nologin rhv
		chown rhv: "$dir"
	fi
	chmod 0755 "$dir"
	as_owner "$bindir/initdb" -D "$dir/data" -U rhv -A trust -E UTF8 --no-locale \
		--no-instructions >"$dir/initdb.log" 2>&1
	# fsync off: this cluster lives for one test run; up to 300 s to start
	# (about a second here, but a loaded machine may be ten times slower)
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 300 -s \
		-o "-c listen_addresses= -k $dir -c fsync=off -c max_connections=200" start
	;;
stop)
	[ -d "$dir/data" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 300 -s stop || true
	;;
*)
	echo "usage: pg.sh start|stop DIR" >&2
	exit 2
	;;
esac
