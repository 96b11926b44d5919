/*
 * Discovery of a host's NICs and bonds over SSH: `ip -j -d link`,
 * `ip -j addr` and the host's Open vSwitch (bonds, ports, tags), stored
 * in host_nics in one transaction, and each network the store says the
 * host carries checked against what the host shows (in sync or not).
 */
#include "rhv/common.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/hostnet-priv.h"
#include "rhv/cleanup.h"
#include "rhv/event.h"
#include "rhv/netsetup.h"
#include "store/hostnet.h"
#include "store/txn.h"

struct link {
	const char *name, *kind, *master, *mac, *peer;
	int mtu;
	bool up, nic, tap;
	char *addrs;
};

struct ovs_port {
	char bridge[64], name[64], ifaces[256], bond[32];
	int tag, rhv_mode;
};

struct seen {
	struct link *links;
	size_t nlinks;
	struct ovs_port ports[RHV_NS_MAX * 2];
	size_t nports;
	json_object *jl, *ja;
};

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
												 : NULL;
}

static int jint(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int(v) : 0;
}

static bool jflag(json_object *o, const char *flag)
{
	json_object *v;

	if (!json_object_object_get_ex(o, "flags", &v))
		return false;
	for (size_t i = 0; i < json_object_array_length(v); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(v, i)), flag))
			return true;
	return false;
}

static struct link *find_link(struct seen *s, const char *name)
{
	for (size_t i = 0; name && i < s->nlinks; i++)
		if (!strcmp(s->links[i].name, name))
			return &s->links[i];
	return NULL;
}

static struct ovs_port *find_port(struct seen *s, const char *name)
{
	for (size_t i = 0; i < s->nports; i++)
		if (!strcmp(s->ports[i].name, name))
			return &s->ports[i];
	return NULL;
}

static void parse_links(struct seen *s)
{
	size_t n = json_object_is_type(s->jl, json_type_array) ? json_object_array_length(s->jl) : 0;

	s->links = rhv_xcalloc(n ? n : 1, sizeof(*s->links));
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(s->jl, i), *info, *v;
		struct link *l = &s->links[s->nlinks];

		l->name = jstr(o, "ifname");
		if (!l->name || !strcmp(l->name, "lo"))
			continue;
		s->nlinks++;
		l->mtu = jint(o, "mtu");
		l->mac = jstr(o, "address");
		l->master = jstr(o, "master");
		l->up = jflag(o, "LOWER_UP");
		l->peer = jstr(o, "link");
		if (json_object_object_get_ex(o, "linkinfo", &info) && json_object_object_get_ex(info, "info_kind", &v))
			l->kind = json_object_get_string(v);
		l->tap = l->kind && !strcmp(l->kind, "tun");
		/* a NIC: a device of no kind, or (the lab) a veth to another namespace */
		l->nic = !l->kind || (!strcmp(l->kind, "veth") && json_object_object_get_ex(o, "link_netnsid", &v));
		if (!strcmp(l->name, "ovs-netdev") || !strcmp(l->name, "ovs-system"))
			l->nic = false;
	}
}

static void parse_addrs(struct seen *s)
{
	size_t n = json_object_is_type(s->ja, json_type_array) ? json_object_array_length(s->ja) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(s->ja, i), *ai;
		struct link *l = find_link(s, jstr(o, "ifname"));

		if (!l || !json_object_object_get_ex(o, "addr_info", &ai))
			continue;
		for (size_t k = 0; k < json_object_array_length(ai); k++) {
			json_object *a = json_object_array_get_idx(ai, k);
			const char *scope = jstr(a, "scope"), *fam = jstr(a, "family");

			if (scope && !strcmp(scope, "global") && fam && !strcmp(fam, "inet"))
				rhv_xappendf(&l->addrs, ",", "%s/%d", jstr(a, "local"), jint(a, "prefixlen"));
		}
	}
}

/* "ovs-port BRIDGE PORT TAG|- IFACE,IFACE BOND_MODE|- RHV_MODE|-" */
static void parse_ovs(struct seen *s, char *text)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		struct ovs_port *p = &s->ports[s->nports];
		char tag[16], mode[16];

		if (s->nports >= RHV_ARRAY_SIZE(s->ports) ||
		    sscanf(line, "ovs-port %63s %63s %15s %255s %31s %15s", p->bridge, p->name, tag, p->ifaces, p->bond,
			   mode) != 6)
			continue;
		p->tag = strcmp(tag, "-") ? atoi(tag) : -1;
		p->rhv_mode = strcmp(mode, "-") ? atoi(mode) : -1;
		if (!strcmp(p->bond, "-"))
			p->bond[0] = '\0';
		s->nports++;
	}
}

static int bond_mode(const struct ovs_port *p)
{
	if (p->rhv_mode >= 0)
		return p->rhv_mode;
	return !strcmp(p->bond, "balance-tcp") ? 4 : !strcmp(p->bond, "balance-slb") ? 2 : 1;
}

/* The NICs and bonds the host shows. */
static void nics_of(struct seen *s, const char *host, struct rhv_host_nic_list *out)
{
	out->items = rhv_xcalloc(s->nlinks + s->nports + 1, sizeof(*out->items));
	for (size_t i = 0; i < s->nports; i++) {
		struct ovs_port *p = &s->ports[i];
		struct rhv_host_nic *x;

		if (!p->bond[0] && !strchr(p->ifaces, ','))
			continue;
		x = &out->items[out->n++];
		x->host = rhv_xstrdup(host);
		x->name = rhv_xstrdup(p->name);
		x->kind = rhv_xstrdup("bond");
		x->bond_mode = bond_mode(p);
		x->addresses = rhv_xstrdup("");
		x->labels = rhv_xstrdup("");
		for (char *f = strtok(p->ifaces, ","); f; f = strtok(NULL, ",")) {
			struct link *l = find_link(s, f);

			if (l && !l->master)
				l->master = p->name; /* read back as the NIC's bond */
			if (l) {
				x->mtu = l->mtu;
				x->link_up |= l->up;
			}
		}
	}
	for (size_t i = 0; i < s->nlinks; i++) {
		struct link *l = &s->links[i];
		struct rhv_host_nic *x;
		const struct ovs_port *bond = NULL;

		if (!l->nic)
			continue;
		for (size_t k = 0; k < out->n; k++)
			if (!strcmp(out->items[k].name, l->master ? l->master : ""))
				bond = find_port(s, out->items[k].name);
		x = &out->items[out->n++];
		x->host = rhv_xstrdup(host);
		x->name = rhv_xstrdup(l->name);
		x->kind = rhv_xstrdup("nic");
		x->bond = bond ? rhv_xstrdup(bond->name) : NULL;
		x->bond_mode = -1;
		x->mac = l->mac ? rhv_xstrdup(l->mac) : NULL;
		x->mtu = l->mtu;
		x->link_up = l->up;
		x->addresses = rhv_xstrdup(l->addrs ? l->addrs : "");
		x->labels = rhv_xstrdup("");
	}
}

/* What the host shows of a network the store says it carries; NULL: as applied. */
static char *differs(struct seen *s, const struct rhv_ns_att *a)
{
	char port[40];

	snprintf(port, sizeof(port), "%s.%d", a->dev, a->vlan >= 0 ? a->vlan : 0);
	if (a->vm) {
		struct link *br = find_link(s, a->net);
		bool carried = false;

		if (!br || !br->kind || strcmp(br->kind, "bridge"))
			return rhv_xasprintf("bridge '%s' is missing on the host", a->net);
		if (br->mtu != a->mtu)
			return rhv_xasprintf("bridge '%s' has MTU %d on the host, not %d", a->net, br->mtu, a->mtu);
		for (size_t i = 0; i < s->nlinks; i++) {
			struct link *m = &s->links[i];
			const struct ovs_port *p;
			char peer[48];

			if (!m->master || strcmp(m->master, a->net) || m->tap)
				continue;
			if (!strcmp(m->name, a->dev) && a->vlan < 0)
				carried = true;
			snprintf(peer, sizeof(peer), "%sp", port);
			if (!strcmp(m->name, port) && (p = find_port(s, peer))) {
				if ((a->vlan < 0 ? 0 : a->vlan) != (p->tag < 0 ? 0 : p->tag))
					return rhv_xasprintf("'%s' carries VLAN %d on the host, not %d", a->net, p->tag,
							     a->vlan);
				carried = true;
			}
		}
		return carried ? NULL : rhv_xasprintf("bridge '%s' is not connected to '%s' on the host", a->net, a->dev);
	}
	if (a->vlan >= 0) {
		const struct ovs_port *p = find_port(s, port);

		if (!p || p->tag != a->vlan)
			return rhv_xasprintf("port '%s' with VLAN %d is missing on the host", port, a->vlan);
	}
	return NULL;
}

struct disc_txn {
	const struct rhv_hostnet_host *h;
	const struct rhv_host_nic_list *nics;
	struct seen *seen;
	const char *confirmed; /* the host's last confirmed setup (configuration lines) */
};

/*
 * A store that knows none of the host's networks (a fresh store, a host
 * removed and added again) takes those of the setup the host confirmed
 * last, as the engine takes what vdsm reports: else the next setup would
 * tear the host's bridges down, its management address with them.
 */
static int adopt(struct rhv_db *db, const struct disc_txn *t, struct rhv_ns_state *st, struct rhv_error *err)
{
	_cleanup_free_ struct rhv_ns_def *defs = NULL;
	_cleanup_free_ char *what = NULL;
	struct rhv_ns_state host, out;
	size_t ndefs;

	if (st->natt || !t->confirmed || !*t->confirmed)
		return 0;
	rhv_hostnet_config_parse(t->confirmed, &host);
	if (!host.natt && !host.ndev)
		return 0;
	if (rhv_db_hostnet_defs(db, t->h->id, &defs, &ndefs, err) < 0)
		return -1;
	if (!rhv_ns_adopt(st, &host, defs, ndefs, &out))
		return 0;
	for (size_t i = 0; i < out.natt; i++)
		rhv_xappendf(&what, ", ", "%s on %s", out.att[i].net, out.att[i].dev);
	for (size_t i = 0; i < out.ndev; i++) /* out.dev is st's, in its order */
		if (strcmp(out.dev[i].labels, st->dev[i].labels))
			rhv_xappendf(&what, ", ", "label %s on %s", out.dev[i].labels, out.dev[i].name);
	if (rhv_db_hostnet_save(db, t->h->id, &out, err) < 0 ||
	    rhv_event_add(db, RHV_SEV_NORMAL, "host", t->h->id, t->h->name, "network-adopt", err,
			  "the store knew no networks of host '%s': taken from the setup the host confirmed last: %s",
			  t->h->name, what) < 0)
		return -1;
	return rhv_db_hostnet_state(db, t->h->id, st, err);
}

static int discover_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct disc_txn *t = arg;
	struct rhv_ns_state st;

	if (rhv_db_host_nics_replace(db, t->h->id, t->nics->items, t->nics->n, err) < 0 ||
	    rhv_db_hostnet_state(db, t->h->id, &st, err) < 0 || adopt(db, t, &st, err) < 0)
		return -1;
	for (size_t i = 0; i < st.natt; i++) {
		_cleanup_free_ char *why = differs(t->seen, &st.att[i]);

		if (rhv_db_hostnet_set_sync(db, t->h->id, st.att[i].net, why, err) < 0)
			return -1;
	}
	return 0;
}

/* Split the script's output at its "--" lines into the four parts. */
static int parts(char *out, char *part[4])
{
	int n = 0;
	char *p = out;

	part[n++] = out;
	while (*p && n < 4) {
		char *nl = strchr(p, '\n');

		if (!strncmp(p, "--\n", 3)) {
			*p = '\0';
			part[n++] = p + 3;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return n;
}

int rhv_hostnet_read(const struct rhv_fence_pm *pm, const struct rhv_hostnet_host *h, struct rhv_db *db,
		     struct rhv_error *err)
{
	struct rhv_hostnet_run run;
	struct rhv_host_nic_list nics = { 0 };
	struct seen s = { 0 };
	char *part[4];
	int rc = -1, nparts = 0;

	if (rhv_hostnet_ssh(pm, "discover", NULL, 0, NULL, 60, &run, err) < 0)
		return -1;
	if (run.status != 0 || !run.out || (nparts = parts(run.out, part)) < 3) {
		/* ssh ends its own messages with CR LF: the message is one line */
		for (size_t n = run.errout ? strlen(run.errout) : 0; n && strchr("\r\n \t", run.errout[n - 1]); n--)
			run.errout[n - 1] = '\0';
		rhv_error_set(err, run.status == 255 || run.timed_out ? RHV_EXIT_UNAVAILABLE : RHV_EXIT_FAILED,
			      "cannot discover the NICs of host '%s' (exit %d)%s%s", h->name, run.status,
			      run.errout && *run.errout ? ": " : "", run.errout ? run.errout : "");
		goto out;
	}
	s.jl = json_tokener_parse(part[0]);
	s.ja = json_tokener_parse(part[1]);
	if (!s.jl || !s.ja) {
		rhv_error_set(err, RHV_EXIT_FAILED, "host '%s' answered no JSON from 'ip -j'", h->name);
		goto out;
	}
	parse_links(&s);
	parse_addrs(&s);
	parse_ovs(&s, part[2]);
	nics_of(&s, h->name, &nics);
	rc = rhv_db_txn(db, discover_txn,
			&(struct disc_txn){ h, &nics, &s, nparts == 4 ? part[3] : NULL }, err);
out:
	for (size_t i = 0; i < s.nlinks; i++)
		free(s.links[i].addrs);
	free(s.links);
	json_object_put(s.jl);
	json_object_put(s.ja);
	rhv_host_nic_list_clear(&nics);
	rhv_hostnet_run_clear(&run);
	return rc;
}

int rhv_hostnet_discover(struct rhv_db *db, const char *host, struct rhv_host_nic_list *out, struct rhv_error *err)
{
	struct rhv_hostnet_host h;
	struct rhv_fence_pm pm;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&pm, 0, sizeof(pm));
	if (rhv_db_hostnet_host(db, host, false, &h, err) < 0 || rhv_fence_pm_get(db, h.name, &pm, err) < 0) {
		rhv_fence_pm_clear(&pm);
		return -1;
	}
	rc = rhv_hostnet_read(&pm, &h, db, err);
	rhv_fence_pm_clear(&pm);
	return rc < 0 ? -1 : rhv_host_nic_list(db, h.id, out, err);
}
