/*
 * The Storage Pool Manager of a data center (reference 2.8-2.10): the
 * election (spm.h decides, lease.h makes it safe), the store's mirror of
 * holder and generation, and the token every structural change carries.
 *
 * The lease lives on the master domain (dom_md/leases).  The store mirrors
 * it (data_centers.spm_host_id, spm_generation, hosts.is_spm), but the
 * lease is the truth: a token is handed out only after the lease itself
 * says its holder and generation are current, and every metadata write
 * checks the lease again just before its rename (sdmeta.h).
 *
 * rhv runs no daemon on the hosts, so nothing renews the lease between
 * commands but `rhv-host monitor` (run it at least every 8N, 80 s by
 * default) and the commands that take a token.  A lease that expired with
 * nobody renewing it is taken again by a new election, under a new
 * generation.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/lease.h"

struct rhv_db;
struct rhv_progress;

struct rhv_spm_token {
	char dc_id[37];
	char host_id[37];
	char host[256];        /* the SPM host's name */
	char host_uri[1024];   /* its libvirt URI */
	int spm_id;            /* its id in the lease (1..2000) */
	uint64_t generation;   /* the fencing token */
	char lease_path[4096];
	char master_path[4096];
	struct rhv_lease_timing timing;
};

struct rhv_spm_status {
	char dc_id[37];
	char *dc;
	char *host;          /* store's SPM host, NULL: none */
	uint64_t generation; /* store's mirror */
	char *master;        /* master domain name, NULL: none */
	bool lease_read;     /* the lease could be read */
	char *lease_error;   /* why not */
	char *lease_holder;  /* host named by the lease, NULL: free */
	int lease_spm_id;
	uint64_t lease_generation;
	int64_t renewed_ms, expires_ms, dead_ms;
	bool expired, dead;
	char *failed;        /* hosts that failed the role in this election, "," joined */
};
void rhv_spm_status_clear(struct rhv_spm_status *s);
/* The SPM state of dc (name or id). */
int rhv_spm_status_get(struct rhv_db *db, const char *dc, struct rhv_spm_status *out, struct rhv_error *err);

/* The lease timing from the store's settings (SpmIoTimeoutMillis, SpmWatchdogMillis). */
int rhv_spm_timing(struct rhv_db *db, struct rhv_lease_timing *out, struct rhv_error *err);

/*
 * Run an election in dc.  Serialized per data center between rhv
 * processes (an advisory lock), and safe between machines by the lease.
 * Keeps a current SPM that is Up and holds its lease; otherwise tries
 * hosts in the order of spm.h, each proving it can read the master
 * domain through its own libvirt connection before it takes the lease; a
 * host that fails is recorded and skipped until the next election.
 * force: an admin confirmed the old SPM is down (used by confirm-down).
 * *elected (if not NULL) gets the SPM's name.
 * Returns: 0; -1 with err RHV_EXIT_CONFLICT when the previous SPM may be
 * alive (unreachable, lease not expired) or no host may take the role,
 * RHV_EXIT_NOTFOUND for an unknown data center, RHV_EXIT_UNAVAILABLE when
 * no candidate could reach the storage or the lease is unreadable.
 */
int rhv_spm_elect(struct rhv_db *db, const char *dc, bool force, const struct rhv_progress *p,
		  char *elected, size_t elected_len, struct rhv_error *err);

/* Give the role up (the lease is released; the generation is kept). */
int rhv_spm_release(struct rhv_db *db, const char *dc, const struct rhv_progress *p, struct rhv_error *err);

/*
 * The token for a structural change in dc (id): the current SPM's, after
 * renewing its lease; when there is no live SPM, an election is run first.
 */
int rhv_spm_token(struct rhv_db *db, const char *dc_id, const struct rhv_progress *p,
		  struct rhv_spm_token *out, struct rhv_error *err);
/* Renew the lease behind a token (long operations call it between steps). */
int rhv_spm_token_renew(struct rhv_spm_token *tok, struct rhv_error *err);

/* Renew the SPM lease of every data center that has one; elect where none.  For monitor. */
int rhv_spm_monitor(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err);

/*
 * A host entering Maintenance gives up the SPM role (lease released) and
 * another host is elected at once.  Nothing to do when it is not the SPM.
 */
int rhv_spm_handoff(struct rhv_db *db, const char *host_id, const struct rhv_progress *p, struct rhv_error *err);

/*
 * An admin's word that a host is down (powered off, fenced by hand):
 * recorded on the host; if it was the SPM, the role is freed and a new
 * election may take over without waiting for the lease to expire.  Its HA
 * VMs are started elsewhere (rhv/ha.h).
 */
int rhv_host_confirm_down(struct rhv_db *db, const char *host, const struct rhv_progress *p,
			  struct rhv_error *err);
/* The same, when its power management reported it off (ops/fence.c). */
int rhv_host_fenced_off(struct rhv_db *db, const char *host, const struct rhv_progress *p, struct rhv_error *err);
