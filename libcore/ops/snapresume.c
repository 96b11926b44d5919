/*
 * rhv-snap resume: settle the snapshot operations whose process is gone
 * (rhv/snap.h): a create or a preview back (a create forward when the
 * guest may already write to its layers), a commit, an undo or a delete
 * to its end.  Files a removal left behind are swept afterwards.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/snap-priv.h"
#include "rhv/cleanup.h"
#include "rhv/progress.h"
#include "rhv/sd.h"
#include "storage/snapvol.h"

/* ---- resume ---- */

static void report(struct rhv_scrub_report *r, const char *object, const char *action, const char *reason)
{
	if (!r)
		return;
	r->items = rhv_xrealloc(r->items, (r->n + 1) * sizeof(*r->items));
	r->items[r->n++] = (struct rhv_scrub_item){ rhv_xstrdup("snapshot"), rhv_xstrdup(object), rhv_xstrdup(action),
						    rhv_xstrdup(reason) };
}

/* Carry the snapshot's operation on; *action says what became of it. */
static int settle(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_progress *p, const char **action,
		  struct rhv_error *err)
{
	const char *op = s->operation ? s->operation : "";
	_cleanup_free_ char *why = rhv_xasprintf("'%s' was interrupted", op);
	bool forward;
	int rc;

	if (!strcmp(op, "create")) {
		rc = rhv_snap_settle_create(db, s, why, &forward, err);
		*action = forward ? "completed" : "rolled back";
		return rc;
	}
	if (!strcmp(op, "preview")) {
		*action = "rolled back";
		return rhv_snap_roll_back(db, s, why, err);
	}
	*action = "completed";
	if (!strcmp(op, "commit"))
		return rhv_snap_run_commit(db, s, p, err);
	if (!strcmp(op, "undo"))
		return rhv_snap_run_undo(db, s, p, err);
	if (!strcmp(op, "delete"))
		return rhv_snap_run_merges(db, s, p, err);
	return rhv_error_set(err, RHV_EXIT_FAILED, "snapshot %s is Locked by an unknown operation '%s'", s->id, op);
}

/* What a removal left in the disks' directories goes once the operation is settled. */
static void sweep(struct rhv_db *db, const struct rhv_snap *s)
{
	struct rhv_db_snap_vm vm;
	struct rhv_error ignored = { 0 };

	if (rhv_db_snap_vm_get(db, s->vm_id, &vm, &ignored) == 0)
		for (size_t i = 0; i < s->ndisks; i++) {
			const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(&vm, s->disks[i].id);

			if (d && d->root)
				rhv_snapvol_sweep(d->root, d->id, &ignored);
		}
	rhv_db_snap_vm_clear(&vm);
}

static int resume_one(struct rhv_db *db, const struct rhv_db_snap_pending *pend, const struct rhv_progress *p,
		      struct rhv_scrub_report *out, struct rhv_error *err)
{
	struct rhv_db_snap_vm vm;
	struct rhv_snap s;
	const char **ids = NULL, *action = "kept";
	int rc = 0;

	memset(&s, 0, sizeof(s));
	if (rhv_db_snap_vm_get(db, pend->vm_id, &vm, err) < 0)
		goto done;
	if (rhv_snap_lock_vm(db, &vm, err) < 0) {
		rhv_error_clear(err);
		report(out, pend->snap_id, "kept", "its operation is still running");
		goto done;
	}
	if (rhv_db_snap_get(db, pend->snap_id, &s, err) < 0 || strcmp(s.status, "Locked")) {
		rc = s.status ? 0 : -1; /* finished meanwhile: nothing to do */
		rhv_snap_unlock(db, vm.id, NULL, 0);
		goto done;
	}
	ids = rhv_xcalloc(s.ndisks + 1, sizeof(*ids));
	for (size_t i = 0; i < s.ndisks; i++)
		ids[i] = s.disks[i].id;
	if (!rhv_snap_lock_disks(db, ids, s.ndisks)) {
		rhv_snap_unlock(db, vm.id, NULL, 0);
		report(out, s.id, "kept", "a disk of it is busy with another operation");
		goto done;
	}
	rc = settle(db, &s, p, &action, err);
	if (rc == 0) {
		sweep(db, &s);
		rhv_progress_note(p, "snapshot %s of VM '%s': interrupted '%s' %s", s.id, vm.name, s.operation, action);
		report(out, s.id, action, s.operation);
	} else {
		report(out, s.id, "kept", err->message);
	}
	rhv_snap_unlock(db, vm.id, ids, s.ndisks);
done:
	free(ids);
	rhv_snap_clear(&s);
	rhv_db_snap_vm_clear(&vm);
	return rc;
}

int rhv_snap_resume(struct rhv_db *db, const char *vm, const struct rhv_progress *p, struct rhv_scrub_report *out,
		    struct rhv_error *err)
{
	struct rhv_db_snap_pending *pend = NULL;
	char vm_id[37] = "";
	size_t n = 0;
	int rc = 0;

	if (vm) {
		struct rhv_db_snap_vm v;

		if (rhv_db_snap_vm_get(db, vm, &v, err) < 0) {
			rhv_db_snap_vm_clear(&v);
			return -1;
		}
		snprintf(vm_id, sizeof(vm_id), "%s", v.id);
		rhv_db_snap_vm_clear(&v);
	}
	if (rhv_db_snap_pending(db, vm ? vm_id : NULL, &pend, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct rhv_error e = { 0 };

		if (resume_one(db, &pend[i], p, out, &e) < 0 && rc == 0) {
			*err = e; /* the first failure is the one reported */
			rc = -1;
		}
		rhv_error_clear(&e);
	}
	free(pend);
	return rc;
}
