/*
 * What the monitor does about a host that does not answer (reference
 * 4.4-4.5): the facts are read and the step recorded in one transaction
 * under the host's row lock; the slow part (ssh, the fence agents) runs
 * after it, outside any transaction, and its outcome is recorded after.
 * The monitor holds the host's advisory lock all along, so two monitors
 * never act on one host.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/recover-priv.h"
#include "rhv/cleanup.h"
#include "rhv/event.h"
#include "rhv/fence-policy.h"
#include "rhv/fence.h"
#include "rhv/progress.h"
#include "rhv/recovery.h"
#include "rhv/spawn.h"
#include "store/host.h"
#include "store/monitor.h"
#include "store/recovery.h"
#include "store/txn.h"

struct step {
	struct rhv_recover *rc;
	struct rhv_outage o;
	struct rhv_fence_pm pm; /* power management and SSH access */
	struct rhv_recovery_decision d;
	bool act; /* the host is in a state the monitor handles */
};

static void rules_from(const struct rhv_settings *st, const struct rhv_outage *o, struct rhv_recovery_rules *r)
{
	rhv_recovery_rules_default(r);
	r->min_failed_checks = (int)st->v[RHV_SET_HOST_FAILED_CHECKS];
	r->nonresponsive_wait_ms = st->v[RHV_SET_FENCE_NONRESPONSIVE_WAIT] * 1000;
	r->startup_grace_ms = o->startup_grace_ms;
	r->lease_alive_ms = st->v[RHV_SET_FENCE_LEASE_ALIVE_SECONDS] * 1000;
	r->fence_quiet_ms = st->v[RHV_SET_FENCE_QUIET_SECONDS] * 1000;
}

static void decide(const struct rhv_recover *rc, const struct rhv_host *h, const struct rhv_outage *o,
		   const struct rhv_fence_pm *pm, struct rhv_recovery_decision *d)
{
	const struct rhv_settings *st = rc->st;
	struct rhv_recovery_rules rules;
	struct rhv_recovery_host rh = {
		.name = h->name,
		.nonresponsive = !strcmp(h->state, RHV_HOST_NONRESPONSIVE),
		.away_ms = o->away_ms,
		.failed_checks = o->failed_checks,
		.grace_ms = rhv_recovery_grace_ms(st->v[RHV_SET_HOST_GRACE_SECONDS] * 1000,
						  st->v[RHV_SET_HOST_GRACE_PER_VM_MS], st->v[RHV_SET_HOST_GRACE_SPM_SECONDS] * 1000,
						  h->vms, h->is_spm),
		.can_soft_fence = pm->ssh_address && *pm->ssh_address,
		.soft_fenced_ms_ago = o->soft_fenced_ms_ago,
		.nonresponsive_ms = o->nonresponsive_ms,
		.pm_enabled = pm->enabled && pm->agents > 0,
		.fence_ms_ago = o->fence_ms_ago,
		/* no lease of a host is renewed outside an SPM operation here: nothing to read yet */
		.lease_renewed_ms_ago = -1,
	};
	struct rhv_recovery_cluster c = {
		.fencing_enabled = o->fencing_enabled,
		.skip_percent = o->skip_percent,
		.hosts = o->cluster_hosts,
		.unreachable = o->cluster_unreachable,
		.monitor_age_ms = rc->watch_age_ms,
	};

	rules_from(st, o, &rules);
	if (rh.nonresponsive && o->confirmed_down) {
		/* nothing of it is left to recover: its VMs were let go */
		d->action = RHV_RECOVERY_HOLD;
		d->alert = false;
		snprintf(d->reason, sizeof(d->reason), "host '%s' was confirmed down; it is Up again when it answers",
			 h->name);
		return;
	}
	rhv_recovery_decide(&rules, &rh, &c, d);
}

/* Record the decision's step; the ssh or fence run comes after the transaction. */
static int apply(struct rhv_db *db, struct step *s, const struct rhv_host *h, struct rhv_error *err)
{
	struct rhv_recover *rc = s->rc;
	const char *reason = s->d.reason;
	bool changed;

	snprintf(rc->summary, sizeof(rc->summary), "%s: %s", reason, rc->why);
	switch (s->d.action) {
	case RHV_RECOVERY_WAIT:
		return 0;
	case RHV_RECOVERY_SOFT_FENCE:
		if (rhv_db_outage_mark(db, h->id, RHV_OUTAGE_SOFT_FENCED, err) < 0)
			return -1;
		return rhv_event_add(db, RHV_SEV_WARNING, "host", h->id, h->name, "soft-fence", err, "%s", reason);
	case RHV_RECOVERY_NONRESPONSIVE:
		if (rhv_db_host_set_state(db, h, RHV_HOST_NONRESPONSIVE, reason, err) < 0 ||
		    rhv_db_outage_mark(db, h->id, RHV_OUTAGE_NONRESPONSIVE, err) < 0)
			return -1;
		return rhv_db_host_vms_unknown(db, h, err);
	case RHV_RECOVERY_FENCE:
		if (rhv_db_outage_mark(db, h->id, RHV_OUTAGE_FENCE_ATTEMPT, err) < 0 ||
		    rhv_db_outage_note(db, h->id, NULL, &changed, err) < 0)
			return -1;
		return rhv_db_host_set_state(db, h, RHV_HOST_REBOOT, reason, err);
	case RHV_RECOVERY_HOLD:
		if (rhv_db_outage_note(db, h->id, reason, &changed, err) < 0)
			return -1;
		/* said once per reason, not at every pass */
		if (changed && s->d.alert)
			return rhv_event_add(db, RHV_SEV_WARNING, "host", h->id, h->name, "fence-skipped", err, "%s",
					     reason);
		return 0;
	}
	return 0;
}

static int step_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct step *s = arg;
	struct rhv_recover *rc = s->rc;
	struct rhv_host h;
	int ret = -1;

	rhv_outage_clear(&s->o);
	rhv_fence_pm_clear(&s->pm);
	s->act = false;
	if (rhv_db_host_lock(db, rc->host->id, &h, err) < 0)
		return -1;
	if (!strcmp(h.state, RHV_HOST_UP)) {
		if (rhv_db_host_set_state(db, &h, RHV_HOST_CONNECTING, rc->why, err) < 0)
			goto out;
		free(h.state);
		h.state = rhv_xstrdup(RHV_HOST_CONNECTING);
	}
	if (!strcmp(h.state, RHV_HOST_REBOOT)) {
		/* only a monitor holding this host's lock fences it: that one is gone */
		if (rhv_db_host_set_state(db, &h, RHV_HOST_NONRESPONSIVE,
					  "the monitor that was restarting it stopped before the end", err) < 0)
			goto out;
		free(h.state);
		h.state = rhv_xstrdup(RHV_HOST_NONRESPONSIVE);
	}
	if (strcmp(h.state, RHV_HOST_CONNECTING) && strcmp(h.state, RHV_HOST_NONRESPONSIVE)) {
		/* Down, NonOperational, PreparingForMaintenance: not the monitor's to recover */
		snprintf(rc->summary, sizeof(rc->summary), "host '%s' is %s: %s", h.name, h.state, rc->why);
		ret = 0;
		goto out;
	}
	s->act = true;
	if (rhv_db_outage_read(db, h.id, &s->o, err) < 0 || rhv_fence_pm_get(db, h.name, &s->pm, err) < 0)
		goto out;
	decide(rc, &h, &s->o, &s->pm, &s->d);
	ret = apply(db, s, &h, err);
out:
	rhv_host_clear(&h);
	return ret;
}

/* Record an event outside the step's transaction; a failure to record is only warned about. */
static void note_event(struct rhv_db *db, const struct rhv_recover *rc, enum rhv_severity sev, const char *action,
		       const char *msg)
{
	struct rhv_error e2 = { 0 };

	if (rhv_event_add(db, sev, "host", rc->host->id, rc->host->name, action, &e2, "%s", msg) < 0)
		rhv_progress_warn(rc->p, "cannot record the event: %s", e2.message);
}

static const char *last_line(char *text)
{
	char *end, *nl;

	if (!text || !*text)
		return "";
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	nl = strrchr(text, '\n');
	return nl ? nl + 1 : text;
}

/* Restart the host's management daemon over SSH (4.5); false when that failed. */
static bool soft_fence(struct rhv_db *db, struct rhv_recover *rc, const struct rhv_fence_pm *pm)
{
	struct rhv_fence_ssh ssh = { pm->ssh_address, pm->ssh_port, pm->ssh_user, pm->ssh_key, pm->ssh_known_hosts,
				     (int)rc->st->v[RHV_SET_HOST_TIMEOUT_SECONDS] };
	const char *cmd = pm->soft_fence_cmd && *pm->soft_fence_cmd ? pm->soft_fence_cmd : RHV_SOFT_FENCE_DEFAULT_CMD;
	char **argv = rhv_fence_ssh_argv(&ssh, cmd);
	struct rhv_spawn sp = { .argv = argv };
	struct rhv_spawn *one = &sp;
	struct rhv_error e2 = { 0 };
	char msg[1024];

	rhv_progress_note(rc->p, "host '%s': restarting its management daemon over SSH", rc->host->name);
	if (rhv_spawn_start(&sp, &e2) < 0) {
		snprintf(msg, sizeof(msg), "soft fencing of host '%s' could not run ssh: %s", rc->host->name, e2.message);
	} else {
		rhv_spawn_wait(&one, 1, (int)rc->st->v[RHV_SET_SOFT_FENCE_TIMEOUT] * 1000);
		if (sp.status == 0)
			snprintf(msg, sizeof(msg), "the management daemon of host '%s' was restarted over SSH in %.1f s",
				 rc->host->name, sp.seconds);
		else if (sp.timed_out)
			snprintf(msg, sizeof(msg), "soft fencing of host '%s' did not finish within %lld s",
				 rc->host->name, (long long)rc->st->v[RHV_SET_SOFT_FENCE_TIMEOUT]);
		else
			snprintf(msg, sizeof(msg), "soft fencing of host '%s' failed (exit %d): %s", rc->host->name,
				 sp.status, last_line(sp.errout));
	}
	note_event(db, rc, sp.status == 0 ? RHV_SEV_NORMAL : RHV_SEV_WARNING, "soft-fence", msg);
	rhv_progress_note(rc->p, "%s", msg);
	snprintf(rc->summary, sizeof(rc->summary), "%s", msg);
	rc->recheck = sp.status == 0;
	rhv_spawn_clear(&sp);
	rhv_fence_argv_free(argv);
	return rc->recheck;
}

/* A soft fence that could not run: NonResponsive now, not after a second grace. */
static int soft_fence_failed_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_recover *rc = arg;
	struct rhv_host h;
	int ret = 0;

	if (rhv_db_host_lock(db, rc->host->id, &h, err) < 0)
		return -1;
	if (!strcmp(h.state, RHV_HOST_CONNECTING) &&
	    (rhv_db_host_set_state(db, &h, RHV_HOST_NONRESPONSIVE, rc->summary, err) < 0 ||
	     rhv_db_outage_mark(db, h.id, RHV_OUTAGE_NONRESPONSIVE, err) < 0 || rhv_db_host_vms_unknown(db, &h, err) < 0))
		ret = -1;
	rhv_host_clear(&h);
	return ret;
}

struct after_fence {
	const struct rhv_recover *rc;
	const char *reason;
};

/* After the restart: NonResponsive until it answers again (or until the next attempt). */
static int after_fence_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct after_fence *a = arg;
	struct rhv_host h;
	int ret = 0;

	if (rhv_db_host_lock(db, a->rc->host->id, &h, err) < 0)
		return -1;
	if (!strcmp(h.state, RHV_HOST_REBOOT))
		ret = rhv_db_host_set_state(db, &h, RHV_HOST_NONRESPONSIVE, a->reason, err);
	if (ret == 0)
		ret = rhv_db_outage_mark(db, h.id, RHV_OUTAGE_NONRESPONSIVE, err);
	rhv_host_clear(&h);
	return ret;
}

/* Restart the host through its power management (4.4); its VMs go Down when the stop is confirmed. */
static int fence(struct rhv_db *db, struct rhv_recover *rc, struct rhv_error *err)
{
	struct rhv_fence_report rep = { 0 };
	struct rhv_error ferr = { 0 };
	_cleanup_free_ char *reason = NULL;
	struct after_fence a = { rc, NULL };
	int ret;

	rhv_progress_note(rc->p, "host '%s': restarting it through power management", rc->host->name);
	if (rhv_fence_run(db, rc->host->name, RHV_FENCE_RESTART, 0, rc->p, &rep, &ferr) < 0)
		reason = rhv_xasprintf("fencing failed: %s%s%s", ferr.message, ferr.detail[0] ? ": " : "", ferr.detail);
	else
		reason = rhv_xstrdup("restarted through power management; waiting for it to answer");
	a.reason = reason;
	snprintf(rc->summary, sizeof(rc->summary), "host '%s' %s", rc->host->name, reason);
	ret = rhv_db_txn(db, after_fence_txn, &a, err);
	rhv_fence_report_clear(&rep);
	return ret;
}

int rhv_recover_host(struct rhv_db *db, struct rhv_recover *rc, struct rhv_error *err)
{
	struct step s = { rc };
	int ret;

	rc->recheck = false;
	ret = rhv_db_txn(db, step_txn, &s, err);
	if (ret == 0 && s.act && s.d.action == RHV_RECOVERY_SOFT_FENCE && !soft_fence(db, rc, &s.pm))
		ret = rhv_db_txn(db, soft_fence_failed_txn, rc, err);
	else if (ret == 0 && s.act && s.d.action == RHV_RECOVERY_FENCE)
		ret = fence(db, rc, err);
	rhv_outage_clear(&s.o);
	rhv_fence_pm_clear(&s.pm);
	return ret;
}
