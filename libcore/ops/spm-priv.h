/*
 * SPM internals shared by spmops.c (store mirror, tokens, status: no
 * libvirt) and spmelect.c (the election, which asks hosts through libvirt).
 * A binary that does not link the election (rhv-disk) runs `rhv-sd
 * spm-elect` when it needs one, so it does not load libvirt at all.
 */
#pragma once

#include "store/store-priv.h"
#include "rhv/event.h"
#include "rhv/spmops.h"

struct spm_host {
	char id[37];
	char *name, *uri, *state;
	int priority, spm_id;
	bool confirmed_down, failed;
};

struct dc_view {
	char id[37];
	char *name;
	char spm_host[37]; /* "" none */
	uint64_t generation;
	char *master_path; /* NULL: no master domain */
	char master_id[37];
	char *master_name;
	struct spm_host *hosts;
	size_t nhosts;
};

void dc_view_clear(struct dc_view *v);
/* Give every host of the data center a lease host id (lowest free), keeping existing ones. */
int assign_spm_ids(struct rhv_db *db, const char *dc_id, struct rhv_error *err);
/* The data center (name or id), its SPM, master domain and hosts. */
int load_view(struct rhv_db *db, const char *dc, struct dc_view *v, struct rhv_error *err);
char *lease_path_of(const char *master_path);
struct spm_host *host_by_id(struct dc_view *v, const char *id);
struct spm_host *host_by_spm_id(struct dc_view *v, int spm_id);
/* Record holder (NULL: none) and generation; an event with why (if not NULL). */
int mirror(struct rhv_db *db, struct dc_view *v, const struct spm_host *h, uint64_t gen, const char *why,
	   enum rhv_severity sev, struct rhv_error *err);
int note_failed(struct rhv_db *db, struct dc_view *v, struct spm_host *h, const char *reason, struct rhv_error *err);
