/* A minimal TAP producer for the libcore unit tests. */
#pragma once

#include <stdio.h>
#include <string.h>

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

#define IS_STR(got, want, ...)                                                                     \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		OK(g_ && w_ && !strcmp(g_, w_), __VA_ARGS__);                                      \
		if (!(g_ && w_ && !strcmp(g_, w_)))                                                \
			printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
