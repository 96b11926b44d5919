/*
 * The monitor reads a host's networks again (rhv_hostnet_refresh in
 * rhv/hostnet.h): a bridge deleted or an MTU changed by hand on the host
 * is otherwise seen only at the next rhv-net host-nics or host-setup.
 * Discovery recomputes each network's sync; the monitor then judges the
 * host by its required networks (ops/netstate.c).
 */
#include "rhv/common.h"

#include <string.h>

#include "ops/hostnet-priv.h"
#include "rhv/hostnet.h"
#include "rhv/progress.h"
#include "store/hostnet.h"
#include "store/txn.h"

int rhv_hostnet_refresh(struct rhv_db *db, const char *host_id, int64_t every_s, const struct rhv_progress *p,
			struct rhv_error *err)
{
	struct rhv_hostnet_host h;
	struct rhv_fence_pm pm;
	struct rhv_error e = { 0 }, e2 = { 0 };
	bool due, got, said;
	int rc = -1;

	/* a host never read keeps being read only by rhv-net: no SSH round for it */
	if (every_s <= 0)
		return 0;
	if (rhv_db_hostnet_read_due(db, host_id, every_s, &due, err) < 0)
		return -1;
	if (!due)
		return 0;
	memset(&pm, 0, sizeof(pm));
	if (rhv_db_hostnet_host(db, host_id, false, &h, err) < 0 || rhv_fence_pm_get(db, h.name, &pm, err) < 0)
		goto out;
	/* a network setup running on the host reads it back itself; mid-way, the host and the store differ */
	if (rhv_db_try_lock(db, "hostnet", h.id, true, &got, err) < 0)
		goto out;
	rc = 0;
	if (!got)
		goto out;
	if (rhv_hostnet_read(&pm, &h, db, &e) < 0) {
		/* not a host failure: the host answered its libvirt daemon, only this reading is lost */
		rc = rhv_db_hostnet_read_failed(db, h.id, h.name, e.message, &said, err);
		if (rc == 0 && said)
			rhv_progress_warn(p, "cannot read the networks of host '%s' again, its last reading is kept: %s",
					  h.name, e.message);
	}
	rhv_db_try_lock(db, "hostnet", h.id, false, &got, &e2);
out:
	rhv_fence_pm_clear(&pm);
	return rc;
}
