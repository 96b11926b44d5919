/*
 * Disk operations on file domains, by the protocol in disk.h: claim in the
 * store (Locked + a session lock), work on the storage through the SPM,
 * finish in the store.  Any failure undoes what this process made.
 */
#include "rhv/common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "rhv/disk.h"
#include "rhv/event.h"
#include "rhv/parse.h"
#include "rhv/progress.h"
#include "rhv/qimg.h"
#include "store/store-priv.h"
#include "storage/sd-priv.h"

/* A domain a disk operation works on: Active, data, file, with its data center. */
struct place {
	char id[37], dc_id[37];
	char *name, *path;
	uint64_t free_b;
	bool measured;
	int critical_gib;
	struct rhv_qimg_as as;
};

static void place_clear(struct place *p)
{
	free(p->name);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

static int place_get(struct rhv_db *db, const char *domain, struct place *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	unsigned uid, gid;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db,
			       "SELECT s.id, s.name, s.path, s.role, s.free, s.critical_gib, a.dc_id, a.status"
			       " FROM storage_domains s LEFT JOIN storage_domain_dc a ON a.domain_id = s.id",
			       "s", "storage_domains", false, "storage domain", domain, &r, err) < 0)
		return -1;
	snprintf(out->id, sizeof(out->id), "%s", rhv_pq_str(r, 0, "id"));
	out->name = rhv_pq_dup(r, 0, "name");
	out->path = rhv_pq_dup(r, 0, "path");
	out->critical_gib = (int)rhv_pq_int(r, 0, "critical_gib");
	if (strcmp(rhv_pq_str(r, 0, "role"), "data"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is an %s domain: disks live on data domains",
				     out->name, rhv_pq_str(r, 0, "role"));
	if (!rhv_pq_str(r, 0, "status") || strcmp(rhv_pq_str(r, 0, "status"), "Active"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is %s: disks need an Active domain",
				     out->name, rhv_pq_str(r, 0, "status") ? rhv_pq_str(r, 0, "status") : "not attached");
	snprintf(out->dc_id, sizeof(out->dc_id), "%s", rhv_pq_str(r, 0, "dc_id"));
	if (!out->path)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is a block domain (modeled only)", out->name);
	if (rhv_sd_owner(out->path, &uid, &gid, err) < 0)
		return -1;
	out->as = (struct rhv_qimg_as){ true, uid, gid };
	return 0;
}

/* Space now, and the Critical Space Action Blocker (reference 2.11): below it, nothing new is made. */
static int check_space(struct rhv_db *db, struct place *pl, uint64_t need, struct rhv_error *err)
{
	uint64_t critical = (uint64_t)pl->critical_gib << 30;
	struct statvfs vfs;

	(void)db; /* measured now, recorded by the monitor: a write here would cost a commit per disk */
	if (statvfs(pl->path, &vfs) < 0)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot measure storage at %s: %s", pl->path,
				     strerror(errno));
	pl->free_b = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if (pl->free_b < critical)
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "storage domain '%s' has %.1f GiB free, below its critical %d GiB: nothing new is "
				     "created there", pl->name, (double)pl->free_b / 1073741824.0, pl->critical_gib);
	if (need > pl->free_b)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' has %.1f GiB free; %.1f GiB needed",
				     pl->name, (double)pl->free_b / 1073741824.0, (double)need / 1073741824.0);
	return 0;
}

/* images/ and images/<image>/, owned by the domain's owner so the hosts' QEMU can open what is made there. */
static int make_image_dir(const struct place *pl, const char *image, struct rhv_error *err)
{
	_cleanup_free_ char *top = rhv_xasprintf("%s/%s", pl->path, RHV_SD_IMAGES_DIR);
	_cleanup_free_ char *dir = rhv_sd_image_dir(pl->path, image);

	if (mkdir(top, 0770) == 0 && chown(top, pl->as.uid, pl->as.gid) < 0)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot give %s to its owner: %s", top, strerror(errno));
	if (mkdir(dir, 0770) < 0 && errno != EEXIST)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot create %s: %s", dir, strerror(errno));
	if (chown(dir, pl->as.uid, pl->as.gid) < 0)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot give %s to its owner: %s", dir, strerror(errno));
	return 0;
}

/* ---- the claim ---- */

/* The disk's session lock: held by the process working on it, gone with it (scrub tests it). */
static int disk_lock(struct rhv_db *db, const char *id, struct rhv_error *err)
{
	return rhv_db_lock_wait(db, "disk", id, err);
}

static void disk_unlock(struct rhv_db *db, const char *id)
{
	struct rhv_error ignored = { 0 };
	bool held;

	rhv_db_try_lock(db, "disk", id, false, &held, &ignored);
}

struct claim_new {
	const char *id, *volume, *name, *description, *domain_id, *format, *allocation, *op;
	uint64_t size;
};

static int claim_new_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct claim_new *c = arg;
	char size[24];

	snprintf(size, sizeof(size), "%llu", (unsigned long long)c->size);
	/* the session lock is taken inside the transaction: no window where the row is Locked and unowned */
	if (disk_lock(db, c->id, err) < 0)
		return -1;
	if (rhv_db_exec(db,
			"INSERT INTO disks (id, name, description, domain_id, volume_id, format, allocation, size, status,"
			" operation) VALUES ($1, $2, coalesce($3, ''), $4, $5, $6, $7, $8::bigint, 'Locked', $9)",
			RHV_PARAMS(c->id, c->name, c->description, c->domain_id, c->volume, c->format, c->allocation, size,
				   c->op),
			NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT, "disk '%s' already exists", c->name);
		return -1;
	}
	return 0;
}

struct finish {
	const char *id, *name, *action, *message;
	const char *domain_id; /* new domain (move) or NULL */
	bool has_actual, has_size;
	uint64_t actual, size;
	bool drop; /* the row goes (remove, or undoing a create) */
	bool event;
	const char *status; /* NULL: OK */
};

static int finish_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct finish *f = arg;
	char actual[24], size[24];

	snprintf(actual, sizeof(actual), "%llu", (unsigned long long)f->actual);
	snprintf(size, sizeof(size), "%llu", (unsigned long long)f->size);
	if (f->drop) {
		if (rhv_db_exec(db, "DELETE FROM disks WHERE id = $1", RHV_PARAMS(f->id), NULL, err) < 0)
			return -1;
	} else if (rhv_db_exec(db,
			       "UPDATE disks SET status = coalesce($5, 'OK'), operation = NULL, target_domain_id = NULL,"
			       " domain_id = coalesce($2::uuid, domain_id), actual = coalesce($3::bigint, actual),"
			       " size = coalesce($4::bigint, size), updated_at = now() WHERE id = $1",
			       RHV_PARAMS(f->id, f->domain_id, f->has_actual ? actual : NULL, f->has_size ? size : NULL,
					  f->status),
			       NULL, err) < 0) {
		return -1;
	}
	if (!f->event)
		return 0;
	return rhv_event_add(db, RHV_SEV_NORMAL, "disk", f->id, f->name, f->action, err, "%s", f->message);
}

static int finish(struct rhv_db *db, struct finish *f, struct rhv_error *err)
{
	int rc = rhv_db_txn(db, finish_txn, f, err);

	disk_unlock(db, f->id);
	return rc;
}

/* Finish, and say so once it is recorded. */
static int finish_noted(struct rhv_db *db, struct finish *f, const struct rhv_progress *p, struct rhv_error *err)
{
	int rc = finish(db, f, err);

	if (rc == 0)
		rhv_progress_note(p, "%s", f->message);
	return rc;
}

/* Undo a failed operation's row: drop a new one, give an existing one back (as status, NULL: OK). */
static void abandon_as(struct rhv_db *db, const char *id, bool drop, const char *status)
{
	struct rhv_error ignored = { 0 };
	struct finish f = { .id = id, .drop = drop, .status = status };

	finish(db, &f, &ignored);
}

static void abandon(struct rhv_db *db, const char *id, bool drop)
{
	abandon_as(db, id, drop, NULL);
}

static uint64_t allocated(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_blocks * 512 : 0;
}

/* ---- metadata edits ---- */

struct new_image {
	const char *image, *name, *description;
	struct rhv_sd_volume vol;
};

static int add_image(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	struct new_image *n = arg;

	if (rhv_sdmeta_add_image(m, n->image, n->name, n->description, err) < 0)
		return -1;
	return rhv_sdmeta_add_volume(m, n->image, &n->vol, err);
}

struct new_size {
	const char *volume;
	uint64_t size;
};

static int set_size(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	struct new_size *n = arg;
	struct rhv_sd_volume *v = rhv_sdmeta_find_volume(m, n->volume, NULL);

	if (!v)
		return rhv_error_set(err, RHV_EXIT_FAILED, "volume %s is missing from the domain's metadata", n->volume);
	v->size = n->size;
	return 0;
}

/* ---- create ---- */

static int check_create(const struct rhv_disk_spec *s, uint64_t *size, struct rhv_error *err)
{
	const char *format = s->format ? s->format : "qcow2", *alloc = s->allocation ? s->allocation : "sparse";

	if (rhv_check_name(s->name, RHV_DISK_NAME_MAX, "disk name", err) < 0)
		return -1;
	if (s->description && rhv_check_text(s->description, RHV_DESCRIPTION_MAX, "description", err) < 0)
		return -1;
	if (!s->domain)
		return rhv_error_usage(err, "a disk needs a storage domain: --domain DOMAIN");
	if (!s->size)
		return rhv_error_usage(err, "a disk needs a size: --size SIZE (e.g. 10G)");
	if (rhv_parse_size(s->size, "disk size", size, err) < 0)
		return -1;
	if (rhv_check_volume_size(*size, "disk size", RHV_EXIT_USAGE, err) < 0)
		return -1;
	if (rhv_parse_enum(format, rhv_disk_formats, "disk format", err) < 0 ||
	    rhv_parse_enum(alloc, rhv_disk_allocations, "allocation policy", err) < 0)
		return -1;
	if (!strcmp(format, "qcow2") && !strcmp(alloc, "preallocated"))
		return rhv_error_usage(err, "QCOW2 disks are always sparse (thin): use --format raw for a preallocated disk");
	return 0;
}

int rhv_disk_create(struct rhv_db *db, const struct rhv_disk_spec *spec, const struct rhv_progress *p,
		    struct rhv_error *err)
{
	struct place pl;
	struct rhv_spm_token tok;
	char image[37], volume[37];
	const char *format = spec->format ? spec->format : "qcow2";
	const char *alloc = spec->allocation ? spec->allocation : "sparse";
	bool prealloc = !strcmp(alloc, "preallocated");
	_cleanup_free_ char *path = NULL, *msg = NULL;
	uint64_t size;
	int rc = -1;

	memset(&pl, 0, sizeof(pl));
	if (check_create(spec, &size, err) < 0 || place_get(db, spec->domain, &pl, err) < 0 ||
	    check_space(db, &pl, prealloc ? size : 0, err) < 0)
		goto out;
	rhv_uuid_new(image);
	rhv_uuid_new(volume);
	{
		struct claim_new c = { image, volume, spec->name, spec->description, pl.id, format, alloc, "create", size };

		if (rhv_db_txn(db, claim_new_txn, &c, err) < 0)
			goto out;
	}
	path = rhv_sd_volume_path(pl.path, image, volume);
	{
		struct new_image n = { image, spec->name, spec->description,
				       { .format = (char *)format, .allocation = (char *)alloc, .size = size } };

		snprintf(n.vol.id, sizeof(n.vol.id), "%s", volume);
		if (rhv_spm_token(db, pl.dc_id, p, &tok, err) < 0 || make_image_dir(&pl, image, err) < 0 ||
		    rhv_qimg_create(path, format, size, prealloc, NULL, NULL, &pl.as, err) < 0 ||
		    rhv_sd_meta_update(&tok, pl.path, add_image, &n, err) < 0) {
			rhv_sd_remove_image(pl.path, image, NULL); /* a leftover is an orphan for scrub */
			abandon(db, image, true);
			goto out;
		}
	}
	msg = rhv_xasprintf("disk '%s' created on '%s' (%s %s, %llu bytes) by SPM '%s'", spec->name, pl.name, format,
			    alloc, (unsigned long long)size, tok.host);
	{
		struct finish f = { image, spec->name, "create", msg, NULL, true, false, allocated(path), 0, false, true };

		/* the disk exists on the storage; a store failure now leaves it Locked for scrub to complete */
		rc = finish_noted(db, &f, p, err);
	}

out:
	place_clear(&pl);
	return rc;
}

/* ---- claim an existing disk ---- */

struct claim_old {
	const char *name, *op;
	const char *target_domain; /* move: the destination id */
	bool need_down;            /* the VM using it must be Down */
	bool need_detached;
	struct rhv_disk d;
	char domain_id[37], dc_id[37];
	char prev_status[16];
	char *root;
};

static int claim_old_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct claim_old *c = arg;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_get_by_name(db,
			       "SELECT k.id, k.name, k.status, k.domain_id, s.path, a.dc_id, v.name AS vm, v.state"
			       " FROM disks k JOIN storage_domains s ON s.id = k.domain_id"
			       " LEFT JOIN storage_domain_dc a ON a.domain_id = s.id"
			       " LEFT JOIN vm_disks x ON x.disk_id = k.id LEFT JOIN vms v ON v.id = x.vm_id",
			       "k", "disks", true, "disk", c->name, &r, err) < 0)
		return -1;
	/* an Illegal disk (a volume lost) can still be removed, nothing else */
	if (strcmp(rhv_pq_str(r, 0, "status"), "OK") &&
	    (strcmp(c->op, "remove") || strcmp(rhv_pq_str(r, 0, "status"), "Illegal")))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is %s%s", rhv_pq_str(r, 0, "name"),
				     rhv_pq_str(r, 0, "status"),
				     !strcmp(rhv_pq_str(r, 0, "status"), "Locked") ? ": another operation is running on it" : "");
	if (c->need_detached && rhv_pq_str(r, 0, "vm"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is attached to VM '%s': detach it first",
				     rhv_pq_str(r, 0, "name"), rhv_pq_str(r, 0, "vm"));
	if (c->need_down && rhv_pq_str(r, 0, "vm") && strcmp(rhv_pq_str(r, 0, "state"), "Down"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is in use by VM '%s', which is %s",
				     rhv_pq_str(r, 0, "name"), rhv_pq_str(r, 0, "vm"), rhv_pq_str(r, 0, "state"));
	snprintf(c->domain_id, sizeof(c->domain_id), "%s", rhv_pq_str(r, 0, "domain_id"));
	snprintf(c->prev_status, sizeof(c->prev_status), "%s", rhv_pq_str(r, 0, "status"));
	snprintf(c->dc_id, sizeof(c->dc_id), "%s", rhv_pq_str(r, 0, "dc_id") ? rhv_pq_str(r, 0, "dc_id") : "");
	if (disk_lock(db, rhv_pq_str(r, 0, "id"), err) < 0)
		return -1;
	return rhv_db_exec(db,
			   "UPDATE disks SET status = 'Locked', operation = $2, target_domain_id = $3::uuid WHERE id = $1",
			   RHV_PARAMS(rhv_pq_str(r, 0, "id"), c->op, c->target_domain), NULL, err);
}

static int claim_old(struct rhv_db *db, struct claim_old *c, struct rhv_error *err)
{
	if (rhv_db_txn(db, claim_old_txn, c, err) < 0)
		return -1;
	/* read it in full after the claim: nobody else changes it now */
	if (rhv_disk_get(db, c->name, &c->d, err) < 0)
		return -1;
	if (!c->d.path)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is on a block domain (modeled only)", c->d.name);
	return 0;
}

/* ---- resize ---- */

int rhv_disk_resize(struct rhv_db *db, const char *name, const char *size_s, const struct rhv_progress *p,
		    struct rhv_error *err)
{
	struct claim_old c = { .name = name, .op = "resize", .need_down = true };
	struct place pl;
	struct rhv_spm_token tok;
	uint64_t size;
	_cleanup_free_ char *msg = NULL;
	int rc = -1;

	memset(&pl, 0, sizeof(pl));
	if (rhv_parse_size(size_s, "disk size", &size, err) < 0 ||
	    rhv_check_volume_size(size, "disk size", RHV_EXIT_USAGE, err) < 0)
		return -1;
	if (claim_old(db, &c, err) < 0)
		goto undo;
	if (size <= c.d.size) {
		rhv_error_set(err, RHV_EXIT_USAGE, "disk '%s' is %llu bytes: it can only grow", c.d.name,
			      (unsigned long long)c.d.size);
		goto undo;
	}
	if (place_get(db, c.domain_id, &pl, err) < 0 ||
	    check_space(db, &pl, !strcmp(c.d.allocation, "preallocated") ? size - c.d.size : 0, err) < 0 ||
	    rhv_spm_token(db, pl.dc_id, p, &tok, err) < 0)
		goto undo;
	{
		struct new_size ns = { c.d.volume_id, size };

		/* metadata last: a crash after the resize leaves the metadata behind, which scrub brings level */
		if (rhv_qimg_resize(c.d.path, c.d.format, size, !strcmp(c.d.allocation, "preallocated"), &pl.as, err) < 0 ||
		    rhv_sd_meta_update(&tok, pl.path, set_size, &ns, err) < 0)
			goto undo;
	}
	msg = rhv_xasprintf("disk '%s' grown from %llu to %llu bytes", c.d.name, (unsigned long long)c.d.size,
			    (unsigned long long)size);
	{
		struct finish f = { c.d.id, c.d.name, "resize", msg, NULL, true, true, allocated(c.d.path), size, false, true };

		rc = finish_noted(db, &f, p, err);
	}

	goto out;
undo:
	if (c.d.id[0])
		abandon(db, c.d.id, false);
out:
	place_clear(&pl);
	rhv_disk_clear(&c.d);
	return rc;
}

/* ---- copy and move ---- */

struct percent {
	const struct rhv_progress *p;
	const char *what;
};

static void on_percent(void *data, double pct)
{
	struct percent *x = data;

	rhv_progress_percent(x->p, x->what, (int)pct);
}

/* Flatten the source chain into a new image on dst; the new volume is left for the caller to account for. */
static int copy_volume(const struct rhv_disk *src, const struct place *dst, const char *image, const char *volume,
		       const struct rhv_spm_token *tok, const char *name, const struct rhv_progress *p,
		       struct rhv_error *err)
{
	_cleanup_free_ char *path = rhv_sd_volume_path(dst->path, image, volume);
	_cleanup_free_ char *what = rhv_xasprintf("copying disk '%s'", src->name);
	struct percent pc = { p, what };
	struct new_image n = { image, name, src->description,
			       { .format = src->format, .allocation = src->allocation, .size = src->size } };

	snprintf(n.vol.id, sizeof(n.vol.id), "%s", volume);
	if (make_image_dir(dst, image, err) < 0 ||
	    rhv_qimg_convert(src->path, src->format, path, src->format, !strcmp(src->allocation, "preallocated"),
			     on_percent, &pc, &dst->as, err) < 0 ||
	    rhv_sd_meta_update(tok, dst->path, add_image, &n, err) < 0) {
		rhv_sd_remove_image(dst->path, image, NULL); /* a leftover is an orphan for scrub */
		return -1;
	}
	return 0;
}

int rhv_disk_copy(struct rhv_db *db, const char *name, const char *new_name, const char *domain,
		  const struct rhv_progress *p, struct rhv_error *err)
{
	/* a running guest holds its image's write lock, and a copy of a live disk would not be consistent */
	struct claim_old c = { .name = name, .op = "copy-source", .need_down = true };
	struct place dst;
	struct rhv_spm_token tok;
	char image[37], volume[37];
	_cleanup_free_ char *msg = NULL, *path = NULL;
	bool claimed_new = false;
	int rc = -1;

	memset(&dst, 0, sizeof(dst));
	if (rhv_check_name(new_name, RHV_DISK_NAME_MAX, "new disk name", err) < 0)
		return -1;
	if (claim_old(db, &c, err) < 0 || place_get(db, domain ? domain : c.domain_id, &dst, err) < 0)
		goto undo;
	if (strcmp(dst.dc_id, c.dc_id)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is in another data center than disk '%s'",
			      dst.name, c.d.name);
		goto undo;
	}
	if (check_space(db, &dst, !strcmp(c.d.allocation, "preallocated") ? c.d.size : 0, err) < 0)
		goto undo;
	rhv_uuid_new(image);
	rhv_uuid_new(volume);
	{
		struct claim_new cn = { image, volume, new_name, c.d.description, dst.id, c.d.format, c.d.allocation, "copy",
					c.d.size };

		if (rhv_db_txn(db, claim_new_txn, &cn, err) < 0)
			goto undo;
		claimed_new = true;
	}
	if (rhv_spm_token(db, dst.dc_id, p, &tok, err) < 0 ||
	    copy_volume(&c.d, &dst, image, volume, &tok, new_name, p, err) < 0)
		goto undo;
	path = rhv_sd_volume_path(dst.path, image, volume);
	msg = rhv_xasprintf("disk '%s' copied to '%s' on '%s'", c.d.name, new_name, dst.name);
	{
		struct finish f = { image, new_name, "copy", msg, NULL, true, false, allocated(path), 0, false, true };

		rc = finish_noted(db, &f, p, err);
	}
	abandon(db, c.d.id, false);
	goto out;
undo:
	if (claimed_new)
		abandon(db, image, true);
	if (c.d.id[0])
		abandon(db, c.d.id, false);
out:
	place_clear(&dst);
	rhv_disk_clear(&c.d);
	return rc;
}

int rhv_disk_move(struct rhv_db *db, const char *name, const char *domain, const struct rhv_progress *p,
		  struct rhv_error *err)
{
	struct claim_old c = { .name = name, .op = "move", .need_down = true };
	struct place dst, src;
	struct rhv_spm_token tok;
	char volume[37];
	_cleanup_free_ char *msg = NULL, *path = NULL;
	int rc = -1;

	memset(&dst, 0, sizeof(dst));
	memset(&src, 0, sizeof(src));
	if (!domain)
		return rhv_error_usage(err, "move needs --domain DOMAIN");
	if (rhv_disk_get(db, name, &c.d, err) < 0)
		return -1;
	rhv_disk_clear(&c.d);
	if (place_get(db, domain, &dst, err) < 0)
		goto out;
	c.target_domain = dst.id;
	if (claim_old(db, &c, err) < 0)
		goto undo;
	if (!strcmp(dst.id, c.domain_id)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is already on '%s'", c.d.name, dst.name);
		goto undo;
	}
	if (strcmp(dst.dc_id, c.dc_id)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is in another data center than disk '%s'",
			      dst.name, c.d.name);
		goto undo;
	}
	if (place_get(db, c.domain_id, &src, err) < 0 ||
	    check_space(db, &dst, !strcmp(c.d.allocation, "preallocated") ? c.d.size : 0, err) < 0 ||
	    rhv_spm_token(db, dst.dc_id, p, &tok, err) < 0)
		goto undo;
	/* the image keeps its id on the new domain (the disk's identity); the chain becomes one volume */
	snprintf(volume, sizeof(volume), "%s", c.d.volume_id);
	if (copy_volume(&c.d, &dst, c.d.id, volume, &tok, c.d.name, p, err) < 0)
		goto undo;
	path = rhv_sd_volume_path(dst.path, c.d.id, volume);
	{
		struct finish f = { c.d.id, c.d.name, "move", NULL, dst.id, true, false, allocated(path), 0, false, false };

		/* from here the store says the disk is on dst: the source copy is an orphan scrub would also remove */
		if (rhv_db_txn(db, finish_txn, &f, err) < 0) {
			struct rhv_error ignored = { 0 };

			rhv_sd_meta_update(&tok, dst.path, rhv_sd_drop_image, c.d.id, &ignored);
			rhv_sd_remove_image(dst.path, c.d.id, NULL);
			goto undo;
		}
	}
	{
		struct rhv_error e2 = { 0 };

		if (rhv_sd_meta_update(&tok, src.path, rhv_sd_drop_image, c.d.id, &e2) < 0 ||
		    rhv_sd_remove_image(src.path, c.d.id, &e2) < 0)
			rhv_progress_warn(p, "the old copy on '%s' stays until 'rhv-sd scrub %s': %s", src.name, src.name,
					  e2.message);
	}
	disk_unlock(db, c.d.id);
	msg = rhv_xasprintf("disk '%s' moved from '%s' to '%s'", c.d.name, src.name, dst.name);
	{
		struct rhv_error e2 = { 0 };

		rhv_event_add(db, RHV_SEV_NORMAL, "disk", c.d.id, c.d.name, "move", &e2, "%s", msg);
	}
	rhv_progress_note(p, "%s", msg);
	rc = 0;
	goto out;
undo:
	if (c.d.id[0])
		abandon(db, c.d.id, false);
out:
	place_clear(&dst);
	place_clear(&src);
	rhv_disk_clear(&c.d);
	return rc;
}

/* ---- remove ---- */

int rhv_disk_remove(struct rhv_db *db, const char *name, const struct rhv_progress *p, struct rhv_error *err)
{
	struct claim_old c = { .name = name, .op = "remove", .need_detached = true };
	struct rhv_spm_token tok;
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_free_ char *msg = NULL;
	int rc = -1;

	if (claim_old(db, &c, err) < 0)
		goto undo;
	if (!c.dc_id[0]) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is on an unattached domain: no SPM can remove it", c.d.name);
		goto undo;
	}
	if (rhv_db_exec(db, "SELECT path FROM storage_domains WHERE id = $1", RHV_PARAMS(c.domain_id), &r, err) < 0 ||
	    rhv_spm_token(db, c.dc_id, p, &tok, err) < 0)
		goto undo;
	/* metadata first: once it is gone the disk is gone, and leftover files are orphans for scrub */
	if (rhv_sd_meta_update(&tok, rhv_pq_str(r, 0, "path"), rhv_sd_drop_image, c.d.id, err) < 0)
		goto undo;
	{
		struct rhv_error e2 = { 0 };

		/* the disk is gone with its metadata; files that stay are orphans */
		if (rhv_sd_remove_image(rhv_pq_str(r, 0, "path"), c.d.id, &e2) < 0)
			rhv_progress_warn(p, "files of disk '%s' stay until 'rhv-sd scrub': %s", c.d.name, e2.message);
	}
	msg = rhv_xasprintf("disk '%s' removed", c.d.name);
	{
		struct finish f = { c.d.id, c.d.name, "remove", msg, NULL, false, false, 0, 0, true, true };

		rc = finish_noted(db, &f, p, err);
	}

	goto out;
undo:
	if (c.d.id[0])
		abandon_as(db, c.d.id, false, c.prev_status[0] ? c.prev_status : NULL);
out:
	rhv_disk_clear(&c.d);
	return rc;
}
