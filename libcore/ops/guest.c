/* A running VM's domain on its host (ops/guest.h). */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/guest.h"
#include "rhv/settings.h"
#include "store/host.h"

int rhv_ops_running_domain_start(struct rhv_db *db, const char *host_id, const char *vm_id,
				 struct rhv_ops_guest_opening *g, struct rhv_error *err)
{
	struct rhv_settings st;
	struct rhv_host h;

	memset(g, 0, sizeof(*g));
	if (rhv_settings_load(db, &st, err) < 0 || rhv_host_get(db, host_id, &h, err) < 0)
		return -1;
	g->opening = rhv_virt_open_start(h.uri, (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS] * 1000);
	g->host_name = rhv_xstrdup(h.name);
	snprintf(g->vm_id, sizeof(g->vm_id), "%s", vm_id);
	rhv_host_clear(&h);
	return 0;
}

struct rhv_virt_dom *rhv_ops_running_domain_finish(struct rhv_ops_guest_opening *g, struct rhv_virt_conn **conn,
						   struct rhv_error *err)
{
	struct rhv_virt_dom *dom = NULL;

	*conn = rhv_virt_open_finish(g->opening, err);
	if (*conn)
		dom = rhv_virt_dom_lookup(*conn, g->vm_id, err, "the VM is not running on host '%s'", g->host_name);
	free(g->host_name);
	memset(g, 0, sizeof(*g));
	return dom;
}

void rhv_ops_running_domain_abandon(struct rhv_ops_guest_opening *g)
{
	rhv_virt_open_abandon(g->opening);
	free(g->host_name);
	memset(g, 0, sizeof(*g));
}

struct rhv_virt_dom *rhv_ops_running_domain(struct rhv_db *db, const char *host_id, const char *vm_id,
					    struct rhv_virt_conn **conn, struct rhv_error *err)
{
	struct rhv_ops_guest_opening g;

	*conn = NULL;
	if (rhv_ops_running_domain_start(db, host_id, vm_id, &g, err) < 0)
		return NULL;
	return rhv_ops_running_domain_finish(&g, conn, err);
}
