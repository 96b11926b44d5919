/* Storage monitoring: one pass, run by `rhv-host monitor` after the hosts' pass. */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_progress;

/*
 * Keep or elect each data center's SPM, record per Up host and domain
 * whether the host can read the domain (a domain no Up host reads becomes
 * Inactive, and an unreachable master hands its role on), measure free
 * space (ALERT below a domain's critical space), read running VMs' disk
 * allocation, report VMs paused for lack of space and resume them once
 * there is room.  Problems with one object are notes, not failures.
 * Returns: 0, or -1 with err for store errors.
 */
int rhv_storage_monitor(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err);
