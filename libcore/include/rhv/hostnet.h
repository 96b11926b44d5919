/*
 * What a host makes of the logical networks (reference 3.4, 3.5, 3.8,
 * 3.9, 3.11, 3.12, 3.17-3.20): its NICs and bonds as discovered over SSH
 * (host_nics), the networks set up on them (host_networks), and host
 * network setup applied on the host with rollback.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/netsetup.h"

struct rhv_db;
struct rhv_progress;

/* A NIC or bond of a host, as discovered, with what is on it. */
struct rhv_host_nic {
	char *host;
	char *name;
	char *kind;        /* nic, bond */
	char *bond;        /* NICs: the bond they are in; NULL */
	int bond_mode;     /* bonds: 0-6; -1 */
	char *mac;
	int mtu;
	int speed_mbps;    /* 0: unknown */
	bool link_up;
	char *addresses;   /* "A/P,A/P", "" none */
	char *labels;      /* "a,b", "" none */
	/* from host_networks: the networks on it */
	char *networks;    /* "ovirtmgmt,red" */
	char *bridges;     /* their bridges */
	char *vlans;       /* their tags, "-" untagged */
	bool in_sync;      /* every network on it */
};

struct rhv_host_nic_list {
	struct rhv_host_nic *items;
	size_t n;
};

/*
 * A network set up on a host.  The VM side reads these: bridge is what a
 * vNIC's <source bridge=> names on that host, in_sync whether the host
 * carries the network as defined.
 */
struct rhv_host_network {
	char *host;
	char host_id[37];
	char *network;
	char network_id[37];
	char *nic;         /* NIC or bond under it */
	char *bridge;      /* VM networks: the Linux bridge; NULL otherwise */
	int vlan;          /* -1 untagged */
	int mtu;
	char *address;     /* NULL none */
	bool vm_network;   /* as applied (bridge != NULL) */
	bool in_sync;
	char *sync_reason; /* NULL when in sync */
};

struct rhv_host_network_list {
	struct rhv_host_network *items;
	size_t n;
};

void rhv_host_nic_list_clear(struct rhv_host_nic_list *l);
void rhv_host_network_list_clear(struct rhv_host_network_list *l);

/* ---- the store (store/hostnet.c) ---- */

/* A host's NICs as last discovered, with their networks. */
int rhv_host_nic_list(struct rhv_db *db, const char *host, struct rhv_host_nic_list *out, struct rhv_error *err);
/*
 * Networks set up on hosts: host NULL every host's, network NULL every
 * network's.  Returns: 0, or -1 (RHV_EXIT_NOTFOUND for an unknown host).
 */
int rhv_host_network_list(struct rhv_db *db, const char *host, const char *network,
			  struct rhv_host_network_list *out, struct rhv_error *err);

/* ---- discovery and setup on the host (ops/hostnet-*.c) ---- */

/* Discover a host's NICs over SSH and store them; out gets the list. */
int rhv_hostnet_discover(struct rhv_db *db, const char *host, struct rhv_host_nic_list *out, struct rhv_error *err);

/*
 * The monitor's look at an answering host's networks (ops/netrefresh.c):
 * when rhv-net has read them before and that reading is at least every_s
 * seconds old (0: never), read them again over SSH, so that a change made
 * by hand on the host puts its networks out of sync.  A host whose network
 * setup is running is left to it.  A reading that fails keeps the last
 * one, with one WARNING event (and warning) per run of failures.
 * Returns: 0, also when the host could not be read; -1 for the store.
 */
int rhv_hostnet_refresh(struct rhv_db *db, const char *host_id, int64_t every_s, const struct rhv_progress *p,
			struct rhv_error *err);

struct rhv_hostnet_setup {
	const char *host;
	const struct rhv_ns_change *changes;
	size_t n;
	int timeout;   /* seconds to wait for the host to answer again; 0: HostNetworkTimeout setting */
	bool dry_run;  /* print the configuration, apply nothing */
};

/*
 * Apply changes on a host as one transaction there: the rules first
 * (exit 2, nothing applied), then the host script, the confirmation over
 * a new SSH connection, and the store.  *config (caller frees) gets the
 * configuration sent.  Returns: 0; -1 with RHV_EXIT_USAGE (a rule),
 * RHV_EXIT_NOTFOUND, RHV_EXIT_FAILED (the host refused it and rolled
 * back), RHV_EXIT_UNAVAILABLE (no confirmation: the host rolls back by
 * itself).
 */
int rhv_hostnet_setup(struct rhv_db *db, const struct rhv_hostnet_setup *s, char **config, struct rhv_error *err);
