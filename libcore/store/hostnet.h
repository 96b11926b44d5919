/* The store's side of host networks, for ops/hostnet-*.c and store/net.c. */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/hostnet.h"
#include "rhv/netsetup.h"

struct rhv_hostnet_host {
	char id[37], name[64], cluster_id[37];
};

/* A host by name or id; lock: FOR UPDATE (one setup of a host at a time). */
int rhv_db_hostnet_host(struct rhv_db *db, const char *name, bool lock, struct rhv_hostnet_host *out,
			struct rhv_error *err);
/* The networks of the host's data center, attached or not to its cluster; *n of them (caller frees). */
int rhv_db_hostnet_defs(struct rhv_db *db, const char *host_id, struct rhv_ns_def **defs, size_t *n,
			struct rhv_error *err);
/* What the store knows of the host: devices (host_nics) and networks (host_networks). */
int rhv_db_hostnet_state(struct rhv_db *db, const char *host_id, struct rhv_ns_state *out, struct rhv_error *err);
/* Replace the host's discovered devices in one statement set; labels of the ones still there are kept. */
int rhv_db_host_nics_replace(struct rhv_db *db, const char *host_id, const struct rhv_host_nic *nics, size_t n,
			     struct rhv_error *err);
/* After a confirmed setup: the host's networks and labels are s. */
int rhv_db_hostnet_save(struct rhv_db *db, const char *host_id, const struct rhv_ns_state *s, struct rhv_error *err);
/* What discovery saw of one network: reason NULL in sync. */
int rhv_db_hostnet_set_sync(struct rhv_db *db, const char *host_id, const char *network, const char *reason,
			    struct rhv_error *err);
/*
 * The monitor's refresh: *due when the host's NICs were read (ever) and
 * the last reading is at least every_s seconds old.  Returns: 0, or -1.
 */
int rhv_db_hostnet_read_due(struct rhv_db *db, const char *host_id, int64_t every_s, bool *due, struct rhv_error *err);
/*
 * A refresh of the host's networks failed with why: a WARNING event
 * (action network-read-failed), unless one was written since the last
 * reading that worked; *said tells whether it was.  Returns: 0, or -1.
 */
int rhv_db_hostnet_read_failed(struct rhv_db *db, const char *host_id, const char *host_name, const char *why,
			       bool *said, struct rhv_error *err);
/* A network's definition changed: hosts whose copy differs are out of sync. */
int rhv_db_hostnet_mark_sync(struct rhv_db *db, const char *network_id, struct rhv_error *err);
