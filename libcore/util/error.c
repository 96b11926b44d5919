#include "rhv/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/error.h"

static void set_msg(char *buf, size_t len, const char *fmt, va_list ap)
{
	vsnprintf(buf, len, fmt, ap);
}

int rhv_error_set(struct rhv_error *err, enum rhv_exit code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != RHV_EXIT_OK)
		return -1; /* the first, most specific error wins */
	err->code = code;
	va_start(ap, fmt);
	set_msg(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

int rhv_error_replace(struct rhv_error *err, enum rhv_exit code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	rhv_error_clear(err);
	err->code = code;
	va_start(ap, fmt);
	set_msg(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

int rhv_error_usage(struct rhv_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != RHV_EXIT_OK)
		return -1;
	err->code = RHV_EXIT_USAGE;
	err->usage = true;
	va_start(ap, fmt);
	set_msg(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

void rhv_error_detail(struct rhv_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->detail[0])
		return;
	va_start(ap, fmt);
	set_msg(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}

void rhv_error_hint(struct rhv_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->hint[0])
		return;
	va_start(ap, fmt);
	set_msg(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

void rhv_error_clear(struct rhv_error *err)
{
	memset(err, 0, sizeof(*err));
}

int rhv_error_oom(struct rhv_error *err)
{
	return rhv_error_set(err, RHV_EXIT_FAILED, "out of memory");
}

static void *oom(void)
{
	fputs("rhv: error: out of memory\n", stderr);
	abort();
}

void *rhv_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom();
}

void *rhv_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : oom();
}

void *rhv_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : oom();
}

char *rhv_xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	return p ? p : oom();
}

void rhv_xappendf(char **list, const char *sep, const char *fmt, ...)
{
	va_list ap;
	char *item, *joined;

	va_start(ap, fmt);
	if (vasprintf(&item, fmt, ap) < 0)
		oom();
	va_end(ap);
	if (!*list) {
		*list = item;
		return;
	}
	joined = rhv_xasprintf("%s%s%s", *list, sep, item);
	free(item);
	free(*list);
	*list = joined;
}

char *rhv_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return r < 0 ? oom() : s;
}
