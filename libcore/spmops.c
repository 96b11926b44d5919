/*
 * SPM election and tokens: read hosts and the lease, let spm.c decide, take
 * the lease (lease.c), mirror the outcome in the store.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "db-priv.h"
#include "rhv/event.h"
#include "rhv/host.h"
#include "rhv/progress.h"
#include "rhv/sd.h"
#include "rhv/sdmeta.h"
#include "rhv/sdprobe.h"
#include "rhv/settings.h"
#include "rhv/spm.h"
#include "rhv/spmops.h"
#include "rhv/virt.h"

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

struct spm_host {
	char id[37];
	char *name, *uri, *state;
	int priority, spm_id;
	bool confirmed_down, failed;
};

struct dc_view {
	char id[37];
	char *name;
	char spm_host[37]; /* "" none */
	uint64_t generation;
	char *master_path; /* NULL: no master domain */
	char master_id[37];
	char *master_name;
	struct spm_host *hosts;
	size_t nhosts;
};

static void dc_view_clear(struct dc_view *v)
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
static int assign_spm_ids(struct rhv_db *db, const char *dc_id, struct rhv_error *err)
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

static int load_view(struct rhv_db *db, const char *dc, struct dc_view *v, struct rhv_error *err)
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

static char *lease_path_of(const char *master_path)
{
	return rhv_xasprintf("%s/%s/%s", master_path, RHV_SDMETA_DIR, RHV_SD_LEASE_FILE);
}

static struct spm_host *host_by_id(struct dc_view *v, const char *id)
{
	for (size_t i = 0; i < v->nhosts; i++)
		if (!strcmp(v->hosts[i].id, id))
			return &v->hosts[i];
	return NULL;
}

static struct spm_host *host_by_spm_id(struct dc_view *v, int spm_id)
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

static int mirror(struct rhv_db *db, struct dc_view *v, const struct spm_host *h, uint64_t gen, const char *why,
		  enum rhv_severity sev, struct rhv_error *err)
{
	struct mirror m = { v, h, gen, why, sev };

	return rhv_db_txn(db, mirror_txn, &m, err);
}

static int note_failed(struct rhv_db *db, struct dc_view *v, struct spm_host *h, const char *reason,
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

/* ---- the election ---- */

static double random_unit(void)
{
	uint32_t x = 0;

	if (getrandom(&x, sizeof(x), 0) != sizeof(x))
		x = (uint32_t)time(NULL);
	return (double)x / 4294967296.0;
}

static void pause_ms(int64_t ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* The candidate shows it can read the master domain's metadata through its own daemon. */
static int prove_storage(const struct dc_view *v, const struct spm_host *h, int timeout_s, struct rhv_error *err)
{
	struct rhv_sd_meta meta;
	virConnectPtr c = rhv_virt_open(h->uri, timeout_s * 1000, err);
	int rc;

	if (!c)
		return -1;
	rc = rhv_sdprobe_read(c, h->name, v->master_path, v->master_id, &meta, err);
	rhv_sdmeta_clear(&meta);
	virConnectClose(c);
	return rc;
}

/* Lease takeover with retries of the retryable outcomes (a concurrent election, slow storage). */
static int take_lease(const char *path, const struct spm_host *h, const struct rhv_lease_timing *t, bool force,
		      uint64_t *gen, struct rhv_error *err)
{
	struct rhv_lease_limits lim;

	rhv_lease_limits(t, &lim);
	for (int attempt = 0;; attempt++) {
		rhv_error_clear(err);
		if (rhv_lease_acquire(path, h->spm_id, h->name, t, force, gen, err) == 0)
			return 0;
		if (!err->retryable || attempt >= 3)
			return -1;
		pause_ms(lim.io_timeout / 2 + (int64_t)(random_unit() * (double)lim.io_timeout));
	}
}

struct election {
	struct rhv_db *db;
	struct dc_view v;
	struct rhv_lease_timing t;
	struct rhv_lease_state lease;
	char *lease_path;
	const struct rhv_progress *p;
	int timeout_s, attempts;
	bool force;
};

static int read_lease(struct election *e, struct rhv_error *err)
{
	if (access(e->lease_path, F_OK) < 0 &&
	    rhv_lease_init(e->lease_path, e->v.generation, err) < 0)
		return -1;
	return rhv_lease_read(e->lease_path, &e->lease, &e->t, err);
}

/* spm.c's view of the hosts; *current gets the index of the SPM by store or by lease. */
static struct rhv_spm_host *decision_input(struct election *e, int *current)
{
	struct rhv_spm_host *in = rhv_xcalloc(e->v.nhosts ? e->v.nhosts : 1, sizeof(*in));
	struct spm_host *by_lease = e->lease.held && !e->lease.dead ? host_by_spm_id(&e->v, e->lease.owner) : NULL;

	*current = -1;
	for (size_t i = 0; i < e->v.nhosts; i++) {
		struct spm_host *h = &e->v.hosts[i];

		in[i].name = h->name;
		in[i].priority = h->priority;
		in[i].up = !strcmp(h->state, RHV_HOST_UP);
		in[i].nonresponsive = !strcmp(h->state, RHV_HOST_CONNECTING) ||
				      !strcmp(h->state, RHV_HOST_NONRESPONSIVE);
		in[i].confirmed_down = h->confirmed_down;
		in[i].failed = h->failed;
		/*
		 * Nothing renews a lease between rhv commands, so an expired but
		 * not dead lease of an Up host is still its own: keeping it re-takes
		 * it (a new generation).  Others must wait for it to die.
		 */
		in[i].holds_lease = e->lease.held && !e->lease.dead && e->lease.owner == h->spm_id;
		/* the lease outranks the store: a holder the store forgot (a crash after the takeover) still counts */
		if (h == by_lease || (!by_lease && !strcmp(h->id, e->v.spm_host)))
			*current = (int)i;
	}
	return in;
}

static int elect_locked(struct election *e, char *elected, size_t elected_len, struct rhv_error *err)
{
	for (int round = 0;; round++) {
		struct rhv_spm_decision d;
		struct rhv_spm_host *in;
		struct spm_host *h;
		uint64_t gen = 0;
		int current;
		bool force;

		if (read_lease(e, err) < 0)
			return -1;
		in = decision_input(e, &current);
		rhv_spm_decide(in, e->v.nhosts, current, !e->lease.held || e->lease.dead, random_unit(), &d);
		free(in);
		if (d.verdict == RHV_SPM_WAIT || d.verdict == RHV_SPM_NONE) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "no SPM for data center '%s': %s", e->v.name, d.reason);
			if (d.verdict == RHV_SPM_WAIT)
				rhv_error_hint(err, "if the host is really down, say so with 'rhv-host confirm-down HOST'");
			return -1;
		}
		h = &e->v.hosts[d.host];
		if (round >= e->attempts)
			return rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
					     "no SPM for data center '%s': %d hosts tried, each failed", e->v.name,
					     e->attempts);
		if (d.verdict == RHV_SPM_ELECT)
			rhv_progress_note(e->p, "electing host '%s' as SPM of data center '%s'", h->name, e->v.name);
		if (prove_storage(&e->v, h, e->timeout_s, err) < 0) {
			struct rhv_error e2 = { 0 };

			if (d.verdict == RHV_SPM_KEEP || note_failed(e->db, &e->v, h, err->message, &e2) < 0) {
				if (e2.code)
					*err = e2;
				return -1;
			}
			rhv_progress_note(e->p, "host '%s' cannot be SPM: %s", h->name, err->message);
			rhv_error_clear(err);
			continue;
		}
		/* an admin's confirmation lets us take over a lease its holder can no longer renew */
		{
			struct spm_host *holder = e->lease.held ? host_by_spm_id(&e->v, e->lease.owner) : NULL;

			force = e->force || (holder && holder != h && holder->confirmed_down);
		}
		if (take_lease(e->lease_path, h, &e->t, force, &gen, err) < 0) {
			if (err->code == RHV_EXIT_CONFLICT)
				return -1;
			{
				struct rhv_error e2 = { 0 };

				if (note_failed(e->db, &e->v, h, err->message, &e2) < 0)
					return *err = e2, -1;
			}
			rhv_error_clear(err);
			continue;
		}
		{
			_cleanup_free_ char *why = NULL;
			bool same = !strcmp(h->id, e->v.spm_host) && gen == e->v.generation;

			if (!same)
				why = rhv_xasprintf("host '%s' is the SPM of data center '%s' (generation %llu)", h->name,
						    e->v.name, (unsigned long long)gen);
			if (mirror(e->db, &e->v, h, gen, why, RHV_SEV_NORMAL, err) < 0)
				return -1;
			if (!same)
				rhv_progress_note(e->p, "%s", why);
		}
		if (elected)
			snprintf(elected, elected_len, "%s", h->name);
		return 0;
	}
}

static int election_setup(struct rhv_db *db, const char *dc, struct election *e, struct rhv_error *err)
{
	struct rhv_settings st;

	if (load_view(db, dc, &e->v, err) < 0)
		return -1;
	if (!e->v.master_path)
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "data center '%s' has no master storage domain: attach a data domain first",
				     e->v.name);
	if (rhv_spm_timing(db, &e->t, err) < 0 || rhv_settings_load(db, &st, err) < 0)
		return -1;
	e->timeout_s = (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS];
	e->attempts = (int)st.v[RHV_SET_SPM_ELECTION_ATTEMPTS];
	e->lease_path = lease_path_of(e->v.master_path);
	return 0;
}

static int dc_lock(struct rhv_db *db, const char *dc_id, bool lock, struct rhv_error *err)
{
	return rhv_db_exec(db,
			   lock ? "SELECT pg_advisory_lock(hashtext('spm'), hashtext($1))"
				: "SELECT pg_advisory_unlock(hashtext('spm'), hashtext($1))",
			   RHV_PARAMS(dc_id), NULL, err);
}

static int resolve_dc(struct rhv_db *db, const char *dc, char id[37], struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_get_by_name(db, "SELECT d.id FROM data_centers d", "d", "data_centers", false, "data center", dc,
			       &r, err) < 0)
		return -1;
	snprintf(id, 37, "%s", rhv_pq_str(r, 0, "id"));
	return 0;
}

/* The whole election under the data center's lock; the failed list lives for this election only. */
static int elect(struct rhv_db *db, const char *dc, bool force, const struct rhv_progress *p, char *elected,
		 size_t elected_len, struct rhv_error *err)
{
	struct election e = { .db = db, .p = p, .force = force };
	char dc_id[37];
	int rc = -1;

	if (resolve_dc(db, dc, dc_id, err) < 0 || dc_lock(db, dc_id, true, err) < 0)
		return -1;
	if (rhv_db_exec(db, "DELETE FROM spm_failed WHERE dc_id = $1", RHV_PARAMS(dc_id), NULL, err) < 0 ||
	    assign_spm_ids(db, dc_id, err) < 0)
		goto out;
	if (election_setup(db, dc_id, &e, err) == 0)
		rc = elect_locked(&e, elected, elected_len, err);
out:
	{
		struct rhv_error ignored = { 0 };

		dc_lock(db, dc_id, false, &ignored);
	}
	free(e.lease_path);
	dc_view_clear(&e.v);
	return rc;
}

int rhv_spm_elect(struct rhv_db *db, const char *dc, bool force, const struct rhv_progress *p, char *elected,
		  size_t elected_len, struct rhv_error *err)
{
	return elect(db, dc, force, p, elected, elected_len, err);
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
	*have = rhv_spm_token_renew(out, &ignored) == 0;
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
	if (elect(db, dc_id, false, p, NULL, 0, err) < 0)
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

struct confirm {
	const char *host;
	char id[37], name[256], dc_id[37];
	bool was_spm;
	int64_t vms;
};

static int confirm_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct confirm *c = arg;
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
	    strcmp(rhv_pq_str(r, 0, "state"), RHV_HOST_CONNECTING))
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "host '%s' is %s: only a host that stopped answering can be confirmed down",
				     c->name, rhv_pq_str(r, 0, "state"));
	if (rhv_db_exec(db, "UPDATE hosts SET confirmed_down_at = now(), is_spm = false WHERE id = $1",
			RHV_PARAMS(c->id), NULL, err) < 0 ||
	    rhv_db_command(db,
			   "UPDATE vms SET state = 'Down', host_id = NULL, migrating_to = NULL, state_since = now()"
			   " WHERE host_id = $1",
			   RHV_PARAMS(c->id), &n, err) < 0 ||
	    rhv_db_exec(db, "UPDATE vms SET migrating_to = NULL, state = 'Up' WHERE migrating_to = $1",
			RHV_PARAMS(c->id), NULL, err) < 0)
		return -1;
	c->vms = n;
	if (c->was_spm &&
	    rhv_db_exec(db, "UPDATE data_centers SET spm_host_id = NULL, spm_since = NULL WHERE id = $1",
			RHV_PARAMS(c->dc_id), NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_WARNING, "host", c->id, c->name, "confirm-down", err,
			     "an administrator confirmed host '%s' is down; %lld VMs on it marked Down%s", c->name,
			     (long long)n, c->was_spm ? "; its SPM role is free" : "");
}

int rhv_host_confirm_down(struct rhv_db *db, const char *host, const struct rhv_progress *p, struct rhv_error *err)
{
	struct confirm c = { .host = host };
	bool has_master;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_txn(db, confirm_txn, &c, err) < 0)
		return -1;
	rhv_progress_note(p, "host '%s' confirmed down; %lld VMs marked Down", c.name, (long long)c.vms);
	if (!c.was_spm)
		return 0;
	if (rhv_db_exec(db, "SELECT 1 FROM storage_domain_dc WHERE dc_id = $1 AND is_master", RHV_PARAMS(c.dc_id), &r,
			err) < 0)
		return -1;
	has_master = PQntuples(r) > 0;
	if (has_master) {
		struct rhv_error e2 = { 0 };
		char who[256];

		if (elect(db, c.dc_id, true, p, who, sizeof(who), &e2) < 0)
			rhv_progress_warn(p, "no new SPM yet: %s", e2.message);
	}
	return 0;
}
