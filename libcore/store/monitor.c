/*
 * The monitoring pass's rows (store/monitor.h): usage, samples, the VMs a
 * host should run and the guests it runs that it should not.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/monitor.h"
#include "rhv/event.h"

int rhv_db_host_unreachable_ms(struct rhv_db *db, const char *host_id, int64_t *ms, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT (extract(epoch FROM now() - coalesce(unreachable_since, now())) * 1000)::bigint"
			    " FROM hosts WHERE id = $1",
			RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	*ms = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	return 0;
}

int rhv_db_host_vms_unknown(struct rhv_db *db, const struct rhv_host *h, struct rhv_error *err)
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

int rhv_db_host_usage(struct rhv_db *db, const char *host_id, unsigned long long cpu_total,
		      unsigned long long cpu_idle, unsigned long long mem_used, char cpu_pct[64], struct rhv_error *err)
{
	static const char usage_sql[] =
		"UPDATE hosts SET"
		" cpu_pct = CASE WHEN cpu_ticks_total IS NOT NULL AND $2::bigint > cpu_ticks_total"
		"  THEN greatest(0, least(100, 100.0 * (1 - ($3::bigint - cpu_ticks_idle)::real"
		"   / ($2::bigint - cpu_ticks_total)))) ELSE cpu_pct END,"
		" cpu_ticks_total = $2::bigint, cpu_ticks_idle = $3::bigint, mem_used = $4::bigint,"
		" last_seen = now(), unreachable_since = NULL WHERE id = $1 RETURNING cpu_pct";
	_cleanup_pgresult_ PGresult *u = NULL;
	char total[32], idle[32], used[32];

	snprintf(total, sizeof(total), "%llu", cpu_total);
	snprintf(idle, sizeof(idle), "%llu", cpu_idle);
	snprintf(used, sizeof(used), "%llu", mem_used);
	if (rhv_db_exec(db, usage_sql, RHV_PARAMS(host_id, total, idle, used), &u, err) < 0)
		return -1;
	snprintf(cpu_pct, 64, "%s", rhv_pq_str(u, 0, "cpu_pct") ? rhv_pq_str(u, 0, "cpu_pct") : "");
	return 0;
}

int rhv_db_host_sample(struct rhv_db *db, const char *host_id, const char *cpu_pct, unsigned long long mem_used,
		       struct rhv_error *err)
{
	char used[32];

	snprintf(used, sizeof(used), "%llu", mem_used);
	return rhv_db_exec(db,
			   "INSERT INTO host_samples (host_id, cpu_pct, mem_used, vms) VALUES ($1, $2::real, $3::bigint,"
			   " (SELECT count(*) FROM vms WHERE host_id = $1))",
			   RHV_PARAMS(host_id, cpu_pct, used), NULL, err);
}

int rhv_db_host_mon_vms(struct rhv_db *db, const char *host_id, struct rhv_mon_vm **vms, size_t *n,
			struct rhv_error *err)
{
	static const char vms_sql[] =
		"SELECT v.id, v.name, v.state, v.vcpus, v.ha, v.host_id = $1 AS here, v.migrating_to = $1 AS incoming,"
		" v.cpu_time, (extract(epoch FROM now() - v.last_sample) * 1e9)::bigint AS since_ns,"
		" ceil(v.memory / 1073741824.0)::bigint AS gib,"
		" extract(epoch FROM now() - v.state_since)::bigint AS age,"
		" EXISTS (SELECT 1 FROM vm_nics x JOIN vnic_profiles p ON p.id = x.profile_id"
		"  WHERE x.vm_id = v.id AND p.port_mirroring) AS mirroring"
		" FROM vms v WHERE v.host_id = $1 OR v.migrating_to = $1 ORDER BY v.name FOR UPDATE OF v";
	_cleanup_pgresult_ PGresult *r = NULL;

	*vms = NULL;
	*n = 0;
	if (rhv_db_exec(db, vms_sql, RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*vms = rhv_xcalloc(*n + 1, sizeof(**vms));
	for (size_t k = 0; k < *n; k++) {
		struct rhv_mon_vm *v = &(*vms)[k];
		int i = (int)k;

		snprintf(v->id, sizeof(v->id), "%s", rhv_pq_str(r, i, "id"));
		v->name = rhv_pq_dup(r, i, "name");
		v->state = rhv_pq_dup(r, i, "state");
		v->vcpus = (int)rhv_pq_int(r, i, "vcpus");
		v->here = rhv_pq_bool(r, i, "here");
		v->ha = rhv_pq_bool(r, i, "ha");
		v->incoming = rhv_pq_bool(r, i, "incoming");
		v->cpu_time = rhv_pq_str(r, i, "cpu_time") ? atoll(rhv_pq_str(r, i, "cpu_time")) : -1;
		v->since_ns = rhv_pq_str(r, i, "since_ns") ? atoll(rhv_pq_str(r, i, "since_ns")) : 0;
		v->gib = rhv_pq_int(r, i, "gib");
		v->age = rhv_pq_int(r, i, "age");
		v->mirroring = rhv_pq_bool(r, i, "mirroring");
	}
	return 0;
}

void rhv_mon_vms_free(struct rhv_mon_vm *vms, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(vms[i].name);
		free(vms[i].state);
	}
	free(vms);
}

int rhv_db_vm_usage(struct rhv_db *db, const char *vm_id, const char *host_id, const char *pct,
		    unsigned long long mem_used, unsigned long long cpu_time, struct rhv_error *err)
{
	char ns[32], mem[32];

	snprintf(ns, sizeof(ns), "%llu", cpu_time);
	snprintf(mem, sizeof(mem), "%llu", mem_used);
	if (rhv_db_exec(db,
			"UPDATE vms SET cpu_pct = coalesce(nullif($2, '')::real, cpu_pct), mem_used = $3::bigint,"
			" cpu_time = $4::bigint, last_sample = now() WHERE id = $1",
			RHV_PARAMS(vm_id, pct, mem, ns), NULL, err) < 0)
		return -1;
	if (pct[0] && rhv_db_exec(db,
				  "INSERT INTO vm_samples (vm_id, host_id, cpu_pct, mem_used)"
				  " VALUES ($1, $2, $3::real, $4::bigint)",
				  RHV_PARAMS(vm_id, host_id, pct, mem), NULL, err) < 0)
		return -1;
	return 0;
}

int rhv_db_host_stray_guest(struct rhv_db *db, const struct rhv_host *h, const char *uuid, const char *name,
			    struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *ins = NULL, *vm = NULL;

	if (rhv_db_exec(db,
			"INSERT INTO unknown_guests (host_id, uuid, name) VALUES ($1, $2::uuid, $3)"
			" ON CONFLICT (host_id, uuid) DO UPDATE SET last_seen = now(), name = excluded.name"
			" RETURNING first_seen = last_seen AS first",
			RHV_PARAMS(h->id, uuid, name), &ins, err) < 0)
		return -1;
	if (!rhv_pq_bool(ins, 0, "first"))
		return 0;
	if (rhv_db_exec(db,
			"SELECT v.id, v.name, v.state, o.name AS host FROM vms v LEFT JOIN hosts o ON o.id = v.host_id"
			" WHERE v.id = $1::uuid",
			RHV_PARAMS(uuid), &vm, err) < 0)
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
			     name, uuid);
}

int rhv_db_host_strays_gone(struct rhv_db *db, const char *host_id, struct rhv_error *err)
{
	return rhv_db_exec(db, "DELETE FROM unknown_guests WHERE host_id = $1 AND last_seen < now()",
			   RHV_PARAMS(host_id), NULL, err);
}

int rhv_db_samples_expire(struct rhv_db *db, int64_t hours, struct rhv_error *err)
{
	char h[16];

	snprintf(h, sizeof(h), "%lld", (long long)hours);
	if (rhv_db_exec(db, "DELETE FROM host_samples WHERE time < now() - make_interval(hours => $1::int)",
			RHV_PARAMS(h), NULL, err) < 0 ||
	    rhv_db_exec(db, "DELETE FROM vm_samples WHERE time < now() - make_interval(hours => $1::int)",
			RHV_PARAMS(h), NULL, err) < 0)
		return -1;
	return 0;
}
