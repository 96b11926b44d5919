/*
 * Maintenance: empty a host by live migration, then take it out of
 * service.  The host is PreparingForMaintenance meanwhile, so the scheduler
 * sends nothing new to it.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/host.h"
#include "store/txn.h"
#include "rhv/cleanup.h"
#include "rhv/progress.h"
#include "rhv/spmops.h"
#include "rhv/vmops.h"

struct maint_arg {
	const char *name;
	bool finish; /* second step: enter Maintenance if nothing is left */
	bool already;
	int left;
	char id[37];
};

static int maint_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct maint_arg *a = arg;
	struct rhv_host h;
	int rc = -1;

	if (rhv_db_host_lock(db, a->name, &h, err) < 0)
		goto out;
	snprintf(a->id, sizeof(a->id), "%s", h.id);
	a->already = !strcmp(h.state, RHV_HOST_MAINTENANCE);
	if (a->already) {
		rc = 0;
		goto out;
	}
	if (!a->finish) {
		if (strcmp(h.state, RHV_HOST_UP) && strcmp(h.state, RHV_HOST_NONOPERATIONAL) &&
		    strcmp(h.state, RHV_HOST_PREPARING)) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' is %s: it cannot enter maintenance now", h.name,
				      h.state);
			goto out;
		}
		rc = strcmp(h.state, RHV_HOST_PREPARING) ? rhv_db_host_set_state(db, &h, RHV_HOST_PREPARING, NULL, err) : 0;
		goto out;
	}
	if (strcmp(h.state, RHV_HOST_PREPARING)) { /* the admin changed course meanwhile */
		rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' is %s, no longer preparing for maintenance", h.name,
			      h.state);
		goto out;
	}
	if (rhv_db_host_vms_left(db, h.id, &a->left, err) < 0)
		goto out;
	rc = a->left ? 0 : rhv_db_host_set_state(db, &h, RHV_HOST_MAINTENANCE, NULL, err);
out:
	rhv_host_clear(&h);
	return rc;
}

int rhv_host_maintenance(struct rhv_db *db, const char *name, const struct rhv_progress *p, struct rhv_batch *out,
			 struct rhv_error *err)
{
	struct maint_arg a = { name, false, false, 0, "" };
	char **vms = NULL;
	size_t n = 0;

	if (rhv_db_txn(db, maint_txn, &a, err) < 0)
		return -1;
	if (a.already)
		return 0;
	/* the VM with the lowest CPU use moves first (reference 5.9) */
	if (rhv_db_host_vm_names(db, a.id, &vms, &n, err) < 0)
		return -1;
	/* one at a time: the per-host limit of outgoing migrations holds anyway */
	for (size_t i = 0; i < n; i++) {
		const char *vm = vms[i];
		struct rhv_error e = { 0 };
		_cleanup_free_ char *msg = NULL;

		if (rhv_vm_migrate(db, vm, NULL, NULL, p, &e) == 0) {
			rhv_batch_add(out, vm, RHV_EXIT_OK, "migrated");
			continue;
		}
		msg = e.detail[0] ? rhv_xasprintf("VM '%s' cannot leave host '%s': %s (%s)", vm, name, e.message, e.detail)
				  : rhv_xasprintf("VM '%s' cannot leave host '%s': %s", vm, name, e.message);
		rhv_batch_add(out, vm, e.code ? e.code : RHV_EXIT_FAILED, msg);
	}
	rhv_db_names_free(vms, n);
	if (rhv_batch_failed(out))
		return 0;
	a.finish = true;
	if (rhv_db_txn(db, maint_txn, &a, err) < 0)
		return -1;
	if (a.left) {
		rhv_batch_add(out, name, RHV_EXIT_CONFLICT, "VMs arrived on the host meanwhile; run maintenance again");
		return 0;
	}
	return rhv_spm_handoff(db, a.id, p, err);
}
