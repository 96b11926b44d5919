/* Storage-domain metadata read: the file, its JSON, and the fields taken from it. */
#include "rhv/common.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rhv/parse.h"
#include "rhv/sdmeta.h"

#include "storage/sdmeta-priv.h"

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
	{
		json_object *content;

		/* absent: a disk, as every v3 writer before it wrote */
		img->memory = json_object_object_get_ex(o, "content", &content) &&
			      json_object_is_type(content, json_type_string) &&
			      !strcmp(json_object_get_string(content), "memory");
	}
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
	char *path = sdmeta_path(root), *buf;
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
