/*
 * Running qemu-img: the child set up between fork and exec (identity,
 * descriptors, signals, the claimed target), and the parent that feeds it
 * nothing, drains its output and progress, reaps it and says what went
 * wrong.  Most of the care of this module is here; the verbs are in
 * qimg.c and qimg-info.c.
 */
#include "rhv/common.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/qimg.h"

#include "storage/qimg-priv.h"

/* Only the first line is reported; the rest of a chatty stderr is dropped. */
#define STDERR_MAX (64 * 1024)
/* qemu-img info's JSON for one image is well under a kilobyte. */
#define STDOUT_MAX (1024 * 1024)

/* Where the child stopped when it could not exec qemu-img, in order. */
enum stage { STAGE_SETUP = 1, STAGE_CREDS, STAGE_CLAIM, STAGE_EXEC };

/* Written by the child to the report pipe instead of exec'ing. */
struct report {
	int stage;
	int errnum;
};

/* The parent's ends [0] and the child's [1] of each pipe, and /dev/null. */
struct fds {
	int null;
	int out[2];
	int errout[2];
	int report[2];
};

/* ---- small helpers ---- */

void rhv_qimg_run_release(struct run *r)
{
	free(r->out.data);
	free(r->errout.data);
}

static void fd_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void fds_close(struct fds *f)
{
	fd_close(&f->null);
	for (int i = 0; i < 2; i++) {
		fd_close(&f->out[i]);
		fd_close(&f->errout[i]);
		fd_close(&f->report[i]);
	}
}

/* Append the NULL-terminated list to r's arguments; a call site with too many is a bug. */
void rhv_qimg_args_add(struct run *r, const char *const *list)
{
	for (; *list; list++) {
		if (r->argc + 2 >= MAX_ARGS)
			abort();
		r->argv[++r->argc] = *list;
	}
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n > b->max)
		n = b->max - b->len; /* drained but dropped: the child must never block on us */
	if (!n)
		return;
	b->data = rhv_xrealloc(b->data, b->len + n + 1);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* secure_getenv: a set-user-ID caller must not run whatever the user names. */
static const char *qemu_img_path(void)
{
	const char *p = secure_getenv(RHV_QIMG_ENV);

	return p && *p ? p : RHV_QIMG_DEFAULT_PATH;
}

/* Switching identity needs root; without it the child runs as we do. */
static bool runs_as_other(const struct rhv_qimg_as *as)
{
	return as && as->set && geteuid() == 0;
}

/* ---- the child: async-signal-safe calls only between fork and exec ---- */

static _Noreturn void child_fail(int fd, int stage)
{
	struct report rep = { stage, errno };
	ssize_t n = write(fd, &rep, sizeof(rep));

	(void)n;
	_exit(127);
}

static int drop_privileges(const struct rhv_qimg_as *as)
{
	if (!runs_as_other(as))
		return 0;
	/* Groups first: after setuid we could no longer drop root's groups. */
	if (setgroups(0, NULL) < 0 || setgid(as->gid) < 0 || setuid(as->uid) < 0)
		return -1;
	return 0;
}

/*
 * Make every descriptor from 3 up close on exec, so a lease file, the
 * store's socket or another image never leaks into a qemu-img that may
 * run for an hour; the report pipe stays usable until the exec.
 */
static int cloexec_from_3(void)
{
	struct rlimit rl;

	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	/* Kernels before 5.11: walk the table. */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	for (rlim_t fd = 3; fd < rl.rlim_cur && fd < (1 << 20); fd++) {
		int fl = fcntl((int)fd, F_GETFD);

		if (fl >= 0 && !(fl & FD_CLOEXEC))
			fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC);
	}
	return 0;
}

static void reset_signals(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;

	/* Our handlers mean nothing after exec, but ignored signals stay ignored. */
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL); /* SIGKILL, SIGSTOP and glibc's own refuse: fine */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static _Noreturn void child_exec(const struct run *r, pid_t parent, const struct fds *f,
				 char *const envp[])
{
	int rep = f->report[1];

	reset_signals();
	if (dup2(f->null, 0) < 0 || dup2(f->out[1], 1) < 0 || dup2(f->errout[1], 2) < 0 ||
	    cloexec_from_3() < 0)
		child_fail(rep, STAGE_SETUP);
	umask(0007); /* the storage owner's group (kvm) shares the images, others get nothing */
	if (drop_privileges(r->as) < 0)
		child_fail(rep, STAGE_CREDS);
	/*
	 * Die with the parent: a killed rhv must not leave qemu-img writing
	 * to shared storage behind it.  (The signal follows the forking
	 * thread, which waits for us, so it outlives us.)  After the switch
	 * to the run-as user, which clears it.  If the parent died before the
	 * prctl, the signal will never come: we were reparented, so give up.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		child_fail(rep, STAGE_SETUP);
	if (getppid() != parent) {
		errno = ESRCH;
		child_fail(rep, STAGE_SETUP);
	}
	/* Claimed as the run-as user: with NFS root squashing, root could not create it. */
	if (r->claim) {
		int fd = open(r->claim, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0660);

		if (fd < 0)
			child_fail(rep, STAGE_CLAIM);
		close(fd);
	}
	execve(r->argv[0], (char *const *)r->argv, envp);
	child_fail(rep, STAGE_EXEC);
}

/* ---- the parent ---- */

/*
 * A pipe end landing on 0-2 (our caller started with one of them closed)
 * would be clobbered by the child's dup2 onto 0-2: move it above.
 */
static int above_stdio(int fd)
{
	int high;

	if (fd < 0 || fd > 2)
		return fd;
	high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return high;
}

static int open_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	p[0] = above_stdio(p[0]);
	p[1] = above_stdio(p[1]);
	return p[0] < 0 || p[1] < 0 ? -1 : 0;
}

static int open_fds(struct fds *f)
{
	f->null = above_stdio(open("/dev/null", O_RDONLY | O_CLOEXEC));
	if (f->null < 0)
		return -1;
	return open_pipe(f->out) < 0 || open_pipe(f->errout) < 0 || open_pipe(f->report) < 0 ? -1 :
													 0;
}

/* Our environment with LC_ALL=C, so qemu-img's messages (strerror's too) stay readable. */
static char **child_env(void)
{
	size_t n = 0, j = 0;
	char **env;

	for (char **e = environ; e && *e; e++)
		n++;
	env = rhv_xcalloc(n + 2, sizeof(*env));
	env[j++] = (char *)"LC_ALL=C";
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, "LC_ALL=", 7))
			env[j++] = *e;
	return env;
}

/* "(12.34/100%)" -> 12.34, by hand: strtod would follow our locale, qemu-img writes '.'. */
static bool parse_percent(const char *s, double *out)
{
	const char *p = strchr(s, '(');
	double v = 0, scale = 1;

	if (!p || !(p[1] >= '0' && p[1] <= '9'))
		return false;
	for (p++; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++) {
			scale /= 10;
			v += (*p - '0') * scale;
		}
	if (strncmp(p, "/100%)", 6) || v > 100)
		return false;
	*out = v;
	return true;
}

static void progress_feed(struct progress *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double v;

		if (s[i] != '\r' && s[i] != '\n') {
			if (p->len < sizeof(p->line) - 1)
				p->line[p->len++] = s[i];
			continue;
		}
		p->line[p->len] = '\0';
		p->len = 0;
		/* qemu-img repeats a value and may step back a hair between phases: report growth only. */
		if (parse_percent(p->line, &v) && v > p->last) {
			p->last = v;
			if (p->fn)
				p->fn(p->data, v);
		}
	}
}

/*
 * Read stdout and stderr together until both close: reading one at a time
 * would deadlock once the child fills the other pipe.
 */
static int pump(struct run *r, int out, int errout, struct rhv_error *err)
{
	struct pollfd p[2] = { { .fd = out, .events = POLLIN }, { .fd = errout, .events = POLLIN } };
	char chunk[4096];

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return rhv_error_set(err, RHV_EXIT_FAILED, "cannot read from qemu-img: %s",
					     strerror(errno));
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n < 0)
				return rhv_error_set(err, RHV_EXIT_FAILED, "cannot read from qemu-img: %s",
						     strerror(errno));
			if (n == 0) {
				p[i].fd = -1; /* closed by fds_close */
			} else if (i == 1) {
				buf_add(&r->errout, chunk, (size_t)n);
			} else {
				if (r->keep_stdout)
					buf_add(&r->out, chunk, (size_t)n);
				if (r->progress)
					progress_feed(r->progress, chunk, (size_t)n);
			}
		}
	}
	return 0;
}

static int reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* The child's report: true with rep filled when it failed before exec, false on EOF (exec'd). */
static bool read_report(int fd, struct report *rep)
{
	ssize_t n;

	do
		n = read(fd, rep, sizeof(*rep));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*rep);
}

static int report_error(const struct run *r, const struct report *rep, struct rhv_error *err)
{
	const char *why = strerror(rep->errnum);

	switch (rep->stage) {
	case STAGE_EXEC:
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot run qemu-img '%s': %s", r->argv[0], why);
		rhv_error_hint(err, "install the package qemu-utils, or set " RHV_QIMG_ENV
				    " to the path of qemu-img");
		return -1;
	case STAGE_CLAIM:
		if (rep->errnum == EEXIST)
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "'%s' already exists", r->claim);
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot create '%s': %s", r->claim, why);
	case STAGE_CREDS:
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot run qemu-img as uid %u gid %u: %s",
				     (unsigned)r->as->uid, (unsigned)r->as->gid, why);
	default:
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot set up the qemu-img process: %s", why);
	}
}

/* qemu-img did not exit 0: say so in its own words (the first line of its stderr). */
static int exit_error(const struct run *r, struct rhv_error *err)
{
	const char *msg = r->errout.data ? r->errout.data : "";
	size_t len;

	if (WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0)
		return 0;
	/* "qemu-img: " starts each of its messages; ours already names it. */
	if (!strncmp(msg, "qemu-img: ", 10))
		msg += 10;
	len = strcspn(msg, "\n");
	if (WIFSIGNALED(r->status))
		rhv_error_set(err, RHV_EXIT_FAILED, "qemu-img %s was killed by signal %d (%s)", r->verb,
			      WTERMSIG(r->status), strsignal(WTERMSIG(r->status)));
	else if (len)
		rhv_error_set(err, RHV_EXIT_FAILED, "qemu-img %s failed: %.*s", r->verb, (int)len, msg);
	else
		rhv_error_set(err, RHV_EXIT_FAILED, "qemu-img %s failed with exit status %d", r->verb,
			      WEXITSTATUS(r->status));
	if (WIFSIGNALED(r->status) && len)
		rhv_error_detail(err, "%s", msg);
	else if (msg[len] && msg[len + 1])
		rhv_error_detail(err, "%s", msg + len + 1);
	/* LC_ALL=C makes this text reliable.  Still a failure: the caller frees space and retries. */
	if (strstr(msg, "No space left on device"))
		rhv_error_hint(err, "the storage holding '%s' is out of space (No space left on device)",
			       r->target);
	return -1;
}

/* Drop trailing newlines, so a one-line stderr has no empty detail after it. */
static void trim(struct buf *b)
{
	while (b->len && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == '\r'))
		b->data[--b->len] = '\0';
}

int rhv_qimg_start(struct run *r, struct rhv_error *err)
{
	struct fds f = { -1, { -1, -1 }, { -1, -1 }, { -1, -1 } };
	_cleanup_free_ char **env = NULL;
	pid_t parent = getpid(), pid;

	r->pid = 0;
	r->argv[0] = qemu_img_path();
	r->out.max = STDOUT_MAX;
	r->errout.max = STDERR_MAX;
	if (open_fds(&f) < 0) {
		rhv_error_set(err, RHV_EXIT_FAILED, "cannot set up pipes for qemu-img: %s", strerror(errno));
		fds_close(&f);
		return -1;
	}
	env = child_env(); /* before fork: the child may not allocate */
	pid = fork();
	if (pid < 0) {
		rhv_error_set(err, RHV_EXIT_FAILED, "cannot start qemu-img: %s", strerror(errno));
		fds_close(&f);
		return -1;
	}
	if (pid == 0)
		child_exec(r, parent, &f, env);
	/* Close our copies of the child's ends, or we would never see EOF. */
	fd_close(&f.null);
	fd_close(&f.out[1]);
	fd_close(&f.errout[1]);
	fd_close(&f.report[1]);
	r->pid = pid;
	r->fd_out = f.out[0];
	r->fd_err = f.errout[0];
	r->fd_report = f.report[0];
	return 0;
}

/* A started run is over: its pipes go. */
static void run_ended(struct run *r)
{
	fd_close(&r->fd_out);
	fd_close(&r->fd_err);
	fd_close(&r->fd_report);
	r->pid = 0;
}

int rhv_qimg_wait(struct run *r, struct rhv_error *err)
{
	struct report rep;
	int rc;

	if (read_report(r->fd_report, &rep)) {
		r->claimed = r->claim && rep.stage > STAGE_CLAIM;
		reap(r->pid, &r->status);
		run_ended(r);
		return report_error(r, &rep, err);
	}
	r->claimed = r->claim != NULL;
	rc = pump(r, r->fd_out, r->fd_err, err);
	if (rc < 0)
		kill(r->pid, SIGKILL); /* it would block on a pipe nobody reads */
	if (reap(r->pid, &r->status) < 0) {
		run_ended(r);
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot learn how qemu-img ended: %s",
				     strerror(errno));
	}
	run_ended(r);
	if (rc < 0)
		return -1;
	trim(&r->errout);
	return exit_error(r, err);
}

int rhv_qimg_run(struct run *r, struct rhv_error *err)
{
	if (rhv_qimg_start(r, err) < 0)
		return -1;
	return rhv_qimg_wait(r, err);
}

/* Unlink as the storage owner: on NFS with root squashing, root may not. */
static int unlink_as(const char *path, const struct rhv_qimg_as *as)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(drop_privileges(as) == 0 && unlink(path) == 0 ? 0 : 1);
	if (reap(pid, &st) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Remove the file r claimed, so nothing half-made remains (a hint in err when it cannot). */
static void remove_claimed(const struct run *r, struct rhv_error *err)
{
	if (!r->claimed)
		return;
	if (unlink(r->claim) == 0 || errno == ENOENT)
		return;
	if ((errno == EACCES || errno == EPERM) && runs_as_other(r->as) &&
	    unlink_as(r->claim, r->as) == 0)
		return;
	rhv_error_hint(err, "remove the partly written '%s' by hand", r->claim);
}

/* Run r; on failure remove the file it claimed, so nothing half-made remains. */
int rhv_qimg_run_writer(struct run *r, struct rhv_error *err)
{
	if (rhv_qimg_run(r, err) == 0)
		return 0;
	remove_claimed(r, err);
	return -1;
}

/* Wait for the first n writers of r; unless keep and all of them succeeded, what each claimed is removed. */
static int wait_writers(struct run *r, size_t n, bool keep, int rc, struct rhv_error *err)
{
	struct rhv_error later = { 0 };

	/* what failed after the first failure is not reported: its words would mix with the first's */
	for (size_t i = 0; i < n; i++) {
		if (rhv_qimg_wait(&r[i], rc < 0 ? &later : err) < 0)
			rc = -1;
		rhv_error_clear(&later);
	}
	if (rc < 0 || !keep)
		for (size_t i = 0; i < n; i++)
			remove_claimed(&r[i], err);
	return rc;
}

int rhv_qimg_start_writers(struct run *r, size_t n, struct rhv_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (rhv_qimg_start(&r[i], err) < 0)
			return wait_writers(r, i, false, -1, err);
	return 0;
}

int rhv_qimg_wait_writers(struct run *r, size_t n, bool keep, struct rhv_error *err)
{
	return wait_writers(r, n, keep, 0, err);
}
