/* Power saving's power actions in the store: the host's power facts and the powered-off mark. */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/host.h"
#include "store/powersave.h"

int rhv_db_host_power_lock(struct rhv_db *db, const char *name, struct rhv_host *h, struct rhv_bal_power_host *out,
			   struct rhv_error *err)
{
	/* VMs placed on it or migrating to it: what maintenance waits for */
	static const char sql[] =
		"SELECT h.pm_enabled, h.power_saving_off,"
		" (SELECT count(*) FROM fence_agents a WHERE a.host_id = h.id) AS agents,"
		" (SELECT count(*) FROM vms v WHERE v.host_id = h.id OR v.migrating_to = h.id) AS vms"
		" FROM hosts h WHERE h.id = $1";
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_host_lock(db, name, h, err) < 0 || rhv_db_exec(db, sql, RHV_PARAMS(h->id), &r, err) < 0)
		return -1;
	out->state = h->state;
	out->is_spm = h->is_spm;
	out->pm_enabled = rhv_pq_bool(r, 0, "pm_enabled");
	out->power_saving_off = rhv_pq_bool(r, 0, "power_saving_off");
	out->agents = (int)rhv_pq_int(r, 0, "agents");
	out->vms = (int)rhv_pq_int(r, 0, "vms");
	return 0;
}

int rhv_db_host_power_saved(struct rhv_db *db, const struct rhv_host *h, const char *reason, struct rhv_error *err)
{
	if (rhv_db_host_set_state(db, h, RHV_HOST_DOWN, reason, err) < 0)
		return -1;
	return rhv_db_exec(db, "UPDATE hosts SET power_saving_off = true WHERE id = $1", RHV_PARAMS(h->id), NULL, err);
}
