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
