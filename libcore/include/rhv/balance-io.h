/*
 * Where the balancer's snapshot comes from and goes to: the store (one
 * cluster's hosts, VMs, samples and policy) or a JSON file in the
 * documented format "rhv-balance-snapshot/1" (rhv-balance(1)), so plans can
 * be made offline and checked by hand.
 */
#pragma once

#include <stdio.h>
#include "rhv/balance.h"
#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;

#define RHV_BAL_FORMAT "rhv-balance-snapshot/1"
/*
 * Larger snapshot files are refused unread (a file of 2,000 hosts and
 * 100,000 VMs, as `save` writes it, takes about 23 MiB).
 */
#define RHV_BAL_SNAPSHOT_MAX_BYTES (256 * 1024 * 1024)

/* A snapshot with the storage behind its pointers. */
struct rhv_bal_input {
	char *cluster;
	char *policy; /* the policy's name */
	struct rhv_bal_snapshot s;
	char **host_names, **vm_names;
	char **host_states;
	double **histories;
	int64_t *vm_last_migration; /* epoch seconds, 0 = never (the cool-down) */
	struct rhv_host_nets *host_nets; /* per host; s.hosts[i].nets points here once known */
	struct rhv_host_net **host_net_rows;
	char ***vm_networks;	    /* per VM, NULL-terminated; s.vms[i].networks points here */
	/* for HA checks and what-ifs: parameters as KEY=VALUE text */
};

/* Cluster names (all, or the one asked for after checking it exists). */
int rhv_bal_clusters(struct rhv_db *db, const char *cluster, char ***names, size_t *n, struct rhv_error *err);
/* Read one cluster from the store; history_minutes of CPU samples per host. */
int rhv_bal_load(struct rhv_db *db, const char *cluster, int history_minutes, struct rhv_bal_input *in,
		 struct rhv_error *err);
/*
 * Read a snapshot file ("-" is standard input): strict JSON, at most
 * RHV_BAL_SNAPSHOT_MAX_BYTES, every name checked as the store checks names
 * and every number against its range.  Returns: 0, or -1 with
 * RHV_EXIT_USAGE naming the line and reason (RHV_EXIT_NOTFOUND for a
 * missing file, RHV_EXIT_FAILED when it cannot be read).
 */
int rhv_bal_read_json(const char *path, struct rhv_bal_input *in, struct rhv_error *err);
int rhv_bal_write_json(const struct rhv_bal_input *in, FILE *f, struct rhv_error *err);
/* A what-if: another policy and/or parameters, checked like rhv-cluster policy. */
int rhv_bal_override(struct rhv_bal_input *in, const char *policy, const char *const *params, struct rhv_error *err);
void rhv_bal_input_clear(struct rhv_bal_input *in);

/* Serialize balancing runs per cluster: a run that finds the cluster held skips it. */
int rhv_bal_lock(struct rhv_db *db, const char *cluster, bool lock, bool *got, struct rhv_error *err);
/* An audit event about a cluster's balancing (in its own transaction). */
int rhv_bal_event(struct rhv_db *db, const char *cluster, bool alert, const char *action, const char *message,
		  struct rhv_error *err);
