#include "rhv/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "rhv/event.h"

const char *const rhv_severity_names[] = { "NORMAL", "WARNING", "ERROR", "ALERT", NULL };
const char *const rhv_object_types[] = { "data_center", "cluster", "host", "vm", "setting", "store", "event",
					 "storage_domain", "disk", "network", "vnic_profile", NULL };

int rhv_event_add(struct rhv_db *db, enum rhv_severity sev, const char *object_type, const char *object_id,
		  const char *object_name, const char *action, struct rhv_error *err, const char *fmt, ...)
{
	static const char sql[] =
		"INSERT INTO events (actor, severity, object_type, object_id, object_name, action, message)"
		" VALUES ($1, $2, $3, $4::uuid, $5, $6, $7)";
	_cleanup_free_ char *msg = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return rhv_error_oom(err);
	return rhv_db_exec(db, sql,
			   RHV_PARAMS(db->actor, rhv_severity_names[sev], object_type, object_id, object_name, action,
				      msg),
			   NULL, err);
}

int rhv_event_list(struct rhv_db *db, const struct rhv_event_filter *f, struct rhv_event_list *out,
		   struct rhv_error *err)
{
	/* the newest `limit` events, shown oldest first */
	static const char sql[] =
		"SELECT * FROM ("
		" SELECT id, extract(epoch FROM time)::bigint AS t, actor, db_user, severity, object_type,"
		"  object_id, object_name, action, message FROM events"
		" WHERE ($1::bigint IS NULL OR time >= to_timestamp($1::bigint))"
		"  AND array_position(ARRAY['NORMAL','WARNING','ERROR','ALERT'], severity) > $2::int"
		"  AND ($3::text IS NULL OR object_type = $3)"
		"  AND ($4::text IS NULL OR object_name = $4)"
		" ORDER BY id DESC LIMIT $5::bigint) e ORDER BY id";
	_cleanup_pgresult_ PGresult *r = NULL;
	char since[32], sev[16], limit[32];
	int n;

	snprintf(since, sizeof(since), "%lld", (long long)f->since);
	snprintf(sev, sizeof(sev), "%d", f->min_severity);
	snprintf(limit, sizeof(limit), "%lld", (long long)(f->limit > 0 ? f->limit : INT64_MAX));
	if (rhv_db_exec(db, sql,
			RHV_PARAMS(f->has_since ? since : NULL, sev, f->object_type, f->object_name, limit), &r,
			err) < 0)
		return -1;
	n = PQntuples(r);
	out->n = (size_t)n;
	out->items = rhv_xcalloc((size_t)n, sizeof(*out->items));
	for (int i = 0; i < n; i++) {
		struct rhv_event *e = &out->items[i];

		e->id = rhv_pq_int(r, i, "id");
		e->time = rhv_pq_int(r, i, "t");
		e->actor = rhv_pq_dup(r, i, "actor");
		e->db_user = rhv_pq_dup(r, i, "db_user");
		e->severity = rhv_pq_dup(r, i, "severity");
		e->object_type = rhv_pq_dup(r, i, "object_type");
		e->object_id = rhv_pq_dup(r, i, "object_id");
		e->object_name = rhv_pq_dup(r, i, "object_name");
		e->action = rhv_pq_dup(r, i, "action");
		e->message = rhv_pq_dup(r, i, "message");
	}
	return 0;
}

void rhv_event_list_clear(struct rhv_event_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct rhv_event *e = &l->items[i];

		free(e->actor);
		free(e->db_user);
		free(e->severity);
		free(e->object_type);
		free(e->object_id);
		free(e->object_name);
		free(e->action);
		free(e->message);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

struct prune {
	int64_t days;
	int64_t removed;
};

static int prune_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct prune *p = arg;
	char days[32];
	long n;

	snprintf(days, sizeof(days), "%lld", (long long)p->days);
	if (rhv_db_command(db, "DELETE FROM events WHERE time < now() - make_interval(days => $1::int)",
			   RHV_PARAMS(days), &n, err) < 0)
		return -1;
	p->removed = n;
	return rhv_event_add(db, RHV_SEV_NORMAL, "event", NULL, NULL, "prune", err,
			     "pruned %ld events older than %lld days", n, (long long)p->days);
}

int rhv_event_prune(struct rhv_db *db, int64_t days, int64_t *removed, struct rhv_error *err)
{
	struct prune p = { days, 0 };

	if (rhv_db_txn(db, prune_txn, &p, err) < 0)
		return -1;
	*removed = p.removed;
	return 0;
}
