/*
 * How a snapshot create or preview ends: forward (the create's layers in
 * the store as the snapshot's) or back (the layers it made removed), and
 * the choice between the two for a create that was interrupted.  Create,
 * preview and resume all end here, so calls go one way.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/guest.h"
#include "ops/snap-priv.h"
#include "rhv/cleanup.h"
#include "rhv/event.h"
#include "rhv/virtsnap.h"
#include "storage/snapvol.h"

/* ---- the finish, and the way back ---- */

int rhv_snap_finish_create(struct rhv_db *db, const struct rhv_snap *s, bool quiesced, const char *how,
			   struct rhv_error *err)
{
	_cleanup_free_ char *msg = NULL, *mem = NULL;
	struct rhv_db_snap_finish f = { .outcome = RHV_SNAP_CREATED, .snap_id = s->id, .vm_id = s->vm_id, .vm = s->vm,
					.quiesced = quiesced, .severity = RHV_SEV_NORMAL, .action = "snapshot-create" };

	/* the memory image into the metadata before the store says the snapshot has it */
	if (rhv_snap_memory_keep(db, s, &f.memory_bytes, err) < 0)
		return -1;
	if (s->memory_image_id[0])
		mem = rhv_xasprintf(", with %llu MiB of guest memory",
				    (unsigned long long)((f.memory_bytes + (1 << 20) - 1) >> 20));
	msg = rhv_xasprintf("snapshot %s%s%s%s of VM '%s' created (%zu %s%s%s%s)", s->id, *s->description ? " '" : "",
			    s->description, *s->description ? "'" : "", s->vm, s->ndisks, s->ndisks == 1 ? "disk" : "disks",
			    mem ? mem : "", how ? ", " : "", how ? how : "");
	f.message = msg;
	return rhv_db_snap_finish(db, &f, err);
}

int rhv_snap_roll_back(struct rhv_db *db, const struct rhv_snap *s, const char *why, struct rhv_error *err)
{
	struct rhv_db_snap_vm vm;
	struct rhv_spm_token tok;
	bool create = s->operation && !strcmp(s->operation, "create");
	_cleanup_free_ char *msg = NULL;
	bool have_tok = false;
	int rc = -1;

	if (rhv_db_snap_vm_get(db, s->vm_id, &vm, err) < 0)
		goto out;
	for (size_t i = 0; i < s->ndisks; i++) {
		const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(&vm, s->disks[i].id);
		const char *image = s->disks[i].id, *vol = s->disks[i].new_volume_id;

		if (!vol[0] || !d || !d->root)
			continue; /* nothing made on it, or nothing we can reach: scrub's */
		if (!have_tok) {
			if (rhv_snap_token(db, d, NULL, &tok, err) < 0)
				goto out;
			have_tok = true;
		}
		if (rhv_snapvol_remove(&tok, d->root, &image, &vol, 1, err) < 0)
			goto out;
	}
	/* whatever libvirt wrote of the guest's memory goes with the create */
	if (create && rhv_snap_memory_drop(db, s, err) < 0)
		goto out;
	msg = rhv_xasprintf("%s of snapshot %s of VM '%s' undone: %s", create ? "creation" : s->operation, s->id, s->vm,
			    why);
	{
		struct rhv_db_snap_finish f = { .outcome = create ? RHV_SNAP_DROPPED : RHV_SNAP_RELEASED,
						.snap_id = s->id, .vm_id = s->vm_id, .vm = s->vm,
						.severity = RHV_SEV_WARNING,
						.action = create ? "snapshot-create-failed" : "snapshot-preview-failed",
						.message = msg };

		rc = rhv_db_snap_finish(db, &f, err);
	}
out:
	rhv_db_snap_vm_clear(&vm);
	return rc;
}

/* ---- an interrupted create ---- */

/* Are the create's layers all in the metadata? */
static int layers_in_place(const struct rhv_snap *s, const struct rhv_db_snap_vm *vm, bool *all,
			   struct rhv_error *err)
{
	*all = true;
	for (size_t i = 0; i < s->ndisks && *all; i++) {
		const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(vm, s->disks[i].id);

		if (!d || !d->root || !s->disks[i].new_volume_id[0])
			*all = false;
		else if (rhv_snapvol_lookup(d->root, s->disks[i].new_volume_id, all, NULL, NULL, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * May the guest be writing to the new layers?  *seen: its chain was read
 * and has them (false when it is not running: then it may have stopped
 * before or after its switch).  -1: cannot be told now.
 */
static int guest_uses_layers(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_db_snap_vm *vm,
			     bool *uses, bool *seen, struct rhv_error *err)
{
	struct rhv_virt_conn *conn = NULL;
	struct rhv_virt_dom *dom;
	const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(vm, s->disks[0].id);
	bool top;
	int rc = 0;

	/* not running (any more): whatever it wrote is in the new layers, keep them */
	*uses = true;
	*seen = false;
	if (!rhv_snap_running(vm->state) || !vm->host_id[0])
		return 0;
	dom = rhv_ops_running_domain(db, vm->host_id, vm->id, &conn, err);
	if (dom) {
		/* a switch asked by a process since killed may still be under way in the daemon (saving memory) */
		rc = rhv_virt_dom_wait_jobs(dom, 120 * 1000, err);
		if (rc == 0)
			rc = rhv_snap_guest_has(dom, d->target, s->disks[0].new_volume_id, uses, &top, err);
		*seen = rc == 0 && *uses;
	} else if (err->code == RHV_EXIT_NOTFOUND)
		rhv_error_clear(err);
	else
		rc = -1;
	rhv_virt_dom_free(dom);
	rhv_virt_close(conn);
	return rc;
}

int rhv_snap_settle_create(struct rhv_db *db, const struct rhv_snap *s, const char *why, bool *forward,
			   struct rhv_error *err)
{
	struct rhv_db_snap_vm vm;
	bool all = false, switching = false, seen = false;
	int rc = -1;

	*forward = false;
	if (rhv_db_snap_vm_get(db, s->vm_id, &vm, err) < 0 || layers_in_place(s, &vm, &all, err) < 0 ||
	    rhv_db_snap_switching(db, s->id, &switching, err) < 0)
		goto out;
	/* the guest was never asked to switch: the layers are unused, whatever else happened */
	if (all && s->live && switching && guest_uses_layers(db, s, &vm, forward, &seen, err) < 0)
		goto out;
	/*
	 * libvirt writes the memory before it switches the disks: a guest seen
	 * on its new layers finished it.  One that stopped may have stopped
	 * half-way: its memory cannot be trusted, the disks are kept without it.
	 */
	if (*forward && s->memory_image_id[0] && !seen) {
		struct rhv_snap without = *s;

		if (rhv_db_snap_forget_memory(db, s->id, err) < 0 || rhv_snap_memory_drop(db, s, err) < 0)
			goto out;
		without.memory_image_id[0] = '\0';
		rc = rhv_snap_finish_create(db, &without, false,
					    "completed after an interruption without its memory: the guest stopped", err);
	} else if (*forward)
		rc = rhv_snap_finish_create(db, s, false, "completed after an interruption: the guest uses its layers",
					    err);
	else
		rc = rhv_snap_roll_back(db, s, why, err);
out:
	rhv_db_snap_vm_clear(&vm);
	return rc;
}
