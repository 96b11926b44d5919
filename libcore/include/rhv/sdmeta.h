/*
 * Storage-domain metadata: the file at a domain's root that describes the
 * domain, its images (disks) and their volumes with the parent chains, so
 * a domain imported into an empty store gives back every disk on it.
 *
 * Location: <root>/dom_md/metadata.json (dom_md as in vdsm; one JSON file,
 * no key=value blocks).  Writers use temporary files named
 * <root>/dom_md/.metadata.json.tmp-XXXXXX beside it; readers never look at
 * them, so a writer killed before its rename leaves the previous metadata
 * in force, and the next write removes such leftovers.
 *
 * Format (version 3, keys always in this order, UTF-8 kept as is):
 *   { "format": "rhv-sd-metadata/3", "version": 3, "id", "name", "role",
 *     "kind", "dc_id", "generation", "updated",
 *     "images": [ { "id", "name", "description", ["content",]
 *                   "volumes": [ { "id", "parent", "format", "allocation",
 *                                  "size", "path" } ] } ] }
 * "content" is written only as "memory", for the guest memory a VM
 * snapshot saved (rhv-snap create --memory): import leaves such images to
 * their snapshots.  Unknown keys are ignored on read (a later v3 writer may add some); any
 * other "format" is refused.
 *
 * Rules (rhv_sdmeta_validate, run by read and by write):
 *   - version 3; ids are UUIDs; dc_id is a UUID or "" (detached);
 *   - role data|iso|export, kind nfs|posixfs|glusterfs|local;
 *   - names and descriptions as rhv-sd and rhv-disk create accept them
 *     (rhv/validate.h): a domain name of 1..RHV_SD_NAME_MAX characters,
 *     image (disk) names of 1..RHV_DISK_NAME_MAX, without control
 *     characters or leading/trailing white space; descriptions of at most
 *     RHV_DESCRIPTION_MAX characters, tab the only control character;
 *   - volume sizes: positive multiples of 512 bytes up to
 *     RHV_VOLUME_SIZE_MAX (2^54);
 *   - image ids unique in the domain, volume ids unique in the domain;
 *   - a volume's parent is "" (a base) or another volume of the domain,
 *     in any image (a thin disk's base may sit in a template's image);
 *     chains have no cycles; a volume with a parent is qcow2 (raw has no
 *     backing file);
 *   - format raw|qcow2, allocation sparse|preallocated;
 *   - path is exactly "images/<image id>/<volume id>" (never leaves the
 *     domain root).
 * Image names need not be unique (oVirt disk aliases are not):
 * rhv_sdmeta_find_image_name() returns the first match and counts them.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/lease.h"

#define RHV_SDMETA_VERSION 3
#define RHV_SDMETA_FORMAT "rhv-sd-metadata/3"
#define RHV_SDMETA_DIR "dom_md"
#define RHV_SDMETA_FILE "metadata.json"
/*
 * A preallocated file in RHV_SDMETA_DIR that a metadata write gives up when
 * the domain is full (and makes again once there is room): without it a
 * full domain could not even record the removal of a disk to free space.
 */
#define RHV_SDMETA_RESERVE ".reserve"
#define RHV_SDMETA_RESERVE_BYTES (4 * 1024 * 1024)
/* Prefix of a writer's temporary file in RHV_SDMETA_DIR. */
#define RHV_SDMETA_TMP_PREFIX ".metadata.json.tmp-"
/* Larger files are refused as corrupt rather than read into memory. */
#define RHV_SDMETA_MAX_BYTES (64 * 1024 * 1024)

struct rhv_sd_volume {
	char id[37];
	char parent[37];  /* "" for a base */
	char *format;     /* raw|qcow2 */
	char *allocation; /* sparse|preallocated */
	uint64_t size;    /* virtual bytes */
	char *path;       /* relative to the domain root: images/<image>/<volume> */
};

struct rhv_sd_image {
	char id[37];
	char *name; /* the disk's name, UTF-8 */
	char *description;
	bool memory; /* a snapshot's saved guest memory (one raw volume), not a disk: "content": "memory" */
	struct rhv_sd_volume *volumes;
	size_t nvolumes;
};

struct rhv_sd_meta {
	int version; /* 3 */
	char id[37];
	char *name;
	char *role;         /* data|iso|export */
	char *kind;         /* nfs|posixfs|glusterfs|local */
	char dc_id[37];     /* "" when detached */
	uint64_t generation; /* SPM generation of the last write */
	int64_t updated;    /* seconds since the epoch of the last write */
	struct rhv_sd_image *images;
	size_t nimages;
};

/*
 * Read and validate <root>/dom_md/metadata.json into out (cleared first;
 * rhv_sdmeta_clear() it afterwards, also after a failure).
 * Returns: 0 on success; -1 with err
 *   RHV_EXIT_NOTFOUND when the file (or the root) does not exist;
 *   RHV_EXIT_UNAVAILABLE when it cannot be read (I/O error, permission);
 *   RHV_EXIT_FAILED when it is corrupt or breaks a rule above: the message
 *     says which, e.g. "volume X: parent Y does not exist".
 */
int rhv_sdmeta_read(const char *root, struct rhv_sd_meta *out, struct rhv_error *err);

/*
 * Atomic write of m as the domain's metadata, by the SPM only: check the
 * SPM lease (refuse early, before touching anything), remove leftover
 * temporary files, write a temporary file in dom_md (created if missing),
 * fsync it, check the lease again just before the rename, rename over
 * metadata.json, fsync the directory.  A file already on the storage that
 * records a later generation is never overwritten.  The temporary file is
 * removed on every failure path; the previous metadata stays intact.
 * On success sets m->generation = generation and m->updated (t's clock).
 * The check-then-rename window is the lease's own limit: a holder stalled
 * for longer than the lease's margins between check and rename is not
 * stopped here (see lease.h).
 * Returns: 0 on success; -1 with err
 *   RHV_EXIT_CONFLICT when host_id does not hold the lease under
 *     generation (moved on, released, expired) or the stored metadata
 *     records a later generation;
 *   RHV_EXIT_FAILED when m breaks a rule above (nothing written);
 *   RHV_EXIT_UNAVAILABLE on I/O errors, the lease's included; when only
 *     the final directory fsync fails the new file is in place but its
 *     durability is unknown, and the message says so.
 */
int rhv_sdmeta_write(const char *root, struct rhv_sd_meta *m, const char *lease_path, int host_id,
		     uint64_t generation, const struct rhv_lease_timing *t, struct rhv_error *err);

/*
 * Format a new domain: write m as its first metadata, without a lease (no
 * data center, so no SPM, owns a domain being created).  Atomic like
 * rhv_sdmeta_write, and never replaces existing metadata: two creates of
 * one path cannot both succeed.  m->generation is kept as given (0, or the
 * data center's generation when the domain is created attached).
 * Returns: 0; -1 with err RHV_EXIT_CONFLICT when the domain already has
 * metadata, RHV_EXIT_FAILED for an invalid m, RHV_EXIT_NOTFOUND when root
 * does not exist, RHV_EXIT_UNAVAILABLE on I/O errors.
 */
int rhv_sdmeta_format(const char *root, struct rhv_sd_meta *m, struct rhv_error *err);

/*
 * Parse and validate metadata text (as read through a host, say); where
 * names the source in messages.  Returns as rhv_sdmeta_read.
 */
int rhv_sdmeta_parse(const char *buf, size_t len, const char *where, struct rhv_sd_meta *out,
		     struct rhv_error *err);

struct rhv_virt_conn;
/*
 * Read the metadata of the file storage domain domain_id at root through
 * a host's libvirt connection (rhv_sdprobe_read() in rhv/sdprobe.h), then
 * parse and validate it into out (cleared first; rhv_sdmeta_clear() it
 * afterwards, also after a failure).  host_name names the host in
 * messages.  Returns: 0; -1 with err as rhv_sdprobe_read(), or
 * RHV_EXIT_FAILED when the metadata is corrupt, breaks a rule above, or
 * belongs to another domain: "the metadata at PATH belongs to domain X".
 */
int rhv_sdmeta_probe(struct rhv_virt_conn *conn, const char *host_name, const char *root, const char *domain_id,
		     struct rhv_sd_meta *out, struct rhv_error *err);

/* Free everything m owns and zero it (safe on a zeroed or cleared m). */
void rhv_sdmeta_clear(struct rhv_sd_meta *m);

/*
 * Check m against the rules above.
 * Returns: 0 if valid; -1 with err RHV_EXIT_FAILED naming the first problem.
 */
int rhv_sdmeta_validate(const struct rhv_sd_meta *m, struct rhv_error *err);

/* The image with this id, or NULL. */
struct rhv_sd_image *rhv_sdmeta_find_image(const struct rhv_sd_meta *m, const char *id);
/* The first image named name (exact bytes), or NULL; *count (if not NULL) gets the matches. */
struct rhv_sd_image *rhv_sdmeta_find_image_name(const struct rhv_sd_meta *m, const char *name,
						size_t *count);
/* The volume with this id in any image, or NULL; *image (if not NULL) gets its image. */
struct rhv_sd_volume *rhv_sdmeta_find_volume(const struct rhv_sd_meta *m, const char *id,
					     struct rhv_sd_image **image);

/*
 * Add an image without volumes (copies the strings; description may be NULL).
 * Returns: 0; -1 with err RHV_EXIT_USAGE for a bad id or name,
 * RHV_EXIT_CONFLICT when the id is taken.
 */
int rhv_sdmeta_add_image(struct rhv_sd_meta *m, const char *id, const char *name,
			 const char *description, struct rhv_error *err);
/*
 * Remove an image and its volumes.
 * Returns: 0; -1 with err RHV_EXIT_NOTFOUND, or RHV_EXIT_CONFLICT when a
 * volume of another image has one of its volumes as parent.
 */
int rhv_sdmeta_remove_image(struct rhv_sd_meta *m, const char *id, struct rhv_error *err);
/*
 * Add a copy of v to the image image_id; v->path NULL means the standard
 * images/<image>/<volume>.
 * Returns: 0; -1 with err RHV_EXIT_NOTFOUND for a missing image or parent,
 * RHV_EXIT_CONFLICT when the volume id is taken, RHV_EXIT_USAGE for bad
 * fields (id, format, allocation, path, raw volume with a parent).
 */
int rhv_sdmeta_add_volume(struct rhv_sd_meta *m, const char *image_id, const struct rhv_sd_volume *v,
			  struct rhv_error *err);
/*
 * Remove a volume; only a leaf (no volume has it as parent) may go.
 * Returns: 0; -1 with err RHV_EXIT_NOTFOUND, or RHV_EXIT_CONFLICT naming a child.
 */
int rhv_sdmeta_remove_volume(struct rhv_sd_meta *m, const char *id, struct rhv_error *err);

/*
 * The chain of volume id, base first and id last, into *out (allocated,
 * caller frees the array only; the pointers point into m).
 * Returns: 0; -1 with err RHV_EXIT_NOTFOUND for an unknown volume,
 * RHV_EXIT_FAILED for a missing parent or a cycle.
 */
int rhv_sdmeta_chain(const struct rhv_sd_meta *m, const char *id, struct rhv_sd_volume ***out,
		     size_t *n, struct rhv_error *err);
