/*
 * Scrub: after operations killed half-way, make storage, metadata and store
 * agree again (the protocol is in disk.h).  A disk whose operation is still
 * running (its process holds the disk's session lock) is never touched.
 */
#include "rhv/common.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rhv/disk.h"
#include "rhv/event.h"
#include "rhv/progress.h"
#include "rhv/qimg.h"
#include "rhv/snap.h"
#include "rhv/cleanup.h"
#include "store/host.h"
#include "store/scrub.h"
#include "store/txn.h"
#include "storage/sd-priv.h"

void rhv_scrub_report_clear(struct rhv_scrub_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].what);
		free(r->items[i].object);
		free(r->items[i].action);
		free(r->items[i].reason);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}

static void report(struct rhv_scrub_report *r, const char *what, const char *object, const char *action,
		   const char *reason)
{
	r->items = rhv_xrealloc(r->items, (r->n + 1) * sizeof(*r->items));
	r->items[r->n++] = (struct rhv_scrub_item){ rhv_xstrdup(what), rhv_xstrdup(object), rhv_xstrdup(action),
						    rhv_xstrdup(reason) };
}

/*
 * A removal on the storage, reported as what really happened: "removed",
 * or "not removed" with the error first (the report says only what scrub
 * did, and the command then fails).
 */
static void report_removal(struct rhv_scrub_report *r, const char *object, int rc, const struct rhv_error *e,
			   const char *why)
{
	_cleanup_free_ char *reason = NULL;

	if (rc == 0) {
		report(r, "file", object, "removed", why);
		return;
	}
	reason = rhv_xasprintf("%s (it was to go: %s)", e->message, why);
	report(r, "file", object, "not removed", reason);
	r->failed++;
}

struct scrub {
	struct rhv_db *db;
	struct rhv_sd_ref ref;
	bool dry_run;
	bool have_token;
	struct rhv_spm_token tok;
	struct rhv_scrub_report *out;
	char **protect; /* image ids with a live operation */
	size_t nprotect;
	char **drop;    /* image ids to drop from the metadata */
	size_t ndrop;
};

static bool listed(char **list, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], id))
			return true;
	return false;
}

static void push(char ***list, size_t *n, const char *id)
{
	*list = rhv_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = rhv_xstrdup(id);
}

static void free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static int drop_images(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	struct scrub *s = arg;

	for (size_t i = 0; i < s->ndrop; i++)
		if (rhv_sd_drop_image(m, s->drop[i], err) < 0)
			return -1;
	return 0;
}

/* Step 1: Locked disks whose process is gone: back (create, copy, move) or forward (remove, resize). */
static int settle_locked(struct scrub *s, struct rhv_error *err)
{
	struct rhv_db_scrub_disk *disks;
	size_t n;
	int rc = -1;

	if (rhv_db_scrub_locked(s->db, s->ref.id, &disks, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct rhv_db_scrub_disk *d = &disks[i];
		const char *id = d->id, *name = d->name, *op = d->operation;
		bool got, back = !strcmp(op, "create") || !strcmp(op, "copy");
		const char *done = back || !strcmp(op, "move") ? "rolled back" : "completed";
		_cleanup_free_ char *why = NULL;
		struct rhv_error ignored = { 0 };

		if (rhv_db_try_lock(s->db, "disk", id, true, &got, err) < 0)
			goto out;
		if (!got) {
			push(&s->protect, &s->nprotect, id);
			report(s->out, "disk", name, "kept", "its operation is still running");
			continue;
		}
		/* a snapshot's operation is rhv-snap resume's to settle (run first below): its volumes are not ours */
		if (!strcmp(op, "snapshot")) {
			rhv_db_try_lock(s->db, "disk", id, false, &got, &ignored);
			push(&s->protect, &s->nprotect, id);
			report(s->out, "disk", name, "kept", "an interrupted snapshot operation holds it: rhv-snap resume settles it");
			continue;
		}
		why = rhv_xasprintf("'%s' was interrupted", op);
		if (s->dry_run) {
			rhv_db_try_lock(s->db, "disk", id, false, &got, &ignored);
			push(&s->protect, &s->nprotect, id);
			report(s->out, "disk", name, back || !strcmp(op, "move") ? "would roll back" : "would complete", why);
			continue;
		}
		if (!strcmp(op, "move") && d->target_path) {
			/* the half-made copy on the target: its metadata entry (if written) goes with it */
			struct rhv_error e = { 0 };
			int rm;

			if (s->have_token)
				rhv_sd_meta_update(&s->tok, d->target_path, rhv_sd_drop_image, (void *)id, &ignored);
			rm = rhv_sd_remove_image(d->target_path, id, &e);
			report_removal(s->out, id, rm, &e, "the half-made copy on the move's target");
		}
		if (back || !strcmp(op, "remove"))
			push(&s->drop, &s->ndrop, id);
		if (rhv_db_scrub_settle(s->db, d, back || !strcmp(op, "remove"), why, done, err) < 0) {
			rhv_db_try_lock(s->db, "disk", id, false, &got, &ignored);
			goto out;
		}
		rhv_db_try_lock(s->db, "disk", id, false, &got, &ignored);
		report(s->out, "disk", name, done, why);
	}
	rc = 0;
out:
	rhv_db_scrub_disks_free(disks, n);
	return rc;
}

/* Step 2: metadata images no disk of the store accounts for. */
static int find_orphan_images(struct scrub *s, const struct rhv_sd_meta *m, struct rhv_error *err)
{
	char **ids;
	size_t n;

	if (rhv_db_scrub_disk_ids(s->db, s->ref.id, &ids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < m->nimages; i++) {
		bool known = listed(s->protect, s->nprotect, m->images[i].id) || listed(s->drop, s->ndrop, m->images[i].id);

		for (size_t j = 0; j < n && !known; j++)
			known = !strcmp(ids[j], m->images[i].id);
		if (!known) {
			push(&s->drop, &s->ndrop, m->images[i].id);
			report(s->out, "metadata", m->images[i].id, s->dry_run ? "would remove" : "removed",
			       "an image no disk of the store accounts for");
		}
	}
	rhv_db_names_free(ids, n);
	return 0;
}

static void free_entries(struct dirent **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Files of one described image's directory that are none of its volumes. */
static void find_orphan_volumes(struct scrub *s, const struct rhv_sd_image *img, const char *dir)
{
	struct dirent **v = NULL;
	int n = scandir(dir, &v, NULL, alphasort); /* sorted: reports read the same on every file system */

	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *obj = NULL, *file = NULL;
		struct rhv_error err = { 0 };
		bool known = false;
		int rm = 0;

		if (v[i]->d_name[0] == '.')
			continue;
		for (size_t k = 0; k < img->nvolumes && !known; k++)
			known = !strcmp(img->volumes[k].id, v[i]->d_name);
		if (known)
			continue;
		obj = rhv_xasprintf("%s/%s/%s", RHV_SD_IMAGES_DIR, img->id, v[i]->d_name);
		if (s->dry_run) {
			report(s->out, "file", obj, "would remove", "no metadata describes it");
			continue;
		}
		file = rhv_xasprintf("%s/%s", dir, v[i]->d_name);
		if (unlink(file) < 0 && errno != ENOENT)
			rm = rhv_error_set(&err, RHV_EXIT_FAILED, "cannot remove '%s': %s", obj, strerror(errno));
		report_removal(s->out, obj, rm, &err, "no metadata describes it");
	}
	if (n > 0)
		free_entries(v, n);
}

/* Step 3: files under images/ that the metadata (after the drops) does not describe. */
static void find_orphan_files(struct scrub *s, const struct rhv_sd_meta *m)
{
	_cleanup_free_ char *top = rhv_xasprintf("%s/%s", s->ref.path, RHV_SD_IMAGES_DIR);
	struct dirent **e = NULL;
	int n = scandir(top, &e, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *name = e[i]->d_name;
		struct rhv_sd_image *img = rhv_sdmeta_find_image(m, name);
		_cleanup_free_ char *dir = NULL;

		if (name[0] == '.' || listed(s->protect, s->nprotect, name))
			continue;
		if (!img || listed(s->drop, s->ndrop, name)) {
			_cleanup_free_ char *obj = rhv_xasprintf("%s/%s", RHV_SD_IMAGES_DIR, name);
			const char *why = img ? "its image was dropped" : "no metadata describes it";
			struct rhv_error err = { 0 };

			if (s->dry_run)
				report(s->out, "file", obj, "would remove", why);
			else
				report_removal(s->out, obj, rhv_sd_remove_image(s->ref.path, name, &err), &err, why);
			continue;
		}
		dir = rhv_xasprintf("%s/%s", top, name);
		find_orphan_volumes(s, img, dir);
	}
	if (n > 0)
		free_entries(e, n);
}

/* Step 4: volumes the metadata lists whose file is gone: the disk cannot be used. */
static int find_missing_files(struct scrub *s, const struct rhv_sd_meta *m, struct rhv_error *err)
{
	for (size_t i = 0; i < m->nimages; i++) {
		const struct rhv_sd_image *img = &m->images[i];

		if (listed(s->drop, s->ndrop, img->id) || listed(s->protect, s->nprotect, img->id))
			continue;
		for (size_t v = 0; v < img->nvolumes; v++) {
			_cleanup_free_ char *file = rhv_xasprintf("%s/%s", s->ref.path, img->volumes[v].path);

			if (access(file, F_OK) == 0)
				continue;
			report(s->out, "disk", img->name, s->dry_run ? "would mark Illegal" : "marked Illegal",
			       "a volume of its chain is missing on the storage");
			if (!s->dry_run && rhv_db_scrub_illegal(s->db, img->id, err) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

int rhv_sd_scrub(struct rhv_db *db, const char *name, bool dry_run, const struct rhv_progress *p,
		 struct rhv_scrub_report *out, struct rhv_error *err)
{
	struct scrub s = { .db = db, .dry_run = dry_run, .out = out };
	struct rhv_sd_meta m;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	if (rhv_db_sd_ref_get(db, name, NULL, false, false, &s.ref, err) < 0)
		goto out;
	if (!s.ref.path) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is a block domain: nothing on storage to scrub",
			      s.ref.name);
		goto out;
	}
	/* only the SPM changes a domain's structure; an unattached domain has nobody else writing it */
	if (!dry_run && s.ref.dc_id[0]) {
		if (rhv_spm_token(db, s.ref.dc_id, p, &s.tok, err) < 0)
			goto out;
		s.have_token = true;
	}
	/* interrupted snapshot operations first: they finish or undo what they did to this domain's volumes */
	if (!dry_run) {
		struct rhv_scrub_report snaps = { 0 };
		int r = rhv_snap_resume(db, NULL, p, &snaps, err);

		for (size_t i = 0; i < snaps.n; i++)
			report(out, snaps.items[i].what, snaps.items[i].object, snaps.items[i].action, snaps.items[i].reason);
		rhv_scrub_report_clear(&snaps);
		if (r < 0)
			goto out;
	}
	if (settle_locked(&s, err) < 0 || rhv_sdmeta_read(s.ref.path, &m, err) < 0 ||
	    find_orphan_images(&s, &m, err) < 0)
		goto out;
	if (!dry_run && s.ndrop) {
		if (s.have_token) {
			if (rhv_sd_meta_update(&s.tok, s.ref.path, drop_images, &s, err) < 0)
				goto out;
		} else {
			/* unattached: no SPM can change its metadata (and nobody else may) */
			rhv_error_set(err, RHV_EXIT_CONFLICT,
				      "storage domain '%s' is not attached: attach it so its data center's SPM can change its metadata",
				      s.ref.name);
			goto out;
		}
		rhv_sdmeta_clear(&m);
		if (rhv_sdmeta_read(s.ref.path, &m, err) < 0)
			goto out;
	}
	find_orphan_files(&s, &m);
	rc = find_missing_files(&s, &m, err);
	if (rc == 0 && !dry_run && out->n) {
		struct rhv_error e2 = { 0 };

		if (out->failed)
			rhv_event_add(db, RHV_SEV_ERROR, "storage_domain", s.ref.id, s.ref.name, "scrub", &e2,
				      "scrub of storage domain '%s' fixed %zu %s, %zu could not be removed", s.ref.name,
				      out->n - out->failed, out->n - out->failed == 1 ? "thing" : "things", out->failed);
		else
			rhv_event_add(db, RHV_SEV_WARNING, "storage_domain", s.ref.id, s.ref.name, "scrub", &e2,
				      "scrub of storage domain '%s' fixed %zu %s", s.ref.name, out->n,
				      out->n == 1 ? "thing" : "things");
	}
out:
	rhv_sdmeta_clear(&m);
	free_list(s.protect, s.nprotect);
	free_list(s.drop, s.ndrop);
	rhv_sd_ref_clear(&s.ref);
	return rc;
}
