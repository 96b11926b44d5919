#include "rhv/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rhv/recovery.h"

void rhv_recovery_rules_default(struct rhv_recovery_rules *r)
{
	r->min_failed_checks = 2;
	r->nonresponsive_wait_ms = 30000;
	r->startup_grace_ms = 300000;
	r->lease_alive_ms = 90000;
	r->fence_quiet_ms = 180000;
}

int64_t rhv_recovery_grace_ms(int64_t base_ms, int64_t per_vm_ms, int64_t spm_ms, int vms, bool spm)
{
	return base_ms + per_vm_ms * (vms > 0 ? vms : 0) + (spm ? spm_ms : 0);
}

bool rhv_recovery_connectivity_broken(int hosts, int unreachable, int percent)
{
	if (percent <= 0 || hosts <= 0)
		return false;
	/* integer form of unreachable / hosts >= percent / 100 */
	return (int64_t)unreachable * 100 >= (int64_t)percent * hosts;
}

static void say(struct rhv_recovery_decision *d, enum rhv_recovery_action a, bool alert, const char *fmt, ...)
	RHV_PRINTF(4, 5);
static void say(struct rhv_recovery_decision *d, enum rhv_recovery_action a, bool alert, const char *fmt, ...)
{
	va_list ap;

	d->action = a;
	d->alert = alert;
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
}

static long long secs(int64_t ms)
{
	return (long long)(ms / 1000);
}

/* Connecting: soft fence after the grace, NonResponsive after a second one. */
static void decide_connecting(const struct rhv_recovery_rules *r, const struct rhv_recovery_host *h,
			      const struct rhv_recovery_cluster *c, struct rhv_recovery_decision *d)
{
	bool soft_done = h->soft_fenced_ms_ago >= 0;
	/* oVirt doubles both the period and the attempt count after a soft fence */
	int64_t grace = soft_done ? 2 * h->grace_ms : h->grace_ms;
	int checks = soft_done ? 2 * r->min_failed_checks : r->min_failed_checks;

	if (h->away_ms < grace || h->failed_checks < checks) {
		say(d, RHV_RECOVERY_WAIT, false, "host '%s' has not answered for %lld s (%d check%s); its grace is %lld s",
		    h->name, secs(h->away_ms), h->failed_checks, h->failed_checks == 1 ? "" : "s", secs(grace));
		return;
	}
	if (soft_done) {
		say(d, RHV_RECOVERY_NONRESPONSIVE, true,
		    "host '%s' still does not answer %lld s after its management daemon was restarted",
		    h->name, secs(h->soft_fenced_ms_ago));
		return;
	}
	if (!c->fencing_enabled) {
		say(d, RHV_RECOVERY_NONRESPONSIVE, true,
		    "host '%s' has not answered for %lld s; fencing is disabled in its cluster", h->name,
		    secs(h->away_ms));
		return;
	}
	if (rhv_recovery_connectivity_broken(c->hosts, c->unreachable, c->skip_percent)) {
		say(d, RHV_RECOVERY_NONRESPONSIVE, true,
		    "host '%s' has not answered for %lld s; %d of the cluster's %d hosts are unreachable (at least "
		    "%d %%): the manager may be the one cut off, so nothing is restarted",
		    h->name, secs(h->away_ms), c->unreachable, c->hosts, c->skip_percent);
		return;
	}
	if (!h->can_soft_fence) {
		say(d, RHV_RECOVERY_NONRESPONSIVE, true,
		    "host '%s' has not answered for %lld s (grace %lld s) and has no SSH access for a soft fence",
		    h->name, secs(h->away_ms), secs(grace));
		return;
	}
	say(d, RHV_RECOVERY_SOFT_FENCE, true,
	    "host '%s' has not answered for %lld s (grace %lld s): restarting its management daemon over SSH",
	    h->name, secs(h->away_ms), secs(grace));
}

/* NonResponsive: fence through power management unless a safety rule holds it back. */
static void decide_nonresponsive(const struct rhv_recovery_rules *r, const struct rhv_recovery_host *h,
				 const struct rhv_recovery_cluster *c, struct rhv_recovery_decision *d)
{
	if (!h->pm_enabled) {
		say(d, RHV_RECOVERY_HOLD, false,
		    "host '%s' has no power management: its VMs stay Unknown until an admin confirms it is down",
		    h->name);
		return;
	}
	if (!c->fencing_enabled) {
		say(d, RHV_RECOVERY_HOLD, false, "fencing is disabled in the cluster of host '%s'", h->name);
		return;
	}
	if (c->monitor_age_ms < r->startup_grace_ms) {
		say(d, RHV_RECOVERY_HOLD, false,
		    "the monitor started %lld s ago: no fencing in its first %lld s (host '%s' may only be slow to "
		    "report)",
		    secs(c->monitor_age_ms), secs(r->startup_grace_ms), h->name);
		return;
	}
	if (h->nonresponsive_ms < r->nonresponsive_wait_ms) {
		say(d, RHV_RECOVERY_WAIT, false, "host '%s' has been NonResponsive for %lld s; fencing after %lld s",
		    h->name, secs(h->nonresponsive_ms), secs(r->nonresponsive_wait_ms));
		return;
	}
	if (rhv_recovery_connectivity_broken(c->hosts, c->unreachable, c->skip_percent)) {
		say(d, RHV_RECOVERY_HOLD, true,
		    "fencing of host '%s' skipped: %d of the cluster's %d hosts are unreachable (at least %d %%), so "
		    "the manager may be the one cut off",
		    h->name, c->unreachable, c->hosts, c->skip_percent);
		return;
	}
	if (h->lease_renewed_ms_ago >= 0 && h->lease_renewed_ms_ago < r->lease_alive_ms) {
		say(d, RHV_RECOVERY_HOLD, true,
		    "fencing of host '%s' skipped: it renewed its storage lease %lld s ago, so it is alive",
		    h->name, secs(h->lease_renewed_ms_ago));
		return;
	}
	if (h->fence_ms_ago >= 0 && h->fence_ms_ago < r->fence_quiet_ms) {
		say(d, RHV_RECOVERY_HOLD, false, "host '%s' was fenced %lld s ago; the next attempt after %lld s",
		    h->name, secs(h->fence_ms_ago), secs(r->fence_quiet_ms));
		return;
	}
	say(d, RHV_RECOVERY_FENCE, true, "host '%s' has been NonResponsive for %lld s: restarting it through power management",
	    h->name, secs(h->nonresponsive_ms));
}

void rhv_recovery_decide(const struct rhv_recovery_rules *rules, const struct rhv_recovery_host *h,
			 const struct rhv_recovery_cluster *c, struct rhv_recovery_decision *out)
{
	if (h->nonresponsive)
		decide_nonresponsive(rules, h, c, out);
	else
		decide_connecting(rules, h, c, out);
}

/* Whether x goes before y: higher priority, then name. */
static bool before(const struct rhv_ha_waiting *x, const struct rhv_ha_waiting *y)
{
	if (x->priority != y->priority)
		return x->priority > y->priority;
	return strcmp(x->name, y->name) < 0;
}

size_t rhv_ha_due(const struct rhv_ha_waiting *vms, size_t n, int max_tries, int64_t retry_ms, size_t *order,
		  size_t *given_up)
{
	size_t k = 0;

	*given_up = 0;
	for (size_t i = 0; i < n; i++) {
		if (vms[i].tries >= max_tries) {
			(*given_up)++;
			continue;
		}
		if (vms[i].last_try_ms_ago >= 0 && vms[i].last_try_ms_ago < retry_ms)
			continue;
		/* insertion: a host's HA VMs are few */
		size_t j = k++;

		for (; j > 0 && before(&vms[i], &vms[order[j - 1]]); j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	return k;
}
