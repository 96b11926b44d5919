/*
 * Engine-wide settings (oVirt's engine-config): the timing constants of the
 * reference, kept in the store so tests and sites can tune them.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;

enum rhv_setting {
	RHV_SET_HOST_GRACE_SECONDS,      /* 60: reference 4.5 */
	RHV_SET_HOST_GRACE_PER_VM_MS,    /* 500 */
	RHV_SET_HOST_GRACE_SPM_SECONDS,  /* 20 */
	RHV_SET_HOST_TIMEOUT_SECONDS,    /* one contact with a host */
	RHV_SET_MIGRATION_BANDWIDTH,     /* 52 MiB/s: reference 5.9 */
	RHV_SET_MIGRATION_SECONDS_PER_GIB, /* 64 */
	RHV_SET_MIGRATION_NO_PROGRESS,   /* 240 s */
	RHV_SET_MIGRATION_MAX_OUTGOING,  /* 2, and never more than the host's cores */
	RHV_SET_MIGRATION_MAX_INCOMING,  /* 2 (vdsm) */
	RHV_SET_VM_SHUTDOWN_TIMEOUT,     /* ACPI shutdown before power off */
	RHV_SET_VM_LAUNCH_TIMEOUT,       /* a start that never reported back */
	RHV_SET_SAMPLE_RETENTION_HOURS,  /* usage samples kept */
	RHV_SET_SPM_IO_TIMEOUT_MS,       /* 10 s: sanlock's io_timeout (peers.md 2.6) */
	RHV_SET_SPM_WATCHDOG_MS,         /* 60 s */
	RHV_SET_SPM_ELECTION_ATTEMPTS,   /* hosts tried per election */
	RHV_SET_FENCE_STOP_STATUS_RETRIES, /* 18: status polls after a stop or start (peers.md 2.1.6) */
	RHV_SET_FENCE_STOP_STATUS_DELAY_MS, /* 10 s between them */
	RHV_SET_FENCE_AGENT_TIMEOUT,     /* one agent run, then SIGKILL */
	RHV_SET_HOST_FAILED_CHECKS,      /* 2: failed checks before the monitor acts (VDSAttemptsToResetCount) */
	RHV_SET_FENCE_NONRESPONSIVE_WAIT, /* 30 s: reference 4.4, NonResponsive before a fence */
	RHV_SET_FENCE_QUIET_SECONDS,     /* 180 s between two fence attempts on one host */
	RHV_SET_FENCE_LEASE_ALIVE_SECONDS, /* 90 s: a lease renewed this recently means the host lives */
	RHV_SET_SOFT_FENCE_TIMEOUT,      /* one soft fence over SSH */
	RHV_SET_MONITOR_GAP_SECONDS,     /* a pause longer than this restarts the monitor's watch */
	RHV_SET_HA_RETRY_SECONDS,        /* 30: between two start attempts of an HA VM */
	RHV_SET_HA_MAX_TRIES,            /* 10: then it is given up, with an event */
	RHV_SET_HOST_POWER_ON_TIMEOUT,   /* 300 s: a host powered on for power saving answers (ServerRebootTimeout) */
	RHV_SET_NETWORK_CHECK_TIMEOUT,   /* 120 s: host network setup confirmed, else rolled back (reference 3.11) */
	RHV_SET_HOST_NETWORK_REFRESH,    /* 60 s: the monitor reads a host's networks again (0: never) */
	RHV_SET_COUNT
};

struct rhv_setting_def {
	const char *key;
	int64_t def, min, max;
	const char *unit;
	const char *help;
};

extern const struct rhv_setting_def rhv_setting_defs[RHV_SET_COUNT];

/* Effective values of every setting (stored, else default). */
struct rhv_settings {
	int64_t v[RHV_SET_COUNT];
	bool explicit[RHV_SET_COUNT];
};

int rhv_settings_load(struct rhv_db *db, struct rhv_settings *out, struct rhv_error *err);
/* Set (value != NULL) or reset to the default (value == NULL); validated, audited. */
int rhv_setting_store(struct rhv_db *db, const char *key, const char *value, struct rhv_error *err);
/* Index of a key, or -1 with RHV_EXIT_USAGE. */
int rhv_setting_find(const char *key, struct rhv_error *err);
