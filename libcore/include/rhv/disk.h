/*
 * Disks (images) on file storage domains (reference 2.2-2.4, 9.7), ISO
 * files on ISO domains, and their place in VMs.
 *
 * A disk is an image: a chain of volumes in <domain>/images/<image>/,
 * named by UUID, described by the domain's metadata.  Volumes are made
 * with qemu-img, run as the owner of the domain's root for the SPM
 * (reference 2.8: only the SPM changes structure), after the SPM's lease
 * was checked; every metadata write checks it again.
 *
 * Every structural operation follows one protocol so a crash (kill -9 at
 * any point) leaves nothing unaccounted for:
 *   1. claim: the store row goes Locked with the operation's name, and the
 *      process takes a session lock on the disk (dies with it);
 *   2. storage: files, then metadata (through the SPM);
 *   3. finish: the row goes OK (or away).
 * `rhv-sd scrub` finds Locked rows whose process is gone and rolls them
 * back (create, copy, move) or forward (remove, resize), and removes
 * volumes no metadata accounts for and metadata no disk accounts for.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_progress;

extern const char *const rhv_disk_formats[];     /* raw, qcow2 */
extern const char *const rhv_disk_allocations[]; /* sparse, preallocated */
extern const char *const rhv_disk_interfaces[];  /* virtio, ide */
#define RHV_DISK_NAME_MAX 255
#define RHV_MAX_IDE_DEVICES 4 /* reference 9.7: disks and CD-ROMs */

struct rhv_disk {
	char id[37];
	char volume_id[37];
	char aside_volume_id[37]; /* during a snapshot preview: the active layer kept aside, "" otherwise */
	char *name;
	char *description;
	char *domain;
	char *path; /* absolute path of the top volume, NULL on block domains */
	char *format, *allocation, *status, *operation;
	uint64_t size;   /* virtual */
	bool has_actual;
	uint64_t actual; /* on storage */
	bool has_highwater;
	uint64_t highwater; /* the guest's highest written offset, as libvirt last reported it (running VMs) */
	char *vm, *interface, *target; /* NULL when not attached */
	bool bootable;
	char *chain; /* volume ids base first, " <- " joined (show only) */
	int64_t created;
};

struct rhv_disk_list {
	struct rhv_disk *items;
	size_t n;
};

void rhv_disk_clear(struct rhv_disk *d);
void rhv_disk_list_clear(struct rhv_disk_list *l);
/* name may be the id.  Fills chain from the domain's metadata. */
int rhv_disk_get(struct rhv_db *db, const char *name, struct rhv_disk *out, struct rhv_error *err);
/* Every disk, or those on domain / attached to vm (names or ids; NOTFOUND when unknown). */
int rhv_disk_list(struct rhv_db *db, const char *domain, const char *vm, struct rhv_disk_list *out,
		  struct rhv_error *err);

struct rhv_disk_spec {
	const char *name;
	const char *description;
	const char *domain;
	const char *size;       /* "10G" */
	const char *format;     /* raw, qcow2 (default) */
	const char *allocation; /* sparse (default), preallocated */
};

/*
 * Create a disk.  RAW preallocated anywhere, RAW sparse on file domains
 * only, QCOW2 sparse anywhere; QCOW2 preallocated is refused (as oVirt
 * 4.1).  Preallocated takes its whole size at once.
 * Returns: 0; -1 with RHV_EXIT_USAGE (bad size, format, combination),
 * RHV_EXIT_NOTFOUND (domain), RHV_EXIT_CONFLICT (name taken, domain not
 * Active or below its critical free space, not enough space for a
 * preallocated disk, no SPM), RHV_EXIT_FAILED (qemu-img failed),
 * RHV_EXIT_UNAVAILABLE (storage, store).
 */
int rhv_disk_create(struct rhv_db *db, const struct rhv_disk_spec *spec, const struct rhv_progress *p,
		    struct rhv_error *err);
/* Grow the virtual size (never shrink); the VM using it must be down. */
int rhv_disk_resize(struct rhv_db *db, const char *name, const char *size, const struct rhv_progress *p,
		    struct rhv_error *err);
/* A new disk new_name on domain with the source's contents (the chain flattened). */
int rhv_disk_copy(struct rhv_db *db, const char *name, const char *new_name, const char *domain,
		  const struct rhv_progress *p, struct rhv_error *err);
/* Move to another domain of the same data center (the VM using it must be down). */
int rhv_disk_move(struct rhv_db *db, const char *name, const char *domain, const struct rhv_progress *p,
		  struct rhv_error *err);
/* Remove a disk that is not attached to a VM: metadata, volumes, store row. */
int rhv_disk_remove(struct rhv_db *db, const char *name, const struct rhv_progress *p, struct rhv_error *err);

/*
 * Attach to a VM in the VM's data center; interface virtio (default) or
 * ide (at most 4 IDE devices with the CD-ROM).  bootable < 0: bootable when
 * it is the VM's first disk.  A VM that is Up or Paused gets the disk
 * plugged into the guest (*plugged tells) (virtio only, the disk's domain Active); when the
 * guest refuses it, the attach is undone.  Returns: 0, or -1 (4 for the
 * wrong state or bus, 3 unknown, 5 its host unreachable, 1 the guest
 * refused).
 */
int rhv_disk_attach(struct rhv_db *db, const char *name, const char *vm, const char *interface, int bootable,
		    bool *plugged, struct rhv_error *err);
int rhv_disk_detach(struct rhv_db *db, const char *name, struct rhv_error *err);

/* ISO files of an ISO domain (<root>/iso/). */
struct rhv_iso {
	char *name;
	char *domain;
	uint64_t size;
	int64_t modified;
};
struct rhv_iso_list {
	struct rhv_iso *items;
	size_t n;
};
void rhv_iso_list_clear(struct rhv_iso_list *l);
/* ISOs of every active ISO domain, or of domain. */
int rhv_iso_list(struct rhv_db *db, const char *domain, struct rhv_iso_list *out, struct rhv_error *err);
/*
 * Copy file into the ISO domain as name (NULL: the file's base name),
 * through a temporary file renamed into place; refused when the name is
 * taken.
 */
int rhv_iso_upload(struct rhv_db *db, const char *file, const char *domain, const char *name,
		   const struct rhv_progress *p, struct rhv_error *err);
/*
 * Put an ISO of an active ISO domain of the VM's data center in the VM's
 * CD-ROM (iso NULL: eject).  "DOMAIN:FILE" or just FILE when one domain
 * has it.  A Down VM gets a drive with its first ISO; a running VM (Up,
 * Paused) that started with a drive has the disc changed in the guest too
 * (undone when the guest refuses), and keeps its drive, empty, on eject.
 */
int rhv_vm_set_cdrom(struct rhv_db *db, const char *vm, const char *iso, struct rhv_error *err);
