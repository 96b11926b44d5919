/*
 * vNIC profiles (reference 3.7, 3.14): what a VM NIC names, per network:
 * port mirroring and a QoS kept in the units of libvirt's <bandwidth>.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/net.h"
#include "store/store-priv.h"
#include "rhv/event.h"
#include "rhv/net.h"
#include "rhv/parse.h"
#include "rhv/validate.h"

/* Largest average or peak (Mbps) and burst (MiB) of a QoS. */
#define QOS_MAX 1048576

int rhv_qos_parse(const char *s, const char *what, struct rhv_qos *out, struct rhv_error *err)
{
	int64_t v[3];
	const char *p = s;

	memset(out, 0, sizeof(*out));
	for (int k = 0; k < 3; k++) {
		const char *end = strchr(p, ',');
		char buf[32];
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if ((k < 2 && !end) || (k == 2 && end) || len == 0 || len >= sizeof(buf))
			goto bad;
		snprintf(buf, sizeof(buf), "%.*s", (int)len, p);
		if (rhv_parse_int(buf, 1, QOS_MAX, k == 2 ? "QoS burst (MiB)" : "QoS rate (Mbps)", &v[k], err) < 0)
			return -1;
		p = end ? end + 1 : p + len;
	}
	if (v[1] < v[0])
		return rhv_error_usage(err, "invalid %s '%s': the peak is below the average", what, s);
	out->average = v[0] * 125; /* Mbps -> KiB/s, as oVirt converts (1000 / 8) */
	out->peak = v[1] * 125;
	out->burst = v[2] * 1024;  /* MiB -> KiB */
	return 0;
bad:
	return rhv_error_usage(err, "invalid %s '%s': expected AVERAGE,PEAK,BURST (Mbps, Mbps, MiB)", what, s);
}

static const char select_profile[] =
	"SELECT p.id, p.name, n.name AS network, n.id AS network_id, d.name AS dc, p.description, p.port_mirroring,"
	" p.in_average, p.in_peak, p.in_burst, p.out_average, p.out_peak, p.out_burst,"
	" (SELECT count(*) FROM vm_nics x WHERE x.profile_id = p.id) AS vnics"
	" FROM vnic_profiles p JOIN networks n ON n.id = p.network_id JOIN data_centers d ON d.id = n.dc_id";

static void fill_qos(const PGresult *r, int i, const char *dir, struct rhv_qos *q)
{
	char col[32];

	snprintf(col, sizeof(col), "%s_average", dir);
	q->average = rhv_pq_str(r, i, col) ? rhv_pq_int(r, i, col) : 0;
	snprintf(col, sizeof(col), "%s_peak", dir);
	q->peak = rhv_pq_str(r, i, col) ? rhv_pq_int(r, i, col) : 0;
	snprintf(col, sizeof(col), "%s_burst", dir);
	q->burst = rhv_pq_str(r, i, col) ? rhv_pq_int(r, i, col) : 0;
}

static void fill_profile(const PGresult *r, int i, struct rhv_vnic_profile *p)
{
	snprintf(p->id, sizeof(p->id), "%s", rhv_pq_str(r, i, "id"));
	p->name = rhv_pq_dup(r, i, "name");
	p->network = rhv_pq_dup(r, i, "network");
	p->dc = rhv_pq_dup(r, i, "dc");
	p->description = rhv_pq_dup(r, i, "description");
	p->port_mirroring = rhv_pq_bool(r, i, "port_mirroring");
	fill_qos(r, i, "in", &p->in);
	fill_qos(r, i, "out", &p->out);
	p->vnics = rhv_pq_int(r, i, "vnics");
}

void rhv_vnic_profile_clear(struct rhv_vnic_profile *p)
{
	free(p->name);
	free(p->network);
	free(p->dc);
	free(p->description);
	memset(p, 0, sizeof(*p));
}

RHV_DEFINE_LIST_CLEAR(vnic_profile)

/* The network a spec names (network and dc), into net; net->id empty when none is named. */
static int spec_network(struct rhv_db *db, const char *network, const char *dc, int lock, struct rhv_net *net,
			char dc_id[37], struct rhv_error *err)
{
	char dc_name[64];

	memset(net, 0, sizeof(*net));
	if (rhv_db_net_dc(db, dc, dc_id, dc_name, err) < 0)
		return -1;
	if (!network)
		return 0;
	return rhv_db_net_find(db, network, dc ? dc_id : NULL, dc ? dc_name : NULL, lock, net, err);
}

/* The profile of a spec, locked for update. */
static int find_profile(struct rhv_db *db, const struct rhv_vnic_profile_spec *s, struct rhv_vnic_profile *out,
			struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf(
		"%s WHERE (p.name = $1 OR (p.id::text = $1 AND NOT EXISTS (SELECT 1 FROM vnic_profiles x WHERE x.name = $1)))"
		" AND ($2::uuid IS NULL OR n.id = $2) AND ($3::uuid IS NULL OR n.dc_id = $3)"
		" ORDER BY d.name, n.name FOR UPDATE OF p",
		select_profile);
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_net net;
	char dc_id[37];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (rhv_check_lookup_name(s->name, "vNIC profile", err) < 0)
		return -1;
	if (spec_network(db, s->network, s->dc, RHV_DB_NO_LOCK, &net, dc_id, err) < 0)
		goto out;
	if (rhv_db_exec(db, sql, RHV_PARAMS(s->name, net.id[0] ? net.id : NULL, dc_id[0] ? dc_id : NULL), &r, err) < 0)
		goto out;
	if (PQntuples(r) == 0) {
		if (net.name)
			rhv_error_set(err, RHV_EXIT_NOTFOUND, "network '%s' has no vNIC profile '%s'", net.name, s->name);
		else
			rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find vNIC profile '%s'", s->name);
		goto out;
	}
	if (PQntuples(r) > 1) {
		_cleanup_free_ char *nets = NULL;

		for (int i = 0; i < PQntuples(r); i++)
			rhv_xappendf(&nets, ", ", "%s (%s)", rhv_pq_str(r, i, "network"), rhv_pq_str(r, i, "dc"));
		rhv_error_usage(err, "vNIC profile '%s' is ambiguous: networks %s have one of that name", s->name, nets);
		rhv_error_hint(err, "say which with --network (and --dc)");
		goto out;
	}
	fill_profile(r, 0, out);
	rc = 0;
out:
	rhv_net_clear(&net);
	return rc;
}

/* A spec's values, checked. */
struct profile_values {
	const struct rhv_vnic_profile_spec *s;
	bool mirroring, clear_in, clear_out;
	struct rhv_qos in, out;
	char v[6][24]; /* in average, peak, burst, out average, peak, burst */
};

static int check_profile_spec(const struct rhv_vnic_profile_spec *s, bool creating, struct profile_values *v,
			      struct rhv_error *err)
{
	memset(v, 0, sizeof(*v));
	v->s = s;
	if (rhv_check_name(s->name, creating ? RHV_NET_NAME_MAX : 1024, "vNIC profile name", err) < 0)
		return -1;
	if (s->new_name && rhv_check_name(s->new_name, RHV_NET_NAME_MAX, "new vNIC profile name", err) < 0)
		return -1;
	if ((creating && strchr(s->name, ',')) || (s->new_name && strchr(s->new_name, ',')))
		return rhv_error_usage(err, "invalid vNIC profile name '%s': ',' is not allowed",
				       creating ? s->name : s->new_name);
	if (s->network && rhv_check_name(s->network, 1024, "network name", err) < 0)
		return -1;
	if (s->description && rhv_check_text(s->description, RHV_DESCRIPTION_MAX, "description", err) < 0)
		return -1;
	if (s->port_mirroring && rhv_parse_bool(s->port_mirroring, "--port-mirroring", &v->mirroring, err) < 0)
		return -1;
	if (s->qos_in && !creating && !strcmp(s->qos_in, "none"))
		v->clear_in = true;
	else if (s->qos_in && rhv_qos_parse(s->qos_in, "--qos-in", &v->in, err) < 0)
		return -1;
	if (s->qos_out && !creating && !strcmp(s->qos_out, "none"))
		v->clear_out = true;
	else if (s->qos_out && rhv_qos_parse(s->qos_out, "--qos-out", &v->out, err) < 0)
		return -1;
	if (v->in.average) {
		snprintf(v->v[0], 24, "%lld", (long long)v->in.average);
		snprintf(v->v[1], 24, "%lld", (long long)v->in.peak);
		snprintf(v->v[2], 24, "%lld", (long long)v->in.burst);
	}
	if (v->out.average) {
		snprintf(v->v[3], 24, "%lld", (long long)v->out.average);
		snprintf(v->v[4], 24, "%lld", (long long)v->out.peak);
		snprintf(v->v[5], 24, "%lld", (long long)v->out.burst);
	}
	if (creating && !s->network)
		return rhv_error_usage(err, "a vNIC profile needs --network");
	return 0;
}

#define QV(v, k) ((v)->v[k][0] ? (v)->v[k] : NULL)

static void describe(char **what, const struct profile_values *v)
{
	const struct rhv_vnic_profile_spec *s = v->s;

	if (s->new_name)
		rhv_xappendf(what, ", ", "name %s", s->new_name);
	if (s->description)
		rhv_xappendf(what, ", ", "description");
	if (s->port_mirroring)
		rhv_xappendf(what, ", ", "port mirroring %s", v->mirroring ? "on" : "off");
	if (v->clear_in)
		rhv_xappendf(what, ", ", "no inbound QoS");
	else if (s->qos_in)
		rhv_xappendf(what, ", ", "inbound QoS %s", s->qos_in);
	if (v->clear_out)
		rhv_xappendf(what, ", ", "no outbound QoS");
	else if (s->qos_out)
		rhv_xappendf(what, ", ", "outbound QoS %s", s->qos_out);
}

static int create_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"INSERT INTO vnic_profiles (network_id, name, description, port_mirroring, in_average, in_peak, in_burst,"
		" out_average, out_peak, out_burst)"
		" VALUES ($1, $2, coalesce($3, ''), $4, $5::bigint, $6::bigint, $7::bigint, $8::bigint, $9::bigint,"
		" $10::bigint) RETURNING id";
	const struct profile_values *v = arg;
	const struct rhv_vnic_profile_spec *s = v->s;
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_free_ char *what = NULL;
	struct rhv_net net;
	char dc_id[37];
	int rc = -1;

	if (spec_network(db, s->network, s->dc, RHV_DB_FOR_SHARE, &net, dc_id, err) < 0)
		goto out;
	if (!net.vm_network) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "network '%s' is not a VM network: it has no vNIC profiles",
			      net.name);
		rhv_error_hint(err, "'rhv-net edit %s --vm-network yes' makes it one", net.name);
		goto out;
	}
	if (rhv_db_exec(db, sql,
			RHV_PARAMS(net.id, s->name, s->description, v->mirroring ? "true" : "false", QV(v, 0), QV(v, 1),
				   QV(v, 2), QV(v, 3), QV(v, 4), QV(v, 5)),
			&r, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			rhv_error_replace(err, RHV_EXIT_CONFLICT, "network '%s' has a vNIC profile '%s' already", net.name,
					  s->name);
		goto out;
	}
	describe(&what, v);
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "vnic_profile", PQgetvalue(r, 0, 0), s->name, "create", err,
			   "vNIC profile '%s' created on network '%s' of data center '%s'%s%s", s->name, net.name, net.dc,
			   what ? ": " : "", what ? what : "");
out:
	rhv_net_clear(&net);
	return rc;
}

int rhv_vnic_profile_create(struct rhv_db *db, const struct rhv_vnic_profile_spec *spec, struct rhv_error *err)
{
	struct profile_values v;

	if (check_profile_spec(spec, true, &v, err) < 0)
		return -1;
	return rhv_db_txn(db, create_txn, &v, err);
}

static int edit_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE vnic_profiles SET name = coalesce($2, name), description = coalesce($3, description),"
		" port_mirroring = coalesce($4::boolean, port_mirroring),"
		" in_average = CASE WHEN $11 THEN NULL ELSE coalesce($5::bigint, in_average) END,"
		" in_peak = CASE WHEN $11 THEN NULL ELSE coalesce($6::bigint, in_peak) END,"
		" in_burst = CASE WHEN $11 THEN NULL ELSE coalesce($7::bigint, in_burst) END,"
		" out_average = CASE WHEN $12 THEN NULL ELSE coalesce($8::bigint, out_average) END,"
		" out_peak = CASE WHEN $12 THEN NULL ELSE coalesce($9::bigint, out_peak) END,"
		" out_burst = CASE WHEN $12 THEN NULL ELSE coalesce($10::bigint, out_burst) END,"
		" updated_at = now() WHERE id = $1";
	const struct profile_values *v = arg;
	const struct rhv_vnic_profile_spec *s = v->s;
	_cleanup_free_ char *what = NULL;
	struct rhv_vnic_profile cur;
	int rc = -1;

	if (find_profile(db, s, &cur, err) < 0)
		goto out;
	if (s->port_mirroring && v->mirroring != cur.port_mirroring && cur.vnics) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "cannot change port mirroring of vNIC profile '%s': %lld VM NIC%s use%s it", cur.name,
			      (long long)cur.vnics, cur.vnics == 1 ? "" : "s", cur.vnics == 1 ? "s" : "");
		goto out;
	}
	if (rhv_db_command(db, sql,
			   RHV_PARAMS(cur.id, s->new_name, s->description,
				      s->port_mirroring ? (v->mirroring ? "true" : "false") : NULL, QV(v, 0), QV(v, 1), QV(v, 2),
				      QV(v, 3), QV(v, 4), QV(v, 5), v->clear_in ? "true" : "false",
				      v->clear_out ? "true" : "false"),
			   NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			rhv_error_replace(err, RHV_EXIT_CONFLICT, "network '%s' has a vNIC profile '%s' already",
					  cur.network, s->new_name);
		goto out;
	}
	describe(&what, v);
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "vnic_profile", cur.id, s->new_name ? s->new_name : cur.name, "edit",
			   err, "vNIC profile '%s' of network '%s' changed: %s", cur.name, cur.network, what);
out:
	rhv_vnic_profile_clear(&cur);
	return rc;
}

int rhv_vnic_profile_edit(struct rhv_db *db, const struct rhv_vnic_profile_spec *spec, struct rhv_error *err)
{
	struct profile_values v;

	if (check_profile_spec(spec, false, &v, err) < 0)
		return -1;
	if (!spec->new_name && !spec->description && !spec->port_mirroring && !spec->qos_in && !spec->qos_out)
		return rhv_error_usage(err, "nothing to change: give at least one option");
	return rhv_db_txn(db, edit_txn, &v, err);
}

static int remove_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_vnic_profile_spec *s = arg;
	struct rhv_vnic_profile cur;
	int rc = -1;

	if (find_profile(db, s, &cur, err) < 0)
		goto out;
	if (cur.vnics) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot remove vNIC profile '%s' of network '%s': %lld VM NIC%s use%s it",
			      cur.name, cur.network, (long long)cur.vnics, cur.vnics == 1 ? "" : "s",
			      cur.vnics == 1 ? "s" : "");
		goto out;
	}
	if (rhv_db_command(db, "DELETE FROM vnic_profiles WHERE id = $1", RHV_PARAMS(cur.id), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23503"))
			rhv_error_replace(err, RHV_EXIT_CONFLICT, "vNIC profile '%s' is in use", cur.name);
		goto out;
	}
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "vnic_profile", cur.id, cur.name, "remove", err,
			   "vNIC profile '%s' of network '%s' removed", cur.name, cur.network);
out:
	rhv_vnic_profile_clear(&cur);
	return rc;
}

int rhv_vnic_profile_remove(struct rhv_db *db, const struct rhv_vnic_profile_spec *spec, struct rhv_error *err)
{
	if (rhv_check_name(spec->name, 1024, "vNIC profile name", err) < 0)
		return -1;
	return rhv_db_txn(db, remove_txn, (void *)spec, err);
}

int rhv_vnic_profile_list(struct rhv_db *db, const char *network, const char *dc,
			  struct rhv_vnic_profile_list *out, struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf("%s WHERE ($1::uuid IS NULL OR n.id = $1) AND ($2::uuid IS NULL OR"
						 " n.dc_id = $2) ORDER BY d.name, n.name, p.name",
						 select_profile);
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_net net;
	char dc_id[37];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (spec_network(db, network, dc, RHV_DB_NO_LOCK, &net, dc_id, err) < 0)
		goto out;
	if (rhv_db_exec(db, sql, RHV_PARAMS(net.id[0] ? net.id : NULL, dc_id[0] ? dc_id : NULL), &r, err) < 0)
		goto out;
	RHV_PQ_FILL_LIST(out, r, fill_profile);
	rc = 0;
out:
	rhv_net_clear(&net);
	return rc;
}

int rhv_db_vnic_profile_for(struct rhv_db *db, const char *cluster_id, const char *spec, char profile_id[37],
			    char **network, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *c = NULL;
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_free_ char *net_name = NULL;
	const char *slash = strchr(spec, '/');
	const char *profile;
	struct rhv_net net;
	int rc = -1;

	memset(&net, 0, sizeof(net));
	*network = NULL;
	net_name = slash ? rhv_xasprintf("%.*s", (int)(slash - spec), spec) : rhv_xstrdup(spec);
	profile = slash ? slash + 1 : net_name;
	if (rhv_db_exec(db,
			"SELECT c.name, c.dc_id, d.name AS dc FROM clusters c JOIN data_centers d ON d.id = c.dc_id"
			" WHERE c.id = $1",
			RHV_PARAMS(cluster_id), &c, err) < 0)
		return -1;
	if (rhv_db_net_find(db, net_name, rhv_pq_str(c, 0, "dc_id"), rhv_pq_str(c, 0, "dc"), RHV_DB_FOR_SHARE, &net,
			    err) < 0)
		goto out;
	if (!net.vm_network) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "network '%s' is not a VM network: VM NICs cannot use it", net.name);
		goto out;
	}
	if (rhv_db_exec(db,
			"SELECT p.id, (SELECT count(*) FROM cluster_networks cn WHERE cn.cluster_id = $1"
			"  AND cn.network_id = $2) AS attached"
			" FROM (SELECT 1) one LEFT JOIN vnic_profiles p ON p.network_id = $2 AND p.name = $3",
			RHV_PARAMS(cluster_id, net.id, profile), &r, err) < 0)
		goto out;
	if (!rhv_pq_int(r, 0, "attached")) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "network '%s' is not attached to cluster '%s'", net.name,
			      rhv_pq_str(c, 0, "name"));
		rhv_error_hint(err, "'rhv-net attach %s --cluster %s' attaches it", net.name, rhv_pq_str(c, 0, "name"));
		goto out;
	}
	if (!rhv_pq_str(r, 0, "id")) {
		rhv_error_set(err, RHV_EXIT_NOTFOUND, "network '%s' has no vNIC profile '%s'", net.name, profile);
		rhv_error_hint(err, "'rhv-net profile-list --network %s --dc %s' lists its profiles", net.name, net.dc);
		goto out;
	}
	snprintf(profile_id, 37, "%s", rhv_pq_str(r, 0, "id"));
	*network = rhv_xstrdup(net.name);
	rc = 0;
out:
	rhv_net_clear(&net);
	return rc;
}
