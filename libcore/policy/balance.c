/*
 * The balancer's vocabulary: names of its steps and reasons, the policy's
 * defaults, and the checks every entry point makes on a snapshot.  The
 * planner is in balance-plan.c; see balance-priv.h for the others.
 */
#include "rhv/common.h"

#include <limits.h>
#include <stdlib.h>

#include "policy/balance-priv.h"

const char *rhv_bal_kind_name(enum rhv_bal_kind kind)
{
	static const char *const names[] = { "migrate", "power-off", "power-on" };

	return (unsigned)kind < RHV_ARRAY_SIZE(names) ? names[kind] : NULL;
}

const char *rhv_bal_why_name(enum rhv_bal_why why)
{
	static const char *const names[] = { "vm-count", "cpu-over",  "memory-over", "cpu-under",
					     "surplus",  "reserve",   "capacity" };

	return (unsigned)why < RHV_ARRAY_SIZE(names) ? names[why] : NULL;
}

static int64_t param_default(const char *key)
{
	const struct rhv_policy_param *p = rhv_policy_param_find(key);

	return p ? p->def : 0;
}

void rhv_bal_params_default(struct rhv_bal_snapshot *s)
{
	rhv_sched_params_default(&s->params);
	s->cpu_overcommit_minutes = (int)param_default("CpuOverCommitDurationMinutes");
	s->hosts_in_reserve = (int)param_default("HostsInReserve");
	s->auto_power = param_default("EnableAutomaticHostPowerManagement") != 0;
}

void rhv_bal_plan_clear(struct rhv_bal_plan *p)
{
	free(p->moves);
	p->moves = NULL;
	p->n = p->cap = 0;
}

/* ---- the snapshot ---- */

int rhv_bal_check_snapshot(const struct rhv_bal_snapshot *s, struct rhv_error *err)
{
	const struct rhv_sched_params *p = &s->params;

	if ((unsigned)s->policy > RHV_SCHED_VM_EVENLY)
		return rhv_error_usage(err, "unknown scheduling policy %d", (int)s->policy);
	if (p->high_utilization < 0 || p->low_utilization < 0 || p->high_vm_count < 0 || p->migration_threshold < 0 ||
	    p->spm_vm_grace < 0 || s->cpu_overcommit_minutes < 0 || s->hosts_in_reserve < 0)
		return rhv_error_usage(err, "policy parameters must not be negative");
	if ((s->nhosts && !s->hosts) || (s->nvms && !s->vms) || s->nhosts > INT_MAX || s->nvms > INT_MAX)
		return rhv_error_set(err, RHV_EXIT_FAILED, "invalid snapshot");
	for (size_t i = 0; i < s->nvms; i++) {
		const struct rhv_bal_vm *vm = &s->vms[i];

		if (vm->host < 0 || (size_t)vm->host >= s->nhosts || vm->migrating_to < -1 ||
		    (vm->migrating_to >= 0 && (size_t)vm->migrating_to >= s->nhosts))
			return rhv_error_set(err, RHV_EXIT_FAILED, "VM '%s' is on a host outside the snapshot",
					     vm->name ? vm->name : "?");
	}
	return 0;
}

void rhv_bal_sched_hosts(const struct rhv_bal_snapshot *s, struct rhv_sched_host *sh)
{
	for (size_t i = 0; i < s->nhosts; i++) {
		const struct rhv_bal_host *h = &s->hosts[i];

		sh[i] = (struct rhv_sched_host){
			.name = h->name,
			.in_cluster = true,
			.is_spm = h->is_spm,
			.cores = h->cores,
			.mem_total = h->mem_total,
			.mem_committed = h->mem_used_by_vms,
			.cpu_pct = h->cpu_pct,
			.vm_count = h->vm_count,
			.nets = h->nets,
		};
	}
	for (size_t i = 0; i < s->nvms; i++)
		if (s->vms[i].migrating && s->vms[i].migrating_to >= 0)
			sh[s->vms[i].migrating_to].migrations_in++;
}
