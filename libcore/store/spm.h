/*
 * What the store knows about a data center's SPM (store/spm.c): its
 * holder, generation, master domain and hosts, and the mirror of an
 * election's outcome.  The lease on the master domain is the truth; these
 * rows follow it.  No libpq here.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/event.h"

/* A host of the data center as an election sees it. */
struct rhv_spm_view_host {
	char id[37];
	char *name, *uri, *state;
	int priority, spm_id;
	bool confirmed_down, failed;
};

/* A data center, its SPM, master domain and hosts. */
struct rhv_spm_view {
	char id[37];
	char *name;
	char spm_host[37]; /* "" none */
	uint64_t generation;
	char *master_path; /* NULL: no master domain */
	char master_id[37];
	char *master_name;
	struct rhv_spm_view_host *hosts;
	size_t nhosts;
};

void rhv_spm_view_clear(struct rhv_spm_view *v);
/* The data center (name or id), its SPM, master domain and hosts. */
int rhv_db_spm_view_load(struct rhv_db *db, const char *dc, struct rhv_spm_view *v, struct rhv_error *err);
/* The host of v by store id, or by lease host id (0 is nobody); NULL when none. */
struct rhv_spm_view_host *rhv_spm_view_host(struct rhv_spm_view *v, const char *id);
struct rhv_spm_view_host *rhv_spm_view_host_by_spm_id(struct rhv_spm_view *v, int spm_id);

/* Give every host of the data center a lease host id (lowest free), keeping existing ones. */
int rhv_db_spm_assign_ids(struct rhv_db *db, const char *dc_id, struct rhv_error *err);
/* Record holder (NULL: none) and generation; an event with why (if not NULL).  Its own transaction. */
int rhv_db_spm_mirror(struct rhv_db *db, const struct rhv_spm_view *v, const struct rhv_spm_view_host *h,
		      uint64_t gen, const char *why, enum rhv_severity sev, struct rhv_error *err);
/* h failed to take the role: skipped until the next election, with an event saying why. */
int rhv_db_spm_note_failed(struct rhv_db *db, const struct rhv_spm_view *v, struct rhv_spm_view_host *h,
			   const char *reason, struct rhv_error *err);

/* A new election starts with no host marked failed. */
int rhv_db_spm_failed_reset(struct rhv_db *db, const char *dc_id, struct rhv_error *err);
/* The hosts that failed the role in this election, "," joined by name; *names NULL for none (caller frees). */
int rhv_db_spm_failed_names(struct rhv_db *db, const char *dc_id, char **names, struct rhv_error *err);
/* The data centers with an Active master domain, by id (free with rhv_db_names_free of store/host.h). */
int rhv_db_spm_master_dcs(struct rhv_db *db, char ***ids, size_t *n, struct rhv_error *err);
/* The data center whose SPM the host is.  Returns: 1 with dc_id, 0 when it is no SPM, or -1. */
int rhv_db_spm_dc_of_host(struct rhv_db *db, const char *host_id, char dc_id[37], struct rhv_error *err);

/* An admin's word, or a fence's, that a host is down, as the store records it. */
struct rhv_spm_confirm {
	const char *host; /* name or id */
	bool fenced;      /* its fence agents reported it off (else an admin's word) */
	/* out */
	char id[37], name[256], dc_id[37];
	bool was_spm;     /* the SPM role it held is free now */
	int64_t vms;      /* VMs it ran, now Down */
};
/*
 * In the caller's transaction: the host (NonResponsive or Connecting, else
 * CONFLICT) is confirmed down, its VMs are Down, those migrating to it stay
 * where they are, its SPM role is forgotten, and an event says so.
 */
int rhv_db_spm_confirm_down(struct rhv_db *db, struct rhv_spm_confirm *c, struct rhv_error *err);
