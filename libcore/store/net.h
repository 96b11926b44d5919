/*
 * What the rows of other objects need of the networks module, inside their
 * transactions: the defaults of a new data center and cluster, and the vNIC
 * of a VM (its profile and its MAC from the pool).  Store-private.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_net;

/*
 * The network name (or id) in the data center of id dc_id (NULL: any; a
 * name found in several is a usage error), its row locked as lock (an
 * enum rhv_db_lock) says.  dc_name only words the messages.
 */
int rhv_db_net_find(struct rhv_db *db, const char *name, const char *dc_id, const char *dc_name, int lock,
		    struct rhv_net *out, struct rhv_error *err);
/* dc (name or id; NULL: leave both empty) -> its id and name. */
int rhv_db_net_dc(struct rhv_db *db, const char *dc, char id[37], char name[64], struct rhv_error *err);

/* A new data center's management network, its profile and its MAC pool. */
int rhv_db_net_dc_defaults(struct rhv_db *db, const char *dc_id, struct rhv_error *err);
/* A new cluster's management network, with all three roles. */
int rhv_db_net_cluster_defaults(struct rhv_db *db, const char *cluster_id, struct rhv_error *err);

/*
 * The profile a VM NIC names ("NETWORK" for its default profile, or
 * "NETWORK/PROFILE"), in the data center of the VM's cluster: the network
 * must be a VM network attached to that cluster.  profile_id gets the
 * profile's id, network the network's name (caller frees).
 * Returns: 0; -1 with RHV_EXIT_NOTFOUND (no such network or profile) or
 * RHV_EXIT_CONFLICT (not attached to the cluster, not a VM network).
 */
int rhv_db_vnic_profile_for(struct rhv_db *db, const char *cluster_id, const char *spec, char profile_id[37],
			    char **network, struct rhv_error *err);

/*
 * A free MAC address from the pool of the data center of the cluster,
 * unique among every VM NIC; the pool is locked until the transaction
 * ends, so that parallel callers never get the same address.
 * Returns: 0; -1 with RHV_EXIT_CONFLICT when the pool is used up.
 */
int rhv_db_mac_allocate(struct rhv_db *db, const char *cluster_id, char mac[18], struct rhv_error *err);
/*
 * An address given by hand: refused (RHV_EXIT_CONFLICT) when a VM NIC
 * has it already, unless the pool of the cluster's data center allows
 * duplicates.
 */
int rhv_db_mac_claim(struct rhv_db *db, const char *cluster_id, const char *mac, struct rhv_error *err);
