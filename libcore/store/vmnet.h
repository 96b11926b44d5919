/*
 * What the VM side of networks reads from the store (store/vmnet.c): the
 * networks set up on a host (rows rhv-net host-setup writes), a cluster's
 * required networks, the address of its migration network on a host.  No
 * libpq here.
 */
#pragma once

#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/netfit.h"

struct pg_result; /* libpq's PGresult, for the store files that share a query */

/* A host's networks; pub points into rows, which it owns. */
struct rhv_db_host_nets {
	struct rhv_host_nets pub;
	struct rhv_host_net *rows;
};

/* Append one network (the strings copied; NULL stays NULL). */
void rhv_db_host_nets_add(struct rhv_db_host_nets *n, const char *network, const char *bridge, const char *address,
			  bool in_sync, const char *sync_reason);
void rhv_db_host_nets_clear(struct rhv_db_host_nets *n);

/*
 * The networks set up on host host_id; out->pub.known is false when the
 * host's NICs were never read (no host_nics rows).  Returns: 0, or -1.
 */
int rhv_db_host_nets(struct rhv_db *db, const char *host_id, struct rhv_db_host_nets *out, struct rhv_error *err);

/*
 * Every host of cluster cluster_id with its networks, one row per network
 * (name NULL for a host without any): id, known (its NICs were ever
 * read), name, bridge, address, in_sync, sync_reason; by host id, then
 * network name.  Returns: 0, or -1.
 */
int rhv_db_cluster_host_nets(struct rhv_db *db, const char *cluster_id, struct pg_result **r, struct rhv_error *err);

/*
 * The networks of the cluster of host host_id that are required there
 * (*names, caller frees with rhv_db_names_free()).  Returns: 0, or -1.
 */
int rhv_db_host_required_nets(struct rhv_db *db, const char *host_id, char ***names, size_t *n,
			      struct rhv_error *err);

/*
 * Where host host_id receives migrations: its address on its cluster's
 * migration network when it has that network set up, in sync, with an
 * address; else, as oVirt falls back, its address on the management
 * network.  *addr is NULL when it has neither (caller frees); *role says
 * which one it is ("migration" or "management").  Returns: 0, or -1.
 */
int rhv_db_migration_address(struct rhv_db *db, const char *host_id, char **addr, const char **role,
			     struct rhv_error *err);
