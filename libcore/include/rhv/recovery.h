/*
 * What the monitor does about a host that stops answering (reference 4.4,
 * 4.5; oVirt's VdsNotRespondingTreatment in peers.md 2.1.6), and which HA
 * VMs it starts again once that host is known to be off.  Pure: the monitor
 * gathers the facts, these decide, the monitor acts and records.
 *
 * The path of one outage:
 *   Up -> Connecting (first failed check)
 *      -> soft fence (restart the management daemon over SSH) once the grace
 *         time has passed and enough checks failed
 *      -> NonResponsive when the host still does not answer after a second
 *         grace (soft fencing doubles the wait, as oVirt does)
 *      -> fence (restart through power management) after the 4.4 wait,
 *         unless a safety rule says not to; a fence failure is retried only
 *         after a quiet time.
 */
#pragma once

#include "rhv/common.h"

/* The numbers of the rules; rhv_recovery_rules_default gives oVirt's. */
struct rhv_recovery_rules {
	int min_failed_checks;       /* failed checks before acting: 2 (VDSAttemptsToResetCount) */
	int64_t nonresponsive_wait_ms; /* 4.4: wait after NonResponsive before fencing: 30 s */
	int64_t startup_grace_ms;    /* no fencing this long after the monitor starts: 300 s */
	int64_t lease_alive_ms;      /* a storage lease renewed this recently means alive: 90 s */
	int64_t fence_quiet_ms;      /* between two fence attempts on one host: 180 s */
};

void rhv_recovery_rules_default(struct rhv_recovery_rules *r);

/* Grace before acting: 60 s + 0.5 s per running VM + 20 s for the SPM (4.5). */
int64_t rhv_recovery_grace_ms(int64_t base_ms, int64_t per_vm_ms, int64_t spm_ms, int vms, bool spm);

/* One host that does not answer, as the monitor sees it now. */
struct rhv_recovery_host {
	const char *name;
	bool nonresponsive;          /* already NonResponsive (else Connecting) */
	int64_t away_ms;             /* since its first failed check */
	int failed_checks;           /* consecutive */
	int64_t grace_ms;            /* rhv_recovery_grace_ms for it */
	bool can_soft_fence;         /* SSH access to it is configured */
	int64_t soft_fenced_ms_ago;  /* -1: not soft-fenced in this outage */
	int64_t nonresponsive_ms;    /* time since it went NonResponsive (0 if not) */
	bool pm_enabled;             /* power management on, with an agent */
	int64_t fence_ms_ago;        /* -1: no fence attempted in this outage */
	int64_t lease_renewed_ms_ago;/* -1: it holds no storage lease we can read */
};

/* Its cluster's fencing policy and the state of the whole cluster. */
struct rhv_recovery_cluster {
	bool fencing_enabled;
	int skip_percent;            /* skip when at least this share is unreachable; 0: never skip */
	int hosts;                   /* hosts of the cluster not in Maintenance */
	int unreachable;             /* of those, Connecting or NonResponsive */
	int64_t monitor_age_ms;      /* since the monitor (re)started watching */
};

enum rhv_recovery_action {
	RHV_RECOVERY_WAIT,           /* nothing yet: within the grace or a wait */
	RHV_RECOVERY_SOFT_FENCE,     /* restart the host's management daemon over SSH */
	RHV_RECOVERY_NONRESPONSIVE,  /* declare it NonResponsive (no fence now) */
	RHV_RECOVERY_FENCE,          /* restart it through power management */
	RHV_RECOVERY_HOLD,           /* NonResponsive and not fenced now: reason says why */
};

struct rhv_recovery_decision {
	enum rhv_recovery_action action;
	bool alert;                  /* the reason deserves a WARNING event, not only a log line */
	char reason[256];
};

void rhv_recovery_decide(const struct rhv_recovery_rules *rules, const struct rhv_recovery_host *h,
			 const struct rhv_recovery_cluster *c, struct rhv_recovery_decision *out);

/* Whether the share unreachable/hosts reaches percent (0: never). */
bool rhv_recovery_connectivity_broken(int hosts, int unreachable, int percent);

/* One HA VM waiting to run again after its host was confirmed off. */
struct rhv_ha_waiting {
	const char *name;
	int priority;                /* higher first */
	int tries;                   /* failed start attempts so far */
	int64_t last_try_ms_ago;     /* -1: never tried */
};

/*
 * The VMs to try now, in order (highest priority, then name), into order[]
 * (room for n); returns how many.  A VM is due when it was never tried or
 * its last try is retry_ms old, and it has fewer than max_tries tries.
 * *given_up counts those that reached max_tries.
 */
size_t rhv_ha_due(const struct rhv_ha_waiting *vms, size_t n, int max_tries, int64_t retry_ms, size_t *order,
		  size_t *given_up);
