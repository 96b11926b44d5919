/*
 * rhv-snap preview, commit and undo (reference 8.4), on the volume chain as
 * vdsm does them: libvirt cannot revert to an external snapshot.  A
 * preview puts a new layer on each of the snapshot's volumes and keeps the
 * active layers aside; commit drops what was kept aside, undo drops the
 * preview layers.  A preview is undone after a crash; commit and undo are
 * finished (each step may be repeated).
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/snap-priv.h"
#include "rhv/cleanup.h"
#include "rhv/event.h"
#include "rhv/parse.h"
#include "rhv/progress.h"
#include "rhv/sdmeta.h"
#include "rhv/vm.h"
#include "storage/snapvol.h"

static const char *const down_only[] = { RHV_VM_DOWN, NULL };

/* The snapshot's disks as the VM has them; each must still be attached, on a file domain. */
static int vm_disks(const struct rhv_snap *s, const struct rhv_db_snap_vm *vm, const struct rhv_db_snap_disk **out,
		    struct rhv_error *err)
{
	for (size_t i = 0; i < s->ndisks; i++) {
		out[i] = rhv_snap_vm_disk(vm, s->disks[i].id);
		if (!out[i] || !out[i]->root)
			return rhv_error_set(err, RHV_EXIT_CONFLICT,
					     "disk '%s' of snapshot %s is no longer attached to VM '%s'", s->disks[i].name,
					     s->id, vm->name);
	}
	return 0;
}

/* Claim op on the snapshot's disks, with new layers (preview) or none. */
static int claim(struct rhv_db *db, const char *op, const struct rhv_snap *s, const struct rhv_db_snap_vm *vm,
		 const struct rhv_db_snap_disk **d, const char *const *news, bool restore_memory, struct rhv_error *err)
{
	const char **ids = rhv_xcalloc(s->ndisks + 1, sizeof(*ids)), **tops = rhv_xcalloc(s->ndisks + 1, sizeof(*tops));
	struct rhv_db_snap_claim c = { .op = op, .vm_id = vm->id, .snap_id = s->id, .states = down_only,
				       .ndisks = s->ndisks, .disk_ids = ids, .disk_tops = tops, .new_volumes = news,
				       .restore_memory = restore_memory };
	int rc;

	for (size_t i = 0; i < s->ndisks; i++) {
		ids[i] = d[i]->id;
		tops[i] = d[i]->volume_id;
	}
	rc = rhv_db_snap_claim(db, &c, err);
	free(ids);
	free(tops);
	return rc;
}

/*
 * Lock the VM, claim, re-read the snapshot as claimed into *s, run step,
 * let the locks go.
 */
typedef int (*step_fn)(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_progress *p,
		       struct rhv_error *err);

static int run_claimed(struct rhv_db *db, const char *op, struct rhv_snap *s, const char *const *news,
		       bool restore_memory, step_fn step, const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_db_snap_vm vm;
	size_t n = s->ndisks;
	const struct rhv_db_snap_disk **d = rhv_xcalloc(n + 1, sizeof(*d));
	const char **ids = rhv_xcalloc(n + 1, sizeof(*ids));
	char id[37], (*idbuf)[37] = rhv_xcalloc(n + 1, sizeof(*idbuf));
	int rc = -1;

	/* copies: the snapshot is read again once claimed */
	snprintf(id, sizeof(id), "%s", s->id);
	for (size_t i = 0; i < n; i++) {
		snprintf(idbuf[i], sizeof(idbuf[i]), "%s", s->disks[i].id);
		ids[i] = idbuf[i];
	}
	if (rhv_db_snap_vm_get(db, s->vm_id, &vm, err) < 0 || vm_disks(s, &vm, d, err) < 0 ||
	    rhv_snap_lock_vm(db, &vm, err) < 0)
		goto out;
	if (claim(db, op, s, &vm, d, news, restore_memory, err) < 0) {
		rhv_snap_unlock(db, vm.id, NULL, 0);
		goto out;
	}
	rhv_snap_clear(s);
	if (rhv_db_snap_get(db, id, s, err) == 0)
		rc = step(db, s, p, err);
	rhv_snap_unlock(db, vm.id, ids, n);
out:
	free(d);
	free(ids);
	free(idbuf);
	rhv_db_snap_vm_clear(&vm);
	return rc;
}

/* ---- preview ---- */

static int make_preview(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_progress *p,
			struct rhv_error *err)
{
	struct rhv_db_snap_vm vm;
	struct rhv_spm_token tok;
	_cleanup_free_ char *msg = NULL;
	int rc = -1;

	if (rhv_db_snap_vm_get(db, s->vm_id, &vm, err) < 0)
		goto out;
	for (size_t i = 0; i < s->ndisks; i++) {
		const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(&vm, s->disks[i].id);
		struct rhv_snapvol_layer l = { s->disks[i].id, s->disks[i].volume_id, s->disks[i].new_volume_id };
		struct rhv_qimg_as as;

		if (!d || !d->root) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' left VM '%s' during the preview", s->disks[i].name,
				      s->vm);
			goto fail;
		}
		if ((i == 0 && rhv_snap_token(db, d, p, &tok, err) < 0) || rhv_snap_owner(d->root, &as, err) < 0 ||
		    rhv_snapvol_add(&tok, d->root, &as, &l, 1, err) < 0)
			goto fail;
	}
	msg = rhv_xasprintf("VM '%s' previews snapshot %s%s%s%s: %zu %s on new layers, %llu MiB, %d vCPUs%s", s->vm,
			    s->id, *s->description ? " '" : "", s->description, *s->description ? "'" : "", s->ndisks,
			    s->ndisks == 1 ? "disk" : "disks", (unsigned long long)(s->memory >> 20), s->vcpus,
			    s->restore_memory ? "; its next start resumes the guest from the saved memory" : "");
	{
		struct rhv_db_snap_finish f = { .outcome = RHV_SNAP_PREVIEWED, .snap_id = s->id, .vm_id = s->vm_id,
						.vm = s->vm, .severity = RHV_SEV_NORMAL, .action = "snapshot-preview",
						.message = msg };

		rc = rhv_db_snap_finish(db, &f, err);
	}
	/* refused by the store (a NIC's MAC taken since), so surely not recorded: the layers go */
	if (rc < 0 && err->code == RHV_EXIT_CONFLICT)
		goto fail;
	if (rc == 0)
		rhv_progress_note(p, "%s", msg);
	goto out;
fail : {
	struct rhv_error e2 = { 0 };

	if (rhv_snap_roll_back(db, s, err->message, &e2) < 0)
		rhv_progress_warn(p, "the preview could not be undone (%s): rhv-snap resume %s will", e2.message, s->vm);
	rhv_error_clear(&e2);
}
out:
	rhv_db_snap_vm_clear(&vm);
	return rc;
}

int rhv_snap_preview(struct rhv_db *db, const char *snap, int restore_memory, const struct rhv_progress *p,
		     struct rhv_error *err)
{
	struct rhv_snap s;
	char (*ids)[37] = NULL;
	const char **news = NULL;
	int rc = -1;

	if (rhv_db_snap_get(db, snap, &s, err) < 0)
		goto out;
	if (restore_memory > 0 && !rhv_snap_has_memory(&s)) {
		rc = rhv_error_set(err, RHV_EXIT_CONFLICT, "snapshot %s has no saved memory to restore%s", s.id,
				   s.memory_image_id[0] ? ": its storage domain is gone" : "");
		goto out;
	}
	ids = rhv_xcalloc(s.ndisks + 1, sizeof(*ids));
	news = rhv_xcalloc(s.ndisks + 1, sizeof(*news));
	for (size_t i = 0; i < s.ndisks; i++) {
		rhv_uuid_new(ids[i]);
		news[i] = ids[i];
	}
	rc = run_claimed(db, "preview", &s, news, restore_memory != 0 && rhv_snap_has_memory(&s), make_preview, p, err);
out:
	free(ids);
	free(news);
	rhv_snap_clear(&s);
	return rc;
}

/* ---- commit ---- */

/* The volumes of the chain kept aside above the snapshot's volume, the top first. */
static int aside_branch(const struct rhv_db_snap_disk *d, const char *snap_volume, const char ***images,
			const char ***ids, size_t *n, struct rhv_sd_meta *m, struct rhv_error *err)
{
	struct rhv_sd_volume **chain = NULL;
	size_t len = 0;

	*n = 0;
	if (rhv_sdmeta_read(d->root, m, err) < 0)
		return -1;
	/* gone from the metadata: removed before a crash (their files are swept) */
	if (!rhv_sdmeta_find_volume(m, d->aside_volume_id, NULL))
		return 0;
	if (rhv_sdmeta_chain(m, d->aside_volume_id, &chain, &len, err) < 0)
		return -1;
	*images = rhv_xcalloc(len + 1, sizeof(**images));
	*ids = rhv_xcalloc(len + 1, sizeof(**ids));
	for (size_t i = len; i-- > 0 && strcmp(chain[i]->id, snap_volume);) {
		(*images)[*n] = d->id;
		(*ids)[(*n)++] = chain[i]->id;
	}
	free(chain);
	return 0;
}

/* The memory images of the snapshots taken after s, which the commit drops (before their rows go). */
static int drop_later_memory(struct rhv_db *db, const struct rhv_snap *s, struct rhv_error *err)
{
	struct rhv_snap_list all;
	bool after = false;
	int rc = 0;

	if (rhv_db_snap_list(db, s->vm_id, &all, err) < 0)
		return -1;
	/* oldest first: those after s in the list */
	for (size_t i = 0; i < all.n && rc == 0; i++) {
		if (after)
			rc = rhv_snap_memory_drop(db, &all.items[i], err);
		after |= !strcmp(all.items[i].id, s->id);
	}
	rhv_snap_list_clear(&all);
	return rc;
}

int rhv_snap_run_commit(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_progress *p,
			struct rhv_error *err)
{
	struct rhv_db_snap_vm vm;
	struct rhv_spm_token tok;
	_cleanup_free_ char *msg = NULL;
	bool have_tok = false;
	size_t dropped = 0;
	int rc = -1;

	if (rhv_db_snap_vm_get(db, s->vm_id, &vm, err) < 0)
		goto out;
	for (size_t i = 0; i < s->ndisks; i++) {
		const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(&vm, s->disks[i].id);
		_cleanup_free_ const char **images = NULL, **ids = NULL;
		struct rhv_sd_meta m;
		size_t n = 0;
		int r;

		if (!d || !d->root || !d->aside_volume_id[0])
			continue;
		memset(&m, 0, sizeof(m));
		r = aside_branch(d, s->disks[i].volume_id, &images, &ids, &n, &m, err);
		if (r == 0 && n && !have_tok) {
			r = rhv_snap_token(db, d, p, &tok, err);
			have_tok = r == 0;
		}
		if (r == 0)
			r = rhv_snapvol_remove(&tok, d->root, images, ids, n, err);
		rhv_sdmeta_clear(&m);
		if (r < 0 || rhv_snapvol_sweep(d->root, d->id, err) < 0)
			goto out;
		dropped += n;
	}
	if (drop_later_memory(db, s, err) < 0)
		goto out;
	msg = rhv_xasprintf("VM '%s' keeps snapshot %s%s%s%s as previewed: %zu %s after it dropped", s->vm, s->id,
			    *s->description ? " '" : "", s->description, *s->description ? "'" : "", dropped,
			    dropped == 1 ? "layer" : "layers");
	{
		struct rhv_db_snap_finish f = { .outcome = RHV_SNAP_COMMITTED, .snap_id = s->id, .vm_id = s->vm_id,
						.vm = s->vm, .severity = RHV_SEV_NORMAL, .action = "snapshot-commit",
						.message = msg };

		rc = rhv_db_snap_finish(db, &f, err);
	}
	if (rc == 0)
		rhv_progress_note(p, "%s", msg);
out:
	rhv_db_snap_vm_clear(&vm);
	return rc;
}

/* ---- undo ---- */

int rhv_snap_run_undo(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_progress *p,
		      struct rhv_error *err)
{
	struct rhv_db_snap_vm vm;
	struct rhv_spm_token tok;
	const char **ids = rhv_xcalloc(s->ndisks + 1, sizeof(*ids)), **formats = rhv_xcalloc(s->ndisks + 1, sizeof(*formats)),
		   **allocs = rhv_xcalloc(s->ndisks + 1, sizeof(*allocs));
	char (*fmt)[16] = rhv_xcalloc(s->ndisks + 1, sizeof(*fmt)), (*alloc)[16] = rhv_xcalloc(s->ndisks + 1, sizeof(*alloc));
	_cleanup_free_ char *msg = NULL;
	size_t n = 0;
	int rc = -1;

	if (rhv_db_snap_vm_get(db, s->vm_id, &vm, err) < 0)
		goto out;
	for (size_t i = 0; i < s->ndisks; i++) {
		const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(&vm, s->disks[i].id);
		const char *image = s->disks[i].id, *preview = s->disks[i].new_volume_id;
		bool found;

		if (!d || !d->root || !d->aside_volume_id[0])
			continue;
		if ((n == 0 && rhv_snap_token(db, d, p, &tok, err) < 0) ||
		    rhv_snapvol_lookup(d->root, d->aside_volume_id, &found, fmt[n], alloc[n], err) < 0)
			goto out;
		if (!found) {
			rhv_error_set(err, RHV_EXIT_FAILED, "volume %s kept aside for disk '%s' is missing from the metadata",
				      d->aside_volume_id, d->name);
			goto out;
		}
		/* the top is the preview layer until the finish: never remove anything else */
		if (preview[0] && !strcmp(d->volume_id, preview) &&
		    rhv_snapvol_remove(&tok, d->root, &image, &preview, 1, err) < 0)
			goto out;
		ids[n] = d->id;
		formats[n] = fmt[n];
		allocs[n] = alloc[n];
		n++;
	}
	msg = rhv_xasprintf("VM '%s' is back to its state before the preview of snapshot %s", s->vm, s->id);
	{
		struct rhv_db_snap_finish f = { .outcome = RHV_SNAP_UNDONE, .snap_id = s->id, .vm_id = s->vm_id,
						.vm = s->vm, .ndisks = n, .disk_ids = ids, .formats = formats,
						.allocations = allocs, .severity = RHV_SEV_NORMAL, .action = "snapshot-undo",
						.message = msg };

		rc = rhv_db_snap_finish(db, &f, err);
	}
	if (rc == 0)
		rhv_progress_note(p, "%s", msg);
out:
	free(ids);
	free(formats);
	free(allocs);
	free(fmt);
	free(alloc);
	rhv_db_snap_vm_clear(&vm);
	return rc;
}

/* commit and undo name the VM: the snapshot is the one it previews */
static int previewed(struct rhv_db *db, const char *vm, struct rhv_snap *s, struct rhv_error *err)
{
	struct rhv_db_snap_vm v;
	int rc;

	memset(s, 0, sizeof(*s));
	if (rhv_db_snap_vm_get(db, vm, &v, err) < 0) {
		rhv_db_snap_vm_clear(&v);
		return -1;
	}
	if (!v.preview_id[0])
		rc = rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is not previewing a snapshot", v.name);
	else
		rc = rhv_db_snap_get(db, v.preview_id, s, err);
	rhv_db_snap_vm_clear(&v);
	return rc;
}

int rhv_snap_commit(struct rhv_db *db, const char *vm, const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_snap s;
	int rc = previewed(db, vm, &s, err);

	if (rc == 0)
		rc = run_claimed(db, "commit", &s, NULL, false, rhv_snap_run_commit, p, err);
	rhv_snap_clear(&s);
	return rc;
}

int rhv_snap_undo(struct rhv_db *db, const char *vm, const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_snap s;
	int rc = previewed(db, vm, &s, err);

	if (rc == 0)
		rc = run_claimed(db, "undo", &s, NULL, false, rhv_snap_run_undo, p, err);
	rhv_snap_clear(&s);
	return rc;
}
