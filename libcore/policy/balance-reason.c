/* The plan as listed: each VM's last step, from where it ran at first, with its reason. */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>

#include "policy/balance-priv.h"

static bool listed(const struct bal *b, size_t i)
{
	const struct step *st = &b->log[i];

	return st->kind != RHV_BAL_MIGRATE ||
	       ((size_t)b->vlast[st->vm] == i && b->vhost[st->vm] != b->s->vms[st->vm].host);
}

static void reason(const struct bal *b, const struct step *first, const struct step *last, char *buf, size_t len)
{
	const struct rhv_bal_snapshot *s = b->s;
	const struct rhv_sched_params *p = &b->p;
	const char *src = hname(s, first->from), *dst = hname(s, last->to);
	int n = 0;

	switch (first->why) {
	case RHV_BAL_VM_COUNT:
		if (s->hosts[first->from].is_spm)
			n = snprintf(buf, len,
				     "%s has %d VM slots (%d VMs + SpmVmGrace %d; HighVmCount %d), %s has %d: "
				     "spread %d > MigrationThreshold %d",
				     src, (int)first->src_val, first->src_n, p->spm_vm_grace, p->high_vm_count,
				     hname(s, first->other), first->other_val, (int)first->src_val - first->other_val,
				     p->migration_threshold);
		else
			n = snprintf(buf, len,
				     "%s has %d VM slots (HighVmCount %d), %s has %d: spread %d > MigrationThreshold %d",
				     src, (int)first->src_val, p->high_vm_count, hname(s, first->other),
				     first->other_val, (int)first->src_val - first->other_val, p->migration_threshold);
		break;
	case RHV_BAL_CPU_OVER:
		n = snprintf(buf, len, "%s CPU %.1f%% >= HighUtilization %d%% for %d min (CpuOverCommitDurationMinutes %d)",
			     src, first->src_val, p->high_utilization, first->src_n, b->minutes);
		break;
	case RHV_BAL_MEM_OVER:
		n = snprintf(buf, len, "%s has %.0f MiB free < MaxFreeMemoryForOverUtilized %lld MiB", src,
			     first->src_val, (long long)p->max_free_mem_over);
		break;
	case RHV_BAL_CPU_UNDER:
		n = snprintf(buf, len, "%s CPU %.1f%% < LowUtilization %d%% for %d min: emptying it", src,
			     first->src_val, p->low_utilization, first->src_n);
		break;
	case RHV_BAL_SURPLUS:
		snprintf(buf, len, "%s is empty: %d empty Up hosts > HostsInReserve %d", src, first->src_n,
			 s->hosts_in_reserve);
		return;
	case RHV_BAL_RESERVE:
		snprintf(buf, len, "%d empty Up hosts < HostsInReserve %d", first->src_n, s->hosts_in_reserve);
		return;
	case RHV_BAL_CAPACITY:
		if (first->pass == PASS_CPU)
			snprintf(buf, len, "%s CPU %.1f%% >= HighUtilization %d%% and no Up host can take its VMs",
				 hname(s, first->other), first->src_val, p->high_utilization);
		else
			snprintf(buf, len,
				 "%s has %.0f MiB free < MaxFreeMemoryForOverUtilized %lld MiB and no Up host can take its VMs",
				 hname(s, first->other), first->src_val, (long long)p->max_free_mem_over);
		return;
	}
	if (n < 0 || (size_t)n >= len)
		return;
	switch (last->pass) {
	case PASS_COUNT:
		snprintf(buf + n, len - (size_t)n, "; %s %d -> %d slots", dst, (int)last->dst_before,
			 (int)last->dst_after);
		break;
	case PASS_MEM:
		snprintf(buf + n, len - (size_t)n, "; %s %.0f -> %.0f MiB free", dst, last->dst_before,
			 last->dst_after);
		break;
	case PASS_CPU:
	case PASS_EMPTY:
		snprintf(buf + n, len - (size_t)n, "; %s CPU %.1f%% -> %.1f%%", dst, last->dst_before,
			 last->dst_after);
		break;
	}
}

int rhv_bal_emit(const struct bal *b, size_t max_moves, struct rhv_bal_plan *out, struct rhv_error *err)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < b->nlog; i++)
		n += listed(b, i);
	if (max_moves && n > max_moves)
		n = max_moves;
	if (!n)
		return 0;
	out->moves = calloc(n, sizeof(*out->moves));
	if (!out->moves)
		return rhv_error_oom(err);
	out->n = out->cap = n;
	for (size_t i = 0; i < b->nlog && k < n; i++) {
		const struct step *st = &b->log[i], *first = st;
		struct rhv_bal_move *m = &out->moves[k];

		if (!listed(b, i))
			continue;
		if (st->kind == RHV_BAL_MIGRATE)
			first = &b->log[b->vfirst[st->vm]];
		m->kind = st->kind;
		m->why = first->why;
		m->vm = st->vm;
		m->from = st->kind == RHV_BAL_MIGRATE ? b->s->vms[st->vm].host : st->from;
		m->to = st->to;
		reason(b, first, st, m->reason, sizeof(m->reason));
		k++;
	}
	return 0;
}
