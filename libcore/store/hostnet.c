/*
 * Host NICs and host networks in the store (schema 10: host_nics,
 * host_networks): discovery replaces a host's NICs, a confirmed setup its
 * networks; a network's edit marks the hosts that carry it out of sync.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/hostnet.h"
#include "store/store-priv.h"
#include "rhv/event.h"

void rhv_host_nic_list_clear(struct rhv_host_nic_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct rhv_host_nic *x = &l->items[i];

		free(x->host), free(x->name), free(x->kind), free(x->bond), free(x->mac), free(x->addresses);
		free(x->labels), free(x->networks), free(x->bridges), free(x->vlans);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void rhv_host_network_list_clear(struct rhv_host_network_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct rhv_host_network *x = &l->items[i];

		free(x->host), free(x->network), free(x->nic), free(x->bridge), free(x->address), free(x->sync_reason);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int rhv_db_hostnet_host(struct rhv_db *db, const char *name, bool lock, struct rhv_hostnet_host *out,
			struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_get_by_name(db, "SELECT h.id, h.name, h.cluster_id FROM hosts h", "h", "hosts",
			       lock ? RHV_DB_FOR_UPDATE : RHV_DB_NO_LOCK, "host", name, &r, err) < 0)
		return -1;
	snprintf(out->id, sizeof(out->id), "%s", rhv_pq_str(r, 0, "id"));
	snprintf(out->name, sizeof(out->name), "%s", rhv_pq_str(r, 0, "name"));
	snprintf(out->cluster_id, sizeof(out->cluster_id), "%s", rhv_pq_str(r, 0, "cluster_id"));
	return 0;
}

int rhv_db_hostnet_defs(struct rhv_db *db, const char *host_id, struct rhv_ns_def **defs, size_t *n,
			struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*defs = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT n.name, n.vm_network, coalesce(n.vlan, -1) AS vlan, coalesce(n.mtu, 0) AS mtu,"
			" coalesce(n.label, '') AS label, cn.network_id IS NOT NULL AS attached,"
			" coalesce(cn.management, false) AS mgmt"
			" FROM hosts h JOIN clusters c ON c.id = h.cluster_id JOIN networks n ON n.dc_id = c.dc_id"
			" LEFT JOIN cluster_networks cn ON cn.network_id = n.id AND cn.cluster_id = c.id"
			" WHERE h.id = $1 ORDER BY n.name",
			RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*defs = rhv_xcalloc(*n ? *n : 1, sizeof(**defs));
	for (int i = 0; i < (int)*n; i++) {
		struct rhv_ns_def *d = &(*defs)[i];

		snprintf(d->name, sizeof(d->name), "%s", rhv_pq_str(r, i, "name"));
		snprintf(d->label, sizeof(d->label), "%s", rhv_pq_str(r, i, "label"));
		d->vm = rhv_pq_bool(r, i, "vm_network");
		d->vlan = (int)rhv_pq_int(r, i, "vlan");
		d->mtu = (int)rhv_pq_int(r, i, "mtu");
		d->attached = rhv_pq_bool(r, i, "attached");
		d->mgmt = rhv_pq_bool(r, i, "mgmt");
	}
	return 0;
}

int rhv_db_hostnet_state(struct rhv_db *db, const char *host_id, struct rhv_ns_state *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *d = NULL;
	_cleanup_pgresult_ PGresult *a = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db,
			"SELECT name, kind = 'bond' AS bond, coalesce(bond_mode, 0) AS mode, coalesce(bond, '') AS master,"
			" array_to_string(labels, ',') AS labels FROM host_nics WHERE host_id = $1 ORDER BY name",
			RHV_PARAMS(host_id), &d, err) < 0 ||
	    rhv_db_exec(db,
			"SELECT n.name, hn.nic, hn.bridge IS NOT NULL AS vm, coalesce(hn.vlan, -1) AS vlan,"
			" coalesce(hn.mtu, 1500) AS mtu, coalesce(hn.address, '') AS address, NOT hn.in_sync AS oos"
			" FROM host_networks hn JOIN networks n ON n.id = hn.network_id WHERE hn.host_id = $1 ORDER BY n.name",
			RHV_PARAMS(host_id), &a, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(d) && out->ndev < RHV_NS_MAX; i++) {
		struct rhv_ns_dev *x = &out->dev[out->ndev++];

		snprintf(x->name, sizeof(x->name), "%s", rhv_pq_str(d, i, "name"));
		x->bond = rhv_pq_bool(d, i, "bond");
		x->mode = (int)rhv_pq_int(d, i, "mode");
		snprintf(x->master, sizeof(x->master), "%s", rhv_pq_str(d, i, "master"));
		snprintf(x->labels, sizeof(x->labels), "%s", rhv_pq_str(d, i, "labels"));
	}
	for (int i = 0; i < PQntuples(a) && out->natt < RHV_NS_MAX; i++) {
		struct rhv_ns_att *x = &out->att[out->natt++];

		snprintf(x->net, sizeof(x->net), "%s", rhv_pq_str(a, i, "name"));
		snprintf(x->dev, sizeof(x->dev), "%s", rhv_pq_str(a, i, "nic"));
		x->vm = rhv_pq_bool(a, i, "vm");
		x->vlan = (int)rhv_pq_int(a, i, "vlan");
		x->mtu = (int)rhv_pq_int(a, i, "mtu");
		snprintf(x->address, sizeof(x->address), "%s", rhv_pq_str(a, i, "address"));
		x->out_of_sync = rhv_pq_bool(a, i, "oos");
	}
	return 0;
}

static const char *intstr(char *buf, size_t size, int v, bool null)
{
	if (null)
		return NULL;
	snprintf(buf, size, "%d", v);
	return buf;
}

int rhv_db_host_nics_replace(struct rhv_db *db, const char *host_id, const struct rhv_host_nic *nics, size_t n,
			     struct rhv_error *err)
{
	_cleanup_free_ char *names = NULL;

	for (size_t i = 0; i < n; i++)
		rhv_xappendf(&names, ",", "%s", nics[i].name);
	if (rhv_db_command(db, "DELETE FROM host_nics WHERE host_id = $1 AND NOT name = ANY (string_to_array($2, ','))",
			   RHV_PARAMS(host_id, names ? names : ""), NULL, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct rhv_host_nic *x = &nics[i];
		char mode[16], mtu[16], speed[16];

		if (rhv_db_command(db,
				   "INSERT INTO host_nics (host_id, name, kind, bond, bond_mode, mac, mtu, speed_mbps,"
				   " link_up, addresses) VALUES ($1, $2, $3, $4, $5::int, $6::macaddr, $7::int, $8::int, $9,"
				   " coalesce(string_to_array(nullif($10, ''), ','), '{}'))"
				   " ON CONFLICT (host_id, name) DO UPDATE SET kind = EXCLUDED.kind, bond = EXCLUDED.bond,"
				   " bond_mode = EXCLUDED.bond_mode, mac = EXCLUDED.mac, mtu = EXCLUDED.mtu,"
				   " speed_mbps = EXCLUDED.speed_mbps, link_up = EXCLUDED.link_up,"
				   " addresses = coalesce(EXCLUDED.addresses, '{}'), seen_at = now()",
				   RHV_PARAMS(host_id, x->name, x->kind, x->bond,
					      intstr(mode, sizeof(mode), x->bond_mode, x->bond_mode < 0), x->mac,
					      intstr(mtu, sizeof(mtu), x->mtu, x->mtu <= 0),
					      intstr(speed, sizeof(speed), x->speed_mbps, x->speed_mbps <= 0),
					      x->link_up ? "true" : "false", x->addresses ? x->addresses : ""),
				   NULL, err) < 0)
			return -1;
	}
	return 0;
}

int rhv_db_hostnet_read_due(struct rhv_db *db, const char *host_id, int64_t every_s, bool *due, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	char every[32];

	*due = false;
	snprintf(every, sizeof(every), "%lld", (long long)every_s);
	/* every row is written by one discovery: the newest is that reading's time */
	if (rhv_db_exec(db,
			"SELECT coalesce(max(seen_at) <= now() - make_interval(secs => $2::bigint), false) AS due"
			" FROM host_nics WHERE host_id = $1",
			RHV_PARAMS(host_id, every), &r, err) < 0)
		return -1;
	*due = rhv_pq_bool(r, 0, "due");
	return 0;
}

int rhv_db_hostnet_read_failed(struct rhv_db *db, const char *host_id, const char *host_name, const char *why,
			       bool *said, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*said = false;
	/* the streak: failures since the last reading that worked (by name first, as events are indexed) */
	if (rhv_db_exec(db,
			"SELECT EXISTS (SELECT 1 FROM events e WHERE e.object_type = 'host' AND e.object_name = $2"
			" AND e.object_id = $1::uuid AND e.action = 'network-read-failed'"
			" AND e.time >= (SELECT max(seen_at) FROM host_nics WHERE host_id = $1)) AS said",
			RHV_PARAMS(host_id, host_name), &r, err) < 0)
		return -1;
	if (rhv_pq_bool(r, 0, "said"))
		return 0;
	*said = true;
	return rhv_event_add(db, RHV_SEV_WARNING, "host", host_id, host_name, "network-read-failed", err,
			     "cannot read the networks of host '%s' again, its last reading is kept: %s", host_name, why);
}

int rhv_db_hostnet_save(struct rhv_db *db, const char *host_id, const struct rhv_ns_state *s, struct rhv_error *err)
{
	if (rhv_db_command(db, "DELETE FROM host_networks WHERE host_id = $1", RHV_PARAMS(host_id), NULL, err) < 0 ||
	    rhv_db_command(db, "UPDATE host_nics SET labels = '{}' WHERE host_id = $1", RHV_PARAMS(host_id), NULL,
			   err) < 0)
		return -1;
	for (size_t i = 0; i < s->ndev; i++) {
		const struct rhv_ns_dev *d = &s->dev[i];
		char mode[16];

		/* a bond made now is in host_nics before discovery sees it */
		if (rhv_db_command(db,
				   "INSERT INTO host_nics (host_id, name, kind, bond, bond_mode, labels)"
				   " VALUES ($1, $2, $3, nullif($4, ''), $5::int, coalesce(string_to_array(nullif($6, ''), ','), '{}'))"
				   " ON CONFLICT (host_id, name) DO UPDATE SET labels = EXCLUDED.labels,"
				   " bond = EXCLUDED.bond, bond_mode = EXCLUDED.bond_mode, kind = EXCLUDED.kind",
				   RHV_PARAMS(host_id, d->name, d->bond ? "bond" : "nic", d->bond ? "" : d->master,
					      intstr(mode, sizeof(mode), d->mode, !d->bond), d->labels),
				   NULL, err) < 0)
			return -1;
	}
	if (rhv_db_command(db,
			   "DELETE FROM host_nics WHERE host_id = $1 AND kind = 'bond'"
			   " AND NOT name = ANY (SELECT DISTINCT bond FROM host_nics WHERE host_id = $1 AND bond IS NOT NULL)",
			   RHV_PARAMS(host_id), NULL, err) < 0)
		return -1;
	for (size_t i = 0; i < s->natt; i++) {
		const struct rhv_ns_att *a = &s->att[i];
		char vlan[16], mtu[16];

		if (rhv_db_command(db,
				   "INSERT INTO host_networks (host_id, network_id, nic, bridge, vlan, mtu, address)"
				   " SELECT $1, n.id, $3, CASE WHEN $4 THEN n.name END, $5::int, $6::int, nullif($7, '')"
				   " FROM hosts h JOIN clusters c ON c.id = h.cluster_id JOIN networks n ON n.dc_id = c.dc_id"
				   " WHERE h.id = $1 AND n.name = $2",
				   RHV_PARAMS(host_id, a->net, a->dev, a->vm ? "true" : "false",
					      intstr(vlan, sizeof(vlan), a->vlan, a->vlan < 0),
					      intstr(mtu, sizeof(mtu), a->mtu, false), a->address),
				   NULL, err) < 0)
			return -1;
	}
	/* what was just applied may still differ from a definition (setup without --sync) */
	return rhv_db_command(db,
			      "UPDATE host_networks hn SET in_sync = false, sync_reason = 'differs from the network''s definition'"
			      " FROM networks n WHERE n.id = hn.network_id AND hn.host_id = $1"
			      " AND (hn.vlan IS DISTINCT FROM n.vlan OR hn.mtu <> coalesce(n.mtu, 1500)"
			      "  OR (hn.bridge IS NOT NULL) <> n.vm_network)",
			      RHV_PARAMS(host_id), NULL, err);
}

int rhv_db_hostnet_set_sync(struct rhv_db *db, const char *host_id, const char *network, const char *reason,
			    struct rhv_error *err)
{
	/* a definition that differs wins: discovery only adds what the host itself shows */
	return rhv_db_command(db,
			      "UPDATE host_networks hn SET in_sync = $3::text IS NULL AND NOT (hn.vlan IS DISTINCT FROM n.vlan"
			      "  OR hn.mtu <> coalesce(n.mtu, 1500) OR (hn.bridge IS NOT NULL) <> n.vm_network) ,"
			      " sync_reason = CASE WHEN hn.vlan IS DISTINCT FROM n.vlan OR hn.mtu <> coalesce(n.mtu, 1500)"
			      "  OR (hn.bridge IS NOT NULL) <> n.vm_network THEN 'differs from the network''s definition'"
			      "  ELSE $3 END"
			      " FROM networks n WHERE n.id = hn.network_id AND hn.host_id = $1 AND n.name = $2",
			      RHV_PARAMS(host_id, network, reason), NULL, err);
}

int rhv_db_hostnet_mark_sync(struct rhv_db *db, const char *network_id, struct rhv_error *err)
{
	return rhv_db_command(db,
			      "UPDATE host_networks hn SET in_sync = false,"
			      " sync_reason = 'differs from the network''s definition'"
			      " FROM networks n WHERE n.id = hn.network_id AND hn.network_id = $1"
			      " AND (hn.vlan IS DISTINCT FROM n.vlan OR hn.mtu <> coalesce(n.mtu, 1500)"
			      "  OR (hn.bridge IS NOT NULL) <> n.vm_network)",
			      RHV_PARAMS(network_id), NULL, err);
}

static void nic_fill(const PGresult *r, int i, struct rhv_host_nic *x)
{
	x->host = rhv_pq_dup(r, i, "host");
	x->name = rhv_pq_dup(r, i, "name");
	x->kind = rhv_pq_dup(r, i, "kind");
	x->bond = rhv_pq_dup(r, i, "bond");
	x->bond_mode = rhv_pq_str(r, i, "bond_mode") ? (int)rhv_pq_int(r, i, "bond_mode") : -1;
	x->mac = rhv_pq_dup(r, i, "mac");
	x->mtu = (int)rhv_pq_int(r, i, "mtu");
	x->speed_mbps = (int)rhv_pq_int(r, i, "speed_mbps");
	x->link_up = rhv_pq_bool(r, i, "link_up");
	x->addresses = rhv_pq_dup(r, i, "addresses");
	x->labels = rhv_pq_dup(r, i, "labels");
	x->networks = rhv_pq_dup(r, i, "networks");
	x->bridges = rhv_pq_dup(r, i, "bridges");
	x->vlans = rhv_pq_dup(r, i, "vlans");
	x->in_sync = rhv_pq_bool(r, i, "in_sync");
}

int rhv_host_nic_list(struct rhv_db *db, const char *host, struct rhv_host_nic_list *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_hostnet_host h;

	memset(out, 0, sizeof(*out));
	if (rhv_db_hostnet_host(db, host, false, &h, err) < 0 ||
	    rhv_db_exec(db,
			"SELECT h.name AS host, x.name, x.kind, x.bond, x.bond_mode, x.mac::text AS mac, x.mtu, x.speed_mbps,"
			" x.link_up, array_to_string(x.addresses, ',') AS addresses, array_to_string(x.labels, ',') AS labels,"
			" string_agg(n.name, ',' ORDER BY n.name) AS networks,"
			" string_agg(coalesce(hn.bridge, '-'), ',' ORDER BY n.name) FILTER (WHERE n.id IS NOT NULL) AS bridges,"
			" string_agg(coalesce(hn.vlan::text, '-'), ',' ORDER BY n.name) FILTER (WHERE n.id IS NOT NULL) AS vlans,"
			" coalesce(bool_and(hn.in_sync), true) AS in_sync"
			" FROM host_nics x JOIN hosts h ON h.id = x.host_id"
			" LEFT JOIN host_networks hn ON hn.host_id = x.host_id AND hn.nic = x.name"
			" LEFT JOIN networks n ON n.id = hn.network_id"
			" WHERE x.host_id = $1 GROUP BY h.name, x.host_id, x.name ORDER BY x.kind DESC, x.name",
			RHV_PARAMS(h.id), &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, nic_fill);
	return 0;
}

static void network_fill(const PGresult *r, int i, struct rhv_host_network *x)
{
	x->host = rhv_pq_dup(r, i, "host");
	snprintf(x->host_id, sizeof(x->host_id), "%s", rhv_pq_str(r, i, "host_id"));
	x->network = rhv_pq_dup(r, i, "network");
	snprintf(x->network_id, sizeof(x->network_id), "%s", rhv_pq_str(r, i, "network_id"));
	x->nic = rhv_pq_dup(r, i, "nic");
	x->bridge = rhv_pq_dup(r, i, "bridge");
	x->vlan = rhv_pq_str(r, i, "vlan") ? (int)rhv_pq_int(r, i, "vlan") : -1;
	x->mtu = (int)rhv_pq_int(r, i, "mtu");
	x->address = rhv_pq_dup(r, i, "address");
	x->vm_network = x->bridge != NULL;
	x->in_sync = rhv_pq_bool(r, i, "in_sync");
	x->sync_reason = rhv_pq_dup(r, i, "sync_reason");
}

int rhv_host_network_list(struct rhv_db *db, const char *host, const char *network,
			  struct rhv_host_network_list *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_hostnet_host h = { .id = "" };

	memset(out, 0, sizeof(*out));
	if (host && rhv_db_hostnet_host(db, host, false, &h, err) < 0)
		return -1;
	if (rhv_db_exec(db,
			"SELECT h.name AS host, hn.host_id, n.name AS network, hn.network_id, hn.nic, hn.bridge, hn.vlan,"
			" hn.mtu, hn.address, hn.in_sync, hn.sync_reason"
			" FROM host_networks hn JOIN hosts h ON h.id = hn.host_id JOIN networks n ON n.id = hn.network_id"
			" WHERE ($1 = '' OR hn.host_id::text = $1) AND ($2::text IS NULL OR n.name = $2)"
			" ORDER BY h.name, n.name",
			RHV_PARAMS(h.id, network), &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, network_fill);
	return 0;
}
