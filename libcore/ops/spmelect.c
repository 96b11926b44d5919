/*
 * The SPM election (reference 2.9): spm.c decides, each candidate proves
 * through its own libvirt daemon that it can read the master domain, and
 * the lease (lease.c) makes the outcome safe against a second elector.
 * Also the admin's confirmation that a host is down, which lets an
 * election go on without waiting for the old SPM's lease.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "rhv/host.h"
#include "rhv/ha.h"
#include "rhv/progress.h"
#include "rhv/sd.h"
#include "rhv/event.h"
#include "rhv/sdmeta.h"
#include "rhv/settings.h"
#include "rhv/spm.h"
#include "rhv/virt.h"
#include "storage/sd-priv.h"
#include "store/sd.h"
#include "store/spm.h"
#include "store/txn.h"

/* A random number in [0, 1): ties between equal priorities, and retry jitter. */
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
static int prove_storage(const struct rhv_spm_view *v, const struct rhv_spm_view_host *h, int timeout_s,
			 struct rhv_error *err)
{
	struct rhv_sd_meta meta;
	_cleanup_virt_conn_ struct rhv_virt_conn *c = rhv_virt_open(h->uri, timeout_s * 1000, err);
	int rc;

	if (!c)
		return -1;
	rc = rhv_sdmeta_probe(c, h->name, v->master_path, v->master_id, &meta, err);
	rhv_sdmeta_clear(&meta);
	return rc;
}

/* Lease takeover with retries of the retryable outcomes (a concurrent election, slow storage). */
static int take_lease(const char *path, const struct rhv_spm_view_host *h, const struct rhv_lease_timing *t, bool force,
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
	struct rhv_spm_view v;
	struct rhv_lease_timing t;
	struct rhv_lease_state lease;
	char *lease_path;
	const struct rhv_progress *p;
	int timeout_s, attempts;
	bool force;
};

/*
 * The master's lease, formatted if new, and raised to the data center's
 * generation if it is a former master's lease from an earlier time (its
 * holder then is stale; generations never repeat).
 */
static int read_lease(struct election *e, struct rhv_error *err)
{
	if (rhv_lease_init(e->lease_path, e->v.generation, err) < 0)
		return -1;
	return rhv_lease_read(e->lease_path, &e->lease, &e->t, err);
}

/* spm.c's view of the hosts; *current gets the index of the SPM by store or by lease. */
static struct rhv_spm_host *decision_input(struct election *e, int *current)
{
	struct rhv_spm_host *in = rhv_xcalloc(e->v.nhosts ? e->v.nhosts : 1, sizeof(*in));
	struct rhv_spm_view_host *by_lease =
		e->lease.held && !e->lease.dead ? rhv_spm_view_host_by_spm_id(&e->v, e->lease.owner) : NULL;

	*current = -1;
	for (size_t i = 0; i < e->v.nhosts; i++) {
		struct rhv_spm_view_host *h = &e->v.hosts[i];

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
		struct rhv_spm_view_host *h;
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
					     "no SPM for data center '%s': %d host%s tried, each failed", e->v.name,
					     e->attempts, e->attempts == 1 ? "" : "s");
		if (d.verdict == RHV_SPM_ELECT)
			rhv_progress_note(e->p, "electing host '%s' as SPM of data center '%s'", h->name, e->v.name);
		if (prove_storage(&e->v, h, e->timeout_s, err) < 0) {
			struct rhv_error e2 = { 0 };

			if (d.verdict == RHV_SPM_KEEP || rhv_db_spm_note_failed(e->db, &e->v, h, err->message, &e2) < 0) {
				if (e2.code)
					*err = e2;
				return -1;
			}
			rhv_progress_note(e->p, "host '%s' cannot be SPM: %s", h->name, err->message);
			rhv_error_clear(err);
			continue;
		}
		/*
		 * An admin's confirmation lets us take over a lease its holder can no
		 * longer renew; so does Maintenance: rhv is what acts for a host as
		 * SPM, and it does not for a host in Maintenance.
		 */
		{
			struct rhv_spm_view_host *holder = e->lease.held ? rhv_spm_view_host_by_spm_id(&e->v, e->lease.owner) : NULL;

			force = e->force || (holder && holder != h &&
					     (holder->confirmed_down || !strcmp(holder->state, RHV_HOST_MAINTENANCE)));
		}
		if (take_lease(e->lease_path, h, &e->t, force, &gen, err) < 0) {
			if (err->code == RHV_EXIT_CONFLICT)
				return -1;
			{
				struct rhv_error e2 = { 0 };

				if (rhv_db_spm_note_failed(e->db, &e->v, h, err->message, &e2) < 0)
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
			if (rhv_db_spm_mirror(e->db, &e->v, h, gen, why, RHV_SEV_NORMAL, err) < 0)
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

	if (rhv_db_spm_view_load(db, dc, &e->v, err) < 0)
		return -1;
	if (!e->v.master_path)
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "data center '%s' has no master storage domain: attach a data domain first",
				     e->v.name);
	if (rhv_spm_timing(db, &e->t, err) < 0 || rhv_settings_load(db, &st, err) < 0)
		return -1;
	e->timeout_s = (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS];
	e->attempts = (int)st.v[RHV_SET_SPM_ELECTION_ATTEMPTS];
	e->lease_path = rhv_sd_lease_path(e->v.master_path);
	return 0;
}

/* The whole election under the data center's lock; the failed list lives for this election only. */
static int elect(struct rhv_db *db, const char *dc, bool force, const struct rhv_progress *p, char *elected,
		 size_t elected_len, struct rhv_error *err)
{
	struct election e = { .db = db, .p = p, .force = force };
	char dc_id[37];
	int rc = -1;

	if (rhv_db_dc_id(db, dc, dc_id, err) < 0 || rhv_db_lock_wait(db, "spm", dc_id, err) < 0)
		return -1;
	if (rhv_db_spm_failed_reset(db, dc_id, err) < 0 ||
	    rhv_db_spm_assign_ids(db, dc_id, err) < 0)
		goto out;
	if (election_setup(db, dc_id, &e, err) == 0)
		rc = elect_locked(&e, elected, elected_len, err);
out:
	{
		struct rhv_error ignored = { 0 };
		bool held;

		rhv_db_try_lock(db, "spm", dc_id, false, &held, &ignored);
	}
	free(e.lease_path);
	rhv_spm_view_clear(&e.v);
	return rc;
}

int rhv_spm_elect(struct rhv_db *db, const char *dc, bool force, const struct rhv_progress *p, char *elected,
		  size_t elected_len, struct rhv_error *err)
{
	return elect(db, dc, force, p, elected, elected_len, err);
}

static int confirm_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	return rhv_db_spm_confirm_down(db, arg, err);
}

static int confirm_down(struct rhv_db *db, const char *host, bool fenced, const struct rhv_progress *p,
			struct rhv_error *err)
{
	struct rhv_spm_confirm c = { .host = host, .fenced = fenced };
	struct rhv_ha_outcome ha;
	bool has_master;

	if (rhv_db_txn(db, confirm_txn, &c, err) < 0)
		return -1;
	rhv_progress_note(p, "host '%s' confirmed down; %lld VM%s marked Down", c.name, (long long)c.vms,
			  c.vms == 1 ? "" : "s");
	/*
	 * Its HA VMs run again elsewhere now (what cannot start yet is retried
	 * by the monitor); before the election, which may wait for the lease.
	 */
	if (rhv_ha_restart_pass(db, p, &ha, err) < 0)
		return -1;
	if (!c.was_spm)
		return 0;
	if (rhv_db_sd_has_master(db, c.dc_id, &has_master, err) < 0)
		return -1;
	if (has_master) {
		struct rhv_error e2 = { 0 };
		char who[256];

		if (elect(db, c.dc_id, true, p, who, sizeof(who), &e2) < 0)
			rhv_progress_warn(p, "no new SPM yet: %s", e2.message);
	}
	return 0;
}

int rhv_host_confirm_down(struct rhv_db *db, const char *host, const struct rhv_progress *p, struct rhv_error *err)
{
	return confirm_down(db, host, false, p, err);
}

int rhv_host_fenced_off(struct rhv_db *db, const char *host, const struct rhv_progress *p, struct rhv_error *err)
{
	return confirm_down(db, host, true, p, err);
}
