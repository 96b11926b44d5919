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
