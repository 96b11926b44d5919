/*
 * The planner: the figures and tiers that say which hosts may take a VM,
 * which VM a host sheds and where it goes, and each policy's passes
 * (rhv_bal_plan).  Its state is set up in balance-setup.c, changed step by
 * step in balance-steps.c and listed with reasons in balance-reason.c.
 */
#include "rhv/common.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "policy/balance-priv.h"

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

/* ---- decisions ---- */

static struct rhv_sched_vm want_of(const struct bal *b, int v)
{
	return (struct rhv_sched_vm){
		.memory = b->s->vms[v].memory, .vcpus = b->s->vms[v].vcpus, .pinned_host = -1, .current_host = b->vhost[v],
		.networks = b->s->vms[v].networks, .nnetworks = b->s->vms[v].nnetworks
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
		if (rhv_bal_move(b, v, t, pass, why) < 0)
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
					if (rhv_bal_power(b, RHV_BAL_POWER_ON, RHV_BAL_CAPACITY, (int)c, 0, s, pass,
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
				rhv_bal_undo_to(b, mark);
				break;
			}
			if (rhv_bal_move(b, v, t, PASS_EMPTY, RHV_BAL_CPU_UNDER) < 0) {
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
		if (rhv_bal_power(b, RHV_BAL_POWER_OFF, RHV_BAL_SURPLUS, (int)i, empty, -1, PASS_CPU, 0) < 0)
			return -1;
		empty--;
	}
	for (size_t i = 0; i < b->nh && empty < reserve; i++) {
		const struct rhv_bal_host *h = &b->s->hosts[i];

		if (!h->powered_off || !h->power_management || h->up || h->maintenance || (b->hf[i] & H_PART))
			continue;
		if (rhv_bal_power(b, RHV_BAL_POWER_ON, RHV_BAL_RESERVE, (int)i, empty, -1, PASS_CPU, 0) < 0)
			return -1;
		empty++;
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
	if (rhv_bal_check_snapshot(s, err) < 0)
		return -1;
	if (s->policy == RHV_SCHED_NONE)
		return 0;
	if (rhv_bal_init(&b, s, err) < 0)
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
		rc = rhv_bal_emit(&b, max_moves, out, err);
	rhv_bal_free(&b);
	return rc;
}
