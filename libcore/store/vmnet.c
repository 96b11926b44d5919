/* The networks of hosts as VMs and host states need them (store/vmnet.h). */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/host.h"
#include "store/vmnet.h"

static char *dup_or_null(const char *s)
{
	return s ? rhv_xstrdup(s) : NULL;
}

void rhv_db_host_nets_add(struct rhv_db_host_nets *n, const char *network, const char *bridge, const char *address,
			  bool in_sync, const char *sync_reason)
{
	struct rhv_host_net *r;

	n->rows = rhv_xrealloc(n->rows, (n->pub.n + 1) * sizeof(*n->rows));
	r = &n->rows[n->pub.n++];
	r->network = dup_or_null(network);
	r->bridge = dup_or_null(bridge);
	r->address = dup_or_null(address);
	r->in_sync = in_sync;
	r->sync_reason = dup_or_null(sync_reason);
	n->pub.nets = n->rows;
}

void rhv_db_host_nets_clear(struct rhv_db_host_nets *n)
{
	for (size_t i = 0; i < n->pub.n; i++) {
		free((char *)n->rows[i].network);
		free((char *)n->rows[i].bridge);
		free((char *)n->rows[i].address);
		free((char *)n->rows[i].sync_reason);
	}
	free(n->rows);
	memset(n, 0, sizeof(*n));
}

int rhv_db_host_nets(struct rhv_db *db, const char *host_id, struct rhv_db_host_nets *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *k = NULL, *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db, "SELECT EXISTS (SELECT 1 FROM host_nics WHERE host_id = $1) AS known",
			RHV_PARAMS(host_id), &k, err) < 0 ||
	    rhv_db_exec(db,
			"SELECT n.name, x.bridge, x.address, x.in_sync, x.sync_reason FROM host_networks x"
			" JOIN networks n ON n.id = x.network_id WHERE x.host_id = $1 ORDER BY n.name",
			RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	out->pub.known = rhv_pq_bool(k, 0, "known");
	for (int i = 0; i < PQntuples(r); i++)
		rhv_db_host_nets_add(out, rhv_pq_str(r, i, "name"), rhv_pq_str(r, i, "bridge"), rhv_pq_str(r, i, "address"),
				     rhv_pq_bool(r, i, "in_sync"), rhv_pq_str(r, i, "sync_reason"));
	return 0;
}

int rhv_db_cluster_host_nets(struct rhv_db *db, const char *cluster_id, PGresult **r, struct rhv_error *err)
{
	return rhv_db_exec(db,
			   "SELECT h.id, EXISTS (SELECT 1 FROM host_nics k WHERE k.host_id = h.id) AS known,"
			   " n.name, x.bridge, x.address, x.in_sync, x.sync_reason FROM hosts h"
			   " LEFT JOIN host_networks x ON x.host_id = h.id LEFT JOIN networks n ON n.id = x.network_id"
			   " WHERE h.cluster_id = $1 ORDER BY h.id, n.name",
			   RHV_PARAMS(cluster_id), r, err);
}

int rhv_db_host_required_nets(struct rhv_db *db, const char *host_id, char ***names, size_t *n,
			      struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*names = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT n.name FROM hosts h JOIN cluster_networks c ON c.cluster_id = h.cluster_id"
			" JOIN networks n ON n.id = c.network_id WHERE h.id = $1 AND c.required ORDER BY n.name",
			RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*names = rhv_xcalloc(*n + 1, sizeof(**names));
	for (size_t i = 0; i < *n; i++)
		(*names)[i] = rhv_pq_dup(r, (int)i, "name");
	return 0;
}

int rhv_db_migration_address(struct rhv_db *db, const char *host_id, char **addr, const char **role,
			     struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*addr = NULL;
	*role = NULL;
	if (rhv_db_exec(db,
			"SELECT x.address, c.migration FROM hosts h"
			" JOIN cluster_networks c ON c.cluster_id = h.cluster_id AND (c.migration OR c.management)"
			" JOIN host_networks x ON x.host_id = h.id AND x.network_id = c.network_id"
			" WHERE h.id = $1 AND x.in_sync AND x.address IS NOT NULL AND x.address <> ''"
			" ORDER BY c.migration DESC LIMIT 1",
			RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	if (PQntuples(r) > 0) {
		*addr = rhv_pq_dup(r, 0, "address");
		*role = rhv_pq_bool(r, 0, "migration") ? "migration" : "management";
	}
	return 0;
}
