/*
 * Why a running VM would (not) move: the scheduler's verdict on every host
 * of its cluster, and whether the cluster's balancing policy would move it
 * now.  rhv-balance explain prints it through rhv/explain.h's columns.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/output.h"
#include "rhv/placement.h"

struct rhv_db;

struct rhv_bal_explain {
	char *vm, *host, *cluster;
	struct rhv_placement pl; /* one row per host of the cluster */
	const char *move_to;	 /* the host the policy would move it to now (a row's name), or NULL */
	char *verdict;		 /* "the policy would move it now (step 1 of 3): to h2: ..." or "... not move it: ..." */
};

/*
 * Explain vm under its cluster's policy, or under policy and params as a
 * what-if (checked like rhv-cluster policy; NULL: as stored).
 * Returns: 0; or -1 with RHV_EXIT_NOTFOUND, RHV_EXIT_CONFLICT (the VM does
 * not run), RHV_EXIT_USAGE (a bad what-if).
 */
int rhv_bal_explain(struct rhv_db *db, const char *vm, const char *policy, const char *const *params,
		    struct rhv_bal_explain *x, struct rhv_error *err);
/* One row per host into t, a table over rhv_explain_columns (all of them). */
void rhv_bal_explain_rows(const struct rhv_bal_explain *x, struct rhv_table *t);
void rhv_bal_explain_clear(struct rhv_bal_explain *x);
