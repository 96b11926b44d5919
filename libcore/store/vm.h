/* The VM's rows as the flows in ops/ need them (store/vm.c): no libpq here. */
#pragma once

#include "rhv/db.h"
#include "rhv/error.h"
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

/* A disk attach: what was asked, and what plugging it into a running guest needs. */
struct rhv_disk_attach_req {
	const char *disk, *vm, *interface;
	int bootable; /* -1: the VM's first disk boots */
	/* out */
	bool running; /* the VM runs: the disk must be plugged into the guest too */
	char vm_id[37], disk_id[37], host_id[37], target[8];
};
/*
 * Attach in the store, one transaction: to a Down VM, or to a running one
 * (virtio, the domain Active), which the caller then plugs.
 */
int rhv_db_disk_attach(struct rhv_db *db, struct rhv_disk_attach_req *a, struct rhv_error *err);
/* Undo an attach whose plugging failed, with an event saying why. */
int rhv_db_disk_unattach(struct rhv_db *db, const struct rhv_disk_attach_req *a, const char *why,
			 struct rhv_error *err);

/* A CD change: what was asked, and what changing it in a running guest needs. */
struct rhv_cdrom_req {
	const char *vm, *iso; /* iso NULL: eject */
	const char *why;      /* for the undo's event */
	/* out */
	bool running;         /* the VM runs with a CD-ROM drive on target */
	char vm_id[37], host_id[37], target[8];
	char *iso_path;       /* absolute path of the new ISO; NULL for an eject */
	char old_domain_id[37];
	char *old_file;       /* what was in it, for the undo; NULL: empty */
};
/* Change the CD in the store (a Down VM, or a running one with a drive). */
int rhv_db_vm_set_cdrom(struct rhv_db *db, struct rhv_cdrom_req *c, struct rhv_error *err);
/* Put back what was in the drive, with an event saying why (c->why). */
int rhv_db_vm_cdrom_undo(struct rhv_db *db, const struct rhv_cdrom_req *c, struct rhv_error *err);
void rhv_cdrom_req_clear(struct rhv_cdrom_req *c);

/*
 * The cluster of a VM named by name or id, read without a lock (the
 * cluster is locked next, then the VM: the order of every claim).
 * Returns: 0, or -1 (RHV_EXIT_NOTFOUND for an unknown VM).
 */
int rhv_db_vm_cluster_id(struct rhv_db *db, const char *name, char cluster_id[37], struct rhv_error *err);
/* Where a VM is, as a flow checks that its claim still holds. */
struct rhv_vm_where {
	bool found;
	char *name, *state;
	char *host_id; /* NULL: on no host */
};
/* Lock a VM by id (FOR UPDATE) and read where it is; out->found false when it is gone. */
int rhv_db_vm_lock_where(struct rhv_db *db, const char *id, struct rhv_vm_where *out, struct rhv_error *err);
void rhv_vm_where_clear(struct rhv_vm_where *w);
/* The VM moved now: the balancer's cool-down reads when a VM last moved. */
int rhv_db_vm_migrated(struct rhv_db *db, const char *id, struct rhv_error *err);

/* ---- NICs of a running VM (hot-plug, reference 3.7) ---- */

/* A NIC as its row was, to put it back. */
struct rhv_db_nic_row {
	int idx;
	char *network, *model, *profile_id, *address; /* address: its stored PCI address, NULL: none */
	char mac[18];
};

/* What an edit changed in the NICs of a running VM, for the live step or its undo. */
struct rhv_db_nic_change {
	bool running; /* out: the VM is Up and its NICs changed in the store only so far */
	char vm_id[37], host_id[37];
	char **added; /* MACs of the NICs added */
	size_t nadded;
	struct rhv_db_nic_row *removed;
	size_t nremoved;
};
void rhv_db_nic_change_clear(struct rhv_db_nic_change *c);

/*
 * rhv_vm_edit(), and with chg a VM that is Up may also get NICs added and
 * removed (and nothing else of its hardware): chg->running then says the
 * store has them and the guest does not yet.  A NIC on a vNIC profile with
 * port mirroring is neither plugged into nor unplugged from a running VM
 * (reference 3.14: RHV_EXIT_CONFLICT).
 */
int rhv_db_vm_edit(struct rhv_db *db, const struct rhv_vm_spec *spec, struct rhv_db_nic_change *chg,
		   struct rhv_error *err);
/*
 * Put the NICs back as they were before the change (the added ones gone,
 * the removed ones back with their MAC and PCI address), with an event
 * saying why.  Returns: 0, or -1.
 */
int rhv_db_vm_nic_undo(struct rhv_db *db, const struct rhv_db_nic_change *chg, const char *why,
		       struct rhv_error *err);
