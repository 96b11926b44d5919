/* The monitor's recovery of a host that does not answer (ops/recover.c), for ops/monitor.c. */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/host.h"
#include "rhv/settings.h"

struct rhv_progress;

struct rhv_recover {
	/* in */
	const struct rhv_host *host;
	const char *why;            /* why the check failed */
	const struct rhv_settings *st;
	int64_t watch_age_ms;       /* since the monitor started watching */
	const struct rhv_progress *p;
	/* out */
	char summary[1200];
	bool recheck;               /* soft-fenced: read the host again now */
};

/*
 * One failed check of a host: count it, move it Up -> Connecting ->
 * NonResponsive, soft-fence it over SSH, or fence it through power
 * management, as policy/recovery.c decides; every step with its event.
 * Returns: 0, or -1 for store errors (a failed soft fence or fence is an
 * outcome, told in the summary and events).
 */
int rhv_recover_host(struct rhv_db *db, struct rhv_recover *rc, struct rhv_error *err);
