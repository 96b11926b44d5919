#include "rhv/common.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/balance.h"
#include "rhv/policy.h"

#define MIB (1024.0 * 1024.0)
/*
 * oVirt's UtilizationThresholdInPercent: evenly_distributed only sends VMs
 * to hosts under this share of HighUtilization (and under HighUtilization
 * minus one vCPU's worth), so that a target keeps room to grow.
 */
#define UTILIZATION_THRESHOLD_PCT 80

/* What a decision is about; it selects the sources, the targets and the figures. */
enum pass { PASS_COUNT, PASS_CPU, PASS_MEM, PASS_EMPTY };
#define SHED_PASSES 3 /* passes that shed from over-loaded hosts: COUNT, CPU, MEM */
/*
 * power_saving relieves in two stages: while any over-utilized host can
 * shed to a target that will stay on (see enum tier), it does; only then to
 * the others.  The other policies have one stage.
 */
enum stage { STAGE_GOOD, STAGE_ANY, STAGES };
#define MARKS (STAGES * SHED_PASSES) /* "found nothing" marks: one per stage and pass */

enum host_flag {
	H_PART = 1 << 0,  /* takes part: Up and not in Maintenance, or powered on by the plan */
	H_OVER = 1 << 1,  /* CPU at or over HighUtilization now and for the whole duration */
	H_UNDER = 1 << 2, /* CPU under LowUtilization now and for the whole duration */
	H_ON = 1 << 3,	  /* powered on by the plan: not powered off again */
	H_HOLD = 1 << 4,  /* still listed as holding a VM that passes through the host being emptied */
};

/*
 * One step of the plan as it was decided, with the figures for its reason
 * and what undoing it needs.  A VM may have several while consolidating;
 * only its last one is listed, from where it ran at first.
 */
struct step {
	enum rhv_bal_kind kind;
	enum rhv_bal_why why;
	enum pass pass;
	int vm, from, to;
	int prev_last; /* the VM's step before this one, -1 if none */
	int prev_recv; /* the target's last receiving step before this one */
	/* the source's figures, before the move */
	double src_val; /* VM slots, CPU % or MiB free */
	int src_n;	/* minutes over or under, the SPM's VM count, or empty hosts */
	int other;	/* VM-count pass: the least loaded host */
	int other_val;
	/* the target's figures, in the unit of the pass */
	double dst_before, dst_after;
	/* for undo */
	double src_cpu, dst_cpu;
	uint64_t src_mem, dst_mem;
};

/* An index to sort by two keys, then by itself. */
struct keyed {
	double k1, k2;
	int i;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	if (x->k2 != y->k2)
		return x->k2 < y->k2 ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

struct bal {
	const struct rhv_bal_snapshot *s;
	struct rhv_sched_params p;
	size_t nh, nv;
	double high, low;
	double dest_cpu;	   /* evenly_distributed: targets are under this CPU % */
	double max_free, min_free; /* bytes, < 0 when unset */
	int minutes;		   /* CpuOverCommitDurationMinutes, at least 1 */
	int max_incoming;	   /* the scheduler's incoming-migration limit (params, or its default) */
	size_t limit;		   /* stop after this many steps, 0: never */

	/* running figures; .up marks the hosts the balancer allows for one decision */
	struct rhv_sched_host *sh;
	uint8_t *hf;
	int *mins;	  /* minutes over (H_OVER) or under (H_UNDER) */
	int *len;	  /* movable VMs on the host */
	int *last_recv;	  /* the last step that brought a VM to the host, -1 */
	int *head;	  /* its movable VMs, lowest CPU use first */
	unsigned *stuck;  /* [stage][pass][host]: gen at which the host found nothing to shed */
	struct keyed *scratch; /* one per host */
	uint8_t *tier;	       /* per host, for the VM being placed: enum tier */
	int min_host;	  /* VM-count pass: the least loaded open host, its slots, and */
	int min_slots;	  /* the most slots a target may have for the current source */
	int bound;
	uint64_t smallest; /* memory of the smallest movable VM */

	int *vhost, *vnext, *vprev, *vfirst, *vlast;
	double *vkey;	 /* CPU use, cpu_pct x vcpus: the order in which a host sheds */
	unsigned *vfail; /* [stage][pass][VM]: gen at which no host could take the VM */
	/*
	 * Bumped whenever a host may newly take VMs; until then a VM or a host
	 * that found nowhere to go would find nowhere again.
	 */
	unsigned gen;

	struct step *log;
	size_t nlog, caplog;
};

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

/* ---- figures ---- */

static const char *hname(const struct rhv_bal_snapshot *s, int h)
{
	return h >= 0 && (size_t)h < s->nhosts && s->hosts[h].name ? s->hosts[h].name : "?";
}

static bool participates(const struct rhv_bal_host *h)
{
	return h->up && !h->maintenance;
}

static bool vm_movable(const struct rhv_bal_snapshot *s, const struct rhv_bal_vm *vm)
{
	return !vm->pinned && vm->migratable && !vm->migrating && participates(&s->hosts[vm->host]);
}

static double free_bytes(const struct rhv_sched_host *h)
{
	return h->mem_committed < h->mem_total ? (double)(h->mem_total - h->mem_committed) : 0;
}

/* The VM's load on a host, in points of that host's CPU %. */
static double vm_load(const struct rhv_bal_vm *vm, int cores)
{
	return vm->cpu_pct * vm->vcpus / (cores > 0 ? cores : 1);
}

static int slots(const struct bal *b, int h)
{
	return b->sh[h].vm_count + (b->sh[h].is_spm ? b->p.spm_vm_grace : 0);
}

/* Trailing samples of the history at or over `limit` (over) or under it. */
static int trailing(const struct rhv_bal_host *h, double limit, bool over)
{
	int n = 0;

	for (size_t i = h->history_len; h->cpu_history && i-- > 0; n++)
		if (over ? h->cpu_history[i] < limit : h->cpu_history[i] >= limit)
			break;
	return n;
}

/* Enough free memory left after taking vm, when MaxFreeMemoryForOverUtilized is set. */
static bool mem_ok(const struct bal *b, int t, const struct rhv_bal_vm *vm)
{
	return b->max_free < 0 || free_bytes(&b->sh[t]) >= (double)vm->memory + b->max_free;
}

/* No bounce: the target stays under HighUtilization and keeps its free memory. */
static bool within_limits(const struct bal *b, int t, const struct rhv_bal_vm *vm)
{
	return b->sh[t].cpu_pct + vm_load(vm, b->sh[t].cores) < b->high && mem_ok(b, t, vm);
}

/* A host power_saving would empty now. */
static bool under_now(const struct bal *b, int h)
{
	const struct rhv_sched_host *sh = &b->sh[h];

	return (b->hf[h] & (H_PART | H_UNDER)) == (H_PART | H_UNDER) && !sh->is_spm && sh->vm_count > 0 &&
	       sh->cpu_pct < b->low && (b->min_free < 0 || free_bytes(sh) > b->min_free);
}

/*
 * Where power_saving relieves an over-utilized host, in this order: busy
 * hosts; then under-utilized hosts that will stay on anyway (VMs that
 * cannot move) or that this VM lifts out of the band; then the other
 * under-utilized ones, busiest first (consolidation empties them least
 * loaded first, so the busiest is the likeliest to stay); then empty hosts.
 * A VM sent to a host that consolidation empties afterwards has to move on
 * (see may_pass_on()), so the hosts that stay come first.
 */
enum tier { T_BUSY, T_FIXED, T_LIFTED, T_UNDER, T_EMPTY, T_COUNT };

static enum tier tier(const struct bal *b, int h, const struct rhv_bal_vm *vm)
{
	const struct rhv_sched_host *sh = &b->sh[h];

	if (!sh->vm_count)
		return T_EMPTY;
	if (!under_now(b, h))
		return T_BUSY;
	if (sh->vm_count != b->len[h])
		return T_FIXED;
	if (sh->cpu_pct + vm_load(vm, sh->cores) >= b->low ||
	    (b->min_free >= 0 && free_bytes(sh) - (double)vm->memory <= b->min_free))
		return T_LIFTED;
	return T_UNDER;
}

/*
 * Whether the balancer allows host t for VM v in this pass (the scheduler
 * then filters and weighs), and in which tier.  Returns: the tier (always
 * T_BUSY but for power_saving's relief), or T_COUNT when not allowed.
 */
static enum tier allowed(const struct bal *b, enum pass pass, int v, int t)
{
	const struct rhv_sched_host *h = &b->sh[t];
	const struct rhv_bal_vm *vm = &b->s->vms[v];
	bool ok;

	if ((b->hf[t] & (H_PART | H_HOLD)) != H_PART || t == b->vhost[v])
		return T_COUNT;
	if (pass == PASS_COUNT)
		return slots(b, t) <= b->bound ? T_BUSY : T_COUNT;
	if (!within_limits(b, t, vm))
		return T_COUNT;
	if (pass == PASS_EMPTY)
		ok = h->vm_count > 0;
	else if (b->s->policy == RHV_SCHED_POWER_SAVING)
		return tier(b, t, vm);
	else if (pass == PASS_CPU)
		ok = h->cpu_pct < b->dest_cpu;
	else
		ok = b->min_free < 0 || free_bytes(h) > b->min_free;
	return ok ? T_BUSY : T_COUNT;
}

static bool is_source(const struct bal *b, enum pass pass, int h)
{
	const struct rhv_sched_host *sh = &b->sh[h];

	if (!(b->hf[h] & H_PART) || !b->len[h])
		return false;
	switch (pass) {
	case PASS_COUNT:
		return slots(b, h) >= b->p.high_vm_count && slots(b, h) - b->min_slots > b->p.migration_threshold;
	case PASS_CPU:
		return (b->hf[h] & H_OVER) && sh->cpu_pct >= b->high;
	case PASS_MEM:
		return b->max_free >= 0 && free_bytes(sh) < b->max_free && sh->vm_count > 1;
	case PASS_EMPTY:
		break;
	}
	return false;
}

/*
 * Whether a host that just gave a VM away may now take some VM in a
 * shedding pass (a superset of allowed() over all VMs): then VMs that found
 * no target are worth another try.
 */
static bool could_take(const struct bal *b, int h)
{
	const struct rhv_sched_host *sh = &b->sh[h];
	bool mem = b->max_free < 0 || free_bytes(sh) >= b->max_free;

	switch (b->s->policy) {
	case RHV_SCHED_VM_EVENLY:
		return slots(b, h) <= b->min_slots + b->p.migration_threshold - 1;
	case RHV_SCHED_EVENLY:
		return (sh->cpu_pct < b->dest_cpu && mem) ||
		       (b->max_free >= 0 && sh->cpu_pct < b->high && mem &&
			(b->min_free < 0 || free_bytes(sh) > b->min_free));
	case RHV_SCHED_POWER_SAVING:
		return sh->cpu_pct < b->high && mem;
	case RHV_SCHED_NONE:
		break;
	}
	return false;
}

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

/* ---- set-up ---- */

static void bal_free(struct bal *b)
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

static int check_snapshot(const struct rhv_bal_snapshot *s, struct rhv_error *err)
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

/* The scheduler's view of every host, with the snapshot's figures. */
static void sched_hosts(const struct rhv_bal_snapshot *s, struct rhv_sched_host *sh)
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
		};
	}
	for (size_t i = 0; i < s->nvms; i++)
		if (s->vms[i].migrating && s->vms[i].migrating_to >= 0)
			sh[s->vms[i].migrating_to].migrations_in++;
}

static int bal_init(struct bal *b, const struct rhv_bal_snapshot *s, struct rhv_error *err)
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
		bal_free(b);
		return rhv_error_oom(err);
	}

	sched_hosts(s, b->sh);
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

static double figure(const struct bal *b, enum pass pass, int h)
{
	switch (pass) {
	case PASS_COUNT:
		return slots(b, h);
	case PASS_MEM:
		return free_bytes(&b->sh[h]) / MIB;
	case PASS_CPU:
	case PASS_EMPTY:
		break;
	}
	return b->sh[h].cpu_pct;
}

static int move(struct bal *b, int v, int t, enum pass pass, enum rhv_bal_why why)
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

/* Take back the steps after `mark` (consolidation of a host that cannot be emptied). */
static void undo_to(struct bal *b, size_t mark)
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

static int power(struct bal *b, enum rhv_bal_kind kind, enum rhv_bal_why why, int h, int n, int other,
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

/* ---- decisions ---- */

static struct rhv_sched_vm want_of(const struct bal *b, int v)
{
	return (struct rhv_sched_vm){
		.memory = b->s->vms[v].memory, .vcpus = b->s->vms[v].vcpus, .pinned_host = -1, .current_host = b->vhost[v]
	};
}

/* Sort every host into its tier for VM v (b->tier[]).  Returns: the set of tiers present, a bit each. */
static unsigned classify(struct bal *b, enum pass pass, int v)
{
	unsigned present = 0;

	for (size_t t = 0; t < b->nh; t++) {
		b->tier[t] = (uint8_t)allowed(b, pass, v, (int)t);
		present |= 1u << b->tier[t];
	}
	return present;
}

/* The host the scheduler picks for VM v among those of tier k (classified), or -1. */
static int choose(struct bal *b, int v, enum tier k)
{
	struct rhv_sched_vm want = want_of(b, v);

	for (size_t t = 0; t < b->nh; t++)
		b->sh[t].up = b->tier[t] == k;
	return rhv_sched_place(b->sh, b->nh, &want, b->s->policy, &b->p, NULL);
}

/* Whether the scheduler's filters let VM v go to host t, the only one it is offered. */
static bool sched_allows(struct bal *b, int v, int t)
{
	struct rhv_sched_vm want = want_of(b, v);
	bool ok;

	for (size_t i = 0; i < b->nh; i++)
		b->sh[i].up = false;
	b->sh[t].up = true;
	ok = rhv_sched_place(b->sh, b->nh, &want, b->s->policy, &b->p, NULL) == t;
	b->sh[t].up = false;
	return ok;
}

/* power_saving: the busiest T_UNDER host (classified) that passes the scheduler's filters for v, or -1. */
static int choose_under(struct bal *b, int v)
{
	size_t n = 0;

	for (size_t i = 0; i < b->nh; i++)
		if (b->tier[i] == T_UNDER)
			b->scratch[n++] = (struct keyed){ -b->sh[i].cpu_pct, -(double)b->sh[i].vm_count, (int)i };
	qsort(b->scratch, n, sizeof(*b->scratch), cmp_keyed);
	for (size_t k = 0; k < n; k++)
		if (sched_allows(b, v, b->scratch[k].i))
			return b->scratch[k].i;
	return -1;
}

/* Where VM v goes in this pass and stage: the first tier with a host the scheduler accepts, or -1. */
static int target(struct bal *b, int v, enum pass pass, enum stage stage)
{
	enum tier last = stage == STAGE_GOOD ? T_LIFTED : T_EMPTY;
	unsigned present = classify(b, pass, v);

	for (enum tier k = T_BUSY; k <= last; k++) {
		int t;

		if (!(present & (1u << k)))
			continue;
		t = k == T_UNDER ? choose_under(b, v) : choose(b, v, k);
		if (t >= 0)
			return t;
	}
	return -1;
}

static size_t mark(enum stage stage, enum pass pass, size_t n, int i)
{
	return ((size_t)stage * SHED_PASSES + (size_t)pass) * n + (size_t)i;
}

/* The most urgent source of this pass not yet stuck in this stage, or -1. */
static int pick_source(const struct bal *b, enum pass pass, enum stage stage)
{
	int best = -1;

	for (size_t i = 0; i < b->nh; i++) {
		int h = (int)i;
		bool worse;

		if (b->stuck[mark(stage, pass, b->nh, h)] == b->gen || !is_source(b, pass, h))
			continue;
		if (best < 0) {
			best = h;
			continue;
		}
		if (pass == PASS_COUNT)
			worse = slots(b, h) > slots(b, best);
		else if (pass == PASS_CPU)
			worse = b->sh[h].cpu_pct > b->sh[best].cpu_pct;
		else
			worse = free_bytes(&b->sh[h]) < free_bytes(&b->sh[best]);
		if (worse)
			best = h;
	}
	return best;
}

/*
 * Move one VM off source s, or mark it stuck.  Returns: 1 moved, 0 none of
 * its VMs can go anywhere now, -1 no memory.
 */
static int shed_one(struct bal *b, int s, enum pass pass, enum stage stage, enum rhv_bal_why why)
{
	for (int v = b->head[s]; v >= 0; v = b->vnext[v]) {
		unsigned *failed = &b->vfail[mark(stage, pass, b->nv, v)];
		int t;

		if (*failed == b->gen)
			continue;
		t = target(b, v, pass, stage);
		if (t < 0) {
			*failed = b->gen;
			continue;
		}
		if (move(b, v, t, pass, why) < 0)
			return -1;
		/*
		 * The source may now take VMs: searches that failed may succeed.
		 * (The target only lost room.  It may have moved to a better tier
		 * for some VMs, but STAGE_ANY tries every tier, so those VMs still
		 * find it; only which source goes first could differ.)
		 */
		if (could_take(b, s))
			b->gen++;
		return 1;
	}
	b->stuck[mark(stage, pass, b->nh, s)] = b->gen;
	return 0;
}

static bool limit_reached(const struct bal *b)
{
	return b->limit && b->nlog >= b->limit;
}

/*
 * A host that can take some VM at all.  Only these count as the least
 * loaded host: one that cannot rise (its incoming migrations at the limit,
 * or full) would otherwise hold every target below its own level for good.
 */
static bool open_host(const struct bal *b, int h)
{
	const struct rhv_sched_host *sh = &b->sh[h];

	return (b->hf[h] & H_PART) && sh->cores > 0 && sh->migrations_in < b->max_incoming &&
	       free_bytes(sh) >= (double)b->smallest;
}

static void update_min(struct bal *b)
{
	b->min_host = -1;
	for (size_t i = 0; i < b->nh; i++)
		if (open_host(b, (int)i) && (b->min_host < 0 || slots(b, (int)i) < b->min_slots)) {
			b->min_host = (int)i;
			b->min_slots = slots(b, (int)i);
		}
}

/* vm_evenly_distributed. */
static int balance_count(struct bal *b)
{
	int last_min = INT_MIN;

	while (!limit_reached(b)) {
		int s;

		update_min(b);
		if (b->min_host < 0)
			break;
		/* the least loaded host filled up: more hosts are within reach */
		if (b->min_slots != last_min) {
			b->gen++;
			last_min = b->min_slots;
		}
		s = pick_source(b, PASS_COUNT, STAGE_GOOD);
		if (s < 0)
			break;
		b->bound = slots(b, s) - b->p.migration_threshold;
		if (b->bound > b->min_slots + b->p.migration_threshold - 1)
			b->bound = b->min_slots + b->p.migration_threshold - 1;
		if (shed_one(b, s, PASS_COUNT, STAGE_GOOD, RHV_BAL_VM_COUNT) < 0)
			return -1;
	}
	return 0;
}

/*
 * power_saving: power on a powered-off host that could take a VM of a host
 * left over-utilized (as the scheduler's filters see it, idle).  Returns: 1
 * powered one on, 0 none would help, -1 no memory.
 */
static int power_on_for_capacity(struct bal *b)
{
	for (enum pass pass = PASS_CPU; pass <= PASS_MEM; pass++)
		for (size_t i = 0; i < b->nh; i++) {
			int s = (int)i;

			if (!is_source(b, pass, s))
				continue;
			for (int v = b->head[s]; v >= 0; v = b->vnext[v])
				for (size_t c = 0; c < b->nh; c++) {
					const struct rhv_bal_host *h = &b->s->hosts[c];
					double cpu = b->sh[c].cpu_pct;
					bool fits;

					if (!h->powered_off || !h->power_management || h->up || h->maintenance ||
					    (b->hf[c] & H_PART))
						continue;
					b->sh[c].cpu_pct = 0;
					fits = within_limits(b, (int)c, &b->s->vms[v]) && sched_allows(b, v, (int)c);
					b->sh[c].cpu_pct = cpu;
					if (!fits)
						continue;
					if (power(b, RHV_BAL_POWER_ON, RHV_BAL_CAPACITY, (int)c, 0, s, pass,
						  figure(b, pass, s)) < 0)
						return -1;
					b->gen++;
					return 1;
				}
		}
	return 0;
}

/* One relieving move in this stage, CPU before memory.  Returns: 1 moved, 0 none, -1 no memory. */
static int relief_step(struct bal *b, enum stage stage)
{
	for (;;) {
		enum pass pass = PASS_CPU;
		int s = pick_source(b, pass, stage), r;

		if (s < 0 && b->max_free >= 0) {
			pass = PASS_MEM;
			s = pick_source(b, pass, stage);
		}
		if (s < 0)
			return 0;
		r = shed_one(b, s, pass, stage, pass == PASS_CPU ? RHV_BAL_CPU_OVER : RHV_BAL_MEM_OVER);
		if (r)
			return r;
	}
}

/*
 * evenly_distributed and power_saving: shed from over-utilized hosts.  *left
 * tells whether some over-utilized host still has a movable VM.
 */
static int relieve(struct bal *b, bool *left)
{
	bool power_saving = b->s->policy == RHV_SCHED_POWER_SAVING;

	*left = false;
	while (!limit_reached(b)) {
		int r = relief_step(b, STAGE_GOOD);

		if (!r && power_saving)
			r = relief_step(b, STAGE_ANY);
		if (!r && power_saving && b->s->auto_power)
			r = power_on_for_capacity(b);
		if (r < 0)
			return -1;
		if (!r)
			break;
	}
	for (size_t i = 0; i < b->nh; i++)
		*left = *left || is_source(b, PASS_CPU, (int)i) || is_source(b, PASS_MEM, (int)i);
	return 0;
}

/*
 * Whether the VMs that came to host h earlier in the plan may move on.
 * Such a VM is listed once, from where it ran at first to where it ends,
 * at the point where it gets there: until then it stays on its first host
 * in the listed order, so that host must receive nothing from the time
 * the VM first left it until it has moved on.  So: nothing received since,
 * and (hold) no target while h is being emptied.  (Hosts emptied earlier
 * never receive; a host relieved of the VM may have.)
 */
static bool may_pass_on(const struct bal *b, int h)
{
	for (int v = b->head[h]; v >= 0; v = b->vnext[v])
		if (b->vfirst[v] >= 0 && b->last_recv[b->s->vms[v].host] > b->vfirst[v])
			return false;
	return true;
}

/* Hold the first hosts of the VMs passing through h; they are listed in held[].  Returns: how many. */
static size_t hold(struct bal *b, int h, int *held)
{
	size_t n = 0;

	for (int v = b->head[h]; v >= 0; v = b->vnext[v]) {
		int first = b->s->vms[v].host;

		if (b->vfirst[v] >= 0 && !(b->hf[first] & H_HOLD)) {
			b->hf[first] |= H_HOLD;
			held[n++] = first;
		}
	}
	return n;
}

/* power_saving: empty under-utilized hosts, least loaded first, each completely or not at all. */
static int consolidate(struct bal *b)
{
	struct keyed *order = calloc(b->nh + 1, sizeof(*order));
	int *held = calloc(b->nh + 1, sizeof(*held));
	size_t n = 0;
	int rc = 0;

	if (!order || !held) {
		free(order);
		free(held);
		return -1;
	}
	for (size_t i = 0; i < b->nh; i++)
		if (under_now(b, (int)i))
			order[n++] = (struct keyed){ b->sh[i].cpu_pct, b->sh[i].vm_count, (int)i };
	qsort(order, n, sizeof(*order), cmp_keyed);
	for (size_t k = 0; k < n && !rc; k++) {
		int h = order[k].i;
		size_t mark = b->nlog, nheld;

		/* it may have received VMs (and left the band) since; hosts with fixed VMs stay */
		if (!under_now(b, h) || b->sh[h].vm_count != b->len[h] || !may_pass_on(b, h))
			continue;
		nheld = hold(b, h, held);
		while (b->head[h] >= 0) {
			int v = b->head[h], t = target(b, v, PASS_EMPTY, STAGE_GOOD);

			if (t < 0) {
				undo_to(b, mark);
				break;
			}
			if (move(b, v, t, PASS_EMPTY, RHV_BAL_CPU_UNDER) < 0) {
				rc = -1;
				break;
			}
		}
		while (nheld > 0)
			b->hf[held[--nheld]] &= (uint8_t)~H_HOLD;
	}
	free(order);
	free(held);
	return rc;
}

/* power_saving with automatic power management: keep HostsInReserve empty hosts on, no more. */
static int power_actions(struct bal *b)
{
	int empty = 0, fixed = 0, reserve = b->s->hosts_in_reserve, keep;

	for (size_t i = 0; i < b->nh; i++)
		if ((b->hf[i] & H_PART) && b->sh[i].vm_count == 0) {
			empty++;
			fixed += !b->s->hosts[i].power_management || b->s->hosts[i].is_spm || (b->hf[i] & H_ON);
		}
	/* hosts that cannot be powered off make up the reserve first */
	keep = reserve - fixed;
	for (size_t i = 0; i < b->nh && empty > reserve; i++) {
		const struct rhv_bal_host *h = &b->s->hosts[i];

		if (!(b->hf[i] & H_PART) || b->sh[i].vm_count || !h->power_management || h->is_spm ||
		    (b->hf[i] & H_ON))
			continue;
		if (keep > 0) {
			keep--;
			continue;
		}
		if (power(b, RHV_BAL_POWER_OFF, RHV_BAL_SURPLUS, (int)i, empty, -1, PASS_CPU, 0) < 0)
			return -1;
		empty--;
	}
	for (size_t i = 0; i < b->nh && empty < reserve; i++) {
		const struct rhv_bal_host *h = &b->s->hosts[i];

		if (!h->powered_off || !h->power_management || h->up || h->maintenance || (b->hf[i] & H_PART))
			continue;
		if (power(b, RHV_BAL_POWER_ON, RHV_BAL_RESERVE, (int)i, empty, -1, PASS_CPU, 0) < 0)
			return -1;
		empty++;
	}
	return 0;
}

/* ---- the plan as listed ---- */

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

static int emit(const struct bal *b, size_t max_moves, struct rhv_bal_plan *out, struct rhv_error *err)
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

int rhv_bal_plan(const struct rhv_bal_snapshot *s, size_t max_moves, struct rhv_bal_plan *out,
		 struct rhv_error *err)
{
	struct bal b;
	bool left = false;
	int rc = 0;

	out->moves = NULL;
	out->n = out->cap = 0;
	if (check_snapshot(s, err) < 0)
		return -1;
	if (s->policy == RHV_SCHED_NONE)
		return 0;
	if (bal_init(&b, s, err) < 0)
		return -1;
	/* power_saving may merge a VM's steps: only the listed plan can be cut */
	b.limit = s->policy == RHV_SCHED_POWER_SAVING ? 0 : max_moves;
	switch (s->policy) {
	case RHV_SCHED_VM_EVENLY:
		rc = balance_count(&b);
		break;
	case RHV_SCHED_EVENLY:
		rc = relieve(&b, &left);
		break;
	case RHV_SCHED_POWER_SAVING:
		rc = relieve(&b, &left);
		/* consolidating while some host is still over-utilized would take the room it needs */
		if (!rc && !left) {
			rc = consolidate(&b);
			if (!rc && s->auto_power)
				rc = power_actions(&b);
		}
		break;
	case RHV_SCHED_NONE:
		break;
	}
	if (rc < 0)
		rhv_error_oom(err);
	else
		rc = emit(&b, max_moves, out, err);
	bal_free(&b);
	return rc;
}

/* ---- checking a plan by running it on the figures ---- */

int rhv_bal_plan_apply(struct rhv_bal_snapshot *s, const struct rhv_bal_plan *p, struct rhv_error *err)
{
	uint8_t *seen = NULL; /* per host: 1 received a VM, 2 powered off, 4 powered on */
	bool *moved = NULL;
	double high = s->params.high_utilization;
	double max_free = s->params.max_free_mem_over >= 0 ? (double)s->params.max_free_mem_over * MIB : -1;
	bool cpu_policy = s->policy == RHV_SCHED_EVENLY || s->policy == RHV_SCHED_POWER_SAVING;
	int rc = -1;

	if (check_snapshot(s, err) < 0)
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

/* ---- HA reservation ---- */

/*
 * A sum of doubles kept to twice a double's precision (Knuth's TwoSum), so
 * that terms may be added and taken away in any order: the total of all
 * hosts less one host gives the same figure as adding up the others.
 */
struct dsum {
	double hi, lo;
};

static void dsum_add(struct dsum *s, double x)
{
	double t = s->hi + x, b = t - s->hi;

	s->lo += (s->hi - (t - b)) + (x - b);
	s->hi = t;
}

static uint64_t mem_free(const struct rhv_sched_host *h)
{
	return h->mem_committed < h->mem_total ? h->mem_total - h->mem_committed : 0;
}

static double cores_free(const struct rhv_sched_host *h)
{
	return h->cpu_pct < 100 ? (100 - h->cpu_pct) * h->cores / 100 : 0;
}

/* What restarting the HA VMs of one failed host leaves. */
struct failure {
	int lost, unplaceable;
	uint64_t mem; /* wraps like any sum of bytes over many hosts; compared as it is */
	double cpu;
};

/*
 * Restart ha[k..] (the HA VMs of host f) on the other Up hosts of sh.  The
 * hosts that took one are listed in touched[] (*ntouched) for the caller to
 * reset; headroom is the total of the Up hosts before any failure, less f,
 * corrected by the hosts that took VMs: O(VMs x hosts), not O(hosts^2).
 */
static size_t restart(const struct rhv_bal_snapshot *s, const struct rhv_sched_host *base, struct rhv_sched_host *sh,
		      const struct keyed *ha, size_t nha, size_t k, size_t f, uint64_t mem_all,
		      const struct dsum *cpu_all, int *touched, size_t *ntouched, struct failure *out)
{
	size_t nh = s->nhosts;
	struct dsum cpu = *cpu_all;

	memset(out, 0, sizeof(*out));
	*ntouched = 0;
	for (; k < nha && s->vms[ha[k].i].host == (int)f; k++) {
		const struct rhv_bal_vm *vm = &s->vms[ha[k].i];
		struct rhv_sched_vm want = {
			.memory = vm->memory, .vcpus = vm->vcpus, .pinned_host = -1, .current_host = -1
		};
		int t;

		out->lost++;
		for (size_t i = 0; i < nh; i++)
			sh[i].up = base[i].up && i != f && sh[i].cpu_pct + vm_load(vm, sh[i].cores) <= 100;
		t = rhv_sched_place(sh, nh, &want, s->policy, &s->params, NULL);
		if (t < 0) {
			out->unplaceable++;
			continue;
		}
		if (sh[t].vm_count == base[t].vm_count)
			touched[(*ntouched)++] = t;
		sh[t].mem_committed += vm->memory;
		sh[t].cpu_pct += vm_load(vm, sh[t].cores);
		sh[t].vm_count++;
	}
	out->mem = mem_all - mem_free(&base[f]);
	dsum_add(&cpu, -cores_free(&base[f]));
	for (size_t i = 0; i < *ntouched; i++) {
		const struct rhv_sched_host *was = &base[touched[i]], *now = &sh[touched[i]];

		out->mem = out->mem - mem_free(was) + mem_free(now);
		dsum_add(&cpu, -cores_free(was));
		dsum_add(&cpu, cores_free(now));
	}
	out->cpu = cpu.hi + cpu.lo;
	return k;
}

int rhv_bal_ha_check(const struct rhv_bal_snapshot *s, struct rhv_ha_report *out, struct rhv_error *err)
{
	struct rhv_sched_host *base = NULL, *sh = NULL;
	struct keyed *ha = NULL;
	int *touched = NULL;
	size_t nha = 0, nh = s->nhosts;
	uint64_t mem_all = 0;
	struct dsum cpu_all = { 0, 0 };
	int parts = 0, rc = -1;
	bool any_ha = false;

	memset(out, 0, sizeof(*out));
	out->worst_host = -1;
	if ((unsigned)s->policy > RHV_SCHED_VM_EVENLY)
		return rhv_error_usage(err, "unknown scheduling policy %d", (int)s->policy);
	if (check_snapshot(s, err) < 0)
		return -1;
	base = calloc(nh + 1, sizeof(*base));
	sh = calloc(nh + 1, sizeof(*sh));
	ha = calloc(s->nvms + 1, sizeof(*ha));
	touched = calloc(nh + 1, sizeof(*touched));
	if (!base || !sh || !ha || !touched) {
		rhv_error_oom(err);
		goto out;
	}
	sched_hosts(s, base);
	for (size_t i = 0; i < nh; i++) {
		base[i].up = participates(&s->hosts[i]);
		parts += base[i].up;
		if (base[i].up) {
			mem_all += mem_free(&base[i]);
			dsum_add(&cpu_all, cores_free(&base[i]));
		}
	}
	memcpy(sh, base, nh * sizeof(*sh));
	/* HA VMs of Up hosts, by host, then largest memory first */
	for (size_t i = 0; i < s->nvms; i++) {
		const struct rhv_bal_vm *vm = &s->vms[i];

		any_ha = any_ha || vm->ha;
		if (vm->ha && base[vm->host].up)
			ha[nha++] = (struct keyed){ vm->host, -(double)vm->memory, (int)i };
	}
	qsort(ha, nha, sizeof(*ha), cmp_keyed);
	out->ha_vms = (int)nha;
	if (!parts) {
		/* nowhere to restart anything */
		out->at_risk = any_ha;
		rc = 0;
		goto out;
	}

	for (size_t f = 0, k = 0; f < nh; f++) {
		struct failure r;
		size_t ntouched;
		bool worse;

		if (!base[f].up)
			continue;
		k = restart(s, base, sh, ha, nha, k, f, mem_all, &cpu_all, touched, &ntouched, &r);
		/* the next failure starts from the hosts as they were */
		for (size_t i = 0; i < ntouched; i++)
			sh[touched[i]] = base[touched[i]];
		worse = out->worst_host < 0 || r.unplaceable > out->unplaceable ||
			(r.unplaceable == out->unplaceable &&
			 (r.mem < out->mem_headroom || (r.mem == out->mem_headroom && r.cpu < out->cpu_headroom)));
		if (worse) {
			out->worst_host = (int)f;
			out->ha_vms_on_worst = r.lost;
			out->unplaceable = r.unplaceable;
			out->mem_headroom = r.mem;
			out->cpu_headroom = r.cpu;
		}
		out->at_risk = out->at_risk || r.unplaceable > 0;
	}
	rc = 0;
out:
	free(base);
	free(sh);
	free(ha);
	free(touched);
	return rc;
}
