/*
 * Choosing the Storage Pool Manager of a data center (reference 2.9,
 * peers.md 2.1.4).  Pure: the caller reads hosts and the lease, this decides,
 * the lease (lease.h) then makes the decision safe against a second elector.
 */
#pragma once

#include "rhv/common.h"

struct rhv_spm_host {
	const char *name;
	int priority;          /* -1 never, 0..10, higher first */
	bool up;               /* state Up */
	bool nonresponsive;    /* Connecting or NonResponsive: its fate is unknown */
	bool confirmed_down;   /* an admin confirmed it is off (rhv-host confirm-down) or it was fenced */
	bool failed;           /* already failed the role in this election */
	bool holds_lease;      /* the storage lease names it and has not expired */
};

enum rhv_spm_verdict {
	RHV_SPM_KEEP,     /* the current SPM stays */
	RHV_SPM_ELECT,    /* try the chosen host */
	RHV_SPM_WAIT,     /* the previous SPM may still be alive: no new SPM until it is known down */
	RHV_SPM_NONE,     /* no host may be SPM now */
};

struct rhv_spm_decision {
	enum rhv_spm_verdict verdict;
	int host;          /* index for KEEP and ELECT, else -1 */
	char reason[256];
};

/*
 * Decide for hosts[0..n-1]; current is the index of the store's SPM (-1:
 * none), lease_expired whether the storage lease of that SPM has expired
 * (dead in lease.h's terms).  random picks among equal priorities: a value
 * in [0, 1) (the caller passes a random number; tests pass a fixed one).
 *
 * Rules: keep a current SPM that is Up and holds the lease.  Never hand the
 * role on while the previous SPM is unreachable and neither confirmed down
 * nor past its lease (WAIT).  Otherwise the Up host with the highest
 * priority that has not failed in this election, never one with priority
 * -1; ties broken by random.
 */
void rhv_spm_decide(const struct rhv_spm_host *hosts, size_t n, int current, bool lease_expired, double random,
		    struct rhv_spm_decision *out);
