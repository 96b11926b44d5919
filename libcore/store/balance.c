/*
 * The balancer's snapshot read from the store (one cluster's hosts, VMs,
 * CPU history and policy), the per-cluster run lock and the audit event of
 * a run.  The snapshot file is ops/balance-io.c.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/balance-input.h"
#include "store/store-priv.h"
#include "store/vmnet.h"
#include "rhv/balance-io.h"
#include "rhv/event.h"
#include "rhv/policy.h"
#include "rhv/strindex.h"
#include "rhv/vm.h"

int rhv_bal_clusters(struct rhv_db *db, const char *cluster, char ***names, size_t *n, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT name FROM clusters WHERE $1::text IS NULL OR name = $1 ORDER BY name",
			RHV_PARAMS(cluster), &r, err) < 0)
		return -1;
	if (cluster && PQntuples(r) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find cluster '%s'", cluster);
	*n = (size_t)PQntuples(r);
	*names = rhv_xcalloc(*n + 1, sizeof(char *));
	for (size_t i = 0; i < *n; i++)
		(*names)[i] = rhv_xstrdup(PQgetvalue(r, (int)i, 0));
	return 0;
}

/*
 * Index i in the store's rows r (column 0: a host id) -> position of that
 * host in the snapshot, by id.
 */
static void index_host_ids(const PGresult *r, struct rhv_strindex *ix)
{
	rhv_strindex_init(ix, (size_t)PQntuples(r));
	for (int i = 0; i < PQntuples(r); i++)
		rhv_strindex_add(ix, PQgetvalue(r, i, 0), i);
}

/* Each host's CPU history, from rows (host id, figure) ordered by host, then time. */
static void load_histories(struct rhv_bal_input *in, const PGresult *hist, const struct rhv_strindex *ids)
{
	size_t *len = rhv_xcalloc(in->s.nhosts + 1, sizeof(size_t));
	int *host = rhv_xcalloc((size_t)PQntuples(hist) + 1, sizeof(int));

	for (int k = 0; k < PQntuples(hist); k++) {
		host[k] = rhv_strindex_get(ids, PQgetvalue(hist, k, 0));
		if (host[k] >= 0)
			len[host[k]]++;
	}
	for (size_t i = 0; i < in->s.nhosts; i++) {
		in->histories[i] = rhv_xcalloc(len[i] + 1, sizeof(double));
		in->s.hosts[i].cpu_history = in->histories[i];
	}
	for (int k = 0; k < PQntuples(hist); k++)
		if (host[k] >= 0)
			in->histories[host[k]][in->s.hosts[host[k]].history_len++] = strtod(PQgetvalue(hist, k, 1), NULL);
	free(len);
	free(host);
}

/* Host networks (rows: host id, known, network...) and VM networks (rows by VM name, as vms[] is sorted). */
static void load_nets(struct rhv_bal_input *in, const PGresult *hn, const PGresult *vn, const struct rhv_strindex *ids)
{
	size_t j = 0;

	for (int k = 0; k < PQntuples(hn); k++) {
		int i = rhv_strindex_get(ids, rhv_pq_str(hn, k, "id"));

		if (i < 0 || !rhv_pq_bool(hn, k, "known"))
			continue;
		rhv_bal_input_host_nets_known(in, (size_t)i);
		if (rhv_pq_str(hn, k, "name"))
			rhv_bal_input_add_host_net(in, (size_t)i, rhv_pq_str(hn, k, "name"), rhv_pq_str(hn, k, "bridge"),
						   rhv_pq_bool(hn, k, "in_sync"), rhv_pq_str(hn, k, "sync_reason"));
	}
	for (int k = 0; k < PQntuples(vn); k++) {
		const char *name = rhv_pq_str(vn, k, "name");

		while (j < in->s.nvms && strcmp(in->vm_names[j], name))
			j++;
		if (j == in->s.nvms)
			break;
		rhv_bal_input_add_vm_network(in, j, rhv_pq_str(vn, k, "network"));
	}
}

int rhv_bal_load(struct rhv_db *db, const char *cluster, int history_minutes, struct rhv_bal_input *in,
		 struct rhv_error *err)
{
	/*
	 * A host's VMs and memory: those it runs and those migrating to it, each
	 * once, added up in one pass over the cluster's hosts' VMs (not a scan
	 * of every VM for every host).
	 */
	static const char hosts_sql[] =
		"WITH hs AS (SELECT id FROM hosts WHERE cluster_id = $1),"
		" load AS (SELECT x.host, count(*) AS vms, sum(x.memory) AS used FROM"
		"  (SELECT v.host_id AS host, v.memory FROM vms v JOIN hs ON hs.id = v.host_id"
		"   UNION ALL SELECT v.migrating_to, v.memory FROM vms v JOIN hs ON hs.id = v.migrating_to"
		"   WHERE v.host_id IS DISTINCT FROM v.migrating_to) x GROUP BY x.host)"
		" SELECT h.id, h.name, h.state, h.is_spm, coalesce(h.cpus, 0) AS cpus, h.power_saving_off,"
		" h.pm_enabled AND EXISTS (SELECT 1 FROM fence_agents a WHERE a.host_id = h.id) AS pm,"
		" least(coalesce(h.memory, 0), coalesce(h.memory_limit, h.memory, 0)) AS mem_total,"
		" coalesce(h.cpu_pct, 0) AS cpu_pct, coalesce(l.vms, 0) AS vms, coalesce(l.used, 0) AS used"
		" FROM hosts h LEFT JOIN load l ON l.host = h.id WHERE h.cluster_id = $1 ORDER BY h.name";
	/* one CPU figure a minute, oldest first, for CpuOverCommitDurationMinutes */
	static const char history_sql[] =
		"SELECT s.host_id, avg(s.cpu_pct) AS cpu FROM host_samples s JOIN hosts h ON h.id = s.host_id"
		" WHERE h.cluster_id = $1 AND s.time > now() - make_interval(mins => $2::int)"
		" GROUP BY s.host_id, date_trunc('minute', s.time) ORDER BY s.host_id, date_trunc('minute', s.time)";
	static const char vms_sql[] =
		"SELECT v.name, v.host_id, v.memory, v.vcpus, coalesce(v.cpu_pct, 0) AS cpu_pct, v.ha,"
		" v.pin_host_id IS NOT NULL AS pinned, v.state, v.migrating_to,"
		" coalesce(extract(epoch FROM v.last_migration)::bigint, 0) AS last_migration"
		" FROM vms v WHERE v.cluster_id = $1 AND v.host_id IS NOT NULL ORDER BY v.name";
	/* each VM's networks, for the scheduler's network filter (rhv/netfit.h) */
	static const char vm_nets_sql[] =
		"SELECT v.name, x.network FROM vms v JOIN vm_nics x ON x.vm_id = v.id"
		" WHERE v.cluster_id = $1 AND v.host_id IS NOT NULL ORDER BY v.name, x.idx";
	_cleanup_pgresult_ PGresult *c = NULL, *h = NULL, *hist = NULL, *v = NULL, *p = NULL, *hn = NULL, *vn = NULL;
	struct rhv_strindex ids;
	char minutes[16];

	memset(in, 0, sizeof(*in));
	snprintf(minutes, sizeof(minutes), "%d", history_minutes);
	if (rhv_db_exec(db, "SELECT id, name, scheduling_policy FROM clusters WHERE name = $1", RHV_PARAMS(cluster), &c,
			err) < 0)
		return -1;
	if (PQntuples(c) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find cluster '%s'", cluster);
	{
		const char *id = PQgetvalue(c, 0, 0);

		if (rhv_db_exec(db, hosts_sql, RHV_PARAMS(id), &h, err) < 0 ||
		    rhv_db_exec(db, history_sql, RHV_PARAMS(id, minutes), &hist, err) < 0 ||
		    rhv_db_exec(db, vms_sql, RHV_PARAMS(id), &v, err) < 0 ||
		    rhv_db_cluster_host_nets(db, id, &hn, err) < 0 ||
		    rhv_db_exec(db, vm_nets_sql, RHV_PARAMS(id), &vn, err) < 0 ||
		    rhv_db_exec(db, "SELECT key, value FROM cluster_policy_params WHERE cluster_id = $1", RHV_PARAMS(id),
				&p, err) < 0)
			return -1;
	}
	in->cluster = rhv_xstrdup(PQgetvalue(c, 0, 1));
	in->policy = rhv_xstrdup(PQgetvalue(c, 0, 2));
	in->s.policy = rhv_sched_policy_find(in->policy) < 0 ? RHV_SCHED_NONE : rhv_sched_policy_find(in->policy);
	rhv_bal_params_default(&in->s);
	for (int i = 0; i < PQntuples(p); i++)
		rhv_bal_input_set_param(&in->s, PQgetvalue(p, i, 0),
					rhv_policy_stored_value(PQgetvalue(p, i, 0), PQgetvalue(p, i, 1)));
	rhv_bal_input_alloc_hosts(in, (size_t)PQntuples(h));
	for (size_t i = 0; i < in->s.nhosts; i++) {
		struct rhv_bal_host *bh = &in->s.hosts[i];
		int row = (int)i;

		in->host_names[i] = rhv_pq_dup(h, row, "name");
		rhv_bal_input_set_host_state(in, i, rhv_pq_str(h, row, "state"));
		bh->name = in->host_names[i];
		bh->is_spm = rhv_pq_bool(h, row, "is_spm");
		bh->power_management = rhv_pq_bool(h, row, "pm");
		/* only a host power saving powered off is powered on again; Down for another reason stays down */
		bh->powered_off = bh->powered_off && rhv_pq_bool(h, row, "power_saving_off");
		bh->cores = (int)rhv_pq_int(h, row, "cpus");
		bh->mem_total = (uint64_t)rhv_pq_int(h, row, "mem_total");
		bh->mem_used_by_vms = (uint64_t)rhv_pq_int(h, row, "used");
		bh->vm_count = (int)rhv_pq_int(h, row, "vms");
		bh->cpu_pct = strtod(rhv_pq_str(h, row, "cpu_pct"), NULL);
	}
	index_host_ids(h, &ids);
	load_histories(in, hist, &ids);
	rhv_bal_input_alloc_vms(in, (size_t)PQntuples(v));
	for (size_t i = 0; i < in->s.nvms; i++) {
		struct rhv_bal_vm *bv = &in->s.vms[i];
		int row = (int)i;
		const char *state = rhv_pq_str(v, row, "state");

		in->vm_names[i] = rhv_pq_dup(v, row, "name");
		bv->name = in->vm_names[i];
		/* -1 for a host outside the cluster: the planner refuses such a snapshot */
		bv->host = rhv_strindex_get(&ids, rhv_pq_str(v, row, "host_id"));
		bv->memory = (uint64_t)rhv_pq_int(v, row, "memory");
		bv->vcpus = (int)rhv_pq_int(v, row, "vcpus");
		bv->cpu_pct = strtod(rhv_pq_str(v, row, "cpu_pct"), NULL);
		bv->ha = rhv_pq_bool(v, row, "ha");
		bv->pinned = rhv_pq_bool(v, row, "pinned");
		/* only a running VM can be live-migrated */
		bv->migratable = !strcmp(state, RHV_VM_UP);
		bv->migrating = !strcmp(state, RHV_VM_MIGRATING);
		bv->migrating_to = rhv_strindex_get(&ids, rhv_pq_str(v, row, "migrating_to"));
		in->vm_last_migration[i] = rhv_pq_int(v, row, "last_migration");
	}
	load_nets(in, hn, vn, &ids);
	rhv_strindex_clear(&ids);
	return 0;
}

/* ---- runs ---- */

int rhv_bal_lock(struct rhv_db *db, const char *cluster, bool lock, bool *got, struct rhv_error *err)
{
	return rhv_db_try_lock(db, "balance", cluster, lock, got, err);
}

struct event_arg {
	const char *cluster, *action, *message;
	bool alert;
};

static int event_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct event_arg *a = arg;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT id FROM clusters WHERE name = $1", RHV_PARAMS(a->cluster), &r, err) < 0)
		return -1;
	return rhv_event_add(db, a->alert ? RHV_SEV_ALERT : RHV_SEV_NORMAL, "cluster",
			     PQntuples(r) ? PQgetvalue(r, 0, 0) : NULL, a->cluster, a->action, err, "%s", a->message);
}

int rhv_bal_event(struct rhv_db *db, const char *cluster, bool alert, const char *action, const char *message,
		  struct rhv_error *err)
{
	struct event_arg a = { cluster, action, message, alert };

	return rhv_db_txn(db, event_txn, &a, err);
}
