/*
 * The SPM's tokens, release, status, monitoring and hand-off: the store's
 * view (store/spm.c) checked against the lease (lease.c); an election
 * (spmelect.c) when there is no live SPM.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "store/host.h"
#include "store/spm.h"
#include "storage/sd-priv.h"
#include "rhv/event.h"
#include "rhv/host.h"
#include "rhv/progress.h"
#include "rhv/sd.h"
#include "rhv/sdmeta.h"
#include "rhv/settings.h"
#include "rhv/spm.h"
#include "rhv/spmops.h"

/* ---- tokens ---- */

static int fill_token(struct rhv_spm_view *v, const struct rhv_spm_view_host *h, uint64_t gen,
		      const struct rhv_lease_timing *t, struct rhv_spm_token *tok)
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
	struct rhv_spm_view v;
	struct rhv_lease_timing t;
	struct rhv_lease_state st;
	struct rhv_spm_view_host *h;
	struct rhv_error ignored = { 0 };
	int rc = -1;

	*have = false;
	if (rhv_db_spm_view_load(db, dc_id, &v, err) < 0 || rhv_spm_timing(db, &t, err) < 0)
		goto out;
	rc = 0;
	h = v.spm_host[0] ? rhv_spm_view_host(&v, v.spm_host) : NULL;
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
	rhv_spm_view_clear(&v);
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
	struct rhv_spm_view v;
	struct rhv_lease_timing t;
	struct rhv_spm_view_host *h;
	int rc = -1;

	if (rhv_db_spm_view_load(db, dc, &v, err) < 0)
		goto out;
	h = v.spm_host[0] ? rhv_spm_view_host(&v, v.spm_host) : NULL;
	if (!h) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "data center '%s' has no SPM", v.name);
		goto out;
	}
	if (rhv_spm_timing(db, &t, err) < 0)
		goto out;
	if (v.master_path) {
		_cleanup_free_ char *path = rhv_sd_lease_path(v.master_path);
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

		rc = rhv_db_spm_mirror(db, &v, NULL, v.generation, why, RHV_SEV_NORMAL, err);
		if (rc == 0)
			rhv_progress_note(p, "%s", why);
	}
out:
	rhv_spm_view_clear(&v);
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
	struct rhv_spm_view v;
	struct rhv_lease_timing t;
	struct rhv_spm_view_host *h;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (rhv_db_spm_view_load(db, dc, &v, err) < 0 || rhv_spm_timing(db, &t, err) < 0)
		goto out;
	snprintf(out->dc_id, sizeof(out->dc_id), "%s", v.id);
	out->dc = rhv_xstrdup(v.name);
	h = v.spm_host[0] ? rhv_spm_view_host(&v, v.spm_host) : NULL;
	out->host = h ? rhv_xstrdup(h->name) : NULL;
	out->generation = v.generation;
	out->master = v.master_name ? rhv_xstrdup(v.master_name) : NULL;
	if (v.master_path) {
		_cleanup_free_ char *path = rhv_sd_lease_path(v.master_path);
		struct rhv_lease_state st;
		struct rhv_error e2 = { 0 };

		if (rhv_lease_read(path, &st, &t, &e2) == 0) {
			struct rhv_spm_view_host *holder = rhv_spm_view_host_by_spm_id(&v, st.owner);

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
	if (rhv_db_spm_failed_names(db, v.id, &out->failed, err) < 0)
		goto out;
	rc = 0;
out:
	rhv_spm_view_clear(&v);
	return rc;
}

int rhv_spm_monitor(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	char **dcs;
	size_t n;

	if (rhv_db_spm_master_dcs(db, &dcs, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct rhv_spm_token tok;
		struct rhv_error e2 = { 0 };

		/* renews a live SPM's lease, or elects one */
		if (rhv_spm_token(db, dcs[i], p, &tok, &e2) < 0)
			rhv_progress_note(p, "%s", e2.message);
	}
	rhv_db_names_free(dcs, n);
	return 0;
}

int rhv_spm_handoff(struct rhv_db *db, const char *host_id, const struct rhv_progress *p, struct rhv_error *err)
{
	char dc_id[37];
	struct rhv_error e2 = { 0 };
	int rc = rhv_db_spm_dc_of_host(db, host_id, dc_id, err);

	if (rc <= 0)
		return rc;
	if (rhv_spm_release(db, dc_id, p, err) < 0)
		return -1;
	/* the role moves now, not at the next operation; no host free to take it is not this command's failure */
	if (rhv_spm_elect(db, dc_id, false, p, NULL, 0, &e2) < 0)
		rhv_progress_warn(p, "no new SPM yet: %s", e2.message);
	return 0;
}
