#include "rhv/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/error.h"
#include "rhv/progress.h"

static void emit(void (*fn)(void *, const char *), void *arg, const char *fmt, va_list ap)
{
	char buf[1024];

	if (!fn)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fn(arg, buf);
}

void rhv_progress_note(const struct rhv_progress *p, const char *fmt, ...)
{
	va_list ap;

	if (!p)
		return;
	va_start(ap, fmt);
	emit(p->note, p->arg, fmt, ap);
	va_end(ap);
}

void rhv_progress_warn(const struct rhv_progress *p, const char *fmt, ...)
{
	va_list ap;

	if (!p)
		return;
	va_start(ap, fmt);
	emit(p->warn, p->arg, fmt, ap);
	va_end(ap);
}

void rhv_progress_percent(const struct rhv_progress *p, const char *what, int pct)
{
	if (p && p->percent)
		p->percent(p->arg, what, pct);
}

void rhv_batch_add(struct rhv_batch *b, const char *object, enum rhv_exit code, const char *message)
{
	b->items = rhv_xrealloc(b->items, (b->n + 1) * sizeof(*b->items));
	b->items[b->n].object = rhv_xstrdup(object);
	b->items[b->n].code = code;
	b->items[b->n].message = rhv_xstrdup(message);
	b->n++;
}

size_t rhv_batch_failed(const struct rhv_batch *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++)
		n += b->items[i].code != RHV_EXIT_OK;
	return n;
}

void rhv_batch_clear(struct rhv_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->items[i].object);
		free(b->items[i].message);
	}
	free(b->items);
	memset(b, 0, sizeof(*b));
}
