/*
 * The one parameterized query wrapper.  Every value reaches the server as
 * a PQexecParams parameter, never inside SQL text.  Only libcore's store
 * modules (db-*.c) include this header.
 */
#pragma once

#include <libpq-fe.h>
#include "rhv/cleanup.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "store/txn.h"

struct rhv_db {
	PGconn *conn;
	int schema_version;
	char server_version[16];
	char actor[128];
	char *conninfo; /* as resolved (flag, environment, configuration, embedded): for child rhv processes */
};

RHV_DEFINE_CLEANUP(PGresult *, PQclear)
#define _cleanup_pgresult_ _cleanup_(PQclear_cleanup)

/* Parameter vector literal: RHV_PARAMS(a, b) -> (const char *[]){a, b}, 2 */
#define RHV_PARAMS(...)                                                                             \
	(const char *const[]){ __VA_ARGS__ },                                                          \
		(int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))
#define RHV_NO_PARAMS NULL, 0

/*
 * Run one statement.  On success *res (if res is not NULL) holds the result
 * for the caller to PQclear.  Returns: 0, or -1 with err filled from the
 * SQLSTATE (see rhv_db_map_error).
 */
int rhv_db_exec(struct rhv_db *db, const char *sql, const char *const *params, int nparams, PGresult **res,
		struct rhv_error *err);
/* Like rhv_db_exec for statements without rows; *affected gets the row count. */
int rhv_db_command(struct rhv_db *db, const char *sql, const char *const *params, int nparams,
		   long *affected, struct rhv_error *err);

/* The exit class for a SQLSTATE (NULL: no answer from the server). */
enum rhv_exit rhv_db_exit_for_sqlstate(const char *state);
/* One step of the schema (schema.c). */
struct rhv_db_migration {
	int version;
	const char *description;
	const char *sql; /* DDL only: no values, so PQexec's multi-statement form is safe */
};
/* The compiled-in migrations, version 1 first; *n of them. */
const struct rhv_db_migration *rhv_db_migrations(size_t *n);
/* Check the compiled-in migrations: versions 1..n in order, each described. */
int rhv_db_migrations_check(char *why, size_t len);

/* Map a failed result to err: class 08 -> unavailable, 23505 -> conflict, ... */
int rhv_db_map_error(struct rhv_db *db, const PGresult *res, struct rhv_error *err);

/*
 * How a lookup locks the row it finds: not at all, FOR UPDATE (the caller
 * changes it; false and true mean these two), or FOR SHARE (the caller
 * relies on it staying as read until commit, e.g. a parent it adds to).
 */
enum rhv_db_lock {
	RHV_DB_NO_LOCK = 0,
	RHV_DB_FOR_UPDATE = 1,
	RHV_DB_FOR_SHARE = 2,
};

/*
 * "<select> WHERE <alias>.name = $1 OR (<alias>.id::text = $1 AND no row of
 * <table> has that name)[ FOR UPDATE|SHARE OF <alias>]": objects are named
 * by name or id, and a name always wins.  Caller frees.
 */
char *rhv_db_by_name_sql(const char *select, const char *alias, const char *table, enum rhv_db_lock lock);
/*
 * Run that lookup for name: *res holds exactly one row.  what names the
 * kind in "cannot find <what> '<name>'" (RHV_EXIT_NOTFOUND).  The name is
 * checked first as any name is (rhv_check_lookup_name): a bad one is a
 * usage error and reaches no query.
 */
int rhv_db_get_by_name(struct rhv_db *db, const char *select, const char *alias, const char *table,
		       enum rhv_db_lock lock, const char *what, const char *name, PGresult **res,
		       struct rhv_error *err);

/*
 * A data center by name or id (as rhv_dc_get), its row locked FOR SHARE
 * until the transaction ends: what is added to it (a cluster) is checked
 * against values that an edit cannot change meanwhile.
 */
struct rhv_dc;
int rhv_db_dc_get_shared(struct rhv_db *db, const char *name, struct rhv_dc *out, struct rhv_error *err);
/* The id of a data center named by name or id.  Returns: 0, or -1 with RHV_EXIT_NOTFOUND. */
int rhv_db_dc_id(struct rhv_db *db, const char *dc, char id[37], struct rhv_error *err);

/* Read a column by name: NULL for SQL NULL. */
const char *rhv_pq_str(const PGresult *r, int row, const char *col);
int64_t rhv_pq_int(const PGresult *r, int row, const char *col);
bool rhv_pq_bool(const PGresult *r, int row, const char *col);
/* strdup of the value, NULL for SQL NULL */
char *rhv_pq_dup(const PGresult *r, int row, const char *col);

/* A list's items from every row of r, each filled by fill(r, row, &item). */
#define RHV_PQ_FILL_LIST(out, r, fill)                                                  \
	do {                                                                           \
		(out)->n = (size_t)PQntuples(r);                                       \
		(out)->items = rhv_xcalloc((out)->n ? (out)->n : 1, sizeof(*(out)->items)); \
		for (size_t i_ = 0; i_ < (out)->n; i_++)                               \
			fill(r, (int)i_, &(out)->items[i_]);                            \
	} while (0)

/* void rhv_<obj>_list_clear(struct rhv_<obj>_list *l), from rhv_<obj>_clear. */
#define RHV_DEFINE_LIST_CLEAR(obj)                                     \
	void rhv_##obj##_list_clear(struct rhv_##obj##_list *l)        \
	{                                                              \
		for (size_t i = 0; i < l->n; i++)                      \
			rhv_##obj##_clear(&l->items[i]);               \
		free(l->items);                                        \
		memset(l, 0, sizeof(*l));                              \
	}
