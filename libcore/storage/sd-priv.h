/* Storage helpers shared by sd.c, disk.c, sdscrub.c and sdmon.c. */
#pragma once

#include "store/store-priv.h"
#include "rhv/sd.h"
#include "rhv/sdmeta.h"
#include "rhv/spmops.h"

/* One attachment of a domain, resolved and locked by name. */
struct sd_ref {
	char id[37];
	char *name, *role, *kind, *path;
	char dc_id[37];  /* "" when the domain is not attached (or dc was not asked for) */
	char *dc;
	char *status;    /* of the attachment; NULL when unattached */
	bool master;
	int natt;        /* how many data centers it is attached to */
};
void sd_ref_clear(struct sd_ref *r);
/*
 * Look a domain up by name or id and pick its attachment: dc (name or id)
 * or, when NULL, its only one.  lock: FOR UPDATE of the domain's row (in
 * the caller's transaction).
 * Returns: 0; -1 with NOTFOUND (domain, data center), CONFLICT (not
 * attached to dc when need_att), USAGE (several attachments, no dc).
 */
int sd_ref_get(struct rhv_db *db, const char *name, const char *dc, bool need_att, bool lock, struct sd_ref *out,
	       struct rhv_error *err);

/* What probing a domain from the hosts of a data center found. */
struct sd_probe {
	int up_hosts, ok;
	char first_error[512];
};
/*
 * Every Up host of dc_id reads the domain's metadata through its own
 * libvirt daemon; the outcome per host is recorded (host_domain_status).
 */
int sd_probe_hosts(struct rhv_db *db, const char *domain_id, const char *path, const char *dc_id,
		   struct sd_probe *out, struct rhv_error *err);

/* statvfs of a file domain into storage_domains.size/free. */
int sd_measure(struct rhv_db *db, const char *domain_id, const char *path, uint64_t *size, uint64_t *free_b,
	       struct rhv_error *err);

/*
 * Change a domain's metadata through the SPM: read it, let edit change it
 * (return -1 with err to give up), write it under tok.
 */
typedef int (*sd_meta_edit_fn)(struct rhv_sd_meta *m, void *arg, struct rhv_error *err);
int sd_meta_update(const struct rhv_spm_token *tok, const char *path, sd_meta_edit_fn edit, void *arg,
		   struct rhv_error *err);

/* An sd_meta_edit_fn: drop the image (an id) if the metadata has it. */
int sd_drop_image(struct rhv_sd_meta *m, void *image_id, struct rhv_error *err);

/*
 * The store forgets dc's SPM: no holder, no host is_spm (the generation
 * stays, so the next holder's is higher).  status: the data center's new
 * status, NULL to keep it.
 */
int sd_forget_spm(struct rhv_db *db, const char *dc_id, const char *status, struct rhv_error *err);
/*
 * Another Active file data domain of dc than except_id, to take the master
 * role: id "" when there is none; else *path and *name (caller frees).
 */
int sd_master_successor(struct rhv_db *db, const char *dc_id, const char *except_id, char id[37], char **path,
			char **name, struct rhv_error *err);
/* Make domain_id the master of dc (the old master loses the flag), in the caller's transaction. */
int sd_set_master(struct rhv_db *db, const char *dc_id, const char *domain_id, struct rhv_error *err);

/* <root>/images/<image> and the path of one of its volumes (caller frees). */
char *sd_image_dir(const char *root, const char *image);
char *sd_volume_path(const char *root, const char *image, const char *volume);
/*
 * Remove what stands at <root>/images/<image>: a directory with every file
 * in it (never a directory inside it: rhv makes none, so it is not ours to
 * delete), or a single file.  Nothing there is success.  Returns: 0, or -1
 * with err (may be NULL) naming the first entry that could not go and why
 * (RHV_EXIT_FAILED); what could be removed is removed.
 */
int sd_remove_image(const char *root, const char *image, struct rhv_error *err);

/* The owner of a domain's root, whom files made for it belong to. */
int sd_owner(const char *path, unsigned *uid, unsigned *gid, struct rhv_error *err);
