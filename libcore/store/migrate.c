/*
 * Bringing a store's schema up to a version: the migrations of schema.c
 * applied in order, each in its own transaction under an advisory lock,
 * each recorded and logged as an event.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>

#include "store/store-priv.h"
#include "rhv/event.h"

/* Serializes concurrent migrations across processes ("rhv" in ASCII). */
static const char MIGRATION_LOCK[] = "7497846";

struct step {
	const struct rhv_db_migration *m;
	bool applied;
};

static int apply_one(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct step *s = arg;
	_cleanup_pgresult_ PGresult *r = NULL;
	PGresult *ddl;
	char version[16];

	if (rhv_db_exec(db, "SELECT pg_advisory_xact_lock($1::bigint)", RHV_PARAMS(MIGRATION_LOCK), NULL, err) < 0)
		return -1;
	/* Re-read under the lock: another process may have applied it already. */
	PGresult *probe = PQexec(db->conn, "SELECT to_regclass('rhv_schema_version') IS NOT NULL AS t");
	bool have_table = PQresultStatus(probe) == PGRES_TUPLES_OK && rhv_pq_bool(probe, 0, "t");

	PQclear(probe);
	snprintf(version, sizeof(version), "%d", s->m->version);
	if (have_table) {
		if (rhv_db_exec(db, "SELECT 1 FROM rhv_schema_version WHERE version = $1::int", RHV_PARAMS(version),
				&r, err) < 0)
			return -1;
		if (PQntuples(r) > 0)
			return 0;
	}
	ddl = PQexec(db->conn, s->m->sql);
	if (PQresultStatus(ddl) != PGRES_COMMAND_OK) {
		rhv_db_map_error(db, ddl, err);
		rhv_error_detail(err, "while applying schema migration %d (%s)", s->m->version, s->m->description);
		PQclear(ddl);
		return -1;
	}
	PQclear(ddl);
	if (rhv_db_exec(db, "INSERT INTO rhv_schema_version (version, description) VALUES ($1::int, $2)",
			RHV_PARAMS(version, s->m->description), NULL, err) < 0)
		return -1;
	s->applied = true;
	return rhv_event_add(db, RHV_SEV_NORMAL, "store", NULL, NULL, "upgrade", err,
			     "schema migration %d applied: %s", s->m->version, s->m->description);
}

int rhv_db_migrate(struct rhv_db *db, int target, int *from, int *to, struct rhv_error *err)
{
	int latest = rhv_db_schema_latest();
	size_t n;
	const struct rhv_db_migration *migrations = rhv_db_migrations(&n);

	if (target <= 0)
		target = latest;
	if (target > latest)
		return rhv_error_usage(err, "invalid schema version %d: this program knows versions 1 to %d", target,
				       latest);
	*from = *to = db->schema_version;
	if (db->schema_version > latest) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "the store's schema is version %d, newer than this program's %d",
			      db->schema_version, latest);
		return -1;
	}
	if (target < db->schema_version) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "the store's schema is already at version %d; downgrades are not supported",
			      db->schema_version);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct step s = { &migrations[i], false };

		if (migrations[i].version <= db->schema_version || migrations[i].version > target)
			continue;
		if (rhv_db_txn(db, apply_one, &s, err) < 0)
			return -1;
		db->schema_version = migrations[i].version;
		*to = db->schema_version;
	}
	return 0;
}
