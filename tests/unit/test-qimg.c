/*
 * qemu-img wrappers against the real qemu-img on real files in a temporary
 * directory, plus fake qemu-img scripts (RHV_QEMU_IMG) that show what the
 * child process inherits, how failures read, and that it dies with us.
 */
#include "rhv/common.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "rhv/qimg.h"
#include "tap.h"

#define MiB (1024ULL * 1024)
#define GiB (1024 * MiB)

static char dir[] = "/tmp/rhv-qimg.XXXXXX";

/* A path in the test directory (static buffers in turn: up to 8 alive at once). */
static const char *P(const char *name)
{
	static char bufs[8][256];
	static int i;
	char *b = bufs[i++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, mode);
}

/* The qcow2 header's version field (3 = compat 1.1), or -1 when not qcow2. */
static int qcow2_version(const char *path)
{
	unsigned char h[8];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(h, 1, sizeof(h), f) : 0;

	if (f)
		fclose(f);
	if (n != sizeof(h) || memcmp(h, "QFI\xfb", 4))
		return -1;
	return h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7];
}

static int info(const char *path, struct rhv_qimg_info *i, struct rhv_error *err)
{
	rhv_error_clear(err);
	return rhv_qimg_info(path, i, err);
}

static int create(const char *path, const char *fmt, uint64_t size, bool prealloc,
		  const char *backing, const char *bfmt, struct rhv_error *err)
{
	rhv_error_clear(err);
	return rhv_qimg_create(path, fmt, size, prealloc, backing, bfmt, NULL, err);
}

/* ---- create and info ---- */

static void test_create(void)
{
	struct rhv_error err;
	struct rhv_qimg_info i;

	OK(create(P("sparse.raw"), "raw", GiB, false, NULL, NULL, &err) == 0,
	   "create raw sparse 1 GiB (%s)", err.message);
	OK(info(P("sparse.raw"), &i, &err) == 0 && !strcmp(i.format, "raw") &&
		   i.virtual_size == GiB && i.actual_size < MiB && !i.backing,
	   "raw sparse: format %s, virtual %llu, actual %llu", i.format,
	   (unsigned long long)i.virtual_size, (unsigned long long)i.actual_size);
	rhv_qimg_info_clear(&i);

	OK(create(P("prealloc.raw"), "raw", 64 * MiB, true, NULL, NULL, &err) == 0,
	   "create raw preallocated 64 MiB (%s)", err.message);
	OK(info(P("prealloc.raw"), &i, &err) == 0 && i.virtual_size == 64 * MiB &&
		   i.actual_size >= 64 * MiB,
	   "raw preallocated: actual %llu >= 64 MiB", (unsigned long long)i.actual_size);
	rhv_qimg_info_clear(&i);

	OK(create(P("base.qcow2"), "qcow2", GiB, false, NULL, NULL, &err) == 0,
	   "create qcow2 1 GiB (%s)", err.message);
	OK(info(P("base.qcow2"), &i, &err) == 0 && !strcmp(i.format, "qcow2") &&
		   i.virtual_size == GiB && !i.dirty && !i.corrupt,
	   "qcow2: format %s, virtual %llu", i.format, (unsigned long long)i.virtual_size);
	rhv_qimg_info_clear(&i);
	OK(qcow2_version(P("base.qcow2")) == 3, "qcow2 is version 3 (compat=1.1)");
}

static void test_overlay(void)
{
	struct rhv_error err;
	struct rhv_qimg_info i;

	OK(create(P("top.qcow2"), "qcow2", 0, false, P("base.qcow2"), "qcow2", &err) == 0,
	   "create qcow2 overlay on base (%s)", err.message);
	OK(info(P("top.qcow2"), &i, &err) == 0 && i.backing && !strcmp(i.backing, P("base.qcow2")) &&
		   i.backing_format && !strcmp(i.backing_format, "qcow2") && i.virtual_size == GiB,
	   "overlay: backing '%s' (%s), virtual %llu from the parent", i.backing ? i.backing : "",
	   i.backing_format ? i.backing_format : "", (unsigned long long)i.virtual_size);
	rhv_qimg_info_clear(&i);

	/* oVirt records parents relative to the volume's directory. */
	OK(create(P("rel.qcow2"), "qcow2", 2 * GiB, false, "base.qcow2", "qcow2", &err) == 0,
	   "create overlay with a relative backing name (%s)", err.message);
	OK(info(P("rel.qcow2"), &i, &err) == 0 && i.backing && !strcmp(i.backing, "base.qcow2") &&
		   i.virtual_size == 2 * GiB,
	   "relative backing kept as written, larger overlay size kept");
	rhv_qimg_info_clear(&i);

	OK(create(P("x.qcow2"), "qcow2", 0, false, P("nope.qcow2"), "qcow2", &err) < 0 &&
		   err.code == RHV_EXIT_NOTFOUND && !exists(P("x.qcow2")),
	   "missing backing file: NOTFOUND (%s)", err.message);
	OK(create(P("x.qcow2"), "qcow2", 0, false, P("base.qcow2"), NULL, &err) < 0 &&
		   err.code == RHV_EXIT_USAGE,
	   "backing file without its format refused (%s)", err.message);
	OK(create(P("x.raw"), "raw", GiB, false, P("base.qcow2"), "qcow2", &err) < 0 &&
		   err.code == RHV_EXIT_USAGE,
	   "raw with a backing file refused (%s)", err.message);
	OK(create(P("x.qcow2"), "qcow2", 0, false, "json:{}", "qcow2", &err) < 0 &&
		   err.code == RHV_EXIT_USAGE,
	   "backing name with a protocol prefix refused (%s)", err.message);
}

/* Several images side by side: all made, or none left. */
static void test_batch(void)
{
	struct rhv_error err = { 0 };
	struct rhv_qimg_info i;
	struct rhv_qimg_batch *b;
	/* the size is the parent's, given: qemu-img -u leaves the chain closed */
	struct rhv_qimg_new two[] = {
		{ .path = P("b1.qcow2"), .format = "qcow2", .size = GiB, .backing = "base.qcow2",
		  .backing_format = "qcow2", .unsafe_backing = true },
		{ .path = P("b2.qcow2"), .format = "qcow2", .size = GiB, .backing = "base.qcow2",
		  .backing_format = "qcow2", .unsafe_backing = true },
	};
	struct rhv_qimg_new clash[] = { two[0], { .path = P("sparse.raw"), .format = "raw", .size = MiB } };
	struct rhv_qimg_new sizeless[] = { two[0], two[1] };

	OK(rhv_qimg_create_all(two, 2, NULL, &err) == 0, "batch of two overlays made (%s)", err.message);
	OK(info(P("b2.qcow2"), &i, &err) == 0 && i.backing && !strcmp(i.backing, "base.qcow2") &&
		   i.virtual_size == GiB,
	   "batch: the second has its backing '%s' and size %llu", i.backing ? i.backing : "",
	   (unsigned long long)i.virtual_size);
	rhv_qimg_info_clear(&i);
	unlink(P("b1.qcow2"));
	unlink(P("b2.qcow2"));

	rhv_error_clear(&err);
	OK(rhv_qimg_create_all(clash, 2, NULL, &err) < 0 && err.code == RHV_EXIT_CONFLICT &&
		   !exists(P("b1.qcow2")) && exists(P("sparse.raw")),
	   "batch: one existing name fails it all, the one made is removed, the existing file stays (%s)",
	   err.message);

	sizeless[1].size = 0;
	rhv_error_clear(&err);
	OK(rhv_qimg_create_all(sizeless, 2, NULL, &err) < 0 && err.code == RHV_EXIT_USAGE &&
		   !exists(P("b1.qcow2")),
	   "batch: -u without a size refused before anything runs (%s)", err.message);

	rhv_error_clear(&err);
	b = rhv_qimg_create_start(two, 2, NULL, &err);
	OK(b && rhv_qimg_create_wait(b, false, &err) == 0 && !exists(P("b1.qcow2")) && !exists(P("b2.qcow2")),
	   "batch: given up after the start, both removed (%s)", err.message);
}

static void test_refusals(void)
{
	struct rhv_error err;
	struct rhv_qimg_info i;

	OK(create(P("sparse.raw"), "raw", 2 * GiB, false, NULL, NULL, &err) < 0 &&
		   err.code == RHV_EXIT_CONFLICT && strstr(err.message, "already exists"),
	   "existing file not overwritten: CONFLICT (%s)", err.message);
	OK(info(P("sparse.raw"), &i, &err) == 0 && i.virtual_size == GiB,
	   "the existing file is untouched");
	rhv_qimg_info_clear(&i);

	/* A dangling symlink: qemu-img would create its target. */
	if (symlink(P("elsewhere.raw"), P("link.raw")) < 0)
		printf("# cannot create symlink: %s\n", strerror(errno));
	OK(create(P("link.raw"), "raw", MiB, false, NULL, NULL, &err) < 0 &&
		   err.code == RHV_EXIT_CONFLICT && !exists(P("elsewhere.raw")),
	   "symlink not followed: CONFLICT (%s)", err.message);

	OK(create(P("pre.qcow2"), "qcow2", GiB, true, NULL, NULL, &err) < 0 &&
		   err.code == RHV_EXIT_USAGE && !exists(P("pre.qcow2")),
	   "qcow2 with preallocation refused: USAGE (%s)", err.message);
	OK(create("rel.raw", "raw", GiB, false, NULL, NULL, &err) < 0 && err.code == RHV_EXIT_USAGE,
	   "relative path refused: USAGE (%s)", err.message);
	OK(create(P("x.vmdk"), "vmdk", GiB, false, NULL, NULL, &err) < 0 &&
		   err.code == RHV_EXIT_USAGE,
	   "unknown format refused: USAGE (%s)", err.message);
}

static void test_info(void)
{
	struct rhv_error err;
	struct rhv_qimg_info i;

	OK(info(P("missing.raw"), &i, &err) < 0 && err.code == RHV_EXIT_NOTFOUND,
	   "info on a missing file: NOTFOUND (%s)", err.message);
	rhv_qimg_info_clear(&i);
	write_file(P("notes.txt"), "just some text\n", 0644);
	OK(info(P("notes.txt"), &i, &err) == 0 && !strcmp(i.format, "raw"),
	   "info on a text file: raw (%s)", i.format);
	rhv_qimg_info_clear(&i);
	rhv_error_clear(&err);
	OK(rhv_qimg_info_format(P("notes.txt"), "qcow2", &i, &err) < 0 &&
		   err.code == RHV_EXIT_FAILED &&
		   !strncmp(err.message, "qemu-img info failed: ", 22) && !i.backing,
	   "text file read as qcow2: FAILED (%s)", err.message);
	rhv_qimg_info_clear(&i);
}

/* ---- resize ---- */

static uint64_t vsize(const char *path)
{
	struct rhv_error err;
	struct rhv_qimg_info i;
	uint64_t v = 0;

	if (info(path, &i, &err) == 0)
		v = i.virtual_size;
	rhv_qimg_info_clear(&i);
	return v;
}

static void test_resize(void)
{
	struct rhv_error err = { 0 };
	struct rhv_qimg_info i;

	OK(rhv_qimg_resize(P("base.qcow2"), "qcow2", 2 * GiB, false, NULL, &err) == 0 &&
		   vsize(P("base.qcow2")) == 2 * GiB,
	   "resize qcow2 1 -> 2 GiB (%s)", err.message);
	rhv_error_clear(&err);
	OK(rhv_qimg_resize(P("sparse.raw"), "raw", 2 * GiB, false, NULL, &err) == 0 &&
		   vsize(P("sparse.raw")) == 2 * GiB,
	   "resize raw sparse 1 -> 2 GiB (%s)", err.message);
	rhv_error_clear(&err);
	OK(rhv_qimg_resize(P("prealloc.raw"), "raw", 128 * MiB, true, NULL, &err) == 0 &&
		   info(P("prealloc.raw"), &i, &err) == 0 && i.virtual_size == 128 * MiB &&
		   i.actual_size >= 128 * MiB,
	   "resize raw preallocated 64 -> 128 MiB stays allocated (%s)", err.message);
	rhv_qimg_info_clear(&i);
	rhv_error_clear(&err);
	OK(rhv_qimg_resize(P("base.qcow2"), "qcow2", GiB, false, NULL, &err) < 0 &&
		   err.code == RHV_EXIT_USAGE && vsize(P("base.qcow2")) == 2 * GiB,
	   "shrink refused: USAGE, size kept (%s)", err.message);
}

/* ---- convert ---- */

struct seen {
	int calls;
	bool grows;
	double last;
};

static void on_progress(void *data, double pct)
{
	struct seen *s = data;

	if (s->calls && pct <= s->last)
		s->grows = false;
	s->calls++;
	s->last = pct;
}

static int convert(const char *src, const char *sfmt, const char *dst, const char *dfmt,
		   struct seen *s, struct rhv_error *err)
{
	*s = (struct seen){ .grows = true };
	rhv_error_clear(err);
	return rhv_qimg_convert(src, sfmt, dst, dfmt, false, on_progress, s, NULL, err);
}

static void test_convert(void)
{
	struct rhv_error err;
	struct rhv_qimg_info i;
	struct seen s;

	OK(convert(P("top.qcow2"), "qcow2", P("flat.raw"), "raw", &s, &err) == 0,
	   "convert qcow2 chain -> raw (%s)", err.message);
	OK(s.calls >= 1 && s.grows && s.last == 100, "progress: %d calls, growing, last %.2f",
	   s.calls, s.last);
	OK(info(P("flat.raw"), &i, &err) == 0 && !strcmp(i.format, "raw") && i.virtual_size == GiB &&
		   !i.backing,
	   "converted: raw, 1 GiB, no backing file");
	rhv_qimg_info_clear(&i);

	OK(convert(P("flat.raw"), "raw", P("back.qcow2"), "qcow2", &s, &err) == 0 &&
		   s.last == 100 && s.grows,
	   "convert raw -> qcow2 with progress to 100 (%s)", err.message);
	OK(qcow2_version(P("back.qcow2")) == 3 && vsize(P("back.qcow2")) == GiB,
	   "converted: qcow2 v3, 1 GiB");

	OK(convert(P("flat.raw"), "raw", P("sparse.raw"), "raw", &s, &err) < 0 &&
		   err.code == RHV_EXIT_CONFLICT && vsize(P("sparse.raw")) == 2 * GiB,
	   "convert onto an existing file: CONFLICT, file kept (%s)", err.message);
	OK(convert(P("notes.txt"), "qcow2", P("half.raw"), "raw", &s, &err) < 0 &&
		   err.code == RHV_EXIT_FAILED &&
		   !strncmp(err.message, "qemu-img convert failed: ", 25) && !exists(P("half.raw")),
	   "failed convert leaves no dst (%s)", err.message);
	OK(convert(P("gone.raw"), "raw", P("half.raw"), "raw", &s, &err) < 0 &&
		   err.code == RHV_EXIT_NOTFOUND && !exists(P("half.raw")),
	   "convert of a missing source: NOTFOUND (%s)", err.message);
}

/* ---- the child process, with fake qemu-img programs ---- */

static void test_missing_binary(void)
{
	struct rhv_error err;
	struct rhv_qimg_info i;

	setenv(RHV_QIMG_ENV, "/nonexistent", 1);
	OK(info(P("notes.txt"), &i, &err) < 0 && err.code == RHV_EXIT_UNAVAILABLE &&
		   strstr(err.hint, "qemu-utils"),
	   "qemu-img missing: UNAVAILABLE (%s; hint: %s)", err.message, err.hint);
	OK(create(P("never.raw"), "raw", MiB, false, NULL, NULL, &err) < 0 &&
		   err.code == RHV_EXIT_UNAVAILABLE && !exists(P("never.raw")),
	   "create without qemu-img leaves no file");
	unsetenv(RHV_QIMG_ENV);
}

/* What the child inherits: signals blocked and ignored, an fd, our stdin and umask. */
static void test_child_state(void)
{
	struct rhv_error err;
	struct rhv_qimg_info i;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigset_t block, saved;
	int fd = open("/dev/null", O_RDONLY);

	write_file(P("probe"),
		   "#!/bin/sh\n"
		   "printf 'umask=%s stdin=%s lc=%s ' \"$(umask)\" \"$(readlink /proc/$$/fd/0)\" "
		   "\"$LC_ALL\" >&2\n"
		   "[ -e /proc/$$/fd/42 ] && printf 'fd42=open ' >&2 || printf 'fd42=closed ' >&2\n"
		   "grep -E '^Sig(Blk|Ign)' /proc/$$/status | tr -s '\\t\\n' '  ' >&2\n"
		   "echo >&2\n"
		   "echo 'second line' >&2\n"
		   "exit 3\n",
		   0755);
	dup2(fd, 42); /* not close-on-exec */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &saved);
	sigaction(SIGUSR2, &ign, &old);
	setenv("LC_ALL", "de_DE.UTF-8", 1);
	setenv(RHV_QIMG_ENV, P("probe"), 1);

	info(P("notes.txt"), &i, &err);
	printf("# %s\n", err.message);
	OK(!strncmp(err.message, "qemu-img info failed: umask=0007 stdin=/dev/null lc=C fd42=closed",
		    64),
	   "child: umask 0007, stdin /dev/null, LC_ALL=C, no inherited fd");
	{
		/*
		 * The standard signals (1..31) must be neither blocked nor ignored;
		 * glibc's internal real-time signals (32, 33) cannot be reset and
		 * may come ignored from whoever started the tests.
		 */
		const char *blk = strstr(err.message, "SigBlk:"), *ign_s = strstr(err.message, "SigIgn:");
		unsigned long long b = blk ? strtoull(blk + 7, NULL, 16) : ~0ULL;
		unsigned long long g = ign_s ? strtoull(ign_s + 7, NULL, 16) : ~0ULL;

		OK(blk && ign_s && !(b & 0x7fffffffULL) && !(g & 0x7fffffffULL),
		   "child: no standard signal blocked or ignored (SigBlk %llx, SigIgn %llx)", b, g);
	}
	IS_STR(err.detail, "second line", "the rest of stderr is the detail");

	unsetenv(RHV_QIMG_ENV);
	unsetenv("LC_ALL");
	sigaction(SIGUSR2, &old, NULL);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	close(42);
	close(fd);
}

static void test_enospc(void)
{
	struct rhv_error err;
	struct seen s;

	write_file(P("full"),
		   "#!/bin/sh\n"
		   "echo \"qemu-img: error while writing at byte 0: No space left on device\" >&2\n"
		   "exit 1\n",
		   0755);
	setenv(RHV_QIMG_ENV, P("full"), 1);
	OK(convert(P("flat.raw"), "raw", P("full.raw"), "raw", &s, &err) < 0 &&
		   err.code == RHV_EXIT_FAILED && strstr(err.hint, "out of space") &&
		   !exists(P("full.raw")),
	   "storage full: FAILED with a hint, dst removed (%s; hint: %s)", err.message, err.hint);
	IS_STR(err.message,
	       "qemu-img convert failed: error while writing at byte 0: No space left on device",
	       "message is qemu-img's first line without its prefix");
	unsetenv(RHV_QIMG_ENV);
}

/* Wait up to ms for pid (our child) to end; false if it did not. */
static bool wait_ms(pid_t pid, int *st, int ms)
{
	for (int t = 0; t < ms; t += 10) {
		if (waitpid(pid, st, WNOHANG) == pid)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * Kill the process that runs qemu-img: PR_SET_PDEATHSIG must take qemu-img
 * down too, also when it runs as another user (in sub, a directory that
 * user can write; as NULL: as ourselves).
 */
static void deathsig(const char *sub, const struct rhv_qimg_as *as, const char *who)
{
	char script[256], pidfile[300], image[300], buf[32] = "";
	pid_t mid, fake = 0;
	int st = 0;
	FILE *f;

	snprintf(script, sizeof(script), "%s/slow", P(sub));
	snprintf(pidfile, sizeof(pidfile), "%s.pid", script);
	snprintf(image, sizeof(image), "%s/dying.qcow2", P(sub));
	write_file(script,
		   "#!/bin/sh\necho $$ > \"$0.tmp\" && mv \"$0.tmp\" \"$0.pid\"\nexec sleep 60\n",
		   0755);
	setenv(RHV_QIMG_ENV, script, 1);
	prctl(PR_SET_CHILD_SUBREAPER, 1); /* the orphaned qemu-img comes to us */
	fflush(stdout);
	mid = fork();
	if (mid == 0) {
		struct rhv_error err = { 0 };

		rhv_qimg_create(image, "qcow2", MiB, false, NULL, NULL, as, &err);
		_exit(0);
	}
	/* up to 30 s: a loaded machine is slow to fork */
	for (int t = 0; t < 3000 && !fake; t++) {
		f = fopen(pidfile, "r");
		if (f && fgets(buf, sizeof(buf), f))
			fake = (pid_t)atoi(buf);
		if (f)
			fclose(f);
		usleep(10000);
	}
	kill(mid, SIGKILL);
	waitpid(mid, NULL, 0);
	OK(fake > 0 && wait_ms(fake, &st, 30000) && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	   "qemu-img %s killed with its killed parent (pid %d)", who, (int)fake);
	if (fake > 0 && kill(fake, SIGKILL) == 0)
		waitpid(fake, NULL, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	unsetenv(RHV_QIMG_ENV);
	unlink(image);
}

static void test_deathsig(void)
{
	deathsig(".", NULL, "run as ourselves");
}

/* ---- run-as (root only) ---- */

static void test_run_as(void)
{
	const struct rhv_qimg_as nobody = { .set = true, .uid = 65534, .gid = 65534 };
	struct rhv_error err = { 0 };
	struct stat st = { 0 };
	struct seen s = { .grows = true };

	if (geteuid() != 0) {
		SKIP("run-as: not root");
		return;
	}
	mkdir(P("shared"), 0755);
	chmod(P("shared"), 01777);
	/* the death signal must survive the switch to the run-as user */
	deathsig("shared", &nobody, "run as nobody");
	OK(rhv_qimg_create(P("shared/owned.qcow2"), "qcow2", GiB, false, NULL, NULL, &nobody, &err) ==
			   0 &&
		   stat(P("shared/owned.qcow2"), &st) == 0 && st.st_uid == 65534 &&
		   st.st_gid == 65534,
	   "created as nobody: owner %u:%u (%s)", (unsigned)st.st_uid, (unsigned)st.st_gid,
	   err.message);
	OK(!(st.st_mode & 0007), "no access for others (mode %o)", (unsigned)(st.st_mode & 0777));
	rhv_error_clear(&err);
	OK(rhv_qimg_convert(P("shared/owned.qcow2"), "qcow2", P("shared/copy.raw"), "raw", false,
			    on_progress, &s, &nobody, &err) == 0 &&
		   stat(P("shared/copy.raw"), &st) == 0 && st.st_uid == 65534,
	   "converted as nobody: owner %u (%s)", (unsigned)st.st_uid, err.message);
	/* The test directory is root's 0711: nobody cannot create there, so root was dropped. */
	rhv_error_clear(&err);
	OK(rhv_qimg_create(P("root-only.raw"), "raw", MiB, false, NULL, NULL, &nobody, &err) < 0 &&
		   err.code == RHV_EXIT_FAILED && strstr(err.message, "Permission denied") &&
		   !exists(P("root-only.raw")),
	   "nobody cannot create in root's directory (%s)", err.message);
}

/* ---- informational: our overhead over the bare command ---- */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void timing(void)
{
	enum { N = 10 };
	posix_spawn_file_actions_t fa;
	struct rhv_error err;
	double t0, ours, bare;
	char name[64];

	t0 = now_ms();
	for (int k = 0; k < N; k++) {
		snprintf(name, sizeof(name), "t%d.qcow2", k);
		create(P(name), "qcow2", GiB, false, NULL, NULL, &err);
	}
	ours = (now_ms() - t0) / N;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t0 = now_ms();
	for (int k = 0; k < N; k++) {
		char *argv[] = { "qemu-img", "create", "-f", "qcow2", "-o", "compat=1.1", NULL,
				 "1073741824", NULL };
		pid_t pid;

		snprintf(name, sizeof(name), "b%d.qcow2", k);
		argv[6] = (char *)P(name);
		if (posix_spawn(&pid, RHV_QIMG_DEFAULT_PATH, &fa, NULL, argv, environ) == 0)
			waitpid(pid, NULL, 0);
	}
	bare = (now_ms() - t0) / N;
	posix_spawn_file_actions_destroy(&fa);
	printf("# timing: rhv_qimg_create qcow2 1 GiB %.2f ms, bare qemu-img create %.2f ms "
	       "(mean of %d)\n",
	       ours, bare, N);
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(dir)) {
		printf("not ok 1 - cannot create %s\n", dir);
		return 1;
	}
	chmod(dir, 0711); /* nobody may pass through to shared/ */
	test_create();
	test_overlay();
	test_batch();
	test_refusals();
	test_info();
	test_resize();
	test_convert();
	test_missing_binary();
	test_child_state();
	test_enospc();
	test_deathsig();
	test_run_as();
	timing();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", dir);
	return tap_done();
}
