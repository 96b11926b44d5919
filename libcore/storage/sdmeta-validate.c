/*
 * Storage-domain metadata checked before it is used or written: the domain's
 * fields, each image and volume, unique ids and the parent chains.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/disk.h"
#include "rhv/parse.h"
#include "rhv/sd.h"
#include "rhv/sdmeta.h"
#include "rhv/strindex.h"

#include "storage/sdmeta-priv.h"

static const char *const roles[] = { "data", "iso", "export", NULL };
static const char *const kinds[] = { "nfs", "posixfs", "glusterfs", "local", NULL };
static const char *const formats[] = { "raw", "qcow2", NULL };
static const char *const allocations[] = { "sparse", "preallocated", NULL };

static bool in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/* The names and descriptions rhv-sd and rhv-disk create accept (rhv/validate.h), no other. */
int rhv_sdmeta_check_name(const char *s, size_t max, const char *what, const char *id, enum rhv_exit code,
			  struct rhv_error *err)
{
	char w[96];

	snprintf(w, sizeof(w), id ? "%s of image %s" : "%s", what, id);
	return rhv_check_name_as(s, max, w, code, err);
}

int rhv_sdmeta_check_description(const char *s, const char *id, enum rhv_exit code, struct rhv_error *err)
{
	char w[96];

	snprintf(w, sizeof(w), "description of image %s", id);
	return rhv_check_text_as(s, RHV_DESCRIPTION_MAX, w, code, err);
}

static bool good_path(const char *path, const char *image, const char *volume)
{
	char want[128];

	snprintf(want, sizeof(want), "images/%s/%s", image, volume);
	return path && !strcmp(path, want);
}

/* Field checks of one volume, shared by validate (FAILED) and add (USAGE). */
int rhv_sdmeta_check_volume(const struct rhv_sd_image *img, const struct rhv_sd_volume *v,
			    enum rhv_exit code, struct rhv_error *err)
{
	if (!rhv_looks_like_uuid(v->id))
		return rhv_error_set(err, code, "image %s: volume id '%s' is not a UUID", img->id, v->id);
	if (v->parent[0] && !rhv_looks_like_uuid(v->parent))
		return rhv_error_set(err, code, "volume %s: parent '%s' is not a UUID", v->id, v->parent);
	if (!in_list(v->format, formats))
		return rhv_error_set(err, code, "volume %s: format '%s' is not raw or qcow2", v->id,
				     v->format ? v->format : "");
	if (!in_list(v->allocation, allocations))
		return rhv_error_set(err, code, "volume %s: allocation '%s' is not sparse or preallocated",
				     v->id, v->allocation ? v->allocation : "");
	if (v->parent[0] && strcmp(v->format, "qcow2"))
		return rhv_error_set(err, code, "volume %s: a raw volume cannot have a parent", v->id);
	{
		char what[64];

		snprintf(what, sizeof(what), "size of volume %s", v->id);
		if (rhv_check_volume_size(v->size, what, code, err) < 0)
			return -1;
	}
	if (!good_path(v->path, img->id, v->id))
		return rhv_error_set(err, code, "volume %s: path '%s' is not images/%s/%s", v->id,
				     v->path ? v->path : "", img->id, v->id);
	return 0;
}

static int validate_images(const struct rhv_sd_meta *m, struct rhv_error *err);

int rhv_sdmeta_validate(const struct rhv_sd_meta *m, struct rhv_error *err)
{
	if (m->version != RHV_SDMETA_VERSION)
		return rhv_error_set(err, RHV_EXIT_FAILED, "unsupported metadata version %d (expected %d)",
				     m->version, RHV_SDMETA_VERSION);
	if (!rhv_looks_like_uuid(m->id))
		return rhv_error_set(err, RHV_EXIT_FAILED, "domain id '%s' is not a UUID", m->id);
	if (rhv_sdmeta_check_name(m->name, RHV_SD_NAME_MAX, "domain name", NULL, RHV_EXIT_FAILED, err) < 0)
		return -1;
	if (!in_list(m->role, roles))
		return rhv_error_set(err, RHV_EXIT_FAILED, "domain role '%s' is not data, iso or export",
				     m->role ? m->role : "");
	if (!in_list(m->kind, kinds))
		return rhv_error_set(err, RHV_EXIT_FAILED,
				     "domain kind '%s' is not nfs, posixfs, glusterfs or local",
				     m->kind ? m->kind : "");
	if (m->dc_id[0] && !rhv_looks_like_uuid(m->dc_id))
		return rhv_error_set(err, RHV_EXIT_FAILED, "data center id '%s' is not a UUID", m->dc_id);
	if (m->generation > INT64_MAX)
		return rhv_error_set(err, RHV_EXIT_FAILED, "generation out of range");

	return validate_images(m, err);
}

/* Images and volumes: fields, unique ids (by hash, not by scanning), then the chains. */
static int validate_images(const struct rhv_sd_meta *m, struct rhv_error *err)
{
	struct rhv_strindex images;
	struct volume_index vi;
	size_t seen = 0;
	int rc = -1;

	rhv_strindex_init(&images, m->nimages);
	rhv_sdmeta_index_volumes(m, &vi);
	for (size_t i = 0; i < m->nimages; i++) {
		const struct rhv_sd_image *img = &m->images[i];

		if (!rhv_looks_like_uuid(img->id)) {
			rhv_error_set(err, RHV_EXIT_FAILED, "image id '%s' is not a UUID", img->id);
			goto out;
		}
		if (rhv_strindex_add(&images, img->id, (int)i) >= 0) {
			rhv_error_set(err, RHV_EXIT_FAILED, "image id %s appears twice", img->id);
			goto out;
		}
		if (rhv_sdmeta_check_name(img->name, RHV_DISK_NAME_MAX, "name", img->id, RHV_EXIT_FAILED, err) < 0 ||
		    (img->description &&
		     rhv_sdmeta_check_description(img->description, img->id, RHV_EXIT_FAILED, err) < 0))
			goto out;
		for (size_t j = 0; j < img->nvolumes; j++, seen++) {
			const struct rhv_sd_volume *v = &img->volumes[j];

			if (rhv_sdmeta_check_volume(img, v, RHV_EXIT_FAILED, err) < 0)
				goto out;
			/* the second of two volumes with one id comes first in file order */
			if ((size_t)vi.dup == seen) {
				rhv_error_set(err, RHV_EXIT_FAILED, "volume id %s appears twice", v->id);
				goto out;
			}
		}
	}
	/* Chains last: every id is known unique by now, so a walk is unambiguous. */
	rc = rhv_sdmeta_check_chains(&vi, err);
out:
	rhv_strindex_clear(&images);
	rhv_sdmeta_index_clear(&vi);
	return rc;
}
