/*
 * A balancing run on one cluster, step by step as the cron job and the
 * admin run it: take the cluster's balancing lock (a held cluster is
 * skipped), read the cluster again under it, keep VMs that moved within the
 * cool-down where they are, plan, migrate through rhv_vm_migrate(), write
 * and power hosts off and on (power_saving), write the audit event,
 * release the lock.  Fencing and HA restarts reuse the
 * steps; the caller only prints.
 */
#pragma once

#include "rhv/balance-io.h"
#include "rhv/balance.h"
#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_progress;

/* Minutes of CPU history read for CpuOverCommitDurationMinutes (its range tops at 1440). */
#define RHV_BAL_HISTORY_MINUTES 1441
/* Minutes a VM that moved stays put when the caller says nothing. */
#define RHV_BAL_COOLDOWN_DEFAULT 10

struct rhv_bal_run_opts {
	size_t max_moves;	  /* steps planned, 0: all */
	int64_t cooldown_minutes; /* a VM that moved within this long stays put */
	bool dry_run;		  /* plan and report, migrate nothing, write no event */
};

/* One planned step and what the run did with it. */
struct rhv_bal_run_step {
	struct rhv_bal_move move;
	size_t step;  /* 1-based, as planned */
	char *result; /* "migrated", "powered off", "powered on", "dry run", "failed: ...", "skipped: ..." */
	bool failed;
};

struct rhv_bal_run_report {
	bool skipped;		 /* another run held the cluster: nothing was read or done */
	struct rhv_bal_input in; /* the snapshot planned, read under the lock (names for the steps) */
	size_t planned;		 /* steps in the plan */
	struct rhv_bal_run_step *steps;
	size_t n;
	size_t done;	 /* migrations */
	size_t powered;	 /* power actions */
	size_t failed;	 /* steps, migrations and power actions */
};

/*
 * Balance one cluster now.  A migration or power action that fails is a
 * step with failed set, not an error: the run goes on with the next step.
 * Returns: 0 (the report says what happened, skipped included); or -1 when
 * the store failed (the lock is released all the same).
 */
int rhv_bal_run(struct rhv_db *db, const char *cluster, const struct rhv_bal_run_opts *o,
		const struct rhv_progress *p, struct rhv_bal_run_report *r, struct rhv_error *err);
void rhv_bal_run_report_clear(struct rhv_bal_run_report *r);

/* The steps, for flows that take the lock and read the cluster their own way. */
/* Mark the VMs that migrated within cooldown_minutes before now (epoch seconds) not migratable. */
void rhv_bal_cooldown(struct rhv_bal_input *in, int64_t cooldown_minutes, int64_t now);
/*
 * Execute plan's steps in order over r->in (the snapshot it was made on),
 * adding a step to r for each: migrations through rhv_vm_migrate(), a failed
 * one counted and the next tried; power actions through
 * rhv_power_saving_off() and rhv_power_saving_on(), one refused there a
 * step "skipped: ..." (not failed).  A dry run executes nothing.
 */
void rhv_bal_execute(struct rhv_db *db, const struct rhv_bal_plan *plan, bool dry_run, const struct rhv_progress *p,
		     struct rhv_bal_run_report *r);
