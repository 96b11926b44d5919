/* Child processes with given input and captured output (rhv/spawn.h). */
#include "rhv/common.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rhv/spawn.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

int rhv_spawn_start(struct rhv_spawn *s, struct rhv_error *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, er[2] = { -1, -1 };
	size_t len = s->input ? strlen(s->input) : 0;

	s->out = rhv_xstrdup("");
	s->errout = rhv_xstrdup("");
	s->out_len = s->err_len = 0;
	s->status = -1;
	s->timed_out = false;
	s->running = false;
	s->fd_out = s->fd_err = -1;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(er, O_CLOEXEC) < 0) {
		close_pair(in);
		close_pair(out);
		close_pair(er);
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot make a pipe: %s", strerror(errno));
	}
	/* the input fits in the pipe's buffer (64 KiB): refuse what would not, rather than block */
	if (len >= 65536) {
		close_pair(in);
		close_pair(out);
		close_pair(er);
		return rhv_error_set(err, RHV_EXIT_FAILED, "the input of '%s' is too long", s->argv[0]);
	}
	s->start = now();
	s->pid = fork();
	if (s->pid < 0) {
		close_pair(in);
		close_pair(out);
		close_pair(er);
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot start '%s': %s", s->argv[0], strerror(errno));
	}
	if (s->pid == 0) {
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(er[1], 2) < 0)
			_exit(127);
		execvp(s->argv[0], s->argv);
		dprintf(2, "cannot run %s: %s\n", s->argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(s->pid, s->pid); /* both sides, so a kill of the group never races the child's own call */
	close(in[0]);
	close(out[1]);
	close(er[1]);
	if (len) {
		size_t done = 0;
		sigset_t block, old;

		/* a child that exits without reading must not kill us with SIGPIPE */
		sigemptyset(&block);
		sigaddset(&block, SIGPIPE);
		sigprocmask(SIG_BLOCK, &block, &old);
		while (done < len) {
			ssize_t w = write(in[1], s->input + done, len - done);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			done += (size_t)w;
		}
		{
			struct timespec zero = { 0, 0 };

			while (sigtimedwait(&block, NULL, &zero) > 0)
				;
		}
		sigprocmask(SIG_SETMASK, &old, NULL);
		explicit_bzero(s->input, len);
	}
	close(in[1]);
	s->fd_out = out[0];
	s->fd_err = er[0];
	s->running = true;
	return 0;
}

static void drain(int *fd, char **buf, size_t *len)
{
	char chunk[4096];
	ssize_t r = read(*fd, chunk, sizeof(chunk));

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	/* keep the last 64 KiB at most: an agent's chatter is not ours to hoard */
	if (*len + (size_t)r > 65536) {
		size_t keep = *len > 32768 ? 32768 : *len;

		memmove(*buf, *buf + *len - keep, keep);
		*len = keep;
	}
	*buf = rhv_xrealloc(*buf, *len + (size_t)r + 1);
	memcpy(*buf + *len, chunk, (size_t)r);
	*len += (size_t)r;
	(*buf)[*len] = 0;
}

static void reap(struct rhv_spawn *s, bool block)
{
	int st;
	pid_t r;

	if (!s->running)
		return;
	do
		r = waitpid(s->pid, &st, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r != s->pid)
		return;
	s->running = false;
	s->seconds = now() - s->start;
	s->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void rhv_spawn_wait(struct rhv_spawn *const *s, size_t n, int timeout_ms)
{
	double deadline = now() + timeout_ms / 1000.0;

	for (;;) {
		struct pollfd pfd[2 * n + 1];
		size_t k = 0;
		bool busy = false;
		int left = (int)((deadline - now()) * 1000);

		for (size_t i = 0; i < n; i++) {
			if (s[i]->fd_out >= 0)
				pfd[k++] = (struct pollfd){ .fd = s[i]->fd_out, .events = POLLIN };
			if (s[i]->fd_err >= 0)
				pfd[k++] = (struct pollfd){ .fd = s[i]->fd_err, .events = POLLIN };
			reap(s[i], false);
			busy = busy || s[i]->running || s[i]->fd_out >= 0 || s[i]->fd_err >= 0;
		}
		if (!busy)
			return;
		if (left <= 0) {
			for (size_t i = 0; i < n; i++) {
				if (s[i]->running) {
					kill(-s[i]->pid, SIGKILL);
					s[i]->timed_out = true;
					reap(s[i], true);
				}
				if (s[i]->fd_out >= 0)
					close(s[i]->fd_out);
				if (s[i]->fd_err >= 0)
					close(s[i]->fd_err);
				s[i]->fd_out = s[i]->fd_err = -1;
			}
			return;
		}
		/* pipes closed but a child still running (it closed them itself): poll on time alone */
		if (poll(pfd, k, k ? (left < 100 ? left : 100) : (left < 20 ? left : 20)) < 0 && errno != EINTR)
			continue;
		for (size_t i = 0; i < n; i++) {
			for (size_t j = 0; j < k; j++) {
				if (!(pfd[j].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				if (pfd[j].fd == s[i]->fd_out)
					drain(&s[i]->fd_out, &s[i]->out, &s[i]->out_len);
				else if (pfd[j].fd == s[i]->fd_err)
					drain(&s[i]->fd_err, &s[i]->errout, &s[i]->err_len);
			}
		}
	}
}

void rhv_spawn_clear(struct rhv_spawn *s)
{
	free(s->out);
	free(s->errout);
	s->out = s->errout = NULL;
}
