/* The scheduler's reasoning as a table, shared by rhv-vm and rhv-balance. */
#include "rhv/common.h"

#include <stdio.h>

#include "rhv/explain.h"
#include "rhv/output.h"

const struct rhv_column rhv_explain_columns[RHV_EXPLAIN_COLS] = {
	[RHV_EXPLAIN_HOST] = { "host", "HOST", RHV_COL_STR, RHV_COL_DEFAULT, "candidate host" },
	[RHV_EXPLAIN_ELIGIBLE] = { "eligible", "ELIGIBLE", RHV_COL_BOOL, RHV_COL_DEFAULT, "passed every filter" },
	[RHV_EXPLAIN_CHOSEN] = { "chosen", "CHOSEN", RHV_COL_BOOL, RHV_COL_DEFAULT, "the host picked" },
	[RHV_EXPLAIN_WEIGHT] = { "weight", "WEIGHT", RHV_COL_FLOAT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
				 "sum of factor x score, lowest wins", 3 /* as the scores: 0.203 and 0.200 differ */ },
	[RHV_EXPLAIN_REASON] = { "reason", "REASON", RHV_COL_STR, RHV_COL_DEFAULT, "why a filter refused it" },
	[RHV_EXPLAIN_SCORES] = { "scores", "SCORES", RHV_COL_STR, RHV_COL_DEFAULT,
				 "each weight unit's score x factor" },
	[RHV_EXPLAIN_POLICY] = { "policy", "POLICY", RHV_COL_STR, 0, "the scheduling policy weighed by" },
	[RHV_EXPLAIN_VM] = { "vm", "VM", RHV_COL_STR, 0, "the VM explained" },
	[RHV_EXPLAIN_CLUSTER] = { "cluster", "CLUSTER", RHV_COL_STR, 0, "its cluster" },
	[RHV_EXPLAIN_CURRENT] = { "current", "CURRENT", RHV_COL_BOOL, 0, "the VM runs on this host" },
	[RHV_EXPLAIN_MOVE] = { "move", "MOVE", RHV_COL_BOOL, 0, "the balancing policy would move it here now" },
	[RHV_EXPLAIN_VERDICT] = { "verdict", "VERDICT", RHV_COL_STR, 0,
				  "whether the balancing policy would move it, and why" },
};

void rhv_explain_add_row(const struct rhv_placement *pl, size_t i, struct rhv_table *t)
{
	const struct rhv_placement_row *r = &pl->rows[i];

	rhv_table_add_row(t);
	rhv_cell_str(t, RHV_EXPLAIN_HOST, r->host);
	rhv_cell_bool(t, RHV_EXPLAIN_ELIGIBLE, r->eligible);
	rhv_cell_bool(t, RHV_EXPLAIN_CHOSEN, r->chosen);
	if (r->eligible)
		rhv_cell_float(t, RHV_EXPLAIN_WEIGHT, r->weight);
	rhv_cell_str(t, RHV_EXPLAIN_REASON, r->reason);
	rhv_cell_str(t, RHV_EXPLAIN_SCORES, r->eligible ? r->scores : NULL);
	rhv_cell_str(t, RHV_EXPLAIN_POLICY, pl->policy);
}

int rhv_explain_print(const struct rhv_placement *pl, const struct rhv_output_opts *o, FILE *out,
		      struct rhv_error *err)
{
	struct rhv_table *t = rhv_table_new(rhv_explain_columns, RHV_EXPLAIN_PLACEMENT_COLS, "hosts", "host");
	enum rhv_format fmt;
	int rc = rhv_format_parse(o->format, &fmt, err);

	for (size_t i = 0; i < pl->n; i++)
		rhv_explain_add_row(pl, i, t);
	/* a person reads the policy once above the table; scripts get it per row */
	if (rc == 0 && fmt == RHV_FMT_TABLE && pl->policy)
		fprintf(out, "policy: %s\n", pl->policy);
	if (rc == 0)
		rc = rhv_output_list(o, t, out, err);
	rhv_table_free(t);
	fflush(out);
	return rc;
}
