/* rhv-balance explain: the scheduler's verdicts for one running VM, and the policy's plan for it. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "rhv/balance-explain.h"
#include "rhv/balance-io.h"
#include "rhv/balance-run.h"
#include "rhv/balance.h"
#include "rhv/cleanup.h"
#include "rhv/explain.h"
#include "rhv/sched.h"
#include "rhv/vm.h"

/* The cluster's hosts as the scheduler sees them, from the balancer's snapshot. */
static struct rhv_sched_host *sched_hosts(const struct rhv_bal_snapshot *s)
{
	struct rhv_sched_host *hosts = rhv_xcalloc(s->nhosts + 1, sizeof(*hosts));

	for (size_t i = 0; i < s->nhosts; i++) {
		const struct rhv_bal_host *h = &s->hosts[i];

		hosts[i] = (struct rhv_sched_host){ .name = h->name, .up = h->up, .in_cluster = true, .is_spm = h->is_spm,
						    .cores = h->cores, .mem_total = h->mem_total,
						    .mem_committed = h->mem_used_by_vms, .cpu_pct = h->cpu_pct,
						    .vm_count = h->vm_count };
	}
	return hosts;
}

/* Why the plan has no migration of the VM (idx: its index in the snapshot, or -1). */
static char *why_not(const struct rhv_bal_input *in, const struct rhv_vm *vm, int idx, size_t steps)
{
	if (idx >= 0 && in->s.vms[idx].pinned)
		return rhv_xstrdup("the policy would not move it: it is pinned to its host");
	if (idx >= 0 && !in->s.vms[idx].migratable)
		return rhv_xasprintf("the policy would not move it: it is %s, not Up", vm->state);
	if (in->s.policy == RHV_SCHED_NONE)
		return rhv_xstrdup("the policy would not move it: policy none never migrates");
	if (steps == 0)
		return rhv_xasprintf("the policy would not move it: the cluster is balanced under %s", in->policy);
	return rhv_xasprintf("the policy would not move it: %zu other step%s balance the cluster", steps,
			     steps == 1 ? "" : "s");
}

int rhv_bal_explain(struct rhv_db *db, const char *name, const char *policy, const char *const *params,
		    struct rhv_bal_explain *x, struct rhv_error *err)
{
	struct rhv_vm vm;
	struct rhv_bal_input in = { 0 };
	struct rhv_bal_plan plan = { 0 };
	_cleanup_free_ struct rhv_sched_host *hosts = NULL;
	struct rhv_sched_vm svm;
	int idx = -1, rc = -1;

	memset(x, 0, sizeof(*x));
	if (rhv_vm_get(db, name, &vm, err) < 0)
		return -1;
	if (!vm.host) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is %s: only a running VM is balanced", vm.name, vm.state);
		goto out;
	}
	if (rhv_bal_load(db, vm.cluster, RHV_BAL_HISTORY_MINUTES, &in, err) < 0 ||
	    rhv_bal_override(&in, policy, params, err) < 0)
		goto out;
	for (size_t i = 0; i < in.s.nvms; i++)
		if (!strcmp(in.vm_names[i], vm.name))
			idx = (int)i;
	hosts = sched_hosts(&in.s);
	svm = (struct rhv_sched_vm){ vm.memory, vm.vcpus, -1, idx >= 0 ? in.s.vms[idx].host : -1 };
	if (idx >= 0 && in.s.vms[idx].pinned)
		svm.pinned_host = in.s.vms[idx].host;
	if (rhv_bal_plan(&in.s, 0, &plan, err) < 0)
		goto out;
	x->vm = rhv_xstrdup(vm.name);
	x->host = rhv_xstrdup(vm.host);
	x->cluster = rhv_xstrdup(vm.cluster);
	rhv_placement_compute(hosts, in.s.nhosts, &svm, in.s.policy, &in.s.params, &x->pl);
	for (size_t i = 0; i < plan.n && !x->verdict; i++) {
		const struct rhv_bal_move *m = &plan.moves[i];

		if (m->vm == idx && m->kind == RHV_BAL_MIGRATE) {
			x->verdict = rhv_xasprintf("the policy would move it now (step %zu of %zu): to %s: %s", i + 1,
						   plan.n, in.host_names[m->to], m->reason);
			x->move_to = x->pl.rows[m->to].host; /* the rows are the snapshot's hosts, in order */
		}
	}
	if (!x->verdict)
		x->verdict = why_not(&in, &vm, idx, plan.n);
	rc = 0;
out:
	rhv_bal_plan_clear(&plan);
	rhv_bal_input_clear(&in);
	rhv_vm_clear(&vm);
	return rc;
}

void rhv_bal_explain_rows(const struct rhv_bal_explain *x, struct rhv_table *t)
{
	/* every row carries the VM and the verdict, so TSV and JSON stand alone */
	for (size_t i = 0; i < x->pl.n; i++) {
		const char *host = x->pl.rows[i].host;

		rhv_explain_add_row(&x->pl, i, t);
		rhv_cell_str(t, RHV_EXPLAIN_VM, x->vm);
		rhv_cell_str(t, RHV_EXPLAIN_CLUSTER, x->cluster);
		rhv_cell_bool(t, RHV_EXPLAIN_CURRENT, !strcmp(host, x->host));
		rhv_cell_bool(t, RHV_EXPLAIN_MOVE, x->move_to == host);
		rhv_cell_str(t, RHV_EXPLAIN_VERDICT, x->verdict);
	}
}

void rhv_bal_explain_clear(struct rhv_bal_explain *x)
{
	free(x->vm);
	free(x->host);
	free(x->cluster);
	free(x->verdict);
	rhv_placement_clear(&x->pl);
	memset(x, 0, sizeof(*x));
}
