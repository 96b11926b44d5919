/*
 * Disk images on file storage domains, made and inspected by qemu-img
 * (package qemu-utils): create, info, resize, convert.
 *
 * qemu-img runs as a child process from an argv array, never through a
 * shell: /usr/bin/qemu-img, or the program the environment variable
 * RHV_QEMU_IMG names (ignored in a set-user-ID process).  The child
 *   - dies with us (PR_SET_PDEATHSIG = SIGKILL): a killed rhv never leaves
 *     a qemu-img writing to the storage behind it;
 *   - starts with default signal handlers and an empty signal mask, stdin
 *     from /dev/null, no inherited descriptors beyond 0-2, LC_ALL=C (its
 *     messages, strerror() included, stay in English so they can be read)
 *     and umask 0007;
 *   - optionally runs as the storage owner (struct rhv_qimg_as), as vdsm
 *     runs qemu-img as vdsm:kvm: new files belong to that owner, and root
 *     squashing on NFS does not get in the way.
 *
 * Paths must be absolute: qemu-img reads "proto:..." and "json:{...}" as
 * protocol specifications and "-x" as an option, an absolute path always
 * as a plain file.  Formats are raw or qcow2 (what file domains hold);
 * qcow2 images are made as qcow2 v3 (compat=1.1).
 *
 * create and convert never overwrite: the child claims the new name with
 * O_CREAT|O_EXCL (as the run-as user) before qemu-img fills it, so two
 * writers racing for one name cannot both win, and on any failure the
 * half-made file is removed.
 *
 * A failure of qemu-img itself is reported as "qemu-img <verb> failed:
 * <first line of its stderr>" (RHV_EXIT_FAILED, the rest of stderr as the
 * detail, a hint when the storage is full); a missing qemu-img as
 * RHV_EXIT_UNAVAILABLE.
 */
#pragma once

#include <sys/types.h>

#include "rhv/common.h"
#include "rhv/error.h"

#define RHV_QIMG_DEFAULT_PATH "/usr/bin/qemu-img"
#define RHV_QIMG_ENV "RHV_QEMU_IMG"

/*
 * Whom qemu-img runs as.  With set and when we are root: setgroups(0, NULL),
 * setgid(gid), setuid(uid) in the child before exec.  Without root the
 * child keeps our identity (it could not switch anyway).  NULL = as we are.
 */
struct rhv_qimg_as {
	bool set;
	uid_t uid;
	gid_t gid;
};

struct rhv_qimg_info {
	char format[16];       /* "raw", "qcow2", ... as qemu-img names it */
	uint64_t virtual_size; /* bytes the guest sees */
	uint64_t actual_size;  /* bytes allocated on the storage */
	char *backing;         /* the backing file as recorded in the image; NULL without one */
	char *backing_format;  /* its recorded format; NULL when not recorded */
	bool dirty;            /* qcow2 dirty flag (lazy refcounts not flushed) */
	bool corrupt;          /* qcow2 marked corrupt: qemu refuses to write it */
};

/* Called with a growing percentage (0..100) while an image is converted. */
typedef void (*rhv_qimg_progress_fn)(void *data, double percent);

/*
 * Create the image path of format (raw|qcow2) and size bytes.  preallocate
 * (raw only) allocates it all at once (preallocation=falloc); qcow2 is
 * always sparse.  backing (qcow2 only) makes an overlay over that parent,
 * an absolute path or one relative to path's directory (no ':'); its
 * backing_format is then required, since letting qemu probe it would let a
 * guest that wrote a qcow2 header into a raw parent pick what is read.
 * size 0 with a backing file takes the parent's size.
 * Returns: 0 on success; -1 with err
 *   RHV_EXIT_USAGE for a relative path, an unknown format, qcow2 with
 *     preallocate, a backing file on raw or without its format, size 0
 *     without a backing file;
 *   RHV_EXIT_CONFLICT when path already exists (never overwritten);
 *   RHV_EXIT_NOTFOUND when the backing file does not exist;
 *   RHV_EXIT_UNAVAILABLE when qemu-img cannot be run (not installed);
 *   RHV_EXIT_FAILED when the file cannot be created or qemu-img fails
 *     (nothing is left behind).
 */
int rhv_qimg_create(const char *path, const char *format, uint64_t size, bool preallocate,
		    const char *backing, const char *backing_format, const struct rhv_qimg_as *as,
		    struct rhv_error *err);

/* One image of rhv_qimg_create_all(): the arguments of rhv_qimg_create(). */
struct rhv_qimg_new {
	const char *path, *format;
	uint64_t size;
	bool preallocate;
	const char *backing, *backing_format;
	/*
	 * Leave the backing chain closed (qemu-img -u): with size, which must
	 * then be the parent's, an overlay takes the same time whatever the
	 * length of the chain below it.  The backing file must still exist.
	 */
	bool unsafe_backing;
};
/*
 * Create the n images of imgs as rhv_qimg_create() does each, side by
 * side: one qemu-img each, all started before the first is waited for.
 * All or nothing: when one fails, none of them is left behind.
 * Returns: 0 on success; -1 with err as rhv_qimg_create() says, for the
 *   first failure met (every argument is checked before any qemu-img runs).
 */
int rhv_qimg_create_all(const struct rhv_qimg_new *imgs, size_t n, const struct rhv_qimg_as *as,
			struct rhv_error *err);
/*
 * The same in two steps, so the caller works while qemu-img runs: start
 * (checks every argument, starts every qemu-img; NULL with err, nothing
 * left behind, when one fails), then wait (frees b; 0 when all were made).
 * keep false removes the images even when all were made: a caller that
 * gave up meanwhile.
 */
struct rhv_qimg_batch;
struct rhv_qimg_batch *rhv_qimg_create_start(const struct rhv_qimg_new *imgs, size_t n, const struct rhv_qimg_as *as,
					     struct rhv_error *err);
int rhv_qimg_create_wait(struct rhv_qimg_batch *b, bool keep, struct rhv_error *err);

/*
 * Describe the image at path with `qemu-img info --output=json -U`
 * (--force-share: it works while a VM has the image open, the answer may
 * then lag behind the guest's writes).  The format is probed, so a
 * non-image file reads as raw.  Probing trusts the file's first bytes: for
 * a volume a guest writes to, use rhv_qimg_info_format() with the format
 * the metadata records, or a raw disk holding a forged qcow2 header would
 * report that header's size and backing file.
 * out need not be initialised; free it with rhv_qimg_info_clear() after a
 * success (after a failure it is left empty, and clearing it is harmless).
 * Returns: 0 on success; -1 with err
 *   RHV_EXIT_USAGE for a relative path;
 *   RHV_EXIT_NOTFOUND when path does not exist;
 *   RHV_EXIT_UNAVAILABLE when qemu-img cannot be run;
 *   RHV_EXIT_FAILED when qemu-img fails or its JSON cannot be read.
 */
int rhv_qimg_info(const char *path, struct rhv_qimg_info *out, struct rhv_error *err);

/*
 * rhv_qimg_info() reading path as format (raw|qcow2, passed as -f: never
 * probed); format NULL probes, as rhv_qimg_info() does.
 * Returns: as rhv_qimg_info(), and RHV_EXIT_USAGE for an unknown format;
 * RHV_EXIT_FAILED when the file is not in that format.
 */
int rhv_qimg_info_format(const char *path, const char *format, struct rhv_qimg_info *out,
			 struct rhv_error *err);

/* Free what info holds and zero it; info may be NULL. */
void rhv_qimg_info_clear(struct rhv_qimg_info *info);

/*
 * Grow the image at path, of format (raw|qcow2), to new_size bytes.  The
 * current size is read first (as format, not probed): shrinking is
 * refused, the same size does nothing.  preallocate (raw only) allocates
 * the added space at once (--preallocation=falloc).  The image must not be
 * in use by a VM (qemu-img's lock refuses).
 * Returns: 0 on success; -1 with err
 *   RHV_EXIT_USAGE for a relative path, an unknown format, qcow2 with
 *     preallocate, or a new_size below the current size;
 *   RHV_EXIT_NOTFOUND when path does not exist;
 *   RHV_EXIT_UNAVAILABLE when qemu-img cannot be run;
 *   RHV_EXIT_FAILED when qemu-img fails (the image is in use, is not of
 *     format, the storage is full).
 */
int rhv_qimg_resize(const char *path, const char *format, uint64_t new_size, bool preallocate,
		    const struct rhv_qimg_as *as, struct rhv_error *err);

/*
 * Copy the image src (read as src_format) into a new image dst of
 * dst_format: `qemu-img convert -p -f SRC_FMT -O DST_FMT [-o ...] src dst`.
 * A qcow2 top volume is read through its backing chain, so dst is the
 * whole disk flattened.  preallocate (raw dst only) allocates dst fully;
 * a qcow2 dst is qcow2 v3.  progress (may be NULL) is called with
 * progress_data and each new, larger percentage, last with 100 on success.
 * Returns: 0 on success; -1 with err
 *   RHV_EXIT_USAGE for a relative path, an unknown format, or qcow2 with
 *     preallocate;
 *   RHV_EXIT_NOTFOUND when src does not exist;
 *   RHV_EXIT_CONFLICT when dst already exists (never overwritten);
 *   RHV_EXIT_UNAVAILABLE when qemu-img cannot be run;
 *   RHV_EXIT_FAILED when qemu-img fails (src not of src_format, storage
 *     full, ...); the partly written dst is removed.
 */
int rhv_qimg_convert(const char *src, const char *src_format, const char *dst,
		     const char *dst_format, bool preallocate, rhv_qimg_progress_fn progress,
		     void *progress_data, const struct rhv_qimg_as *as, struct rhv_error *err);

/*
 * Commit the qcow2 image top into its backing file (`qemu-img commit -p -d`:
 * top is left as it was, its data now also in the backing file).  Running
 * it again after a crash gives the same result.  The images must not be in
 * use.  progress as rhv_qimg_convert().
 * Returns: 0; -1 with err (USAGE relative path, NOTFOUND, UNAVAILABLE, FAILED).
 */
int rhv_qimg_commit(const char *top, rhv_qimg_progress_fn progress, void *progress_data, const struct rhv_qimg_as *as,
		    struct rhv_error *err);
/*
 * Point the qcow2 image path at another backing file without touching its
 * data (`qemu-img rebase -u`): for a backing file that holds the same data
 * as the old one.  backing as in rhv_qimg_create().
 */
int rhv_qimg_rebase_unsafe(const char *path, const char *backing, const char *backing_format,
			   const struct rhv_qimg_as *as, struct rhv_error *err);
