/*
 * A disk's work on a file domain: its volume chain read from the metadata,
 * the domain it goes to and its space, volumes made, grown and copied with
 * qemu-img, and the metadata changed through the SPM.  The flows that claim
 * the disk and take the SPM's token are ops/diskops.c.
 */
#include "rhv/common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/disk.h"
#include "rhv/progress.h"
#include "rhv/qimg.h"
#include "store/disk.h"
#include "storage/disk-priv.h"
#include "storage/sd-priv.h"

/* ---- show ---- */

/* The volume chain from the domain's metadata, if it can be read. */
static void fill_chain(const char *root, struct rhv_disk *d)
{
	struct rhv_error e = { 0 };
	struct rhv_sd_meta m;
	struct rhv_sd_volume **chain = NULL;
	size_t n = 0;

	if (rhv_sdmeta_read(root, &m, &e) == 0 && rhv_sdmeta_chain(&m, d->volume_id, &chain, &n, &e) == 0)
		for (size_t i = 0; i < n; i++)
			rhv_xappendf(&d->chain, " <- ", "%s", chain[i]->id);
	free(chain);
	rhv_sdmeta_clear(&m);
}

int rhv_disk_get(struct rhv_db *db, const char *name, struct rhv_disk *out, struct rhv_error *err)
{
	_cleanup_free_ char *root = NULL;

	if (rhv_db_disk_get(db, name, out, &root, err) < 0)
		return -1;
	if (root)
		fill_chain(root, out);
	return 0;
}

/* ---- the place ---- */

void rhv_disk_place_clear(struct rhv_disk_place *p)
{
	free(p->name);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

int rhv_disk_place_get(struct rhv_db *db, const char *domain, struct rhv_disk_place *out, struct rhv_error *err)
{
	struct rhv_db_disk_domain d;
	unsigned uid, gid;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (rhv_db_disk_domain_get(db, domain, &d, err) < 0)
		return -1;
	snprintf(out->id, sizeof(out->id), "%s", d.id);
	out->name = rhv_xstrdup(d.name);
	out->path = d.path ? rhv_xstrdup(d.path) : NULL;
	out->critical_gib = d.critical_gib;
	if (strcmp(d.role, "data")) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is an %s domain: disks live on data domains",
			      out->name, d.role);
		goto out;
	}
	if (!d.status || strcmp(d.status, "Active")) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is %s: disks need an Active domain", out->name,
			      d.status ? d.status : "not attached");
		goto out;
	}
	snprintf(out->dc_id, sizeof(out->dc_id), "%s", d.dc_id);
	if (!out->path) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is a block domain (modeled only)", out->name);
		goto out;
	}
	if (rhv_sd_owner(out->path, &uid, &gid, err) < 0)
		goto out;
	out->as = (struct rhv_qimg_as){ true, uid, gid };
	rc = 0;
out:
	rhv_db_disk_domain_clear(&d);
	return rc;
}

int rhv_disk_check_space(struct rhv_disk_place *pl, uint64_t need, struct rhv_error *err)
{
	uint64_t critical = (uint64_t)pl->critical_gib << 30;
	struct statvfs vfs;

	/* measured now, recorded by the monitor: a write here would cost a commit per disk */
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
static int make_image_dir(const struct rhv_disk_place *pl, const char *image, struct rhv_error *err)
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

uint64_t rhv_disk_allocated(const char *path)
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

/* ---- volumes ---- */

int rhv_disk_volume_create(const struct rhv_spm_token *tok, const struct rhv_disk_place *pl, const char *image,
			   const char *name, const char *description, const struct rhv_sd_volume *vol,
			   struct rhv_error *err)
{
	_cleanup_free_ char *path = rhv_sd_volume_path(pl->path, image, vol->id);
	struct new_image n = { image, name, description, *vol };

	if (make_image_dir(pl, image, err) < 0 ||
	    rhv_qimg_create(path, vol->format, vol->size, !strcmp(vol->allocation, "preallocated"), NULL, NULL, &pl->as,
			    err) < 0)
		return -1;
	return rhv_sd_meta_update(tok, pl->path, add_image, &n, err);
}

int rhv_disk_volume_resize(const struct rhv_spm_token *tok, const struct rhv_disk_place *pl,
			   const struct rhv_disk *d, uint64_t size, struct rhv_error *err)
{
	struct new_size ns = { d->volume_id, size };

	/* metadata last: a crash after the resize leaves the metadata behind, which scrub brings level */
	if (rhv_qimg_resize(d->path, d->format, size, !strcmp(d->allocation, "preallocated"), &pl->as, err) < 0)
		return -1;
	return rhv_sd_meta_update(tok, pl->path, set_size, &ns, err);
}

struct percent {
	const struct rhv_progress *p;
	const char *what;
};

static void on_percent(void *data, double pct)
{
	struct percent *x = data;

	rhv_progress_percent(x->p, x->what, (int)pct);
}

int rhv_disk_volume_copy(const struct rhv_disk *src, const struct rhv_disk_place *dst, const char *image,
			 const char *volume, const struct rhv_spm_token *tok, const char *name,
			 const struct rhv_progress *p, struct rhv_error *err)
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
