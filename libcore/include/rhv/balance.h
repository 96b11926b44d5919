/*
 * The load balancer: plan the migrations (and, under power_saving, the host
 * power actions) that bring one cluster to its policy's balanced state
 * (technical reference 5.2-5.7, peers.md 2.1.2-2.1.3).  The plan is a
 * numbered sequence meant to be run in order; nothing here runs it.
 *
 * Pure: the planner reads a snapshot the caller builds (from the store, or
 * by hand in tests), works on its own copy of the figures, does no I/O and
 * prints nothing.  Every destination is chosen by the scheduler
 * (rhv_sched_place() with the cluster's policy and its filters: Up, memory,
 * CPUs, incoming migrations) among the hosts the balancer allows for that
 * VM, so that balancing and placement agree: the balancer says which hosts
 * are acceptable, the policy's weights say which is best, as oVirt hands its
 * balancer's candidates to the migrate path.
 *
 * The load model (approximate, like oVirt's):
 *   a VM's load on host h, in points of h's CPU %, is
 *       VM cpu_pct x VM vcpus / h cores;
 *   a move takes that load off the source (never below 0) and puts it on
 *   the target, and moves the VM's memory and its VM slot with it.  Host
 *   CPU figures are recent use, so the model is only as good as the last
 *   samples; the plan is a forecast, and the next run starts afresh.
 *
 * Rules for every policy:
 *   - only hosts that are Up and not in Maintenance take part, as sources,
 *     targets and in the figures (the least loaded host, the spread);
 *   - pinned, non-migratable and migrating VMs never move;
 *   - a target has every network of the VM's NICs set up, in sync and with
 *     a bridge (the scheduler's network filter, rhv/netfit.h; a host without
 *     network data is not filtered), so no move is planned that the
 *     migration would refuse;
 *   - a host sheds its VMs lowest CPU use first (cpu_pct x vcpus), ties in
 *     snapshot order (reference 5.9);
 *   - no bounce: a target never ends over a limit that would make it a
 *     source of the same policy (CPU >= HighUtilization, free memory under
 *     MaxFreeMemoryForOverUtilized, or out of the VM-count spread);
 *   - migrations in flight count against a target's incoming limit
 *     (params.max_incoming, MigrationMaxIncoming); planned ones do not,
 *     since the plan runs one move after the other.
 *
 * The policies:
 *   none: no moves.
 *   vm_evenly_distributed: a host's slots are its VMs, plus SpmVmGrace on
 *     the SPM.  While a host has slots >= HighVmCount (oVirt's test; the
 *     reference says "more than") and more than MigrationThreshold slots
 *     above the least loaded host, the fullest such host sends a VM to a
 *     host at least MigrationThreshold below it and at most
 *     MigrationThreshold - 1 above the least loaded one (so the target can
 *     never become a source); the policy's weights (EvenGuestDistribution)
 *     pick among those, as placement would (the reference says "the host
 *     with the lowest CPU"; oVirt's migrate path weighs with the policy's
 *     units, as here).  The least loaded host is sought among hosts that
 *     can take a VM at all: one whose incoming migrations are at the limit
 *     would otherwise hold every other host at its level.  Balanced: every
 *     host at or over HighVmCount is within the threshold.
 *   evenly_distributed: a host whose CPU is at or over HighUtilization now
 *     and in each of the last CpuOverCommitDurationMinutes samples sheds
 *     VMs, busiest host first, until it is under HighUtilization; targets
 *     are under min(80 % of HighUtilization, HighUtilization - 10) (oVirt's
 *     UtilizationThresholdInPercent and VcpuConsumptionPercentage) and stay
 *     under HighUtilization after the move.  When MaxFreeMemoryForOverUtilized
 *     is set, a memory pass runs whenever no CPU move is possible: a host
 *     with less free memory than that and more than one VM sheds VMs to
 *     hosts that keep at least that much free (and, when
 *     MinFreeMemoryForUnderUtilized is set, have more free than it).
 *   power_saving:
 *     1. relieve: over-utilized hosts (as above, CPU then memory) shed to
 *        hosts that stay under HighUtilization, preferring hosts that will
 *        stay on: busy ones, then under-utilized ones that cannot be
 *        emptied or that the VM lifts to LowUtilization; only when no
 *        over-utilized host has such a target, the busiest other
 *        under-utilized host, then an empty one; when nothing fits and
 *        EnableAutomaticHostPowerManagement is on, a powered-off host with
 *        power management that the scheduler would accept is powered on;
 *     2. consolidate, only if every over-utilized host was relieved: hosts
 *        under LowUtilization now and for the whole duration (and with more
 *        free memory than MinFreeMemoryForUnderUtilized, when set), not the
 *        SPM and running only movable VMs, are emptied least loaded first
 *        onto other non-empty hosts that stay within their limits; a host
 *        is emptied completely or not at all;
 *     3. with EnableAutomaticHostPowerManagement: empty Up hosts beyond
 *        HostsInReserve are powered off (those that cannot be, the SPM, hosts
 *        without power management and hosts this plan powers on, count
 *        towards the reserve first; the lowest-index ones stay on); with
 *        fewer empty hosts than HostsInReserve, powered-off hosts are
 *        powered on.
 *
 * Termination and "no move undoes another".  Sources only shed, and targets
 * are only chosen where the same rules will never make them shed (no
 * bounce), so relieving and spreading move no VM twice and come to an end;
 * consolidation tries each under-utilized host once.  It alone may, while
 * planning, empty a host that received VMs earlier; each such VM is then
 * listed once, from where it ran to where it ends, at the point where it
 * gets there, and this is only done when the host it ran on receives
 * nothing in between (in the listed order it still holds the VM), so every
 * listed step stays within its target's limits.  In every plan:
 *   - no VM moves twice;
 *   - no host sends a VM after it has received one (so no two hosts trade
 *     VMs both ways, and no load passes through a host);
 *   - a host powered off is never a target, and is not powered on again;
 *   - the plan with max_moves N is the first N steps of the full plan;
 * and planning again on the end state (rhv_bal_plan_apply()) finds nothing
 * to do: it is the policy's balanced state.  The unit tests check all of
 * this on 2,000 random clusters each run, the benchmark on the large ones.
 *
 * Speed.  Host figures are running totals updated by each move, each host
 * keeps its movable VMs sorted (lowest CPU use first), and a search that
 * failed is retried only once something it depends on has changed (a
 * host newly able to receive, a higher least loaded host), so a plan costs
 * O(decisions x hosts), the scheduler's own cost per decision.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/sched.h"

/* Long enough for a reason naming two 40-character UTF-8 hosts. */
#define RHV_BAL_REASON_MAX 512

struct rhv_bal_host {
	const char *name;
	bool up;	       /* state Up */
	bool maintenance;      /* Maintenance or PreparingForMaintenance: left alone */
	bool powered_off;      /* Down through power management: may be powered on */
	bool is_spm;
	bool power_management; /* a fence agent can power it off and on */
	int cores;	       /* logical CPUs */
	uint64_t mem_total;    /* bytes the scheduler may use (physical, or the admin's limit) */
	uint64_t mem_used_by_vms; /* bytes of its VMs plus incoming migrations (the store's mem_committed) */
	int vm_count;	       /* VMs on it, leaving ones included; may count VMs missing from vms[] */
	double cpu_pct;	       /* recent CPU use, 0..100 */
	const double *cpu_history; /* CPU % samples, one a minute, newest last */
	size_t history_len;
	const struct rhv_host_nets *nets; /* its networks (rhv/netfit.h); NULL or not known: not filtered */
};

struct rhv_bal_vm {
	const char *name;
	int host;	  /* index of the host it runs on (the source while it migrates) */
	uint64_t memory;  /* bytes */
	int vcpus;
	double cpu_pct;	  /* recent use of its own vCPUs, 0..100 */
	bool ha;	  /* highly available: restarted elsewhere when its host fails */
	bool pinned;	  /* pinned to its host */
	bool migratable;  /* false: migration is disabled for it */
	bool migrating;	  /* a migration is in flight */
	int migrating_to; /* that migration's target, -1 if none or outside the snapshot */
	const char *const *networks; /* the logical networks of its NICs: a target must carry them */
	size_t nnetworks;
};

/* One cluster: its hosts, its VMs, its policy and parameters. */
struct rhv_bal_snapshot {
	struct rhv_bal_host *hosts;
	size_t nhosts;
	struct rhv_bal_vm *vms;
	size_t nvms;
	enum rhv_sched_policy_kind policy;
	struct rhv_sched_params params;
	int cpu_overcommit_minutes; /* CpuOverCommitDurationMinutes */
	int hosts_in_reserve;	    /* HostsInReserve */
	bool auto_power;	    /* EnableAutomaticHostPowerManagement */
};

enum rhv_bal_kind { RHV_BAL_MIGRATE, RHV_BAL_POWER_OFF, RHV_BAL_POWER_ON };

/* What triggered a step. */
enum rhv_bal_why {
	RHV_BAL_VM_COUNT,  /* VM slots over HighVmCount and out of the spread */
	RHV_BAL_CPU_OVER,  /* CPU at or over HighUtilization for the duration */
	RHV_BAL_MEM_OVER,  /* free memory under MaxFreeMemoryForOverUtilized */
	RHV_BAL_CPU_UNDER, /* CPU under LowUtilization for the duration: emptied */
	RHV_BAL_SURPLUS,   /* power-off: more empty hosts than HostsInReserve */
	RHV_BAL_RESERVE,   /* power-on: fewer empty hosts than HostsInReserve */
	RHV_BAL_CAPACITY,  /* power-on: an over-utilized host has nowhere to shed */
};

struct rhv_bal_move {
	enum rhv_bal_kind kind;
	enum rhv_bal_why why;
	int vm;	      /* index into vms[]; -1 for a power action */
	int from, to; /* host indices; a power action has its host in both */
	char reason[RHV_BAL_REASON_MAX]; /* the figures, e.g. "h3 has 14 VM slots (HighVmCount 10), ..." */
};

struct rhv_bal_plan {
	struct rhv_bal_move *moves;
	size_t n, cap;
};

/* "migrate", "power-off", "power-on"; NULL out of range. */
const char *rhv_bal_kind_name(enum rhv_bal_kind kind);
/* "vm-count", "cpu-over", "memory-over", "cpu-under", "surplus", "reserve", "capacity"; NULL out of range. */
const char *rhv_bal_why_name(enum rhv_bal_why why);

/*
 * Fill the snapshot's policy parameters with oVirt's defaults
 * (rhv_policy_params[]): params, cpu_overcommit_minutes, hosts_in_reserve,
 * auto_power.  Hosts, VMs and the policy are left alone.
 */
void rhv_bal_params_default(struct rhv_bal_snapshot *s);

/*
 * Plan the moves for snapshot s into out, which is overwritten (it need not
 * be initialized; the caller frees it with rhv_bal_plan_clear(), also after
 * a failure).  max_moves > 0 keeps the first max_moves steps of
 * the full plan, power actions included; 0 plans until balanced.  The
 * snapshot is not changed.
 *
 * Returns: 0; or -1 with RHV_EXIT_USAGE for an unknown policy or a
 * negative parameter, RHV_EXIT_FAILED for a VM on a host outside the
 * snapshot, or "out of memory".
 */
int rhv_bal_plan(const struct rhv_bal_snapshot *s, size_t max_moves, struct rhv_bal_plan *out,
		 struct rhv_error *err);
void rhv_bal_plan_clear(struct rhv_bal_plan *p);

/*
 * Run plan p on the snapshot's figures with the planner's model (VM hosts,
 * host VM counts, memory and CPU, power states), checking every step: the
 * VM is movable, runs on `from` and moves only once; `from` has received
 * nothing before; the target is Up, not in Maintenance, has the memory and
 * the CPUs, and ends within the policy's limits; a host powered off is empty,
 * not the SPM, has power management and takes nothing afterwards; a host
 * powered on was powered off by power management.  Histories are left as
 * they are.  Planning again on the result should find nothing to do.
 *
 * Returns: 0; or -1 with RHV_EXIT_FAILED naming the first bad step (the
 * snapshot is then changed up to that step), or "out of memory".
 */
int rhv_bal_plan_apply(struct rhv_bal_snapshot *s, const struct rhv_bal_plan *p, struct rhv_error *err);

/*
 * HA reservation (reference 5.7, peers.md 2.1.3): could every HA VM be
 * restarted elsewhere if any one host failed?  For each Up host, its HA VMs
 * (largest memory first) are placed by the scheduler, with the cluster's
 * policy, on the other Up hosts that keep CPU at or under 100 %; headroom
 * is what those hosts have left afterwards.  The worst host is the one
 * whose loss leaves the most HA VMs without a host, then the least free
 * memory, then the fewest free cores (lowest index on ties).
 */
struct rhv_ha_report {
	bool at_risk;	       /* some host's loss leaves an HA VM without a host (or no host is Up) */
	int worst_host;	       /* index; -1 when no host is Up */
	int ha_vms;	       /* HA VMs on Up hosts */
	int ha_vms_on_worst;   /* of which on the worst host */
	int unplaceable;       /* HA VMs of the worst host that would find no host */
	uint64_t mem_headroom; /* bytes free on the other Up hosts after the restarts */
	double cpu_headroom;   /* cores free there: sum of (100 - CPU %) x cores / 100 */
};

/* Returns: 0; or -1 with RHV_EXIT_FAILED for a VM outside the snapshot, or "out of memory". */
int rhv_bal_ha_check(const struct rhv_bal_snapshot *s, struct rhv_ha_report *out, struct rhv_error *err);

/*
 * power_saving's power actions as a run carries them out (reference 5.5,
 * peers.md 2.1.2): what the run reads again about the host, under its lock,
 * just before acting.
 */
struct rhv_bal_power_host {
	const char *state;     /* RHV_HOST_* */
	bool is_spm;
	int vms;	       /* running on it or migrating to it */
	bool pm_enabled;
	int agents;	       /* fence agents */
	bool power_saving_off; /* Down because power saving powered it off */
};

/*
 * Whether a power action may go ahead: a power-off needs an Up host with no
 * VM, not the SPM (oVirt never powers off the SPM), with power management
 * enabled and an agent; a power-on needs a host that power saving powered
 * off (Down, power_saving_off) with power management enabled and an agent.
 * Pure.  Returns NULL when it may, else why not ("it is the SPM", ...),
 * written into buf when it names figures.
 */
const char *rhv_bal_power_refusal(enum rhv_bal_kind kind, const struct rhv_bal_power_host *h, char *buf,
				  size_t len);
