/*
 * What a storage monitoring pass (ops/sdmon.c) reads and writes: the
 * domains to probe and measure, the disks of running VMs with their
 * high-water marks, VMs paused for lack of space.  No libpq here.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"

/* A file domain's attachment, Active or Inactive; or, for space, an Active file domain. */
struct rhv_db_sdmon_domain {
	char id[37], dc_id[37];
	char *name, *path, *status;
	bool master, below_critical;
	uint64_t old_free, old_size;
	int64_t warning_pct, critical_gib;
};
/* The Active and Inactive attachments of file domains, masters last, by name. */
int rhv_db_sdmon_attachments(struct rhv_db *db, struct rhv_db_sdmon_domain **out, size_t *n, struct rhv_error *err);
/* The file domains Active somewhere, by name, with their space as last measured and thresholds. */
int rhv_db_sdmon_spaces(struct rhv_db *db, struct rhv_db_sdmon_domain **out, size_t *n, struct rhv_error *err);
void rhv_db_sdmon_domains_free(struct rhv_db_sdmon_domain *d, size_t n);
/* No Up host can read it: Inactive with why, and an ERROR event. */
int rhv_db_sdmon_inactive(struct rhv_db *db, const struct rhv_db_sdmon_domain *d, int up_hosts, const char *why,
			  struct rhv_error *err);
int rhv_db_sdmon_below_critical(struct rhv_db *db, const char *domain_id, bool below, struct rhv_error *err);
/* The data center's SPM generation as the store mirrors it. */
int rhv_db_sdmon_generation(struct rhv_db *db, const char *dc_id, uint64_t *gen, struct rhv_error *err);
/* A host that answers again is no longer "confirmed down". */
int rhv_db_sdmon_hosts_back(struct rhv_db *db, struct rhv_error *err);

/* An Up host running VMs with disks. */
struct rhv_db_sdmon_host {
	char id[37];
	char *uri;
};
int rhv_db_sdmon_hosts(struct rhv_db *db, struct rhv_db_sdmon_host **out, size_t *n, struct rhv_error *err);
void rhv_db_sdmon_hosts_free(struct rhv_db_sdmon_host *h, size_t n);

/* A disk of a VM Up or Paused on a host, on a file domain. */
struct rhv_db_sdmon_disk {
	char vm_id[37], id[37];
	char *vm, *volume_id, *root;
	bool paused_enospc; /* rhv paused it for lack of space (its paused_reason is set) */
	uint64_t free_b;
	int64_t critical_gib;
};
int rhv_db_sdmon_disks(struct rhv_db *db, const char *host_id, struct rhv_db_sdmon_disk **out, size_t *n,
		       struct rhv_error *err);
void rhv_db_sdmon_disks_free(struct rhv_db_sdmon_disk *d, size_t n);
/* The guest's view of a disk (capacity, allocation, physical), and what the storage holds (actual; < 0: unknown). */
int rhv_db_sdmon_disk_sample(struct rhv_db *db, const struct rhv_db_sdmon_disk *d, unsigned long long capacity,
			     unsigned long long allocation, unsigned long long physical, long long actual,
			     struct rhv_error *err);
/* The VM paused for lack of space (paused true), or resumed: its state, and an event. */
int rhv_db_sdmon_vm_enospc(struct rhv_db *db, const struct rhv_db_sdmon_disk *d, bool paused, struct rhv_error *err);
