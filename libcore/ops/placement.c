/* The scheduler's reasoning as a table, shared by rhv-vm and rhv-balance. */
#include "rhv/common.h"

#include <stdio.h>

#include "rhv/explain.h"
#include "rhv/output.h"

enum { X_HOST, X_VERDICT, X_CHOSEN, X_WEIGHT, X_REASON, X_SCORES };

static const struct rhv_column explain_columns[] = {
	[X_HOST] = { "host", "HOST", RHV_COL_STR, RHV_COL_DEFAULT, "candidate host" },
	[X_VERDICT] = { "eligible", "ELIGIBLE", RHV_COL_BOOL, RHV_COL_DEFAULT, "passed every filter" },
	[X_CHOSEN] = { "chosen", "CHOSEN", RHV_COL_BOOL, RHV_COL_DEFAULT, "the host picked" },
	[X_WEIGHT] = { "weight", "WEIGHT", RHV_COL_FLOAT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
		       "sum of factor x score, lowest wins", 3 /* as the scores: 0.203 and 0.200 differ */ },
	[X_REASON] = { "reason", "REASON", RHV_COL_STR, RHV_COL_DEFAULT, "why a filter refused it" },
	[X_SCORES] = { "scores", "SCORES", RHV_COL_STR, RHV_COL_DEFAULT, "each weight unit's score x factor" },
};

void rhv_placement_print(const struct rhv_placement *pl, FILE *out)
{
	struct rhv_output_opts o = { 0 };
	struct rhv_error ignored = { 0 };
	struct rhv_table *t = rhv_table_new(explain_columns, RHV_ARRAY_SIZE(explain_columns), "hosts", "host");

	for (size_t i = 0; i < pl->n; i++) {
		const struct rhv_placement_row *r = &pl->rows[i];

		rhv_table_add_row(t);
		rhv_cell_str(t, X_HOST, r->host);
		rhv_cell_bool(t, X_VERDICT, r->eligible);
		rhv_cell_bool(t, X_CHOSEN, r->chosen);
		if (r->eligible)
			rhv_cell_float(t, X_WEIGHT, r->weight);
		rhv_cell_str(t, X_REASON, r->reason);
		rhv_cell_str(t, X_SCORES, r->eligible ? r->scores : NULL);
	}
	if (pl->policy)
		fprintf(out, "policy: %s\n", pl->policy);
	rhv_output_list(&o, t, out, &ignored); /* the default format cannot fail */
	rhv_table_free(t);
	fflush(out);
}
