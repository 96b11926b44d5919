/* A VM started from the memory its previewed snapshot saved (ops/snaprestore.h). */
#include "rhv/common.h"

#include <stdlib.h>

#include "ops/snaprestore.h"
#include "rhv/cleanup.h"
#include "rhv/virtsnap.h"
#include "storage/sd-priv.h"
#include "store/snapshot.h"

struct rhv_virt_dom *rhv_ops_start_domain(struct rhv_db *db, const struct rhv_vm *vm, struct rhv_virt_conn *c,
					  const char *xml, const char *what, bool *resumed, struct rhv_error *err)
{
	struct rhv_db_snap_restore mem;
	struct rhv_virt_snap_disk *disks = NULL;
	_cleanup_free_ char *path = NULL;
	struct rhv_virt_dom *dom = NULL;

	*resumed = false;
	if (rhv_db_snap_memory_to_restore(db, vm->id, &mem, err) < 0)
		return NULL;
	if (!mem.found)
		return rhv_virt_dom_create(c, xml, err, "cannot start %s", what);
	if (rhv_db_snap_memory_restoring(db, mem.snap_id, err) < 0)
		goto out;
	path = rhv_sd_volume_path(mem.root, mem.image_id, mem.volume_id);
	/* each disk on its top volume now: the preview's layer on the snapshot's volume */
	disks = rhv_xcalloc(vm->ndisks + 1, sizeof(*disks));
	for (size_t i = 0; i < vm->ndisks; i++)
		disks[i] = (struct rhv_virt_snap_disk){ vm->disks[i].target, vm->disks[i].path };
	dom = rhv_virt_restore_memory(c, path, disks, vm->ndisks, false, err);
	if (dom)
		*resumed = true;
	else
		rhv_error_hint(err, "the memory of snapshot %s is not tried again: the next start boots from the disks",
			       mem.snap_id);
out:
	free(disks);
	rhv_db_snap_restore_clear(&mem);
	return dom;
}
