#include "rhv/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rhv/policy.h"
#include "rhv/sched.h"

#define MIB (1024 * 1024)

enum unit_kind { U_EVEN_CPU, U_EVEN_MEM, U_NON_SPM, U_POWER_CPU, U_POWER_MEM, U_GUESTS };

struct unit {
	struct rhv_sched_unit pub;
	enum unit_kind kind;
};

/* Weight units and factors of the built-in policies (peers.md 2.1.1). */
static const struct unit policy_units[][RHV_SCHED_UNITS_MAX] = {
	[RHV_SCHED_NONE] = { { { "EvenDistributionCPU", 2 }, U_EVEN_CPU },
			     { { "EvenDistributionMemory", 1 }, U_EVEN_MEM },
			     { { "PreferNonSpm", 1 }, U_NON_SPM } },
	[RHV_SCHED_EVENLY] = { { { "EvenDistributionCPU", 2 }, U_EVEN_CPU },
			       { { "EvenDistributionMemory", 1 }, U_EVEN_MEM },
			       { { "PreferNonSpm", 1 }, U_NON_SPM } },
	[RHV_SCHED_POWER_SAVING] = { { { "PowerSavingCPU", 2 }, U_POWER_CPU },
				     { { "PowerSavingMemory", 1 }, U_POWER_MEM },
				     { { "PreferNonSpm", 1 }, U_NON_SPM } },
	[RHV_SCHED_VM_EVENLY] = { { { "EvenGuestDistribution", 2 }, U_GUESTS },
				  { { "EvenDistributionMemory", 1 }, U_EVEN_MEM },
				  { { "PreferNonSpm", 1 }, U_NON_SPM } },
};

/* In the order of enum rhv_sched_policy_kind. */
static const char *const policy_names[] = { "none", "evenly_distributed", "power_saving", "vm_evenly_distributed" };

int rhv_sched_policy_find(const char *name)
{
	for (size_t i = 0; name && i < RHV_ARRAY_SIZE(policy_names); i++)
		if (!strcmp(name, policy_names[i]))
			return (int)i;
	return -1;
}

static int param_default(const char *key)
{
	const struct rhv_policy_param *p = rhv_policy_param_find(key);

	return p ? (int)p->def : 0;
}

void rhv_sched_params_default(struct rhv_sched_params *p)
{
	/* one source of truth for oVirt's defaults: the policy table */
	p->high_utilization = param_default("HighUtilization");
	p->low_utilization = param_default("LowUtilization");
	p->high_vm_count = param_default("HighVmCount");
	p->migration_threshold = param_default("MigrationThreshold");
	p->spm_vm_grace = param_default("SpmVmGrace");
	p->max_free_mem_over = -1;
	p->min_free_mem_under = -1;
	p->max_incoming = RHV_SCHED_MAX_INCOMING;
}

bool rhv_sched_params_set(struct rhv_sched_params *p, const char *key, int64_t v)
{
	if (!strcmp(key, "HighUtilization"))
		p->high_utilization = (int)v;
	else if (!strcmp(key, "LowUtilization"))
		p->low_utilization = (int)v;
	else if (!strcmp(key, "HighVmCount"))
		p->high_vm_count = (int)v;
	else if (!strcmp(key, "MigrationThreshold"))
		p->migration_threshold = (int)v;
	else if (!strcmp(key, "SpmVmGrace"))
		p->spm_vm_grace = (int)v;
	else if (!strcmp(key, "MaxFreeMemoryForOverUtilized"))
		p->max_free_mem_over = v;
	else if (!strcmp(key, "MinFreeMemoryForUnderUtilized"))
		p->min_free_mem_under = v;
	else
		return false;
	return true;
}

const struct rhv_sched_unit *rhv_sched_unit(enum rhv_sched_policy_kind policy, int unit)
{
	if ((unsigned)policy >= RHV_ARRAY_SIZE(policy_units) || unit < 0 || unit >= RHV_SCHED_UNITS_MAX ||
	    !policy_units[policy][unit].pub.name)
		return NULL;
	return &policy_units[policy][unit].pub;
}

enum filter {
	F_OK,
	F_DOWN,
	F_CLUSTER,
	F_PINNED,
	F_SOURCE,
	F_MEMORY,
	F_NO_CPUS,
	F_CPUS,
	F_NETWORK,
	F_INCOMING,
};

static uint64_t mem_free(const struct rhv_sched_host *h)
{
	return h->mem_committed < h->mem_total ? h->mem_total - h->mem_committed : 0;
}

int rhv_sched_incoming_limit(const struct rhv_sched_params *p)
{
	return p->max_incoming > 0 ? p->max_incoming : RHV_SCHED_MAX_INCOMING;
}

static enum filter filter(const struct rhv_sched_host *h, size_t i, const struct rhv_sched_vm *vm,
			  const struct rhv_sched_params *p)
{
	if (!h->up)
		return F_DOWN;
	if (!h->in_cluster)
		return F_CLUSTER;
	if (vm->pinned_host >= 0 && (size_t)vm->pinned_host != i)
		return F_PINNED;
	if (vm->current_host >= 0 && (size_t)vm->current_host == i)
		return F_SOURCE;
	if (vm->memory > mem_free(h))
		return F_MEMORY;
	if (h->cores < 1)
		return F_NO_CPUS;
	if (vm->vcpus > h->cores)
		return F_CPUS;
	if (h->nets && h->nets->known) {
		char why[RHV_SCHED_REASON_MAX];

		if (rhv_netfit_missing(h->nets, vm->networks, vm->nnetworks, true, false, why, sizeof(why)))
			return F_NETWORK;
	}
	if (vm->current_host >= 0 && h->migrations_in >= rhv_sched_incoming_limit(p))
		return F_INCOMING;
	return F_OK;
}

static void RHV_PRINTF(2, 3) say(struct rhv_sched_verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
}

static void describe(struct rhv_sched_verdict *v, enum filter f, const struct rhv_sched_host *hosts, size_t n,
		     size_t i, const struct rhv_sched_vm *vm, const struct rhv_sched_params *p)
{
	const struct rhv_sched_host *h = &hosts[i];

	switch (f) {
	case F_OK:
		v->reason[0] = '\0';
		break;
	case F_DOWN:
		say(v, "host is not Up");
		break;
	case F_CLUSTER:
		say(v, "host is not in the VM's cluster");
		break;
	case F_PINNED:
		if ((size_t)vm->pinned_host < n && hosts[vm->pinned_host].name)
			say(v, "VM is pinned to host '%s'", hosts[vm->pinned_host].name);
		else
			say(v, "VM is pinned to another host");
		break;
	case F_SOURCE:
		say(v, "the VM runs here now");
		break;
	case F_MEMORY:
		/* round so that the figures never look as if the VM fits */
		say(v, "not enough free memory: needs %llu MiB, %llu MiB free",
		    (unsigned long long)((vm->memory + MIB - 1) / MIB), (unsigned long long)(mem_free(h) / MIB));
		break;
	case F_NO_CPUS:
		say(v, "host reports no CPUs");
		break;
	case F_CPUS:
		say(v, "not enough CPUs: VM has %d vCPUs, host has %d", vm->vcpus, h->cores);
		break;
	case F_NETWORK:
		rhv_netfit_missing(h->nets, vm->networks, vm->nnetworks, true, false, v->reason, sizeof(v->reason));
		break;
	case F_INCOMING:
		say(v, "too many incoming migrations: %d in flight, limit %d", h->migrations_in, rhv_sched_incoming_limit(p));
		break;
	}
}

/* What the host would look like with the VM on it. */
struct after {
	double cpu_pct;
	double free;  /* bytes */
	double slots; /* VM slots, SpmVmGrace included */
};

static struct after after(const struct rhv_sched_host *h, const struct rhv_sched_vm *vm,
			  const struct rhv_sched_params *p)
{
	struct after a;

	a.cpu_pct = h->cpu_pct + (double)(h->vcpus_pending + vm->vcpus) * RHV_SCHED_VCPU_PCT / h->cores;
	a.free = (double)(mem_free(h) - vm->memory);
	a.slots = h->vm_count + 1 + (h->is_spm ? p->spm_vm_grace : 0);
	return a;
}

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

static double power_cpu(double load, const struct rhv_sched_params *p)
{
	double high = p->high_utilization, low = p->low_utilization;

	if (load > high)
		return RHV_SCHED_OVER_HIGH;
	if (low > high)
		low = high;
	if (load >= low)
		return high > low ? 0.5 * (high - load) / (high - low) : 0;
	/* under-utilized: worse than any normal host, the emptier the worse */
	return low > 0 ? 0.5 + 0.5 * clamp01((low - load) / low) : 1;
}

/* Cluster-relative scales, over the eligible hosts. */
struct scale {
	double max_free;
	double max_slots;
};

static double score(enum unit_kind kind, const struct rhv_sched_host *h, const struct after *a,
		    const struct scale *s, const struct rhv_sched_params *p)
{
	switch (kind) {
	case U_EVEN_CPU:
		return clamp01(a->cpu_pct / 100);
	case U_EVEN_MEM:
		return s->max_free > 0 ? 1 - a->free / s->max_free : 0;
	case U_NON_SPM:
		return h->is_spm;
	case U_POWER_CPU:
		return power_cpu(a->cpu_pct, p);
	case U_POWER_MEM:
		if (p->max_free_mem_over >= 0 && a->free < (double)p->max_free_mem_over * MIB)
			return 1;
		return s->max_free > 0 ? 0.9 * a->free / s->max_free : 0;
	case U_GUESTS:
		return s->max_slots > 0 ? a->slots / s->max_slots : 0;
	}
	return 0;
}

int rhv_sched_place(const struct rhv_sched_host *hosts, size_t n, const struct rhv_sched_vm *vm,
		    enum rhv_sched_policy_kind policy, const struct rhv_sched_params *params,
		    struct rhv_sched_verdict *verdicts)
{
	const struct unit *units;
	struct rhv_sched_params defaults;
	struct scale s = { 0, 0 };
	double best_weight = 0;
	size_t eligible = 0;
	int best = -1;

	if (!vm || (n && !hosts) || (unsigned)policy >= RHV_ARRAY_SIZE(policy_units))
		return -1;
	units = policy_units[policy];
	if (!params) {
		rhv_sched_params_default(&defaults);
		params = &defaults;
	}

	/* filters, and the cluster-wide maxima the relative units need */
	for (size_t i = 0; i < n; i++) {
		enum filter f = filter(&hosts[i], i, vm, params);
		struct after a;

		if (verdicts) {
			struct rhv_sched_verdict *v = &verdicts[i];

			v->eligible = f == F_OK;
			v->weight = 0;
			memset(v->unit_scores, 0, sizeof(v->unit_scores));
			describe(v, f, hosts, n, i, vm, params);
		}
		if (f != F_OK)
			continue;
		a = after(&hosts[i], vm, params);

		if (a.free > s.max_free)
			s.max_free = a.free;
		if (a.slots > s.max_slots)
			s.max_slots = a.slots;
		eligible++;
	}
	if (!eligible)
		return -1;

	/* weights: the lowest sum wins, the first host on a tie */
	for (size_t i = 0; i < n; i++) {
		struct after a;
		double w = 0;

		if (verdicts ? !verdicts[i].eligible : filter(&hosts[i], i, vm, params) != F_OK)
			continue;
		a = after(&hosts[i], vm, params);
		for (int u = 0; u < RHV_SCHED_UNITS_MAX && units[u].pub.name; u++) {
			double sc = score(units[u].kind, &hosts[i], &a, &s, params);

			w += units[u].pub.factor * sc;
			if (verdicts)
				verdicts[i].unit_scores[u] = sc;
		}
		if (verdicts)
			verdicts[i].weight = w;
		if (best < 0 || w < best_weight) {
			best = (int)i;
			best_weight = w;
		}
	}
	return best;
}

void rhv_sched_commit(struct rhv_sched_host *hosts, size_t n, int target, const struct rhv_sched_vm *vm)
{
	struct rhv_sched_host *h;

	if (!hosts || !vm || target < 0 || (size_t)target >= n)
		return;
	h = &hosts[target];
	h->mem_committed += vm->memory;
	h->vm_count++;
	h->vcpus_pending += vm->vcpus;
	if (vm->current_host >= 0 && (size_t)vm->current_host < n) {
		h->migrations_in++;
		hosts[vm->current_host].migrations_out++;
	}
}
