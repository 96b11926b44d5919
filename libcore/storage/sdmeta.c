/*
 * Storage-domain metadata file: JSON on the domain, atomic writes fenced by
 * the SPM lease.  See rhv/sdmeta.h for the format and the rules.
 */
#include "rhv/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/disk.h"
#include "rhv/parse.h"
#include "rhv/sd.h"
#include "rhv/sdmeta.h"
#include "rhv/strindex.h"
#include "rhv/validate.h"

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
static int check_name(const char *s, size_t max, const char *what, const char *id, enum rhv_exit code,
		      struct rhv_error *err)
{
	char w[96];

	snprintf(w, sizeof(w), id ? "%s of image %s" : "%s", what, id);
	return rhv_check_name_as(s, max, w, code, err);
}

static int check_description(const char *s, const char *id, enum rhv_exit code, struct rhv_error *err)
{
	char w[96];

	snprintf(w, sizeof(w), "description of image %s", id);
	return rhv_check_text_as(s, RHV_DESCRIPTION_MAX, w, code, err);
}

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

/* Every volume of m by id, for walks that would otherwise scan the domain at each step. */
struct volume_index {
	struct rhv_strindex ids; /* id -> position in vols */
	struct rhv_sd_volume **vols;
	size_t n;
	int dup; /* the first volume whose id an earlier one has, or -1 */
};

static void index_volumes(const struct rhv_sd_meta *m, struct volume_index *vi)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nimages; i++)
		n += m->images[i].nvolumes;
	vi->vols = rhv_xcalloc(n + 1, sizeof(*vi->vols));
	vi->n = 0;
	vi->dup = -1;
	rhv_strindex_init(&vi->ids, n);
	for (size_t i = 0; i < m->nimages; i++)
		for (size_t j = 0; j < m->images[i].nvolumes; j++) {
			vi->vols[vi->n] = &m->images[i].volumes[j];
			if (rhv_strindex_add(&vi->ids, vi->vols[vi->n]->id, (int)vi->n) >= 0 && vi->dup < 0)
				vi->dup = (int)vi->n;
			vi->n++;
		}
}

static void volume_index_clear(struct volume_index *vi)
{
	rhv_strindex_clear(&vi->ids);
	free(vi->vols);
}

static struct rhv_sd_volume *indexed(const struct volume_index *vi, const char *id)
{
	int k = rhv_strindex_get(&vi->ids, id);

	return k < 0 ? NULL : vi->vols[k];
}

int rhv_sdmeta_chain(const struct rhv_sd_meta *m, const char *id, struct rhv_sd_volume ***out,
		     size_t *n, struct rhv_error *err)
{
	struct volume_index vi;
	struct rhv_sd_volume *v;
	/* A chain longer than the number of volumes must revisit one: a cycle. */
	size_t len = 0;
	struct rhv_sd_volume **chain;

	*out = NULL;
	*n = 0;
	index_volumes(m, &vi);
	v = indexed(&vi, id);
	if (!v) {
		volume_index_clear(&vi);
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "volume %s does not exist", id ? id : "");
	}
	chain = rhv_xcalloc(vi.n, sizeof(*chain));
	for (;;) {
		if (len == vi.n) {
			free(chain);
			volume_index_clear(&vi);
			return rhv_error_set(err, RHV_EXIT_FAILED,
					     "volume %s: the parent chain has a cycle", id);
		}
		chain[len++] = v;
		if (!v->parent[0])
			break;
		struct rhv_sd_volume *p = indexed(&vi, v->parent);

		if (!p) {
			free(chain);
			volume_index_clear(&vi);
			return rhv_error_set(err, RHV_EXIT_FAILED, "volume %s: parent %s does not exist",
					     v->id, v->parent);
		}
		v = p;
	}
	volume_index_clear(&vi);
	/* Collected leaf first; callers want base first (the order to open them). */
	for (size_t i = 0; i < len / 2; i++) {
		struct rhv_sd_volume *tmp = chain[i];

		chain[i] = chain[len - 1 - i];
		chain[len - 1 - i] = tmp;
	}
	*out = chain;
	*n = len;
	return 0;
}

/*
 * Every volume's chain ends at a base, in time linear in the volumes: a
 * volume whose chain was found good is not walked again.  The first volume
 * (in file order) whose chain is broken is named as rhv_sdmeta_chain()
 * would name it.
 */
static int check_chains(const struct volume_index *vi, struct rhv_error *err)
{
	enum { UNSEEN, ON_WALK, GOOD };
	uint8_t *state = rhv_xcalloc(vi->n + 1, 1);
	int *walk = rhv_xcalloc(vi->n + 1, sizeof(int));
	int rc = 0;

	for (size_t start = 0; start < vi->n && rc == 0; start++) {
		size_t len = 0;
		int k = (int)start;

		while (k >= 0 && state[k] == UNSEEN) {
			const struct rhv_sd_volume *v = vi->vols[k];

			state[k] = ON_WALK;
			walk[len++] = k;
			if (!v->parent[0]) {
				k = -1;
			} else if ((k = rhv_strindex_get(&vi->ids, v->parent)) < 0) {
				rc = rhv_error_set(err, RHV_EXIT_FAILED, "volume %s: parent %s does not exist", v->id,
						   v->parent);
				break;
			}
		}
		if (rc == 0 && k >= 0 && state[k] == ON_WALK)
			rc = rhv_error_set(err, RHV_EXIT_FAILED, "volume %s: the parent chain has a cycle",
					   vi->vols[start]->id);
		while (len > 0)
			state[walk[--len]] = GOOD;
	}
	free(state);
	free(walk);
	return rc;
}

/* ---- validation ---- */

static bool good_path(const char *path, const char *image, const char *volume)
{
	char want[128];

	snprintf(want, sizeof(want), "images/%s/%s", image, volume);
	return path && !strcmp(path, want);
}

/* Field checks of one volume, shared by validate (FAILED) and add (USAGE). */
static int check_volume(const struct rhv_sd_image *img, const struct rhv_sd_volume *v,
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
	if (check_name(m->name, RHV_SD_NAME_MAX, "domain name", NULL, RHV_EXIT_FAILED, err) < 0)
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
	index_volumes(m, &vi);
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
		if (check_name(img->name, RHV_DISK_NAME_MAX, "name", img->id, RHV_EXIT_FAILED, err) < 0 ||
		    (img->description && check_description(img->description, img->id, RHV_EXIT_FAILED, err) < 0))
			goto out;
		for (size_t j = 0; j < img->nvolumes; j++, seen++) {
			const struct rhv_sd_volume *v = &img->volumes[j];

			if (check_volume(img, v, RHV_EXIT_FAILED, err) < 0)
				goto out;
			/* the second of two volumes with one id comes first in file order */
			if ((size_t)vi.dup == seen) {
				rhv_error_set(err, RHV_EXIT_FAILED, "volume id %s appears twice", v->id);
				goto out;
			}
		}
	}
	/* Chains last: every id is known unique by now, so a walk is unambiguous. */
	rc = check_chains(&vi, err);
out:
	rhv_strindex_clear(&images);
	volume_index_clear(&vi);
	return rc;
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
	if (check_name(name, RHV_DISK_NAME_MAX, "name", id, RHV_EXIT_USAGE, err) < 0 ||
	    (description && check_description(description, id, RHV_EXIT_USAGE, err) < 0))
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
	if (check_volume(img, &nv, RHV_EXIT_USAGE, err) < 0)
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

/* ---- JSON ---- */

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

/* json-c keeps insertion order, so the key order is the order added here. */
static json_object *to_json(const struct rhv_sd_meta *m)
{
	json_object *root = json_object_new_object(), *images = json_object_new_array();

	json_object_object_add(root, "format", json_object_new_string(RHV_SDMETA_FORMAT));
	json_object_object_add(root, "version", json_object_new_int(m->version));
	json_object_object_add(root, "id", jstr(m->id));
	json_object_object_add(root, "name", jstr(m->name));
	json_object_object_add(root, "role", jstr(m->role));
	json_object_object_add(root, "kind", jstr(m->kind));
	json_object_object_add(root, "dc_id", jstr(m->dc_id));
	json_object_object_add(root, "generation", json_object_new_int64((int64_t)m->generation));
	json_object_object_add(root, "updated", json_object_new_int64(m->updated));
	for (size_t i = 0; i < m->nimages; i++) {
		const struct rhv_sd_image *img = &m->images[i];
		json_object *o = json_object_new_object(), *vols = json_object_new_array();

		json_object_object_add(o, "id", jstr(img->id));
		json_object_object_add(o, "name", jstr(img->name));
		json_object_object_add(o, "description", jstr(img->description));
		for (size_t j = 0; j < img->nvolumes; j++) {
			const struct rhv_sd_volume *v = &img->volumes[j];
			json_object *vo = json_object_new_object();

			json_object_object_add(vo, "id", jstr(v->id));
			json_object_object_add(vo, "parent", jstr(v->parent));
			json_object_object_add(vo, "format", jstr(v->format));
			json_object_object_add(vo, "allocation", jstr(v->allocation));
			json_object_object_add(vo, "size", json_object_new_int64((int64_t)v->size));
			json_object_object_add(vo, "path", jstr(v->path));
			json_object_array_add(vols, vo);
		}
		json_object_object_add(o, "volumes", vols);
		json_object_array_add(images, o);
	}
	json_object_object_add(root, "images", images);
	return root;
}

/* Member key of o as a string (NUL-free), or NULL with err set. */
static const char *get_str(json_object *o, const char *where, const char *key, struct rhv_error *err)
{
	json_object *v;
	const char *s;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string)) {
		rhv_error_set(err, RHV_EXIT_FAILED, "%s: \"%s\" is missing or not a string", where, key);
		return NULL;
	}
	s = json_object_get_string(v);
	/* "\u0000" would cut the string short in C: refuse it rather than truncate. */
	if (strlen(s) != (size_t)json_object_get_string_len(v)) {
		rhv_error_set(err, RHV_EXIT_FAILED, "%s: \"%s\" contains a NUL character", where, key);
		return NULL;
	}
	return s;
}

static int get_id(json_object *o, const char *where, const char *key, bool empty_ok, char out[37],
		  struct rhv_error *err)
{
	const char *s = get_str(o, where, key, err);

	if (!s)
		return -1;
	if (!(empty_ok && !*s) && !rhv_looks_like_uuid(s))
		return rhv_error_set(err, RHV_EXIT_FAILED, "%s: \"%s\" '%.40s' is not a UUID", where, key,
				     s);
	snprintf(out, 37, "%s", s);
	return 0;
}

static int get_int(json_object *o, const char *where, const char *key, int64_t *out,
		   struct rhv_error *err)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return rhv_error_set(err, RHV_EXIT_FAILED, "%s: \"%s\" is missing or not an integer",
				     where, key);
	errno = 0;
	*out = json_object_get_int64(v);
	/*
	 * json-c clamps without a word: a number over INT64_MAX reads as
	 * INT64_MAX (its unsigned reading keeps the real value, and everything
	 * past UINT64_MAX reads as UINT64_MAX), one under INT64_MIN as INT64_MIN
	 * (then no reading tells, and no field here has a use for INT64_MIN).
	 */
	if (errno == ERANGE || (*out == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX) ||
	    *out == INT64_MIN)
		return rhv_error_set(err, RHV_EXIT_FAILED, "%s: \"%s\" is out of range", where, key);
	return 0;
}

static int get_array(json_object *o, const char *where, const char *key, json_object **out,
		     struct rhv_error *err)
{
	if (!json_object_object_get_ex(o, key, out) || !json_object_is_type(*out, json_type_array))
		return rhv_error_set(err, RHV_EXIT_FAILED, "%s: \"%s\" is missing or not an array",
				     where, key);
	return 0;
}

static char *dup_str(json_object *o, const char *where, const char *key, struct rhv_error *err)
{
	const char *s = get_str(o, where, key, err);

	return s ? rhv_xstrdup(s) : NULL;
}

static int volume_from_json(json_object *o, const char *where, struct rhv_sd_volume *v,
			    struct rhv_error *err)
{
	int64_t size;

	if (!json_object_is_type(o, json_type_object))
		return rhv_error_set(err, RHV_EXIT_FAILED, "%s: a volume is not an object", where);
	if (get_id(o, where, "id", false, v->id, err) < 0 ||
	    get_id(o, where, "parent", true, v->parent, err) < 0 ||
	    !(v->format = dup_str(o, where, "format", err)) ||
	    !(v->allocation = dup_str(o, where, "allocation", err)) ||
	    get_int(o, where, "size", &size, err) < 0 || !(v->path = dup_str(o, where, "path", err)))
		return -1;
	if (size < 0)
		return rhv_error_set(err, RHV_EXIT_FAILED, "%s: volume %s: negative size", where, v->id);
	v->size = (uint64_t)size;
	return 0;
}

static int image_from_json(json_object *o, size_t idx, struct rhv_sd_image *img,
			   struct rhv_error *err)
{
	char where[64];
	json_object *vols;

	snprintf(where, sizeof(where), "images[%zu]", idx);
	if (!json_object_is_type(o, json_type_object))
		return rhv_error_set(err, RHV_EXIT_FAILED, "%s is not an object", where);
	if (get_id(o, where, "id", false, img->id, err) < 0 ||
	    !(img->name = dup_str(o, where, "name", err)) ||
	    !(img->description = dup_str(o, where, "description", err)) ||
	    get_array(o, where, "volumes", &vols, err) < 0)
		return -1;
	snprintf(where, sizeof(where), "image %s", img->id);
	img->volumes = rhv_xcalloc(json_object_array_length(vols) + 1, sizeof(*img->volumes));
	for (size_t j = 0; j < json_object_array_length(vols); j++) {
		/* Counted before filling, so a failure half-way still frees it. */
		img->nvolumes++;
		if (volume_from_json(json_object_array_get_idx(vols, j), where, &img->volumes[j], err) < 0)
			return -1;
	}
	return 0;
}

static int from_json(json_object *root, struct rhv_sd_meta *m, struct rhv_error *err)
{
	const char *fmt;
	json_object *images;
	int64_t version, generation;

	if (!json_object_is_type(root, json_type_object))
		return rhv_error_set(err, RHV_EXIT_FAILED, "the top level is not a JSON object");
	if (!(fmt = get_str(root, "metadata", "format", err)))
		return -1;
	if (strcmp(fmt, RHV_SDMETA_FORMAT))
		return rhv_error_set(err, RHV_EXIT_FAILED, "unsupported format '%.64s' (this build reads %s)",
				     fmt, RHV_SDMETA_FORMAT);
	if (get_int(root, "metadata", "version", &version, err) < 0)
		return -1;
	if (version != RHV_SDMETA_VERSION)
		return rhv_error_set(err, RHV_EXIT_FAILED, "unsupported metadata version %lld",
				     (long long)version);
	m->version = (int)version;
	if (get_id(root, "metadata", "id", false, m->id, err) < 0 ||
	    !(m->name = dup_str(root, "metadata", "name", err)) ||
	    !(m->role = dup_str(root, "metadata", "role", err)) ||
	    !(m->kind = dup_str(root, "metadata", "kind", err)) ||
	    get_id(root, "metadata", "dc_id", true, m->dc_id, err) < 0 ||
	    get_int(root, "metadata", "generation", &generation, err) < 0 ||
	    get_int(root, "metadata", "updated", &m->updated, err) < 0 ||
	    get_array(root, "metadata", "images", &images, err) < 0)
		return -1;
	if (generation < 0)
		return rhv_error_set(err, RHV_EXIT_FAILED, "metadata: negative generation");
	m->generation = (uint64_t)generation;
	m->images = rhv_xcalloc(json_object_array_length(images) + 1, sizeof(*m->images));
	for (size_t i = 0; i < json_object_array_length(images); i++) {
		m->nimages++;
		if (image_from_json(json_object_array_get_idx(images, i), i, &m->images[i], err) < 0)
			return -1;
	}
	return 0;
}

/* ---- files ---- */

static char *meta_dir(const char *root)
{
	return rhv_xasprintf("%s/%s", root, RHV_SDMETA_DIR);
}

static char *meta_path(const char *root)
{
	return rhv_xasprintf("%s/%s/%s", root, RHV_SDMETA_DIR, RHV_SDMETA_FILE);
}

/* Whole file into a NUL-terminated buffer; *len its size.  NULL with err set. */
static char *slurp(const char *path, size_t *len, struct rhv_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fd < 0) {
		rhv_error_set(err, errno == ENOENT || errno == ENOTDIR ? RHV_EXIT_NOTFOUND
								      : RHV_EXIT_UNAVAILABLE,
			      "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot stat %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > RHV_SDMETA_MAX_BYTES) {
		rhv_error_set(err, RHV_EXIT_FAILED, "%s is not a regular file of at most %d bytes", path,
			      RHV_SDMETA_MAX_BYTES);
		close(fd);
		return NULL;
	}
	buf = rhv_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			/* A short read means the file shrank under us: a rename is atomic, so not ours. */
			rhv_error_set(err, r < 0 ? RHV_EXIT_UNAVAILABLE : RHV_EXIT_FAILED,
				      "cannot read %s: %s", path, r < 0 ? strerror(errno) : "truncated");
			free(buf);
			close(fd);
			return NULL;
		}
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

static json_object *parse(const char *buf, size_t len, const char *path, struct rhv_error *err)
{
	json_tokener *tok = json_tokener_new();
	json_object *o;
	enum json_tokener_error jerr;

	if (!tok) {
		rhv_error_oom(err);
		return NULL;
	}
	o = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	if (!o || jerr != json_tokener_success) {
		rhv_error_set(err, RHV_EXIT_FAILED, "%s is corrupt: %s", path,
			      jerr == json_tokener_continue ? "unexpected end of file"
							    : json_tokener_error_desc(jerr));
		json_object_put(o);
		o = NULL;
	} else {
		/* Only whitespace may follow the document (a torn append would not). */
		for (size_t i = json_tokener_get_parse_end(tok); i < len; i++) {
			if (!strchr(" \t\r\n", buf[i])) {
				rhv_error_set(err, RHV_EXIT_FAILED, "%s is corrupt: data after the document",
					      path);
				json_object_put(o);
				o = NULL;
				break;
			}
		}
	}
	json_tokener_free(tok);
	return o;
}

int rhv_sdmeta_parse(const char *buf, size_t len, const char *where, struct rhv_sd_meta *out,
		     struct rhv_error *err)
{
	json_object *o;
	int rc;

	memset(out, 0, sizeof(*out));
	if (memchr(buf, '\0', len) || rhv_utf8_len(buf) < 0)
		return rhv_error_set(err, RHV_EXIT_FAILED, "%s is corrupt: not UTF-8 text", where);
	o = parse(buf, len, where, err);
	if (!o)
		return -1;
	rc = from_json(o, out, err);
	json_object_put(o);
	if (rc == 0)
		rc = rhv_sdmeta_validate(out, err);
	if (rc < 0)
		rhv_error_detail(err, "in %s", where);
	return rc;
}

int rhv_sdmeta_read(const char *root, struct rhv_sd_meta *out, struct rhv_error *err)
{
	char *path = meta_path(root), *buf;
	size_t len;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	buf = slurp(path, &len, err);
	if (buf)
		rc = rhv_sdmeta_parse(buf, len, path, out, err);
	free(buf);
	free(path);
	return rc;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * Remove temporary files left by writers killed before their rename.  Only
 * the SPM writes, and it calls this after its lease check, so none of them
 * can belong to a live writer.
 */
static void remove_stale(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, RHV_SDMETA_TMP_PREFIX, strlen(RHV_SDMETA_TMP_PREFIX)))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

/* The generation recorded by the file now on the storage, or 0 if none is readable. */
static uint64_t stored_generation(const char *root)
{
	struct rhv_sd_meta cur;
	struct rhv_error e = { 0 };
	uint64_t g = 0;

	if (rhv_sdmeta_read(root, &cur, &e) == 0)
		g = cur.generation;
	rhv_sdmeta_clear(&cur);
	return g;
}

/*
 * Write text to a new temporary file in dir, synced.  Returns 0 with *tmp
 * its path (caller frees), or the errno of the failure with err set, the
 * file removed and *tmp NULL.
 */
static int write_temp(const char *dir, const char *text, char **tmp, struct rhv_error *err)
{
	int fd, e;

	*tmp = rhv_xasprintf("%s/%sXXXXXX", dir, RHV_SDMETA_TMP_PREFIX);
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot create a file in %s: %s", dir, strerror(e));
		free(*tmp);
		*tmp = NULL;
		return e;
	}
	/* mkstemp makes it 0600; other hosts' readers (vdsm runs as its own user) need to read it. */
	e = fchmod(fd, 0644) < 0 || write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0 ||
		    fsync(fd) < 0 ? errno : 0;
	if (close(fd) < 0 && !e)
		e = errno;
	if (e) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot write %s: %s", *tmp, strerror(e));
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return e;
	}
	return 0;
}

/* Give the reserve's space back for a write that found the domain full.  True if there was one. */
static bool release_reserve(const char *dir)
{
	_cleanup_free_ char *path = rhv_xasprintf("%s/%s", dir, RHV_SDMETA_RESERVE);

	return unlink(path) == 0;
}

/* Make the reserve again if it is missing (best effort: a full domain gets it back later). */
static void keep_reserve(const char *dir)
{
	_cleanup_free_ char *path = rhv_xasprintf("%s/%s", dir, RHV_SDMETA_RESERVE);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return;
	if (posix_fallocate(fd, 0, RHV_SDMETA_RESERVE_BYTES) != 0) {
		close(fd);
		unlink(path);
		return;
	}
	close(fd);
}

/*
 * The one writer.  lease_path NULL: formatting a new domain, which must not
 * have metadata yet (the rename then never replaces a file).
 */
static int write_meta(const char *root, struct rhv_sd_meta *m, const char *lease_path, int host_id,
		      uint64_t generation, const struct rhv_lease_timing *t, struct rhv_error *err)
{
	char *dir = meta_dir(root), *path = meta_path(root), *tmp = NULL;
	uint64_t old_gen = m->generation, stored;
	int64_t old_updated = m->updated;
	json_object *o = NULL;
	const char *text;
	int fd = -1, dfd = -1, rc = -1;

	/* Refuse early: a host that is not the SPM must not even clean up. */
	if (lease_path && rhv_lease_check(lease_path, host_id, generation, t, err) < 0)
		goto out;
	stored = stored_generation(root);
	if (stored > generation) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "the metadata was written under SPM generation %llu, later than %llu",
			      (unsigned long long)stored, (unsigned long long)generation);
		goto out;
	}
	m->generation = generation;
	m->updated = (t && t->now_ms ? t->now_ms(t->clock_data) : (int64_t)time(NULL) * 1000) / 1000;
	if (rhv_sdmeta_validate(m, err) < 0)
		goto restore;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		rhv_error_set(err, errno == ENOENT ? RHV_EXIT_NOTFOUND : RHV_EXIT_UNAVAILABLE,
			      "cannot create %s: %s", dir, strerror(errno));
		goto restore;
	}
	if (lease_path)
		remove_stale(dir);

	o = to_json(m);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
	/* a full domain must still let the SPM remove disks: the reserve makes room for this one write */
	if (write_temp(dir, text, &tmp, err) == ENOSPC && release_reserve(dir)) {
		rhv_error_clear(err);
		write_temp(dir, text, &tmp, err);
	}
	if (!tmp)
		goto restore;
	/* The fencing check, as late as possible: the token may have moved on while we wrote. */
	if (lease_path && rhv_lease_check(lease_path, host_id, generation, t, err) < 0)
		goto restore;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, lease_path ? 0 : RENAME_NOREPLACE) < 0) {
		rhv_error_set(err, errno == EEXIST ? RHV_EXIT_CONFLICT : RHV_EXIT_UNAVAILABLE,
			      errno == EEXIST ? "%s: %s already exists" : "cannot rename %s to %s: %s",
			      errno == EEXIST ? root : tmp, errno == EEXIST ? RHV_SDMETA_DIR "/" RHV_SDMETA_FILE : path,
			      strerror(errno));
		goto restore;
	}
	free(tmp);
	tmp = NULL; /* renamed: nothing left to remove */
	/* The rename is durable only once the directory entry is. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
			      "%s was replaced but syncing %s failed (%s): the change may not be durable",
			      path, dir, strerror(errno));
		goto out;
	}
	rc = 0;
	keep_reserve(dir);
	goto out;
restore:
	m->generation = old_gen;
	m->updated = old_updated;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	json_object_put(o);
	free(dir);
	free(path);
	return rc;
}

int rhv_sdmeta_write(const char *root, struct rhv_sd_meta *m, const char *lease_path, int host_id,
		     uint64_t generation, const struct rhv_lease_timing *t, struct rhv_error *err)
{
	return write_meta(root, m, lease_path, host_id, generation, t, err);
}

int rhv_sdmeta_format(const char *root, struct rhv_sd_meta *m, struct rhv_error *err)
{
	return write_meta(root, m, NULL, 0, m->generation, NULL, err);
}
