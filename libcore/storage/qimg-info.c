/* What qemu-img info says about an image, read from its JSON. */
#include "rhv/common.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/qimg.h"

#include "storage/qimg-priv.h"

RHV_DEFINE_CLEANUP(json_object *, json_object_put)

static int get_u64(json_object *o, const char *key, uint64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0)
		return -1;
	*out = (uint64_t)json_object_get_int64(v);
	return 0;
}

/* The string member key of o, duplicated; NULL when absent. */
static char *dup_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return rhv_xstrdup(json_object_get_string(v));
}

static bool get_bool(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

static int parse_info(const char *json, const char *path, struct rhv_qimg_info *out,
		      struct rhv_error *err)
{
	_cleanup_(json_object_put_cleanup) json_object *root = json_tokener_parse(json ? json : "");
	json_object *fmt, *spec, *data;

	if (!root || !json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "format", &fmt) ||
	    !json_object_is_type(fmt, json_type_string) ||
	    get_u64(root, "virtual-size", &out->virtual_size) < 0)
		return rhv_error_set(err, RHV_EXIT_FAILED,
				     "cannot read what qemu-img info says about '%s'", path);
	snprintf(out->format, sizeof(out->format), "%s", json_object_get_string(fmt));
	get_u64(root, "actual-size", &out->actual_size); /* absent on some protocols: stays 0 */
	out->backing = dup_str(root, "backing-filename");
	out->backing_format = dup_str(root, "backing-filename-format");
	out->dirty = get_bool(root, "dirty-flag");
	if (json_object_object_get_ex(root, "format-specific", &spec) &&
	    json_object_object_get_ex(spec, "data", &data))
		out->corrupt = get_bool(data, "corrupt");
	return 0;
}

int rhv_qimg_info_format(const char *path, const char *format, struct rhv_qimg_info *out,
			 struct rhv_error *err)
{
	_cleanup_(rhv_qimg_run_release) struct run r = { .verb = "info", .target = path,
							 .keep_stdout = true };

	memset(out, 0, sizeof(*out));
	if (rhv_qimg_check_path(path, err) < 0 || (format && rhv_qimg_check_format(format, err) < 0))
		return -1;
	if (rhv_qimg_must_exist(path, err) < 0)
		return -1;
	/* -U: a running VM holds qemu's write lock on its images; we only look. */
	ARGS(&r, "info", "--output=json", "-U");
	if (format)
		ARGS(&r, "-f", format);
	ARGS(&r, path);
	if (rhv_qimg_run(&r, err) < 0 || parse_info(r.out.data, path, out, err) < 0) {
		rhv_qimg_info_clear(out);
		return -1;
	}
	return 0;
}

int rhv_qimg_info(const char *path, struct rhv_qimg_info *out, struct rhv_error *err)
{
	return rhv_qimg_info_format(path, NULL, out, err);
}

void rhv_qimg_info_clear(struct rhv_qimg_info *info)
{
	if (!info)
		return;
	free(info->backing);
	free(info->backing_format);
	memset(info, 0, sizeof(*info));
}
