/*
 * How long operations (migrations, maintenance, monitor passes) tell the
 * user what they do without libcore printing: the command passes a sink.
 */
#pragma once

#include "rhv/common.h"

struct rhv_progress {
	/* a line of progress chatter ("VM 'a' migrated to h2") */
	void (*note)(void *arg, const char *msg);
	/* how far a long step is; called often, shown only on a terminal */
	void (*percent)(void *arg, const char *what, int pct);
	/* a warning that must be seen even with -q */
	void (*warn)(void *arg, const char *msg);
	void *arg;
};

void rhv_progress_note(const struct rhv_progress *p, const char *fmt, ...) RHV_PRINTF(2, 3);
void rhv_progress_warn(const struct rhv_progress *p, const char *fmt, ...) RHV_PRINTF(2, 3);
void rhv_progress_percent(const struct rhv_progress *p, const char *what, int pct);

/* One object's outcome in a multi-object operation (exit 6 when some failed). */
struct rhv_batch_item {
	char *object;
	enum rhv_exit code;
	char *message;
};

struct rhv_batch {
	struct rhv_batch_item *items;
	size_t n;
};

void rhv_batch_add(struct rhv_batch *b, const char *object, enum rhv_exit code, const char *message);
size_t rhv_batch_failed(const struct rhv_batch *b);
void rhv_batch_clear(struct rhv_batch *b);
