/* A balancing run on one cluster: lock, read, cool-down, plan, migrate, audit, unlock. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rhv/balance-run.h"
#include "rhv/cleanup.h"
#include "rhv/powersave.h"
#include "rhv/vmops.h"

void rhv_bal_cooldown(struct rhv_bal_input *in, int64_t cooldown_minutes, int64_t now)
{
	for (size_t i = 0; i < in->s.nvms; i++)
		if (in->vm_last_migration[i] && now - in->vm_last_migration[i] < cooldown_minutes * 60)
			in->s.vms[i].migratable = false;
}

static void add_step(struct rhv_bal_run_report *r, const struct rhv_bal_move *m, size_t step, char *result,
		     bool failed)
{
	struct rhv_bal_run_step *s = &r->steps[r->n++];

	s->move = *m;
	s->step = step;
	s->result = result;
	s->failed = failed;
}

void rhv_bal_execute(struct rhv_db *db, const struct rhv_bal_plan *plan, bool dry_run, const struct rhv_progress *p,
		     struct rhv_bal_run_report *r)
{
	const struct rhv_bal_input *in = &r->in;

	/* after the steps already there: a flow may execute more than one plan */
	r->steps = rhv_xrealloc(r->steps, (r->n + plan->n + 1) * sizeof(*r->steps));
	for (size_t i = 0; i < plan->n; i++) {
		const struct rhv_bal_move *m = &plan->moves[i];
		struct rhv_error e = { 0 };

		if (dry_run) {
			add_step(r, m, i + 1, rhv_xstrdup("dry run"), false);
		} else if (m->kind != RHV_BAL_MIGRATE) {
			const char *host = in->host_names[m->from];
			int rc = m->kind == RHV_BAL_POWER_OFF ? rhv_power_saving_off(db, host, in->cluster, p, &e)
							      : rhv_power_saving_on(db, host, in->cluster, p, &e);

			if (rc == 0) {
				r->powered++;
				add_step(r, m, i + 1, rhv_xstrdup(m->kind == RHV_BAL_POWER_OFF ? "powered off" : "powered on"),
					 false);
			} else if (rc > 0) {
				add_step(r, m, i + 1, rhv_xasprintf("skipped: %s", e.message), false);
			} else {
				r->failed++;
				add_step(r, m, i + 1, rhv_xasprintf("failed: %s", e.message), true);
			}
		} else if (rhv_vm_migrate(db, in->vm_names[m->vm], in->host_names[m->to], NULL, p, &e) == 0) {
			r->done++;
			add_step(r, m, i + 1, rhv_xstrdup("migrated"), false);
		} else {
			r->failed++;
			add_step(r, m, i + 1, rhv_xasprintf("failed: %s", e.message), true);
		}
	}
}

int rhv_bal_run(struct rhv_db *db, const char *cluster, const struct rhv_bal_run_opts *o,
		const struct rhv_progress *p, struct rhv_bal_run_report *r, struct rhv_error *err)
{
	struct rhv_bal_plan plan = { 0 };
	bool got, released;
	_cleanup_free_ char *summary = NULL;

	memset(r, 0, sizeof(*r));
	if (rhv_bal_lock(db, cluster, true, &got, err) < 0)
		return -1;
	if (!got) {
		r->skipped = true;
		return 0;
	}
	/* read under the lock: a run that just finished may have moved VMs */
	if (rhv_bal_load(db, cluster, RHV_BAL_HISTORY_MINUTES, &r->in, err) < 0)
		goto out;
	/* a VM that moved lately stays put: no ping-pong between runs */
	rhv_bal_cooldown(&r->in, o->cooldown_minutes, (int64_t)time(NULL));
	if (rhv_bal_plan(&r->in.s, o->max_moves, &plan, err) < 0)
		goto out;
	r->planned = plan.n;
	rhv_bal_execute(db, &plan, o->dry_run, p, r);
	{
		_cleanup_free_ char *power =
			r->powered ? rhv_xasprintf(", %zu power action%s done", r->powered, r->powered == 1 ? "" : "s")
				   : rhv_xstrdup("");

		summary = rhv_xasprintf("balancing run on cluster '%s' (policy %s): %zu step%s planned, %zu migration%s "
					"done%s%s",
					r->in.cluster, r->in.policy, plan.n, plan.n == 1 ? "" : "s", r->done,
					r->done == 1 ? "" : "s", power, o->dry_run ? " (dry run)" : "");
	}
	/* a dry run changes nothing, the audit log included */
	if (plan.n && !o->dry_run && rhv_bal_event(db, r->in.cluster, false, "balance", summary, err) < 0)
		goto out;
out:
	rhv_bal_plan_clear(&plan);
	if (rhv_bal_lock(db, cluster, false, &released, err) < 0)
		return -1;
	return err->code ? -1 : 0;
}

void rhv_bal_run_report_clear(struct rhv_bal_run_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->steps[i].result);
	free(r->steps);
	rhv_bal_input_clear(&r->in);
	memset(r, 0, sizeof(*r));
}
