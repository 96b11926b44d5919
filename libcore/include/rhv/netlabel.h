/*
 * Network labels applied at once (reference 3.9): when a network gets a
 * label, loses it, or a labelled network is attached to or detached from
 * a cluster, every host concerned gets the network on (or off) its NIC or
 * bond carrying the label, by host network setup (rhv/hostnet.h): each
 * host its own transaction there, with rollback.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;

struct rhv_net_follow {
	const char *network_id;
	const char *network;   /* its name, for messages */
	const char *label;     /* the label it has now; NULL or "": none */
	const char *old_label; /* the one it had; NULL or "": none (or unchanged) */
	const char *cluster;   /* attach/detach: only that cluster's hosts; NULL: every cluster it is attached to */
	bool detach;           /* detached from cluster: off the hosts' labelled devices */
};

/* What happened on one host. */
struct rhv_net_follow_host {
	char *host;
	char *device;   /* the NIC or bond */
	bool attached;  /* set up there (false: taken off) */
	bool ok;
	char *error;    /* when not ok: why, one line */
};

struct rhv_net_follow_result {
	struct rhv_net_follow_host *items;
	size_t n, failed;
};

/*
 * Set up (or take off) the network on every host concerned whose store
 * says it differs; hosts where it already is as the label says are left
 * alone.  Each host is one host network setup (default timeout); one that
 * fails is rolled back there and its store rows stay as they were.
 * Returns: 0 with every host done; -1 with RHV_EXIT_PARTIAL when some
 * host failed (out says which), or another code when the store could not
 * be read (nothing done).
 */
int rhv_net_follow_label(struct rhv_db *db, const struct rhv_net_follow *f, struct rhv_net_follow_result *out,
			 struct rhv_error *err);
void rhv_net_follow_result_clear(struct rhv_net_follow_result *r);
