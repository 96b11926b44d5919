/*
 * Logical networks of a data center, their attachment to clusters, vNIC
 * profiles and MAC address pools (reference 1.6, chapter 3).  The data
 * center level only: what a host makes of a network is another module's.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;

/* The management network every data center has, attached to every cluster. */
#define RHV_MGMT_NETWORK_NAME "ovirtmgmt"
/* Longest network and vNIC profile name, in characters (the schema's check). */
#define RHV_NET_NAME_MAX 50
/* The range a new data center's pool starts with: oVirt's first address, 65,199 of them. */
#define RHV_MAC_POOL_DEFAULT_FIRST "00:1a:4a:16:01:51"
#define RHV_MAC_POOL_DEFAULT_LAST "00:1a:4a:16:ff:ff"

struct rhv_net {
	char id[37];
	char *name;
	char *dc;
	char *description;
	char *label;    /* NULL: none */
	bool vm_network;
	int vlan;       /* -1: untagged */
	int mtu;        /* 0: the default (1500) */
	int64_t clusters;  /* attached to this many clusters */
	int64_t profiles;  /* vNIC profiles */
	int64_t vnics;     /* VM NICs on its profiles */
	int64_t created, updated;
	/* per cluster (rhv_net_list with a cluster only) */
	char *cluster;
	bool required, management, display, migration;
};

struct rhv_net_list {
	struct rhv_net *items;
	size_t n;
};

/* Create or edit; NULL members are unchanged (edit) or the default (create). */
struct rhv_net_spec {
	const char *name;
	const char *dc;         /* where to look for name (edit, remove), or create it */
	const char *new_name;
	const char *description;
	const char *vm_network; /* yes/no */
	const char *vlan;       /* 0..4094, "none" clears (edit) */
	const char *mtu;        /* 68..65535, "default" clears (edit) */
	const char *label;      /* "" clears (edit) */
};

int rhv_net_create(struct rhv_db *db, const struct rhv_net_spec *spec, struct rhv_error *err);
int rhv_net_edit(struct rhv_db *db, const struct rhv_net_spec *spec, struct rhv_error *err);
/* Refused (RHV_EXIT_CONFLICT) for the management network and a network in use. */
int rhv_net_remove(struct rhv_db *db, const char *name, const char *dc, struct rhv_error *err);
/*
 * One network by name or id; dc NULL: any data center, and a name found in
 * several is a usage error.  Returns: 0; -1 with RHV_EXIT_NOTFOUND, or
 * RHV_EXIT_USAGE when ambiguous.
 */
int rhv_net_get(struct rhv_db *db, const char *name, const char *dc, struct rhv_net *out, struct rhv_error *err);
/* dc, cluster NULL: no filter.  With a cluster, its attachments only, with their roles. */
int rhv_net_list(struct rhv_db *db, const char *dc, const char *cluster, struct rhv_net_list *out,
		 struct rhv_error *err);
void rhv_net_clear(struct rhv_net *n);
void rhv_net_list_clear(struct rhv_net_list *l);

/* Attach (or change an attachment): roles given move to this network. */
struct rhv_net_attach_spec {
	const char *network;
	const char *dc;
	const char *cluster;
	const char *required;       /* yes/no; NULL: yes on a new attachment, else unchanged */
	const char *const *roles;   /* management, display, migration; NULL-terminated, may be NULL */
};
int rhv_net_attach(struct rhv_db *db, const struct rhv_net_attach_spec *spec, struct rhv_error *err);
int rhv_net_detach(struct rhv_db *db, const char *network, const char *dc, const char *cluster,
		   struct rhv_error *err);

/* ---- vNIC profiles ---- */

/* QoS of one direction, in libvirt's <bandwidth> units; average 0: none. */
struct rhv_qos {
	int64_t average; /* KiB/s */
	int64_t peak;    /* KiB/s */
	int64_t burst;   /* KiB */
};

struct rhv_vnic_profile {
	char id[37];
	char *name;
	char *network;
	char *dc;
	char *description;
	bool port_mirroring;
	struct rhv_qos in, out;
	int64_t vnics;
};

struct rhv_vnic_profile_list {
	struct rhv_vnic_profile *items;
	size_t n;
};

struct rhv_vnic_profile_spec {
	const char *name;
	const char *network; /* NULL: any network (found by name alone, if unambiguous) */
	const char *dc;
	const char *new_name;
	const char *description;
	const char *port_mirroring; /* yes/no */
	const char *qos_in;         /* "AVG,PEAK,BURST" in Mbps, Mbps, MiB; "none" clears */
	const char *qos_out;
};

int rhv_vnic_profile_create(struct rhv_db *db, const struct rhv_vnic_profile_spec *spec, struct rhv_error *err);
int rhv_vnic_profile_edit(struct rhv_db *db, const struct rhv_vnic_profile_spec *spec, struct rhv_error *err);
int rhv_vnic_profile_remove(struct rhv_db *db, const struct rhv_vnic_profile_spec *spec, struct rhv_error *err);
int rhv_vnic_profile_list(struct rhv_db *db, const char *network, const char *dc,
			  struct rhv_vnic_profile_list *out, struct rhv_error *err);
void rhv_vnic_profile_clear(struct rhv_vnic_profile *p);
void rhv_vnic_profile_list_clear(struct rhv_vnic_profile_list *l);
/*
 * "AVG,PEAK,BURST" (Mbps, Mbps, MiB, as RHV's network QoS) into libvirt's
 * units: KiB/s = Mbps * 125, KiB = MiB * 1024, as oVirt converts them.
 */
int rhv_qos_parse(const char *s, const char *what, struct rhv_qos *out, struct rhv_error *err);

/* ---- MAC address pools ---- */

struct rhv_mac_range {
	char first[18], last[18];
	int64_t size;
};

struct rhv_mac_pool {
	char *dc;
	bool allow_duplicates;
	struct rhv_mac_range *ranges;
	size_t nranges;
	int64_t size;  /* addresses in its ranges */
	int64_t used;  /* of them, in use by VM NICs of the data center */
};

struct rhv_mac_pool_spec {
	const char *dc;
	const char *const *ranges;    /* "FIRST-LAST"; replace every range; NULL: unchanged */
	const char *allow_duplicates; /* yes/no */
};

int rhv_mac_pool_get(struct rhv_db *db, const char *dc, struct rhv_mac_pool *out, struct rhv_error *err);
int rhv_mac_pool_set(struct rhv_db *db, const struct rhv_mac_pool_spec *spec, struct rhv_error *err);
void rhv_mac_pool_clear(struct rhv_mac_pool *p);
/* A MAC address given by hand: checked (unicast, xx:xx:xx:xx:xx:xx) and written in lower case into out. */
int rhv_mac_parse(const char *s, char out[18], struct rhv_error *err);
