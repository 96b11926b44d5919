/*
 * SPM election and tokens: read hosts and the lease, let spm.c decide, take
 * the lease (lease.c), mirror the outcome in the store.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ops/spm-priv.h"
#include "rhv/event.h"
#include "rhv/host.h"
#include "rhv/progress.h"
#include "rhv/sd.h"
#include "rhv/sdmeta.h"
#include "rhv/settings.h"
#include "rhv/spm.h"
#include "rhv/spmops.h"

int rhv_spm_timing(struct rhv_db *db, struct rhv_lease_timing *out, struct rhv_error *err)
{
	struct rhv_settings st;

	memset(out, 0, sizeof(*out));
	if (rhv_settings_load(db, &st, err) < 0)
		return -1;
	out->io_timeout_ms = st.v[RHV_SET_SPM_IO_TIMEOUT_MS];
	out->watchdog_ms = st.v[RHV_SET_SPM_WATCHDOG_MS];
	/* 0 means "6 N" to lease.c; a configured 0 means no margin, so pass 1 ms */
	if (out->watchdog_ms == 0)
		out->watchdog_ms = 1;
	return 0;
}

/* ---- what the store knows about a data center's SPM ---- */



void dc_view_clear(struct dc_view *v)
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

/* Give every host of the data center a lease host id (lowest free), keeping existing ones. */
int assign_spm_ids(struct rhv_db *db, const char *dc_id, struct rhv_error *err)
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

int load_view(struct rhv_db *db, const char *dc, struct dc_view *v, struct rhv_error *err)
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
		struct spm_host *x = &v->hosts[i];

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

char *lease_path_of(const char *master_path)
{
	return rhv_xasprintf("%s/%s/%s", master_path, RHV_SDMETA_DIR, RHV_SD_LEASE_FILE);
}

struct spm_host *host_by_id(struct dc_view *v, const char *id)
{
	for (size_t i = 0; i < v->nhosts; i++)
		if (!strcmp(v->hosts[i].id, id))
			return &v->hosts[i];
	return NULL;
}

struct spm_host *host_by_spm_id(struct dc_view *v, int spm_id)
{
	for (size_t i = 0; v && i < v->nhosts; i++)
		if (spm_id && v->hosts[i].spm_id == spm_id)
			return &v->hosts[i];
	return NULL;
}

/* ---- the store's mirror ---- */

struct mirror {
	struct dc_view *v;
	const struct spm_host *host; /* NULL: no SPM */
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

int mirror(struct rhv_db *db, struct dc_view *v, const struct spm_host *h, uint64_t gen, const char *why,
		  enum rhv_severity sev, struct rhv_error *err)
{
	struct mirror m = { v, h, gen, why, sev };

	return rhv_db_txn(db, mirror_txn, &m, err);
}

int note_failed(struct rhv_db *db, struct dc_view *v, struct spm_host *h, const char *reason,
		       struct rhv_error *err)
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

/* ---- tokens ---- */

static int fill_token(struct dc_view *v, const struct spm_host *h, uint64_t gen, const struct rhv_lease_timing *t,
		      struct rhv_spm_token *tok)
{
	memset(tok, 0, sizeof(*tok));
	snprintf(tok->dc_id, sizeof(tok->dc_id), "%s", v->id);
	snprintf(tok->host_id, sizeof(tok->host_id), "%s", h->id);
	snprintf(tok->host, sizeof(tok->host), "%s", h->name);
	snprintf(tok->host_uri, sizeof(tok->host_uri), "%s", h->uri);
	snprintf(tok->master_path, sizeof(tok->master_path), "%s", v->master_path);
	snprintf(tok->lease_path, sizeof(tok->lease_path), "%s/%s/%s", v->master_path, RHV_SDMETA_DIR,
		 RHV_SD_LEASE_FILE);
	tok->spm_id = h->spm_id;
	tok->generation = gen;
	tok->timing = *t;
	return 0;
}

int rhv_spm_token_renew(struct rhv_spm_token *tok, struct rhv_error *err)
{
	return rhv_lease_renew(tok->lease_path, tok->spm_id, tok->generation, &tok->timing, err);
}

/* The store's SPM, if its lease is live under the store's generation: renewed and handed out. */
static int current_token(struct rhv_db *db, const char *dc_id, struct rhv_spm_token *out, bool *have,
			 struct rhv_error *err)
{
	struct dc_view v;
	struct rhv_lease_timing t;
	struct rhv_lease_state st;
	struct spm_host *h;
	struct rhv_error ignored = { 0 };
	int rc = -1;

	*have = false;
	if (load_view(db, dc_id, &v, err) < 0 || rhv_spm_timing(db, &t, err) < 0)
		goto out;
	rc = 0;
	h = v.spm_host[0] ? host_by_id(&v, v.spm_host) : NULL;
	if (!h || !v.master_path || strcmp(h->state, RHV_HOST_UP))
		goto out;
	fill_token(&v, h, v.generation, &t, out);
	if (rhv_lease_read(out->lease_path, &st, &t, &ignored) < 0 || !st.held || st.owner != h->spm_id ||
	    st.generation != v.generation || st.expired)
		goto out;
	/*
	 * Renew once the lease is older than N: with expiry at 8 N that keeps
	 * it far from expiring, and a burst of commands pays one synchronous
	 * lease write, not one each.
	 */
	{
		struct rhv_lease_limits lim;
		int64_t now = t.now_ms ? t.now_ms(t.clock_data) : (int64_t)time(NULL) * 1000;

		rhv_lease_limits(&t, &lim);
		*have = now - st.renewed_ms < lim.io_timeout || rhv_spm_token_renew(out, &ignored) == 0;
	}
out:
	dc_view_clear(&v);
	return rc;
}

int rhv_spm_token(struct rhv_db *db, const char *dc_id, const struct rhv_progress *p, struct rhv_spm_token *out,
		  struct rhv_error *err)
{
	bool have;

	if (current_token(db, dc_id, out, &have, err) < 0)
		return -1;
	if (have)
		return 0;
	if (rhv_spm_elect(db, dc_id, false, p, NULL, 0, err) < 0)
		return -1;
	if (current_token(db, dc_id, out, &have, err) < 0)
		return -1;
	if (!have)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "the SPM of the data center changed during the operation");
	return 0;
}

/* ---- release, status, monitor, confirm-down ---- */

int rhv_spm_release(struct rhv_db *db, const char *dc, const struct rhv_progress *p, struct rhv_error *err)
{
	struct dc_view v;
	struct rhv_lease_timing t;
	struct spm_host *h;
	int rc = -1;

	if (load_view(db, dc, &v, err) < 0)
		goto out;
	h = v.spm_host[0] ? host_by_id(&v, v.spm_host) : NULL;
	if (!h) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "data center '%s' has no SPM", v.name);
		goto out;
	}
	if (rhv_spm_timing(db, &t, err) < 0)
		goto out;
	if (v.master_path) {
		_cleanup_free_ char *path = lease_path_of(v.master_path);
		struct rhv_error e2 = { 0 };

		/* a lease that already moved on is not ours to release; the store still forgets the role */
		if (rhv_lease_release(path, h->spm_id, v.generation, &t, &e2) < 0 && e2.code != RHV_EXIT_CONFLICT) {
			*err = e2;
			goto out;
		}
	}
	{
		_cleanup_free_ char *why = rhv_xasprintf("host '%s' released the SPM role of data center '%s'", h->name,
							 v.name);

		rc = mirror(db, &v, NULL, v.generation, why, RHV_SEV_NORMAL, err);
		if (rc == 0)
			rhv_progress_note(p, "%s", why);
	}
out:
	dc_view_clear(&v);
	return rc;
}

void rhv_spm_status_clear(struct rhv_spm_status *s)
{
	free(s->dc);
	free(s->host);
	free(s->master);
	free(s->lease_error);
	free(s->lease_holder);
	free(s->failed);
	memset(s, 0, sizeof(*s));
}

int rhv_spm_status_get(struct rhv_db *db, const char *dc, struct rhv_spm_status *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct dc_view v;
	struct rhv_lease_timing t;
	struct spm_host *h;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (load_view(db, dc, &v, err) < 0 || rhv_spm_timing(db, &t, err) < 0)
		goto out;
	snprintf(out->dc_id, sizeof(out->dc_id), "%s", v.id);
	out->dc = rhv_xstrdup(v.name);
	h = v.spm_host[0] ? host_by_id(&v, v.spm_host) : NULL;
	out->host = h ? rhv_xstrdup(h->name) : NULL;
	out->generation = v.generation;
	out->master = v.master_name ? rhv_xstrdup(v.master_name) : NULL;
	if (v.master_path) {
		_cleanup_free_ char *path = lease_path_of(v.master_path);
		struct rhv_lease_state st;
		struct rhv_error e2 = { 0 };

		if (rhv_lease_read(path, &st, &t, &e2) == 0) {
			struct spm_host *holder = host_by_spm_id(&v, st.owner);

			out->lease_read = true;
			out->lease_spm_id = st.owner;
			out->lease_holder = st.held ? rhv_xstrdup(holder ? holder->name : st.owner_name) : NULL;
			out->lease_generation = st.generation;
			out->renewed_ms = st.renewed_ms;
			out->expires_ms = st.expires_ms;
			out->dead_ms = st.dead_ms;
			out->expired = st.expired;
			out->dead = st.dead;
		} else {
			out->lease_error = rhv_xstrdup(e2.message);
		}
	}
	if (rhv_db_exec(db,
			"SELECT string_agg(h.name, ',' ORDER BY h.name) AS failed FROM spm_failed f"
			" JOIN hosts h ON h.id = f.host_id WHERE f.dc_id = $1",
			RHV_PARAMS(v.id), &r, err) < 0)
		goto out;
	out->failed = rhv_pq_dup(r, 0, "failed");
	rc = 0;
out:
	dc_view_clear(&v);
	return rc;
}

int rhv_spm_monitor(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"SELECT a.dc_id FROM storage_domain_dc a WHERE a.is_master AND a.status = 'Active' ORDER BY a.dc_id",
			RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		struct rhv_spm_token tok;
		struct rhv_error e2 = { 0 };

		/* renews a live SPM's lease, or elects one */
		if (rhv_spm_token(db, rhv_pq_str(r, i, "dc_id"), p, &tok, &e2) < 0)
			rhv_progress_note(p, "%s", e2.message);
	}
	return 0;
}
