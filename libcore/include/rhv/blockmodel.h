/*
 * A pure model of an oVirt block storage domain (iSCSI or FCP): the
 * bookkeeping vdsm does on the domain's LVM volume group, without any I/O.
 * Block domains cannot be activated on a machine without device-mapper, so
 * rhv models them and tests the model instead.
 *
 * The volume group:
 *   - is built from LUNs (id such as a WWID, size in bytes); at most
 *     RHV_BLOCK_MAX_LUNS per domain (RHV 4.1 limit); a LUN belongs to one
 *     domain only, so an id appears at most once;
 *   - counts space in physical extents of RHV_BLOCK_EXTENT (128 MiB); an
 *     extent never spans two LUNs, so each LUN gives floor(size / extent)
 *     extents less one, the model's charge for LVM's label and metadata area
 *     at the start of the PV (vdsm asks pvcreate for 128 MiB of metadata);
 *     a LUN smaller than RHV_BLOCK_MIN_LUN (1 GiB) is refused;
 *   - always holds vdsm's special logical volumes, allocated when the domain
 *     is created and counted as used: metadata 512 MiB, ids 8 MiB, leases
 *     2 GiB, inbox 16 MiB, outbox 16 MiB, master 1 GiB, each rounded up to
 *     whole extents (31 extents, 3968 MiB, in all).
 *
 * Volumes are logical volumes; their LV size is a whole number of extents:
 *   - raw preallocated: the virtual size rounded up to extents;
 *   - qcow2 sparse (thin): starts at min(chunk, maximum) and grows by one
 *     chunk at a time while a VM writes to it (below);
 *   - raw sparse is refused (a block device cannot be sparse: that needs a
 *     file domain) and so is qcow2 preallocated (not supported in 4.1).
 * A volume's maximum LV size is its virtual size rounded up to extents for
 * raw, and virtual size * 1.1 (vdsm's and the engine's QCOW_OVERHEAD_FACTOR
 * for qcow2 metadata, rounded up to a byte) rounded up to extents for qcow2.
 * More than RHV_BLOCK_VOLUMES_WARN volumes on one domain is allowed but
 * slow (RHV 4.1 reference 10.4): creation then returns a warning.
 *
 * Thin provisioning (reference 2.12): the host running a VM watches each
 * thin volume's high-water mark (the highest offset written, from libvirt's
 * block info).  When the free space left in the LV, lv_size - highwater,
 * falls below chunk * threshold_pct / 100 (512 MiB with the defaults), the
 * host writes an extension request to the SPM's mailbox asking for
 * lv_size + chunk (capped at the maximum).  The SPM processes requests in
 * order and extends the LV; a request for a volume already at that size is
 * a no-op; two requests for the same volume waiting in the queue are one
 * (the larger size wins).  When the volume group has no room the request
 * fails with RHV_BLOCK_EXT_ENOSPC: the VM pauses with ENOSPC once it reaches
 * the end of its LV.
 *
 * Sizes are limited to RHV_BLOCK_SIZE_MAX so no sum can overflow.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

#define RHV_BLOCK_MIB (UINT64_C(1) << 20)
#define RHV_BLOCK_GIB (UINT64_C(1) << 30)
/* LVM physical extent size vdsm uses for block domains. */
#define RHV_BLOCK_EXTENT (128 * RHV_BLOCK_MIB)
/* Extents of each LUN taken by LVM's label and metadata area. */
#define RHV_BLOCK_PV_OVERHEAD_EXTENTS 1
#define RHV_BLOCK_MAX_LUNS 300
#define RHV_BLOCK_VOLUMES_WARN 350
#define RHV_BLOCK_MIN_LUN RHV_BLOCK_GIB
/* Largest LUN and largest virtual size the model takes (16 PiB). */
#define RHV_BLOCK_SIZE_MAX (UINT64_C(1) << 54)
/* Longest LUN id (a WWID is 33 characters; iSCSI ids are longer). */
#define RHV_BLOCK_LUN_ID_MAX 128
/* Defaults of the thin-provisioning settings. */
#define RHV_BLOCK_DEFAULT_CHUNK (2560 * RHV_BLOCK_MIB)
#define RHV_BLOCK_DEFAULT_THRESHOLD 20
/* The special LVs' total, in extents (see above). */
#define RHV_BLOCK_SPECIAL_EXTENTS 31

enum rhv_block_format {
	RHV_BLOCK_RAW,
	RHV_BLOCK_QCOW2,
};

enum rhv_block_alloc {
	RHV_BLOCK_PREALLOCATED,
	RHV_BLOCK_SPARSE,
};

/* What the SPM did with one extension request. */
enum rhv_block_ext_result {
	RHV_BLOCK_EXT_EXTENDED, /* the LV grew */
	RHV_BLOCK_EXT_NOOP,     /* already at the size asked for, or at its maximum */
	RHV_BLOCK_EXT_ENOSPC,   /* the volume group has no room: the VM will pause */
};

/* Per-domain settings; 0 in a field means its default. */
struct rhv_block_settings {
	uint64_t chunk;    /* bytes a thin volume grows by; a multiple of the extent */
	int threshold_pct; /* extend when free in the LV < chunk * this / 100; 1..100 */
};

/* A LUN as given to rhv_block_init(). */
struct rhv_block_lun_spec {
	const char *id;
	uint64_t size; /* bytes */
};

struct rhv_block_lun {
	char id[RHV_BLOCK_LUN_ID_MAX + 1];
	uint64_t size;    /* bytes, as given */
	uint64_t extents; /* usable extents it adds to the volume group */
};

struct rhv_block_volume {
	char id[37];
	enum rhv_block_format format;
	enum rhv_block_alloc alloc;
	uint64_t virtual_size; /* bytes the guest sees */
	uint64_t extents;      /* LV size in extents */
};

/* A pending extension request in the SPM's mailbox. */
struct rhv_block_request {
	char volume[37];
	uint64_t new_size; /* LV bytes asked for */
};

struct rhv_block_domain {
	struct rhv_block_settings settings; /* defaults filled in */
	struct rhv_block_lun *luns;
	size_t nluns;
	struct rhv_block_volume *volumes;
	size_t nvolumes;
	uint64_t extents;      /* usable extents of all LUNs */
	uint64_t used_extents; /* special LVs and volumes */
	struct rhv_block_request *queue; /* oldest first */
	size_t nqueue;
};

/* What rhv_block_volume_create() made, and whether to warn the admin. */
struct rhv_block_created {
	uint64_t lv_size; /* bytes allocated */
	bool warn;        /* more than RHV_BLOCK_VOLUMES_WARN volumes now */
	char warning[160]; /* "" unless warn */
};

struct rhv_block_totals {
	uint64_t size;      /* usable bytes: extents * RHV_BLOCK_EXTENT */
	uint64_t used;      /* bytes in the special LVs and the volumes */
	uint64_t free;      /* size - used */
	uint64_t reserved;  /* bytes in the special LVs (part of used) */
	uint64_t committed; /* sum of the volumes' virtual sizes (saturates) */
	double overcommit;  /* committed / size */
	uint64_t extents, used_extents, free_extents;
	size_t nluns, nvolumes;
};

/* One extension the SPM processed. */
struct rhv_block_outcome {
	char volume[37];
	enum rhv_block_ext_result result;
	uint64_t old_size; /* LV bytes before */
	uint64_t new_size; /* LV bytes after (old_size unless extended) */
};

/* One of vdsm's special LVs. */
struct rhv_block_special_lv {
	const char *name;
	uint64_t size;    /* bytes vdsm asks for */
	uint64_t extents; /* extents it takes */
};

/* The special LVs, in the order vdsm creates them; *n gets their count. */
const struct rhv_block_special_lv *rhv_block_special_lvs(size_t *n);

/* The number of extents that hold bytes (rounded up). */
uint64_t rhv_block_extents(uint64_t bytes);

/*
 * Check s and copy it into out with the defaults filled in (s may be NULL
 * for all defaults).
 * Returns: 0; -1 with err RHV_EXIT_USAGE when chunk is not a multiple of
 * the extent or above RHV_BLOCK_SIZE_MAX, or threshold_pct is outside 1..100.
 */
int rhv_block_settings_check(const struct rhv_block_settings *s, struct rhv_block_settings *out,
			     struct rhv_error *err);

/*
 * Create the domain model d (overwritten, not freed first) from its first
 * n LUNs with settings s (NULL = defaults) and allocate the special LVs.
 * All or nothing: on failure d is left empty (safe to clear).
 * Returns: 0; -1 with err
 *   RHV_EXIT_USAGE for bad settings, no LUN, a bad LUN id or size, or LUNs
 *     too small together to hold the special LVs;
 *   RHV_EXIT_CONFLICT for a LUN id given twice or more than
 *     RHV_BLOCK_MAX_LUNS LUNs.
 */
int rhv_block_init(struct rhv_block_domain *d, const struct rhv_block_settings *s,
		   const struct rhv_block_lun_spec *luns, size_t n, struct rhv_error *err);

/* Free everything d owns and zero it (safe on a zeroed or cleared d). */
void rhv_block_clear(struct rhv_block_domain *d);

/*
 * May the LUN id of size bytes join d?  (Nothing changes.)
 * Returns: 0; -1 with err
 *   RHV_EXIT_USAGE when id is empty, longer than RHV_BLOCK_LUN_ID_MAX or has
 *     characters other than printable ASCII without space, or size is below
 *     RHV_BLOCK_MIN_LUN or above RHV_BLOCK_SIZE_MAX;
 *   RHV_EXIT_CONFLICT when id is already in d or d has RHV_BLOCK_MAX_LUNS.
 */
int rhv_block_lun_check(const struct rhv_block_domain *d, const char *id, uint64_t size,
			struct rhv_error *err);

/*
 * Extend the volume group with a LUN (vgextend): its extents become free.
 * Returns: 0; -1 with err as rhv_block_lun_check().
 */
int rhv_block_lun_add(struct rhv_block_domain *d, const char *id, uint64_t size, struct rhv_error *err);

/* The LUN with this id, or NULL. */
const struct rhv_block_lun *rhv_block_lun_find(const struct rhv_block_domain *d, const char *id);

/* The largest LV size, in bytes, a volume of this format and virtual size may reach. */
uint64_t rhv_block_volume_max_size(enum rhv_block_format format, uint64_t virtual_size);

/*
 * Create a volume (lvcreate) with the LV size the rules above give; out
 * (may be NULL) gets that size and the warning about the volume count.
 * Returns: 0; -1 with err
 *   RHV_EXIT_USAGE when id is not a UUID, virtual_size is 0 or above
 *     RHV_BLOCK_SIZE_MAX, or format and allocation are raw sparse ("raw
 *     sparse volumes need a file domain") or qcow2 preallocated ("qcow2
 *     preallocated volumes are not supported");
 *   RHV_EXIT_CONFLICT when the id is taken or the volume group lacks the
 *     extents ("not enough free space: need X, free Y", in bytes).
 */
int rhv_block_volume_create(struct rhv_block_domain *d, const char *id, enum rhv_block_format format,
			    enum rhv_block_alloc alloc, uint64_t virtual_size, struct rhv_block_created *out,
			    struct rhv_error *err);

/*
 * Remove a volume (lvremove): its extents become free and any extension
 * request for it waiting in the queue is dropped.
 * Returns: 0; -1 with err RHV_EXIT_NOTFOUND.
 */
int rhv_block_volume_remove(struct rhv_block_domain *d, const char *id, struct rhv_error *err);

/* The volume with this id, or NULL. */
const struct rhv_block_volume *rhv_block_volume_find(const struct rhv_block_domain *d, const char *id);

/*
 * Grow a volume's LV by bytes rounded up to extents (lvextend; never shrinks).
 * Returns: 0; -1 with err
 *   RHV_EXIT_USAGE when bytes is 0;
 *   RHV_EXIT_NOTFOUND for an unknown volume;
 *   RHV_EXIT_CONFLICT when the LV would pass its maximum size (a raw LV is
 *     already at it: grow the disk instead) or the volume group lacks the
 *     extents ("not enough free space: need X, free Y").
 */
int rhv_block_volume_extend(struct rhv_block_domain *d, const char *id, uint64_t bytes,
			    struct rhv_error *err);

/*
 * The host's decision for a thin volume (pure arithmetic): with its LV of
 * lv_size bytes, maximum max_size and high-water mark highwater, should it
 * ask the SPM to extend?  s NULL or zero fields mean the defaults.
 * *new_size gets lv_size + chunk capped at max_size when yes, lv_size when no.
 * Returns: true when lv_size < max_size and
 * lv_size - highwater < chunk * threshold_pct / 100 (a highwater at or past
 * the end counts as no free space); false otherwise.
 */
bool rhv_block_extend_decide(const struct rhv_block_settings *s, uint64_t lv_size, uint64_t max_size,
			     uint64_t highwater, uint64_t *new_size);

/*
 * The SPM's part: make the LV of volume id new_size bytes (rounded up to
 * extents, capped at the volume's maximum), all or nothing.  out (may be
 * NULL) gets what happened: EXTENDED, NOOP when the LV is already that
 * large, ENOSPC when the volume group lacks the extents (nothing changes).
 * Returns: 0 with *out set; -1 with err RHV_EXIT_NOTFOUND for an unknown
 * volume, RHV_EXIT_USAGE when new_size is 0.
 */
int rhv_block_extend_apply(struct rhv_block_domain *d, const char *id, uint64_t new_size,
			   struct rhv_block_outcome *out, struct rhv_error *err);

/*
 * A host's request in the SPM's mailbox: append it, or when a request for
 * the same volume is already waiting, keep that one in its place with the
 * larger of the two sizes (*coalesced, may be NULL, says which).
 * Returns: 0; -1 with err RHV_EXIT_NOTFOUND for an unknown volume,
 * RHV_EXIT_USAGE when new_size is 0.
 */
int rhv_block_extend_request(struct rhv_block_domain *d, const char *id, uint64_t new_size,
			     bool *coalesced, struct rhv_error *err);

/*
 * The SPM takes the oldest request off the queue and applies it (as
 * rhv_block_extend_apply()); out (may be NULL) gets what happened.
 * Returns: true when a request was processed; false when the queue is empty.
 */
bool rhv_block_extend_process(struct rhv_block_domain *d, struct rhv_block_outcome *out);

/* Fill out with d's sizes (see struct rhv_block_totals). */
void rhv_block_totals(const struct rhv_block_domain *d, struct rhv_block_totals *out);
