/*
 * The rows scrub (ops/scrub.c) reads and settles: disks left Locked by an
 * operation killed half-way, the disks a domain holds.  No libpq here.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"

/* A Locked disk on a domain or on its way to it. */
struct rhv_db_scrub_disk {
	char id[37];
	char *name;
	char *operation;   /* "" when none is recorded */
	char *target_path; /* the move's target domain's root; NULL: none */
};
/* The Locked disks of the domain or moving to it, by name. */
int rhv_db_scrub_locked(struct rhv_db *db, const char *domain_id, struct rhv_db_scrub_disk **disks, size_t *n,
			struct rhv_error *err);
void rhv_db_scrub_disks_free(struct rhv_db_scrub_disk *disks, size_t n);
/*
 * Settle one: drop its row (an operation rolled back, or a removal
 * completed) or make it OK, with a WARNING event "disk 'NAME': WHY, DONE by
 * scrub".
 */
int rhv_db_scrub_settle(struct rhv_db *db, const struct rhv_db_scrub_disk *d, bool drop, const char *why,
			const char *done, struct rhv_error *err);
/*
 * The images the store accounts for on the domain: its disks, those moving
 * to it, snapshots' memory images (free with rhv_db_names_free of store/host.h).
 */
int rhv_db_scrub_disk_ids(struct rhv_db *db, const char *domain_id, char ***ids, size_t *n, struct rhv_error *err);
/* A disk whose chain misses a volume: Illegal (when it is OK). */
int rhv_db_scrub_illegal(struct rhv_db *db, const char *disk_id, struct rhv_error *err);
