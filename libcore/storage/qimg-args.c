/*
 * The arguments of a qemu-img command checked before it runs: paths that
 * qemu-img reads as files, known formats, what a new image or overlay may
 * be, and the -o options of a new image.
 */
#include "rhv/common.h"

#include <errno.h>
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
int rhv_qimg_check_target(const char *path, const char *format, bool preallocate,
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
int rhv_qimg_check_backing(const char *path, const char *format, const char *backing,
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
const char *rhv_qimg_create_options(const char *format, bool preallocate)
{
	if (!strcmp(format, "qcow2"))
		return "compat=1.1";
	return preallocate ? "preallocation=falloc" : NULL;
}
