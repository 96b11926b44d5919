/*
 * The rows of VM snapshots (store/snapshot.c) as the flows of
 * ops/snap*.c use them: the VM and its disks as a snapshot operation sees
 * them, the claim that starts every operation, the finishes that end
 * them, and the merge jobs of deletes.  No libpq here.
 *
 * A claim locks the VM's row, checks its state and its other snapshots,
 * and puts the snapshot and its disks Locked under session locks the
 * caller then holds ("disk" per disk; the caller took "snap" on the VM
 * before).  A finish records the outcome, releases the rows (OK) and
 * writes the event; the caller lets the session locks go.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/snap.h"

/* The hints of a VM held by a preview or by a half-done operation (format: the VM's name, twice / once). */
#define RHV_SNAP_PREVIEW_HINT "keep it (rhv-snap commit %s) or go back (rhv-snap undo %s) first"
#define RHV_SNAP_RESUME_HINT "finish it first: rhv-snap resume %s"

/* The advisory-lock namespace of a VM's snapshot operations (key: the VM's id). */
#define RHV_DB_SNAP_LOCK "snap"

struct rhv_db_snap_disk {
	char id[37], volume_id[37], aside_volume_id[37], domain_id[37], dc_id[37];
	char *name, *target, *root; /* root: the domain's path, NULL on block domains */
	char *format, *allocation, *status;
	uint64_t size;
};

struct rhv_db_snap_vm {
	char id[37], host_id[37]; /* host_id "" when it runs nowhere */
	char *name, *state;
	uint64_t memory;
	int vcpus;
	char *nics;
	char preview_id[37]; /* the snapshot it previews, "" none */
	struct rhv_db_snap_disk *disks;
	size_t ndisks;
};
void rhv_db_snap_vm_clear(struct rhv_db_snap_vm *v);
/* A VM by name or id with its attached disks (3 unknown). */
int rhv_db_snap_vm_get(struct rhv_db *db, const char *vm, struct rhv_db_snap_vm *out, struct rhv_error *err);

/* Snapshots' rows with their disks' volumes (no chains): of vm_id (NULL: all), oldest first. */
int rhv_db_snap_list(struct rhv_db *db, const char *vm_id, struct rhv_snap_list *out, struct rhv_error *err);
/* One by id, or by a description only it has (3 none, 2 several). */
int rhv_db_snap_get(struct rhv_db *db, const char *snap, struct rhv_snap *out, struct rhv_error *err);

/* A merge job to record with a delete's claim, and as read back. */
struct rhv_db_snap_job {
	char disk_id[37], base[37], top[37], child[37]; /* child "": top is the active layer */
	bool live;
	char phase[16];
};

struct rhv_db_snap_claim {
	const char *op;      /* create, delete, preview, commit, undo */
	const char *vm_id;
	const char *snap_id; /* create: the new snapshot's id */
	const char *const *states; /* the VM states the operation accepts, NULL-terminated */
	/* the disks it locks, each with the top volume it must still have */
	size_t ndisks;
	const char *const *disk_ids;
	const char *const *disk_tops;
	const char *const *new_volumes; /* create, preview: the layer made on each */
	/* create */
	const char *description, *nics;
	/* create with the guest's memory: the image it goes to (NULL: none) */
	const char *memory_domain_id, *memory_image_id, *memory_volume_id;
	bool live;
	uint64_t memory;
	int vcpus;
	/* preview: restore the snapshot's memory (if it has one) at the VM's next start */
	bool restore_memory;
	/* delete */
	const struct rhv_db_snap_job *jobs;
	size_t njobs;
};
/*
 * Returns 0, or -1: 4 the VM in a state the operation does not accept,
 * another snapshot of it Locked (an interrupted operation: resume it
 * first) or in preview (create, delete, preview), the snapshot not OK
 * (delete, preview) or not in preview (commit, undo), a disk not OK, busy
 * or changed since it was read.
 */
int rhv_db_snap_claim(struct rhv_db *db, const struct rhv_db_snap_claim *c, struct rhv_error *err);

/* The outcome of an operation, recorded with the VM's event (message). */
enum rhv_db_snap_outcome {
	RHV_SNAP_CREATED,   /* the disks move to the new layers; the snapshot is OK */
	RHV_SNAP_DROPPED,   /* the snapshot goes (a create undone, or a delete finished) */
	RHV_SNAP_RELEASED,  /* the snapshot is OK again, nothing changed (a preview undone) */
	RHV_SNAP_PREVIEWED, /* the disks move to the preview layers, the VM takes the snapshot's configuration */
	RHV_SNAP_COMMITTED, /* the layers aside are gone: later snapshots go, the preview stays */
	RHV_SNAP_UNDONE,    /* the disks return to the layers aside, the VM to its configuration */
};
struct rhv_db_snap_finish {
	enum rhv_db_snap_outcome outcome;
	const char *snap_id, *vm_id, *vm;
	bool quiesced;              /* created */
	uint64_t memory_bytes;      /* created with memory: the image's size */
	/* undone: the format and allocation of each disk's returning top, by disk id */
	size_t ndisks;
	const char *const *disk_ids, *const *formats, *const *allocations;
	int severity;               /* enum rhv_severity of the event */
	const char *action, *message;
};
int rhv_db_snap_finish(struct rhv_db *db, const struct rhv_db_snap_finish *f, struct rhv_error *err);
/*
 * A create's memory image could not be trusted (the guest was never seen
 * to finish its snapshot): the snapshot keeps its disks only.  The caller
 * removes the image afterwards (one no snapshot names is scrub's).
 */
int rhv_db_snap_forget_memory(struct rhv_db *db, const char *snap_id, struct rhv_error *err);
/* The memory a VM's next start restores (found false: none): the snapshot, its image's path parts. */
struct rhv_db_snap_restore {
	bool found;
	char snap_id[37], image_id[37], volume_id[37];
	char *root;
};
void rhv_db_snap_restore_clear(struct rhv_db_snap_restore *r);
int rhv_db_snap_memory_to_restore(struct rhv_db *db, const char *vm_id, struct rhv_db_snap_restore *out,
				  struct rhv_error *err);
/* The restore is attempted: never again, whatever its outcome (the disks move on from here). */
int rhv_db_snap_memory_restoring(struct rhv_db *db, const char *snap_id, struct rhv_error *err);
/* A live create is about to ask the guest to switch: recorded first, so a crash after it is not rolled back blindly. */
int rhv_db_snap_switching(struct rhv_db *db, const char *snap_id, bool *was, struct rhv_error *err);
/* Keep why an operation failed on the snapshot (shown until the next attempt). */
int rhv_db_snap_note_error(struct rhv_db *db, const char *snap_id, const char *error, struct rhv_error *err);

/* The merge jobs of a snapshot being deleted. */
int rhv_db_snap_jobs_of(struct rhv_db *db, const char *snap_id, struct rhv_db_snap_job **out, size_t *n,
			struct rhv_error *err);
int rhv_db_snap_job_progress(struct rhv_db *db, const char *snap_id, const char *disk_id, const char *phase,
			     uint64_t done, uint64_t total, const char *error, struct rhv_error *err);
/*
 * One disk's merge is over: its job goes; the snapshot that held the
 * merged layer (top) now holds base; when top was the active layer, the
 * disk's top is base, of format and allocation.
 */
int rhv_db_snap_job_done(struct rhv_db *db, const char *snap_id, const struct rhv_db_snap_job *j, const char *format,
			 const char *allocation, struct rhv_error *err);
/* Every job, for `rhv-snap jobs` (running is filled by the caller). */
int rhv_db_snap_jobs(struct rhv_db *db, struct rhv_snap_job_list *out, struct rhv_error *err);

/* Locked snapshots (interrupted or running operations) of vm_id (NULL: all): snapshot and VM ids. */
struct rhv_db_snap_pending {
	char snap_id[37], vm_id[37];
};
int rhv_db_snap_pending(struct rhv_db *db, const char *vm_id, struct rhv_db_snap_pending **out, size_t *n,
			struct rhv_error *err);

/*
 * The claim's checks of the VM's other snapshots (an interrupted one, a
 * preview), ahead of work that reads the chains before claiming: during
 * a preview they are the preview's.  The caller holds the VM's lock.
 */
int rhv_db_snap_precheck(struct rhv_db *db, const char *op, const char *vm_id, const char *snap_id, const char *vm,
			 struct rhv_error *err);
/* 4 when a snapshot of the VM is Locked: an operation on its chain runs or was interrupted (for migrations). */
int rhv_db_snap_busy(struct rhv_db *db, const char *vm_id, const char *vm, struct rhv_error *err);
