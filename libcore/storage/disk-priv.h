/*
 * A disk's work on a file domain (storage/disk.c), as the disk flows of
 * ops/diskops.c use it: the domain a disk goes to, its free space, and
 * volumes made, grown and copied with their metadata changed through the
 * SPM.  No libpq here.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/disk.h"
#include "rhv/qimg.h"
#include "rhv/sdmeta.h"
#include "rhv/spmops.h"

struct rhv_progress;

/* A domain a disk operation works on: Active, data, file, with its data center. */
struct rhv_disk_place {
	char id[37], dc_id[37];
	char *name, *path;
	uint64_t free_b;
	int critical_gib;
	struct rhv_qimg_as as; /* the owner of its root, whom new files belong to */
};
void rhv_disk_place_clear(struct rhv_disk_place *p);
/*
 * Returns: 0, or -1 (RHV_EXIT_NOTFOUND, RHV_EXIT_CONFLICT for a domain that
 * is not data, not Active or a block domain).
 */
int rhv_disk_place_get(struct rhv_db *db, const char *domain, struct rhv_disk_place *out, struct rhv_error *err);
/*
 * Space now (pl->free_b), and the Critical Space Action Blocker (reference
 * 2.11): below it, or with less than need free, nothing new is made (4).
 */
int rhv_disk_check_space(struct rhv_disk_place *pl, uint64_t need, struct rhv_error *err);
/* What a volume takes on the storage. */
uint64_t rhv_disk_allocated(const char *path);

/*
 * A new image of one volume (vol: its id, format, allocation, size) made
 * with qemu-img and added to the domain's metadata under tok.  A failure
 * may leave files for the caller to remove.
 */
int rhv_disk_volume_create(const struct rhv_spm_token *tok, const struct rhv_disk_place *pl, const char *image,
			   const char *name, const char *description, const struct rhv_sd_volume *vol,
			   struct rhv_error *err);
/* Grow the disk's top volume to size, then its size in the metadata. */
int rhv_disk_volume_resize(const struct rhv_spm_token *tok, const struct rhv_disk_place *pl,
			   const struct rhv_disk *d, uint64_t size, struct rhv_error *err);
/*
 * Flatten the source chain into a new image on dst, added to dst's
 * metadata as name; on a failure what was made goes.
 */
int rhv_disk_volume_copy(const struct rhv_disk *src, const struct rhv_disk_place *dst, const char *image,
			 const char *volume, const struct rhv_spm_token *tok, const char *name,
			 const struct rhv_progress *p, struct rhv_error *err);
