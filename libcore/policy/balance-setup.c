/* The planner's state (struct bal): built from a snapshot, and freed. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "policy/balance-priv.h"

/*
 * oVirt's UtilizationThresholdInPercent: evenly_distributed only sends VMs
 * to hosts under this share of HighUtilization (and under HighUtilization
 * minus one vCPU's worth), so that a target keeps room to grow.
 */
#define UTILIZATION_THRESHOLD_PCT 80

/* Trailing samples of the history at or over `limit` (over) or under it. */
static int trailing(const struct rhv_bal_host *h, double limit, bool over)
{
	int n = 0;

	for (size_t i = h->history_len; h->cpu_history && i-- > 0; n++)
		if (over ? h->cpu_history[i] < limit : h->cpu_history[i] >= limit)
			break;
	return n;
}

void rhv_bal_free(struct bal *b)
{
	free(b->sh);
	free(b->hf);
	free(b->mins);
	free(b->len);
	free(b->last_recv);
	free(b->head);
	free(b->stuck);
	free(b->scratch);
	free(b->tier);
	free(b->vhost);
	free(b->vnext);
	free(b->vprev);
	free(b->vfirst);
	free(b->vlast);
	free(b->vkey);
	free(b->vfail);
	free(b->log);
}

int rhv_bal_init(struct bal *b, const struct rhv_bal_snapshot *s, struct rhv_error *err)
{
	size_t nh = s->nhosts, nv = s->nvms;
	struct keyed *order;
	int *listed;

	memset(b, 0, sizeof(*b));
	b->s = s;
	b->p = s->params;
	b->nh = nh;
	b->nv = nv;
	b->high = b->p.high_utilization;
	b->low = b->p.low_utilization;
	b->dest_cpu = b->high * UTILIZATION_THRESHOLD_PCT / 100;
	if (b->dest_cpu > b->high - RHV_SCHED_VCPU_PCT)
		b->dest_cpu = b->high - RHV_SCHED_VCPU_PCT;
	b->max_free = b->p.max_free_mem_over >= 0 ? (double)b->p.max_free_mem_over * MIB : -1;
	b->min_free = b->p.min_free_mem_under >= 0 ? (double)b->p.min_free_mem_under * MIB : -1;
	b->minutes = s->cpu_overcommit_minutes > 0 ? s->cpu_overcommit_minutes : 1;
	/* as rhv_sched_place() reads it: 0 means the default */
	b->max_incoming = rhv_sched_incoming_limit(&b->p);
	b->gen = 1;

	/* +1: calloc(0) may return NULL */
	b->sh = calloc(nh + 1, sizeof(*b->sh));
	b->hf = calloc(nh + 1, sizeof(*b->hf));
	b->mins = calloc(nh + 1, sizeof(*b->mins));
	b->len = calloc(nh + 1, sizeof(*b->len));
	b->last_recv = calloc(nh + 1, sizeof(*b->last_recv));
	b->head = calloc(nh + 1, sizeof(*b->head));
	b->stuck = calloc(MARKS * nh + 1, sizeof(*b->stuck));
	b->scratch = calloc(nh + 1, sizeof(*b->scratch));
	b->tier = calloc(nh + 1, sizeof(*b->tier));
	b->vhost = calloc(nv + 1, sizeof(*b->vhost));
	b->vnext = calloc(nv + 1, sizeof(*b->vnext));
	b->vprev = calloc(nv + 1, sizeof(*b->vprev));
	b->vfirst = calloc(nv + 1, sizeof(*b->vfirst));
	b->vlast = calloc(nv + 1, sizeof(*b->vlast));
	b->vkey = calloc(nv + 1, sizeof(*b->vkey));
	b->vfail = calloc(MARKS * nv + 1, sizeof(*b->vfail));
	order = calloc(nv + 1, sizeof(*order));
	listed = calloc(nh + 1, sizeof(*listed));
	if (!b->sh || !b->hf || !b->mins || !b->len || !b->last_recv || !b->head || !b->stuck || !b->scratch || !b->tier ||
	    !b->vhost || !b->vnext || !b->vprev || !b->vfirst || !b->vlast || !b->vkey || !b->vfail || !order || !listed) {
		free(order);
		free(listed);
		rhv_bal_free(b);
		return rhv_error_oom(err);
	}

	rhv_bal_sched_hosts(s, b->sh);
	for (size_t i = 0; i < nh; i++) {
		const struct rhv_bal_host *h = &s->hosts[i];

		b->head[i] = b->last_recv[i] = -1;
		if (!participates(h))
			continue;
		b->hf[i] |= H_PART;
		if (h->cpu_pct >= b->high && (b->mins[i] = trailing(h, b->high, true)) >= b->minutes)
			b->hf[i] |= H_OVER;
		else if (h->cpu_pct < b->low && (b->mins[i] = trailing(h, b->low, false)) >= b->minutes)
			b->hf[i] |= H_UNDER;
	}

	/* build the lists back to front, so that each push at the head keeps them sorted */
	for (size_t i = 0; i < nv; i++) {
		const struct rhv_bal_vm *vm = &s->vms[i];

		b->vhost[i] = vm->host;
		b->vfirst[i] = b->vlast[i] = -1;
		b->vkey[i] = vm->cpu_pct * vm->vcpus;
		if (vm_movable(s, vm) && (!b->smallest || vm->memory < b->smallest))
			b->smallest = vm->memory;
		listed[vm->host]++;
		order[i] = (struct keyed){ b->vkey[i], 0, (int)i };
	}
	qsort(order, nv, sizeof(*order), cmp_keyed);
	for (size_t k = nv; k-- > 0;) {
		int v = order[k].i, h = b->vhost[v];

		if (!vm_movable(s, &s->vms[v]))
			continue;
		b->vprev[v] = -1;
		b->vnext[v] = b->head[h];
		if (b->head[h] >= 0)
			b->vprev[b->head[h]] = v;
		b->head[h] = v;
		b->len[h]++;
	}
	/* a host counts at least the VMs the snapshot puts on it */
	for (size_t i = 0; i < nh; i++)
		if (b->sh[i].vm_count < listed[i])
			b->sh[i].vm_count = listed[i];
	free(order);
	free(listed);
	return 0;
}
