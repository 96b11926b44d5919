/*
 * power_saving's power actions carried out (reference 4.3, 5.5; peers.md
 * 2.1.2): an idle host goes to Maintenance and is powered off through its
 * fence agents, and is powered on again when the policy asks.  A host
 * powered off this way is Down with the reason "powered off for power
 * saving" (hosts.power_saving_off), not failed: nothing fences it or
 * restarts its VMs (it has none).  Events pm-policy-up-to-maintenance,
 * pm-policy-maintenance-to-down, pm-policy-to-up and pm-policy-failed.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_progress;

#define RHV_POWER_SAVING_REASON "powered off for power saving"

/*
 * Power off an idle host for power saving: check it (rhv_bal_power_refusal:
 * Up, no VM, not the SPM, power management enabled with an agent), move it
 * to Maintenance the normal way, stop it through its agents, then mark it
 * Down.  When the maintenance or the stop fails the host is activated (Up)
 * again.  cluster names the balancing run in the events.
 * Returns: 0 done; 1 refused (err says why, RHV_EXIT_CONFLICT; nothing was
 * done); -1 failed (the host is Up again, or err says where it stayed).
 */
int rhv_power_saving_off(struct rhv_db *db, const char *host, const char *cluster, const struct rhv_progress *p,
			 struct rhv_error *err);

/*
 * Power on a host that power saving powered off: start it through its
 * agents, wait up to HostPowerOnTimeoutSeconds for its libvirt daemon to
 * answer, then activate it (Up, no longer powered off for power saving).
 * Returns: 0 done; 1 refused (err says why, nothing was done); -1 failed
 * (the host stays Down with its reason).
 */
int rhv_power_saving_on(struct rhv_db *db, const char *host, const char *cluster, const struct rhv_progress *p,
			struct rhv_error *err);
