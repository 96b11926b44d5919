/* A host that stops answering (reference 4.4-4.5) and the HA VMs it leaves behind. */
#include "rhv/common.h"

#include "rhv/recovery.h"
#include "tap.h"

static struct rhv_recovery_rules rules;

/* A Connecting host 2 checks and 100 s into its outage, grace 80 s, SSH and PM on. */
static struct rhv_recovery_host connecting(void)
{
	return (struct rhv_recovery_host){
		.name = "h1",
		.away_ms = 100000,
		.failed_checks = 2,
		.grace_ms = 80000,
		.can_soft_fence = true,
		.soft_fenced_ms_ago = -1,
		.pm_enabled = true,
		.fence_ms_ago = -1,
		.lease_renewed_ms_ago = -1,
	};
}

static struct rhv_recovery_host nonresponsive(void)
{
	struct rhv_recovery_host h = connecting();

	h.nonresponsive = true;
	h.soft_fenced_ms_ago = 170000;
	h.nonresponsive_ms = 40000;
	return h;
}

static struct rhv_recovery_cluster cluster(void)
{
	return (struct rhv_recovery_cluster){
		.fencing_enabled = true, .skip_percent = 50, .hosts = 4, .unreachable = 1, .monitor_age_ms = 3600000
	};
}

static enum rhv_recovery_action act(const struct rhv_recovery_host *h, const struct rhv_recovery_cluster *c,
				    struct rhv_recovery_decision *d)
{
	rhv_recovery_decide(&rules, h, c, d);
	return d->action;
}

static void test_grace(void)
{
	OK(rhv_recovery_grace_ms(60000, 500, 20000, 0, false) == 60000, "grace: 60 s for an idle host");
	OK(rhv_recovery_grace_ms(60000, 500, 20000, 10, true) == 85000, "grace: 60 + 10 x 0.5 + 20 (SPM) = 85 s");
	OK(rhv_recovery_grace_ms(60000, 500, 20000, -3, false) == 60000, "grace: a negative VM count adds nothing");
}

static void test_connecting(void)
{
	struct rhv_recovery_decision d;
	struct rhv_recovery_host h = connecting();
	struct rhv_recovery_cluster c = cluster();

	h.away_ms = 79999;
	OK(act(&h, &c, &d) == RHV_RECOVERY_WAIT, "within the grace: wait");
	IS_STR(d.reason, "host 'h1' has not answered for 79 s (2 checks); its grace is 80 s", "the wait says how long");
	h.away_ms = 100000;
	h.failed_checks = 1;
	OK(act(&h, &c, &d) == RHV_RECOVERY_WAIT, "past the grace but one failed check: wait for the second");
	h.failed_checks = 2;
	OK(act(&h, &c, &d) == RHV_RECOVERY_SOFT_FENCE && d.alert, "past the grace and 2 checks: soft fence first");
	IS_STR(d.reason, "host 'h1' has not answered for 100 s (grace 80 s): restarting its management daemon over SSH",
	       "the soft fence says why");

	h.pm_enabled = false;
	OK(act(&h, &c, &d) == RHV_RECOVERY_SOFT_FENCE, "soft fencing runs without power management too (4.5)");
	h.pm_enabled = true;

	h.soft_fenced_ms_ago = 20000;
	OK(act(&h, &c, &d) == RHV_RECOVERY_WAIT, "after a soft fence: the grace doubles (100 s < 160 s)");
	h.away_ms = 160000;
	h.failed_checks = 3;
	OK(act(&h, &c, &d) == RHV_RECOVERY_WAIT, "after a soft fence: the checks double too (3 < 4)");
	h.failed_checks = 4;
	OK(act(&h, &c, &d) == RHV_RECOVERY_NONRESPONSIVE, "still silent after the doubled grace: NonResponsive");
	IS_STR(d.reason, "host 'h1' still does not answer 20 s after its management daemon was restarted",
	       "NonResponsive says the soft fence did not help");

	h = connecting();
	h.can_soft_fence = false;
	OK(act(&h, &c, &d) == RHV_RECOVERY_NONRESPONSIVE, "no SSH access: NonResponsive at once after the grace");

	h = connecting();
	c.fencing_enabled = false;
	OK(act(&h, &c, &d) == RHV_RECOVERY_NONRESPONSIVE, "fencing disabled in the cluster: no soft fence either");
	c = cluster();
	c.unreachable = 2;
	OK(act(&h, &c, &d) == RHV_RECOVERY_NONRESPONSIVE && strstr(d.reason, "2 of the cluster's 4 hosts"),
	   "half the cluster unreachable: no soft fence (the manager may be cut off)");
}

static void test_nonresponsive(void)
{
	struct rhv_recovery_decision d;
	struct rhv_recovery_host h = nonresponsive();
	struct rhv_recovery_cluster c = cluster();

	OK(act(&h, &c, &d) == RHV_RECOVERY_FENCE && d.alert, "NonResponsive past the 4.4 wait, PM on: fence");
	IS_STR(d.reason, "host 'h1' has been NonResponsive for 40 s: restarting it through power management",
	       "the fence says why");

	h.nonresponsive_ms = 29999;
	OK(act(&h, &c, &d) == RHV_RECOVERY_WAIT, "NonResponsive for less than 30 s: wait (4.4)");
	h = nonresponsive();

	h.pm_enabled = false;
	OK(act(&h, &c, &d) == RHV_RECOVERY_HOLD && strstr(d.reason, "no power management"),
	   "no power management: hold, the admin confirms");
	h = nonresponsive();

	c.fencing_enabled = false;
	OK(act(&h, &c, &d) == RHV_RECOVERY_HOLD, "fencing disabled: hold");
	c = cluster();

	c.monitor_age_ms = 299999;
	OK(act(&h, &c, &d) == RHV_RECOVERY_HOLD && strstr(d.reason, "no fencing in its first 300 s"),
	   "startup grace: no fencing in the monitor's first 300 s");
	c = cluster();

	c.unreachable = 2;
	OK(act(&h, &c, &d) == RHV_RECOVERY_HOLD && d.alert, "2 of 4 unreachable (50 %% >= 50 %%): skipped, alert");
	IS_STR(d.reason,
	       "fencing of host 'h1' skipped: 2 of the cluster's 4 hosts are unreachable (at least 50 %), so the "
	       "manager may be the one cut off",
	       "the skip says why");
	c.skip_percent = 0;
	OK(act(&h, &c, &d) == RHV_RECOVERY_FENCE, "skip percent 0: never skipped for connectivity");
	c = cluster();

	h.lease_renewed_ms_ago = 89999;
	OK(act(&h, &c, &d) == RHV_RECOVERY_HOLD && strstr(d.reason, "renewed its storage lease 89 s ago"),
	   "a storage lease renewed within 90 s: alive, not fenced");
	h.lease_renewed_ms_ago = 90000;
	OK(act(&h, &c, &d) == RHV_RECOVERY_FENCE, "a lease 90 s old: fenced");
	h = nonresponsive();

	h.fence_ms_ago = 60000;
	OK(act(&h, &c, &d) == RHV_RECOVERY_HOLD && strstr(d.reason, "fenced 60 s ago"),
	   "a fence 60 s ago failed: the next after the quiet time");
	h.fence_ms_ago = 180000;
	OK(act(&h, &c, &d) == RHV_RECOVERY_FENCE, "after 180 s quiet: fence again");
}

static void test_connectivity(void)
{
	OK(!rhv_recovery_connectivity_broken(4, 1, 50), "1 of 4 is 25 %%: not broken");
	OK(rhv_recovery_connectivity_broken(4, 2, 50), "2 of 4 is 50 %%: broken");
	OK(!rhv_recovery_connectivity_broken(3, 1, 50), "1 of 3 is 33 %%: not broken");
	OK(rhv_recovery_connectivity_broken(3, 2, 50), "2 of 3 is 67 %%: broken");
	OK(rhv_recovery_connectivity_broken(1, 1, 50), "a one-host cluster with its host away: broken");
	OK(!rhv_recovery_connectivity_broken(0, 0, 50), "no hosts: not broken");
	OK(!rhv_recovery_connectivity_broken(4, 4, 0), "percent 0: never broken");
}

static void test_ha_due(void)
{
	struct rhv_ha_waiting vms[] = {
		{ "web", 1, 0, -1 },     /* never tried */
		{ "db", 100, 0, -1 },    /* highest priority */
		{ "app", 1, 2, 31000 },  /* retried: 31 s > 30 s */
		{ "batch", 50, 3, 5000 }, /* tried 5 s ago: not yet */
		{ "old", 100, 10, 90000 }, /* gave up */
		{ "api", 1, 0, -1 },     /* ties with web and app: by name */
	};
	size_t order[6], given_up, n;

	n = rhv_ha_due(vms, 6, 10, 30000, order, &given_up);
	OK(n == 4, "4 VMs due now (got %zu)", n);
	OK(given_up == 1, "1 VM gave up after 10 tries");
	OK(n == 4 && order[0] == 1 && order[1] == 5 && order[2] == 2 && order[3] == 0,
	   "order: db (100), then api, app, web (priority 1, by name)");
	n = rhv_ha_due(vms, 0, 10, 30000, order, &given_up);
	OK(n == 0 && given_up == 0, "no VMs: nothing due");
}

int main(void)
{
	rhv_recovery_rules_default(&rules);
	test_grace();
	test_connecting();
	test_nonresponsive();
	test_connectivity();
	test_ha_due();
	return tap_done();
}
