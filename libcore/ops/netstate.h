/*
 * A host's required networks (reference 3.12) and its state: a host with
 * network data that lacks a required network of its cluster, or has it out
 * of sync, is NonOperational with that reason and its VMs leave it; when
 * the network comes it is Up again.  A host never read is left alone.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/host.h"

struct rhv_progress;

/*
 * Why host host_id does not have its cluster's required networks, written
 * into buf ("required network 'blue' is not set up on the host"), inside
 * the caller's transaction.  *why NULL: it has them, or has no network
 * data.  Returns: 0, or -1.
 */
int rhv_host_net_misfit(struct rhv_db *db, const char *host_id, const char **why, char *buf, size_t len,
			struct rhv_error *err);

/*
 * Judge an answering host by its required networks (the monitor, after
 * rhv-net host-setup): Up -> NonOperational with the reason, or
 * NonOperational for a network -> Up when it has them again; then, while it
 * is NonOperational for a network, migrate its VMs away (the scheduler
 * picks each target; one that cannot move stays, warned about, and is tried
 * again at the next pass).  h is the host as last listed: a host that has
 * its networks and is not NonOperational for one costs no lock.  Returns:
 * 0, or -1 for the host itself.
 */
int rhv_host_net_enforce(struct rhv_db *db, const struct rhv_host *h, const struct rhv_progress *p,
			 struct rhv_error *err);
