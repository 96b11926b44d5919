/*
 * One monitoring pass (rhv-host monitor): contact each host, record usage
 * samples, reconcile the guests libvirt reports with the store, and move
 * unreachable hosts Up -> Connecting -> NonResponsive after the grace time
 * of reference 4.5.  Each host is worked on under a session advisory lock,
 * so overlapping passes (cron and an admin) never process one host twice.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/host-priv.h"
#include "rhv/event.h"
#include "rhv/sdmon.h"
#include "rhv/progress.h"
#include "rhv/settings.h"
#include "rhv/virt.h"
#include "ops/vm-priv.h"
#include "store/store-priv.h"

struct guest {
	char uuid[VIR_UUID_STRING_BUFLEN];
	char *name;
	int state; /* virDomainState */
	unsigned long long cpu_time; /* ns */
	unsigned long long mem_used; /* bytes */
	bool matched;
};

struct reading {
	bool ok;
	struct rhv_error err;
	unsigned long long cpu_total, cpu_idle; /* ns since boot, all CPUs */
	unsigned long long mem_total, mem_used; /* bytes */
	struct guest *guests;
	size_t nguests;
};

static void reading_clear(struct reading *r)
{
	for (size_t i = 0; i < r->nguests; i++)
		free(r->guests[i].name);
	free(r->guests);
	memset(r, 0, sizeof(*r));
}

static void node_stats(virConnectPtr c, struct reading *r)
{
	int n = 0;

	if (virNodeGetCPUStats(c, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &n, 0) == 0 && n > 0) {
		virNodeCPUStatsPtr s = rhv_xcalloc((size_t)n, sizeof(*s));

		if (virNodeGetCPUStats(c, VIR_NODE_CPU_STATS_ALL_CPUS, s, &n, 0) == 0)
			for (int i = 0; i < n; i++) {
				r->cpu_total += s[i].value;
				if (!strcmp(s[i].field, VIR_NODE_CPU_STATS_IDLE))
					r->cpu_idle += s[i].value;
			}
		free(s);
	}
	n = 0;
	if (virNodeGetMemoryStats(c, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &n, 0) == 0 && n > 0) {
		virNodeMemoryStatsPtr s = rhv_xcalloc((size_t)n, sizeof(*s));
		unsigned long long total = 0, avail = 0;

		if (virNodeGetMemoryStats(c, VIR_NODE_MEMORY_STATS_ALL_CELLS, s, &n, 0) == 0)
			for (int i = 0; i < n; i++) {
				if (!strcmp(s[i].field, VIR_NODE_MEMORY_STATS_TOTAL))
					total = s[i].value;
				else if (!strcmp(s[i].field, VIR_NODE_MEMORY_STATS_FREE) ||
					 !strcmp(s[i].field, VIR_NODE_MEMORY_STATS_BUFFERS) ||
					 !strcmp(s[i].field, VIR_NODE_MEMORY_STATS_CACHED))
					avail += s[i].value;
			}
		r->mem_total = total * 1024;
		r->mem_used = total > avail ? (total - avail) * 1024 : 0;
		free(s);
	}
}

static int guest_by_name(const void *a, const void *b)
{
	return strcmp(((const struct guest *)a)->name, ((const struct guest *)b)->name);
}

/* The host's guests, by name: what the pass reports reads the same whatever order libvirt lists them in. */
static void guest_stats(virConnectPtr c, struct reading *r)
{
	virDomainStatsRecordPtr *recs = NULL;
	int n = virConnectGetAllDomainStats(c, VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL |
						       VIR_DOMAIN_STATS_BALLOON,
					    &recs, 0);

	if (n < 0)
		return;
	r->guests = rhv_xcalloc((size_t)n + 1, sizeof(*r->guests));
	for (int i = 0; i < n; i++) {
		struct guest *g = &r->guests[r->nguests++];
		unsigned long long rss = 0, cur = 0;
		int st = 0;

		virDomainGetUUIDString(recs[i]->dom, g->uuid);
		g->name = rhv_xstrdup(virDomainGetName(recs[i]->dom));
		virTypedParamsGetInt(recs[i]->params, recs[i]->nparams, "state.state", &st);
		g->state = st;
		virTypedParamsGetULLong(recs[i]->params, recs[i]->nparams, "cpu.time", &g->cpu_time);
		virTypedParamsGetULLong(recs[i]->params, recs[i]->nparams, "balloon.rss", &rss);
		virTypedParamsGetULLong(recs[i]->params, recs[i]->nparams, "balloon.current", &cur);
		g->mem_used = (rss ? rss : cur) * 1024;
	}
	virDomainStatsRecordListFree(recs);
	qsort(r->guests, r->nguests, sizeof(*r->guests), guest_by_name);
}

static void read_host(const struct rhv_host *h, int timeout_s, struct reading *r)
{
	virConnectPtr c = rhv_virt_open(h->uri, timeout_s * 1000, &r->err);

	if (!c)
		return;
	node_stats(c, r);
	guest_stats(c, r);
	/* a host that fails mid-way is as unreachable as one that never answered */
	r->ok = virConnectIsAlive(c) == 1;
	if (!r->ok)
		rhv_virt_error(&r->err, "host '%s' stopped answering", h->name);
	virConnectClose(c);
}

struct pass {
	const struct rhv_host *host;
	struct reading *r;
	const struct rhv_settings *st;
	const struct rhv_progress *p;
	char summary[1200];
	bool failed;
};

/* Grace before NonResponsive: 60 s + 0.5 s per VM + 20 s for the SPM (reference 4.5). */
static int64_t grace_ms(const struct rhv_settings *st, const struct rhv_host *h)
{
	return st->v[RHV_SET_HOST_GRACE_SECONDS] * 1000 + st->v[RHV_SET_HOST_GRACE_PER_VM_MS] * h->vms +
	       (h->is_spm ? st->v[RHV_SET_HOST_GRACE_SPM_SECONDS] * 1000 : 0);
}

/* Its VMs' fate is unknown until the host answers or is fenced: each says so. */
static int vms_unknown(struct rhv_db *db, const struct rhv_host *h, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"UPDATE vms SET state = 'Unknown', state_since = now() WHERE host_id = $1"
			" AND state IN ('Up', 'Paused', 'PoweringDown') RETURNING id, name",
			RHV_PARAMS(h->id), &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++)
		if (rhv_event_add(db, RHV_SEV_WARNING, "vm", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), "Unknown", err,
				  "VM '%s' is Unknown: its host '%s' is NonResponsive", PQgetvalue(r, i, 1),
				  h->name) < 0)
			return -1;
	return 0;
}

static int unreachable_txn(struct rhv_db *db, struct pass *ps, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_host h;
	int64_t away_ms;
	int rc = -1;

	if (rhv_db_host_lock(db, ps->host->id, &h, err) < 0)
		return -1;
	if (rhv_db_exec(db, "SELECT (extract(epoch FROM now() - coalesce(unreachable_since, now())) * 1000)::bigint"
			    " FROM hosts WHERE id = $1",
			RHV_PARAMS(h.id), &r, err) < 0)
		goto out;
	away_ms = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	if (!strcmp(h.state, RHV_HOST_UP)) {
		rc = rhv_db_host_set_state(db, &h, RHV_HOST_CONNECTING, ps->r->err.message, err);
		snprintf(ps->summary, sizeof(ps->summary), "host '%s' is Connecting: %s", h.name, ps->r->err.message);
	} else if (!strcmp(h.state, RHV_HOST_CONNECTING) && away_ms >= grace_ms(ps->st, &h)) {
		rc = rhv_db_host_set_state(db, &h, RHV_HOST_NONRESPONSIVE, ps->r->err.message, err);
		if (rc == 0)
			rc = vms_unknown(db, &h, err);
		snprintf(ps->summary, sizeof(ps->summary), "host '%s' is NonResponsive: unreachable beyond its grace of %lld s: %s",
			 h.name, (long long)(grace_ms(ps->st, &h) / 1000), ps->r->err.message);
	} else {
		rc = 0;
		snprintf(ps->summary, sizeof(ps->summary), "host '%s' is %s: %s (unreachable for %lld s, grace %lld s)",
			 h.name, h.state, ps->r->err.message, (long long)(away_ms / 1000),
			 (long long)(grace_ms(ps->st, &h) / 1000));
	}
out:
	rhv_host_clear(&h);
	return rc;
}

static struct guest *find_guest(struct reading *r, const char *uuid)
{
	for (size_t i = 0; i < r->nguests; i++)
		if (!strcasecmp(r->guests[i].uuid, uuid))
			return &r->guests[i];
	return NULL;
}

/*
 * A guest running on h that the store does not place there, reported the
 * first time it is seen and never touched.  When it is one of rhv's own VMs
 * placed elsewhere (say, a host that came back after confirm-down while the
 * VM was started again), one VM runs twice on shared disks: an ERROR naming
 * both hosts, for the admin to act on.
 */
static int report_stray_guest(struct rhv_db *db, const struct rhv_host *h, const struct guest *g,
			      struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *ins = NULL, *vm = NULL;

	if (rhv_db_exec(db,
			"INSERT INTO unknown_guests (host_id, uuid, name) VALUES ($1, $2::uuid, $3)"
			" ON CONFLICT (host_id, uuid) DO UPDATE SET last_seen = now(), name = excluded.name"
			" RETURNING first_seen = last_seen AS first",
			RHV_PARAMS(h->id, g->uuid, g->name), &ins, err) < 0)
		return -1;
	if (!rhv_pq_bool(ins, 0, "first"))
		return 0;
	if (rhv_db_exec(db,
			"SELECT v.id, v.name, v.state, o.name AS host FROM vms v LEFT JOIN hosts o ON o.id = v.host_id"
			" WHERE v.id = $1::uuid",
			RHV_PARAMS(g->uuid), &vm, err) < 0)
		return -1;
	if (PQntuples(vm) && rhv_pq_str(vm, 0, "host"))
		return rhv_event_add(db, RHV_SEV_ERROR, "vm", rhv_pq_str(vm, 0, "id"), rhv_pq_str(vm, 0, "name"),
				     "running-twice", err,
				     "VM '%s' runs on two hosts: on '%s', where rhv places it (%s), and on '%s'; the "
				     "guest on '%s' is left alone",
				     rhv_pq_str(vm, 0, "name"), rhv_pq_str(vm, 0, "host"), rhv_pq_str(vm, 0, "state"),
				     h->name, h->name);
	if (PQntuples(vm))
		return rhv_event_add(db, RHV_SEV_ERROR, "vm", rhv_pq_str(vm, 0, "id"), rhv_pq_str(vm, 0, "name"),
				     "running-elsewhere", err,
				     "VM '%s' is %s in the store but runs on host '%s'; the guest is left alone",
				     rhv_pq_str(vm, 0, "name"), rhv_pq_str(vm, 0, "state"), h->name);
	return rhv_event_add(db, RHV_SEV_WARNING, "host", h->id, h->name, "unknown-guest", err,
			     "host '%s' runs a guest rhv does not place there: '%s' (%s); it is left alone", h->name,
			     g->name, g->uuid);
}

/* Bring the store in line with what libvirt reported for the host's VMs. */
static int reconcile(struct rhv_db *db, struct pass *ps, struct rhv_error *err)
{
	static const char vms_sql[] =
		"SELECT v.id, v.name, v.state, v.vcpus, v.host_id = $1 AS here, v.migrating_to = $1 AS incoming,"
		" v.cpu_time, (extract(epoch FROM now() - v.last_sample) * 1e9)::bigint AS since_ns,"
		" ceil(v.memory / 1073741824.0)::bigint AS gib,"
		" extract(epoch FROM now() - v.state_since)::bigint AS age"
		" FROM vms v WHERE v.host_id = $1 OR v.migrating_to = $1 ORDER BY v.name FOR UPDATE OF v";
	const struct rhv_host *h = ps->host;
	struct reading *rd = ps->r;
	_cleanup_pgresult_ PGresult *r = NULL;
	int64_t launch_timeout = ps->st->v[RHV_SET_VM_LAUNCH_TIMEOUT];

	if (rhv_db_exec(db, vms_sql, RHV_PARAMS(h->id), &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *id = rhv_pq_str(r, i, "id"), *name = rhv_pq_str(r, i, "name");
		const char *state = rhv_pq_str(r, i, "state");
		bool here = rhv_pq_bool(r, i, "here"), incoming = rhv_pq_bool(r, i, "incoming");
		int64_t age = rhv_pq_int(r, i, "age");
		/* a migration is over, one way or the other, after its own time limit */
		int64_t stale_migration = ps->st->v[RHV_SET_MIGRATION_SECONDS_PER_GIB] * rhv_pq_int(r, i, "gib") +
					  ps->st->v[RHV_SET_MIGRATION_NO_PROGRESS] + ps->st->v[RHV_SET_HOST_TIMEOUT_SECONDS];
		struct guest *g = find_guest(rd, id);
		struct rhv_vm vm = { 0 };

		snprintf(vm.id, sizeof(vm.id), "%s", id);
		vm.name = (char *)name;
		if (g)
			g->matched = true;
		if (incoming) { /* a migration to this host whose process died: the guest tells where it is */
			if (g && age > stale_migration &&
			    (rhv_db_vm_set_state(db, &vm, RHV_VM_UP, h->id, NULL, RHV_EXIT_OK, NULL, err) < 0 ||
			     rhv_event_add(db, RHV_SEV_WARNING, "vm", id, name, "reconcile", err,
					   "VM '%s' found running on host '%s' after an unfinished migration", name,
					   h->name) < 0))
				return -1;
			continue;
		}
		if (!here)
			continue;
		if (!strcmp(state, RHV_VM_LAUNCHING) || !strcmp(state, RHV_VM_MIGRATING) ||
		    !strcmp(state, RHV_VM_POWERING_DOWN)) {
			/* another process is acting; step in only when it is clearly gone */
			int64_t limit = !strcmp(state, RHV_VM_MIGRATING)      ? stale_migration
					: !strcmp(state, RHV_VM_POWERING_DOWN) ? ps->st->v[RHV_SET_VM_SHUTDOWN_TIMEOUT] +
										      launch_timeout
									  : launch_timeout;

			if (age <= limit)
				continue;
		}
		if (!g || g->state == VIR_DOMAIN_SHUTOFF || g->state == VIR_DOMAIN_CRASHED) {
			if (rhv_db_vm_set_state(db, &vm, RHV_VM_DOWN, NULL, NULL, RHV_EXIT_OK, NULL, err) < 0 ||
			    rhv_event_add(db, RHV_SEV_ERROR, "vm", id, name, "Down", err,
					  "VM '%s' is Down: it is not running on host '%s'", name, h->name) < 0)
				return -1;
			continue;
		}
		{
			const char *now = g->state == VIR_DOMAIN_PAUSED ? RHV_VM_PAUSED : RHV_VM_UP;
			long long prev = rhv_pq_str(r, i, "cpu_time") ? atoll(rhv_pq_str(r, i, "cpu_time")) : -1;
			long long since = rhv_pq_str(r, i, "since_ns") ? atoll(rhv_pq_str(r, i, "since_ns")) : 0;
			int vcpus = (int)rhv_pq_int(r, i, "vcpus");
			char pct[32] = "", cpu_time[32], mem[32];

			if (strcmp(state, now) &&
			    (rhv_db_vm_set_state(db, &vm, now, h->id, NULL, RHV_EXIT_OK, NULL, err) < 0 ||
			     rhv_event_add(db, RHV_SEV_NORMAL, "vm", id, name, now, err, "VM '%s' is %s on host '%s'", name,
					   now, h->name) < 0))
				return -1;
			if (prev >= 0 && since > 0 && vcpus > 0 && g->cpu_time >= (unsigned long long)prev) {
				double p = 100.0 * (double)(g->cpu_time - (unsigned long long)prev) / ((double)since * vcpus);

				snprintf(pct, sizeof(pct), "%.2f", p > 100 ? 100 : p);
			}
			snprintf(cpu_time, sizeof(cpu_time), "%llu", g->cpu_time);
			snprintf(mem, sizeof(mem), "%llu", g->mem_used);
			if (rhv_db_exec(db,
					"UPDATE vms SET cpu_pct = coalesce(nullif($2, '')::real, cpu_pct), mem_used = $3::bigint,"
					" cpu_time = $4::bigint, last_sample = now() WHERE id = $1",
					RHV_PARAMS(id, pct, mem, cpu_time), NULL, err) < 0)
				return -1;
			if (pct[0] && rhv_db_exec(db,
						  "INSERT INTO vm_samples (vm_id, host_id, cpu_pct, mem_used)"
						  " VALUES ($1, $2, $3::real, $4::bigint)",
						  RHV_PARAMS(id, h->id, pct, mem), NULL, err) < 0)
				return -1;
		}
	}
	/* guests the store does not place here: reported once, never touched */
	for (size_t i = 0; i < rd->nguests; i++) {
		struct guest *g = &rd->guests[i];

		if (!g->matched && g->state != VIR_DOMAIN_SHUTOFF && report_stray_guest(db, h, g, err) < 0)
			return -1;
	}
	return rhv_db_exec(db, "DELETE FROM unknown_guests WHERE host_id = $1 AND last_seen < now()",
			   RHV_PARAMS(h->id), NULL, err);
}

static int reachable_txn(struct rhv_db *db, struct pass *ps, struct rhv_error *err)
{
	static const char usage_sql[] =
		"UPDATE hosts SET"
		" cpu_pct = CASE WHEN cpu_ticks_total IS NOT NULL AND $2::bigint > cpu_ticks_total"
		"  THEN greatest(0, least(100, 100.0 * (1 - ($3::bigint - cpu_ticks_idle)::real"
		"   / ($2::bigint - cpu_ticks_total)))) ELSE cpu_pct END,"
		" cpu_ticks_total = $2::bigint, cpu_ticks_idle = $3::bigint, mem_used = $4::bigint,"
		" last_seen = now(), unreachable_since = NULL WHERE id = $1 RETURNING cpu_pct";
	struct rhv_host h;
	_cleanup_pgresult_ PGresult *u = NULL;
	char total[32], idle[32], used[32];
	int rc = -1;

	if (rhv_db_host_lock(db, ps->host->id, &h, err) < 0)
		return -1;
	if ((!strcmp(h.state, RHV_HOST_CONNECTING) || !strcmp(h.state, RHV_HOST_NONRESPONSIVE)) &&
	    rhv_db_host_set_state(db, &h, RHV_HOST_UP, NULL, err) < 0)
		goto out;
	snprintf(total, sizeof(total), "%llu", ps->r->cpu_total);
	snprintf(idle, sizeof(idle), "%llu", ps->r->cpu_idle);
	snprintf(used, sizeof(used), "%llu", ps->r->mem_used);
	if (rhv_db_exec(db, usage_sql, RHV_PARAMS(h.id, total, idle, used), &u, err) < 0 || reconcile(db, ps, err) < 0)
		goto out;
	if (rhv_pq_str(u, 0, "cpu_pct") &&
	    rhv_db_exec(db, "INSERT INTO host_samples (host_id, cpu_pct, mem_used, vms) VALUES ($1, $2::real, $3::bigint,"
			    " (SELECT count(*) FROM vms WHERE host_id = $1))",
			RHV_PARAMS(h.id, rhv_pq_str(u, 0, "cpu_pct"), used), NULL, err) < 0)
		goto out;
	snprintf(ps->summary, sizeof(ps->summary), "host '%s' answered: %zu guest%s", h.name, ps->r->nguests,
		 ps->r->nguests == 1 ? "" : "s");
	rc = 0;
out:
	rhv_host_clear(&h);
	return rc;
}

static int host_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct pass *ps = arg;

	return ps->r->ok ? reachable_txn(db, ps, err) : unreachable_txn(db, ps, err);
}

int rhv_monitor_pass(struct rhv_db *db, const struct rhv_progress *p, struct rhv_batch *out, struct rhv_error *err)
{
	struct rhv_settings st;
	struct rhv_host_list hosts;
	char hours[16];

	if (rhv_settings_load(db, &st, err) < 0 || rhv_host_list(db, NULL, &hosts, err) < 0)
		return -1;
	for (size_t i = 0; i < hosts.n; i++) {
		const struct rhv_host *h = &hosts.items[i];
		struct reading rd = { 0 };
		struct pass ps = { h, &rd, &st, p, "", false };
		struct rhv_error herr = { 0 };
		bool got, released;

		if (!strcmp(h->state, RHV_HOST_MAINTENANCE))
			continue;
		if (rhv_db_try_lock(db, "monitor", h->id, true, &got, err) < 0)
			goto fail;
		if (!got) {
			rhv_progress_note(p, "host '%s' skipped: another monitoring pass holds it", h->name);
			continue;
		}
		read_host(h, (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS], &rd);
		if (rhv_db_txn(db, host_txn, &ps, &herr) < 0) {
			rhv_batch_add(out, h->name, herr.code, herr.message);
		} else {
			rhv_batch_add(out, h->name, rd.ok ? RHV_EXIT_OK : RHV_EXIT_UNAVAILABLE, ps.summary);
			if (rd.ok) /* failures are reported once, by the caller from the batch */
				rhv_progress_note(p, "%s", ps.summary);
		}
		reading_clear(&rd);
		if (rhv_db_try_lock(db, "monitor", h->id, false, &released, err) < 0)
			goto fail;
	}
	if (rhv_storage_monitor(db, p, err) < 0)
		goto fail;
	snprintf(hours, sizeof(hours), "%lld", (long long)st.v[RHV_SET_SAMPLE_RETENTION_HOURS]);
	if (rhv_db_exec(db, "DELETE FROM host_samples WHERE time < now() - make_interval(hours => $1::int)",
			RHV_PARAMS(hours), NULL, err) < 0 ||
	    rhv_db_exec(db, "DELETE FROM vm_samples WHERE time < now() - make_interval(hours => $1::int)",
			RHV_PARAMS(hours), NULL, err) < 0)
		goto fail;
	rhv_host_list_clear(&hosts);
	return 0;
fail:
	rhv_host_list_clear(&hosts);
	return -1;
}
