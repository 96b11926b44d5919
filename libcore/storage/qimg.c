/*
 * Disk images through qemu-img: the arguments checked, then create, resize
 * and convert.  See rhv/qimg.h for the contract; running qemu-img safely is
 * qimg-spawn.c's, reading `info` qimg-info.c's.
 */
#include "rhv/common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rhv/cleanup.h"
#include "rhv/qimg.h"

#include "storage/qimg-priv.h"

static bool known_format(const char *f)
{
	return f && (!strcmp(f, "raw") || !strcmp(f, "qcow2"));
}

/* ---- argument checks ---- */

/*
 * Absolute paths only: qemu-img reads "proto:..." and "json:{...}" as
 * protocol specifications and "-x" as an option, "/..." always as a file.
 */
int rhv_qimg_check_path(const char *path, struct rhv_error *err)
{
	if (!path || path[0] != '/')
		return rhv_error_set(err, RHV_EXIT_USAGE, "image path '%s' is not absolute",
				     path ? path : "");
	return 0;
}

int rhv_qimg_check_format(const char *format, struct rhv_error *err)
{
	if (!known_format(format))
		return rhv_error_set(err, RHV_EXIT_USAGE, "unknown image format '%s' (raw or qcow2)",
				     format ? format : "");
	return 0;
}

/* An image to write: its path, its format, preallocation only for raw. */
static int check_target(const char *path, const char *format, bool preallocate,
			struct rhv_error *err)
{
	if (rhv_qimg_check_path(path, err) < 0 || rhv_qimg_check_format(format, err) < 0)
		return -1;
	/* qcow2 allocates clusters as written; "preallocated" qcow2 is not a thing here. */
	if (preallocate && strcmp(format, "raw"))
		return rhv_error_set(err, RHV_EXIT_USAGE, "only raw images can be preallocated");
	return 0;
}

int rhv_qimg_must_exist(const char *path, struct rhv_error *err)
{
	struct stat st;

	/* Other errors (EACCES) are qemu-img's to report, in more words. */
	if (stat(path, &st) < 0 && errno == ENOENT)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "image '%s' does not exist", path);
	return 0;
}

/*
 * The backing file of a new overlay: qcow2 only, its format named (a probed
 * raw parent with a forged qcow2 header would redirect reads), and a name
 * qemu-img takes as a file: absolute, or relative to the overlay's
 * directory without ':' (which would make it a protocol).
 */
static int check_backing(const char *path, const char *format, const char *backing,
			 const char *backing_format, struct rhv_error *err)
{
	_cleanup_free_ char *full = NULL;
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (strcmp(format, "qcow2"))
		return rhv_error_set(err, RHV_EXIT_USAGE, "a %s image cannot have a backing file",
				     format);
	if (!known_format(backing_format))
		return rhv_error_set(err, RHV_EXIT_USAGE,
				     "backing file '%s' needs its format (raw or qcow2)", backing);
	if (!*backing || (backing[0] != '/' && strchr(backing, ':')))
		return rhv_error_set(err, RHV_EXIT_USAGE,
				     "backing file '%s' must be absolute or relative without ':'",
				     backing);
	full = backing[0] == '/' ?
		       rhv_xstrdup(backing) :
		       rhv_xasprintf("%.*s/%s", (int)(slash - path), path, backing);
	if (stat(full, &st) < 0 && errno == ENOENT)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "backing file '%s' does not exist", full);
	return 0;
}

/* The -o options of a new image: qcow2 v3 spelled out (older defaults made v2), falloc for raw. */
static const char *create_options(const char *format, bool preallocate)
{
	if (!strcmp(format, "qcow2"))
		return "compat=1.1";
	return preallocate ? "preallocation=falloc" : NULL;
}

/* ---- the API ---- */

int rhv_qimg_create(const char *path, const char *format, uint64_t size, bool preallocate,
		    const char *backing, const char *backing_format, const struct rhv_qimg_as *as,
		    struct rhv_error *err)
{
	_cleanup_(rhv_qimg_run_release) struct run r = { .verb = "create", .target = path, .as = as,
							 .claim = path };
	const char *opts;
	char sz[24];

	if (check_target(path, format, preallocate, err) < 0)
		return -1;
	if (backing && check_backing(path, format, backing, backing_format, err) < 0)
		return -1;
	if (!size && !backing)
		return rhv_error_set(err, RHV_EXIT_USAGE, "size of '%s' must be above 0", path);
	ARGS(&r, "create", "-f", format);
	opts = create_options(format, preallocate);
	if (opts)
		ARGS(&r, "-o", opts);
	if (backing)
		ARGS(&r, "-b", backing, "-F", backing_format);
	ARGS(&r, path);
	if (size) {
		snprintf(sz, sizeof(sz), "%" PRIu64, size);
		ARGS(&r, sz);
	}
	return rhv_qimg_run_writer(&r, err);
}

int rhv_qimg_resize(const char *path, const char *format, uint64_t new_size, bool preallocate,
		    const struct rhv_qimg_as *as, struct rhv_error *err)
{
	_cleanup_(rhv_qimg_run_release) struct run r = { .verb = "resize", .target = path, .as = as };
	struct rhv_qimg_info info;
	uint64_t cur;
	char sz[24];

	if (check_target(path, format, preallocate, err) < 0)
		return -1;
	/* Read as format, not probed: a guest-forged header must not set the size we compare with. */
	if (rhv_qimg_info_format(path, format, &info, err) < 0)
		return -1;
	cur = info.virtual_size;
	rhv_qimg_info_clear(&info);
	/* Shrinking cuts off guest data qemu cannot know is unused. */
	if (new_size < cur)
		return rhv_error_set(err, RHV_EXIT_USAGE,
				     "cannot shrink '%s' from %" PRIu64 " to %" PRIu64 " bytes", path,
				     cur, new_size);
	if (new_size == cur)
		return 0;
	ARGS(&r, "resize", "-f", format);
	if (preallocate)
		ARGS(&r, "--preallocation=falloc");
	snprintf(sz, sizeof(sz), "%" PRIu64, new_size);
	ARGS(&r, path, sz);
	return rhv_qimg_run(&r, err);
}

int rhv_qimg_convert(const char *src, const char *src_format, const char *dst,
		     const char *dst_format, bool preallocate, rhv_qimg_progress_fn progress,
		     void *progress_data, const struct rhv_qimg_as *as, struct rhv_error *err)
{
	struct progress pr = { .fn = progress, .data = progress_data, .last = -1 };
	_cleanup_(rhv_qimg_run_release) struct run r = { .verb = "convert", .target = dst, .as = as,
							 .claim = dst, .progress = &pr };
	const char *opts;

	if (rhv_qimg_check_path(src, err) < 0 || rhv_qimg_check_format(src_format, err) < 0 ||
	    check_target(dst, dst_format, preallocate, err) < 0)
		return -1;
	if (rhv_qimg_must_exist(src, err) < 0)
		return -1;
	/* -f always: a probed raw source with a forged header would copy something else. */
	ARGS(&r, "convert", "-p", "-f", src_format, "-O", dst_format);
	opts = create_options(dst_format, preallocate);
	if (opts)
		ARGS(&r, "-o", opts);
	ARGS(&r, src, dst);
	if (rhv_qimg_run_writer(&r, err) < 0)
		return -1;
	/* qemu-img ends with 100.00, but a quick copy may print nothing at all. */
	if (progress && pr.last < 100)
		progress(progress_data, 100);
	return 0;
}
