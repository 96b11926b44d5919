/*
 * A storage domain taken out of service, as the store records it:
 * maintenance (with the master role moving), detach, remove and destroy.
 * Also a domain brought back: imported, or found again.  The flows are in
 * ops/sdmaint.c and ops/import.c.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/sd.h"
#include "rhv/event.h"

/* Running VMs using a disk or an ISO of the domain, "a, b" (NULL: none).  Caller frees. */
int rhv_db_sd_busy_vms(struct rhv_db *db, const char *domain_id, char **out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*out = NULL;
	if (rhv_db_exec(db,
			"SELECT string_agg(DISTINCT v.name, ', ') AS names FROM vms v"
			" WHERE v.state <> 'Down' AND (v.cdrom_domain_id = $1 OR EXISTS (SELECT 1 FROM vm_disks x"
			"  JOIN disks k ON k.id = x.disk_id WHERE x.vm_id = v.id AND k.domain_id = $1))",
			RHV_PARAMS(domain_id), &r, err) < 0)
		return -1;
	*out = rhv_pq_dup(r, 0, "names");
	return 0;
}

int rhv_db_sd_set_state(struct rhv_db *db, const struct rhv_db_sd_state *s, struct rhv_error *err)
{
	if (s->new_master && rhv_db_sd_set_master(db, s->ref->dc_id, s->new_master, err) < 0)
		return -1;
	if (rhv_db_exec(db,
			"UPDATE storage_domain_dc SET status = $3, status_reason = NULL, status_since = now()"
			" WHERE domain_id = $1 AND dc_id = $2",
			RHV_PARAMS(s->ref->id, s->ref->dc_id, s->status), NULL, err) < 0)
		return -1;
	if (s->drop_spm &&
	    rhv_db_sd_forget_spm(db, s->ref->dc_id, s->new_master ? "NonResponsive" : "Maintenance", err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", s->ref->id, s->ref->name, "maintenance", err, "%s",
			     s->message);
}

int rhv_db_sd_other_active(struct rhv_db *db, const struct rhv_sd_ref *ref, bool *any, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"SELECT 1 FROM storage_domain_dc WHERE dc_id = $1 AND domain_id <> $2 AND status = 'Active'",
			RHV_PARAMS(ref->dc_id, ref->id), &r, err) < 0)
		return -1;
	*any = PQntuples(r) > 0;
	return 0;
}

int rhv_db_sd_detach(struct rhv_db *db, const struct rhv_db_sd_detach *d, struct rhv_error *err)
{
	if (rhv_db_exec(db, "DELETE FROM storage_domain_dc WHERE domain_id = $1 AND dc_id = $2",
			RHV_PARAMS(d->ref->id, d->ref->dc_id), NULL, err) < 0 ||
	    rhv_db_exec(db,
			"DELETE FROM host_domain_status x USING hosts h JOIN clusters c ON c.id = h.cluster_id"
			" WHERE x.host_id = h.id AND c.dc_id = $1 AND x.domain_id = $2",
			RHV_PARAMS(d->ref->dc_id, d->ref->id), NULL, err) < 0)
		return -1;
	if (d->last_master && rhv_db_sd_forget_spm(db, d->ref->dc_id, "Uninitialized", err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", d->ref->id, d->ref->name, "detach", err,
			     "storage domain '%s' detached from data center '%s'", d->ref->name, d->ref->dc);
}

/*
 * Destroy (oVirt's word): a domain whose storage is gone cannot be put in
 * maintenance or detached (both write its metadata), so --force takes it
 * out of the store from any state.  Its disks leave the VMs, which must be
 * Down; a master's data center loses its SPM.
 */
static int destroy_rows(struct rhv_db *db, const struct rhv_sd_ref *ref, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL, *m = NULL;

	if (rhv_db_exec(db,
			"SELECT string_agg(DISTINCT v.name, ', ') AS vms FROM vms v WHERE v.state <> 'Down' AND"
			" (v.cdrom_domain_id = $1 OR EXISTS (SELECT 1 FROM vm_disks x JOIN disks k ON k.id = x.disk_id"
			"  WHERE x.vm_id = v.id AND k.domain_id = $1))",
			RHV_PARAMS(ref->id), &r, err) < 0)
		return -1;
	if (rhv_pq_str(r, 0, "vms"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is in use by running VMs: %s", ref->name,
				     rhv_pq_str(r, 0, "vms"));
	if (rhv_db_exec(db, "DELETE FROM vm_disks x USING disks k WHERE k.id = x.disk_id AND k.domain_id = $1",
			RHV_PARAMS(ref->id), NULL, err) < 0 ||
	    rhv_db_exec(db,
			"UPDATE vms SET cdrom_domain_id = NULL, cdrom_file = NULL, cdrom_target = NULL"
			" WHERE cdrom_domain_id = $1",
			RHV_PARAMS(ref->id), NULL, err) < 0 ||
	    rhv_db_exec(db, "SELECT dc_id FROM storage_domain_dc WHERE domain_id = $1 AND is_master", RHV_PARAMS(ref->id),
			&m, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(m); i++)
		if (rhv_db_sd_forget_spm(db, PQgetvalue(m, i, 0), NULL, err) < 0)
			return -1;
	return 0;
}

int rhv_db_sd_remove(struct rhv_db *db, const char *name, bool force, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_sd_ref ref;
	int rc = -1;

	if (rhv_db_sd_ref_get(db, name, NULL, false, true, &ref, err) < 0)
		goto out;
	if (force) {
		if (destroy_rows(db, &ref, err) < 0)
			goto out;
	} else if (ref.natt) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is attached to a data center: detach it first",
			      ref.name);
		goto out;
	}
	if (rhv_db_exec(db,
			"SELECT string_agg(DISTINCT v.name, ', ') AS vms FROM vms v WHERE v.cdrom_domain_id = $1"
			" OR EXISTS (SELECT 1 FROM vm_disks x JOIN disks k ON k.id = x.disk_id WHERE x.vm_id = v.id"
			" AND k.domain_id = $1)",
			RHV_PARAMS(ref.id), &r, err) < 0)
		goto out;
	if (rhv_pq_str(r, 0, "vms")) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' has disks or ISOs in use by VMs: %s", ref.name,
			      rhv_pq_str(r, 0, "vms"));
		goto out;
	}
	if (rhv_db_exec(db, "DELETE FROM disks WHERE domain_id = $1 OR target_domain_id = $1", RHV_PARAMS(ref.id),
			NULL, err) < 0 ||
	    rhv_db_exec(db, "DELETE FROM storage_domains WHERE id = $1", RHV_PARAMS(ref.id), NULL, err) < 0)
		goto out;
	rc = rhv_event_add(db, force ? RHV_SEV_WARNING : RHV_SEV_NORMAL, "storage_domain", ref.id, ref.name,
			   force ? "destroy" : "remove", err, "storage domain '%s' %s from the store (its storage is left as it is)",
			   ref.name, force ? "destroyed" : "removed");
out:
	rhv_sd_ref_clear(&ref);
	return rc;
}

int rhv_db_sd_others_attached(struct rhv_db *db, const struct rhv_sd_ref *ref, bool *any, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT 1 FROM storage_domain_dc WHERE dc_id = $1 AND domain_id <> $2",
			RHV_PARAMS(ref->dc_id, ref->id), &r, err) < 0)
		return -1;
	*any = PQntuples(r) > 0;
	return 0;
}

/* ---- back into service: import, recover ---- */

int rhv_db_sd_import(struct rhv_db *db, struct rhv_db_sd_import *im, struct rhv_error *err)
{
	char size[24], free_b[24];
	char *taken = NULL;

	snprintf(size, sizeof(size), "%llu", (unsigned long long)im->size);
	snprintf(free_b, sizeof(free_b), "%llu", (unsigned long long)im->free_b);
	im->imported = 0;
	if (rhv_db_exec(db,
			"INSERT INTO storage_domains (id, name, role, kind, path, size, free, checked_at)"
			" VALUES ($1, $2, $3, $4, $5, $6::bigint, $7::bigint, now())",
			RHV_PARAMS(im->id, im->name, im->role, im->kind, im->path, size, free_b), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT,
						 "storage domain '%s' (%s) or its path is already in the store", im->name,
						 im->id);
		return -1;
	}
	for (size_t i = 0; i < im->ndisks; i++) {
		const struct rhv_db_sd_import_disk *d = &im->disks[i];
		char vsize[24], actual[24];

		snprintf(vsize, sizeof(vsize), "%llu", (unsigned long long)d->size);
		snprintf(actual, sizeof(actual), "%llu", (unsigned long long)d->actual);
		if (rhv_db_exec(db,
				"INSERT INTO disks (id, name, description, domain_id, volume_id, format, allocation, size,"
				" actual, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bigint, $9::bigint,"
				" CASE WHEN $10::boolean THEN 'OK' ELSE 'Illegal' END)",
				RHV_PARAMS(d->id, d->name, d->description, im->id, d->volume_id, d->format, d->allocation,
					   vsize, actual, d->readable ? "true" : "false"),
				NULL, err) < 0) {
			if (!rhv_db_error_is(err, "23505"))
				return free(taken), -1;
			rhv_xappendf(&taken, ", ", "'%s'", d->name);
			rhv_error_clear(err);
			/* a failed statement aborts the transaction: record the name, give up below */
			break;
		}
		im->imported++;
	}
	if (taken) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot import storage domain '%s': disk %s already exists in the store",
			      im->name, taken);
		rhv_error_hint(err, "rename or remove the store's disk first; the storage was not changed");
		free(taken);
		return -1;
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", im->id, im->name, "import", err,
			     "storage domain '%s' imported from %s with %d disk%s", im->name, im->path, im->imported,
			     im->imported == 1 ? "" : "s");
}

int rhv_db_sd_inactive(struct rhv_db *db, const char *dc, char ***att, size_t *n, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*att = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT s.id, d.id AS dc_id FROM storage_domain_dc a JOIN storage_domains s ON s.id = a.domain_id"
			" JOIN data_centers d ON d.id = a.dc_id WHERE a.status = 'Inactive'"
			" AND ($1::text IS NULL OR d.name = $1 OR d.id::text = $1) ORDER BY s.name",
			RHV_PARAMS(dc), &r, err) < 0)
		return -1;
	*n = 2 * (size_t)PQntuples(r);
	*att = rhv_xcalloc(*n ? *n : 1, sizeof(**att));
	for (int i = 0; i < PQntuples(r); i++) {
		(*att)[2 * i] = rhv_pq_dup(r, i, "id");
		(*att)[2 * i + 1] = rhv_pq_dup(r, i, "dc_id");
	}
	return 0;
}

int rhv_db_sd_reactivate(struct rhv_db *db, const struct rhv_sd_ref *ref, struct rhv_error *err)
{
	long n;

	if (rhv_db_command(db,
			   "UPDATE storage_domain_dc SET status = 'Active', status_reason = NULL, status_since = now()"
			   " WHERE domain_id = $1 AND dc_id = $2 AND status = 'Inactive'",
			   RHV_PARAMS(ref->id, ref->dc_id), &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", ref->id, ref->name, "recover", err,
			     "storage domain '%s' is reachable again and Active in '%s'", ref->name, ref->dc);
}

