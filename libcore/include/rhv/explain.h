/*
 * The scheduler's reasoning through the output layer: one row per host, its
 * verdict and weight, for rhv-vm start/migrate --explain and rhv-balance
 * explain, in every format (-o table|tsv|json, -c, -H).
 */
#pragma once

#include <stdio.h>
#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/output.h"
#include "rhv/placement.h"

/*
 * The columns of rhv_explain_columns[]: start and migrate take the first
 * RHV_EXPLAIN_PLACEMENT_COLS, rhv-balance explain all of them.
 */
enum rhv_explain_col {
	RHV_EXPLAIN_HOST,
	RHV_EXPLAIN_ELIGIBLE,
	RHV_EXPLAIN_CHOSEN,
	RHV_EXPLAIN_WEIGHT,
	RHV_EXPLAIN_REASON,
	RHV_EXPLAIN_SCORES,
	RHV_EXPLAIN_POLICY,
	RHV_EXPLAIN_PLACEMENT_COLS,
	/* rhv-balance explain: the VM and what the balancing policy does with it */
	RHV_EXPLAIN_VM = RHV_EXPLAIN_PLACEMENT_COLS,
	RHV_EXPLAIN_CLUSTER,
	RHV_EXPLAIN_CURRENT,
	RHV_EXPLAIN_MOVE,
	RHV_EXPLAIN_VERDICT,
	RHV_EXPLAIN_COLS
};

extern const struct rhv_column rhv_explain_columns[RHV_EXPLAIN_COLS];

/*
 * Add host i of p as a row of t (a table over rhv_explain_columns) with the
 * placement columns set; the caller may set the others of that row next.
 */
void rhv_explain_add_row(const struct rhv_placement *p, size_t i, struct rhv_table *t);
/*
 * Print p as o asks: in a table "policy: NAME" first, then the rows; TSV
 * and JSON only the rows (the policy is a column there).
 * Returns: 0, or -1 with RHV_EXIT_USAGE (a format or column o should not have passed).
 */
int rhv_explain_print(const struct rhv_placement *p, const struct rhv_output_opts *o, FILE *out,
		      struct rhv_error *err);
