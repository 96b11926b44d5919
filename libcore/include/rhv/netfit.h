/*
 * Whether a host has the networks a VM or its cluster needs (reference
 * 3.11, 3.12).  Pure: the caller reads the host's networks from the store
 * (what rhv-net host-setup applied there) and asks.
 *
 * A host whose networks were never read (rhv-net host-nics never ran on it)
 * has no network data: it is taken as it is, as before logical networks
 * reached hosts, and nothing here refuses it.
 */
#pragma once

#include "rhv/common.h"

/* A network as set up on a host. */
struct rhv_host_net {
	const char *network;     /* logical network name */
	const char *bridge;      /* the bridge guests join; NULL for a network that carries no VMs */
	const char *address;     /* the host's address on it; NULL: none */
	bool in_sync;            /* as defined (VLAN, MTU...) */
	const char *sync_reason; /* why not, when out of sync */
};

/* A host's networks; known false: no network data, every question passes. */
struct rhv_host_nets {
	bool known;
	const struct rhv_host_net *nets;
	size_t n;
};

/* The host's entry for network, or NULL. */
const struct rhv_host_net *rhv_netfit_find(const struct rhv_host_nets *h, const char *network);

/*
 * The first of networks[0..n) (names; repeats and NULLs ignored) the host
 * lacks, has out of sync, or (vm true) has without a bridge, as a reason
 * written into buf:
 *   network 'blue' is not set up on the host
 *   network 'blue' is out of sync on the host: VLAN 20 on the host, 30 defined
 *   network 'blue' carries no VMs on the host (no bridge)
 * with "required network" for "network" when required is true.
 * Returns: buf, or NULL when every network fits or h is NULL or not known.
 */
const char *rhv_netfit_missing(const struct rhv_host_nets *h, const char *const *networks, size_t n, bool vm,
			       bool required, char *buf, size_t len);

/* Whether reason (a host's state reason) is one rhv_netfit_missing() wrote with required true. */
bool rhv_netfit_is_required_reason(const char *reason);
