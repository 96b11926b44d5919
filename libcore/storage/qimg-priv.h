/*
 * What the files of storage/qimg*.c share and no one else uses: one
 * qemu-img invocation (struct run), run by qimg-spawn.c for the verbs of
 * qimg.c and qimg-info.c, and the argument checks of qimg-args.c.
 */
#pragma once

#include "rhv/common.h"

#include "rhv/error.h"
#include "rhv/qimg.h"

/* argv[0], the longest command line (convert: 11) and the NULL, with room. */
#define MAX_ARGS 16

struct buf {
	char *data; /* NUL-terminated, NULL while empty */
	size_t len;
	size_t max;
};

/* The state of `convert -p` parsing: "    (12.34/100%)" records ended by '\r'. */
struct progress {
	rhv_qimg_progress_fn fn;
	void *data;
	double last; /* the last value reported, -1 before the first */
	char line[64];
	size_t len;
};

/* One qemu-img invocation: the command line in, what came of it out. */
struct run {
	const char *verb;   /* the qemu-img subcommand, for messages */
	const char *target; /* the file written, for the "storage full" hint */
	const char *argv[MAX_ARGS];
	int argc;           /* arguments after argv[0] */
	const struct rhv_qimg_as *as;
	const char *claim;  /* a new file the child creates with O_EXCL first, or NULL */
	bool claimed;       /* ... and did: ours to remove on failure */
	bool keep_stdout;
	struct buf out;
	struct buf errout;
	struct progress *progress;
	int status; /* from waitpid */
	pid_t pid;  /* the child from rhv_qimg_start until rhv_qimg_wait reaps it, else 0 */
	int fd_out, fd_err, fd_report; /* our ends of its pipes, while pid is set */
};

/* ---- running qemu-img (qimg-spawn.c) ---- */

/* Append the NULL-terminated list to r's arguments; a call site with too many is a bug. */
void rhv_qimg_args_add(struct run *r, const char *const *list);
#define ARGS(r, ...) rhv_qimg_args_add((r), (const char *const[]){ __VA_ARGS__, NULL })
/* Free what a run collected (its stdout and stderr). */
void rhv_qimg_run_release(struct run *r);
/* Start qemu-img with r's arguments.  Returns: 0 (r->pid set), or -1 with err (nothing started). */
int rhv_qimg_start(struct run *r, struct rhv_error *err);
/* Wait for a started r to end.  Returns: 0 when qemu-img exited 0, or -1 with err saying what went wrong. */
int rhv_qimg_wait(struct run *r, struct rhv_error *err);
/* Run qemu-img with r's arguments and wait for it (start, then wait). */
int rhv_qimg_run(struct run *r, struct rhv_error *err);
/* rhv_qimg_run for a verb that writes r->target: on failure, what it claimed is removed. */
int rhv_qimg_run_writer(struct run *r, struct rhv_error *err);
/*
 * The n writers of r side by side: all started, later all waited for.
 * All or nothing: when one fails, what each of them claimed is removed;
 * err says the first failure met.  Start: 0 when all started (to be
 * waited for), or -1 (those started were waited for and cleaned up).
 * Wait: 0 when all succeeded; keep false removes their files even then.
 */
int rhv_qimg_start_writers(struct run *r, size_t n, struct rhv_error *err);
int rhv_qimg_wait_writers(struct run *r, size_t n, bool keep, struct rhv_error *err);

/* ---- argument checks (qimg-args.c) ---- */

/* Absolute paths only (qemu-img would read "proto:..." or "-x" as something else). */
int rhv_qimg_check_path(const char *path, struct rhv_error *err);
/* raw or qcow2 (USAGE otherwise). */
int rhv_qimg_check_format(const char *format, struct rhv_error *err);
/* NOTFOUND when path does not exist; other errors are qemu-img's to report. */
int rhv_qimg_must_exist(const char *path, struct rhv_error *err);
/* An image to write: its path, its format, preallocation only for raw. */
int rhv_qimg_check_target(const char *path, const char *format, bool preallocate, struct rhv_error *err);
/* The backing file of a new overlay (see qimg-args.c for what is refused and why). */
int rhv_qimg_check_backing(const char *path, const char *format, const char *backing, const char *backing_format,
			   struct rhv_error *err);
/* The -o options of a new image, or NULL. */
const char *rhv_qimg_create_options(const char *format, bool preallocate);
