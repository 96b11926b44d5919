/*
 * The scheduler: choose the host a VM starts on or migrates to, with oVirt
 * 4.1's pipeline (peers.md 2.1.1, technical reference 5.8).  Filters drop
 * the hosts that cannot take the VM and say why; weight units score the
 * others, and the lowest sum of factor x score wins (BasicWeighting).
 *
 * Pure: it reads a snapshot the caller builds (from the store, or a plan in
 * progress), does no I/O and allocates nothing, so the load balancer can run
 * it for every candidate VM.
 *
 * Scores.  Every unit scores each eligible host in 0..1, 0 best, on a fixed
 * or cluster-relative scale, never by min-max stretching (so a 0.1 % CPU
 * difference does not count as much as a 50 % one):
 *   EvenDistributionCPU     CPU % after placement / 100, capped at 1;
 *   EvenDistributionMemory  1 - free after placement / the most free after
 *                           placement among eligible hosts;
 *   PreferNonSpm            1 on the SPM, 0 elsewhere (reference 5.8);
 *   PowerSavingCPU          busier is better: [LowUtilization, High] maps
 *                           to 0.5..0, [0, Low) to 1..0.5; a host the VM
 *                           would push over HighUtilization scores
 *                           RHV_SCHED_OVER_HIGH instead, more than the other
 *                           units can make up, so it is a last resort;
 *   PowerSavingMemory       0.9 x free after / the most free after, or 1 if
 *                           free after falls below MaxFreeMemoryForOverUtilized;
 *   EvenGuestDistribution   VM slots after placement (VMs + 1, + SpmVmGrace
 *                           on the SPM) / the most slots among eligible hosts.
 * "CPU % after placement" is the host's recent use plus 10 % of a core
 * (oVirt's VcpuConsumptionPercentage) for each vCPU of this VM and of the VMs
 * pending on it, over its logical CPUs.
 *
 * Ties (equal sums, compared exactly) go to the lowest host index, so one
 * snapshot always gives one answer.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/netfit.h"

enum rhv_sched_policy_kind { RHV_SCHED_NONE, RHV_SCHED_EVENLY, RHV_SCHED_POWER_SAVING, RHV_SCHED_VM_EVENLY };

#define RHV_SCHED_UNITS_MAX 4
/* Long enough for the longest reason with a 40-character UTF-8 host name. */
#define RHV_SCHED_REASON_MAX 192
/* Default incoming migrations a host takes at once (vdsm's max_incoming_migrations). */
#define RHV_SCHED_MAX_INCOMING 2
/* Estimated CPU load of one vCPU, in % of a core (VcpuConsumptionPercentage). */
#define RHV_SCHED_VCPU_PCT 10
/* PowerSavingCPU score of a host pushed over HighUtilization. */
#define RHV_SCHED_OVER_HIGH 3.0

/* Effective policy parameters (oVirt's names in the comments). */
struct rhv_sched_params {
	int high_utilization;	    /* HighUtilization, CPU % */
	int low_utilization;	    /* LowUtilization, CPU % */
	int high_vm_count;	    /* HighVmCount: for the balancer */
	int migration_threshold;    /* MigrationThreshold: for the balancer */
	int spm_vm_grace;	    /* SpmVmGrace, VM slots */
	int64_t max_free_mem_over;  /* MaxFreeMemoryForOverUtilized, MiB, -1 unset */
	int64_t min_free_mem_under; /* MinFreeMemoryForUnderUtilized, MiB, -1 unset: for the balancer */
	int max_incoming;	    /* incoming migrations a host takes at once (MigrationMaxIncoming) */
};

/* One host as the scheduler sees it. */
struct rhv_sched_host {
	const char *name;
	bool up;		/* state Up (Maintenance, NonOperational, ... are not) */
	bool in_cluster;	/* in the VM's cluster */
	bool is_spm;
	int cores;		/* logical CPUs */
	uint64_t mem_total;	/* bytes the scheduler may use (physical, or the admin's limit) */
	uint64_t mem_committed; /* bytes of the VMs placed on it, starting on it or migrating to it */
	double cpu_pct;		/* recent CPU use, 0..100 */
	int vm_count;		/* VMs placed on it, starting or incoming included */
	int vcpus_pending;	/* vCPUs of VMs starting or incoming, not yet in cpu_pct */
	int migrations_in;	/* in flight */
	int migrations_out;
	const struct rhv_host_nets *nets; /* its networks; NULL or not known: no network data, not filtered */
};

struct rhv_sched_vm {
	uint64_t memory; /* bytes */
	int vcpus;
	int pinned_host;  /* index of the only host it may run on, or -1 */
	int current_host; /* index of the host it migrates from, or -1 when it starts */
	const char *const *networks; /* the logical networks of its NICs */
	size_t nnetworks;
};

struct rhv_sched_verdict {
	bool eligible;
	char reason[RHV_SCHED_REASON_MAX]; /* why it was filtered out, one line; "" if eligible */
	double weight;			   /* sum of factor x score, lower is better; 0 if filtered */
	double unit_scores[RHV_SCHED_UNITS_MAX]; /* per unit, before the factor; 0 if filtered */
};

struct rhv_sched_unit {
	const char *name; /* oVirt's unit name, e.g. "EvenDistributionCPU" */
	int factor;
};

/*
 * The policy kind for a policy name of rhv_policies[].
 * Returns: the kind, or -1 for an unknown name.
 */
int rhv_sched_policy_find(const char *name);

/* Fill p with oVirt's defaults (rhv_policy_params[]); memory thresholds unset. */
void rhv_sched_params_default(struct rhv_sched_params *p);
/* The incoming-migration limit in force: params->max_incoming, 0 meaning RHV_SCHED_MAX_INCOMING. */
int rhv_sched_incoming_limit(const struct rhv_sched_params *p);
/* Set the field of an oVirt parameter name.  Returns: false for a key p has no field for. */
bool rhv_sched_params_set(struct rhv_sched_params *p, const char *key, int64_t value);

/*
 * Weight unit number `unit` of a policy, in the order of unit_scores[].
 * Returns: the unit, or NULL past the last one or for an unknown policy.
 */
const struct rhv_sched_unit *rhv_sched_unit(enum rhv_sched_policy_kind policy, int unit);

/*
 * Choose a host for vm among hosts[0..n-1] (n <= INT_MAX) under policy.
 * params NULL means the defaults.  verdicts, if not NULL, has n entries and
 * receives, per host, whether it passed the filters, why not, and its scores;
 * pass NULL when only the choice matters (it is faster).
 *
 * Filters, in this order, the first failure giving the reason: Up; in the
 * VM's cluster; the VM's pinned host; not the host the VM migrates from;
 * enough free memory (mem_committed + vm memory <= mem_total); no more vCPUs
 * than the host has CPUs; the VM's networks set up on the host, in sync, with
 * a bridge (only on a host with network data: rhv/netfit.h); for a
 * migration, fewer than params->max_incoming incoming migrations.
 *
 * Returns: the index of the chosen host; or -1 when no host passes the
 * filters (the verdicts say why), and -1 with no verdict filled for a NULL
 * vm, a NULL hosts with n > 0, or an unknown policy.
 */
int rhv_sched_place(const struct rhv_sched_host *hosts, size_t n, const struct rhv_sched_vm *vm,
		    enum rhv_sched_policy_kind policy, const struct rhv_sched_params *params,
		    struct rhv_sched_verdict *verdicts);

/*
 * Record in the snapshot that vm was sent to hosts[target] (its memory, a VM
 * slot, pending vCPUs, and the migration counts when it migrates), so that the
 * next decision over the same snapshot sees it.  Does nothing if target is
 * out of range.
 */
void rhv_sched_commit(struct rhv_sched_host *hosts, size_t n, int target, const struct rhv_sched_vm *vm);
