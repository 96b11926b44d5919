/* A running VM's domain on its host, for the flows that change a guest (devices, snapshots). */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/virt.h"

/*
 * The domain of VM vm_id on host host_id; *conn (caller closes, also after
 * a failure) keeps it usable.  NULL with err: 5 the host unreachable, 3 the
 * VM not running there.
 */
struct rhv_virt_dom *rhv_ops_running_domain(struct rhv_db *db, const char *host_id, const char *vm_id,
					    struct rhv_virt_conn **conn, struct rhv_error *err);

/*
 * The same in two steps, so the caller works while the host is connected
 * to: start looks the host up in the store and starts connecting (-1 with
 * err: 3 no such host), finish waits and finds the domain (as above; it
 * frees g), abandon gives up (the connection, if any, is closed).
 */
struct rhv_ops_guest_opening {
	struct rhv_virt_opening *opening;
	char *host_name;
	char vm_id[37];
};
int rhv_ops_running_domain_start(struct rhv_db *db, const char *host_id, const char *vm_id,
				 struct rhv_ops_guest_opening *g, struct rhv_error *err);
struct rhv_virt_dom *rhv_ops_running_domain_finish(struct rhv_ops_guest_opening *g, struct rhv_virt_conn **conn,
						   struct rhv_error *err);
void rhv_ops_running_domain_abandon(struct rhv_ops_guest_opening *g);
