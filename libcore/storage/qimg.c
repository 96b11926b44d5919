/*
 * Disk images through qemu-img: create, resize and convert.  See rhv/qimg.h
 * for the contract; the arguments are checked in qimg-args.c, running
 * qemu-img safely is qimg-spawn.c's, reading `info` qimg-info.c's.
 */
#include "rhv/common.h"

#include <inttypes.h>
#include <stdio.h>

#include "rhv/cleanup.h"
#include "rhv/qimg.h"

#include "storage/qimg-priv.h"

int rhv_qimg_create(const char *path, const char *format, uint64_t size, bool preallocate,
		    const char *backing, const char *backing_format, const struct rhv_qimg_as *as,
		    struct rhv_error *err)
{
	_cleanup_(rhv_qimg_run_release) struct run r = { .verb = "create", .target = path, .as = as,
							 .claim = path };
	const char *opts;
	char sz[24];

	if (rhv_qimg_check_target(path, format, preallocate, err) < 0)
		return -1;
	if (backing && rhv_qimg_check_backing(path, format, backing, backing_format, err) < 0)
		return -1;
	if (!size && !backing)
		return rhv_error_set(err, RHV_EXIT_USAGE, "size of '%s' must be above 0", path);
	ARGS(&r, "create", "-f", format);
	opts = rhv_qimg_create_options(format, preallocate);
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

	if (rhv_qimg_check_target(path, format, preallocate, err) < 0)
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
	    rhv_qimg_check_target(dst, dst_format, preallocate, err) < 0)
		return -1;
	if (rhv_qimg_must_exist(src, err) < 0)
		return -1;
	/* -f always: a probed raw source with a forged header would copy something else. */
	ARGS(&r, "convert", "-p", "-f", src_format, "-O", dst_format);
	opts = rhv_qimg_create_options(dst_format, preallocate);
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

int rhv_qimg_commit(const char *top, rhv_qimg_progress_fn progress, void *progress_data, const struct rhv_qimg_as *as,
		    struct rhv_error *err)
{
	struct progress pr = { .fn = progress, .data = progress_data, .last = -1 };
	_cleanup_(rhv_qimg_run_release) struct run r = { .verb = "commit", .target = top, .as = as, .progress = &pr };

	if (rhv_qimg_check_path(top, err) < 0 || rhv_qimg_must_exist(top, err) < 0)
		return -1;
	/* -d: top is removed next, emptying it would only cost time (and a redo after a crash reads it again) */
	ARGS(&r, "commit", "-p", "-d", "-f", "qcow2", top);
	return rhv_qimg_run(&r, err);
}

int rhv_qimg_rebase_unsafe(const char *path, const char *backing, const char *backing_format,
			   const struct rhv_qimg_as *as, struct rhv_error *err)
{
	_cleanup_(rhv_qimg_run_release) struct run r = { .verb = "rebase", .target = path, .as = as };

	if (rhv_qimg_check_path(path, err) < 0 || rhv_qimg_must_exist(path, err) < 0 ||
	    rhv_qimg_check_backing(path, "qcow2", backing, backing_format, err) < 0)
		return -1;
	ARGS(&r, "rebase", "-u", "-f", "qcow2", "-b", backing, "-F", backing_format, path);
	return rhv_qimg_run(&r, err);
}
