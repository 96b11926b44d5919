/*
 * Host network setup as a pure decision (reference 3.4, 3.5, 3.8, 3.9,
 * 3.11, 3.17-3.20): the desired state of one host's networks is its
 * current state with the requested changes applied, labels followed, and
 * the section 3.5 rules checked.  No I/O: ops/hostnet-*.c feed it what
 * discovery and the store know and carry the result to the host.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

#define RHV_NS_MAX 64          /* devices, attachments or changes per host */
#define RHV_NS_IFNAME 16       /* IFNAMSIZ: 15 characters and the NUL */
#define RHV_NS_NAME 51         /* network and label names (RHV_NET_NAME_MAX + 1) */
#define RHV_NS_LABELS 256      /* a device's labels, comma separated */
#define RHV_NS_DEFAULT_MTU 1500
#define RHV_NS_DEFAULT_BOND_MODE 4

/* A NIC or a bond of the host. */
struct rhv_ns_dev {
	char name[RHV_NS_IFNAME];
	bool bond;
	int mode;                    /* bonds: 0-6 */
	char master[RHV_NS_IFNAME];  /* NICs: the bond they are in, "" none */
	char labels[RHV_NS_LABELS];  /* "a,b" */
};

/* A network's definition, as the data center has it. */
struct rhv_ns_def {
	char name[RHV_NS_NAME];
	bool vm;
	int vlan;       /* -1: untagged */
	int mtu;        /* 0: default */
	bool mgmt;      /* the cluster's management network */
	bool attached;  /* to the host's cluster */
	char label[RHV_NS_NAME]; /* "" none */
};

/* A network on a device of the host, as applied. */
struct rhv_ns_att {
	char net[RHV_NS_NAME];
	char dev[RHV_NS_IFNAME];
	bool vm;
	int vlan;       /* -1 untagged */
	int mtu;        /* effective, never 0 */
	char address[64]; /* "A.B.C.D/P" the network carries, "" none */
	bool out_of_sync;  /* (sync) re-apply from the definition */
};

struct rhv_ns_state {
	struct rhv_ns_dev dev[RHV_NS_MAX];
	size_t ndev;
	struct rhv_ns_att att[RHV_NS_MAX];
	size_t natt;
};

enum rhv_ns_op {
	RHV_NS_ATTACH,   /* a = network, b = device */
	RHV_NS_DETACH,   /* a = network */
	RHV_NS_BOND,     /* a = bond, slaves, mode */
	RHV_NS_UNBOND,   /* a = bond */
	RHV_NS_LABEL,    /* a = device, b = label */
	RHV_NS_UNLABEL,  /* a = device, b = label */
	RHV_NS_SYNC,     /* every out-of-sync network from its definition */
};

struct rhv_ns_change {
	enum rhv_ns_op op;
	char a[RHV_NS_NAME];
	char b[RHV_NS_NAME];
	char slaves[RHV_NS_LABELS]; /* "eth1,eth2" */
	int mode;
};

/*
 * Parse one change as the CLI gives it: "NET:DEV" (attach), "NET"
 * (detach), "NAME:NIC,NIC[:MODE]" (bond), "DEV:LABEL" (label, unlabel).
 * Returns: 0, or -1 (RHV_EXIT_USAGE).
 */
int rhv_ns_change_parse(enum rhv_ns_op op, const char *text, struct rhv_ns_change *out, struct rhv_error *err);

/*
 * out = cur with changes applied, label attachments followed (a network
 * with a label sits on the device carrying it), and every rule checked;
 * a management network moved to another device keeps its address.
 * Returns: 0; -1 with RHV_EXIT_USAGE and the rule named (bond-mode,
 * one-untagged, mtu, cluster, name, device, bond, label), or
 * RHV_EXIT_NOTFOUND for an unknown network or device.
 */
int rhv_ns_plan(const struct rhv_ns_state *cur, const struct rhv_ns_def *defs, size_t ndefs,
		const struct rhv_ns_change *ch, size_t nch, struct rhv_ns_state *out, struct rhv_error *err);

/*
 * What a host the store knows no networks of (a fresh store, a host
 * removed and added again) takes from the setup the host itself last
 * confirmed: host holds that setup's networks (att) and its devices'
 * labels (dev[].labels); cur is the store's state (the devices as
 * discovered).  A network is taken when it is attached to the host's
 * cluster and its device is there; labels go on devices that are there.
 * out = cur with those; returns how many networks and labelled devices
 * were taken (0 when the store knows some network of the host already:
 * the store is the truth).
 */
size_t rhv_ns_adopt(const struct rhv_ns_state *cur, const struct rhv_ns_state *host, const struct rhv_ns_def *defs,
		    size_t ndefs, struct rhv_ns_state *out);

/* Does the device carry a VLAN network or is it a bond (then Open vSwitch carries it)? */
bool rhv_ns_dev_uses_ovs(const struct rhv_ns_state *s, const char *dev);
/* The MTU a device gets: the largest of its networks', the default without any. */
int rhv_ns_dev_mtu(const struct rhv_ns_state *s, const char *dev);
/* Does a comma-separated list hold item? */
bool rhv_ns_list_has(const char *list, const char *item);
