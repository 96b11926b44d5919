/*
 * Disk images through qemu-img: create, resize and convert.  See rhv/qimg.h
 * for the contract; the arguments are checked in qimg-args.c, running
 * qemu-img safely is qimg-spawn.c's, reading `info` qimg-info.c's.
 */
#include "rhv/common.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "rhv/cleanup.h"
#include "rhv/qimg.h"

#include "storage/qimg-priv.h"

/* r's command line for img, checked first; sz holds the size argument. */
static int create_args(struct run *r, const struct rhv_qimg_new *img, char sz[24], struct rhv_error *err)
{
	const char *opts;

	if (rhv_qimg_check_target(img->path, img->format, img->preallocate, err) < 0)
		return -1;
	if (img->backing &&
	    rhv_qimg_check_backing(img->path, img->format, img->backing, img->backing_format, err) < 0)
		return -1;
	if (!img->size && (!img->backing || img->unsafe_backing))
		return rhv_error_set(err, RHV_EXIT_USAGE, "size of '%s' must be above 0", img->path);
	ARGS(r, "create", "-f", img->format);
	opts = rhv_qimg_create_options(img->format, img->preallocate);
	if (opts)
		ARGS(r, "-o", opts);
	if (img->backing && img->unsafe_backing)
		ARGS(r, "-u");
	if (img->backing)
		ARGS(r, "-b", img->backing, "-F", img->backing_format);
	ARGS(r, img->path);
	if (img->size) {
		snprintf(sz, 24, "%" PRIu64, img->size);
		ARGS(r, sz);
	}
	return 0;
}

/* The runs of a batch, and its own copy of the images' strings their command lines point into. */
struct rhv_qimg_batch {
	struct run *r;
	struct rhv_qimg_new *imgs;
	char (*sz)[24];
	size_t n;
	struct rhv_qimg_as as; /* whom they run as, when set */
};

static char *dup_or_null(const char *s)
{
	return s ? rhv_xstrdup(s) : NULL;
}

static void batch_free(struct rhv_qimg_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		rhv_qimg_run_release(&b->r[i]);
		free((char *)b->imgs[i].path);
		free((char *)b->imgs[i].format);
		free((char *)b->imgs[i].backing);
		free((char *)b->imgs[i].backing_format);
	}
	free(b->r);
	free(b->imgs);
	free(b->sz);
	free(b);
}

struct rhv_qimg_batch *rhv_qimg_create_start(const struct rhv_qimg_new *imgs, size_t n, const struct rhv_qimg_as *as,
					     struct rhv_error *err)
{
	struct rhv_qimg_batch *b = rhv_xcalloc(1, sizeof(*b));
	int rc = 0;

	b->r = rhv_xcalloc(n + 1, sizeof(*b->r));
	b->imgs = rhv_xcalloc(n + 1, sizeof(*b->imgs));
	b->sz = rhv_xcalloc(n + 1, sizeof(*b->sz));
	b->n = n;
	/* the caller's strings (and identity) may go before we wait: the runs point into copies */
	if (as)
		b->as = *as;
	for (size_t i = 0; i < n; i++) {
		b->imgs[i] = imgs[i];
		b->imgs[i].path = dup_or_null(imgs[i].path);
		b->imgs[i].format = dup_or_null(imgs[i].format);
		b->imgs[i].backing = dup_or_null(imgs[i].backing);
		b->imgs[i].backing_format = dup_or_null(imgs[i].backing_format);
	}
	/* every command line checked before the first qemu-img starts */
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct rhv_qimg_new *img = &b->imgs[i];

		b->r[i] = (struct run){ .verb = "create", .target = img->path, .as = as ? &b->as : NULL,
					.claim = img->path };
		rc = create_args(&b->r[i], img, b->sz[i], err);
	}
	if (rc == 0)
		rc = rhv_qimg_start_writers(b->r, n, err);
	if (rc < 0) {
		batch_free(b);
		return NULL;
	}
	return b;
}

int rhv_qimg_create_wait(struct rhv_qimg_batch *b, bool keep, struct rhv_error *err)
{
	int rc = rhv_qimg_wait_writers(b->r, b->n, keep, err);

	batch_free(b);
	return rc;
}

int rhv_qimg_create_all(const struct rhv_qimg_new *imgs, size_t n, const struct rhv_qimg_as *as,
			struct rhv_error *err)
{
	struct rhv_qimg_batch *b = rhv_qimg_create_start(imgs, n, as, err);

	return b ? rhv_qimg_create_wait(b, true, err) : -1;
}

int rhv_qimg_create(const char *path, const char *format, uint64_t size, bool preallocate,
		    const char *backing, const char *backing_format, const struct rhv_qimg_as *as,
		    struct rhv_error *err)
{
	const struct rhv_qimg_new img = { path, format, size, preallocate, backing, backing_format };

	return rhv_qimg_create_all(&img, 1, as, err);
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
