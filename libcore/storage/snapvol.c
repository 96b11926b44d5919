/* Volumes of VM snapshots: layers added, volumes removed, merges (storage/snapvol.h). */
#include "rhv/common.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/sdmeta.h"
#include "storage/sd-priv.h"
#include "storage/snapvol.h"

/* ---- adding layers ---- */

struct add {
	const struct rhv_snapvol_layer *l;
	size_t n;
};

static int add_edit(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	const struct add *a = arg;

	for (size_t i = 0; i < a->n; i++) {
		const struct rhv_snapvol_layer *l = &a->l[i];
		struct rhv_sd_volume *p = rhv_sdmeta_find_volume(m, l->parent, NULL);
		struct rhv_sd_volume v = { .format = "qcow2", .allocation = "sparse" };

		if (!p)
			return rhv_error_set(err, RHV_EXIT_FAILED, "volume %s is missing from the domain's metadata",
					     l->parent);
		if (rhv_sdmeta_find_volume(m, l->id, NULL))
			continue;
		snprintf(v.id, sizeof(v.id), "%s", l->id);
		snprintf(v.parent, sizeof(v.parent), "%s", l->parent);
		v.size = p->size;
		if (rhv_sdmeta_add_volume(m, l->image, &v, err) < 0)
			return -1;
	}
	return 0;
}

static void unlink_volume(const char *root, const char *image, const char *id)
{
	_cleanup_free_ char *path = rhv_sd_volume_path(root, image, id);

	unlink(path);
}

struct rhv_snapvol_adding {
	char *root;
	const struct rhv_snapvol_layer *l;
	size_t n;
	struct rhv_qimg_batch *files;
};

struct rhv_snapvol_adding *rhv_snapvol_add_start(const char *root, const struct rhv_qimg_as *as,
						 const struct rhv_snapvol_layer *l, size_t n, struct rhv_error *err)
{
	struct rhv_qimg_new *imgs = rhv_xcalloc(n + 1, sizeof(*imgs));
	char **paths = rhv_xcalloc(n + 1, sizeof(*paths));
	struct rhv_snapvol_adding *a = NULL;
	struct rhv_qimg_batch *files = NULL;
	struct rhv_sd_meta m;

	memset(&m, 0, sizeof(m));
	if (rhv_sdmeta_read(root, &m, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct rhv_sd_volume *p = rhv_sdmeta_find_volume(&m, l[i].parent, NULL);

		if (!p) {
			rhv_error_set(err, RHV_EXIT_FAILED, "volume %s is missing from the domain's metadata",
				      l[i].parent);
			goto out;
		}
		paths[i] = rhv_sd_volume_path(root, l[i].image, l[i].id);
		/*
		 * The backing name is relative, as vdsm writes it: the chain
		 * survives another mount point.  The size is the parent's, as
		 * the metadata has it, so qemu-img need not open the chain
		 * below (which costs the more, the longer it is).
		 */
		imgs[i] = (struct rhv_qimg_new){ .path = paths[i], .format = "qcow2", .size = p->size,
						 .backing = l[i].parent, .backing_format = p->format,
						 .unsafe_backing = true };
	}
	/* one qemu-img per layer, side by side */
	files = rhv_qimg_create_start(imgs, n, as, err);
	if (files) {
		a = rhv_xcalloc(1, sizeof(*a));
		*a = (struct rhv_snapvol_adding){ rhv_xstrdup(root), l, n, files };
	}
out:
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(imgs);
	rhv_sdmeta_clear(&m);
	return a;
}

static void adding_free(struct rhv_snapvol_adding *a)
{
	free(a->root);
	free(a);
}

int rhv_snapvol_add_finish(struct rhv_snapvol_adding *a, const struct rhv_spm_token *tok, struct rhv_error *err)
{
	struct add x = { a->l, a->n };
	int rc = -1;

	if (rhv_qimg_create_wait(a->files, true, err) < 0)
		goto out; /* none of the files is left */
	rc = rhv_sd_meta_update(tok, a->root, add_edit, &x, err);
	if (rc < 0)
		for (size_t i = 0; i < a->n; i++)
			unlink_volume(a->root, a->l[i].image, a->l[i].id);
out:
	adding_free(a);
	return rc;
}

void rhv_snapvol_add_abandon(struct rhv_snapvol_adding *a)
{
	struct rhv_error ignored = { 0 };

	if (!a)
		return;
	rhv_qimg_create_wait(a->files, false, &ignored);
	adding_free(a);
}

int rhv_snapvol_add(const struct rhv_spm_token *tok, const char *root, const struct rhv_qimg_as *as,
		    const struct rhv_snapvol_layer *l, size_t n, struct rhv_error *err)
{
	struct rhv_snapvol_adding *a = rhv_snapvol_add_start(root, as, l, n, err);

	return a ? rhv_snapvol_add_finish(a, tok, err) : -1;
}

/* ---- removing volumes ---- */

struct removal {
	const char *const *ids;
	size_t n;
};

static int remove_edit(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	const struct removal *r = arg;

	for (size_t i = 0; i < r->n; i++)
		if (rhv_sdmeta_find_volume(m, r->ids[i], NULL) && rhv_sdmeta_remove_volume(m, r->ids[i], err) < 0)
			return -1;
	return 0;
}

static int unlink_checked(const char *root, const char *image, const char *id, struct rhv_error *err)
{
	_cleanup_free_ char *path = rhv_sd_volume_path(root, image, id);

	if (unlink(path) < 0 && errno != ENOENT)
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot remove volume '%s': %s", path, strerror(errno));
	return 0;
}

int rhv_snapvol_remove(const struct rhv_spm_token *tok, const char *root, const char *const *images,
		       const char *const *ids, size_t n, struct rhv_error *err)
{
	struct removal r = { ids, n };

	if (n == 0)
		return 0;
	if (rhv_sd_meta_update(tok, root, remove_edit, &r, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (unlink_checked(root, images[i], ids[i], err) < 0)
			return -1;
	return 0;
}

/* ---- merges ---- */

static int merged_edit(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	const struct rhv_snapvol_merge *mg = arg;
	struct rhv_sd_volume *child = mg->child ? rhv_sdmeta_find_volume(m, mg->child, NULL) : NULL;

	if (child)
		snprintf(child->parent, sizeof(child->parent), "%s", mg->base);
	if (rhv_sdmeta_find_volume(m, mg->top, NULL))
		return rhv_sdmeta_remove_volume(m, mg->top, err);
	return 0;
}

int rhv_snapvol_merged(const struct rhv_spm_token *tok, const char *root, const struct rhv_snapvol_merge *mg,
		       struct rhv_error *err)
{
	if (rhv_sd_meta_update(tok, root, merged_edit, (void *)mg, err) < 0)
		return -1;
	return unlink_checked(root, mg->image, mg->top, err);
}

int rhv_snapvol_lookup(const char *root, const char *id, bool *found, char format[16], char allocation[16],
		       struct rhv_error *err)
{
	struct rhv_sd_meta m;
	struct rhv_sd_volume *v;

	if (rhv_sdmeta_read(root, &m, err) < 0) {
		rhv_sdmeta_clear(&m);
		return -1;
	}
	v = rhv_sdmeta_find_volume(&m, id, NULL);
	*found = v != NULL;
	if (v && format)
		snprintf(format, 16, "%s", v->format);
	if (v && allocation)
		snprintf(allocation, 16, "%s", v->allocation);
	rhv_sdmeta_clear(&m);
	return 0;
}

int rhv_snapvol_merge(const struct rhv_spm_token *tok, const char *root, const struct rhv_qimg_as *as,
		      const struct rhv_snapvol_merge *mg, rhv_qimg_progress_fn progress, void *progress_data,
		      struct rhv_error *err)
{
	_cleanup_free_ char *top = rhv_sd_volume_path(root, mg->image, mg->top);
	char format[16] = "";
	bool found;

	if (rhv_snapvol_lookup(root, mg->top, &found, NULL, NULL, err) < 0)
		return -1;
	/* top gone from the metadata: the data went down and the chain was mended before a crash */
	if (found) {
		if (rhv_snapvol_lookup(root, mg->base, &found, format, NULL, err) < 0)
			return -1;
		if (!found)
			return rhv_error_set(err, RHV_EXIT_FAILED, "volume %s is missing from the domain's metadata",
					     mg->base);
		if (rhv_qimg_commit(top, progress, progress_data, as, err) < 0)
			return -1;
		if (mg->child) {
			_cleanup_free_ char *child = rhv_sd_volume_path(root, mg->image, mg->child);

			if (rhv_qimg_rebase_unsafe(child, mg->base, format, as, err) < 0)
				return -1;
		}
	}
	return rhv_snapvol_merged(tok, root, mg, err);
}

int rhv_snapvol_sweep(const char *root, const char *image, struct rhv_error *err)
{
	_cleanup_free_ char *dir = rhv_sd_image_dir(root, image);
	struct rhv_sd_meta m;
	struct rhv_sd_image *img;
	struct dirent *e;
	DIR *dp;
	int rc = 0;

	if (rhv_sdmeta_read(root, &m, err) < 0) {
		rhv_sdmeta_clear(&m);
		return -1;
	}
	img = rhv_sdmeta_find_image(&m, image);
	dp = img ? opendir(dir) : NULL;
	while (dp && rc == 0 && (e = readdir(dp))) {
		bool known = e->d_name[0] == '.';

		for (size_t k = 0; img && k < img->nvolumes && !known; k++)
			known = !strcmp(img->volumes[k].id, e->d_name);
		if (!known)
			rc = unlink_checked(root, image, e->d_name, err);
	}
	if (dp)
		closedir(dp);
	rhv_sdmeta_clear(&m);
	return rc;
}
