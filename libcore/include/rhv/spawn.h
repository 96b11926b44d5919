/*
 * Child processes with their input given and their output captured: the
 * fence agents and ssh (util/spawn.c, libc only).  Several children are
 * waited for together with poll(); one that outlives its time is killed
 * with its process group.
 */
#pragma once

#include <sys/types.h>

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_spawn {
	/* in */
	char *const *argv;   /* argv[0] looked up in PATH */
	char *input;         /* written to the child's stdin, then wiped (the caller's buffer); NULL: none */
	/* out */
	pid_t pid;
	char *out, *errout;  /* what it wrote, NUL-terminated (allocated) */
	size_t out_len, err_len;
	int status;          /* exit status; -1 when killed or it died of a signal */
	bool timed_out;
	double seconds;      /* from start to exit */
	/* private */
	int fd_out, fd_err;
	double start;
	bool running;
};

/*
 * Start the child: its own process group, stdin a pipe that gets input
 * and is closed, stdout and stderr pipes.  Returns: 0, or -1 (fork or
 * pipe failed; an exec failure shows as exit status 127 and a message on
 * its stderr).
 */
int rhv_spawn_start(struct rhv_spawn *s, struct rhv_error *err);
/*
 * Wait for every started child of s[0..n-1], reading their output, for at
 * most timeout_ms from now: the ones still running then are killed
 * (SIGKILL to their process group) and marked timed_out.
 */
void rhv_spawn_wait(struct rhv_spawn *const *s, size_t n, int timeout_ms);
/* Free the captured output. */
void rhv_spawn_clear(struct rhv_spawn *s);
