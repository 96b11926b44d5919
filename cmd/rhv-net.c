/* rhv-net: logical networks, their clusters, vNIC profiles and MAC address pools. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/cli.h"
#include "rhv/cluster.h"
#include "rhv/hostnet.h"
#include "rhv/names.h"
#include "rhv/net.h"
#include "rhv/netlabel.h"
#include "rhv/store-session.h"

static struct {
	char *dc, *cluster, *network, *name, *description, *vm_network, *vlan, *mtu, *label, *required;
	char *port_mirroring, *qos_in, *qos_out, *allow_duplicates;
	const char **roles, **ranges;
	/* host-setup */
	const char **attach, **detach, **bond, **unbond, **set_label, **unlabel;
	int sync, dry_run, timeout, cached;
} opt;

/* ---- networks ---- */

enum { N_NAME, N_ID, N_DC, N_CLUSTER, N_VM, N_VLAN, N_MTU, N_LABEL, N_REQUIRED, N_ROLES, N_MGMT, N_DISPLAY,
       N_MIGRATION, N_CLUSTERS, N_PROFILES, N_VNICS, N_DESCRIPTION, N_CREATED, N_UPDATED };

static const struct rhv_column net_columns[] = {
	[N_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "network name" },
	[N_ID] = { "id", "ID", RHV_COL_UUID, 0, "unique id" },
	[N_DC] = { "data_center", "DATA CENTER", RHV_COL_STR, RHV_COL_DEFAULT, "data center it belongs to" },
	[N_CLUSTER] = { "cluster", "CLUSTER", RHV_COL_STR, 0, "cluster of the attachment (list --cluster)" },
	[N_VM] = { "vm_network", "VM NETWORK", RHV_COL_BOOL, RHV_COL_DEFAULT, "carries VM traffic (a bridge)" },
	[N_VLAN] = { "vlan", "VLAN", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "VLAN tag (null: untagged)" },
	[N_MTU] = { "mtu", "MTU", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "MTU (null: the default, 1500)" },
	[N_LABEL] = { "label", "LABEL", RHV_COL_STR, RHV_COL_DEFAULT, "network label (null: none)" },
	[N_REQUIRED] = { "required", "REQUIRED", RHV_COL_BOOL, 0,
			 "every host of the cluster must have it (list --cluster)" },
	[N_ROLES] = { "roles", "ROLES", RHV_COL_STR, 0, "its roles in the cluster (list --cluster)" },
	[N_MGMT] = { "management", "MANAGEMENT", RHV_COL_BOOL, 0, "the cluster's management network" },
	[N_DISPLAY] = { "display", "DISPLAY", RHV_COL_BOOL, 0, "the cluster's display network" },
	[N_MIGRATION] = { "migration", "MIGRATION", RHV_COL_BOOL, 0, "the cluster's migration network" },
	[N_CLUSTERS] = { "clusters", "CLUSTERS", RHV_COL_INT, RHV_COL_RIGHT, "clusters it is attached to" },
	[N_PROFILES] = { "profiles", "PROFILES", RHV_COL_INT, RHV_COL_RIGHT, "its vNIC profiles" },
	[N_VNICS] = { "vnics", "VNICS", RHV_COL_INT, RHV_COL_RIGHT, "VM NICs on its profiles" },
	[N_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, 0, "free text" },
	[N_CREATED] = { "created", "CREATED", RHV_COL_TIME, 0, "when it was created" },
	[N_UPDATED] = { "updated", "UPDATED", RHV_COL_TIME, 0, "when it last changed" },
};

static void net_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_net *n = item;

	rhv_table_add_row(t);
	rhv_cell_str(t, N_NAME, n->name);
	rhv_cell_str(t, N_ID, n->id);
	rhv_cell_str(t, N_DC, n->dc);
	rhv_cell_bool(t, N_VM, n->vm_network);
	if (n->vlan >= 0)
		rhv_cell_int(t, N_VLAN, n->vlan);
	if (n->mtu)
		rhv_cell_int(t, N_MTU, n->mtu);
	rhv_cell_str(t, N_LABEL, n->label);
	if (n->cluster) {
		_cleanup_free_ char *roles = NULL;

		if (n->management)
			rhv_xappendf(&roles, ",", "management");
		if (n->display)
			rhv_xappendf(&roles, ",", "display");
		if (n->migration)
			rhv_xappendf(&roles, ",", "migration");
		rhv_cell_str(t, N_CLUSTER, n->cluster);
		rhv_cell_bool(t, N_REQUIRED, n->required);
		rhv_cell_str(t, N_ROLES, roles ? roles : "");
		rhv_cell_bool(t, N_MGMT, n->management);
		rhv_cell_bool(t, N_DISPLAY, n->display);
		rhv_cell_bool(t, N_MIGRATION, n->migration);
	}
	rhv_cell_int(t, N_CLUSTERS, n->clusters);
	rhv_cell_int(t, N_PROFILES, n->profiles);
	rhv_cell_int(t, N_VNICS, n->vnics);
	rhv_cell_str(t, N_DESCRIPTION, n->description);
	rhv_cell_time(t, N_CREATED, n->created);
	rhv_cell_time(t, N_UPDATED, n->updated);
}

static const struct rhv_rows net_rows = { "networks", "network", sizeof(struct rhv_net), net_row };

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	_cleanup_free_ char *columns = NULL;
	struct rhv_net_list l;
	int rc;

	if (rhv_net_list(ctx->db, opt.dc, opt.cluster, &l, err) < 0)
		return -1;
	/* per cluster, the attachment's columns are the defaults */
	if (opt.cluster && (!ctx->out.columns || ctx->out.columns[0] == '+')) {
		columns = rhv_xasprintf("name,cluster,required,roles,vm_network,vlan,mtu%s%s",
					ctx->out.columns ? "," : "", ctx->out.columns ? ctx->out.columns + 1 : "");
		ctx->out.columns = columns;
	}
	rc = rhv_ctx_print_items(ctx, &net_rows, l.items, l.n, err);
	rhv_net_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_net n;
	int rc;

	if (rhv_net_get(ctx->db, ctx->argv[0], opt.dc, &n, err) < 0) {
		rhv_net_clear(&n);
		return -1;
	}
	rc = rhv_ctx_print_item(ctx, &net_rows, &n, err);
	rhv_net_clear(&n);
	return rc;
}

/*
 * Reference 3.9: a label change reaches the hosts at once.  Each host is its
 * own setup; those that failed are in err (exit 6), the others reported.
 */
static int follow(struct rhv_ctx *ctx, const struct rhv_net_follow *f, struct rhv_error *err)
{
	struct rhv_net_follow_result r;
	int rc = rhv_net_follow_label(ctx->db, f, &r, err);

	for (size_t i = 0; i < r.n; i++)
		if (r.items[i].ok)
			rhv_info(ctx, "host '%s': network '%s' %s '%s'", r.items[i].host, f->network,
				 r.items[i].attached ? "set up on" : "taken off", r.items[i].device);
	rhv_net_follow_result_clear(&r);
	return rc;
}

/* The network as the store has it now (its id and label), then follow(). */
static int follow_net(struct rhv_ctx *ctx, const char *name, const char *old_label, const char *cluster, bool detach,
		      struct rhv_error *err)
{
	struct rhv_net n = { 0 };
	struct rhv_cluster c = { 0 };
	int rc;

	/* attach and detach find the network in the cluster's data center */
	if (cluster && !opt.dc && rhv_cluster_get(ctx->db, cluster, &c, err) < 0)
		return -1;
	rc = rhv_net_get(ctx->db, name, opt.dc ? opt.dc : c.dc, &n, err);
	rhv_cluster_clear(&c);
	if (rc < 0)
		return -1;
	rc = follow(ctx,
		    &(struct rhv_net_follow){ .network_id = n.id, .network = n.name, .label = n.label,
					      .old_label = old_label, .cluster = cluster, .detach = detach },
		    err);
	rhv_net_clear(&n);
	return rc;
}

static int cmd_create(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_net_spec s = {
		.name = ctx->argv[0], .dc = opt.dc, .description = opt.description, .vm_network = opt.vm_network,
		.vlan = opt.vlan, .mtu = opt.mtu, .label = opt.label,
	};

	if (rhv_net_create(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "network '%s' created", s.name);
	return opt.label && *opt.label ? follow_net(ctx, s.name, NULL, NULL, false, err) : 0;
}

static int cmd_edit(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_net_spec s = {
		.name = ctx->argv[0], .dc = opt.dc, .new_name = opt.name, .description = opt.description,
		.vm_network = opt.vm_network, .vlan = opt.vlan, .mtu = opt.mtu, .label = opt.label,
	};

	struct rhv_net old = { 0 };
	bool relabel;
	int rc;

	if (rhv_net_get(ctx->db, s.name, opt.dc, &old, err) < 0)
		return -1;
	relabel = opt.label && strcmp(opt.label, old.label ? old.label : "");
	if (rhv_net_edit(ctx->db, &s, err) < 0) {
		rhv_net_clear(&old);
		return -1;
	}
	rhv_info(ctx, "network '%s' updated", s.new_name ? s.new_name : s.name);
	rc = relabel ? follow_net(ctx, old.id, old.label, NULL, false, err) : 0;
	rhv_net_clear(&old);
	return rc;
}

static int cmd_remove(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_net_remove(ctx->db, ctx->argv[0], opt.dc, err) < 0)
		return -1;
	rhv_info(ctx, "network '%s' removed", ctx->argv[0]);
	return 0;
}

static int cmd_attach(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_net_attach_spec s = {
		.network = ctx->argv[0], .dc = opt.dc, .cluster = opt.cluster, .required = opt.required,
		.roles = opt.roles,
	};

	if (rhv_net_attach(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "network '%s' attached to cluster '%s'", s.network, s.cluster);
	return follow_net(ctx, s.network, NULL, s.cluster, false, err);
}

static int cmd_detach(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_net_detach(ctx->db, ctx->argv[0], opt.dc, opt.cluster, err) < 0)
		return -1;
	rhv_info(ctx, "network '%s' detached from cluster '%s'", ctx->argv[0], opt.cluster);
	return follow_net(ctx, ctx->argv[0], NULL, opt.cluster, true, err);
}

/* ---- vNIC profiles ---- */

enum { P_NAME, P_ID, P_NETWORK, P_DC, P_MIRRORING, P_QOS_IN, P_QOS_OUT, P_IN_AVG, P_IN_PEAK, P_IN_BURST, P_OUT_AVG,
       P_OUT_PEAK, P_OUT_BURST, P_VNICS, P_DESCRIPTION };

static const struct rhv_column profile_columns[] = {
	[P_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "profile name" },
	[P_ID] = { "id", "ID", RHV_COL_UUID, 0, "unique id" },
	[P_NETWORK] = { "network", "NETWORK", RHV_COL_STR, RHV_COL_DEFAULT, "network it belongs to" },
	[P_DC] = { "data_center", "DATA CENTER", RHV_COL_STR, RHV_COL_DEFAULT, "data center of the network" },
	[P_MIRRORING] = { "port_mirroring", "PORT MIRRORING", RHV_COL_BOOL, RHV_COL_DEFAULT,
			  "the NIC sees the network's traffic" },
	[P_QOS_IN] = { "qos_in", "QOS IN", RHV_COL_STR, RHV_COL_DEFAULT, "inbound AVERAGE,PEAK,BURST in Mbps, Mbps, MiB" },
	[P_QOS_OUT] = { "qos_out", "QOS OUT", RHV_COL_STR, RHV_COL_DEFAULT,
			"outbound AVERAGE,PEAK,BURST in Mbps, Mbps, MiB" },
	[P_IN_AVG] = { "in_average", "IN AVERAGE", RHV_COL_INT, RHV_COL_RIGHT, "libvirt <inbound average>, KiB/s" },
	[P_IN_PEAK] = { "in_peak", "IN PEAK", RHV_COL_INT, RHV_COL_RIGHT, "libvirt <inbound peak>, KiB/s" },
	[P_IN_BURST] = { "in_burst", "IN BURST", RHV_COL_INT, RHV_COL_RIGHT, "libvirt <inbound burst>, KiB" },
	[P_OUT_AVG] = { "out_average", "OUT AVERAGE", RHV_COL_INT, RHV_COL_RIGHT, "libvirt <outbound average>, KiB/s" },
	[P_OUT_PEAK] = { "out_peak", "OUT PEAK", RHV_COL_INT, RHV_COL_RIGHT, "libvirt <outbound peak>, KiB/s" },
	[P_OUT_BURST] = { "out_burst", "OUT BURST", RHV_COL_INT, RHV_COL_RIGHT, "libvirt <outbound burst>, KiB" },
	[P_VNICS] = { "vnics", "VNICS", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "VM NICs using it" },
	[P_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, 0, "free text" },
};

/* "AVG,PEAK,BURST" in RHV's units, as given */
static char *qos_text(const struct rhv_qos *q)
{
	return q->average ? rhv_xasprintf("%lld,%lld,%lld", (long long)(q->average / 125), (long long)(q->peak / 125),
					  (long long)(q->burst / 1024))
			  : NULL;
}

static void qos_cells(struct rhv_table *t, size_t col, const struct rhv_qos *q)
{
	if (!q->average)
		return;
	rhv_cell_int(t, col, q->average);
	rhv_cell_int(t, col + 1, q->peak);
	rhv_cell_int(t, col + 2, q->burst);
}

static void profile_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_vnic_profile *p = item;
	_cleanup_free_ char *in = qos_text(&p->in);
	_cleanup_free_ char *out = qos_text(&p->out);

	rhv_table_add_row(t);
	rhv_cell_str(t, P_NAME, p->name);
	rhv_cell_str(t, P_ID, p->id);
	rhv_cell_str(t, P_NETWORK, p->network);
	rhv_cell_str(t, P_DC, p->dc);
	rhv_cell_bool(t, P_MIRRORING, p->port_mirroring);
	rhv_cell_str(t, P_QOS_IN, in);
	rhv_cell_str(t, P_QOS_OUT, out);
	qos_cells(t, P_IN_AVG, &p->in);
	qos_cells(t, P_OUT_AVG, &p->out);
	rhv_cell_int(t, P_VNICS, p->vnics);
	rhv_cell_str(t, P_DESCRIPTION, p->description);
}

static const struct rhv_rows profile_rows = { "vnic_profiles", "vnic_profile", sizeof(struct rhv_vnic_profile),
					      profile_row };

static struct rhv_vnic_profile_spec profile_spec(struct rhv_ctx *ctx)
{
	return (struct rhv_vnic_profile_spec){
		.name = ctx->argv[0], .network = opt.network, .dc = opt.dc, .new_name = opt.name,
		.description = opt.description, .port_mirroring = opt.port_mirroring, .qos_in = opt.qos_in,
		.qos_out = opt.qos_out,
	};
}

static int cmd_profile_create(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vnic_profile_spec s = profile_spec(ctx);

	if (rhv_vnic_profile_create(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "vNIC profile '%s' created", s.name);
	return 0;
}

static int cmd_profile_edit(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vnic_profile_spec s = profile_spec(ctx);

	if (rhv_vnic_profile_edit(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "vNIC profile '%s' updated", s.new_name ? s.new_name : s.name);
	return 0;
}

static int cmd_profile_remove(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vnic_profile_spec s = profile_spec(ctx);

	if (rhv_vnic_profile_remove(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "vNIC profile '%s' removed", s.name);
	return 0;
}

static int cmd_profile_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vnic_profile_list l;
	int rc;

	if (rhv_vnic_profile_list(ctx->db, opt.network, opt.dc, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &profile_rows, l.items, l.n, err);
	rhv_vnic_profile_list_clear(&l);
	return rc;
}

/* ---- MAC pools ---- */

enum { M_DC, M_FIRST, M_LAST, M_SIZE, M_DUP, M_POOL_SIZE, M_USED, M_FREE };

static const struct rhv_column pool_columns[] = {
	[M_DC] = { "data_center", "DATA CENTER", RHV_COL_STR, RHV_COL_DEFAULT, "data center of the pool" },
	[M_FIRST] = { "first", "FIRST", RHV_COL_STR, RHV_COL_DEFAULT, "first address of the range" },
	[M_LAST] = { "last", "LAST", RHV_COL_STR, RHV_COL_DEFAULT, "last address of the range" },
	[M_SIZE] = { "size", "SIZE", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "addresses in the range" },
	[M_DUP] = { "allow_duplicates", "DUPLICATES", RHV_COL_BOOL, RHV_COL_DEFAULT,
		    "an address given by hand may be on several NICs" },
	[M_POOL_SIZE] = { "pool_size", "POOL SIZE", RHV_COL_INT, RHV_COL_RIGHT, "addresses in all its ranges" },
	[M_USED] = { "pool_used", "USED", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
		     "addresses of its ranges on NICs of the data center's VMs" },
	[M_FREE] = { "pool_free", "FREE", RHV_COL_INT, RHV_COL_RIGHT, "pool size less those used (at least 0)" },
};

static int cmd_mac_pool(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_mac_pool p;
	struct rhv_table *t;
	int rc;

	if (opt.ranges || opt.allow_duplicates) {
		struct rhv_mac_pool_spec s = { .dc = ctx->argv[0], .ranges = opt.ranges,
					       .allow_duplicates = opt.allow_duplicates };
		static const char *const none[] = { NULL };

		/* "--range none" empties the pool */
		if (opt.ranges && opt.ranges[0] && !strcmp(opt.ranges[0], "none") && !opt.ranges[1])
			s.ranges = none;
		if (rhv_mac_pool_set(ctx->db, &s, err) < 0)
			return -1;
		rhv_info(ctx, "MAC pool of data center '%s' updated", ctx->argv[0]);
		return 0;
	}
	if (rhv_mac_pool_get(ctx->db, ctx->argv[0], &p, err) < 0) {
		rhv_mac_pool_clear(&p);
		return -1;
	}
	t = rhv_ctx_table(ctx, "ranges", "range");
	for (size_t i = 0; i < p.nranges; i++) {
		rhv_table_add_row(t);
		rhv_cell_str(t, M_DC, p.dc);
		rhv_cell_str(t, M_FIRST, p.ranges[i].first);
		rhv_cell_str(t, M_LAST, p.ranges[i].last);
		rhv_cell_int(t, M_SIZE, p.ranges[i].size);
		rhv_cell_bool(t, M_DUP, p.allow_duplicates);
		rhv_cell_int(t, M_POOL_SIZE, p.size);
		rhv_cell_int(t, M_USED, p.used);
		rhv_cell_int(t, M_FREE, p.size > p.used ? p.size - p.used : 0);
	}
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	rhv_mac_pool_clear(&p);
	return rc;
}


/* ---- host networks ---- */

enum { H_HOST, H_NAME, H_KIND, H_BOND, H_MODE, H_MAC, H_MTU, H_SPEED, H_LINK, H_ADDRS, H_LABELS, H_NETWORKS,
       H_BRIDGES, H_VLANS, H_SYNC };

static const struct rhv_column nic_columns[] = {
	[H_HOST] = { "host", "HOST", RHV_COL_STR, 0, "host of the NIC" },
	[H_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "NIC or bond" },
	[H_KIND] = { "kind", "KIND", RHV_COL_STR, RHV_COL_DEFAULT, "nic or bond" },
	[H_BOND] = { "bond", "BOND", RHV_COL_STR, RHV_COL_DEFAULT, "NICs: the bond it is in" },
	[H_MODE] = { "bond_mode", "MODE", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "bonds: Linux bond mode 0-6" },
	[H_MAC] = { "mac", "MAC", RHV_COL_STR, 0, "hardware address" },
	[H_MTU] = { "mtu", "MTU", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "MTU on the host" },
	[H_SPEED] = { "speed_mbps", "SPEED", RHV_COL_INT, RHV_COL_RIGHT, "link speed, Mbps (null: unknown)" },
	[H_LINK] = { "link_up", "LINK", RHV_COL_BOOL, 0, "carrier" },
	[H_ADDRS] = { "addresses", "ADDRESSES", RHV_COL_STR, RHV_COL_DEFAULT, "IPv4 addresses on the device itself" },
	[H_LABELS] = { "labels", "LABELS", RHV_COL_STR, RHV_COL_DEFAULT, "network labels (reference 3.9)" },
	[H_NETWORKS] = { "networks", "NETWORKS", RHV_COL_STR, RHV_COL_DEFAULT, "networks set up on it" },
	[H_BRIDGES] = { "bridges", "BRIDGES", RHV_COL_STR, RHV_COL_DEFAULT, "their bridges ('-': non-VM network)" },
	[H_VLANS] = { "vlans", "VLANS", RHV_COL_STR, RHV_COL_DEFAULT, "their VLAN tags ('-': untagged)" },
	[H_SYNC] = { "in_sync", "IN SYNC", RHV_COL_BOOL, RHV_COL_DEFAULT, "its networks are as defined" },
};

static void nic_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_host_nic *x = item;

	rhv_table_add_row(t);
	rhv_cell_str(t, H_HOST, x->host);
	rhv_cell_str(t, H_NAME, x->name);
	rhv_cell_str(t, H_KIND, x->kind);
	rhv_cell_str(t, H_BOND, x->bond);
	if (x->bond_mode >= 0)
		rhv_cell_int(t, H_MODE, x->bond_mode);
	rhv_cell_str(t, H_MAC, x->mac);
	if (x->mtu > 0)
		rhv_cell_int(t, H_MTU, x->mtu);
	if (x->speed_mbps > 0)
		rhv_cell_int(t, H_SPEED, x->speed_mbps);
	rhv_cell_bool(t, H_LINK, x->link_up);
	rhv_cell_str(t, H_ADDRS, x->addresses);
	rhv_cell_str(t, H_LABELS, x->labels);
	rhv_cell_str(t, H_NETWORKS, x->networks);
	rhv_cell_str(t, H_BRIDGES, x->bridges);
	rhv_cell_str(t, H_VLANS, x->vlans);
	rhv_cell_bool(t, H_SYNC, x->in_sync);
}

static const struct rhv_rows nic_rows = { "host_nics", "host_nic", sizeof(struct rhv_host_nic), nic_row };

static int cmd_host_nics(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_host_nic_list l;
	int rc;

	if ((opt.cached ? rhv_host_nic_list(ctx->db, ctx->argv[0], &l, err)
			: rhv_hostnet_discover(ctx->db, ctx->argv[0], &l, err)) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &nic_rows, l.items, l.n, err);
	rhv_host_nic_list_clear(&l);
	return rc;
}

enum { W_HOST, W_NETWORK, W_NIC, W_BRIDGE, W_VLAN, W_MTU, W_ADDRESS, W_SYNC, W_REASON };

static const struct rhv_column hostnet_columns[] = {
	[W_HOST] = { "host", "HOST", RHV_COL_STR, RHV_COL_DEFAULT, "host" },
	[W_NETWORK] = { "network", "NETWORK", RHV_COL_STR, RHV_COL_DEFAULT, "logical network" },
	[W_NIC] = { "nic", "NIC", RHV_COL_STR, RHV_COL_DEFAULT, "NIC or bond under it" },
	[W_BRIDGE] = { "bridge", "BRIDGE", RHV_COL_STR, RHV_COL_DEFAULT, "VM networks: the bridge guests join" },
	[W_VLAN] = { "vlan", "VLAN", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "VLAN tag as applied" },
	[W_MTU] = { "mtu", "MTU", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "MTU as applied" },
	[W_ADDRESS] = { "address", "ADDRESS", RHV_COL_STR, RHV_COL_DEFAULT, "address it carries" },
	[W_SYNC] = { "in_sync", "IN SYNC", RHV_COL_BOOL, RHV_COL_DEFAULT, "as defined and as the host shows" },
	[W_REASON] = { "sync_reason", "SYNC REASON", RHV_COL_STR, 0, "why it is out of sync" },
};

static void hostnet_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_host_network *x = item;

	rhv_table_add_row(t);
	rhv_cell_str(t, W_HOST, x->host);
	rhv_cell_str(t, W_NETWORK, x->network);
	rhv_cell_str(t, W_NIC, x->nic);
	rhv_cell_str(t, W_BRIDGE, x->bridge);
	if (x->vlan >= 0)
		rhv_cell_int(t, W_VLAN, x->vlan);
	rhv_cell_int(t, W_MTU, x->mtu);
	rhv_cell_str(t, W_ADDRESS, x->address);
	rhv_cell_bool(t, W_SYNC, x->in_sync);
	rhv_cell_str(t, W_REASON, x->sync_reason);
}

static const struct rhv_rows hostnet_rows = { "host_networks", "host_network", sizeof(struct rhv_host_network),
					      hostnet_row };

static int cmd_host_networks(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_host_network_list l;
	int rc;

	if (rhv_host_network_list(ctx->db, ctx->argc ? ctx->argv[0] : NULL, opt.network, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &hostnet_rows, l.items, l.n, err);
	rhv_host_network_list_clear(&l);
	return rc;
}

/* Changes in a fixed order, whatever the order of the options: what is freed first, then what uses it. */
static int add_changes(struct rhv_ns_change *ch, size_t *n, enum rhv_ns_op op, const char **values,
		       struct rhv_error *err)
{
	for (size_t i = 0; values && values[i]; i++) {
		if (*n >= RHV_NS_MAX)
			return rhv_error_usage(err, "too many changes in one call (at most %d)", RHV_NS_MAX);
		if (rhv_ns_change_parse(op, values[i], &ch[(*n)++], err) < 0)
			return -1;
	}
	return 0;
}

static int cmd_host_setup(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_ns_change ch[RHV_NS_MAX];
	struct rhv_hostnet_setup s = { .host = ctx->argv[0], .changes = ch, .timeout = opt.timeout,
				       .dry_run = opt.dry_run };
	static const char *const sync[] = { "", NULL };
	_cleanup_free_ char *config = NULL;
	size_t n = 0;

	if (opt.timeout < 0 || opt.timeout > 3600)
		return rhv_error_usage(err, "invalid timeout %d: 5-3600 seconds", opt.timeout);
	if (opt.timeout && opt.timeout < 5)
		return rhv_error_usage(err, "invalid timeout %d: 5-3600 seconds", opt.timeout);
	if (add_changes(ch, &n, RHV_NS_DETACH, opt.detach, err) < 0 ||
	    add_changes(ch, &n, RHV_NS_UNLABEL, opt.unlabel, err) < 0 ||
	    add_changes(ch, &n, RHV_NS_UNBOND, opt.unbond, err) < 0 || add_changes(ch, &n, RHV_NS_BOND, opt.bond, err) < 0 ||
	    add_changes(ch, &n, RHV_NS_ATTACH, opt.attach, err) < 0 ||
	    add_changes(ch, &n, RHV_NS_LABEL, opt.set_label, err) < 0 ||
	    add_changes(ch, &n, RHV_NS_SYNC, opt.sync ? (const char **)sync : NULL, err) < 0)
		return -1;
	s.n = n;
	if (rhv_hostnet_setup(ctx->db, &s, &config, err) < 0)
		return -1;
	if (opt.dry_run) {
		fputs(config, stdout);
		return 0;
	}
	rhv_info(ctx, "network setup of host '%s' applied and confirmed", s.host);
	return 0;
}

/* ---- the table ---- */

#define OPT_DC(text) \
	{ .name = "dc", .kind = RHV_OPT_STRING, .target = &opt.dc, .help = text, .arg = "dc", .complete = &rhv_names_dc }
#define OPT_DESCRIPTION \
	{ .name = "description", .kind = RHV_OPT_STRING, .target = &opt.description, .help = "free text", \
	  .arg = "text", .complete = RHV_FREE }
#define OPT_NET_PROPS(vlan_help, mtu_help, label_help) \
	{ .name = "vm-network", .kind = RHV_OPT_STRING, .target = &opt.vm_network, \
	  .help = "carry VM traffic on a bridge (default yes)", .arg = "yes|no" }, \
	{ .name = "vlan", .kind = RHV_OPT_STRING, .target = &opt.vlan, .help = vlan_help, .arg = "tag", \
	  .complete = RHV_FREE }, \
	{ .name = "mtu", .kind = RHV_OPT_STRING, .target = &opt.mtu, .help = mtu_help, .arg = "bytes", \
	  .complete = RHV_FREE }, \
	{ .name = "label", .kind = RHV_OPT_STRING, .target = &opt.label, .help = label_help, .arg = "label", \
	  .complete = RHV_FREE }
#define OPT_NETWORK(text, req) \
	{ .name = "network", .kind = RHV_OPT_STRING, .target = &opt.network, .help = text, .arg = "network", \
	  .complete = &rhv_names_network, .required = req }
#define OPT_PROFILE_PROPS \
	{ .name = "port-mirroring", .kind = RHV_OPT_STRING, .target = &opt.port_mirroring, \
	  .help = "mirror the network's traffic to the NIC (default no)", .arg = "yes|no" }, \
	{ .name = "qos-in", .kind = RHV_OPT_STRING, .target = &opt.qos_in, \
	  .help = "inbound QoS: average and peak in Mbps, burst in MiB", .arg = "avg,peak,burst", \
	  .complete = RHV_FREE }, \
	{ .name = "qos-out", .kind = RHV_OPT_STRING, .target = &opt.qos_out, \
	  .help = "outbound QoS: average and peak in Mbps, burst in MiB", .arg = "avg,peak,burst", \
	  .complete = RHV_FREE }

static const struct rhv_opt create_opts[] = {
	{ .name = "dc", .kind = RHV_OPT_STRING, .target = &opt.dc, .help = "data center to create it in", .arg = "dc",
	  .complete = &rhv_names_dc, .required = true },
	OPT_NET_PROPS("VLAN tag, 0-4094 (default: untagged)", "MTU, 68-65535 (default: 1500)", "network label"),
	OPT_DESCRIPTION,
	RHV_OPT_END,
};
static const struct rhv_opt edit_opts[] = {
	OPT_DC("data center of the network"),
	{ .name = "name", .kind = RHV_OPT_STRING, .target = &opt.name, .help = "rename the network", .arg = "new-name",
	  .complete = RHV_FREE },
	OPT_NET_PROPS("VLAN tag, 0-4094; none: untagged", "MTU, 68-65535; default: 1500", "network label; '': none"),
	OPT_DESCRIPTION,
	RHV_OPT_END,
};
static const struct rhv_opt dc_opts[] = {
	OPT_DC("data center of the network"),
	RHV_OPT_END,
};
static const struct rhv_opt list_opts[] = {
	OPT_DC("only networks of this data center"),
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster,
	  .help = "only networks attached to this cluster, with their roles", .arg = "cluster",
	  .complete = &rhv_names_cluster },
	RHV_OPT_END,
};
static const struct rhv_opt attach_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster, .help = "cluster to attach it to",
	  .arg = "cluster", .complete = &rhv_names_cluster, .required = true },
	OPT_DC("data center of the network (default: the cluster's)"),
	{ .name = "required", .kind = RHV_OPT_STRING, .target = &opt.required,
	  .help = "every host of the cluster must have it (default yes)", .arg = "yes|no" },
	{ .name = "role", .kind = RHV_OPT_LIST, .target = &opt.roles,
	  .help = "take this role in the cluster from the network that has it (repeatable)",
	  .arg = "management|display|migration" },
	RHV_OPT_END,
};
static const struct rhv_opt detach_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster, .help = "cluster to detach it from",
	  .arg = "cluster", .complete = &rhv_names_cluster, .required = true },
	OPT_DC("data center of the network (default: the cluster's)"),
	RHV_OPT_END,
};
static const struct rhv_opt profile_create_opts[] = {
	OPT_NETWORK("network of the profile", true),
	OPT_DC("data center of the network"),
	OPT_PROFILE_PROPS,
	OPT_DESCRIPTION,
	RHV_OPT_END,
};
static const struct rhv_opt profile_edit_opts[] = {
	OPT_NETWORK("network of the profile", false),
	OPT_DC("data center of the network"),
	{ .name = "name", .kind = RHV_OPT_STRING, .target = &opt.name, .help = "rename the profile", .arg = "new-name",
	  .complete = RHV_FREE },
	OPT_PROFILE_PROPS,
	OPT_DESCRIPTION,
	RHV_OPT_END,
};
static const struct rhv_opt profile_remove_opts[] = {
	OPT_NETWORK("network of the profile", false),
	OPT_DC("data center of the network"),
	RHV_OPT_END,
};
static const struct rhv_opt profile_list_opts[] = {
	OPT_NETWORK("only profiles of this network", false),
	OPT_DC("only profiles of networks of this data center"),
	RHV_OPT_END,
};
static const struct rhv_opt mac_pool_opts[] = {
	{ .name = "range", .kind = RHV_OPT_LIST, .target = &opt.ranges,
	  .help = "set the ranges, replacing all (repeatable); none: no range", .arg = "first-last",
	  .complete = RHV_FREE },
	{ .name = "allow-duplicates", .kind = RHV_OPT_STRING, .target = &opt.allow_duplicates,
	  .help = "let an address given by hand be on several NICs", .arg = "yes|no" },
	RHV_OPT_END,
};

static const struct rhv_opt host_nics_opts[] = {
	{ .name = "cached", .kind = RHV_OPT_FLAG, .target = &opt.cached,
	  .help = "what the store has from the last discovery; no SSH" },
	RHV_OPT_END,
};
static const struct rhv_opt host_networks_opts[] = {
	OPT_NETWORK("only this network", false),
	RHV_OPT_END,
};
static const struct rhv_opt host_setup_opts[] = {
	{ .name = "attach", .kind = RHV_OPT_LIST, .target = &opt.attach,
	  .help = "set up a network on a NIC or bond, or move it there (repeatable)", .arg = "network:device",
	  .complete = RHV_FREE },
	{ .name = "detach", .kind = RHV_OPT_LIST, .target = &opt.detach, .help = "take a network off the host (repeatable)",
	  .arg = "network", .complete = &rhv_names_network },
	{ .name = "bond", .kind = RHV_OPT_LIST, .target = &opt.bond,
	  .help = "make or change a bond of NICs, mode 0-6, default 4 (repeatable)", .arg = "bond:nic,nic[:mode]",
	  .complete = RHV_FREE },
	{ .name = "unbond", .kind = RHV_OPT_LIST, .target = &opt.unbond, .help = "remove a bond (repeatable)",
	  .arg = "bond", .complete = RHV_FREE },
	{ .name = "label", .kind = RHV_OPT_LIST, .target = &opt.set_label,
	  .help = "put a network label on a NIC or bond (repeatable)", .arg = "device:label", .complete = RHV_FREE },
	{ .name = "unlabel", .kind = RHV_OPT_LIST, .target = &opt.unlabel,
	  .help = "take a label off a NIC or bond (repeatable)", .arg = "device:label", .complete = RHV_FREE },
	{ .name = "sync", .kind = RHV_OPT_FLAG, .target = &opt.sync,
	  .help = "set up out-of-sync networks again from their definitions" },
	{ .name = "timeout", .kind = RHV_OPT_INT, .target = &opt.timeout,
	  .help = "seconds for the host to answer after the change, else it rolls back (default: "
		  "NetworkCheckTimeoutSeconds, 120)",
	  .arg = "seconds", .complete = RHV_FREE },
	{ .name = "dry-run", .kind = RHV_OPT_FLAG, .target = &opt.dry_run,
	  .help = "check the rules and print the host's configuration; apply nothing" },
	RHV_OPT_END,
};

static const struct rhv_arg new_arg[] = { { .name = "name", .complete = RHV_FREE }, RHV_ARG_END };
static const struct rhv_arg net_arg[] = { { .name = "network", .complete = &rhv_names_network }, RHV_ARG_END };
static const struct rhv_arg profile_arg[] = { { .name = "profile", .complete = &rhv_names_vnic_profile },
					      RHV_ARG_END };
static const struct rhv_arg dc_arg[] = { { .name = "dc", .complete = &rhv_names_dc }, RHV_ARG_END };
static const struct rhv_arg host_arg[] = { { .name = "host", .complete = &rhv_names_host }, RHV_ARG_END };
static const struct rhv_arg host_opt_arg[] = { { .name = "host", .flags = RHV_ARG_OPTIONAL, .complete = &rhv_names_host },
					       RHV_ARG_END };

#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ .name = "create", .handler = cmd_create, .opts = create_opts, .args = new_arg,
	  .summary = "create a logical network",
	  .description =
		"Create a logical network in a data center. Its name is unique in the data center. A VM network "
		"(the default) carries VM traffic on a bridge and gets a vNIC profile of its own name; a non-VM "
		"network has no profiles. The VLAN tag, MTU and label describe it for the hosts.",
	  .flags = WRITES },
	{ .name = "list", .handler = cmd_list, .opts = list_opts, RHV_COLUMNS(net_columns),
	  .summary = "list logical networks",
	  .description =
		"List the networks of every data center or of one. With --cluster, the networks attached to that "
		"cluster, with whether they are required and their roles.",
	  .flags = LISTS },
	{ .name = "show", .handler = cmd_show, .opts = dc_opts, .args = net_arg, RHV_COLUMNS(net_columns),
	  .summary = "show one logical network",
	  .description = "Show one network, named by name or id; --dc says which when several data centers have one of "
			 "that name.",
	  .flags = LISTS },
	{ .name = "edit", .handler = cmd_edit, .opts = edit_opts, .args = net_arg,
	  .summary = "change a logical network",
	  .description =
		"Rename a network or change its description, VLAN tag, MTU, label or whether it is a VM network. "
		"A network that VM NICs use stays a VM network; one that becomes a VM network gets its default "
		"profile. The management network keeps its name. Options left out are unchanged. A new or removed "
		"label is applied at once on the hosts whose NICs carry it, each host set up on its own (exit 6 "
		"when some host could not follow).",
	  .flags = WRITES },
	{ .name = "remove", .handler = cmd_remove, .opts = dc_opts, .args = net_arg,
	  .summary = "remove a logical network",
	  .description =
		"Remove a network and its vNIC profiles. The management network, a network attached to a cluster "
		"and one whose profiles VM NICs use are refused.",
	  .flags = WRITES },
	{ .name = "attach", .handler = cmd_attach, .opts = attach_opts, .args = net_arg,
	  .summary = "attach a network to a cluster or change its attachment",
	  .description =
		"Attach a network to a cluster of its data center, required unless --required no says otherwise. "
		"Each of the roles management, display and migration is held by exactly one network of the "
		"cluster: --role moves it to this network. The management network is required and changes only "
		"in a cluster without hosts. Attaching an attached network changes what is given. A labelled "
		"network is set up at once on the cluster's hosts whose NICs carry its label.",
	  .flags = WRITES },
	{ .name = "detach", .handler = cmd_detach, .opts = detach_opts, .args = net_arg,
	  .summary = "detach a network from a cluster",
	  .description =
		"Detach a network from a cluster. The management network and a network whose profiles NICs of the "
		"cluster's VMs use are refused; the display and migration roles it held go back to the "
		"management network. A labelled network is taken off the cluster's hosts' labelled NICs.",
	  .flags = WRITES },
	{ .name = "profile-create", .handler = cmd_profile_create, .opts = profile_create_opts, .args = new_arg,
	  .summary = "create a vNIC profile",
	  .description =
		"Create a vNIC profile on a VM network: port mirroring and inbound and outbound QoS (average and "
		"peak in Mbps, burst in MiB, as RHV's network QoS; stored as libvirt's <bandwidth> takes them: "
		"KiB/s = Mbps * 125, KiB = MiB * 1024).",
	  .flags = WRITES },
	{ .name = "profile-edit", .handler = cmd_profile_edit, .opts = profile_edit_opts, .args = profile_arg,
	  .summary = "change a vNIC profile",
	  .description =
		"Rename a vNIC profile or change its QoS ('none' removes one) or port mirroring. Port mirroring "
		"does not change while a VM NIC uses the profile.",
	  .flags = WRITES },
	{ .name = "profile-remove", .handler = cmd_profile_remove, .opts = profile_remove_opts, .args = profile_arg,
	  .summary = "remove a vNIC profile",
	  .description = "Remove a vNIC profile that no VM NIC uses.",
	  .flags = WRITES },
	{ .name = "profile-list", .handler = cmd_profile_list, .opts = profile_list_opts, RHV_COLUMNS(profile_columns),
	  .summary = "list vNIC profiles",
	  .description = "List vNIC profiles, of every network or of one.",
	  .flags = LISTS },
	{ .name = "mac-pool", .handler = cmd_mac_pool, .opts = mac_pool_opts, .args = dc_arg,
	  RHV_COLUMNS(pool_columns),
	  .summary = "show or set a data center's MAC address pool",
	  .description =
		"Without options, list the ranges of a data center's MAC pool, one per line, with how many of its "
		"addresses VM NICs have. With --range or --allow-duplicates, set them: the ranges given replace "
		"all. Every new VM NIC gets the lowest address of its data center's ranges that no VM NIC has. "
		"NICs keep their addresses when the ranges shrink.",
	  .flags = LISTS | RHV_CMD_MUTATES },
	{ .name = "host-nics", .handler = cmd_host_nics, .opts = host_nics_opts, .args = host_arg,
	  RHV_COLUMNS(nic_columns),
	  .summary = "discover and list a host's NICs and bonds",
	  .description =
		"Discover a host's NICs and bonds over SSH (ip -j link, ip -j addr and the host's Open vSwitch), "
		"store them (the labels stay) and list them with the networks set up on them, their bridges and "
		"VLANs, and whether those are in sync. The host is reached as rhv-fence setup says "
		"(--ssh-address, --ssh-user ...). Each network is checked against its definition and what the "
		"host shows: a bridge missing, another MTU or VLAN makes it out of sync.",
	  .flags = LISTS | RHV_CMD_MUTATES },
	{ .name = "host-networks", .handler = cmd_host_networks, .opts = host_networks_opts, .args = host_opt_arg,
	  RHV_COLUMNS(hostnet_columns),
	  .summary = "list the networks set up on hosts",
	  .description = "List the networks set up on a host, or on every host: the NIC or bond under each, its "
			 "bridge, VLAN, MTU and address, and whether it is in sync (with the reason when not).",
	  .flags = LISTS },
	{ .name = "host-setup", .handler = cmd_host_setup, .opts = host_setup_opts, .args = host_arg,
	  .summary = "set up networks, bonds and labels on a host, with rollback",
	  .description =
		"Change a host's networks as one transaction on the host: detach, unlabel, unbond, bond, attach, "
		"label and sync, in that order. The rules are checked first (exit 2 naming the rule, nothing "
		"applied): bond modes 0, 5 and 6 only for non-VM networks, one untagged network per device, a "
		"VLAN network's MTU not above its device's untagged one, the network attached to the host's "
		"cluster, a VM network's name a valid bridge name. The host applies it and waits for a "
		"confirmation over a new SSH connection to its management address; without one within the "
		"timeout it restores its previous configuration by itself and the call fails (exit 5). A network "
		"with a label follows the label: it is set up on the device carrying it and taken off when the "
		"label goes.",
	  .flags = WRITES },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-net",
	.summary = "Manage logical networks, vNIC profiles and MAC pools",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
