/*
 * Errors travel up as a struct rhv_error filled by the function that failed;
 * only rhv_main() prints it, once.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/exitcodes.h"

struct rhv_error {
	enum rhv_exit code; /* exit class; RHV_EXIT_OK while unset */
	char message[512];
	char detail[512];
	char hint[256];
	char sqlstate[6]; /* set when the store reported the error */
	bool retryable;   /* serialization failure or deadlock */
	bool usage;       /* print the "Try --help" line */
};

/* Fill err (first error wins unless it is cleared).  Returns -1. */
int rhv_error_set(struct rhv_error *err, enum rhv_exit code, const char *fmt, ...) RHV_PRINTF(3, 4);
/* Like rhv_error_set, for usage errors (exit 2 plus a "Try --help" line). */
int rhv_error_usage(struct rhv_error *err, const char *fmt, ...) RHV_PRINTF(2, 3);
/* Replace whatever err holds: a caller turning a store error into a plainer one.  Returns -1. */
int rhv_error_replace(struct rhv_error *err, enum rhv_exit code, const char *fmt, ...) RHV_PRINTF(3, 4);
void rhv_error_detail(struct rhv_error *err, const char *fmt, ...) RHV_PRINTF(2, 3);
void rhv_error_hint(struct rhv_error *err, const char *fmt, ...) RHV_PRINTF(2, 3);
void rhv_error_clear(struct rhv_error *err);
/* Out of memory: reported, not recovered from. */
int rhv_error_oom(struct rhv_error *err);

/* Allocation that never returns NULL (aborts with a message instead). */
void *rhv_xmalloc(size_t n);
void *rhv_xcalloc(size_t n, size_t size);
void *rhv_xrealloc(void *p, size_t n);
char *rhv_xstrdup(const char *s);
char *rhv_xasprintf(const char *fmt, ...) RHV_PRINTF(1, 2);
/*
 * Append a formatted item to the list *list (allocated, NULL when empty),
 * separated by sep: builds "name web, description" or "a,b,c".
 */
void rhv_xappendf(char **list, const char *sep, const char *fmt, ...) RHV_PRINTF(3, 4);
