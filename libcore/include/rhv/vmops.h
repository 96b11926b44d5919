/*
 * What VMs do on their hosts: start (placed by the scheduler), stop,
 * shutdown, live migration.  Each claims its VM in a short transaction,
 * talks to libvirt outside any transaction, then records the outcome, so a
 * slow host never holds a lock and two admins never act on one VM at once.
 */
#pragma once

#include <stdio.h>
#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/placement.h"

struct rhv_db;
struct rhv_progress;

/*
 * Start a Down VM on host (NULL: the scheduler picks).  explain, if not
 * NULL, receives every host's verdict and weight.
 * Returns: 0; or -1 with RHV_EXIT_NOTFOUND, RHV_EXIT_CONFLICT (not Down,
 * no host can take it: the detail says why), RHV_EXIT_UNAVAILABLE (the
 * host did not answer), RHV_EXIT_FAILED (QEMU would not start).
 */
int rhv_vm_start(struct rhv_db *db, const char *name, const char *host, struct rhv_placement *explain,
		 const struct rhv_progress *p, struct rhv_error *err);
/* Power off at once. */
int rhv_vm_stop(struct rhv_db *db, const char *name, const struct rhv_progress *p, struct rhv_error *err);
/* ACPI shutdown, then power off after timeout seconds (< 0: the VmShutdownTimeoutSeconds setting). */
int rhv_vm_shutdown(struct rhv_db *db, const char *name, int timeout, const struct rhv_progress *p,
		    struct rhv_error *err);
/* Live-migrate to host (NULL: the scheduler picks), within reference 5.9's limits. */
int rhv_vm_migrate(struct rhv_db *db, const char *name, const char *host, struct rhv_placement *explain,
		   const struct rhv_progress *p, struct rhv_error *err);

/*
 * rhv_vm_edit(), and NICs added to or removed from a VM that is Up are
 * plugged into or out of the running guest (reference 3.7): each on its
 * network's bridge on the VM's host, with its MAC from the pool and its
 * profile's QoS.  The store changes first; when the guest refuses (or does
 * not release a NIC: unplugging needs a guest OS that answers ACPI), what
 * was plugged is taken back and the store put back as it was, with an
 * event.  A NIC on a profile with port mirroring is refused (reference
 * 3.14).  *plugged tells whether the guest was changed.
 * Returns: 0; or -1 with the classes of rhv_vm_edit(), RHV_EXIT_CONFLICT
 * (not Up, mirroring, a network the host lacks), RHV_EXIT_UNAVAILABLE (the
 * host did not answer), RHV_EXIT_FAILED (the guest refused).
 */
struct rhv_vm_spec;
int rhv_vm_edit_live(struct rhv_db *db, const struct rhv_vm_spec *spec, bool *plugged, struct rhv_error *err);
