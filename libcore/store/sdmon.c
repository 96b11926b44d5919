/* The rows a storage monitoring pass reads and writes (store/sdmon.h). */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/sdmon.h"
#include "rhv/event.h"

static void fill_domain(const PGresult *r, int i, struct rhv_db_sdmon_domain *d, bool space)
{
	snprintf(d->id, sizeof(d->id), "%s", rhv_pq_str(r, i, "id"));
	d->name = rhv_pq_dup(r, i, "name");
	d->path = rhv_pq_dup(r, i, "path");
	if (space) {
		d->old_free = (uint64_t)rhv_pq_int(r, i, "old_free");
		d->old_size = (uint64_t)rhv_pq_int(r, i, "old_size");
		d->warning_pct = rhv_pq_int(r, i, "warning_pct");
		d->critical_gib = rhv_pq_int(r, i, "critical_gib");
		d->below_critical = rhv_pq_bool(r, i, "below_critical");
		return;
	}
	snprintf(d->dc_id, sizeof(d->dc_id), "%s", rhv_pq_str(r, i, "dc_id"));
	d->status = rhv_pq_dup(r, i, "status");
	d->master = rhv_pq_bool(r, i, "is_master");
}

static int domains(struct rhv_db *db, const char *sql, bool space, struct rhv_db_sdmon_domain **out, size_t *n,
		   struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*out = NULL;
	*n = 0;
	if (rhv_db_exec(db, sql, RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*out = rhv_xcalloc(*n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++)
		fill_domain(r, (int)i, &(*out)[i], space);
	return 0;
}

int rhv_db_sdmon_attachments(struct rhv_db *db, struct rhv_db_sdmon_domain **out, size_t *n, struct rhv_error *err)
{
	return domains(db,
		       "SELECT s.id, s.name, s.path, a.dc_id, a.status, a.is_master FROM storage_domain_dc a"
		       " JOIN storage_domains s ON s.id = a.domain_id WHERE s.path IS NOT NULL"
		       " AND a.status IN ('Active', 'Inactive') ORDER BY a.is_master, s.name",
		       false, out, n, err);
}

int rhv_db_sdmon_spaces(struct rhv_db *db, struct rhv_db_sdmon_domain **out, size_t *n, struct rhv_error *err)
{
	return domains(db,
		       "SELECT s.id, s.name, s.path, s.free AS old_free, s.size AS old_size, s.warning_pct, s.critical_gib,"
		       " s.below_critical FROM storage_domains s"
		       " WHERE s.path IS NOT NULL AND EXISTS (SELECT 1 FROM storage_domain_dc a WHERE a.domain_id = s.id"
		       " AND a.status = 'Active') ORDER BY s.name",
		       true, out, n, err);
}

void rhv_db_sdmon_domains_free(struct rhv_db_sdmon_domain *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].name);
		free(d[i].path);
		free(d[i].status);
	}
	free(d);
}

int rhv_db_sdmon_inactive(struct rhv_db *db, const struct rhv_db_sdmon_domain *d, int up_hosts, const char *why,
			  struct rhv_error *err)
{
	if (rhv_db_exec(db,
			"UPDATE storage_domain_dc SET status = 'Inactive', status_reason = $3, status_since = now()"
			" WHERE domain_id = $1 AND dc_id = $2",
			RHV_PARAMS(d->id, d->dc_id, why), NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_ERROR, "storage_domain", d->id, d->name, "monitor", err,
			     "storage domain '%s' is Inactive: none of %d Up hosts can read it: %s", d->name, up_hosts,
			     why);
}

int rhv_db_sdmon_below_critical(struct rhv_db *db, const char *domain_id, bool below, struct rhv_error *err)
{
	return rhv_db_exec(db, "UPDATE storage_domains SET below_critical = $2::boolean WHERE id = $1",
			   RHV_PARAMS(domain_id, below ? "true" : "false"), NULL, err);
}

int rhv_db_sdmon_generation(struct rhv_db *db, const char *dc_id, uint64_t *gen, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *g = NULL;

	if (rhv_db_exec(db, "SELECT spm_generation FROM data_centers WHERE id = $1", RHV_PARAMS(dc_id), &g, err) < 0)
		return -1;
	*gen = (uint64_t)rhv_pq_int(g, 0, "spm_generation");
	return 0;
}

int rhv_db_sdmon_hosts_back(struct rhv_db *db, struct rhv_error *err)
{
	return rhv_db_exec(db,
			   "UPDATE hosts SET confirmed_down_at = NULL WHERE state = 'Up' AND confirmed_down_at IS NOT NULL",
			   RHV_NO_PARAMS, NULL, err);
}

int rhv_db_sdmon_hosts(struct rhv_db *db, struct rhv_db_sdmon_host **out, size_t *n, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*out = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT DISTINCT h.id, h.uri FROM hosts h JOIN vms v ON v.host_id = h.id"
			" JOIN vm_disks x ON x.vm_id = v.id WHERE h.state = 'Up'",
			RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*out = rhv_xcalloc(*n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		snprintf((*out)[i].id, sizeof((*out)[i].id), "%s", rhv_pq_str(r, (int)i, "id"));
		(*out)[i].uri = rhv_pq_dup(r, (int)i, "uri");
	}
	return 0;
}

void rhv_db_sdmon_hosts_free(struct rhv_db_sdmon_host *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(h[i].uri);
	free(h);
}

int rhv_db_sdmon_disks(struct rhv_db *db, const char *host_id, struct rhv_db_sdmon_disk **out, size_t *n,
		       struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*out = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT v.id AS vm_id, v.name AS vm, v.paused_reason, k.id, k.volume_id, s.path, s.free, s.critical_gib"
			" FROM vms v JOIN vm_disks x ON x.vm_id = v.id JOIN disks k ON k.id = x.disk_id"
			" JOIN storage_domains s ON s.id = k.domain_id"
			" WHERE v.host_id = $1 AND v.state IN ('Up', 'Paused') AND s.path IS NOT NULL ORDER BY v.name",
			RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*out = rhv_xcalloc(*n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct rhv_db_sdmon_disk *d = &(*out)[i];

		snprintf(d->vm_id, sizeof(d->vm_id), "%s", rhv_pq_str(r, (int)i, "vm_id"));
		snprintf(d->id, sizeof(d->id), "%s", rhv_pq_str(r, (int)i, "id"));
		d->vm = rhv_pq_dup(r, (int)i, "vm");
		d->volume_id = rhv_pq_dup(r, (int)i, "volume_id");
		d->root = rhv_pq_dup(r, (int)i, "path");
		d->paused_enospc = rhv_pq_str(r, (int)i, "paused_reason") != NULL;
		d->free_b = (uint64_t)rhv_pq_int(r, (int)i, "free");
		d->critical_gib = rhv_pq_int(r, (int)i, "critical_gib");
	}
	return 0;
}

void rhv_db_sdmon_disks_free(struct rhv_db_sdmon_disk *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].vm);
		free(d[i].volume_id);
		free(d[i].root);
	}
	free(d);
}

int rhv_db_sdmon_disk_sample(struct rhv_db *db, const struct rhv_db_sdmon_disk *d, unsigned long long capacity,
			     unsigned long long allocation, unsigned long long physical, long long actual,
			     struct rhv_error *err)
{
	char cap[24], alloc[24], phys[24], act[24];
	int rc;

	snprintf(cap, sizeof(cap), "%llu", capacity);
	snprintf(alloc, sizeof(alloc), "%llu", allocation);
	snprintf(phys, sizeof(phys), "%llu", physical);
	rc = rhv_db_exec(db,
			 "INSERT INTO vm_disk_samples (vm_id, disk_id, capacity, allocation, physical)"
			 " VALUES ($1, $2, $3::bigint, $4::bigint, $5::bigint) ON CONFLICT (vm_id, disk_id) DO UPDATE"
			 " SET time = now(), capacity = $3::bigint, allocation = $4::bigint, physical = $5::bigint",
			 RHV_PARAMS(d->vm_id, d->id, cap, alloc, phys), NULL, err);
	if (actual < 0)
		return rc;
	snprintf(act, sizeof(act), "%lld", actual);
	/* the sample and the disk's actual size stand on their own: one failing does not keep the other */
	return rhv_db_exec(db, "UPDATE disks SET actual = $2::bigint WHERE id = $1", RHV_PARAMS(d->id, act), NULL,
			   err) < 0 ? -1 : rc;
}

int rhv_db_sdmon_vm_enospc(struct rhv_db *db, const struct rhv_db_sdmon_disk *d, bool paused, struct rhv_error *err)
{
	int rc;

	if (paused) {
		rc = rhv_db_exec(db, "UPDATE vms SET state = 'Paused', paused_reason = 'ENOSPC' WHERE id = $1",
				 RHV_PARAMS(d->vm_id), NULL, err);
		/* as before the split: the event is written even when the state could not be */
		return rhv_event_add(db, RHV_SEV_ERROR, "vm", d->vm_id, d->vm, "monitor", err,
				     "VM '%s' paused: its storage ran out of space", d->vm) < 0 ? -1 : rc;
	}
	rc = rhv_db_exec(db, "UPDATE vms SET state = 'Up', paused_reason = NULL WHERE id = $1", RHV_PARAMS(d->vm_id),
			 NULL, err);
	return rhv_event_add(db, RHV_SEV_NORMAL, "vm", d->vm_id, d->vm, "monitor", err,
			     "VM '%s' resumed: its storage has space again", d->vm) < 0 ? -1 : rc;
}
