/* The store's side of host recovery and HA restarts (store/recovery.h). */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "store/recovery.h"
#include "store/store-priv.h"
#include "rhv/event.h"

void rhv_outage_clear(struct rhv_outage *o)
{
	free(o->recovery_note);
	memset(o, 0, sizeof(*o));
}

#define MS_SINCE(col) "(extract(epoch FROM now() - " col ") * 1000)::bigint"

int rhv_db_outage_read(struct rhv_db *db, const char *host_id, struct rhv_outage *o, struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE hosts h SET failed_checks = h.failed_checks + 1 FROM clusters c"
		" WHERE h.id = $1 AND c.id = h.cluster_id RETURNING h.failed_checks,"
		" " MS_SINCE("coalesce(h.unreachable_since, now())") " AS away,"
		" coalesce(" MS_SINCE("h.soft_fenced_at") ", -1) AS soft_ago,"
		" coalesce(" MS_SINCE("h.nonresponsive_at") ", 0) AS nr_ms,"
		" coalesce(" MS_SINCE("h.fence_attempt_at") ", -1) AS fence_ago,"
		" h.confirmed_down_at IS NOT NULL AS confirmed, h.recovery_note,"
		" c.fencing_enabled, c.fencing_skip_lease, c.fencing_skip_percent, c.fencing_startup_grace,"
		" (SELECT count(*) FROM hosts o WHERE o.cluster_id = c.id AND o.state <> 'Maintenance'"
		"  AND NOT o.power_saving_off) AS chosts,"
		" (SELECT count(*) FROM hosts o WHERE o.cluster_id = c.id"
		"  AND o.state IN ('Connecting', 'NonResponsive', 'Reboot')) AS cdown";
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(o, 0, sizeof(*o));
	if (rhv_db_exec(db, sql, RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	if (!PQntuples(r))
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "the host is gone from the store");
	o->failed_checks = (int)rhv_pq_int(r, 0, "failed_checks");
	o->away_ms = rhv_pq_int(r, 0, "away");
	o->soft_fenced_ms_ago = rhv_pq_int(r, 0, "soft_ago");
	o->nonresponsive_ms = rhv_pq_int(r, 0, "nr_ms");
	o->fence_ms_ago = rhv_pq_int(r, 0, "fence_ago");
	o->confirmed_down = rhv_pq_bool(r, 0, "confirmed");
	o->recovery_note = rhv_pq_dup(r, 0, "recovery_note");
	o->fencing_enabled = rhv_pq_bool(r, 0, "fencing_enabled");
	o->skip_lease = rhv_pq_bool(r, 0, "fencing_skip_lease");
	o->skip_percent = (int)rhv_pq_int(r, 0, "fencing_skip_percent");
	o->startup_grace_ms = rhv_pq_int(r, 0, "fencing_startup_grace") * 1000;
	o->cluster_hosts = (int)rhv_pq_int(r, 0, "chosts");
	o->cluster_unreachable = (int)rhv_pq_int(r, 0, "cdown");
	return 0;
}

int rhv_db_outage_mark(struct rhv_db *db, const char *host_id, enum rhv_outage_mark m, struct rhv_error *err)
{
	static const char *const sql[] = {
		[RHV_OUTAGE_SOFT_FENCED] = "UPDATE hosts SET soft_fenced_at = now() WHERE id = $1",
		[RHV_OUTAGE_NONRESPONSIVE] = "UPDATE hosts SET nonresponsive_at = now() WHERE id = $1",
		[RHV_OUTAGE_FENCE_ATTEMPT] = "UPDATE hosts SET fence_attempt_at = now() WHERE id = $1",
	};

	return rhv_db_exec(db, sql[m], RHV_PARAMS(host_id), NULL, err);
}

int rhv_db_outage_note(struct rhv_db *db, const char *host_id, const char *note, bool *changed, struct rhv_error *err)
{
	long n = 0;

	if (rhv_db_command(db,
			   "UPDATE hosts SET recovery_note = $2 WHERE id = $1 AND recovery_note IS DISTINCT FROM $2",
			   RHV_PARAMS(host_id, note), &n, err) < 0)
		return -1;
	*changed = n > 0;
	return 0;
}

int rhv_db_outage_end(struct rhv_db *db, const char *host_id, struct rhv_error *err)
{
	return rhv_db_exec(db,
			   "UPDATE hosts SET failed_checks = 0, soft_fenced_at = NULL, nonresponsive_at = NULL,"
			   " fence_attempt_at = NULL, recovery_note = NULL WHERE id = $1 AND (failed_checks > 0"
			   " OR soft_fenced_at IS NOT NULL OR nonresponsive_at IS NOT NULL OR fence_attempt_at IS NOT NULL"
			   " OR recovery_note IS NOT NULL)",
			   RHV_PARAMS(host_id), NULL, err);
}

int rhv_db_monitor_watch(struct rhv_db *db, int64_t gap_s, int64_t *age_ms, struct rhv_error *err)
{
	static const char sql[] =
		"INSERT INTO monitor_watch AS w (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET"
		" started_at = CASE WHEN now() - w.last_pass_at > make_interval(secs => $1::int)"
		"  THEN now() ELSE w.started_at END, last_pass_at = now()"
		" RETURNING " MS_SINCE("started_at") " AS age";
	_cleanup_pgresult_ PGresult *r = NULL;
	char gap[24];

	snprintf(gap, sizeof(gap), "%lld", (long long)gap_s);
	if (rhv_db_exec(db, sql, RHV_PARAMS(gap), &r, err) < 0)
		return -1;
	*age_ms = rhv_pq_int(r, 0, "age");
	return 0;
}

static void ha_vm_clear(struct rhv_ha_vm *v)
{
	free(v->name);
}

void rhv_ha_vm_list_clear(struct rhv_ha_vm_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		ha_vm_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static void ha_vm_fill(const PGresult *r, int row, struct rhv_ha_vm *v)
{
	snprintf(v->id, sizeof(v->id), "%s", rhv_pq_str(r, row, "id"));
	v->name = rhv_pq_dup(r, row, "name");
	v->priority = (int)rhv_pq_int(r, row, "ha_priority");
	v->tries = (int)rhv_pq_int(r, row, "ha_tries");
	v->last_try_ms_ago = rhv_pq_int(r, row, "last_ago");
	v->waiting_ms = rhv_pq_int(r, row, "waiting");
}

int rhv_db_ha_waiting(struct rhv_db *db, struct rhv_ha_vm_list *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db,
			"SELECT id, name, ha_priority, ha_tries, coalesce(" MS_SINCE("ha_last_try") ", -1) AS last_ago,"
			" " MS_SINCE("ha_pending_since") " AS waiting FROM vms WHERE ha_pending_since IS NOT NULL"
			" ORDER BY ha_priority DESC, name",
			NULL, 0, &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, ha_vm_fill);
	return 0;
}

int rhv_db_ha_mark(struct rhv_db *db, const char *vm_id, const char *name, const char *host, struct rhv_error *err)
{
	if (rhv_db_exec(db,
			"UPDATE vms SET ha_pending_since = now(), ha_tries = 0, ha_last_try = NULL, ha_last_error = NULL"
			" WHERE id = $1 AND ha",
			RHV_PARAMS(vm_id), NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_WARNING, "vm", vm_id, name, "ha-pending", err,
			     "highly available VM '%s' stopped running on host '%s' without being asked; it will be "
			     "started again",
			     name, host);
}

int rhv_db_ha_claim(struct rhv_db *db, const char *vm_id, bool *waiting, int *tries, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*waiting = false;
	*tries = 0;
	if (rhv_db_exec(db,
			"SELECT state, ha_pending_since IS NOT NULL AS pending, ha_tries FROM vms WHERE id = $1 FOR UPDATE",
			RHV_PARAMS(vm_id), &r, err) < 0)
		return -1;
	if (!PQntuples(r) || !rhv_pq_bool(r, 0, "pending"))
		return 0;
	*tries = (int)rhv_pq_int(r, 0, "ha_tries");
	if (strcmp(rhv_pq_str(r, 0, "state"), "Down"))
		return rhv_db_ha_tried(db, vm_id, NULL, err);
	*waiting = true;
	return 0;
}

int rhv_db_ha_tried(struct rhv_db *db, const char *vm_id, const char *error, struct rhv_error *err)
{
	if (!error)
		return rhv_db_exec(db,
				   "UPDATE vms SET ha_pending_since = NULL, ha_tries = 0, ha_last_try = NULL,"
				   " ha_last_error = NULL WHERE id = $1",
				   RHV_PARAMS(vm_id), NULL, err);
	return rhv_db_exec(db,
			   "UPDATE vms SET ha_tries = ha_tries + 1, ha_last_try = now(), ha_last_error = $2 WHERE id = $1",
			   RHV_PARAMS(vm_id, error), NULL, err);
}

int rhv_db_ha_give_up(struct rhv_db *db, const char *vm_id, const char *name, int tries, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"UPDATE vms SET ha_pending_since = NULL WHERE id = $1 AND ha_pending_since IS NOT NULL"
			" RETURNING coalesce(ha_last_error, '') AS why",
			RHV_PARAMS(vm_id), &r, err) < 0)
		return -1;
	if (!PQntuples(r))
		return 0;
	return rhv_event_add(db, RHV_SEV_ERROR, "vm", vm_id, name, "ha-given-up", err,
			     "highly available VM '%s' was not restarted: %d attempts failed, the last: %s", name, tries,
			     rhv_pq_str(r, 0, "why"));
}
