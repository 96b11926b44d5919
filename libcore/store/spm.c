/* A data center's SPM as the store mirrors it: the view an election reads, and what it records. */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/sd.h"
#include "store/spm.h"
#include "rhv/host.h"
#include "rhv/event.h"

void rhv_spm_view_clear(struct rhv_spm_view *v)
{
	free(v->name);
	free(v->master_path);
	free(v->master_name);
	for (size_t i = 0; i < v->nhosts; i++) {
		free(v->hosts[i].name);
		free(v->hosts[i].uri);
		free(v->hosts[i].state);
	}
	free(v->hosts);
	memset(v, 0, sizeof(*v));
}

int rhv_db_spm_assign_ids(struct rhv_db *db, const char *dc_id, struct rhv_error *err)
{
	static const char stale[] =
		"DELETE FROM spm_host_ids i USING hosts h JOIN clusters c ON c.id = h.cluster_id"
		" WHERE i.host_id = h.id AND c.dc_id <> i.dc_id";
	static const char add[] =
		"INSERT INTO spm_host_ids (dc_id, host_id, spm_id)"
		" SELECT $1, h.id, (SELECT min(g) FROM generate_series(1, 2000) g"
		"   WHERE g NOT IN (SELECT spm_id FROM spm_host_ids WHERE dc_id = $1))"
		" FROM hosts h JOIN clusters c ON c.id = h.cluster_id"
		" WHERE c.dc_id = $1 AND NOT EXISTS (SELECT 1 FROM spm_host_ids i WHERE i.host_id = h.id)"
		" ORDER BY h.created_at, h.id LIMIT 1";
	long n;

	if (rhv_db_command(db, stale, RHV_NO_PARAMS, NULL, err) < 0)
		return -1;
	do {
		if (rhv_db_command(db, add, RHV_PARAMS(dc_id), &n, err) < 0)
			return -1;
	} while (n > 0);
	return 0;
}

int rhv_db_spm_view_load(struct rhv_db *db, const char *dc, struct rhv_spm_view *v, struct rhv_error *err)
{
	static const char dc_sql[] =
		"SELECT d.id, d.name, d.spm_host_id, d.spm_generation, s.id AS master_id, s.name AS master_name,"
		" s.path AS master_path FROM data_centers d"
		" LEFT JOIN storage_domain_dc a ON a.dc_id = d.id AND a.is_master"
		" LEFT JOIN storage_domains s ON s.id = a.domain_id";
	static const char hosts_sql[] =
		"SELECT h.id, h.name, h.uri, h.state, h.spm_priority, i.spm_id, h.confirmed_down_at IS NOT NULL AS down,"
		" EXISTS (SELECT 1 FROM spm_failed f WHERE f.dc_id = c.dc_id AND f.host_id = h.id) AS failed"
		" FROM hosts h JOIN clusters c ON c.id = h.cluster_id"
		" LEFT JOIN spm_host_ids i ON i.host_id = h.id AND i.dc_id = c.dc_id"
		" WHERE c.dc_id = $1 ORDER BY h.name";
	_cleanup_pgresult_ PGresult *r = NULL, *h = NULL;

	memset(v, 0, sizeof(*v));
	if (rhv_db_get_by_name(db, dc_sql, "d", "data_centers", false, "data center", dc, &r, err) < 0)
		return -1;
	snprintf(v->id, sizeof(v->id), "%s", rhv_pq_str(r, 0, "id"));
	v->name = rhv_pq_dup(r, 0, "name");
	snprintf(v->spm_host, sizeof(v->spm_host), "%s",
		 rhv_pq_str(r, 0, "spm_host_id") ? rhv_pq_str(r, 0, "spm_host_id") : "");
	v->generation = (uint64_t)rhv_pq_int(r, 0, "spm_generation");
	v->master_path = rhv_pq_dup(r, 0, "master_path");
	v->master_name = rhv_pq_dup(r, 0, "master_name");
	snprintf(v->master_id, sizeof(v->master_id), "%s",
		 rhv_pq_str(r, 0, "master_id") ? rhv_pq_str(r, 0, "master_id") : "");
	if (rhv_db_exec(db, hosts_sql, RHV_PARAMS(v->id), &h, err) < 0)
		return -1;
	v->nhosts = (size_t)PQntuples(h);
	v->hosts = rhv_xcalloc(v->nhosts ? v->nhosts : 1, sizeof(*v->hosts));
	for (size_t i = 0; i < v->nhosts; i++) {
		struct rhv_spm_view_host *x = &v->hosts[i];

		snprintf(x->id, sizeof(x->id), "%s", rhv_pq_str(h, (int)i, "id"));
		x->name = rhv_pq_dup(h, (int)i, "name");
		x->uri = rhv_pq_dup(h, (int)i, "uri");
		x->state = rhv_pq_dup(h, (int)i, "state");
		x->priority = (int)rhv_pq_int(h, (int)i, "spm_priority");
		x->spm_id = (int)rhv_pq_int(h, (int)i, "spm_id");
		x->confirmed_down = rhv_pq_bool(h, (int)i, "down");
		x->failed = rhv_pq_bool(h, (int)i, "failed");
	}
	return 0;
}


struct rhv_spm_view_host *rhv_spm_view_host(struct rhv_spm_view *v, const char *id)
{
	for (size_t i = 0; i < v->nhosts; i++)
		if (!strcmp(v->hosts[i].id, id))
			return &v->hosts[i];
	return NULL;
}

struct rhv_spm_view_host *rhv_spm_view_host_by_spm_id(struct rhv_spm_view *v, int spm_id)
{
	for (size_t i = 0; v && i < v->nhosts; i++)
		if (spm_id && v->hosts[i].spm_id == spm_id)
			return &v->hosts[i];
	return NULL;
}

/* ---- the store's mirror ---- */

struct mirror {
	const struct rhv_spm_view *v;
	const struct rhv_spm_view_host *host; /* NULL: no SPM */
	uint64_t generation;
	const char *why; /* event text */
	enum rhv_severity sev;
};

static int mirror_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct mirror *m = arg;
	char gen[24];

	snprintf(gen, sizeof(gen), "%llu", (unsigned long long)m->generation);
	if (rhv_db_exec(db,
			"UPDATE data_centers SET spm_host_id = $2::uuid, spm_generation = greatest(spm_generation, $3::bigint),"
			" spm_since = CASE WHEN $2::uuid IS NULL THEN NULL"
			"  WHEN spm_host_id IS DISTINCT FROM $2::uuid OR spm_generation <> $3::bigint THEN now()"
			"  ELSE spm_since END,"
			" status = CASE WHEN $2::uuid IS NULL THEN 'NonResponsive' ELSE 'Up' END, updated_at = now()"
			" WHERE id = $1",
			RHV_PARAMS(m->v->id, m->host ? m->host->id : NULL, gen), NULL, err) < 0)
		return -1;
	if (rhv_db_exec(db,
			"UPDATE hosts h SET is_spm = (h.id = $2::uuid) FROM clusters c"
			" WHERE c.id = h.cluster_id AND c.dc_id = $1 AND h.is_spm IS DISTINCT FROM (h.id = $2::uuid)",
			RHV_PARAMS(m->v->id, m->host ? m->host->id : "00000000-0000-0000-0000-000000000000"), NULL,
			err) < 0)
		return -1;
	if (!m->why)
		return 0;
	return rhv_event_add(db, m->sev, "data_center", m->v->id, m->v->name, "spm", err, "%s", m->why);
}

int rhv_db_spm_mirror(struct rhv_db *db, const struct rhv_spm_view *v, const struct rhv_spm_view_host *h, uint64_t gen,
		      const char *why, enum rhv_severity sev, struct rhv_error *err)
{
	struct mirror m = { v, h, gen, why, sev };

	return rhv_db_txn(db, mirror_txn, &m, err);
}

int rhv_db_spm_note_failed(struct rhv_db *db, const struct rhv_spm_view *v, struct rhv_spm_view_host *h,
			   const char *reason, struct rhv_error *err)
{
	h->failed = true;
	if (rhv_db_exec(db,
			"INSERT INTO spm_failed (dc_id, host_id, reason) VALUES ($1, $2, $3)"
			" ON CONFLICT (dc_id, host_id) DO UPDATE SET reason = $3, failed_at = now()",
			RHV_PARAMS(v->id, h->id, reason), NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_WARNING, "host", h->id, h->name, "spm", err,
			     "host '%s' failed to become SPM of data center '%s': %s", h->name, v->name, reason);
}

int rhv_db_spm_failed_reset(struct rhv_db *db, const char *dc_id, struct rhv_error *err)
{
	return rhv_db_exec(db, "DELETE FROM spm_failed WHERE dc_id = $1", RHV_PARAMS(dc_id), NULL, err);
}

int rhv_db_spm_failed_names(struct rhv_db *db, const char *dc_id, char **names, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*names = NULL;
	if (rhv_db_exec(db,
			"SELECT string_agg(h.name, ',' ORDER BY h.name) AS failed FROM spm_failed f"
			" JOIN hosts h ON h.id = f.host_id WHERE f.dc_id = $1",
			RHV_PARAMS(dc_id), &r, err) < 0)
		return -1;
	*names = rhv_pq_dup(r, 0, "failed");
	return 0;
}

int rhv_db_spm_master_dcs(struct rhv_db *db, char ***ids, size_t *n, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*ids = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT a.dc_id FROM storage_domain_dc a WHERE a.is_master AND a.status = 'Active' ORDER BY a.dc_id",
			RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*ids = rhv_xcalloc(*n ? *n : 1, sizeof(**ids));
	for (size_t i = 0; i < *n; i++)
		(*ids)[i] = rhv_pq_dup(r, (int)i, "dc_id");
	return 0;
}

int rhv_db_spm_dc_of_host(struct rhv_db *db, const char *host_id, char dc_id[37], struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	dc_id[0] = '\0';
	if (rhv_db_exec(db, "SELECT d.id FROM data_centers d WHERE d.spm_host_id = $1", RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	if (!PQntuples(r))
		return 0;
	snprintf(dc_id, 37, "%s", PQgetvalue(r, 0, 0));
	return 1;
}

int rhv_db_spm_confirm_down(struct rhv_db *db, struct rhv_spm_confirm *c, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	long n = 0;

	if (rhv_db_get_by_name(db,
			       "SELECT h.id, h.name, h.state, c.dc_id, d.spm_host_id = h.id AS was_spm FROM hosts h"
			       " JOIN clusters c ON c.id = h.cluster_id JOIN data_centers d ON d.id = c.dc_id",
			       "h", "hosts", true, "host", c->host, &r, err) < 0)
		return -1;
	snprintf(c->id, sizeof(c->id), "%s", rhv_pq_str(r, 0, "id"));
	snprintf(c->name, sizeof(c->name), "%s", rhv_pq_str(r, 0, "name"));
	snprintf(c->dc_id, sizeof(c->dc_id), "%s", rhv_pq_str(r, 0, "dc_id"));
	c->was_spm = rhv_pq_bool(r, 0, "was_spm");
	if (strcmp(rhv_pq_str(r, 0, "state"), RHV_HOST_NONRESPONSIVE) &&
	    strcmp(rhv_pq_str(r, 0, "state"), RHV_HOST_CONNECTING) && strcmp(rhv_pq_str(r, 0, "state"), RHV_HOST_REBOOT))
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "host '%s' is %s: only a host that stopped answering can be confirmed down",
				     c->name, rhv_pq_str(r, 0, "state"));
	if (rhv_db_exec(db, "UPDATE hosts SET confirmed_down_at = now(), is_spm = false WHERE id = $1",
			RHV_PARAMS(c->id), NULL, err) < 0 ||
	    rhv_db_command(db,
			   /* its HA VMs wait to run again elsewhere (ops/harestart.c) */
			   "UPDATE vms SET state = 'Down', host_id = NULL, migrating_to = NULL, state_since = now(),"
			   " ha_pending_since = CASE WHEN ha THEN now() END, ha_tries = 0, ha_last_try = NULL,"
			   " ha_last_error = NULL WHERE host_id = $1",
			   RHV_PARAMS(c->id), &n, err) < 0 ||
	    rhv_db_exec(db, "UPDATE vms SET migrating_to = NULL, state = 'Up' WHERE migrating_to = $1",
			RHV_PARAMS(c->id), NULL, err) < 0)
		return -1;
	c->vms = n;
	if (c->was_spm && rhv_db_sd_forget_spm(db, c->dc_id, NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_WARNING, "host", c->id, c->name, "confirm-down", err,
			     "%s host '%s' is down; %lld VM%s on it marked Down%s",
			     c->fenced ? "its power management confirmed" : "an administrator confirmed", c->name,
			     (long long)n, n == 1 ? "" : "s", c->was_spm ? "; its SPM role is free" : "");
}
