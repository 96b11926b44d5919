/*
 * Taking storage domains out of service: maintenance (moving the master
 * role first), detach, remove.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/event.h"
#include "rhv/progress.h"
#include "store/store-priv.h"
#include "storage/sd-priv.h"

/* Running VMs using a disk or an ISO of the domain, "a, b" (NULL: none).  Caller frees. */
static int busy_vms(struct rhv_db *db, const char *domain_id, char **out, struct rhv_error *err)
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

struct state_change {
	const struct rhv_sd_ref *ref;
	const char *status;
	const char *new_master; /* domain id taking the master role, or NULL */
	bool drop_spm;          /* the lease was released: the store forgets the SPM */
	const char *message;
};

static int state_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct state_change *s = arg;

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

/* Stop the SPM holding the lease on the old master: the role restarts on the new master's lease. */
static int release_lease(struct rhv_db *db, const struct rhv_sd_ref *ref, const struct rhv_progress *p,
			 uint64_t *generation, struct rhv_error *err)
{
	struct rhv_spm_token tok;

	if (rhv_spm_token(db, ref->dc_id, p, &tok, err) < 0)
		return -1;
	*generation = tok.generation;
	return rhv_lease_release(tok.lease_path, tok.spm_id, tok.generation, &tok.timing, err);
}

static int other_active(struct rhv_db *db, const struct rhv_sd_ref *ref, bool *any, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"SELECT 1 FROM storage_domain_dc WHERE dc_id = $1 AND domain_id <> $2 AND status = 'Active'",
			RHV_PARAMS(ref->dc_id, ref->id), &r, err) < 0)
		return -1;
	*any = PQntuples(r) > 0;
	return 0;
}

static int master_to_maintenance(struct rhv_db *db, struct rhv_sd_ref *ref, const struct rhv_progress *p,
				 struct rhv_error *err)
{
	_cleanup_free_ char *succ_path = NULL, *succ_name = NULL, *msg = NULL;
	char succ[37];
	uint64_t gen = 0;
	struct state_change s = { ref, RHV_SD_MAINTENANCE, NULL, true, NULL };

	if (rhv_db_sd_master_successor(db, ref->dc_id, ref->id, succ, &succ_path, &succ_name, err) < 0)
		return -1;
	if (!succ[0]) {
		bool any;

		if (other_active(db, ref, &any, err) < 0)
			return -1;
		if (any)
			return rhv_error_set(err, RHV_EXIT_CONFLICT,
					     "storage domain '%s' is the master of '%s' and no other data domain is Active "
					     "to take over: put the other domains in maintenance first",
					     ref->name, ref->dc);
	}
	if (release_lease(db, ref, p, &gen, err) < 0)
		return -1;
	if (succ[0]) {
		_cleanup_free_ char *lease = rhv_xasprintf("%s/%s/%s", succ_path, RHV_SDMETA_DIR, RHV_SD_LEASE_FILE);

		/* the new lease continues the generations, so old tokens stay refused */
		if (rhv_lease_init(lease, gen, err) < 0)
			return -1;
		s.new_master = succ;
	}
	msg = rhv_xasprintf("storage domain '%s' is in maintenance in '%s'%s", ref->name, ref->dc,
			    succ[0] ? "; the master role moved" : "; the data center has no active master");
	s.message = msg;
	if (rhv_db_txn(db, state_txn, &s, err) < 0)
		return -1;
	rhv_progress_note(p, "%s", msg);
	if (succ[0]) {
		struct rhv_spm_token tok;
		struct rhv_error e2 = { 0 };

		if (rhv_spm_token(db, ref->dc_id, p, &tok, &e2) < 0)
			rhv_progress_warn(p, "no SPM on the new master yet: %s", e2.message);
	}
	return 0;
}

int rhv_sd_maintenance(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		       struct rhv_error *err)
{
	struct rhv_sd_ref ref;
	_cleanup_free_ char *vms = NULL, *msg = NULL;
	int rc = -1;

	if (rhv_db_sd_ref_get(db, name, dc, true, false, &ref, err) < 0)
		goto out;
	if (!strcmp(ref.status, RHV_SD_MAINTENANCE)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is already in maintenance in '%s'", ref.name,
			      ref.dc);
		goto out;
	}
	if (busy_vms(db, ref.id, &vms, err) < 0)
		goto out;
	if (vms) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is in use by running VMs: %s", ref.name, vms);
		goto out;
	}
	if (ref.master) {
		rc = master_to_maintenance(db, &ref, p, err);
		goto out;
	}
	{
		struct state_change s = { &ref, RHV_SD_MAINTENANCE, NULL, false, NULL };

		msg = rhv_xasprintf("storage domain '%s' is in maintenance in '%s'", ref.name, ref.dc);
		s.message = msg;
		rc = rhv_db_txn(db, state_txn, &s, err);
		if (rc == 0)
			rhv_progress_note(p, "%s", msg);
	}
out:
	rhv_sd_ref_clear(&ref);
	return rc;
}

static int clear_dc_id(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	(void)arg;
	(void)err;
	m->dc_id[0] = '\0';
	return 0;
}

struct detach {
	const struct rhv_sd_ref *ref;
	bool last_master;
};

static int detach_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct detach *d = arg;

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

int rhv_sd_detach(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		  struct rhv_error *err)
{
	struct rhv_sd_ref ref;
	struct detach d = { &ref, false };
	int rc = -1;

	if (rhv_db_sd_ref_get(db, name, dc, true, false, &ref, err) < 0)
		goto out;
	if (strcmp(ref.status, RHV_SD_MAINTENANCE)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is %s in '%s': put it in maintenance first",
			      ref.name, ref.status, ref.dc);
		rhv_error_hint(err, "rhv-sd maintenance %s", ref.name);
		goto out;
	}
	if (ref.master) {
		_cleanup_pgresult_ PGresult *r = NULL;

		if (rhv_db_exec(db, "SELECT 1 FROM storage_domain_dc WHERE dc_id = $1 AND domain_id <> $2",
				RHV_PARAMS(ref.dc_id, ref.id), &r, err) < 0)
			goto out;
		if (PQntuples(r)) {
			rhv_error_set(err, RHV_EXIT_CONFLICT,
				      "storage domain '%s' is the master of '%s': detach its other domains first", ref.name,
				      ref.dc);
			goto out;
		}
		d.last_master = true;
	}
	if (ref.path && strcmp(ref.role, "iso")) {
		struct rhv_spm_token tok;

		/* the last master has no SPM any more: its own lease still lets one host write it */
		if (rhv_spm_token(db, ref.dc_id, p, &tok, err) < 0 || rhv_sd_meta_update(&tok, ref.path, clear_dc_id, NULL, err) < 0)
			goto out;
		if (d.last_master) {
			struct rhv_error ignored = { 0 };

			rhv_lease_release(tok.lease_path, tok.spm_id, tok.generation, &tok.timing, &ignored);
		}
	}
	rc = rhv_db_txn(db, detach_txn, &d, err);
	if (rc == 0)
		rhv_progress_note(p, "storage domain '%s' detached from '%s'", ref.name, ref.dc);
out:
	rhv_sd_ref_clear(&ref);
	return rc;
}

struct remove {
	const char *name;
	bool force;
};

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

static int remove_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct remove *rm = arg;
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_sd_ref ref;
	int rc = -1;

	if (rhv_db_sd_ref_get(db, rm->name, NULL, false, true, &ref, err) < 0)
		goto out;
	if (rm->force) {
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
	rc = rhv_event_add(db, rm->force ? RHV_SEV_WARNING : RHV_SEV_NORMAL, "storage_domain", ref.id, ref.name,
			   rm->force ? "destroy" : "remove", err, "storage domain '%s' %s from the store (its storage is left as it is)",
			   ref.name, rm->force ? "destroyed" : "removed");
out:
	rhv_sd_ref_clear(&ref);
	return rc;
}

int rhv_sd_remove(struct rhv_db *db, const char *name, bool force, struct rhv_error *err)
{
	struct remove rm = { name, force };

	return rhv_db_txn(db, remove_txn, &rm, err);
}
