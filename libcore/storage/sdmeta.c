/*
 * Storage-domain metadata in memory: lookups and edits.  Volume chains are
 * in sdmeta-chain.c; the file is read in sdmeta-read.c, written in
 * sdmeta-write.c and checked in sdmeta-validate.c; see rhv/sdmeta.h for the
 * format and the rules.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/disk.h"
#include "rhv/parse.h"
#include "rhv/sdmeta.h"

#include "storage/sdmeta-priv.h"

/* ---- lookups ---- */

struct rhv_sd_image *rhv_sdmeta_find_image(const struct rhv_sd_meta *m, const char *id)
{
	for (size_t i = 0; id && i < m->nimages; i++)
		if (!strcmp(m->images[i].id, id))
			return &m->images[i];
	return NULL;
}

struct rhv_sd_image *rhv_sdmeta_find_image_name(const struct rhv_sd_meta *m, const char *name,
						size_t *count)
{
	struct rhv_sd_image *first = NULL;
	size_t n = 0;

	for (size_t i = 0; name && i < m->nimages; i++) {
		if (m->images[i].name && !strcmp(m->images[i].name, name)) {
			if (!first)
				first = &m->images[i];
			n++;
		}
	}
	if (count)
		*count = n;
	return first;
}

struct rhv_sd_volume *rhv_sdmeta_find_volume(const struct rhv_sd_meta *m, const char *id,
					     struct rhv_sd_image **image)
{
	for (size_t i = 0; id && i < m->nimages; i++) {
		for (size_t j = 0; j < m->images[i].nvolumes; j++) {
			if (!strcmp(m->images[i].volumes[j].id, id)) {
				if (image)
					*image = &m->images[i];
				return &m->images[i].volumes[j];
			}
		}
	}
	return NULL;
}

/* ---- editing ---- */

static void clear_volume(struct rhv_sd_volume *v)
{
	free(v->format);
	free(v->allocation);
	free(v->path);
	memset(v, 0, sizeof(*v));
}

static void clear_image(struct rhv_sd_image *img)
{
	for (size_t j = 0; j < img->nvolumes; j++)
		clear_volume(&img->volumes[j]);
	free(img->volumes);
	free(img->name);
	free(img->description);
	memset(img, 0, sizeof(*img));
}

void rhv_sdmeta_clear(struct rhv_sd_meta *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nimages; i++)
		clear_image(&m->images[i]);
	free(m->images);
	free(m->name);
	free(m->role);
	free(m->kind);
	memset(m, 0, sizeof(*m));
}

int rhv_sdmeta_add_image(struct rhv_sd_meta *m, const char *id, const char *name,
			 const char *description, struct rhv_error *err)
{
	struct rhv_sd_image *img;

	if (!rhv_looks_like_uuid(id))
		return rhv_error_set(err, RHV_EXIT_USAGE, "image id '%s' is not a UUID", id ? id : "");
	if (rhv_sdmeta_check_name(name, RHV_DISK_NAME_MAX, "name", id, RHV_EXIT_USAGE, err) < 0 ||
	    (description && rhv_sdmeta_check_description(description, id, RHV_EXIT_USAGE, err) < 0))
		return -1;
	if (rhv_sdmeta_find_image(m, id))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "image %s already exists", id);
	m->images = rhv_xrealloc(m->images, (m->nimages + 1) * sizeof(*m->images));
	img = &m->images[m->nimages++];
	memset(img, 0, sizeof(*img));
	snprintf(img->id, sizeof(img->id), "%s", id);
	img->name = rhv_xstrdup(name);
	img->description = rhv_xstrdup(description ? description : "");
	return 0;
}

/* The first volume whose parent is id, skipping those in image skip (may be NULL). */
static struct rhv_sd_volume *find_child(const struct rhv_sd_meta *m, const char *id,
					const struct rhv_sd_image *skip)
{
	for (size_t i = 0; i < m->nimages; i++) {
		if (&m->images[i] == skip)
			continue;
		for (size_t j = 0; j < m->images[i].nvolumes; j++)
			if (!strcmp(m->images[i].volumes[j].parent, id))
				return &m->images[i].volumes[j];
	}
	return NULL;
}

int rhv_sdmeta_remove_image(struct rhv_sd_meta *m, const char *id, struct rhv_error *err)
{
	struct rhv_sd_image *img = rhv_sdmeta_find_image(m, id);
	size_t k;

	if (!img)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "image %s does not exist", id ? id : "");
	for (size_t j = 0; j < img->nvolumes; j++) {
		struct rhv_sd_volume *c = find_child(m, img->volumes[j].id, img);

		if (c)
			return rhv_error_set(err, RHV_EXIT_CONFLICT,
					     "image %s: volume %s is the parent of volume %s of another image",
					     id, img->volumes[j].id, c->id);
	}
	k = (size_t)(img - m->images);
	clear_image(img);
	memmove(&m->images[k], &m->images[k + 1], (m->nimages - k - 1) * sizeof(*m->images));
	m->nimages--;
	return 0;
}

int rhv_sdmeta_add_volume(struct rhv_sd_meta *m, const char *image_id, const struct rhv_sd_volume *v,
			  struct rhv_error *err)
{
	struct rhv_sd_image *img = rhv_sdmeta_find_image(m, image_id);
	struct rhv_sd_volume nv = { 0 };

	if (!img)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "image %s does not exist",
				     image_id ? image_id : "");
	snprintf(nv.id, sizeof(nv.id), "%s", v->id);
	snprintf(nv.parent, sizeof(nv.parent), "%s", v->parent);
	nv.format = v->format ? rhv_xstrdup(v->format) : NULL;
	nv.allocation = v->allocation ? rhv_xstrdup(v->allocation) : NULL;
	nv.size = v->size;
	nv.path = v->path ? rhv_xstrdup(v->path) : rhv_xasprintf("images/%s/%s", img->id, nv.id);
	if (rhv_sdmeta_check_volume(img, &nv, RHV_EXIT_USAGE, err) < 0)
		goto fail;
	if (rhv_sdmeta_find_volume(m, nv.id, NULL)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "volume %s already exists", nv.id);
		goto fail;
	}
	if (nv.parent[0] && !rhv_sdmeta_find_volume(m, nv.parent, NULL)) {
		rhv_error_set(err, RHV_EXIT_NOTFOUND, "volume %s: parent %s does not exist", nv.id,
			      nv.parent);
		goto fail;
	}
	/* A new leaf cannot close a cycle: nothing has it as parent yet. */
	img->volumes = rhv_xrealloc(img->volumes, (img->nvolumes + 1) * sizeof(*img->volumes));
	img->volumes[img->nvolumes++] = nv;
	return 0;
fail:
	clear_volume(&nv);
	return -1;
}

int rhv_sdmeta_remove_volume(struct rhv_sd_meta *m, const char *id, struct rhv_error *err)
{
	struct rhv_sd_image *img = NULL;
	struct rhv_sd_volume *v = rhv_sdmeta_find_volume(m, id, &img), *c;
	size_t k;

	if (!v)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "volume %s does not exist", id ? id : "");
	c = find_child(m, id, NULL);
	if (c)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "volume %s is the parent of volume %s", id,
				     c->id);
	k = (size_t)(v - img->volumes);
	clear_volume(v);
	memmove(&img->volumes[k], &img->volumes[k + 1], (img->nvolumes - k - 1) * sizeof(*v));
	img->nvolumes--;
	return 0;
}
