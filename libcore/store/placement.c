/* A cluster's hosts and load as the scheduler places a VM on them (store/placement.h). */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/placement.h"
#include "rhv/policy.h"

/* Every host's networks in one query: known when its NICs were ever read. */
static int load_nets(struct rhv_db *db, const char *cluster_id, struct rhv_db_placement *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_cluster_host_nets(db, cluster_id, &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *id = rhv_pq_str(r, i, "id");

		for (size_t j = 0; j < out->n; j++) {
			struct rhv_db_place_host *h = &out->hosts[j];

			if (strcmp(h->id, id))
				continue;
			h->nets.pub.known = rhv_pq_bool(r, i, "known");
			if (rhv_pq_str(r, i, "name"))
				rhv_db_host_nets_add(&h->nets, rhv_pq_str(r, i, "name"), rhv_pq_str(r, i, "bridge"),
						     rhv_pq_str(r, i, "address"), rhv_pq_bool(r, i, "in_sync"),
						     rhv_pq_str(r, i, "sync_reason"));
			break;
		}
	}
	return 0;
}

int rhv_db_cluster_placement(struct rhv_db *db, const char *cluster_id, struct rhv_db_placement *out,
			     struct rhv_error *err)
{
	static const char hosts_sql[] =
		"SELECT h.id, h.name, h.uri, h.state, h.is_spm, coalesce(h.cpus, 0) AS cpus,"
		" least(coalesce(h.memory, 0), coalesce(h.memory_limit, h.memory, 0)) AS mem_total,"
		" coalesce(h.cpu_pct, 0) AS cpu_pct, coalesce(h.kvm, false) AS kvm, h.emulated,"
		" (SELECT count(*) FROM vms v WHERE v.host_id = h.id OR v.migrating_to = h.id) AS vms,"
		" (SELECT coalesce(sum(v.memory), 0) FROM vms v WHERE v.host_id = h.id OR v.migrating_to = h.id)"
		"  AS committed,"
		" (SELECT coalesce(sum(v.vcpus), 0) FROM vms v WHERE (v.host_id = h.id AND v.state = 'WaitForLaunch')"
		"  OR v.migrating_to = h.id) AS pending,"
		" (SELECT count(*) FROM vms v WHERE v.migrating_to = h.id) AS mig_in,"
		" (SELECT count(*) FROM vms v WHERE v.host_id = h.id AND v.state = 'MigratingFrom') AS mig_out"
		" FROM hosts h WHERE h.cluster_id = $1 ORDER BY h.name";
	_cleanup_pgresult_ PGresult *c = NULL, *r = NULL, *p = NULL;

	if (rhv_db_exec(db, "SELECT scheduling_policy, cpu_type FROM clusters WHERE id = $1 FOR UPDATE",
			RHV_PARAMS(cluster_id), &c, err) < 0 ||
	    rhv_db_exec(db, hosts_sql, RHV_PARAMS(cluster_id), &r, err) < 0 ||
	    rhv_db_exec(db, "SELECT key, value FROM cluster_policy_params WHERE cluster_id = $1", RHV_PARAMS(cluster_id),
			&p, err) < 0)
		return -1;
	out->policy = rhv_sched_policy_find(PQgetvalue(c, 0, 0));
	if (out->policy < 0)
		out->policy = RHV_SCHED_NONE;
	snprintf(out->cpu_type, sizeof(out->cpu_type), "%s", PQgetvalue(c, 0, 1));
	for (int i = 0; i < PQntuples(p); i++)
		rhv_sched_params_set(&out->params, PQgetvalue(p, i, 0),
				     rhv_policy_stored_value(PQgetvalue(p, i, 0), PQgetvalue(p, i, 1)));
	out->n = (size_t)PQntuples(r);
	out->hosts = rhv_xcalloc(out->n + 1, sizeof(*out->hosts));
	for (size_t i = 0; i < out->n; i++) {
		struct rhv_db_place_host *h = &out->hosts[i];
		int row = (int)i;

		snprintf(h->id, sizeof(h->id), "%s", rhv_pq_str(r, row, "id"));
		h->name = rhv_pq_dup(r, row, "name");
		h->uri = rhv_pq_dup(r, row, "uri");
		h->state = rhv_pq_dup(r, row, "state");
		h->kvm = rhv_pq_bool(r, row, "kvm");
		h->emulated = rhv_pq_bool(r, row, "emulated");
		h->is_spm = rhv_pq_bool(r, row, "is_spm");
		h->cpus = (int)rhv_pq_int(r, row, "cpus");
		h->mem_total = (uint64_t)rhv_pq_int(r, row, "mem_total");
		h->committed = (uint64_t)rhv_pq_int(r, row, "committed");
		h->cpu_pct = strtod(rhv_pq_str(r, row, "cpu_pct"), NULL);
		h->vms = (int)rhv_pq_int(r, row, "vms");
		h->pending = (int)rhv_pq_int(r, row, "pending");
		h->mig_in = (int)rhv_pq_int(r, row, "mig_in");
		h->mig_out = (int)rhv_pq_int(r, row, "mig_out");
	}
	return load_nets(db, cluster_id, out, err);
}

void rhv_db_placement_clear(struct rhv_db_placement *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->hosts[i].name);
		free(p->hosts[i].uri);
		free(p->hosts[i].state);
		rhv_db_host_nets_clear(&p->hosts[i].nets);
	}
	free(p->hosts);
	p->hosts = NULL;
	p->n = 0;
}
