/*
 * What the monitor's recovery of unreachable hosts (ops/recover.c) and the
 * restart of highly available VMs (ops/harestart.c) read and write: one
 * host's outage, its cluster's fencing policy, the monitor's watch, and
 * the HA VMs waiting to run again.  No libpq here.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"

/* One unreachable host and its cluster, read under the host's row lock (its power management and SSH
 * access are rhv_fence_pm_get's). */
struct rhv_outage {
	int failed_checks;          /* this check included */
	int64_t away_ms;            /* since its first failed check */
	int64_t soft_fenced_ms_ago; /* -1: not in this outage */
	int64_t nonresponsive_ms;   /* 0: not NonResponsive */
	int64_t fence_ms_ago;       /* -1: no fence attempt in this outage */
	int running_vms;
	bool confirmed_down;        /* an admin or a fence confirmed it off */
	char *recovery_note;        /* the last reason given for holding back */
	/* the cluster */
	bool fencing_enabled, skip_lease;
	int skip_percent;
	int64_t startup_grace_ms;
	int cluster_hosts;          /* not in Maintenance, not powered off for power saving */
	int cluster_unreachable;    /* of those, Connecting, NonResponsive or Reboot */
};

void rhv_outage_clear(struct rhv_outage *o);

/* Count one more failed check of the host and read its outage (the caller locked the host). */
int rhv_db_outage_read(struct rhv_db *db, const char *host_id, struct rhv_outage *o, struct rhv_error *err);

enum rhv_outage_mark {
	RHV_OUTAGE_SOFT_FENCED,  /* soft_fenced_at = now */
	RHV_OUTAGE_NONRESPONSIVE, /* nonresponsive_at = now */
	RHV_OUTAGE_FENCE_ATTEMPT, /* fence_attempt_at = now */
};
int rhv_db_outage_mark(struct rhv_db *db, const char *host_id, enum rhv_outage_mark m, struct rhv_error *err);
/* Keep the reason the monitor holds back; *changed when it differs from the last one. */
int rhv_db_outage_note(struct rhv_db *db, const char *host_id, const char *note, bool *changed, struct rhv_error *err);
/* The host answers: its outage is over. */
int rhv_db_outage_end(struct rhv_db *db, const char *host_id, struct rhv_error *err);

/*
 * Record a monitoring pass and give the age of the monitor's watch: it
 * restarts when the pass before this one is more than gap_s old.
 */
int rhv_db_monitor_watch(struct rhv_db *db, int64_t gap_s, int64_t *age_ms, struct rhv_error *err);

/* An HA VM waiting to run again after its host was confirmed down. */
struct rhv_ha_vm {
	char id[37];
	char *name;
	int priority, tries;
	int64_t last_try_ms_ago; /* -1: never tried */
	int64_t waiting_ms;      /* since its host was confirmed down */
};

struct rhv_ha_vm_list {
	struct rhv_ha_vm *items;
	size_t n;
};

void rhv_ha_vm_list_clear(struct rhv_ha_vm_list *l);
/* An HA VM that went Down without being asked (its guest crashed or vanished) waits to run again. */
int rhv_db_ha_mark(struct rhv_db *db, const char *vm_id, const char *name, const char *host, struct rhv_error *err);
/* Every HA VM waiting to run again. */
int rhv_db_ha_waiting(struct rhv_db *db, struct rhv_ha_vm_list *out, struct rhv_error *err);
/*
 * Lock the VM and tell whether it still waits: *waiting only when it is
 * still marked and Down.  A VM no longer Down (an admin started it) is
 * unmarked here.  *tries: the attempts made so far, as they stand now.
 */
int rhv_db_ha_claim(struct rhv_db *db, const char *vm_id, bool *waiting, int *tries, struct rhv_error *err);
/* The outcome of a start attempt: error NULL when it runs (unmarked), else counted and kept. */
int rhv_db_ha_tried(struct rhv_db *db, const char *vm_id, const char *error, struct rhv_error *err);
/* Stop trying: unmarked, with an ERROR event. */
int rhv_db_ha_give_up(struct rhv_db *db, const char *vm_id, const char *name, int tries, struct rhv_error *err);
