/* A minimal TAP producer for the libcore unit tests. */
#pragma once

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_n, tap_failed;

#define OK(cond, ...)                                                                              \
	do {                                                                                       \
		int ok_ = !!(cond);                                                                \
		tap_n++;                                                                           \
		if (ok_) {                                                                         \
			printf("ok %d - ", tap_n);                                                 \
		} else {                                                                           \
			tap_failed++;                                                              \
			printf("not ok %d - ", tap_n);                                             \
		}                                                                                  \
		printf(__VA_ARGS__);                                                               \
		printf("\n");                                                                      \
		if (!ok_)                                                                          \
			printf("#   at %s:%d: %s\n", __FILE__, __LINE__, #cond);                       \
	} while (0)

/* A test that cannot run here: the runner counts it as skipped, not passed. */
#define SKIP(...)                                                                                  \
	do {                                                                                       \
		printf("ok %d # SKIP ", ++tap_n);                                                  \
		printf(__VA_ARGS__);                                                               \
		printf("\n");                                                                      \
	} while (0)

#define IS_STR(got, want, ...)                                                                     \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		OK(g_ && w_ && !strcmp(g_, w_), __VA_ARGS__);                                      \
		if (!(g_ && w_ && !strcmp(g_, w_)))                                                \
			printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

/* A fixture from tests/unit/data, found beside this binary's directory; caller frees. */
static inline char *tap_fixture(const char *name)
{
	char exe[4096], path[4200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;
	char *buf = NULL;
	long len;

	if (n < 0)
		return NULL;
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/../data/%s", dirname(exe), name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
