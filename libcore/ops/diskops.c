/*
 * Disk operations on file domains, by the protocol in disk.h: claim in the
 * store (Locked + a session lock), work on the storage through the SPM,
 * finish in the store.  Any failure undoes what this process made.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/disk.h"
#include "rhv/event.h"
#include "rhv/parse.h"
#include "rhv/progress.h"
#include "rhv/spmops.h"
#include "store/disk.h"
#include "storage/disk-priv.h"
#include "storage/sd-priv.h"

/* ---- the finish ---- */

static int finish(struct rhv_db *db, const struct rhv_db_disk_outcome *f, struct rhv_error *err)
{
	int rc = rhv_db_disk_record(db, f, err);

	rhv_db_disk_unlock(db, f->id);
	return rc;
}

/* Finish, and say so once it is recorded. */
static int finish_noted(struct rhv_db *db, const struct rhv_db_disk_outcome *f, const struct rhv_progress *p,
			struct rhv_error *err)
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
	struct rhv_db_disk_outcome f = { .id = id, .drop = drop, .status = status };

	finish(db, &f, &ignored);
}

static void abandon(struct rhv_db *db, const char *id, bool drop)
{
	abandon_as(db, id, drop, NULL);
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
	struct rhv_disk_place pl;
	struct rhv_spm_token tok;
	char image[37], volume[37];
	const char *format = spec->format ? spec->format : "qcow2";
	const char *alloc = spec->allocation ? spec->allocation : "sparse";
	bool prealloc = !strcmp(alloc, "preallocated");
	_cleanup_free_ char *path = NULL, *msg = NULL;
	uint64_t size;
	int rc = -1;

	memset(&pl, 0, sizeof(pl));
	if (check_create(spec, &size, err) < 0 || rhv_disk_place_get(db, spec->domain, &pl, err) < 0 ||
	    rhv_disk_check_space(&pl, prealloc ? size : 0, err) < 0)
		goto out;
	rhv_uuid_new(image);
	rhv_uuid_new(volume);
	{
		struct rhv_db_disk_new c = { image, volume, spec->name, spec->description, pl.id, format, alloc, "create",
					     size };

		if (rhv_db_disk_claim_new(db, &c, err) < 0)
			goto out;
	}
	path = rhv_sd_volume_path(pl.path, image, volume);
	{
		struct rhv_sd_volume vol = { .format = (char *)format, .allocation = (char *)alloc, .size = size };

		snprintf(vol.id, sizeof(vol.id), "%s", volume);
		if (rhv_spm_token(db, pl.dc_id, p, &tok, err) < 0 ||
		    rhv_disk_volume_create(&tok, &pl, image, spec->name, spec->description, &vol, err) < 0) {
			rhv_sd_remove_image(pl.path, image, NULL); /* a leftover is an orphan for scrub */
			abandon(db, image, true);
			goto out;
		}
	}
	msg = rhv_xasprintf("disk '%s' created on '%s' (%s %s, %llu bytes) by SPM '%s'", spec->name, pl.name, format,
			    alloc, (unsigned long long)size, tok.host);
	{
		struct rhv_db_disk_outcome f = { image, spec->name, "create", msg, NULL, true, false,
						 rhv_disk_allocated(path), 0, false, true };

		/* the disk exists on the storage; a store failure now leaves it Locked for scrub to complete */
		rc = finish_noted(db, &f, p, err);
	}

out:
	rhv_disk_place_clear(&pl);
	return rc;
}

/* ---- claim an existing disk ---- */

struct claim_old {
	struct rhv_db_disk_claim c;
	struct rhv_disk d;
};

static void claim_old_clear(struct claim_old *c)
{
	free(c->c.root);
	c->c.root = NULL;
	rhv_disk_clear(&c->d);
}

static int claim_old(struct rhv_db *db, struct claim_old *c, struct rhv_error *err)
{
	if (rhv_db_disk_claim(db, &c->c, err) < 0)
		return -1;
	/* read it in full after the claim: nobody else changes it now */
	if (rhv_db_disk_get(db, c->c.name, &c->d, NULL, err) < 0)
		return -1;
	if (!c->d.path)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is on a block domain (modeled only)", c->d.name);
	return 0;
}

/* ---- resize ---- */

int rhv_disk_resize(struct rhv_db *db, const char *name, const char *size_s, const struct rhv_progress *p,
		    struct rhv_error *err)
{
	struct claim_old c = { .c = { .name = name, .op = "resize", .need_down = true } };
	struct rhv_disk_place pl;
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
	if (rhv_disk_place_get(db, c.c.domain_id, &pl, err) < 0 ||
	    rhv_disk_check_space(&pl, !strcmp(c.d.allocation, "preallocated") ? size - c.d.size : 0, err) < 0 ||
	    rhv_spm_token(db, pl.dc_id, p, &tok, err) < 0)
		goto undo;
	if (rhv_disk_volume_resize(&tok, &pl, &c.d, size, err) < 0)
		goto undo;
	msg = rhv_xasprintf("disk '%s' grown from %llu to %llu bytes", c.d.name, (unsigned long long)c.d.size,
			    (unsigned long long)size);
	{
		struct rhv_db_disk_outcome f = { c.d.id, c.d.name, "resize", msg, NULL, true, true,
						 rhv_disk_allocated(c.d.path), size, false, true };

		rc = finish_noted(db, &f, p, err);
	}

	goto out;
undo:
	if (c.d.id[0])
		abandon(db, c.d.id, false);
out:
	rhv_disk_place_clear(&pl);
	claim_old_clear(&c);
	return rc;
}

/* ---- copy and move ---- */

int rhv_disk_copy(struct rhv_db *db, const char *name, const char *new_name, const char *domain,
		  const struct rhv_progress *p, struct rhv_error *err)
{
	/* a running guest holds its image's write lock, and a copy of a live disk would not be consistent */
	struct claim_old c = { .c = { .name = name, .op = "copy-source", .need_down = true } };
	struct rhv_disk_place dst;
	struct rhv_spm_token tok;
	char image[37], volume[37];
	_cleanup_free_ char *msg = NULL, *path = NULL;
	bool claimed_new = false;
	int rc = -1;

	memset(&dst, 0, sizeof(dst));
	if (rhv_check_name(new_name, RHV_DISK_NAME_MAX, "new disk name", err) < 0)
		return -1;
	if (claim_old(db, &c, err) < 0 || rhv_disk_place_get(db, domain ? domain : c.c.domain_id, &dst, err) < 0)
		goto undo;
	if (strcmp(dst.dc_id, c.c.dc_id)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is in another data center than disk '%s'",
			      dst.name, c.d.name);
		goto undo;
	}
	if (rhv_disk_check_space(&dst, !strcmp(c.d.allocation, "preallocated") ? c.d.size : 0, err) < 0)
		goto undo;
	rhv_uuid_new(image);
	rhv_uuid_new(volume);
	{
		struct rhv_db_disk_new cn = { image, volume, new_name, c.d.description, dst.id, c.d.format, c.d.allocation,
					      "copy", c.d.size };

		if (rhv_db_disk_claim_new(db, &cn, err) < 0)
			goto undo;
		claimed_new = true;
	}
	if (rhv_spm_token(db, dst.dc_id, p, &tok, err) < 0 ||
	    rhv_disk_volume_copy(&c.d, &dst, image, volume, &tok, new_name, p, err) < 0)
		goto undo;
	path = rhv_sd_volume_path(dst.path, image, volume);
	msg = rhv_xasprintf("disk '%s' copied to '%s' on '%s'", c.d.name, new_name, dst.name);
	{
		struct rhv_db_disk_outcome f = { image, new_name, "copy", msg, NULL, true, false, rhv_disk_allocated(path),
						 0, false, true };

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
	rhv_disk_place_clear(&dst);
	claim_old_clear(&c);
	return rc;
}

int rhv_disk_move(struct rhv_db *db, const char *name, const char *domain, const struct rhv_progress *p,
		  struct rhv_error *err)
{
	struct claim_old c = { .c = { .name = name, .op = "move", .need_down = true } };
	struct rhv_disk_place dst, src;
	struct rhv_spm_token tok;
	char volume[37];
	_cleanup_free_ char *msg = NULL, *path = NULL;
	int rc = -1;

	memset(&dst, 0, sizeof(dst));
	memset(&src, 0, sizeof(src));
	if (!domain)
		return rhv_error_usage(err, "move needs --domain DOMAIN");
	if (rhv_db_disk_get(db, name, &c.d, NULL, err) < 0)
		return -1;
	rhv_disk_clear(&c.d);
	if (rhv_disk_place_get(db, domain, &dst, err) < 0)
		goto out;
	c.c.target_domain = dst.id;
	if (claim_old(db, &c, err) < 0)
		goto undo;
	if (!strcmp(dst.id, c.c.domain_id)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is already on '%s'", c.d.name, dst.name);
		goto undo;
	}
	if (strcmp(dst.dc_id, c.c.dc_id)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is in another data center than disk '%s'",
			      dst.name, c.d.name);
		goto undo;
	}
	if (rhv_disk_place_get(db, c.c.domain_id, &src, err) < 0 ||
	    rhv_disk_check_space(&dst, !strcmp(c.d.allocation, "preallocated") ? c.d.size : 0, err) < 0 ||
	    rhv_spm_token(db, dst.dc_id, p, &tok, err) < 0)
		goto undo;
	/* the image keeps its id on the new domain (the disk's identity); the chain becomes one volume */
	snprintf(volume, sizeof(volume), "%s", c.d.volume_id);
	if (rhv_disk_volume_copy(&c.d, &dst, c.d.id, volume, &tok, c.d.name, p, err) < 0)
		goto undo;
	path = rhv_sd_volume_path(dst.path, c.d.id, volume);
	{
		struct rhv_db_disk_outcome f = { c.d.id, c.d.name, "move", NULL, dst.id, true, false,
						 rhv_disk_allocated(path), 0, false, false };

		/* from here the store says the disk is on dst: the source copy is an orphan scrub would also remove */
		if (rhv_db_disk_record(db, &f, err) < 0) {
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
	rhv_db_disk_unlock(db, c.d.id);
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
	rhv_disk_place_clear(&dst);
	rhv_disk_place_clear(&src);
	claim_old_clear(&c);
	return rc;
}

/* ---- remove ---- */

int rhv_disk_remove(struct rhv_db *db, const char *name, const struct rhv_progress *p, struct rhv_error *err)
{
	struct claim_old c = { .c = { .name = name, .op = "remove", .need_detached = true } };
	struct rhv_spm_token tok;
	_cleanup_free_ char *msg = NULL;
	int rc = -1;

	if (claim_old(db, &c, err) < 0)
		goto undo;
	if (!c.c.dc_id[0]) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is on an unattached domain: no SPM can remove it", c.d.name);
		goto undo;
	}
	if (rhv_spm_token(db, c.c.dc_id, p, &tok, err) < 0)
		goto undo;
	/* metadata first: once it is gone the disk is gone, and leftover files are orphans for scrub */
	if (rhv_sd_meta_update(&tok, c.c.root, rhv_sd_drop_image, c.d.id, err) < 0)
		goto undo;
	{
		struct rhv_error e2 = { 0 };

		/* the disk is gone with its metadata; files that stay are orphans */
		if (rhv_sd_remove_image(c.c.root, c.d.id, &e2) < 0)
			rhv_progress_warn(p, "files of disk '%s' stay until 'rhv-sd scrub': %s", c.d.name, e2.message);
	}
	msg = rhv_xasprintf("disk '%s' removed", c.d.name);
	{
		struct rhv_db_disk_outcome f = { c.d.id, c.d.name, "remove", msg, NULL, false, false, 0, 0, true, true };

		rc = finish_noted(db, &f, p, err);
	}

	goto out;
undo:
	if (c.d.id[0])
		abandon_as(db, c.d.id, false, c.c.prev_status[0] ? c.c.prev_status : NULL);
out:
	claim_old_clear(&c);
	return rc;
}
