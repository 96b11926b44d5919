/*
 * A cluster as placement reads it (ops/vmops.c): its policy, CPU type and
 * hosts with what is placed on them.  No libpq here.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/sched.h"
#include "store/vmnet.h"

/* A host of the cluster and its load, counting VMs on their way to it. */
struct rhv_db_place_host {
	char id[37];
	char *name, *uri, *state;
	bool is_spm, kvm, emulated;
	int cpus;
	uint64_t mem_total; /* its memory, or its limit when lower */
	uint64_t committed; /* memory of the VMs it runs or receives */
	double cpu_pct;
	int vms;            /* VMs it runs or receives */
	int pending;        /* vCPUs of VMs launching on it or migrating to it */
	int mig_in, mig_out;
	struct rhv_db_host_nets nets; /* its networks, for the network filter */
};

struct rhv_db_placement {
	int policy;                      /* enum rhv_sched_policy_kind; none for a name this program does not know */
	char cpu_type[32];               /* "" when the cluster has none yet */
	struct rhv_sched_params params;  /* in: the defaults; out: with the cluster's own values */
	struct rhv_db_place_host *hosts; /* by name */
	size_t n;
};

/*
 * Read the cluster by id, locking its row (FOR UPDATE) in the caller's
 * transaction: placements in one cluster are decided one at a time.
 */
int rhv_db_cluster_placement(struct rhv_db *db, const char *cluster_id, struct rhv_db_placement *out,
			     struct rhv_error *err);
void rhv_db_placement_clear(struct rhv_db_placement *p);
