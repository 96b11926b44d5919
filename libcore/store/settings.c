#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "rhv/event.h"
#include "rhv/parse.h"
#include "rhv/settings.h"

const struct rhv_setting_def rhv_setting_defs[RHV_SET_COUNT] = {
	[RHV_SET_HOST_GRACE_SECONDS] = { "HostGraceSeconds", 60, 0, 3600, "s",
					 "grace before an unreachable host is NonResponsive" },
	[RHV_SET_HOST_GRACE_PER_VM_MS] = { "HostGracePerVmMillis", 500, 0, 60000, "ms",
					   "extra grace per VM running on the host" },
	[RHV_SET_HOST_GRACE_SPM_SECONDS] = { "HostGraceSpmSeconds", 20, 0, 3600, "s", "extra grace for the SPM host" },
	[RHV_SET_HOST_TIMEOUT_SECONDS] = { "HostTimeoutSeconds", 10, 1, 600, "s",
					   "longest wait for one host to answer" },
	[RHV_SET_MIGRATION_BANDWIDTH] = { "MigrationBandwidthMiBps", 52, 1, 100000, "MiB/s",
					  "bandwidth of one live migration" },
	[RHV_SET_MIGRATION_SECONDS_PER_GIB] = { "MigrationMaxSecondsPerGiB", 64, 1, 3600, "s",
						"abort a migration after this per GiB of guest memory" },
	[RHV_SET_MIGRATION_NO_PROGRESS] = { "MigrationNoProgressSeconds", 240, 1, 3600, "s",
					    "abort a migration that made no progress this long" },
	[RHV_SET_MIGRATION_MAX_OUTGOING] = { "MigrationMaxOutgoing", 2, 1, 64, "",
					     "outgoing migrations per host (never above its cores)" },
	[RHV_SET_MIGRATION_MAX_INCOMING] = { "MigrationMaxIncoming", 2, 1, 64, "", "incoming migrations per host" },
	[RHV_SET_VM_SHUTDOWN_TIMEOUT] = { "VmShutdownTimeoutSeconds", 120, 0, 3600, "s",
					  "ACPI shutdown wait before powering off" },
	[RHV_SET_VM_LAUNCH_TIMEOUT] = { "VmLaunchTimeoutSeconds", 120, 1, 3600, "s",
					"a start that never reported back is undone after this" },
	[RHV_SET_SAMPLE_RETENTION_HOURS] = { "SampleRetentionHours", 24, 1, 8760, "h",
					     "usage samples kept (the DWH keeps 24 h)" },
	[RHV_SET_SPM_IO_TIMEOUT_MS] = { "SpmIoTimeoutMillis", 10000, 50, 60000, "ms",
					"sanlock's io_timeout N: SPM lease renewal 2N, expiry 8N, election wait 2N" },
	[RHV_SET_SPM_WATCHDOG_MS] = { "SpmWatchdogMillis", 60000, 0, 600000, "ms",
				      "margin after an SPM lease expires before another host may take it" },
	[RHV_SET_SPM_ELECTION_ATTEMPTS] = { "SpmElectionAttempts", 3, 1, 20, "",
					    "hosts tried in one SPM election before giving up" },
	[RHV_SET_FENCE_STOP_STATUS_RETRIES] = { "FenceStopStatusRetries", 18, 1, 1000, "",
						"power status checks after a fence stop or start" },
	[RHV_SET_FENCE_STOP_STATUS_DELAY_MS] = { "FenceStopStatusDelayMillis", 10000, 0, 600000, "ms",
						 "wait between those checks" },
	[RHV_SET_FENCE_AGENT_TIMEOUT] = { "FenceAgentTimeoutSeconds", 120, 1, 3600, "s",
					  "one fence agent run, then it is killed" },
	[RHV_SET_HOST_FAILED_CHECKS] = { "HostFailedChecksBeforeAction", 2, 1, 100, "",
					 "failed checks in a row before the monitor soft-fences or fences a host" },
	[RHV_SET_FENCE_NONRESPONSIVE_WAIT] = { "FenceNonResponsiveWaitSeconds", 30, 0, 3600, "s",
					       "wait after NonResponsive before fencing" },
	[RHV_SET_FENCE_QUIET_SECONDS] = { "FenceQuietSeconds", 180, 0, 86400, "s",
					  "wait between two fence attempts on one host" },
	[RHV_SET_FENCE_LEASE_ALIVE_SECONDS] = { "FenceLeaseAliveSeconds", 90, 1, 3600, "s",
						"a storage lease renewed within this means its host is alive" },
	[RHV_SET_SOFT_FENCE_TIMEOUT] = { "SoftFenceTimeoutSeconds", 60, 1, 3600, "s",
					 "one restart of a host's management daemon over SSH" },
	[RHV_SET_MONITOR_GAP_SECONDS] = { "MonitorGapSeconds", 300, 1, 86400, "s",
					  "a pause between monitoring passes longer than this restarts the startup grace" },
	[RHV_SET_HA_RETRY_SECONDS] = { "HaRetrySeconds", 30, 0, 86400, "s",
				       "between two start attempts of a highly available VM" },
	[RHV_SET_HA_MAX_TRIES] = { "HaMaxTries", 10, 1, 1000, "",
				   "start attempts of a highly available VM before it is given up" },
	[RHV_SET_HOST_POWER_ON_TIMEOUT] = { "HostPowerOnTimeoutSeconds", 300, 1, 86400, "s",
					    "wait for a host powered on for power saving to answer" },
	[RHV_SET_NETWORK_CHECK_TIMEOUT] = { "NetworkCheckTimeoutSeconds", 120, 5, 3600, "s",
					    "host network setup: the host answers again within this, or rolls back" },
	/*
	 * peers.md names no interval at which oVirt's engine reads a host's
	 * network capabilities again (only VdsRefreshRate, 3 s, for host stats,
	 * too often for an SSH round per host) and OpenNebula's host probe runs
	 * every 120 s: one minute, as often as cron runs the monitor.
	 */
	[RHV_SET_HOST_NETWORK_REFRESH] = { "HostNetworkRefreshSeconds", 60, 0, 86400, "s",
					   "the monitor reads a host's networks again after this (0: never)" },
};

int rhv_setting_find(const char *key, struct rhv_error *err)
{
	for (int i = 0; i < RHV_SET_COUNT; i++)
		if (key && !strcmp(key, rhv_setting_defs[i].key))
			return i;
	rhv_error_usage(err, "unknown setting '%s'", key ? key : "");
	rhv_error_hint(err, "'rhv-db settings' lists them");
	return -1;
}

int rhv_settings_load(struct rhv_db *db, struct rhv_settings *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	for (int i = 0; i < RHV_SET_COUNT; i++) {
		out->v[i] = rhv_setting_defs[i].def;
		out->explicit[i] = false;
	}
	if (rhv_db_exec(db, "SELECT key, value FROM settings", RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	for (int row = 0; row < PQntuples(r); row++)
		for (int i = 0; i < RHV_SET_COUNT; i++)
			if (!strcmp(PQgetvalue(r, row, 0), rhv_setting_defs[i].key)) {
				out->v[i] = strtoll(PQgetvalue(r, row, 1), NULL, 10);
				out->explicit[i] = true;
			}
	return 0;
}

struct store_arg {
	const char *key;
	const char *value;
};

static int store_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct store_arg *a = arg;

	if (a->value) {
		if (rhv_db_exec(db,
				"INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key)"
				" DO UPDATE SET value = excluded.value, updated_at = now()",
				RHV_PARAMS(a->key, a->value), NULL, err) < 0)
			return -1;
	} else if (rhv_db_exec(db, "DELETE FROM settings WHERE key = $1", RHV_PARAMS(a->key), NULL, err) < 0) {
		return -1;
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "setting", NULL, a->key, a->value ? "set" : "reset", err,
			     a->value ? "setting %s set to %s" : "setting %s reset to its default%s", a->key,
			     a->value ? a->value : "");
}

int rhv_setting_store(struct rhv_db *db, const char *key, const char *value, struct rhv_error *err)
{
	int i = rhv_setting_find(key, err);
	int64_t v;
	char buf[32];

	if (i < 0)
		return -1;
	if (value) {
		if (rhv_parse_int(value, rhv_setting_defs[i].min, rhv_setting_defs[i].max, key, &v, err) < 0)
			return -1;
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
	}
	return rhv_db_txn(db, store_txn, &(struct store_arg){ rhv_setting_defs[i].key, value ? buf : NULL }, err);
}
