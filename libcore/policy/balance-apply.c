/* Checking a plan by running it on the figures of a snapshot. */
#include "rhv/common.h"

#include <stdlib.h>

#include "policy/balance-priv.h"

int rhv_bal_plan_apply(struct rhv_bal_snapshot *s, const struct rhv_bal_plan *p, struct rhv_error *err)
{
	uint8_t *seen = NULL; /* per host: 1 received a VM, 2 powered off, 4 powered on */
	bool *moved = NULL;
	double high = s->params.high_utilization;
	double max_free = s->params.max_free_mem_over >= 0 ? (double)s->params.max_free_mem_over * MIB : -1;
	bool cpu_policy = s->policy == RHV_SCHED_EVENLY || s->policy == RHV_SCHED_POWER_SAVING;
	int rc = -1;

	if (rhv_bal_check_snapshot(s, err) < 0)
		return -1;
	seen = calloc(s->nhosts + 1, 1);
	moved = calloc(s->nvms + 1, sizeof(*moved));
	if (!seen || !moved) {
		rhv_error_oom(err);
		goto out;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct rhv_bal_move *m = &p->moves[i];
		struct rhv_bal_host *from, *to;
		struct rhv_bal_vm *vm;
		double load;
		char why[RHV_SCHED_REASON_MAX];

		if (m->from < 0 || (size_t)m->from >= s->nhosts || m->to < 0 || (size_t)m->to >= s->nhosts) {
			rhv_error_set(err, RHV_EXIT_FAILED, "step %zu: host outside the snapshot", i + 1);
			goto out;
		}
		from = &s->hosts[m->from];
		to = &s->hosts[m->to];
		if (m->kind == RHV_BAL_POWER_OFF) {
			if (!participates(to) || to->vm_count || !to->power_management || to->is_spm ||
			    (seen[m->to] & 4)) {
				rhv_error_set(err, RHV_EXIT_FAILED,
					      "step %zu: cannot power off '%s' (not an empty Up host with power "
					      "management, or the SPM, or powered on by the plan)",
					      i + 1, hname(s, m->to));
				goto out;
			}
			to->up = false;
			to->powered_off = true;
			seen[m->to] |= 2;
			continue;
		}
		if (m->kind == RHV_BAL_POWER_ON) {
			if (to->up || to->maintenance || !to->powered_off || !to->power_management ||
			    (seen[m->to] & 2)) {
				rhv_error_set(err, RHV_EXIT_FAILED, "step %zu: cannot power on '%s'", i + 1,
					      hname(s, m->to));
				goto out;
			}
			to->up = true;
			to->powered_off = false;
			to->cpu_pct = 0;
			seen[m->to] |= 4;
			continue;
		}
		if (m->vm < 0 || (size_t)m->vm >= s->nvms) {
			rhv_error_set(err, RHV_EXIT_FAILED, "step %zu: VM outside the snapshot", i + 1);
			goto out;
		}
		vm = &s->vms[m->vm];
		if (moved[m->vm] || vm->host != m->from || !vm_movable(s, vm)) {
			rhv_error_set(err, RHV_EXIT_FAILED, "step %zu: VM '%s' cannot move from '%s' (%s)", i + 1,
				      vm->name ? vm->name : "?", hname(s, m->from),
				      moved[m->vm]	     ? "it moved before"
				      : vm->host != m->from ? "it is not there"
							     : "pinned, not migratable or migrating");
			goto out;
		}
		if (seen[m->from] & 1) {
			rhv_error_set(err, RHV_EXIT_FAILED, "step %zu: '%s' sends a VM after receiving one", i + 1,
				      hname(s, m->from));
			goto out;
		}
		if (rhv_netfit_missing(to->nets, vm->networks, vm->nnetworks, true, false, why, sizeof(why))) {
			rhv_error_set(err, RHV_EXIT_FAILED, "step %zu: '%s' cannot take VM '%s': %s", i + 1,
				      hname(s, m->to), vm->name ? vm->name : "?", why);
			goto out;
		}
		load = vm_load(vm, to->cores);
		if (m->to == m->from || !participates(to) || vm->vcpus > to->cores ||
		    (double)to->mem_used_by_vms + (double)vm->memory > (double)to->mem_total ||
		    (cpu_policy && to->cpu_pct + load >= high) ||
		    (cpu_policy && max_free >= 0 &&
		     (double)to->mem_total - (double)to->mem_used_by_vms - (double)vm->memory < max_free)) {
			rhv_error_set(err, RHV_EXIT_FAILED, "step %zu: '%s' cannot take VM '%s' (%.1f%% CPU, %llu MiB free)",
				      i + 1, hname(s, m->to), vm->name ? vm->name : "?", to->cpu_pct,
				      (unsigned long long)((to->mem_total > to->mem_used_by_vms
								    ? to->mem_total - to->mem_used_by_vms
								    : 0) /
							   (1024 * 1024)));
			goto out;
		}
		moved[m->vm] = true;
		seen[m->to] |= 1;
		load = vm_load(vm, from->cores);
		from->cpu_pct = from->cpu_pct > load ? from->cpu_pct - load : 0;
		to->cpu_pct += vm_load(vm, to->cores);
		from->mem_used_by_vms = from->mem_used_by_vms > vm->memory ? from->mem_used_by_vms - vm->memory : 0;
		to->mem_used_by_vms += vm->memory;
		from->vm_count--;
		to->vm_count++;
		vm->host = m->to;
	}
	rc = 0;
out:
	free(seen);
	free(moved);
	return rc;
}
