/* The audit log: every change writes one event in its own transaction. */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;

enum rhv_severity { RHV_SEV_NORMAL, RHV_SEV_WARNING, RHV_SEV_ERROR, RHV_SEV_ALERT };
extern const char *const rhv_severity_names[]; /* "NORMAL", ..., NULL */
extern const char *const rhv_object_types[];   /* "data_center", ..., NULL */
#define RHV_EVENT_RETENTION_DAYS 30

struct rhv_event {
	int64_t id;
	int64_t time;
	char *actor;
	char *db_user;
	char *severity;
	char *object_type;
	char *object_id; /* NULL for events about no one object */
	char *object_name;
	char *action;
	char *message;
};

struct rhv_event_list {
	struct rhv_event *items;
	size_t n;
};

struct rhv_event_filter {
	bool has_since;
	int64_t since;
	int min_severity; /* enum rhv_severity; 0 = all */
	const char *object_type;
	const char *object_name;
	int64_t limit; /* 0 = no limit; the newest are kept */
};

/*
 * Record an event inside the caller's transaction.  object_id may be NULL.
 * Returns: 0, or -1 (the caller's transaction fails with it).
 */
int rhv_event_add(struct rhv_db *db, enum rhv_severity sev, const char *object_type, const char *object_id,
		  const char *object_name, const char *action, struct rhv_error *err, const char *fmt, ...)
	RHV_PRINTF(8, 9);
int rhv_event_list(struct rhv_db *db, const struct rhv_event_filter *f, struct rhv_event_list *out,
		   struct rhv_error *err);
/* Delete events older than days; *removed tells how many.  Audited itself. */
int rhv_event_prune(struct rhv_db *db, int64_t days, int64_t *removed, struct rhv_error *err);
void rhv_event_list_clear(struct rhv_event_list *l);
