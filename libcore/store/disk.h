/*
 * The disks' rows as storage/ and ops/ need them (store/disk.c), and the
 * ISO domains (store/iso.c).  No libpq here.
 *
 * A disk operation claims its row (Locked, with the operation's name) and
 * takes the disk's session lock in one transaction; it finishes by
 * recording the outcome and letting the lock go (rhv/disk.h tells the
 * protocol).
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/disk.h"
#include "rhv/error.h"

/*
 * A disk as the store holds it, without its volume chain (which only the
 * domain's metadata tells).  root (may be NULL): *root gets the path of its
 * domain (NULL on a block domain; caller frees).
 */
int rhv_db_disk_get(struct rhv_db *db, const char *name, struct rhv_disk *out, char **root, struct rhv_error *err);

/* A domain as a disk operation sees it: its row and its attachment. */
struct rhv_db_disk_domain {
	char id[37];
	char dc_id[37]; /* "" when not attached */
	char *name, *path, *role;
	char *status;   /* of the attachment; NULL when not attached */
	int critical_gib;
};
/* Read a domain by name or id.  Returns: 0, or -1 (RHV_EXIT_NOTFOUND for an unknown domain). */
int rhv_db_disk_domain_get(struct rhv_db *db, const char *name, struct rhv_db_disk_domain *out,
			   struct rhv_error *err);
void rhv_db_disk_domain_clear(struct rhv_db_disk_domain *d);

/* A new disk's row, claimed (Locked, op) with its session lock. */
struct rhv_db_disk_new {
	const char *id, *volume, *name, *description, *domain_id, *format, *allocation, *op;
	uint64_t size;
};
/* Returns: 0, or -1 (RHV_EXIT_CONFLICT when the name is taken). */
int rhv_db_disk_claim_new(struct rhv_db *db, const struct rhv_db_disk_new *c, struct rhv_error *err);

/* Claim an existing disk for op: it goes Locked and this session holds its lock. */
struct rhv_db_disk_claim {
	const char *name, *op;
	const char *target_domain; /* move: the destination id */
	bool need_down;            /* the VM using it must be Down */
	bool need_detached;
	/* out */
	char id[37];
	char domain_id[37], dc_id[37]; /* dc_id "": its domain is not attached */
	char prev_status[16];
	char *root;                    /* its domain's path (NULL: block); caller frees */
};
/*
 * Returns: 0, or -1 (RHV_EXIT_NOTFOUND, RHV_EXIT_CONFLICT when it is not OK
 * (an Illegal disk may be removed), attached when it must not be, or used
 * by a VM that is not Down when it must be).
 */
int rhv_db_disk_claim(struct rhv_db *db, struct rhv_db_disk_claim *c, struct rhv_error *err);

/* The outcome of an operation on a claimed disk. */
struct rhv_db_disk_outcome {
	const char *id, *name, *action, *message;
	const char *domain_id; /* new domain (move) or NULL */
	bool has_actual, has_size;
	uint64_t actual, size;
	bool drop;          /* the row goes (remove, or undoing a create) */
	bool event;         /* write message as the disk's event */
	const char *status; /* NULL: OK */
};
/* Record it in one transaction; the session lock stays (rhv_db_disk_unlock). */
int rhv_db_disk_record(struct rhv_db *db, const struct rhv_db_disk_outcome *o, struct rhv_error *err);
/* Let the disk's session lock go. */
void rhv_db_disk_unlock(struct rhv_db *db, const char *id);

/* ISO domains, by name: their names and roots. */
struct rhv_db_iso_domain {
	char *name, *path;
};
int rhv_db_iso_domains(struct rhv_db *db, struct rhv_db_iso_domain **out, size_t *n, struct rhv_error *err);
void rhv_db_iso_domains_free(struct rhv_db_iso_domain *l, size_t n);
