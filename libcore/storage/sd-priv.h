/*
 * Storage helpers shared by the storage domain's and the disks' files of
 * storage/ and the flows of ops/ that act on domains: paths, metadata
 * changes through the SPM, probing and measuring.  No libpq here: the rows
 * they read and write are the store's (store/sd.h).
 */
#pragma once

#include "store/sd.h"
#include "rhv/sd.h"
#include "rhv/sdmeta.h"
#include "rhv/spmops.h"

/* What probing a domain from the hosts of a data center found. */
struct rhv_sd_probe {
	int up_hosts, ok;
	char first_error[512];
};
/*
 * Every Up host of dc_id reads the domain's metadata through its own
 * libvirt daemon; the outcome per host is recorded (host_domain_status).
 */
int rhv_sd_probe_hosts(struct rhv_db *db, const char *domain_id, const char *path, const char *dc_id,
		       struct rhv_sd_probe *out, struct rhv_error *err);

/* statvfs of a file domain into storage_domains.size/free. */
int rhv_sd_measure(struct rhv_db *db, const char *domain_id, const char *path, uint64_t *size, uint64_t *free_b,
		   struct rhv_error *err);

/*
 * Change a domain's metadata through the SPM: read it, let edit change it
 * (return -1 with err to give up), write it under tok.
 */
typedef int (*rhv_sd_meta_edit_fn)(struct rhv_sd_meta *m, void *arg, struct rhv_error *err);
int rhv_sd_meta_update(const struct rhv_spm_token *tok, const char *path, rhv_sd_meta_edit_fn edit, void *arg,
		       struct rhv_error *err);

/* An rhv_sd_meta_edit_fn: drop the image (an id) if the metadata has it. */
int rhv_sd_drop_image(struct rhv_sd_meta *m, void *image_id, struct rhv_error *err);

/* <root>/images/<image> and the path of one of its volumes (caller frees). */
char *rhv_sd_image_dir(const char *root, const char *image);
char *rhv_sd_volume_path(const char *root, const char *image, const char *volume);
/* The SPM lease of a master domain: <root>/dom_md/leases (caller frees). */
char *rhv_sd_lease_path(const char *root);
/*
 * Remove what stands at <root>/images/<image>: a directory with every file
 * in it (never a directory inside it: rhv makes none, so it is not ours to
 * delete), or a single file.  Nothing there is success.  Returns: 0, or -1
 * with err (may be NULL) naming the first entry that could not go and why
 * (RHV_EXIT_FAILED); what could be removed is removed.
 */
int rhv_sd_remove_image(const char *root, const char *image, struct rhv_error *err);

/* The owner of a domain's root, whom files made for it belong to. */
int rhv_sd_owner(const char *path, unsigned *uid, unsigned *gid, struct rhv_error *err);

/* A file domain's size and free space (statvfs).  Returns: 0, or -1 with errno. */
int rhv_sd_statvfs(const char *path, uint64_t *size, uint64_t *free_b);

struct rhv_sd_spec;
/*
 * Format a new file domain's metadata at spec->path (an existing
 * directory), the domain's id given.  Returns: 0; -1 with USAGE (not a
 * directory), CONFLICT (already a domain there: import it), UNAVAILABLE.
 */
int rhv_sd_format(const struct rhv_sd_spec *spec, const char *id, struct rhv_error *err);
/* Undo a format whose store row could not be written: the domain must not linger on the storage. */
void rhv_sd_unformat(const char *path);
