/* What the snapshot flows share (ops/snap-priv.h). */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "ops/snap-priv.h"
#include "rhv/cleanup.h"
#include "rhv/virtsnap.h"
#include "rhv/vm.h"
#include "storage/sd-priv.h"
#include "store/txn.h"

int rhv_snap_lock_vm(struct rhv_db *db, const struct rhv_db_snap_vm *vm, struct rhv_error *err)
{
	bool got;

	if (rhv_db_try_lock(db, RHV_DB_SNAP_LOCK, vm->id, true, &got, err) < 0)
		return -1;
	if (!got)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "another snapshot operation is running on VM '%s'", vm->name);
	return 0;
}

void rhv_snap_unlock(struct rhv_db *db, const char *vm_id, const char *const *disk_ids, size_t n)
{
	struct rhv_error ignored = { 0 };
	bool held;

	for (size_t i = 0; i < n; i++)
		rhv_db_try_lock(db, "disk", disk_ids[i], false, &held, &ignored);
	rhv_db_try_lock(db, RHV_DB_SNAP_LOCK, vm_id, false, &held, &ignored);
}

bool rhv_snap_lock_disks(struct rhv_db *db, const char *const *disk_ids, size_t n)
{
	struct rhv_error ignored = { 0 };

	for (size_t i = 0; i < n; i++) {
		bool got = false;

		if (rhv_db_try_lock(db, "disk", disk_ids[i], true, &got, &ignored) < 0 || !got) {
			for (size_t j = 0; j < i; j++)
				rhv_db_try_lock(db, "disk", disk_ids[j], false, &got, &ignored);
			return false;
		}
	}
	return true;
}

const struct rhv_db_snap_disk *rhv_snap_vm_disk(const struct rhv_db_snap_vm *vm, const char *disk_id)
{
	for (size_t i = 0; i < vm->ndisks; i++)
		if (!strcmp(vm->disks[i].id, disk_id))
			return &vm->disks[i];
	return NULL;
}

bool rhv_snap_running(const char *state)
{
	return !strcmp(state, RHV_VM_UP) || !strcmp(state, RHV_VM_PAUSED);
}

int rhv_snap_token(struct rhv_db *db, const struct rhv_db_snap_disk *d, const struct rhv_progress *p,
		   struct rhv_spm_token *tok, struct rhv_error *err)
{
	if (!d->dc_id[0])
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "the storage domain of disk '%s' is not attached to a data center",
				     d->name);
	return rhv_spm_token(db, d->dc_id, p, tok, err);
}

int rhv_snap_owner(const char *root, struct rhv_qimg_as *as, struct rhv_error *err)
{
	unsigned uid, gid;

	if (rhv_sd_owner(root, &uid, &gid, err) < 0)
		return -1;
	*as = (struct rhv_qimg_as){ true, (uid_t)uid, (gid_t)gid };
	return 0;
}

char *rhv_snap_path(const struct rhv_db_snap_disk *d, const char *volume)
{
	return rhv_sd_volume_path(d->root, d->id, volume);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int rhv_snap_guest_has(struct rhv_virt_dom *dom, const char *target, const char *volume, bool *has, bool *top,
		       struct rhv_error *err)
{
	char **paths = NULL;
	size_t n = 0;

	*has = *top = false;
	if (rhv_virt_dom_disk_chain(dom, target, &paths, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(base_name(paths[i]), volume)) {
			*has = true;
			*top = i == 0;
		}
		free(paths[i]);
	}
	free(paths);
	return 0;
}
