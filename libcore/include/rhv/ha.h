/*
 * Highly available VMs run again after their host is known to be off
 * (reference 4.1, 5.7): a confirmed fence or an admin's confirm-down marks
 * them; ops/harestart.c starts them on other hosts through the scheduler,
 * highest HA priority first, retried every HaRetrySeconds up to HaMaxTries.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_progress;

struct rhv_ha_outcome {
	size_t started, failed, given_up, busy; /* busy: another process was starting it */
};

/*
 * Try every HA VM that is due.  Each start is claimed in the store like
 * any start, under a per-VM lock, so two monitors racing start a VM once.
 * Failures are recorded on the VM and in events; only store errors return -1.
 */
int rhv_ha_restart_pass(struct rhv_db *db, const struct rhv_progress *p, struct rhv_ha_outcome *out,
			struct rhv_error *err);
