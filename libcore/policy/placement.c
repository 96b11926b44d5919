/* The scheduler's verdicts as rows with names and scores: what --explain shows. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/error.h"
#include "rhv/placement.h"
#include "rhv/sched.h"

static const char *const policy_names[] = { "none", "evenly_distributed", "power_saving", "vm_evenly_distributed" };

/* Verdicts into rows: names from the hosts, scores as "Unit 0.123x2, ...". */
void rhv_placement_fill(struct rhv_placement *out, int policy, const struct rhv_sched_host *hosts,
			const struct rhv_sched_verdict *v, size_t n, int chosen)
{
	rhv_placement_clear(out);
	out->policy = rhv_xstrdup(policy_names[policy]);
	out->n = n;
	out->rows = rhv_xcalloc(n + 1, sizeof(*out->rows));
	for (size_t i = 0; i < n; i++) {
		struct rhv_placement_row *row = &out->rows[i];
		char *scores = NULL;

		row->host = rhv_xstrdup(hosts[i].name);
		row->eligible = v[i].eligible;
		row->chosen = (int)i == chosen;
		row->reason = v[i].eligible ? NULL : rhv_xstrdup(v[i].reason);
		row->weight = v[i].weight;
		for (int u = 0; v[i].eligible && u < RHV_SCHED_UNITS_MAX; u++) {
			const struct rhv_sched_unit *unit = rhv_sched_unit(policy, u);

			if (!unit)
				break;
			rhv_xappendf(&scores, ", ", "%s %.3fx%d", unit->name, v[i].unit_scores[u], unit->factor);
		}
		row->scores = scores;
	}
}

int rhv_placement_compute(const struct rhv_sched_host *hosts, size_t n, const struct rhv_sched_vm *vm, int policy,
			  const struct rhv_sched_params *params, struct rhv_placement *out)
{
	_cleanup_free_ struct rhv_sched_verdict *v = rhv_xcalloc(n + 1, sizeof(*v));
	int chosen = rhv_sched_place(hosts, n, vm, policy, params, v);

	rhv_placement_fill(out, policy, hosts, v, n, chosen);
	return chosen;
}

void rhv_placement_clear(struct rhv_placement *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->rows[i].host);
		free(p->rows[i].reason);
		free(p->rows[i].scores);
	}
	free(p->rows);
	free(p->policy);
	memset(p, 0, sizeof(*p));
}
