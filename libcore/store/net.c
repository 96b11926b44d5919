/*
 * Logical networks of a data center and their attachment to clusters
 * (reference 3.10-3.12): rows and rules.  vNIC profiles are in
 * vnicprofile.c, MAC pools in macpool.c.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/hostnet.h"
#include "store/net.h"
#include "store/store-priv.h"
#include "rhv/event.h"
#include "rhv/net.h"
#include "rhv/parse.h"
#include "rhv/validate.h"

static const char *const role_names[] = { "management", "display", "migration", NULL };

static const char select_net[] =
	"SELECT n.id, n.name, d.name AS dc, n.description, n.label, n.vm_network, n.vlan, n.mtu,"
	" (SELECT count(*) FROM cluster_networks cn WHERE cn.network_id = n.id) AS clusters,"
	" (SELECT count(*) FROM vnic_profiles p WHERE p.network_id = n.id) AS profiles,"
	" (SELECT count(*) FROM vm_nics x JOIN vnic_profiles p ON p.id = x.profile_id"
	"  WHERE p.network_id = n.id) AS vnics,"
	" extract(epoch FROM n.created_at)::bigint AS created, extract(epoch FROM n.updated_at)::bigint AS updated";

static void fill_net(const PGresult *r, int i, struct rhv_net *n)
{
	snprintf(n->id, sizeof(n->id), "%s", rhv_pq_str(r, i, "id"));
	n->name = rhv_pq_dup(r, i, "name");
	n->dc = rhv_pq_dup(r, i, "dc");
	n->description = rhv_pq_dup(r, i, "description");
	n->label = rhv_pq_dup(r, i, "label");
	n->vm_network = rhv_pq_bool(r, i, "vm_network");
	n->vlan = rhv_pq_str(r, i, "vlan") ? (int)rhv_pq_int(r, i, "vlan") : -1;
	n->mtu = rhv_pq_str(r, i, "mtu") ? (int)rhv_pq_int(r, i, "mtu") : 0;
	n->clusters = rhv_pq_int(r, i, "clusters");
	n->profiles = rhv_pq_int(r, i, "profiles");
	n->vnics = rhv_pq_int(r, i, "vnics");
	n->created = rhv_pq_int(r, i, "created");
	n->updated = rhv_pq_int(r, i, "updated");
	if (PQfnumber(r, "cluster") >= 0) {
		n->cluster = rhv_pq_dup(r, i, "cluster");
		n->required = rhv_pq_bool(r, i, "required");
		n->management = rhv_pq_bool(r, i, "management");
		n->display = rhv_pq_bool(r, i, "display");
		n->migration = rhv_pq_bool(r, i, "migration");
	}
}

void rhv_net_clear(struct rhv_net *n)
{
	free(n->name);
	free(n->dc);
	free(n->description);
	free(n->label);
	free(n->cluster);
	memset(n, 0, sizeof(*n));
}

RHV_DEFINE_LIST_CLEAR(net)

/*
 * The network name (or id) in the data center of id dc_id (NULL: any), its
 * row locked as lock says.  dc_name only words the messages.
 */
int rhv_db_net_find(struct rhv_db *db, const char *name, const char *dc_id, const char *dc_name, int lock,
		    struct rhv_net *out, struct rhv_error *err)
{
	static const char *const clause[] = {
		[RHV_DB_NO_LOCK] = "", [RHV_DB_FOR_UPDATE] = " FOR UPDATE OF n", [RHV_DB_FOR_SHARE] = " FOR SHARE OF n",
	};
	_cleanup_free_ char *sql = rhv_xasprintf(
		"%s FROM networks n JOIN data_centers d ON d.id = n.dc_id"
		" WHERE (n.name = $1 OR (n.id::text = $1 AND NOT EXISTS (SELECT 1 FROM networks x WHERE x.name = $1)))"
		" AND ($2::uuid IS NULL OR n.dc_id = $2) ORDER BY d.name%s",
		select_net, clause[lock]);
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_check_lookup_name(name, "network", err) < 0)
		return -1;
	if (rhv_db_exec(db, sql, RHV_PARAMS(name, dc_id), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0) {
		if (dc_name)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find network '%s' in data center '%s'", name,
					     dc_name);
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find network '%s'", name);
	}
	if (PQntuples(r) > 1) {
		_cleanup_free_ char *dcs = NULL;

		for (int i = 0; i < PQntuples(r); i++)
			rhv_xappendf(&dcs, ", ", "%s", rhv_pq_str(r, i, "dc"));
		rhv_error_usage(err, "network '%s' is ambiguous: data centers %s have one of that name", name, dcs);
		rhv_error_hint(err, "say which with --dc");
		return -1;
	}
	fill_net(r, 0, out);
	return 0;
}

/* dc (name or id) -> its id and name; dc NULL leaves both empty. */
int rhv_db_net_dc(struct rhv_db *db, const char *dc, char id[37], char name[64], struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	id[0] = name[0] = '\0';
	if (!dc)
		return 0;
	if (rhv_db_get_by_name(db, "SELECT d.id, d.name FROM data_centers d", "d", "data_centers", false,
			       "data center", dc, &r, err) < 0)
		return -1;
	snprintf(id, 37, "%s", rhv_pq_str(r, 0, "id"));
	snprintf(name, 64, "%s", rhv_pq_str(r, 0, "name"));
	return 0;
}

int rhv_net_get(struct rhv_db *db, const char *name, const char *dc, struct rhv_net *out, struct rhv_error *err)
{
	char dc_id[37], dc_name[64];

	memset(out, 0, sizeof(*out));
	if (rhv_db_net_dc(db, dc, dc_id, dc_name, err) < 0)
		return -1;
	return rhv_db_net_find(db, name, dc ? dc_id : NULL, dc ? dc_name : NULL, RHV_DB_NO_LOCK, out, err);
}

int rhv_net_list(struct rhv_db *db, const char *dc, const char *cluster, struct rhv_net_list *out,
		 struct rhv_error *err)
{
	_cleanup_free_ char *sql = NULL;
	_cleanup_pgresult_ PGresult *r = NULL;
	char dc_id[37], dc_name[64], cluster_id[37] = "";

	memset(out, 0, sizeof(*out));
	if (rhv_db_net_dc(db, dc, dc_id, dc_name, err) < 0)
		return -1;
	if (cluster) {
		_cleanup_pgresult_ PGresult *c = NULL;

		if (rhv_db_get_by_name(db, "SELECT c.id FROM clusters c", "c", "clusters", false, "cluster", cluster, &c,
				       err) < 0)
			return -1;
		snprintf(cluster_id, sizeof(cluster_id), "%s", rhv_pq_str(c, 0, "id"));
		sql = rhv_xasprintf("%s, c.name AS cluster, cn.required, cn.management, cn.display, cn.migration"
				    " FROM networks n JOIN data_centers d ON d.id = n.dc_id"
				    " JOIN cluster_networks cn ON cn.network_id = n.id JOIN clusters c ON c.id = cn.cluster_id"
				    " WHERE cn.cluster_id = $2 AND ($1::uuid IS NULL OR n.dc_id = $1) ORDER BY n.name",
				    select_net);
	} else {
		sql = rhv_xasprintf("%s FROM networks n JOIN data_centers d ON d.id = n.dc_id"
				    " WHERE ($1::uuid IS NULL OR n.dc_id = $1) AND $2::uuid IS NULL ORDER BY d.name, n.name",
				    select_net);
	}
	if (rhv_db_exec(db, sql, RHV_PARAMS(dc ? dc_id : NULL, cluster ? cluster_id : NULL), &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, fill_net);
	return 0;
}

/* ---- create, edit, remove ---- */

/* A spec's values, checked, as the store takes them. */
struct net_values {
	const struct rhv_net_spec *s;
	bool vm, clear_vlan, clear_mtu, clear_label;
	char vlan[16], mtu[16];
};

/* Labels (reference 3.9): letters, digits, '_' and '-'. */
static int check_label(const char *label, struct rhv_error *err)
{
	if (strlen(label) > RHV_NET_NAME_MAX)
		return rhv_error_usage(err, "invalid label '%s': longer than %d characters", label, RHV_NET_NAME_MAX);
	for (const char *p = label; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			return rhv_error_usage(err, "invalid label '%s': only letters, digits, '_' and '-' are allowed",
					       label);
	return 0;
}

static int check_spec(const struct rhv_net_spec *s, bool creating, struct net_values *v, struct rhv_error *err)
{
	int64_t n;

	memset(v, 0, sizeof(*v));
	v->s = s;
	v->vm = true;
	if (rhv_check_name(s->name, creating ? RHV_NET_NAME_MAX : 1024, "network name", err) < 0)
		return -1;
	if (creating && strchr(s->name, '/'))
		return rhv_error_usage(err, "invalid network name '%s': '/' is not allowed", s->name);
	if (s->new_name && (rhv_check_name(s->new_name, RHV_NET_NAME_MAX, "new network name", err) < 0))
		return -1;
	if (s->new_name && strchr(s->new_name, '/'))
		return rhv_error_usage(err, "invalid network name '%s': '/' is not allowed", s->new_name);
	if (s->description && rhv_check_text(s->description, RHV_DESCRIPTION_MAX, "description", err) < 0)
		return -1;
	if (s->vm_network && rhv_parse_bool(s->vm_network, "--vm-network", &v->vm, err) < 0)
		return -1;
	if (s->vlan && !creating && !strcmp(s->vlan, "none"))
		v->clear_vlan = true;
	else if (s->vlan) {
		if (rhv_parse_int(s->vlan, 0, 4094, "VLAN tag", &n, err) < 0)
			return -1;
		snprintf(v->vlan, sizeof(v->vlan), "%lld", (long long)n);
	}
	if (s->mtu && !creating && !strcmp(s->mtu, "default"))
		v->clear_mtu = true;
	else if (s->mtu) {
		if (rhv_parse_int(s->mtu, 68, 65535, "MTU", &n, err) < 0)
			return -1;
		snprintf(v->mtu, sizeof(v->mtu), "%lld", (long long)n);
	}
	if (s->label && !creating && !s->label[0])
		v->clear_label = true;
	else if (s->label && check_label(s->label, err) < 0)
		return -1;
	if (creating && !s->dc)
		return rhv_error_usage(err, "a network needs --dc");
	return 0;
}

static int default_profile(struct rhv_db *db, const char *net_id, const char *name, struct rhv_error *err)
{
	return rhv_db_command(db,
			      "INSERT INTO vnic_profiles (network_id, name) VALUES ($1, $2)"
			      " ON CONFLICT (network_id, name) DO NOTHING",
			      RHV_PARAMS(net_id, name), NULL, err);
}

int rhv_db_net_dc_defaults(struct rhv_db *db, const char *dc_id, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"INSERT INTO networks (dc_id, name, description) VALUES ($1, $2, 'Management Network')"
			" RETURNING id",
			RHV_PARAMS(dc_id, RHV_MGMT_NETWORK_NAME), &r, err) < 0)
		return -1;
	if (default_profile(db, PQgetvalue(r, 0, 0), RHV_MGMT_NETWORK_NAME, err) < 0)
		return -1;
	if (rhv_db_command(db, "INSERT INTO mac_pools (dc_id) VALUES ($1)", RHV_PARAMS(dc_id), NULL, err) < 0)
		return -1;
	return rhv_db_command(db, "INSERT INTO mac_pool_ranges (dc_id, first_mac, last_mac) VALUES ($1, $2, $3)",
			      RHV_PARAMS(dc_id, RHV_MAC_POOL_DEFAULT_FIRST, RHV_MAC_POOL_DEFAULT_LAST), NULL, err);
}

int rhv_db_net_cluster_defaults(struct rhv_db *db, const char *cluster_id, struct rhv_error *err)
{
	return rhv_db_command(db,
			      "INSERT INTO cluster_networks (cluster_id, network_id, management, display, migration)"
			      " SELECT c.id, n.id, true, true, true FROM clusters c JOIN networks n ON n.dc_id = c.dc_id"
			      " WHERE c.id = $1 AND n.name = $2",
			      RHV_PARAMS(cluster_id, RHV_MGMT_NETWORK_NAME), NULL, err);
}

/* "VM network, VLAN 10, MTU 9000, label x" for events */
static char *describe_new(const struct net_values *v)
{
	char *what = NULL;

	rhv_xappendf(&what, ", ", "%s", v->vm ? "VM network" : "not a VM network");
	if (v->vlan[0])
		rhv_xappendf(&what, ", ", "VLAN %s", v->vlan);
	if (v->mtu[0])
		rhv_xappendf(&what, ", ", "MTU %s", v->mtu);
	if (v->s->label)
		rhv_xappendf(&what, ", ", "label %s", v->s->label);
	return what;
}

static int create_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"INSERT INTO networks (dc_id, name, description, vm_network, vlan, mtu, label)"
		" VALUES ($1, $2, coalesce($3, ''), $4, $5::int, $6::int, $7) RETURNING id";
	const struct net_values *v = arg;
	const struct rhv_net_spec *s = v->s;
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_pgresult_ PGresult *d = NULL;
	_cleanup_free_ char *what = NULL;
	const char *id;

	/* shared: the data center stays until we commit */
	if (rhv_db_get_by_name(db, "SELECT d.id, d.name FROM data_centers d", "d", "data_centers", RHV_DB_FOR_SHARE,
			       "data center", s->dc, &d, err) < 0)
		return -1;
	if (rhv_db_exec(db, sql,
			RHV_PARAMS(rhv_pq_str(d, 0, "id"), s->name, s->description, v->vm ? "true" : "false",
				   v->vlan[0] ? v->vlan : NULL, v->mtu[0] ? v->mtu : NULL, s->label),
			&r, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			rhv_error_replace(err, RHV_EXIT_CONFLICT, "network '%s' already exists in data center '%s'", s->name,
					  rhv_pq_str(d, 0, "name"));
		return -1;
	}
	id = PQgetvalue(r, 0, 0);
	if (v->vm && default_profile(db, id, s->name, err) < 0)
		return -1;
	what = describe_new(v);
	return rhv_event_add(db, RHV_SEV_NORMAL, "network", id, s->name, "create", err,
			     "network '%s' created in data center '%s' (%s)", s->name, rhv_pq_str(d, 0, "name"), what);
}

int rhv_net_create(struct rhv_db *db, const struct rhv_net_spec *spec, struct rhv_error *err)
{
	struct net_values v;

	if (check_spec(spec, true, &v, err) < 0)
		return -1;
	return rhv_db_txn(db, create_txn, &v, err);
}

/* The VMs whose NICs use the network's profiles (of the cluster, if given), for messages; NULL: none. */
static char *vms_on(struct rhv_db *db, const char *net_id, const char *cluster_id, int64_t *count,
		    struct rhv_error *err)
{
	static const char sql[] =
		"SELECT array_to_string((array_agg(DISTINCT v.name))[1:3], ', ') AS names, count(DISTINCT v.id) AS n"
		" FROM vm_nics x JOIN vnic_profiles p ON p.id = x.profile_id JOIN vms v ON v.id = x.vm_id"
		" WHERE p.network_id = $1 AND ($2::uuid IS NULL OR v.cluster_id = $2)";
	_cleanup_pgresult_ PGresult *r = NULL;

	*count = -1;
	if (rhv_db_exec(db, sql, RHV_PARAMS(net_id, cluster_id), &r, err) < 0)
		return NULL;
	*count = rhv_pq_int(r, 0, "n");
	return *count ? rhv_xasprintf("%s%s", rhv_pq_str(r, 0, "names"), *count > 3 ? " and others" : "") : NULL;
}

/* what: "remove network 'x'" */
static int in_use(struct rhv_error *err, const char *what, const char *vms, int64_t n)
{
	rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot %s: %s of VM%s %s use%s it", what, n == 1 ? "a NIC" : "NICs",
		      n == 1 ? "" : "s", vms, n == 1 ? "s" : "");
	rhv_error_hint(err, "'rhv-vm edit VM --remove-nic MAC' takes a NIC off");
	return -1;
}

static int edit_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE networks SET name = coalesce($2, name), description = coalesce($3, description),"
		" vm_network = coalesce($4::boolean, vm_network),"
		" vlan = CASE WHEN $8 THEN NULL ELSE coalesce($5::int, vlan) END,"
		" mtu = CASE WHEN $9 THEN NULL ELSE coalesce($6::int, mtu) END,"
		" label = CASE WHEN $10 THEN NULL ELSE coalesce($7, label) END, updated_at = now() WHERE id = $1";
	const struct net_values *v = arg;
	const struct rhv_net_spec *s = v->s;
	_cleanup_free_ char *what = NULL;
	char dc_id[37], dc_name[64];
	struct rhv_net cur;
	int rc = -1;

	memset(&cur, 0, sizeof(cur));
	if (rhv_db_net_dc(db, s->dc, dc_id, dc_name, err) < 0 ||
	    rhv_db_net_find(db, s->name, s->dc ? dc_id : NULL, s->dc ? dc_name : NULL, RHV_DB_FOR_UPDATE, &cur, err) < 0)
		goto out;
	if (s->new_name && strcmp(s->new_name, cur.name) && !strcmp(cur.name, RHV_MGMT_NETWORK_NAME)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot rename the management network '%s'", cur.name);
		goto out;
	}
	if (s->vm_network && !v->vm && cur.vm_network) {
		_cleanup_free_ char *vms = NULL;
		int64_t n;

		vms = vms_on(db, cur.id, NULL, &n, err);
		if (n < 0)
			goto out;
		if (n) {
			_cleanup_free_ char *action = rhv_xasprintf("make network '%s' a non-VM network", cur.name);

			in_use(err, action, vms, n);
			goto out;
		}
		/* no NIC uses them: a non-VM network has no profiles */
		if (rhv_db_command(db, "DELETE FROM vnic_profiles WHERE network_id = $1", RHV_PARAMS(cur.id), NULL,
				   err) < 0)
			goto out;
	}
	if (rhv_db_command(db, sql,
			   RHV_PARAMS(cur.id, s->new_name, s->description, s->vm_network ? (v->vm ? "true" : "false") : NULL,
				      v->vlan[0] ? v->vlan : NULL, v->mtu[0] ? v->mtu : NULL, v->clear_label ? NULL : s->label,
				      v->clear_vlan ? "true" : "false", v->clear_mtu ? "true" : "false",
				      v->clear_label ? "true" : "false"),
			   NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			rhv_error_replace(err, RHV_EXIT_CONFLICT, "network '%s' already exists in data center '%s'",
					  s->new_name, cur.dc);
		goto out;
	}
	if (s->vm_network && v->vm && !cur.vm_network &&
	    default_profile(db, cur.id, s->new_name ? s->new_name : cur.name, err) < 0)
		goto out;
	/* its default profile keeps its name, so that the network's name alone still names it */
	if (s->new_name && rhv_db_command(db,
					  "UPDATE vnic_profiles SET name = $3, updated_at = now() WHERE network_id = $1"
					  " AND name = $2 AND NOT EXISTS (SELECT 1 FROM vnic_profiles x"
					  "  WHERE x.network_id = $1 AND x.name = $3)",
					  RHV_PARAMS(cur.id, cur.name, s->new_name), NULL, err) < 0)
		goto out;
	/* the NICs' network column names it as it is now */
	if (s->new_name && rhv_db_command(db,
					  "UPDATE vm_nics x SET network = $2 FROM vnic_profiles p"
					  " WHERE p.id = x.profile_id AND p.network_id = $1",
					  RHV_PARAMS(cur.id, s->new_name), NULL, err) < 0)
		goto out;
	/* hosts carrying it differ from its definition now (host-setup --sync) */
	if (rhv_db_hostnet_mark_sync(db, cur.id, err) < 0)
		goto out;
	if (s->new_name)
		rhv_xappendf(&what, ", ", "name %s", s->new_name);
	if (s->description)
		rhv_xappendf(&what, ", ", "description");
	if (s->vm_network)
		rhv_xappendf(&what, ", ", "%s", v->vm ? "VM network" : "not a VM network");
	if (v->clear_vlan)
		rhv_xappendf(&what, ", ", "untagged");
	else if (v->vlan[0])
		rhv_xappendf(&what, ", ", "VLAN %s", v->vlan);
	if (v->clear_mtu)
		rhv_xappendf(&what, ", ", "default MTU");
	else if (v->mtu[0])
		rhv_xappendf(&what, ", ", "MTU %s", v->mtu);
	if (v->clear_label)
		rhv_xappendf(&what, ", ", "no label");
	else if (s->label)
		rhv_xappendf(&what, ", ", "label %s", s->label);
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "network", cur.id, s->new_name ? s->new_name : cur.name, "edit", err,
			   "network '%s' of data center '%s' changed: %s", cur.name, cur.dc, what);
out:
	rhv_net_clear(&cur);
	return rc;
}

int rhv_net_edit(struct rhv_db *db, const struct rhv_net_spec *spec, struct rhv_error *err)
{
	struct net_values v;

	if (check_spec(spec, false, &v, err) < 0)
		return -1;
	if (!spec->new_name && !spec->description && !spec->vm_network && !spec->vlan && !spec->mtu && !spec->label)
		return rhv_error_usage(err, "nothing to change: give at least one option");
	return rhv_db_txn(db, edit_txn, &v, err);
}

struct remove_args {
	const char *name, *dc;
};

static int remove_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct remove_args *a = arg;
	_cleanup_free_ char *vms = NULL;
	char dc_id[37], dc_name[64];
	struct rhv_net cur;
	int64_t n;
	int rc = -1;

	memset(&cur, 0, sizeof(cur));
	if (rhv_db_net_dc(db, a->dc, dc_id, dc_name, err) < 0 ||
	    rhv_db_net_find(db, a->name, a->dc ? dc_id : NULL, a->dc ? dc_name : NULL, RHV_DB_FOR_UPDATE, &cur, err) < 0)
		goto out;
	if (!strcmp(cur.name, RHV_MGMT_NETWORK_NAME)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot remove the management network '%s' of data center '%s'",
			      cur.name, cur.dc);
		goto out;
	}
	vms = vms_on(db, cur.id, NULL, &n, err);
	if (n < 0)
		goto out;
	if (n) {
		_cleanup_free_ char *what = rhv_xasprintf("remove network '%s'", cur.name);

		in_use(err, what, vms, n);
		goto out;
	}
	if (cur.clusters) {
		_cleanup_pgresult_ PGresult *r = NULL;

		if (rhv_db_exec(db,
				"SELECT array_to_string((array_agg(c.name ORDER BY c.name))[1:3], ', ') AS names"
				" FROM cluster_networks cn JOIN clusters c ON c.id = cn.cluster_id WHERE cn.network_id = $1",
				RHV_PARAMS(cur.id), &r, err) < 0)
			goto out;
		rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot remove network '%s': it is attached to %s %s%s", cur.name,
			      cur.clusters == 1 ? "cluster" : "clusters", rhv_pq_str(r, 0, "names"),
			      cur.clusters > 3 ? " and others" : "");
		rhv_error_hint(err, "'rhv-net detach %s --cluster CLUSTER' detaches it", cur.name);
		goto out;
	}
	if (rhv_db_command(db, "DELETE FROM networks WHERE id = $1", RHV_PARAMS(cur.id), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23503"))
			rhv_error_replace(err, RHV_EXIT_CONFLICT, "network '%s' is in use", cur.name);
		goto out;
	}
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "network", cur.id, cur.name, "remove", err,
			   "network '%s' removed from data center '%s'", cur.name, cur.dc);
out:
	rhv_net_clear(&cur);
	return rc;
}

int rhv_net_remove(struct rhv_db *db, const char *name, const char *dc, struct rhv_error *err)
{
	struct remove_args a = { name, dc };

	if (rhv_check_name(name, 1024, "network name", err) < 0)
		return -1;
	return rhv_db_txn(db, remove_txn, &a, err);
}

/* ---- clusters ---- */

struct cluster_ref {
	char id[37], dc_id[37];
	char name[64], dc[64];
	int64_t hosts;
};

/* The cluster, locked: one change of its networks at a time. */
static int lock_cluster(struct rhv_db *db, const char *name, struct cluster_ref *c, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_get_by_name(db,
			       "SELECT c.id, c.name, c.dc_id, d.name AS dc,"
			       " (SELECT count(*) FROM hosts h WHERE h.cluster_id = c.id) AS hosts"
			       " FROM clusters c JOIN data_centers d ON d.id = c.dc_id",
			       "c", "clusters", RHV_DB_FOR_UPDATE, "cluster", name, &r, err) < 0)
		return -1;
	snprintf(c->id, sizeof(c->id), "%s", rhv_pq_str(r, 0, "id"));
	snprintf(c->dc_id, sizeof(c->dc_id), "%s", rhv_pq_str(r, 0, "dc_id"));
	snprintf(c->name, sizeof(c->name), "%s", rhv_pq_str(r, 0, "name"));
	snprintf(c->dc, sizeof(c->dc), "%s", rhv_pq_str(r, 0, "dc"));
	c->hosts = rhv_pq_int(r, 0, "hosts");
	return 0;
}

/* The network of a cluster's data center (--dc, when given, must be that one). */
static int net_of_cluster(struct rhv_db *db, const char *name, const char *dc, const struct cluster_ref *c,
			  enum rhv_db_lock lock, struct rhv_net *out, struct rhv_error *err)
{
	char dc_id[37], dc_name[64];

	memset(out, 0, sizeof(*out));
	if (rhv_db_net_dc(db, dc, dc_id, dc_name, err) < 0)
		return -1;
	if (dc && strcmp(dc_id, c->dc_id))
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "cluster '%s' is in data center '%s', not in '%s': networks of one data center attach "
				     "to its own clusters only",
				     c->name, c->dc, dc_name);
	return rhv_db_net_find(db, name, c->dc_id, c->dc, lock, out, err);
}

struct attach_args {
	const struct rhv_net_attach_spec *s;
	bool required, required_given;
	bool role[3];
};

static int attach_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct attach_args *a = arg;
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_free_ char *what = NULL;
	struct cluster_ref c;
	struct rhv_net net;
	bool attached, required, had[3] = { false, false, false };
	int rc = -1;

	memset(&net, 0, sizeof(net));
	if (lock_cluster(db, a->s->cluster, &c, err) < 0 ||
	    net_of_cluster(db, a->s->network, a->s->dc, &c, RHV_DB_FOR_SHARE, &net, err) < 0)
		goto out;
	if (rhv_db_exec(db,
			"SELECT required, management, display, migration FROM cluster_networks"
			" WHERE cluster_id = $1 AND network_id = $2",
			RHV_PARAMS(c.id, net.id), &r, err) < 0)
		goto out;
	attached = PQntuples(r) == 1;
	if (attached) {
		for (int k = 0; k < 3; k++)
			had[k] = rhv_pq_bool(r, 0, role_names[k]);
		if (!a->required_given && !a->role[0] && !a->role[1] && !a->role[2]) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "network '%s' is already attached to cluster '%s'", net.name,
				      c.name);
			rhv_error_hint(err, "give --required or --role to change the attachment");
			goto out;
		}
	}
	required = a->required_given ? a->required : attached ? rhv_pq_bool(r, 0, "required") : true;
	if (!required && (had[0] || a->role[0])) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "the management network of cluster '%s' must be required", c.name);
		goto out;
	}
	if (a->role[0] && !had[0] && c.hosts) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "cannot move the management role of cluster '%s' to network '%s': the cluster has hosts",
			      c.name, net.name);
		rhv_error_hint(err, "as in RHV, the management network changes only in a cluster without hosts");
		goto out;
	}
	if (attached) {
		if (rhv_db_command(db, "UPDATE cluster_networks SET required = $3 WHERE cluster_id = $1 AND network_id = $2",
				   RHV_PARAMS(c.id, net.id, required ? "true" : "false"), NULL, err) < 0)
			goto out;
	} else if (rhv_db_command(db, "INSERT INTO cluster_networks (cluster_id, network_id, required) VALUES ($1, $2, $3)",
				  RHV_PARAMS(c.id, net.id, required ? "true" : "false"), NULL, err) < 0)
		goto out;
	for (int k = 0; k < 3; k++) {
		_cleanup_pgresult_ PGresult *from = NULL;

		if (!a->role[k] || had[k])
			continue;
		/* the role moves: who had it? */
		{
			_cleanup_free_ char *q = rhv_xasprintf(
				"SELECT n.name FROM cluster_networks cn JOIN networks n ON n.id = cn.network_id"
				" WHERE cn.cluster_id = $1 AND cn.%s",
				role_names[k]);

			if (rhv_db_exec(db, q, RHV_PARAMS(c.id), &from, err) < 0)
				goto out;
		}
		/* two steps: the index allows one holder at any moment */
		{
			_cleanup_free_ char *off = rhv_xasprintf(
				"UPDATE cluster_networks SET %s = false WHERE cluster_id = $1 AND %s AND network_id <> $2",
				role_names[k], role_names[k]);
			_cleanup_free_ char *on = rhv_xasprintf(
				"UPDATE cluster_networks SET %s = true WHERE cluster_id = $1 AND network_id = $2",
				role_names[k]);

			if (rhv_db_command(db, off, RHV_PARAMS(c.id, net.id), NULL, err) < 0 ||
			    rhv_db_command(db, on, RHV_PARAMS(c.id, net.id), NULL, err) < 0)
				goto out;
		}
		if (PQntuples(from))
			rhv_xappendf(&what, ", ", "%s role from '%s'", role_names[k], PQgetvalue(from, 0, 0));
		else
			rhv_xappendf(&what, ", ", "%s role", role_names[k]);
	}
	if (attached)
		rc = rhv_event_add(db, RHV_SEV_NORMAL, "network", net.id, net.name, "attach", err,
				   "network '%s' in cluster '%s' changed: %s%s%s", net.name, c.name,
				   required ? "required" : "optional", what ? ", " : "", what ? what : "");
	else
		rc = rhv_event_add(db, RHV_SEV_NORMAL, "network", net.id, net.name, "attach", err,
				   "network '%s' attached to cluster '%s' (%s%s%s)", net.name, c.name,
				   required ? "required" : "optional", what ? ", " : "", what ? what : "");
out:
	rhv_net_clear(&net);
	return rc;
}

int rhv_net_attach(struct rhv_db *db, const struct rhv_net_attach_spec *spec, struct rhv_error *err)
{
	struct attach_args a = { .s = spec };

	if (rhv_check_name(spec->network, 1024, "network name", err) < 0 ||
	    rhv_check_name(spec->cluster, 1024, "cluster name", err) < 0)
		return -1;
	if (spec->required) {
		if (rhv_parse_bool(spec->required, "--required", &a.required, err) < 0)
			return -1;
		a.required_given = true;
	}
	for (const char *const *r = spec->roles; r && *r; r++) {
		int k = rhv_parse_enum(*r, role_names, "network role", err);

		if (k < 0)
			return -1;
		a.role[k] = true;
	}
	if (a.required_given && !a.required && a.role[0])
		return rhv_error_usage(err, "the management network must be required: --role management needs --required yes");
	return rhv_db_txn(db, attach_txn, &a, err);
}

struct detach_args {
	const char *network, *dc, *cluster;
};

static int detach_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct detach_args *a = arg;
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_free_ char *vms = NULL;
	_cleanup_free_ char *what = NULL;
	struct cluster_ref c;
	struct rhv_net net;
	int64_t n;
	int rc = -1;

	memset(&net, 0, sizeof(net));
	if (lock_cluster(db, a->cluster, &c, err) < 0 ||
	    net_of_cluster(db, a->network, a->dc, &c, RHV_DB_FOR_SHARE, &net, err) < 0)
		goto out;
	if (rhv_db_exec(db,
			"SELECT management, display, migration FROM cluster_networks WHERE cluster_id = $1 AND network_id = $2",
			RHV_PARAMS(c.id, net.id), &r, err) < 0)
		goto out;
	if (PQntuples(r) == 0) {
		rhv_error_set(err, RHV_EXIT_NOTFOUND, "network '%s' is not attached to cluster '%s'", net.name, c.name);
		goto out;
	}
	if (rhv_pq_bool(r, 0, "management")) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "cannot detach network '%s' from cluster '%s': it is the cluster's management network", net.name,
			      c.name);
		rhv_error_hint(err, "'rhv-net attach OTHER --cluster %s --role management' moves the role first", c.name);
		goto out;
	}
	vms = vms_on(db, net.id, c.id, &n, err);
	if (n < 0)
		goto out;
	if (n) {
		_cleanup_free_ char *verb = rhv_xasprintf("detach network '%s' from cluster '%s'", net.name, c.name);

		in_use(err, verb, vms, n);
		goto out;
	}
	if (rhv_db_command(db, "DELETE FROM cluster_networks WHERE cluster_id = $1 AND network_id = $2",
			   RHV_PARAMS(c.id, net.id), NULL, err) < 0)
		goto out;
	/* a role goes back to the management network */
	for (int k = 1; k < 3; k++) {
		_cleanup_free_ char *q = NULL;

		if (!rhv_pq_bool(r, 0, role_names[k]))
			continue;
		q = rhv_xasprintf("UPDATE cluster_networks SET %s = true WHERE cluster_id = $1 AND management",
				  role_names[k]);
		if (rhv_db_command(db, q, RHV_PARAMS(c.id), NULL, err) < 0)
			goto out;
		rhv_xappendf(&what, ", ", "%s role", role_names[k]);
	}
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "network", net.id, net.name, "detach", err,
			   "network '%s' detached from cluster '%s'%s%s%s", net.name, c.name,
			   what ? " (" : "", what ? what : "", what ? " back to the management network)" : "");
out:
	rhv_net_clear(&net);
	return rc;
}

int rhv_net_detach(struct rhv_db *db, const char *network, const char *dc, const char *cluster,
		   struct rhv_error *err)
{
	struct detach_args a = { network, dc, cluster };

	if (rhv_check_name(network, 1024, "network name", err) < 0 ||
	    rhv_check_name(cluster, 1024, "cluster name", err) < 0)
		return -1;
	return rhv_db_txn(db, detach_txn, &a, err);
}
