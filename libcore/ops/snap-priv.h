/*
 * What the snapshot flows of ops/snap*.c share: the VM's snapshot lock, the
 * SPM token and storage owner of a disk's domain, a disk's volume paths, a
 * running guest's chains, and the steps that resume (ops/snapresume.c)
 * runs again for an interrupted operation.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/qimg.h"
#include "rhv/snap.h"
#include "rhv/spmops.h"
#include "rhv/virt.h"
#include "store/snapshot.h"

struct rhv_progress;

/* The VM's snapshot lock (a session lock): 4 when another snapshot operation of it runs. */
int rhv_snap_lock_vm(struct rhv_db *db, const struct rhv_db_snap_vm *vm, struct rhv_error *err);
/* Let the VM's lock and the snapshot's disks' locks go. */
void rhv_snap_unlock(struct rhv_db *db, const char *vm_id, const char *const *disk_ids, size_t n);
/* Take the disks' locks of an interrupted operation (false when one is held: it still runs). */
bool rhv_snap_lock_disks(struct rhv_db *db, const char *const *disk_ids, size_t n);

/* The VM's attached disk of this id, or NULL. */
const struct rhv_db_snap_disk *rhv_snap_vm_disk(const struct rhv_db_snap_vm *vm, const char *disk_id);
/* Up or Paused: a guest that runs. */
bool rhv_snap_running(const char *state);
/* The SPM's token for the VM's data center (that of its first disk). */
int rhv_snap_token(struct rhv_db *db, const struct rhv_db_snap_disk *d, const struct rhv_progress *p,
		   struct rhv_spm_token *tok, struct rhv_error *err);
/* Whom a domain's new files belong to. */
int rhv_snap_owner(const char *root, struct rhv_qimg_as *as, struct rhv_error *err);
/* <root>/images/<disk>/<volume> (caller frees). */
char *rhv_snap_path(const struct rhv_db_snap_disk *d, const char *volume);

/*
 * Does the running guest's chain of disk target hold volume (matched by
 * file name)?  *top: is it the guest's top volume.  Returns 0, or -1 with err.
 */
int rhv_snap_guest_has(struct rhv_virt_dom *dom, const char *target, const char *volume, bool *has, bool *top,
		       struct rhv_error *err);

/*
 * The snapshot's memory image (ops/snapmemory.c).  has: one is named and
 * its domain is still there; path: its file (caller frees; NULL: none);
 * prepare: its directory, before libvirt writes it; keep: record it in the
 * domain's metadata, *bytes its size (nothing named: 0, nothing done);
 * drop: remove it from the metadata, then its file (each may be repeated).
 */
bool rhv_snap_has_memory(const struct rhv_snap *s);
char *rhv_snap_memory_path(const struct rhv_snap *s);
int rhv_snap_memory_prepare(const struct rhv_snap *s, struct rhv_error *err);
int rhv_snap_memory_keep(struct rhv_db *db, const struct rhv_snap *s, uint64_t *bytes, struct rhv_error *err);
int rhv_snap_memory_drop(struct rhv_db *db, const struct rhv_snap *s, struct rhv_error *err);

/* Carry the merge jobs of a snapshot being deleted to their end (the caller holds the locks). */
int rhv_snap_run_merges(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_progress *p,
			struct rhv_error *err);
/* The storage and store steps of a commit, an undo (run again by resume: each step may be repeated). */
int rhv_snap_run_commit(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_progress *p,
			struct rhv_error *err);
int rhv_snap_run_undo(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_progress *p,
		      struct rhv_error *err);
/*
 * Undo a create or a preview: remove the layers it made (new_volume_id of
 * each disk), drop the snapshot (create) or give it back OK (preview),
 * with a WARNING event saying why.
 */
int rhv_snap_roll_back(struct rhv_db *db, const struct rhv_snap *s, const char *why, struct rhv_error *err);
/*
 * Settle a create that did not finish: forward when its layers are all in
 * place and the guest may be using them (it asked the guest to switch, and
 * the guest's chain has them, or the VM no longer runs), otherwise back.
 * *forward tells which.  -1 when it cannot be told (the guest's host
 * unreachable): the snapshot stays Locked.
 */
int rhv_snap_settle_create(struct rhv_db *db, const struct rhv_snap *s, const char *why, bool *forward,
			   struct rhv_error *err);
/* Finish a create whose layers are in place and in use (quiesced as recorded). */
int rhv_snap_finish_create(struct rhv_db *db, const struct rhv_snap *s, bool quiesced, const char *how,
			   struct rhv_error *err);
