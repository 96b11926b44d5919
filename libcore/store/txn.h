/*
 * Transactions, retries and advisory locks of the store, for the flows in
 * ops/ and storage/ that run their steps inside them.  No libpq here: the
 * steps call the store's functions, never SQL.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"

typedef int (*rhv_txn_fn)(struct rhv_db *db, void *arg, struct rhv_error *err);
/*
 * Run fn inside BEGIN ... COMMIT, retrying a bounded number of times with
 * jittered back-off on serialization failures and deadlocks.
 */
int rhv_db_txn(struct rhv_db *db, rhv_txn_fn fn, void *arg, struct rhv_error *err);

/* Does err carry this SQLSTATE (and, if given, this constraint)? */
bool rhv_db_error_is(const struct rhv_error *err, const char *sqlstate);

/*
 * A session advisory lock named by (namespace, key): taken with lock, or
 * released.  *got tells whether it was taken (or held, when releasing).
 * A mutual-exclusion hint between rhv processes, not a fence.
 */
int rhv_db_try_lock(struct rhv_db *db, const char *ns, const char *key, bool lock, bool *got, struct rhv_error *err);
/* The same lock, waiting for it; release it with rhv_db_try_lock(..., false, ...). */
int rhv_db_lock_wait(struct rhv_db *db, const char *ns, const char *key, struct rhv_error *err);
