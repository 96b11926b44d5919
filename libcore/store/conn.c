#include "rhv/common.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store-priv.h"
#include "rhv/store.h"
#include "rhv/validate.h"

#define TXN_ATTEMPTS 12

static bool debug_sql;

void rhv_db_set_debug(bool on)
{
	debug_sql = on;
}

static bool class_is(const char *state, const char *cls)
{
	return state && !strncmp(state, cls, 2);
}

enum rhv_exit rhv_db_exit_for_sqlstate(const char *state)
{
	if (!state || class_is(state, "08") || class_is(state, "57") || class_is(state, "53"))
		return RHV_EXIT_UNAVAILABLE; /* connection, shutdown, resources */
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") || class_is(state, "23"))
		return RHV_EXIT_CONFLICT; /* retried first; constraints: exists or in use */
	if (class_is(state, "22"))
		return RHV_EXIT_USAGE; /* a value the store would not take */
	return RHV_EXIT_FAILED;
}

int rhv_db_map_error(struct rhv_db *db, const PGresult *res, struct rhv_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	enum rhv_exit code = rhv_db_exit_for_sqlstate(state);

	if (!primary)
		primary = db && db->conn ? PQerrorMessage(db->conn) : "unknown error";
	if (db && PQstatus(db->conn) == CONNECTION_BAD)
		code = RHV_EXIT_UNAVAILABLE;
	rhv_error_set(err, code, "store: %.*s", (int)strcspn(primary, "\n"), primary);
	if (err && state) {
		snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state);
		err->retryable = !strcmp(state, "40001") || !strcmp(state, "40P01");
	}
	return -1;
}

bool rhv_db_error_is(const struct rhv_error *err, const char *sqlstate)
{
	return !strcmp(err->sqlstate, sqlstate);
}

int rhv_db_exec(struct rhv_db *db, const char *sql, const char *const *params, int nparams, PGresult **res,
		struct rhv_error *err)
{
	PGresult *r = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		rhv_db_map_error(db, r, err);
		if (debug_sql)
			rhv_error_detail(err, "query was: %s", sql);
		PQclear(r);
		return -1;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return 0;
}

int rhv_db_command(struct rhv_db *db, const char *sql, const char *const *params, int nparams, long *affected,
		   struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, sql, params, nparams, &r, err) < 0)
		return -1;
	if (affected)
		*affected = atol(PQcmdTuples(r));
	return 0;
}

static void backoff(int attempt)
{
	/* 1..2^attempt ms, capped at 64 ms, randomized so retries spread out */
	unsigned cap = 1u << (attempt < 6 ? attempt : 6);
	struct timespec ts = { 0, (long)(1 + (unsigned)random() % cap) * 1000000L };

	nanosleep(&ts, NULL);
}

int rhv_db_txn(struct rhv_db *db, rhv_txn_fn fn, void *arg, struct rhv_error *err)
{
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));
	for (int attempt = 0;; attempt++) {
		if (rhv_db_exec(db, "BEGIN", RHV_NO_PARAMS, NULL, err) < 0)
			return -1;
		if (fn(db, arg, err) == 0 && rhv_db_exec(db, "COMMIT", RHV_NO_PARAMS, NULL, err) == 0)
			return 0;
		if (PQstatus(db->conn) == CONNECTION_BAD)
			return -1;
		PQclear(PQexec(db->conn, "ROLLBACK"));
		if (!err->retryable || attempt + 1 >= TXN_ATTEMPTS)
			return -1;
		rhv_error_clear(err);
		backoff(attempt);
	}
}

int rhv_db_try_lock(struct rhv_db *db, const char *ns, const char *key, bool lock, bool *got, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			lock ? "SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok"
			     : "SELECT pg_advisory_unlock(hashtext($1), hashtext($2)) AS ok",
			RHV_PARAMS(ns, key), &r, err) < 0)
		return -1;
	*got = rhv_pq_bool(r, 0, "ok");
	return 0;
}

int rhv_db_lock_wait(struct rhv_db *db, const char *ns, const char *key, struct rhv_error *err)
{
	return rhv_db_exec(db, "SELECT pg_advisory_lock(hashtext($1), hashtext($2))", RHV_PARAMS(ns, key), NULL, err);
}

char *rhv_db_by_name_sql(const char *select, const char *alias, const char *table, enum rhv_db_lock lock)
{
	static const char *const clause[] = {
		[RHV_DB_NO_LOCK] = "", [RHV_DB_FOR_UPDATE] = " FOR UPDATE OF ", [RHV_DB_FOR_SHARE] = " FOR SHARE OF ",
	};

	return rhv_xasprintf("%s WHERE %s.name = $1 OR (%s.id::text = $1 AND NOT EXISTS"
			     " (SELECT 1 FROM %s x WHERE x.name = $1))%s%s",
			     select, alias, alias, table, clause[lock], lock ? alias : "");
}

int rhv_db_get_by_name(struct rhv_db *db, const char *select, const char *alias, const char *table,
		       enum rhv_db_lock lock, const char *what, const char *name, PGresult **res,
		       struct rhv_error *err)
{
	_cleanup_free_ char *sql = NULL;

	*res = NULL;
	if (rhv_check_lookup_name(name, what, err) < 0)
		return -1;
	sql = rhv_db_by_name_sql(select, alias, table, lock);
	if (rhv_db_exec(db, sql, RHV_PARAMS(name), res, err) < 0)
		return -1;
	if (PQntuples(*res) == 1)
		return 0;
	PQclear(*res);
	*res = NULL;
	return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find %s '%s'", what, name);
}

/*
 * Column number by name.  Callers read the same few columns of thousands
 * of rows, so remember the answer per column name (the names are string
 * literals: their addresses identify them), checked with one comparison.
 */
static int column(const PGresult *r, const char *col)
{
	static struct {
		const char *name;
		int idx;
	} cache[128];
	size_t slot = ((uintptr_t)col >> 3) & 127;
	int c = cache[slot].idx;

	if (cache[slot].name == col && c < PQnfields(r) && !strcmp(PQfname(r, c), col))
		return c;
	c = PQfnumber(r, col);
	if (c >= 0) {
		cache[slot].name = col;
		cache[slot].idx = c;
	}
	return c;
}

const char *rhv_pq_str(const PGresult *r, int row, const char *col)
{
	int c = column(r, col);

	if (c < 0 || PQgetisnull(r, row, c))
		return NULL;
	return PQgetvalue(r, row, c);
}

int64_t rhv_pq_int(const PGresult *r, int row, const char *col)
{
	const char *s = rhv_pq_str(r, row, col);

	return s ? strtoll(s, NULL, 10) : 0;
}

bool rhv_pq_bool(const PGresult *r, int row, const char *col)
{
	const char *s = rhv_pq_str(r, row, col);

	return s && *s == 't';
}

char *rhv_pq_dup(const PGresult *r, int row, const char *col)
{
	const char *s = rhv_pq_str(r, row, col);

	return s ? rhv_xstrdup(s) : NULL;
}

/* ---- connection ---- */

/* Server notices are not the user's business; errors reach them through rhv_error. */
static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static PGconn *connect_to(const char *conninfo, const char *appname)
{
	const char *const keys[] = { "connect_timeout", "client_encoding", "fallback_application_name", "dbname",
				     NULL };
	const char *const vals[] = { "10", "UTF8", appname, conninfo, NULL };

	PGconn *c = PQconnectdbParams(keys, vals, 1);

	if (c)
		PQsetNoticeProcessor(c, quiet_notice, NULL);
	return c;
}

static void set_actor(struct rhv_db *db)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw)
		snprintf(db->actor, sizeof(db->actor), "%s", pw->pw_name);
	else
		snprintf(db->actor, sizeof(db->actor), "uid %u", (unsigned)getuid());
}

static int read_schema_version(struct rhv_db *db, struct rhv_error *err)
{
	PGresult *r = PQexecParams(db->conn, "SELECT coalesce(max(version), 0) AS v FROM rhv_schema_version", 0,
				   NULL, NULL, NULL, NULL, 0);
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		db->schema_version = (int)rhv_pq_int(r, 0, "v");
	} else if (state && !strcmp(state, "42P01")) {
		db->schema_version = 0; /* no schema yet */
	} else {
		rhv_db_map_error(db, r, err);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

static int check_schema(struct rhv_db *db, unsigned flags, struct rhv_error *err)
{
	int latest = rhv_db_schema_latest();

	if (flags & RHV_DB_ANY_SCHEMA)
		return 0;
	if (db->schema_version == 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "the store has no rhv schema");
		rhv_error_hint(err, "run 'rhv-db init' to create it");
		return -1;
	}
	if (db->schema_version < latest) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "the store's schema is version %d, older than this program's %d",
			      db->schema_version, latest);
		rhv_error_hint(err, "run 'rhv-db upgrade' to bring it up to date");
		return -1;
	}
	if (db->schema_version > latest && (flags & RHV_DB_WRITE)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "the store's schema is version %d, newer than this program's %d: refusing to write",
			      db->schema_version, latest);
		rhv_error_hint(err, "install the newer rhv tools");
		return -1;
	}
	return 0;
}

static void first_line(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

struct rhv_db *rhv_db_open(const char *conninfo, const char *appname, unsigned flags, struct rhv_error *err)
{
	struct rhv_store_loc loc = { 0 };
	struct rhv_db *db;
	PGconn *conn;

	if (rhv_store_locate(conninfo, &loc, err) < 0)
		return NULL;
	conn = connect_to(loc.conninfo, appname);
	if (PQstatus(conn) != CONNECTION_OK && loc.source == RHV_STORE_EMBEDDED && !(flags & RHV_DB_NO_START)) {
		bool started;

		PQfinish(conn);
		conn = NULL;
		if (!rhv_store_embedded_exists(&loc)) {
			rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "the embedded store in '%s' does not exist",
				      loc.datadir);
			rhv_error_hint(err, "run 'rhv-db init' to create it, or set RHV_DB");
		} else if (rhv_store_embedded_start(&loc, &started, err) == 0) {
			conn = connect_to(loc.conninfo, appname);
		}
	}
	if (conn && PQstatus(conn) != CONNECTION_OK) {
		char *msg = rhv_xstrdup(PQerrorMessage(conn));
		char *redacted = rhv_store_redact(loc.conninfo);

		first_line(msg);
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot connect to the store: %s", msg);
		rhv_error_detail(err, "store: %s (from %s)", redacted, rhv_store_source_name(loc.source));
		free(msg);
		free(redacted);
	}
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		rhv_store_loc_clear(&loc);
		PQfinish(conn);
		return NULL;
	}
	if (PQserverVersion(conn) < 130000) {
		rhv_store_loc_clear(&loc);
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "the store runs PostgreSQL %d.%d; rhv needs 13 or later",
			      PQserverVersion(conn) / 10000, PQserverVersion(conn) % 10000);
		PQfinish(conn);
		return NULL;
	}
	db = rhv_xcalloc(1, sizeof(*db));
	db->conn = conn;
	db->conninfo = rhv_xstrdup(loc.conninfo);
	rhv_store_loc_clear(&loc);
	snprintf(db->server_version, sizeof(db->server_version), "%d.%d", PQserverVersion(conn) / 10000,
		 PQserverVersion(conn) % 10000); /* 13 and later: major * 10000 + minor */
	set_actor(db);
	if (read_schema_version(db, err) < 0 || check_schema(db, flags, err) < 0) {
		rhv_db_close(db);
		return NULL;
	}
	return db;
}

void rhv_db_close(struct rhv_db *db)
{
	if (!db)
		return;
	PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

int rhv_db_schema_version(const struct rhv_db *db)
{
	return db->schema_version;
}

const char *rhv_db_server_version(const struct rhv_db *db)
{
	return db->server_version;
}

const char *rhv_db_actor(const struct rhv_db *db)
{
	return db->actor;
}
