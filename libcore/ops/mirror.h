/*
 * Port mirroring on the hosts (reference 3.14), done as vdsm does it: on
 * the host where a VM with a vNIC on a mirroring profile runs, every frame
 * crossing that network's bridge is copied to the vNIC's tap (tc, by the
 * host script over SSH; see hostnet-host.sh).  Set after the VM starts or
 * migrates in; taken off where it stopped or left.  A host whose networks
 * were never read is left alone (rhv-net set up no bridge there).  These
 * never fail the operation that calls them: the guest runs without the
 * copies, and a warning and a WARNING event (action port-mirroring) say why.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/netfit.h"
#include "rhv/progress.h"
#include "rhv/virt.h"
#include "rhv/vm.h"

/* vm now runs as dom on host host_name (networks hn): mirror its mirroring vNICs' networks to their taps. */
void rhv_ops_mirror_apply(struct rhv_db *db, const struct rhv_vm *vm, const char *host_name,
			  const struct rhv_host_nets *hn, struct rhv_virt_dom *dom, const struct rhv_progress *p);

/* vm no longer runs on host host_name: its taps' filters go (with any other tap's that is gone). */
void rhv_ops_mirror_release(struct rhv_db *db, const struct rhv_vm *vm, const char *host_id, const char *host_name,
			    const struct rhv_progress *p);

/*
 * The same for a mirroring VM found gone from host host_name without rhv
 * stopping it (the monitor: a crash, a kill, a virsh destroy), named by
 * id and name only.
 */
void rhv_ops_mirror_sweep(struct rhv_db *db, const char *vm_id, const char *vm_name, const char *host_id,
			  const char *host_name, const struct rhv_progress *p);
