/* A host's rows as power saving's power actions need them (store/powersave.c): no libpq here. */
#pragma once

#include "rhv/balance.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/host.h"

/*
 * Lock the host (FOR UPDATE, the caller's transaction) and read what a
 * power action checks: h (state, SPM, ...) and out, whose state points
 * into h.  Returns: 0, or -1 (RHV_EXIT_NOTFOUND for an unknown host).
 */
int rhv_db_host_power_lock(struct rhv_db *db, const char *name, struct rhv_host *h, struct rhv_bal_power_host *out,
			   struct rhv_error *err);
/*
 * In the caller's transaction: the locked host h is Down with reason and
 * marked powered off for power saving, with the state event.
 */
int rhv_db_host_power_saved(struct rhv_db *db, const struct rhv_host *h, const char *reason, struct rhv_error *err);
