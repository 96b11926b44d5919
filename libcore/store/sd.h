/*
 * A storage domain's rows as the flows in storage/ and ops/ need them
 * (store/sd.c): its attachments, the master role, the SPM the store
 * mirrors for its data center.  No libpq here.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"

/* One attachment of a domain, resolved and locked by name. */
struct rhv_sd_ref {
	char id[37];
	char *name, *role, *kind, *path;
	char dc_id[37];  /* "" when the domain is not attached (or dc was not asked for) */
	char *dc;
	char *status;    /* of the attachment; NULL when unattached */
	bool master;
	int natt;        /* how many data centers it is attached to */
};
void rhv_sd_ref_clear(struct rhv_sd_ref *r);
/*
 * Look a domain up by name or id and pick its attachment: dc (name or id)
 * or, when NULL, its only one.  lock: FOR UPDATE of the domain's row (in
 * the caller's transaction).
 * Returns: 0; -1 with NOTFOUND (domain, data center), CONFLICT (not
 * attached to dc when need_att), USAGE (several attachments, no dc).
 */
int rhv_db_sd_ref_get(struct rhv_db *db, const char *name, const char *dc, bool need_att, bool lock,
		      struct rhv_sd_ref *out, struct rhv_error *err);

/* Record a domain's size and free space, measured now. */
int rhv_db_sd_set_space(struct rhv_db *db, const char *domain_id, uint64_t size, uint64_t free_b,
			struct rhv_error *err);

/*
 * The store forgets dc's SPM: no holder, no host is_spm (the generation
 * stays, so the next holder's is higher).  status: the data center's new
 * status, NULL to keep it.
 */
int rhv_db_sd_forget_spm(struct rhv_db *db, const char *dc_id, const char *status, struct rhv_error *err);
/*
 * Another Active file data domain of dc than except_id, to take the master
 * role: id "" when there is none; else *path and *name (caller frees).
 */
int rhv_db_sd_master_successor(struct rhv_db *db, const char *dc_id, const char *except_id, char id[37],
			       char **path, char **name, struct rhv_error *err);
/* Make domain_id the master of dc (the old master loses the flag), in the caller's transaction. */
int rhv_db_sd_set_master(struct rhv_db *db, const char *dc_id, const char *domain_id, struct rhv_error *err);
/* Whether dc has a master domain. */
int rhv_db_sd_has_master(struct rhv_db *db, const char *dc_id, bool *has, struct rhv_error *err);
/*
 * The id of a data center named by name or id (as store-priv.h declares it).
 * Returns: 0, or -1 with RHV_EXIT_NOTFOUND.
 */
int rhv_db_dc_id(struct rhv_db *db, const char *dc, char id[37], struct rhv_error *err);

/* ---- a domain's life: create, edit, attach, activate (ops/sdops.c) ---- */

struct rhv_sd_spec;
struct rhv_block_lun_spec;
/* A new domain's row, with its LUNs (block domains) and space (when measured). */
struct rhv_db_sd_new {
	const struct rhv_sd_spec *spec;
	const char *id;
	const struct rhv_block_lun_spec *luns;
	size_t nluns;
	uint64_t size, free_b;
	bool measured;
};
/*
 * Neither a domain named spec's name nor one at its path: the cheap check
 * before the storage is touched.  Returns: 0, or -1 (CONFLICT naming which).
 */
int rhv_db_sd_check_new(struct rhv_db *db, const char *name, const char *path, struct rhv_error *err);
/* Insert the domain, its LUNs and the event, in the caller's transaction (CONFLICT for a taken name, path or LUN). */
int rhv_db_sd_insert(struct rhv_db *db, const struct rhv_db_sd_new *n, struct rhv_error *err);
/* Lock the domain spec->name and change its description and thresholds (NULL: unchanged), with an event. */
int rhv_db_sd_update(struct rhv_db *db, const struct rhv_sd_spec *spec, struct rhv_error *err);

/* An attach: the domain and data center named, and what the store found. */
struct rhv_db_sd_attach {
	const char *name, *dc;
	/* out */
	struct rhv_sd_ref ref; /* cleared and filled on each try */
	char dc_name[256];
};
/*
 * Attach in the caller's transaction (in Maintenance), with an event.
 * Returns: 0; -1 with CONFLICT (already attached, storage type of the data
 * center, a data domain of another data center), NOTFOUND.
 */
int rhv_db_sd_attach(struct rhv_db *db, struct rhv_db_sd_attach *a, struct rhv_error *err);
/* Undo an attach: the domain's attachment row goes. */
int rhv_db_sd_detach_row(struct rhv_db *db, const char *domain_id, const char *dc_id, struct rhv_error *err);
/*
 * Make the attachment Active, in the caller's transaction, with an event:
 * the master when it is a data domain and dc has none (*make_master).
 */
int rhv_db_sd_activate(struct rhv_db *db, const struct rhv_sd_ref *ref, bool *make_master, struct rhv_error *err);
/* An activation as master whose SPM could not start: back to Maintenance, not master, with why. */
int rhv_db_sd_activate_undo(struct rhv_db *db, const struct rhv_sd_ref *ref, const char *why, struct rhv_error *err);

/* A host that reads a domain: the Up hosts of a data center. */
struct rhv_db_sd_host {
	char id[37];
	char *name, *uri;
};
/* The Up hosts of dc_id by name. */
int rhv_db_sd_up_hosts(struct rhv_db *db, const char *dc_id, struct rhv_db_sd_host **hosts, size_t *n,
		       struct rhv_error *err);
void rhv_db_sd_hosts_free(struct rhv_db_sd_host *hosts, size_t n);
/* Whether the host could read the domain (why not, when it could not). */
int rhv_db_sd_record_probe(struct rhv_db *db, const char *host_id, const char *domain_id, bool ok, const char *why,
			   struct rhv_error *err);

/* ---- out of service: maintenance, detach, remove (store/sdstate.c, for ops/sdmaint.c) ---- */

/* Running VMs using a disk or an ISO of the domain, "a, b" (*out NULL: none; caller frees). */
int rhv_db_sd_busy_vms(struct rhv_db *db, const char *domain_id, char **out, struct rhv_error *err);
/* Whether another domain of ref's data center is Active. */
int rhv_db_sd_other_active(struct rhv_db *db, const struct rhv_sd_ref *ref, bool *any, struct rhv_error *err);
/* Whether another domain is attached to ref's data center. */
int rhv_db_sd_others_attached(struct rhv_db *db, const struct rhv_sd_ref *ref, bool *any, struct rhv_error *err);

/* A change of an attachment's status. */
struct rhv_db_sd_state {
	const struct rhv_sd_ref *ref;
	const char *status;
	const char *new_master; /* domain id taking the master role, or NULL */
	bool drop_spm;          /* the lease was released: the store forgets the SPM */
	const char *message;    /* the event's */
};
/* Record it in the caller's transaction, with its event. */
int rhv_db_sd_set_state(struct rhv_db *db, const struct rhv_db_sd_state *s, struct rhv_error *err);

struct rhv_db_sd_detach {
	const struct rhv_sd_ref *ref;
	bool last_master; /* the data center's last domain: it is left without an SPM, Uninitialized */
};
/* Drop the attachment and its hosts' probe results, in the caller's transaction, with an event. */
int rhv_db_sd_detach(struct rhv_db *db, const struct rhv_db_sd_detach *d, struct rhv_error *err);
/*
 * Remove the domain (name or id) with its disks from the store, in the
 * caller's transaction: refused while attached (CONFLICT) unless force,
 * which takes it from any state (its VMs must be Down) and frees a
 * master's SPM role.  The storage is left as it is.
 */
int rhv_db_sd_remove(struct rhv_db *db, const char *name, bool force, struct rhv_error *err);

/* ---- back into service: import, recover (store/sdstate.c, for ops/import.c) ---- */

/* A disk of an imported domain: an image's top volume. */
struct rhv_db_sd_import_disk {
	const char *id, *name, *description, *volume_id, *format, *allocation;
	uint64_t size, actual;
	bool readable; /* its file can be read: OK, else Illegal */
};
/* A domain read back from its metadata. */
struct rhv_db_sd_import {
	const char *id, *name, *role, *kind, *path;
	uint64_t size, free_b;
	struct rhv_db_sd_import_disk *disks;
	size_t ndisks;
	int imported; /* out: disks inserted */
};
/*
 * Insert the domain and its disks, in the caller's transaction, with an
 * event.  Returns: 0; -1 with CONFLICT (the domain, its path or a disk is
 * already in the store).
 */
int rhv_db_sd_import(struct rhv_db *db, struct rhv_db_sd_import *im, struct rhv_error *err);
/*
 * The Inactive attachments (of dc, name or id, when not NULL), by domain
 * name: *att holds domain id and data center id in turn, *n strings in all
 * (free with rhv_db_names_free of store/host.h).
 */
int rhv_db_sd_inactive(struct rhv_db *db, const char *dc, char ***att, size_t *n, struct rhv_error *err);
/* An Inactive attachment is Active again (nothing when it is not Inactive), with an event. */
int rhv_db_sd_reactivate(struct rhv_db *db, const struct rhv_sd_ref *ref, struct rhv_error *err);
