/*
 * Storage domains (reference 1.5, 2.1-2.7): what the store knows about
 * them, and the operations that change them on the storage and in the
 * store together.
 *
 * File domains (nfs, posixfs, glusterfs, local) are a directory, the same
 * path on every host: <path>/dom_md/metadata.json describes the domain and
 * its images (sdmeta.h), <path>/dom_md/leases on the master domain holds
 * the SPM lease (lease.h), volumes live in <path>/images/<image>/<volume>.
 * Block domains (iscsi, fcp) are LUNs in a volume group: modeled only
 * (blockmodel.h), never activated here (no device-mapper).
 *
 * The store mirrors the storage; the storage is the truth for images
 * (import rebuilds the store from it).  Every metadata write goes through
 * the SPM (spmops.h) and carries its lease generation.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_progress;
struct rhv_batch;

extern const char *const rhv_sd_roles[]; /* data, iso, export */
extern const char *const rhv_sd_kinds[]; /* nfs, posixfs, glusterfs, local, iscsi, fcp */

#define RHV_SD_NAME_MAX 50
#define RHV_SD_LEASE_FILE "leases"  /* in dom_md of the master domain */
#define RHV_SD_IMAGES_DIR "images"
#define RHV_SD_ISO_DIR "iso"        /* ISO files of an ISO domain */
#define RHV_SD_MAX_LUNS 300         /* reference 10.4 */
#define RHV_SD_WARN_VOLUMES 350     /* reference 10.4: block domains slow down beyond */

/* Attachment states (storage_domain_dc.status). */
#define RHV_SD_MAINTENANCE "Maintenance"
#define RHV_SD_ACTIVE "Active"
#define RHV_SD_INACTIVE "Inactive"
#define RHV_SD_LOCKED "Locked"
#define RHV_SD_UNATTACHED "Unattached"

struct rhv_sd_attachment {
	char dc_id[37];
	char *dc;
	char *status;
	char *reason;
	bool master;
};

struct rhv_sd {
	char id[37];
	char *name;
	char *description;
	char *role;
	char *kind;
	char *path; /* NULL for block domains */
	bool block;
	bool has_space;     /* size/free measured (file) or computed (block) */
	uint64_t size, free;
	uint64_t committed; /* sum of the virtual sizes of its disks */
	uint64_t allocated; /* sum of what its disks take on storage */
	int64_t disks, luns;
	int64_t checked;    /* when space was last measured, epoch s; 0 never */
	int warning_pct, critical_gib, extend_chunk_mib, extend_threshold_pct;
	int64_t hosts_ok, hosts_checked; /* hosts that could read its metadata at the last look */
	struct rhv_sd_attachment *att;
	size_t natt;
	int64_t created;
};

struct rhv_sd_list {
	struct rhv_sd *items;
	size_t n;
};

/* "Unattached", or the statuses of its attachments joined by ",". Caller frees. */
char *rhv_sd_status_text(const struct rhv_sd *sd);
/* committed / size (0 when the size is unknown). */
double rhv_sd_overcommit(const struct rhv_sd *sd);
void rhv_sd_clear(struct rhv_sd *sd);
void rhv_sd_list_clear(struct rhv_sd_list *l);

/* name may also be the id.  Returns: 0, or -1 with RHV_EXIT_NOTFOUND. */
int rhv_sd_get(struct rhv_db *db, const char *name, struct rhv_sd *out, struct rhv_error *err);
/* Every domain, or those attached to dc (name or id; NOTFOUND if unknown). */
int rhv_sd_list(struct rhv_db *db, const char *dc, struct rhv_sd_list *out, struct rhv_error *err);

struct rhv_sd_spec {
	const char *name;
	const char *description;
	const char *role;  /* default data */
	const char *kind;  /* required */
	const char *path;  /* file domains: an existing, empty (or our-format-free) directory */
	const char *const *luns; /* block domains: "WWID:SIZE", NULL-terminated */
	const char *dc;    /* attach to this data center at once (NULL: unattached) */
	const char *warning_pct, *critical_gib, *extend_chunk_mib, *extend_threshold_pct;
};

/*
 * Create a domain: file domains get their metadata formatted on the
 * storage (refused when the path already holds a domain: import it
 * instead), block domains get their LUNs recorded.  With spec->dc it is
 * attached as by rhv_sd_attach.
 * Returns: 0; -1 with RHV_EXIT_USAGE (bad field, path not absolute or not a
 * directory, LUN list), RHV_EXIT_CONFLICT (name or path taken, domain
 * already on the storage, more than 300 LUNs, a LUN used elsewhere),
 * RHV_EXIT_UNAVAILABLE (storage or store).
 */
int rhv_sd_create(struct rhv_db *db, const struct rhv_sd_spec *spec, const struct rhv_progress *p,
		  struct rhv_error *err);
/* Change description and thresholds (NULL: unchanged). */
int rhv_sd_edit(struct rhv_db *db, const struct rhv_sd_spec *spec, struct rhv_error *err);

/*
 * Attach a domain to a data center, in Maintenance.  A data domain belongs
 * to one data center; an export domain may be attached to several but is
 * active in one; an ISO domain may be shared.  The first data domain of a
 * data center becomes its master and is activated at once, with the SPM
 * lease formatted on it and an SPM elected (as oVirt does when a data
 * center is initialized).
 */
int rhv_sd_attach(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		  struct rhv_error *err);
/*
 * Activate in dc (NULL: its only data center): every Up host of the data
 * center must be able to read the metadata (checked through each host).
 */
int rhv_sd_activate(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		    struct rhv_error *err);
/*
 * Maintenance: refused while a running VM uses a disk (or ISO) of it; the
 * master role moves to another active data domain first (refused when
 * there is none and the data center has other active domains).
 */
int rhv_sd_maintenance(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		       struct rhv_error *err);
/* Detach from dc (NULL: its only data center); only in Maintenance. */
int rhv_sd_detach(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		  struct rhv_error *err);
/*
 * Forget an unattached domain: the store's rows go, the storage is left as
 * is (so it can be imported again).  Refused while attached, or while
 * disks of it are attached to VMs.  force (destroy): from any state, for a
 * domain whose storage is gone; its disks leave their VMs (which must be
 * Down) and a master's data center loses its SPM.
 */
int rhv_sd_remove(struct rhv_db *db, const char *name, bool force, struct rhv_error *err);

/*
 * Import the file domain at path (its metadata names it): the domain and
 * every disk its metadata lists come into the store (disk names taken by
 * other disks are refused, naming them).  Optional dc attaches it.
 */
int rhv_sd_import(struct rhv_db *db, const char *path, const char *dc, const struct rhv_progress *p,
		  char *name_out, size_t name_len, struct rhv_error *err);

/*
 * Try to reactivate Inactive domains (all data centers when dc is NULL):
 * one batch item per domain tried.  Returns 0 (check the batch), or -1
 * with err for store errors.
 */
int rhv_sd_recover(struct rhv_db *db, const char *dc, const struct rhv_progress *p, struct rhv_batch *out,
		   struct rhv_error *err);

/* What scrub found (and removed unless dry_run). */
struct rhv_scrub_item {
	char *what;   /* "file", "metadata", "disk" */
	char *object; /* path relative to the domain root, or disk name */
	char *action; /* "removed", "not removed", "would remove", "completed", "kept" */
	char *reason;
};
struct rhv_scrub_report {
	struct rhv_scrub_item *items;
	size_t n;
	size_t failed; /* items whose removal failed ("not removed") */
};
void rhv_scrub_report_clear(struct rhv_scrub_report *r);
/*
 * Reconcile a file domain's storage, metadata and store after crashed
 * operations: volumes no metadata accounts for are removed, metadata
 * entries without a file or a disk are dropped, disks left Locked by a
 * dead operation are rolled back (or completed when everything is in
 * place).  Disks with a live operation are left alone.  Needs the SPM of
 * the domain's data center when anything has to change on the storage.
 */
int rhv_sd_scrub(struct rhv_db *db, const char *name, bool dry_run, const struct rhv_progress *p,
		 struct rhv_scrub_report *out, struct rhv_error *err);
