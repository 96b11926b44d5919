/* The host's rows as the flows in ops/ need them (store/host.c): no libpq here. */
#pragma once

#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/host.h"

/* Lock (FOR UPDATE) and read a host inside the caller's transaction. */
int rhv_db_host_lock(struct rhv_db *db, const char *name, struct rhv_host *out, struct rhv_error *err);
/* Insert a host with its facts and first state; the caller's transaction. */
int rhv_db_host_insert(struct rhv_db *db, const struct rhv_host_spec *spec, const char *cluster_id,
		       const struct rhv_host_facts *f, const char *state, const char *reason, char id[37],
		       struct rhv_error *err);
int rhv_db_host_update_facts(struct rhv_db *db, const char *id, const struct rhv_host_facts *f,
			     struct rhv_error *err);
/* The cluster a host is added to, as admission needs it. */
struct rhv_host_cluster {
	char id[37];
	char cpu_type[32]; /* "" when the cluster has none yet */
	char dc_id[37];
};
/*
 * Read a cluster by name for admitting a host; with lock, lock it and its
 * data center (hosts per data center are counted under that lock).
 * Returns: 0, or -1 (RHV_EXIT_NOTFOUND for an unknown cluster).
 */
int rhv_db_host_cluster(struct rhv_db *db, const char *name, bool lock, struct rhv_host_cluster *out,
			struct rhv_error *err);
/* Hosts in the data center, for its limit. */
int rhv_db_dc_host_count(struct rhv_db *db, const char *dc_id, int64_t *out, struct rhv_error *err);
/*
 * Give a cluster without a CPU type the type of its first host, with an
 * event naming both.  The caller holds the cluster's lock.
 */
int rhv_db_cluster_adopt_cpu_type(struct rhv_db *db, const struct rhv_host_cluster *c, const char *cluster_name,
				  const char *type_id, const char *host_name, struct rhv_error *err);
/* Move to a state and write the event (severity by state). */
int rhv_db_host_set_state(struct rhv_db *db, const struct rhv_host *h, const char *state, const char *reason,
			  struct rhv_error *err);
/* Validation shared by add and edit: priority and memory limit parsed. */
int rhv_host_spec_check(const struct rhv_host_spec *s, bool adding, int64_t *prio, uint64_t *limit, bool *none,
			struct rhv_error *err);

/* VMs on the host or migrating to it: while there are any it cannot enter Maintenance. */
int rhv_db_host_vms_left(struct rhv_db *db, const char *host_id, int *left, struct rhv_error *err);
/*
 * Names of the VMs the host runs, the lowest CPU use first: the order
 * maintenance moves them in.  Free with rhv_db_names_free.
 */
int rhv_db_host_vm_names(struct rhv_db *db, const char *host_id, char ***names, size_t *n, struct rhv_error *err);
void rhv_db_names_free(char **names, size_t n);
/* A host's name and address by id.  Returns: 1, 0 when there is no such host, or -1. */
int rhv_db_host_name_uri(struct rhv_db *db, const char *id, char **name, char **uri, struct rhv_error *err);
