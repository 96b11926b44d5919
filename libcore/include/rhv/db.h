/*
 * The state store connection.  The handle is opaque: commands never see
 * libpq.  Where the store is comes from store.h.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;

enum rhv_db_open_flag {
	RHV_DB_ANY_SCHEMA = 1 << 0, /* do not insist on a current schema */
	RHV_DB_WRITE = 1 << 1,      /* refuse a schema newer than this binary */
	RHV_DB_NO_START = 1 << 2,   /* do not start the embedded cluster (completion) */
};

/*
 * Connect to the store named by conninfo (NULL: resolve it as store.h
 * says), starting the embedded default cluster if it is down, then check the
 * schema version.  Returns: the handle, or NULL with RHV_EXIT_UNAVAILABLE
 * (unreachable), RHV_EXIT_CONFLICT (schema too old, or newer and
 * RHV_DB_WRITE).
 */
struct rhv_db *rhv_db_open(const char *conninfo, const char *appname, unsigned flags,
			   struct rhv_error *err);
void rhv_db_close(struct rhv_db *db);
/* With --debug, a store error also shows the statement that failed. */
void rhv_db_set_debug(bool on);

/* Schema version in the store (0 if none) and the one compiled in. */
int rhv_db_schema_version(const struct rhv_db *db);
int rhv_db_schema_latest(void);
/* Server version as "15.18". */
const char *rhv_db_server_version(const struct rhv_db *db);
/* The OS user recorded as the actor of events. */
const char *rhv_db_actor(const struct rhv_db *db);

/*
 * Apply migrations up to target (0 = latest), each in its own transaction
 * under an advisory lock, so concurrent runs are safe.  *from and *to report
 * the versions.  Returns: 0, or -1 (RHV_EXIT_CONFLICT when target is below
 * the current version).
 */
int rhv_db_migrate(struct rhv_db *db, int target, int *from, int *to, struct rhv_error *err);
