/*
 * power_saving's power actions (rhv/powersave.h): maintenance, a fence stop
 * and the Down mark; a fence start, the wait for the daemon and activation.
 * The rule is policy/balance-power.c, the rows store/powersave.c.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/host.h"
#include "store/powersave.h"
#include "store/txn.h"
#include "rhv/balance.h"
#include "rhv/cleanup.h"
#include "rhv/event.h"
#include "rhv/fence.h"
#include "rhv/host.h"
#include "rhv/powersave.h"
#include "rhv/progress.h"
#include "rhv/settings.h"

#define POLL_MS 250 /* between two attempts to reach a host powered on */

struct check_arg {
	const char *name;
	enum rhv_bal_kind kind;
	bool down;	   /* mark it Down for power saving instead of checking */
	char id[37];
	char why[128];	   /* out: refused */
	bool refused;
};

static int check_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct check_arg *a = arg;
	struct rhv_host h;
	struct rhv_bal_power_host ph;
	const char *why;
	int rc = -1;

	if (rhv_db_host_power_lock(db, a->name, &h, &ph, err) < 0)
		goto out;
	snprintf(a->id, sizeof(a->id), "%s", h.id);
	if (a->down) {
		rc = rhv_db_host_power_saved(db, &h, RHV_POWER_SAVING_REASON, err);
		goto out;
	}
	why = rhv_bal_power_refusal(a->kind, &ph, a->why, sizeof(a->why));
	if (why && why != a->why)
		snprintf(a->why, sizeof(a->why), "%s", why);
	a->refused = why != NULL;
	rc = 0;
out:
	rhv_host_clear(&h);
	return rc;
}

static void event(struct rhv_db *db, const struct rhv_progress *p, enum rhv_severity sev, const char *id,
		  const char *host, const char *action, const char *msg)
{
	struct rhv_error e = { 0 };

	if (rhv_event_add(db, sev, "host", id, host, action, &e, "%s", msg) < 0)
		rhv_progress_warn(p, "cannot record the event: %s", e.message);
}

static int check(struct rhv_db *db, const char *host, enum rhv_bal_kind kind, struct check_arg *a,
		 struct rhv_error *err)
{
	*a = (struct check_arg){ .name = host, .kind = kind };
	if (rhv_db_txn(db, check_txn, a, err) < 0)
		return -1;
	if (!a->refused)
		return 0;
	rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' is not powered %s: %s", host,
		      kind == RHV_BAL_POWER_OFF ? "off" : "on", a->why);
	return 1;
}

/* After a failed power-off: Up again, or why not. */
static char *undo(struct rhv_db *db, const char *host)
{
	struct rhv_error e = { 0 };

	if (rhv_host_activate(db, host, &e) == 0)
		return rhv_xstrdup("it is Up again");
	return rhv_xasprintf("it could not be activated again: %s", e.message);
}

static int off_failed(struct rhv_db *db, const struct rhv_progress *p, const struct check_arg *a, const char *host,
		      const char *cluster, const struct rhv_error *e, struct rhv_error *err)
{
	_cleanup_free_ char *after = undo(db, host);
	_cleanup_free_ char *why = e->detail[0] ? rhv_xasprintf("%s: %s", e->message, e->detail) : rhv_xstrdup(e->message);
	_cleanup_free_ char *msg = rhv_xasprintf("power saving (cluster '%s') could not power off host '%s' (%s): %s",
						 cluster, host, after, why);

	event(db, p, RHV_SEV_ERROR, a->id, host, "pm-policy-failed", msg);
	rhv_error_set(err, e->code && e->code != RHV_EXIT_CONFLICT ? e->code : RHV_EXIT_FAILED,
		      "cannot power off host '%s' for power saving (%s): %s", host, after, why);
	return -1;
}

int rhv_power_saving_off(struct rhv_db *db, const char *host, const char *cluster, const struct rhv_progress *p,
			 struct rhv_error *err)
{
	struct check_arg a;
	struct rhv_batch batch = { 0 };
	struct rhv_fence_report rep;
	struct rhv_error e = { 0 };
	_cleanup_free_ char *msg = NULL;
	int rc = check(db, host, RHV_BAL_POWER_OFF, &a, err);

	if (rc)
		return rc;
	msg = rhv_xasprintf("host '%s' goes to Maintenance to be powered off for power saving (cluster '%s')", host,
			    cluster);
	event(db, p, RHV_SEV_NORMAL, a.id, host, "pm-policy-up-to-maintenance", msg);
	rhv_progress_note(p, "%s", msg);
	rc = rhv_host_maintenance(db, host, p, &batch, &e);
	if (rc == 0 && rhv_batch_failed(&batch)) {
		/* a VM arrived meanwhile and could not leave */
		rhv_error_set(&e, batch.items[0].code, "%s", batch.items[0].message);
		rc = -1;
	}
	rhv_batch_clear(&batch);
	if (rc < 0)
		return off_failed(db, p, &a, host, cluster, &e, err);
	rc = rhv_fence_run(db, host, RHV_FENCE_STOP, 0, p, &rep, &e);
	rhv_fence_report_clear(&rep);
	if (rc < 0)
		return off_failed(db, p, &a, host, cluster, &e, err);
	a.down = true;
	if (rhv_db_txn(db, check_txn, &a, err) < 0)
		return -1;
	free(msg);
	msg = rhv_xasprintf("host '%s' is powered off for power saving (cluster '%s')", host, cluster);
	event(db, p, RHV_SEV_NORMAL, a.id, host, "pm-policy-maintenance-to-down", msg);
	rhv_progress_note(p, "%s", msg);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		;
}

int rhv_power_saving_on(struct rhv_db *db, const char *host, const char *cluster, const struct rhv_progress *p,
			struct rhv_error *err)
{
	struct check_arg a;
	struct rhv_fence_report rep;
	struct rhv_settings st;
	struct rhv_error e = { 0 };
	_cleanup_free_ char *msg = NULL;
	int64_t deadline;
	int rc = check(db, host, RHV_BAL_POWER_ON, &a, err);

	if (rc)
		return rc;
	if (rhv_settings_load(db, &st, err) < 0)
		return -1;
	rc = rhv_fence_run(db, host, RHV_FENCE_START, 0, p, &rep, &e);
	rhv_fence_report_clear(&rep);
	if (rc < 0) {
		msg = rhv_xasprintf("power saving (cluster '%s') could not power on host '%s': %s; it stays Down",
				    cluster, host, e.message);
		event(db, p, RHV_SEV_ERROR, a.id, host, "pm-policy-failed", msg);
		rhv_error_set(err, e.code ? e.code : RHV_EXIT_FAILED, "cannot power on host '%s': %s", host, e.message);
		if (e.detail[0])
			rhv_error_detail(err, "%s", e.detail);
		return -1;
	}
	/* its daemon answers some time after the power comes back: activate until it does */
	rhv_progress_note(p, "waiting up to %lld s for host '%s' to answer",
			  (long long)st.v[RHV_SET_HOST_POWER_ON_TIMEOUT], host);
	deadline = now_ms() + st.v[RHV_SET_HOST_POWER_ON_TIMEOUT] * 1000;
	for (;;) {
		rhv_error_clear(&e);
		rc = rhv_host_activate(db, host, &e);
		if (rc == 0 || e.code == RHV_EXIT_CONFLICT || e.code == RHV_EXIT_NOTFOUND || now_ms() >= deadline)
			break;
		sleep_ms(POLL_MS);
	}
	if (rc < 0) {
		bool timeout = e.code != RHV_EXIT_CONFLICT && e.code != RHV_EXIT_NOTFOUND;

		msg = timeout ? rhv_xasprintf("power saving (cluster '%s') powered on host '%s' but it did not answer "
					      "within %lld s: %s",
					      cluster, host, (long long)st.v[RHV_SET_HOST_POWER_ON_TIMEOUT], e.message)
			      : rhv_xasprintf("power saving (cluster '%s') powered on host '%s' but could not activate "
					      "it: %s",
					      cluster, host, e.message);
		event(db, p, RHV_SEV_ERROR, a.id, host, "pm-policy-failed", msg);
		if (timeout) {
			rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
				      "host '%s' was powered on but did not answer within %lld s (HostPowerOnTimeoutSeconds)",
				      host, (long long)st.v[RHV_SET_HOST_POWER_ON_TIMEOUT]);
			rhv_error_detail(err, "%s", e.message);
			rhv_error_hint(err, "it stays Down; activate it when it answers: rhv-host activate %s", host);
		} else {
			rhv_error_set(err, e.code, "host '%s' was powered on but cannot be activated: %s", host, e.message);
		}
		return -1;
	}
	msg = rhv_xasprintf("host '%s' is powered on and Up again for power saving (cluster '%s')", host, cluster);
	event(db, p, RHV_SEV_NORMAL, a.id, host, "pm-policy-to-up", msg);
	rhv_progress_note(p, "%s", msg);
	return 0;
}
