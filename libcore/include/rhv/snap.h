/*
 * VM snapshots (reference 8.1-8.5): points in time of a VM's disks and of
 * its configuration, kept as qcow2 layers on the disks' volume chains.
 *
 * A snapshot owns, for each of its disks, the volume that was the disk's
 * top when it was taken; a new qcow2 layer (made by the SPM, its backing
 * file that volume) became the top, and a running guest switched to it
 * live.  So a disk's chain reads, base first: the volumes of its
 * snapshots, oldest first, then the active layer.
 *
 * Every operation follows the disks' protocol (rhv/disk.h): claim (the
 * snapshot row Locked with the operation's name, the disks Locked, a
 * session lock on the VM's snapshots and on each disk), storage work
 * through the SPM (files first, then metadata when adding; metadata
 * first, then files when removing), finish in one transaction.  A process
 * killed half-way leaves a Locked snapshot whose session lock is gone:
 * rhv_snap_resume() (`rhv-snap resume`, also run by `rhv-sd scrub` and the
 * monitor) rolls a create or a preview back (forward when the running
 * guest already switched to the new layers), and carries a delete, a
 * commit or an undo to its end.
 *
 * Deleting a snapshot merges the next layer into the snapshot's volume:
 * the next layer's data goes down into it (qemu-img commit with the VM
 * down; a libvirt block commit of an inner layer, or an active commit and
 * pivot of the top, while it runs), the layer above is re-based on it, and
 * the next layer's file goes.  The merge is a job in the store (one row
 * per disk, with progress) from its first step: from then on the snapshot
 * cannot be previewed, and whatever stops the command, the job is finished
 * later, never undone (a half-done commit is harmless: the layer above
 * still holds the same data).
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_progress;
struct rhv_scrub_report;

/* One volume of a disk's chain as rhv-snap shows it. */
struct rhv_snap_volume {
	char id[37];
	char *format;         /* raw, qcow2 */
	uint64_t size;        /* virtual */
	uint64_t actual;      /* on storage */
	char snapshot_id[37]; /* the snapshot it holds, "" for the active or preview layer */
	char *role;           /* "snapshot", "active", "preview", "aside" (active layer kept aside by a preview) */
};

struct rhv_snap_disk {
	char id[37];
	char *name;
	char volume_id[37];           /* the snapshot's volume of this disk */
	char new_volume_id[37];       /* the layer a create is making on it, or a preview's layer; "" none */
	struct rhv_snap_volume *chain; /* the disk's chain, base first (show and list -o json) */
	size_t nchain;
	struct rhv_snap_volume *aside; /* during a preview: the chain kept aside, base first */
	size_t naside;
};

struct rhv_snap {
	char id[37];
	char vm_id[37];
	char *vm;
	char *description;
	char *status;    /* OK, Locked, InPreview, Broken */
	char *operation; /* while Locked: create, delete, preview, commit, undo; NULL otherwise */
	bool live;       /* taken while the VM ran */
	bool quiesced;   /* the guest's file systems were frozen for it */
	uint64_t memory; /* the VM's configuration then: bytes */
	int vcpus;
	char *nics;      /* "MAC network model" per NIC, ", " joined */
	char *error;     /* why the last attempt at its operation failed */
	/* the guest memory saved with it (create --memory): an image of its own; memory_image_id "" none */
	char memory_image_id[37], memory_volume_id[37], memory_domain_id[37], memory_dc_id[37];
	char *memory_domain, *memory_root; /* the domain's name and path; NULL once the domain is gone */
	uint64_t memory_bytes;             /* the image's size once saved */
	bool restore_memory;               /* restored at the VM's next start (a preview asked for it) */
	int64_t created;
	struct rhv_snap_disk *disks;
	size_t ndisks;
};

struct rhv_snap_list {
	struct rhv_snap *items;
	size_t n;
};

void rhv_snap_clear(struct rhv_snap *s);
void rhv_snap_list_clear(struct rhv_snap_list *l);

/*
 * The snapshots of vm (NULL: of every VM), oldest first; chains: with the
 * volume chains from the domains' metadata (-o json).
 */
int rhv_snap_list(struct rhv_db *db, const char *vm, bool chains, struct rhv_snap_list *out, struct rhv_error *err);
/*
 * A snapshot by id, or by its description when exactly one snapshot has
 * it (2 when several do), with its chains.
 */
int rhv_snap_get(struct rhv_db *db, const char *snap, struct rhv_snap *out, struct rhv_error *err);

struct rhv_snap_spec {
	const char *vm;
	const char *description;
	bool memory;              /* also the running guest's memory */
	const char *const *disks; /* names or ids of the VM's disks; none: all of them */
	size_t ndisks;
};
/*
 * Take a snapshot.  The VM is Down, Up or Paused (not migrating, not in a
 * preview); its disks are OK and on file domains.  A running VM switches
 * to the new layers in one atomic step, quiesced when its guest agent
 * allows, else without (recorded, and said in the event).  id_out gets the
 * new snapshot's id.  Returns 0, or -1: 2 bad arguments, 3 unknown VM or
 * disk, 4 wrong state or another operation running, 5 the host or the
 * storage unreachable, 1 the snapshot failed (nothing left of it).
 */
int rhv_snap_create(struct rhv_db *db, const struct rhv_snap_spec *spec, const struct rhv_progress *p,
		    char id_out[37], struct rhv_error *err);

/*
 * Delete a snapshot: merge, as described above, and wait for the merge.
 * The VM is Down, Up or Paused and not in a preview.
 */
int rhv_snap_delete(struct rhv_db *db, const char *snap, const struct rhv_progress *p, struct rhv_error *err);

/*
 * Preview a snapshot (the VM Down): each of its disks gets a new layer on
 * the snapshot's volume and the VM takes the snapshot's memory, vCPUs and NICs;
 * the active layers are kept aside.  restore_memory: 1 the VM's next start
 * resumes the guest from the snapshot's saved memory (4 when it has none),
 * 0 it boots, -1 the first when the snapshot has memory.
 */
int rhv_snap_preview(struct rhv_db *db, const char *snap, int restore_memory, const struct rhv_progress *p,
		     struct rhv_error *err);
/* Keep the previewed state: the layers kept aside go, and the snapshots taken after the previewed one. */
int rhv_snap_commit(struct rhv_db *db, const char *vm, const struct rhv_progress *p, struct rhv_error *err);
/* Back to the state before the preview: the preview layers go, the active layers and configuration return. */
int rhv_snap_undo(struct rhv_db *db, const char *vm, const struct rhv_progress *p, struct rhv_error *err);

/* A merge job, one per disk of a snapshot being deleted. */
struct rhv_snap_job {
	char snapshot_id[37];
	char vm_id[37];
	char *vm, *disk, *description;
	char *phase; /* merge, pivot, cleanup */
	bool live;
	bool running; /* a process is carrying it now */
	uint64_t done, total;
	char *error;  /* the last failure, when it stopped */
	int64_t started, updated;
};
struct rhv_snap_job_list {
	struct rhv_snap_job *items;
	size_t n;
};
void rhv_snap_job_list_clear(struct rhv_snap_job_list *l);
int rhv_snap_jobs(struct rhv_db *db, struct rhv_snap_job_list *out, struct rhv_error *err);

/*
 * Settle every snapshot operation of vm (NULL: of every VM) whose process
 * is gone, as described above; operations still running are left alone.
 * out (may be NULL) gets one item per snapshot: what "snapshot", the
 * snapshot's id, the action ("rolled back", "completed", "kept") and why.
 * Returns 0, or -1 with err for the first operation that could not be
 * settled (the others are still tried).
 */
int rhv_snap_resume(struct rhv_db *db, const char *vm, const struct rhv_progress *p, struct rhv_scrub_report *out,
		    struct rhv_error *err);

/*
 * A snapshot's disks with their chains as a JSON array (caller frees):
 * [{"id", "name", "volume_id", "chain": [{"id", "format", "size", "actual",
 * "snapshot_id" (null for a layer no snapshot holds), "role"}], "aside": [...]}]
 */
char *rhv_snap_disks_json(const struct rhv_snap *s);
/* The same for people, one disk after another: "NAME: 1a2b3c4d raw <- 5e6f7a8b qcow2 (active); ..." */
char *rhv_snap_disks_text(const struct rhv_snap *s);
