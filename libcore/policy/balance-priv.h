/*
 * The balancer's insides, shared by the files of policy/balance*.c and no
 * one else: the snapshot checks, the planner's state and its steps.
 *   balance.c        names, defaults, the snapshot checks
 *   balance-setup.c  the planner's state: built from a snapshot, freed
 *   balance-steps.c  the planner's steps: moves, power actions, undo
 *   balance-plan.c   the planner: which host may take a VM, the policies' passes
 *   balance-reason.c the plan as listed, each step with its reason
 *   balance-apply.c  checking a plan by running it on the figures
 *   balance-ha.c     the HA reservation check
 */
#pragma once

#include "rhv/common.h"

#include "rhv/balance.h"
#include "rhv/policy.h"

#define MIB (1024.0 * 1024.0)

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

static inline int cmp_keyed(const void *a, const void *b)
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

/* ---- figures every part reads (inline: the planner's inner loops use them) ---- */

static inline const char *hname(const struct rhv_bal_snapshot *s, int h)
{
	return h >= 0 && (size_t)h < s->nhosts && s->hosts[h].name ? s->hosts[h].name : "?";
}

static inline bool participates(const struct rhv_bal_host *h)
{
	return h->up && !h->maintenance;
}

static inline bool vm_movable(const struct rhv_bal_snapshot *s, const struct rhv_bal_vm *vm)
{
	return !vm->pinned && vm->migratable && !vm->migrating && participates(&s->hosts[vm->host]);
}

/* The VM's load on a host, in points of that host's CPU %. */
static inline double vm_load(const struct rhv_bal_vm *vm, int cores)
{
	return vm->cpu_pct * vm->vcpus / (cores > 0 ? cores : 1);
}

static inline double free_bytes(const struct rhv_sched_host *h)
{
	return h->mem_committed < h->mem_total ? (double)(h->mem_total - h->mem_committed) : 0;
}

static inline int slots(const struct bal *b, int h)
{
	return b->sh[h].vm_count + (b->sh[h].is_spm ? b->p.spm_vm_grace : 0);
}

/* A host's figure in the unit of the pass: VM slots, MiB free or CPU %. */
static inline double figure(const struct bal *b, enum pass pass, int h)
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

/* ---- the snapshot (balance.c) ---- */

/* Returns: 0, or -1 with err (USAGE: policy or parameters; FAILED: the snapshot itself). */
int rhv_bal_check_snapshot(const struct rhv_bal_snapshot *s, struct rhv_error *err);
/* The scheduler's view of every host, with the snapshot's figures. */
void rhv_bal_sched_hosts(const struct rhv_bal_snapshot *s, struct rhv_sched_host *sh);

/* ---- the planner's state (balance-setup.c) ---- */

/* Returns: 0, or -1 with err (out of memory); b is then freed. */
int rhv_bal_init(struct bal *b, const struct rhv_bal_snapshot *s, struct rhv_error *err);
void rhv_bal_free(struct bal *b);

/* ---- steps on the planner's figures (balance-steps.c) ---- */

/* Move VM v to host t in pass, for why: logged, the figures and lists updated.  Returns: 0, or -1 (out of memory). */
int rhv_bal_move(struct bal *b, int v, int t, enum pass pass, enum rhv_bal_why why);
/* Take back the steps after `mark` (consolidation of a host that cannot be emptied). */
void rhv_bal_undo_to(struct bal *b, size_t mark);
/* Power host h on or off, for why; n, other and val are the figures its reason quotes.  Returns: 0, or -1. */
int rhv_bal_power(struct bal *b, enum rhv_bal_kind kind, enum rhv_bal_why why, int h, int n, int other,
		  enum pass pass, double val);

/* ---- the plan as listed (balance-reason.c) ---- */

/* Fill out with the listed steps of b, at most max_moves (0: all). */
int rhv_bal_emit(const struct bal *b, size_t max_moves, struct rhv_bal_plan *out, struct rhv_error *err);
