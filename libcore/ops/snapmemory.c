/*
 * The guest memory a snapshot saves (create --memory): an image of its own
 * on the domain of the snapshot's first disk, named at the claim, written
 * by the host's libvirt during the live switch, recorded in the metadata by
 * the create's finish, removed with the snapshot (ops/snap-priv.h).
 */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>

#include "ops/snap-priv.h"
#include "rhv/cleanup.h"
#include "storage/sd-priv.h"
#include "storage/snapvol.h"

bool rhv_snap_has_memory(const struct rhv_snap *s)
{
	return s->memory_image_id[0] && s->memory_root;
}

char *rhv_snap_memory_path(const struct rhv_snap *s)
{
	if (!rhv_snap_has_memory(s))
		return NULL;
	return rhv_sd_volume_path(s->memory_root, s->memory_image_id, s->memory_volume_id);
}

int rhv_snap_memory_prepare(const struct rhv_snap *s, struct rhv_error *err)
{
	struct rhv_qimg_as as;

	if (!rhv_snap_has_memory(s))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "the storage domain for the memory of snapshot %s is gone",
				     s->id);
	if (rhv_snap_owner(s->memory_root, &as, err) < 0)
		return -1;
	return rhv_snapvol_memory_dir(s->memory_root, &as, s->memory_image_id, err);
}

static int memory_token(struct rhv_db *db, const struct rhv_snap *s, struct rhv_spm_token *tok,
			struct rhv_error *err)
{
	if (!s->memory_dc_id[0])
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "the storage domain of the memory of snapshot %s is not attached to a data center", s->id);
	return rhv_spm_token(db, s->memory_dc_id, NULL, tok, err);
}

int rhv_snap_memory_keep(struct rhv_db *db, const struct rhv_snap *s, uint64_t *bytes, struct rhv_error *err)
{
	_cleanup_free_ char *name = NULL;
	struct rhv_spm_token tok;

	*bytes = 0;
	if (!s->memory_image_id[0])
		return 0;
	if (!s->memory_root)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "the storage domain for the memory of snapshot %s is gone",
				     s->id);
	/* a name the metadata's rules take whatever the VM is called */
	name = rhv_xasprintf("memory of snapshot %.8s", s->id);
	if (memory_token(db, s, &tok, err) < 0)
		return -1;
	return rhv_snapvol_memory_add(&tok, s->memory_root, s->memory_image_id, s->memory_volume_id, name, bytes, err);
}

int rhv_snap_memory_drop(struct rhv_db *db, const struct rhv_snap *s, struct rhv_error *err)
{
	struct rhv_spm_token tok;

	if (!rhv_snap_has_memory(s))
		return 0; /* none, or gone with its domain */
	if (memory_token(db, s, &tok, err) < 0)
		return -1;
	return rhv_snapvol_memory_remove(&tok, s->memory_root, s->memory_image_id, err);
}
