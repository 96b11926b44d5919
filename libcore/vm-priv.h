/* Store access for VMs shared by db-vm.c, vmops.c and monitor.c. */
#pragma once

#include "db-priv.h"
#include "rhv/vm.h"

/* Lock (FOR UPDATE) and read a VM with its NICs and addresses, in the caller's transaction. */
int rhv_db_vm_lock(struct rhv_db *db, const char *name, struct rhv_vm *out, char host_id[37],
		   struct rhv_error *err);
/*
 * Move a VM to a state: host_id NULL for Down, migrating_to only with
 * MigratingFrom.  Writes the event when message is not NULL.
 */
int rhv_db_vm_set_state(struct rhv_db *db, const struct rhv_vm *vm, const char *state, const char *host_id,
			const char *migrating_to, enum rhv_exit sev_class, const char *message, struct rhv_error *err);
/* Keep the PCI addresses libvirt assigned at the first start (existing keys are never overwritten). */
int rhv_db_vm_keep_addresses(struct rhv_db *db, const char *vm_id, const struct rhv_vm_addr *addrs, size_t n,
			     struct rhv_error *err);
/*
 * Fill vm->disks and vm->cdrom from the store (paths on the storage).  check:
 * refuse (4) a disk that is not OK or whose domain is not Active, and an
 * ISO whose domain is not Active: what a start needs.
 */
int rhv_db_vm_load_storage(struct rhv_db *db, struct rhv_vm *vm, bool check, struct rhv_error *err);
