/*
 * The planner's steps: the per-host lists of movable VMs, and a move, a
 * power action or their undo carried out on the planner's figures, each
 * logged with the figures its reason will quote.
 */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "policy/balance-priv.h"

/* ---- the per-host lists of movable VMs, lowest CPU use first, ties in snapshot order ---- */

static bool sheds_before(const struct bal *b, int x, int y)
{
	return b->vkey[x] < b->vkey[y] || (b->vkey[x] == b->vkey[y] && x < y);
}

static void list_insert(struct bal *b, int h, int v)
{
	int prev = -1, cur = b->head[h];

	while (cur >= 0 && sheds_before(b, cur, v)) {
		prev = cur;
		cur = b->vnext[cur];
	}
	b->vprev[v] = prev;
	b->vnext[v] = cur;
	if (prev >= 0)
		b->vnext[prev] = v;
	else
		b->head[h] = v;
	if (cur >= 0)
		b->vprev[cur] = v;
	b->len[h]++;
}

static void list_remove(struct bal *b, int h, int v)
{
	if (b->vprev[v] >= 0)
		b->vnext[b->vprev[v]] = b->vnext[v];
	else
		b->head[h] = b->vnext[v];
	if (b->vnext[v] >= 0)
		b->vprev[b->vnext[v]] = b->vprev[v];
	b->len[h]--;
}

/* ---- steps ---- */

static struct step *new_step(struct bal *b)
{
	if (b->nlog == b->caplog) {
		size_t cap = b->caplog ? 2 * b->caplog : 256;
		struct step *log = realloc(b->log, cap * sizeof(*log));

		if (!log)
			return NULL;
		b->log = log;
		b->caplog = cap;
	}
	memset(&b->log[b->nlog], 0, sizeof(b->log[0]));
	return &b->log[b->nlog];
}

int rhv_bal_move(struct bal *b, int v, int t, enum pass pass, enum rhv_bal_why why)
{
	const struct rhv_bal_vm *vm = &b->s->vms[v];
	struct rhv_sched_host *src, *dst;
	int s = b->vhost[v];
	struct step *st = new_step(b);
	double load;

	if (!st)
		return -1;
	src = &b->sh[s];
	dst = &b->sh[t];
	*st = (struct step){
		.kind = RHV_BAL_MIGRATE,
		.why = why,
		.pass = pass,
		.vm = v,
		.from = s,
		.to = t,
		.prev_last = b->vlast[v],
		.prev_recv = b->last_recv[t],
		.src_val = figure(b, pass, s),
		.src_n = pass == PASS_COUNT ? src->vm_count : b->mins[s],
		.other = b->min_host,
		.other_val = b->min_slots,
		.dst_before = figure(b, pass, t),
		.src_cpu = src->cpu_pct,
		.dst_cpu = dst->cpu_pct,
		.src_mem = src->mem_committed,
		.dst_mem = dst->mem_committed,
	};
	load = vm_load(vm, src->cores);
	src->cpu_pct = src->cpu_pct > load ? src->cpu_pct - load : 0;
	dst->cpu_pct += vm_load(vm, dst->cores);
	src->mem_committed = src->mem_committed > vm->memory ? src->mem_committed - vm->memory : 0;
	dst->mem_committed += vm->memory;
	src->vm_count--;
	dst->vm_count++;
	list_remove(b, s, v);
	list_insert(b, t, v);
	b->vhost[v] = t;
	st->dst_after = figure(b, pass, t);
	if (st->prev_last < 0)
		b->vfirst[v] = (int)b->nlog;
	b->vlast[v] = (int)b->nlog;
	b->last_recv[t] = (int)b->nlog;
	b->nlog++;
	return 0;
}

void rhv_bal_undo_to(struct bal *b, size_t mark)
{
	while (b->nlog > mark) {
		const struct step *st = &b->log[--b->nlog];
		int v = st->vm;

		list_remove(b, st->to, v);
		list_insert(b, st->from, v);
		b->vhost[v] = st->from;
		b->sh[st->from].cpu_pct = st->src_cpu;
		b->sh[st->to].cpu_pct = st->dst_cpu;
		b->sh[st->from].mem_committed = st->src_mem;
		b->sh[st->to].mem_committed = st->dst_mem;
		b->sh[st->from].vm_count++;
		b->sh[st->to].vm_count--;
		b->vlast[v] = st->prev_last;
		if (st->prev_last < 0)
			b->vfirst[v] = -1;
		b->last_recv[st->to] = st->prev_recv;
	}
}

int rhv_bal_power(struct bal *b, enum rhv_bal_kind kind, enum rhv_bal_why why, int h, int n, int other,
		 enum pass pass, double val)
{
	struct step *st = new_step(b);

	if (!st)
		return -1;
	st->kind = kind;
	st->why = why;
	st->vm = -1;
	st->from = st->to = h;
	st->src_n = n;
	st->other = other;
	st->src_val = val;
	st->pass = pass;
	if (kind == RHV_BAL_POWER_ON) {
		/* its old figures mean nothing now: it comes up idle */
		b->hf[h] |= H_PART | H_ON;
		b->sh[h].cpu_pct = 0;
	} else {
		b->hf[h] &= (uint8_t)~H_PART;
	}
	b->nlog++;
	return 0;
}

