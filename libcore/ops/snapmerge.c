/*
 * rhv-snap delete: the layer above the snapshot's volume is merged into
 * it, one job per disk recorded with the claim, so that whatever stops the
 * command, resume carries the merge on from where the store and the guest
 * say it is (rhv/snap.h tells why a merge is only ever finished).
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ops/guest.h"
#include "ops/snap-priv.h"
#include "rhv/cleanup.h"
#include "rhv/event.h"
#include "rhv/progress.h"
#include "rhv/sdmeta.h"
#include "rhv/virtsnap.h"
#include "rhv/vm.h"
#include "storage/snapvol.h"

static const char *const delete_states[] = { RHV_VM_DOWN, RHV_VM_UP, RHV_VM_PAUSED, NULL };

/* How often a running merge's progress is written to the store. */
#define PROGRESS_EVERY_MS 1000
#define POLL_MS 100

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- planning ---- */

/* The volumes above the snapshot's volume in the disk's chain: the layer merged (top) and the one above it. */
static int plan_job(const struct rhv_snap_disk *sd, const struct rhv_db_snap_disk *d, bool live,
		    struct rhv_db_snap_job *j, struct rhv_error *err)
{
	struct rhv_sd_meta m;
	struct rhv_sd_volume **chain = NULL;
	size_t n = 0, k;
	int rc = -1;

	memset(j, 0, sizeof(*j));
	if (rhv_sdmeta_read(d->root, &m, err) < 0 || rhv_sdmeta_chain(&m, d->volume_id, &chain, &n, err) < 0)
		goto out;
	for (k = 0; k < n && strcmp(chain[k]->id, sd->volume_id); k++)
		;
	if (k + 1 >= n) {
		rhv_error_set(err, RHV_EXIT_FAILED, "volume %s of the snapshot is not below the top of disk '%s'",
			      sd->volume_id, d->name);
		goto out;
	}
	snprintf(j->disk_id, sizeof(j->disk_id), "%s", d->id);
	snprintf(j->base, sizeof(j->base), "%s", sd->volume_id);
	snprintf(j->top, sizeof(j->top), "%s", chain[k + 1]->id);
	snprintf(j->child, sizeof(j->child), "%s", k + 2 < n ? chain[k + 2]->id : "");
	j->live = live;
	rc = 0;
out:
	free(chain);
	rhv_sdmeta_clear(&m);
	return rc;
}

/* ---- one disk's merge ---- */

struct merge {
	struct rhv_db *db;
	const struct rhv_snap *s;
	const struct rhv_db_snap_disk *d;
	const struct rhv_db_snap_job *j;
	const struct rhv_progress *p;
	char *what;
	int64_t last_ms;
};

static void note_progress(struct merge *x, const char *phase, uint64_t done, uint64_t total, bool force)
{
	struct rhv_error ignored = { 0 };
	int64_t t = now_ms();

	if (total)
		rhv_progress_percent(x->p, x->what, (int)(done * 100 / total));
	if (!force && t - x->last_ms < PROGRESS_EVERY_MS)
		return;
	x->last_ms = t;
	rhv_db_snap_job_progress(x->db, x->s->id, x->j->disk_id, phase, done, total, NULL, &ignored);
}

static void on_percent(void *data, double pct)
{
	note_progress(data, "merge", (uint64_t)(pct * 100), 10000, false);
}

/* Wait for the guest's block job; pivot an active commit once it is ready. */
static int follow_job(struct merge *x, struct rhv_virt_dom *dom, struct rhv_error *err)
{
	for (;;) {
		struct rhv_virt_block_job bj;

		if (rhv_virt_dom_block_job(dom, x->d->target, &bj, err) < 0)
			return -1;
		if (!bj.running)
			return 0;
		note_progress(x, bj.ready ? "pivot" : "merge", bj.cur, bj.end, false);
		if (bj.active_commit && bj.ready) {
			if (rhv_virt_dom_block_pivot(dom, x->d->target, err) == 0)
				return 0;
			if (err->code != RHV_EXIT_CONFLICT)
				return -1;
			rhv_error_clear(err);
		}
		usleep(POLL_MS * 1000);
	}
}

static int merge_live(struct merge *x, struct rhv_virt_dom *dom, struct rhv_error *err)
{
	_cleanup_free_ char *base = rhv_snap_path(x->d, x->j->base), *top = rhv_snap_path(x->d, x->j->top);
	struct rhv_virt_block_job bj;
	bool has, is_top;

	if (rhv_snap_guest_has(dom, x->d->target, x->j->top, &has, &is_top, err) < 0)
		return -1;
	if (!has)
		return 0; /* the guest finished it before we were stopped */
	if (rhv_virt_dom_block_job(dom, x->d->target, &bj, err) < 0)
		return -1;
	if (!bj.running && rhv_virt_dom_block_commit(dom, x->d->target, base, top, is_top, err) < 0)
		return -1;
	if (follow_job(x, dom, err) < 0)
		return -1;
	if (rhv_snap_guest_has(dom, x->d->target, x->j->top, &has, &is_top, err) < 0)
		return -1;
	if (has)
		return rhv_error_set(err, RHV_EXIT_FAILED, "the guest still reads volume %s after its merge ended",
				     x->j->top);
	return 0;
}

/*
 * Through the guest while it runs; with qemu-img when it does not (also
 * when it stopped half-way: the layer above still holds all it held).
 */
static int merge_disk(struct merge *x, const struct rhv_db_snap_vm *vm, const struct rhv_spm_token *tok,
		      struct rhv_error *err)
{
	struct rhv_snapvol_merge mg = { x->d->id, x->j->base, x->j->top, x->j->child[0] ? x->j->child : NULL };
	char format[16], allocation[16];
	bool guest_did = false, found;
	struct rhv_qimg_as as;

	if (rhv_snap_running(vm->state) && vm->host_id[0]) {
		struct rhv_virt_conn *conn = NULL;
		struct rhv_virt_dom *dom = rhv_ops_running_domain(x->db, vm->host_id, vm->id, &conn, err);
		int rc = 0;

		if (dom) {
			rc = merge_live(x, dom, err);
			guest_did = rc == 0;
		} else if (err->code == RHV_EXIT_NOTFOUND) {
			rhv_error_clear(err); /* it stopped: qemu-img does the rest */
		} else {
			rc = -1;
		}
		rhv_virt_dom_free(dom);
		rhv_virt_close(conn);
		if (rc < 0)
			return -1;
	}
	note_progress(x, "cleanup", 1, 1, true);
	if (guest_did) {
		if (rhv_snapvol_merged(tok, x->d->root, &mg, err) < 0)
			return -1;
	} else if (rhv_snap_owner(x->d->root, &as, err) < 0 ||
		   rhv_snapvol_merge(tok, x->d->root, &as, &mg, on_percent, x, err) < 0) {
		return -1;
	}
	if (rhv_snapvol_lookup(x->d->root, x->j->base, &found, format, allocation, err) < 0)
		return -1;
	if (!found)
		return rhv_error_set(err, RHV_EXIT_FAILED, "volume %s is missing from the domain's metadata", x->j->base);
	return rhv_db_snap_job_done(x->db, x->s->id, x->j, format, allocation, err);
}

static void record_failure(struct rhv_db *db, const struct rhv_snap *s, const char *disk_id, const char *why)
{
	struct rhv_error ignored = { 0 };

	rhv_db_snap_job_progress(db, s->id, disk_id, "merge", 0, 0, why, &ignored);
	rhv_db_snap_note_error(db, s->id, why, &ignored);
	rhv_event_add(db, RHV_SEV_ERROR, "vm", s->vm_id, s->vm, "snapshot-delete-failed", &ignored,
		      "merge of snapshot %s of VM '%s' stopped: %s (rhv-snap resume carries it on)", s->id, s->vm, why);
}

int rhv_snap_run_merges(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_progress *p,
			struct rhv_error *err)
{
	struct rhv_db_snap_job *jobs = NULL;
	struct rhv_db_snap_vm vm;
	struct rhv_spm_token tok;
	bool have_tok = false, live = false;
	size_t n = 0;
	int rc = -1;

	memset(&vm, 0, sizeof(vm));
	if (rhv_db_snap_jobs_of(db, s->id, &jobs, &n, err) < 0 || rhv_db_snap_vm_get(db, s->vm_id, &vm, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(&vm, jobs[i].disk_id);
		struct merge x = { db, s, d, &jobs[i], p, NULL, 0 };
		int r;

		if (!d || !d->root) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "a disk of snapshot %s is no longer attached to VM '%s'", s->id,
				      vm.name);
			goto fail;
		}
		if (!have_tok && rhv_snap_token(db, d, p, &tok, err) < 0)
			goto fail;
		have_tok = true;
		x.what = rhv_xasprintf("merging disk '%s'", d->name);
		r = merge_disk(&x, &vm, &tok, err);
		free(x.what);
		if (r < 0) {
			record_failure(db, s, jobs[i].disk_id, err->message);
			goto out;
		}
		live |= jobs[i].live;
	}
	/* its memory image too, before the row that names it goes */
	if (rhv_snap_memory_drop(db, s, err) < 0)
		goto fail;
	{
		_cleanup_free_ char *msg =
			rhv_xasprintf("snapshot %s%s%s%s of VM '%s' deleted: its layers merged (%s)%s", s->id,
				      *s->description ? " '" : "", s->description, *s->description ? "'" : "", s->vm,
				      live ? "live" : "VM down", rhv_snap_has_memory(s) ? ", its memory image removed" : "");
		struct rhv_db_snap_finish f = { .outcome = RHV_SNAP_DROPPED, .snap_id = s->id, .vm_id = s->vm_id,
						.vm = s->vm, .severity = RHV_SEV_NORMAL, .action = "snapshot-delete",
						.message = msg };

		rc = rhv_db_snap_finish(db, &f, err);
	}
	goto out;
fail:
	record_failure(db, s, n ? jobs[0].disk_id : "", err->message);
out:
	free(jobs);
	rhv_db_snap_vm_clear(&vm);
	return rc;
}

/* ---- delete ---- */

static int claim_delete(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_db_snap_vm *vm,
			struct rhv_error *err)
{
	struct rhv_db_snap_job *jobs = rhv_xcalloc(s->ndisks + 1, sizeof(*jobs));
	const char **ids = rhv_xcalloc(s->ndisks + 1, sizeof(*ids)), **tops = rhv_xcalloc(s->ndisks + 1, sizeof(*tops));
	int rc = -1;

	if (rhv_db_snap_precheck(db, "delete", vm->id, s->id, vm->name, err) < 0)
		goto out;
	for (size_t i = 0; i < s->ndisks; i++) {
		const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(vm, s->disks[i].id);

		if (!d || !d->root) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' of snapshot %s is no longer attached to VM '%s'",
				      s->disks[i].name, s->id, vm->name);
			goto out;
		}
		if (plan_job(&s->disks[i], d, rhv_snap_running(vm->state), &jobs[i], err) < 0)
			goto out;
		ids[i] = d->id;
		tops[i] = d->volume_id;
	}
	{
		struct rhv_db_snap_claim c = { .op = "delete", .vm_id = vm->id, .snap_id = s->id, .states = delete_states,
					       .ndisks = s->ndisks, .disk_ids = ids, .disk_tops = tops, .jobs = jobs,
					       .njobs = s->ndisks };

		rc = rhv_db_snap_claim(db, &c, err);
	}
out:
	free(jobs);
	free(ids);
	free(tops);
	return rc;
}

static const char **disk_ids(const struct rhv_snap *s)
{
	const char **ids = rhv_xcalloc(s->ndisks + 1, sizeof(*ids));

	for (size_t i = 0; i < s->ndisks; i++)
		ids[i] = s->disks[i].id;
	return ids;
}

int rhv_snap_delete(struct rhv_db *db, const char *snap, const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_db_snap_vm vm;
	struct rhv_snap s;
	_cleanup_free_ const char **ids = NULL;
	int rc = -1;

	memset(&vm, 0, sizeof(vm));
	if (rhv_db_snap_get(db, snap, &s, err) < 0 || rhv_db_snap_vm_get(db, s.vm_id, &vm, err) < 0 ||
	    rhv_snap_lock_vm(db, &vm, err) < 0)
		goto out;
	ids = disk_ids(&s);
	if (claim_delete(db, &s, &vm, err) < 0) {
		rhv_snap_unlock(db, vm.id, NULL, 0);
		goto out;
	}
	rhv_progress_note(p, "deleting snapshot %s of VM '%s': merging %zu %s%s", s.id, vm.name, s.ndisks,
			  s.ndisks == 1 ? "disk" : "disks", rhv_snap_running(vm.state) ? " live" : "");
	rc = rhv_snap_run_merges(db, &s, p, err);
	if (rc == 0)
		rhv_progress_note(p, "snapshot %s of VM '%s' deleted", s.id, vm.name);
	rhv_snap_unlock(db, vm.id, ids, s.ndisks);
out:
	rhv_snap_clear(&s);
	rhv_db_snap_vm_clear(&vm);
	return rc;
}
