/*
 * Start highly available VMs again after their host was confirmed down
 * (rhv/ha.h).  The order and the retry rule are policy/recovery.c's
 * rhv_ha_due; the start is rhv_vm_start's, claimed in the store, so a VM
 * runs once however many monitors try.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>

#include "rhv/event.h"
#include "rhv/ha.h"
#include "rhv/progress.h"
#include "rhv/recovery.h"
#include "rhv/settings.h"
#include "rhv/vmops.h"
#include "store/recovery.h"
#include "store/txn.h"

struct claim {
	const char *vm_id;
	bool waiting;
	int tries; /* as they stand under the lock: another monitor may have tried since the list was read */
};

static int claim_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct claim *c = arg;

	return rhv_db_ha_claim(db, c->vm_id, &c->waiting, &c->tries, err);
}

struct tried {
	const struct rhv_ha_vm *vm;
	const char *error;
	bool give_up;
	int tries, max_tries;
};

static int tried_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct tried *t = arg;

	if (t->give_up)
		return rhv_db_ha_give_up(db, t->vm->id, t->vm->name, t->tries, err);
	if (rhv_db_ha_tried(db, t->vm->id, t->error, err) < 0)
		return -1;
	if (!t->error)
		return rhv_event_add(db, RHV_SEV_NORMAL, "vm", t->vm->id, t->vm->name, "ha-restart", err,
				     "highly available VM '%s' runs again after waiting %lld s", t->vm->name,
				     (long long)(t->vm->waiting_ms / 1000));
	if (rhv_event_add(db, RHV_SEV_WARNING, "vm", t->vm->id, t->vm->name, "ha-restart-failed", err,
			  "highly available VM '%s' could not start (attempt %d of %d): %s", t->vm->name, t->tries,
			  t->max_tries, t->error) < 0)
		return -1;
	/* the last attempt: said now, not at the next pass */
	return t->tries >= t->max_tries ? rhv_db_ha_give_up(db, t->vm->id, t->vm->name, t->tries, err) : 0;
}

/* One VM: locked against other monitors, claimed, started, recorded. */
static int restart_one(struct rhv_db *db, const struct rhv_ha_vm *vm, int max_tries, const struct rhv_progress *p,
		       struct rhv_ha_outcome *out, struct rhv_error *err)
{
	struct claim c = { vm->id, false, 0 };
	struct rhv_error serr = { 0 };
	bool got, released;
	int rc = -1;

	if (rhv_db_try_lock(db, "ha-restart", vm->id, true, &got, err) < 0)
		return -1;
	if (!got) {
		out->busy++;
		return 0;
	}
	if (rhv_db_txn(db, claim_txn, &c, err) < 0)
		goto out;
	rc = 0;
	if (c.waiting && c.tries >= max_tries) {
		struct tried t = { vm, NULL, true, c.tries, max_tries };

		rc = rhv_db_txn(db, tried_txn, &t, err);
	} else if (c.waiting) {
		struct tried t = { vm, NULL, false, c.tries + 1, max_tries };

		if (rhv_vm_start(db, vm->name, NULL, NULL, p, &serr) < 0) {
			t.error = serr.message;
			out->failed++;
			rhv_progress_warn(p, "highly available VM '%s' could not start (attempt %d of %d): %s", vm->name,
					  t.tries, max_tries, serr.message);
		} else {
			out->started++;
		}
		rc = rhv_db_txn(db, tried_txn, &t, err);
	}
out:
	/* a lock left behind goes with the session anyway */
	rhv_error_clear(&serr);
	rhv_db_try_lock(db, "ha-restart", vm->id, false, &released, &serr);
	return rc;
}

int rhv_ha_restart_pass(struct rhv_db *db, const struct rhv_progress *p, struct rhv_ha_outcome *out,
			struct rhv_error *err)
{
	struct rhv_settings st;
	struct rhv_ha_vm_list l;
	struct rhv_ha_waiting *w;
	size_t *order, due, given_up;
	int max_tries, rc = 0;

	*out = (struct rhv_ha_outcome){ 0 };
	if (rhv_settings_load(db, &st, err) < 0 || rhv_db_ha_waiting(db, &l, err) < 0)
		return -1;
	max_tries = (int)st.v[RHV_SET_HA_MAX_TRIES];
	w = rhv_xcalloc(l.n + 1, sizeof(*w));
	order = rhv_xcalloc(l.n + 1, sizeof(*order));
	for (size_t i = 0; i < l.n; i++)
		w[i] = (struct rhv_ha_waiting){ l.items[i].name, l.items[i].priority, l.items[i].tries,
						l.items[i].last_try_ms_ago };
	due = rhv_ha_due(w, l.n, max_tries, st.v[RHV_SET_HA_RETRY_SECONDS] * 1000, order, &given_up);
	for (size_t i = 0; i < l.n && given_up; i++) {
		struct tried t = { &l.items[i], NULL, true, l.items[i].tries, max_tries };

		if (l.items[i].tries < max_tries)
			continue;
		if (rhv_db_txn(db, tried_txn, &t, err) < 0) {
			rc = -1;
			goto out;
		}
		out->given_up++;
	}
	for (size_t k = 0; k < due; k++)
		if (restart_one(db, &l.items[order[k]], max_tries, p, out, err) < 0) {
			rc = -1;
			break;
		}
out:
	free(w);
	free(order);
	rhv_ha_vm_list_clear(&l);
	return rc;
}
