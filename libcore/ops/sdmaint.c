/*
 * Taking storage domains out of service: maintenance (moving the master
 * role first), detach, remove.  Their rows are store/sdstate.c's.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/event.h"
#include "rhv/progress.h"
#include "store/txn.h"
#include "storage/sd-priv.h"

static int state_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	return rhv_db_sd_set_state(db, arg, err);
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

static int master_to_maintenance(struct rhv_db *db, struct rhv_sd_ref *ref, const struct rhv_progress *p,
				 struct rhv_error *err)
{
	_cleanup_free_ char *succ_path = NULL, *succ_name = NULL, *msg = NULL;
	char succ[37];
	uint64_t gen = 0;
	struct rhv_db_sd_state s = { ref, RHV_SD_MAINTENANCE, NULL, true, NULL };

	if (rhv_db_sd_master_successor(db, ref->dc_id, ref->id, succ, &succ_path, &succ_name, err) < 0)
		return -1;
	if (!succ[0]) {
		bool any;

		if (rhv_db_sd_other_active(db, ref, &any, err) < 0)
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
		_cleanup_free_ char *lease = rhv_sd_lease_path(succ_path);

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
	if (rhv_db_sd_busy_vms(db, ref.id, &vms, err) < 0)
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
		struct rhv_db_sd_state s = { &ref, RHV_SD_MAINTENANCE, NULL, false, NULL };

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

static int detach_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	return rhv_db_sd_detach(db, arg, err);
}

int rhv_sd_detach(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		  struct rhv_error *err)
{
	struct rhv_sd_ref ref;
	struct rhv_db_sd_detach d = { &ref, false };
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
		bool others;

		if (rhv_db_sd_others_attached(db, &ref, &others, err) < 0)
			goto out;
		if (others) {
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
		if (rhv_spm_token(db, ref.dc_id, p, &tok, err) < 0 ||
		    rhv_sd_meta_update(&tok, ref.path, clear_dc_id, NULL, err) < 0)
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

static int remove_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct remove *rm = arg;

	return rhv_db_sd_remove(db, rm->name, rm->force, err);
}

int rhv_sd_remove(struct rhv_db *db, const char *name, bool force, struct rhv_error *err)
{
	struct remove rm = { name, force };

	return rhv_db_txn(db, remove_txn, &rm, err);
}
