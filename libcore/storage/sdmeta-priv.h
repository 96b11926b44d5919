/*
 * What the files of storage/sdmeta*.c share and no one else uses: the
 * volume index, the field checks that both validation and the edits make,
 * and where the file sits.
 *   sdmeta.c          lookups and edits in memory
 *   sdmeta-chain.c    volumes by id, their chains, the chain check
 *   sdmeta-validate.c the checks of a whole domain's metadata
 *   sdmeta-read.c     the file and its JSON into memory
 *   sdmeta-write.c    memory into JSON and atomically onto the file
 */
#pragma once

#include "rhv/common.h"

#include "rhv/sdmeta.h"
#include "rhv/strindex.h"
#include "rhv/error.h"

/* Every volume of m by id, for walks that would otherwise scan the domain at each step. */
struct volume_index {
	struct rhv_strindex ids; /* id -> position in vols */
	struct rhv_sd_volume **vols;
	size_t n;
	int dup; /* the first volume whose id an earlier one has, or -1 */
};

/* Index every volume of m by id (vi->dup: the first repeated id, or -1); free with rhv_sdmeta_index_clear. */
void rhv_sdmeta_index_volumes(const struct rhv_sd_meta *m, struct volume_index *vi);
void rhv_sdmeta_index_clear(struct volume_index *vi);
/* Every parent exists and no chain has a cycle.  Returns: 0, or -1 with err (FAILED). */
int rhv_sdmeta_check_chains(const struct volume_index *vi, struct rhv_error *err);

/*
 * The field checks of sdmeta-validate.c, also made by the edits: with
 * RHV_EXIT_FAILED on metadata read from a domain, RHV_EXIT_USAGE on what a
 * caller adds.  Returns: 0, or -1 with err.
 */
/* The names and descriptions rhv-sd and rhv-disk create accept (rhv/validate.h), no other. */
int rhv_sdmeta_check_name(const char *s, size_t max, const char *what, const char *id, enum rhv_exit code,
			  struct rhv_error *err);
int rhv_sdmeta_check_description(const char *s, const char *id, enum rhv_exit code, struct rhv_error *err);
/* Field checks of one volume, shared by validate (FAILED) and add (USAGE). */
int rhv_sdmeta_check_volume(const struct rhv_sd_image *img, const struct rhv_sd_volume *v, enum rhv_exit code,
			    struct rhv_error *err);

/* The metadata file of the domain at root.  Caller frees. */
static inline char *sdmeta_path(const char *root)
{
	return rhv_xasprintf("%s/%s/%s", root, RHV_SDMETA_DIR, RHV_SDMETA_FILE);
}
