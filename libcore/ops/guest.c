/* A running VM's domain on its host (ops/guest.h). */
#include "rhv/common.h"

#include "ops/guest.h"
#include "rhv/settings.h"
#include "store/host.h"

struct rhv_virt_dom *rhv_ops_running_domain(struct rhv_db *db, const char *host_id, const char *vm_id,
					    struct rhv_virt_conn **conn, struct rhv_error *err)
{
	struct rhv_settings st;
	struct rhv_host h;
	struct rhv_virt_dom *dom = NULL;

	*conn = NULL;
	if (rhv_settings_load(db, &st, err) < 0 || rhv_host_get(db, host_id, &h, err) < 0)
		return NULL;
	*conn = rhv_virt_open(h.uri, (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS] * 1000, err);
	if (*conn)
		dom = rhv_virt_dom_lookup(*conn, vm_id, err, "the VM is not running on host '%s'", h.name);
	rhv_host_clear(&h);
	return dom;
}
