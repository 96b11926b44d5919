/*
 * rhv-snap list, show and jobs: the store's rows, and each disk's chain as
 * the domain's metadata describes it, every volume labelled with the
 * snapshot it holds (or the active, preview or aside layer).
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/snap-priv.h"
#include "rhv/cleanup.h"
#include "rhv/sdmeta.h"
#include "storage/disk-priv.h"
#include "storage/sd-priv.h"
#include "store/txn.h"

/* Who holds which volume: the snapshots of one VM. */
struct owners {
	struct rhv_snap_list all;
};

static const char *owner_of(const struct owners *o, const char *disk, const char *volume)
{
	for (size_t i = 0; i < o->all.n; i++)
		for (size_t j = 0; j < o->all.items[i].ndisks; j++)
			if (!strcmp(o->all.items[i].disks[j].id, disk) && !strcmp(o->all.items[i].disks[j].volume_id, volume))
				return o->all.items[i].id;
	return NULL;
}

/* The chain of volume top, base first, labelled; top_role names the top when no snapshot holds it. */
static int chain_of(const struct rhv_sd_meta *m, const struct rhv_db_snap_disk *d, const char *top,
		    const char *top_role, const struct owners *o, struct rhv_snap_volume **out, size_t *n,
		    struct rhv_error *err)
{
	struct rhv_sd_volume **chain = NULL;
	size_t len = 0;

	*out = NULL;
	*n = 0;
	if (rhv_sdmeta_chain(m, top, &chain, &len, err) < 0)
		return -1;
	*out = rhv_xcalloc(len + 1, sizeof(**out));
	for (size_t i = 0; i < len; i++) {
		struct rhv_snap_volume *v = &(*out)[i];
		const char *owner = owner_of(o, d->id, chain[i]->id);
		_cleanup_free_ char *path = rhv_sd_volume_path(d->root, d->id, chain[i]->id);

		snprintf(v->id, sizeof(v->id), "%s", chain[i]->id);
		v->format = rhv_xstrdup(chain[i]->format);
		v->size = chain[i]->size;
		v->actual = rhv_disk_allocated(path);
		snprintf(v->snapshot_id, sizeof(v->snapshot_id), "%s", owner ? owner : "");
		v->role = rhv_xstrdup(owner ? "snapshot" : i + 1 == len ? top_role : "volume");
	}
	free(chain);
	*n = len;
	return 0;
}

static int disk_chains(struct rhv_snap_disk *sd, const struct rhv_db_snap_vm *vm, const struct owners *o,
		       struct rhv_error *err)
{
	const struct rhv_db_snap_disk *d = rhv_snap_vm_disk(vm, sd->id);
	struct rhv_sd_meta m;
	int rc = -1;

	if (!d || !d->root)
		return 0; /* no longer attached, or on a block domain: no chain to show */
	if (rhv_sdmeta_read(d->root, &m, err) == 0 &&
	    chain_of(&m, d, d->volume_id, d->aside_volume_id[0] ? "preview" : "active", o, &sd->chain, &sd->nchain,
		     err) == 0 &&
	    (!d->aside_volume_id[0] || chain_of(&m, d, d->aside_volume_id, "aside", o, &sd->aside, &sd->naside, err) == 0))
		rc = 0;
	rhv_sdmeta_clear(&m);
	return rc;
}

static int add_chains(struct rhv_db *db, struct rhv_snap *items, size_t n, struct rhv_error *err)
{
	struct rhv_db_snap_vm vm;
	struct owners o;
	int rc = 0;

	memset(&vm, 0, sizeof(vm));
	memset(&o, 0, sizeof(o));
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (strcmp(vm.id, items[i].vm_id)) {
			rhv_db_snap_vm_clear(&vm);
			rhv_snap_list_clear(&o.all);
			if (rhv_db_snap_vm_get(db, items[i].vm_id, &vm, err) < 0 ||
			    rhv_db_snap_list(db, items[i].vm_id, &o.all, err) < 0) {
				rc = -1;
				break;
			}
		}
		for (size_t j = 0; j < items[i].ndisks && rc == 0; j++)
			rc = disk_chains(&items[i].disks[j], &vm, &o, err);
	}
	rhv_db_snap_vm_clear(&vm);
	rhv_snap_list_clear(&o.all);
	return rc;
}

int rhv_snap_list(struct rhv_db *db, const char *vm, bool chains, struct rhv_snap_list *out, struct rhv_error *err)
{
	char vm_id[37] = "";

	memset(out, 0, sizeof(*out));
	if (vm) {
		struct rhv_db_snap_vm v;
		int rc = rhv_db_snap_vm_get(db, vm, &v, err);

		snprintf(vm_id, sizeof(vm_id), "%s", v.id);
		rhv_db_snap_vm_clear(&v);
		if (rc < 0)
			return -1;
	}
	if (rhv_db_snap_list(db, vm ? vm_id : NULL, out, err) < 0)
		return -1;
	return chains ? add_chains(db, out->items, out->n, err) : 0;
}

int rhv_snap_get(struct rhv_db *db, const char *snap, struct rhv_snap *out, struct rhv_error *err)
{
	if (rhv_db_snap_get(db, snap, out, err) < 0)
		return -1;
	return add_chains(db, out, 1, err);
}

int rhv_snap_jobs(struct rhv_db *db, struct rhv_snap_job_list *out, struct rhv_error *err)
{
	if (rhv_db_snap_jobs(db, out, err) < 0)
		return -1;
	for (size_t i = 0; i < out->n; i++) {
		struct rhv_snap_job *j = &out->items[i];
		struct rhv_error ignored = { 0 };
		bool got = false;

		/* a job runs while someone holds its VM's snapshot lock */
		if (rhv_db_try_lock(db, RHV_DB_SNAP_LOCK, j->vm_id, true, &got, &ignored) == 0 && got)
			rhv_db_try_lock(db, RHV_DB_SNAP_LOCK, j->vm_id, false, &got, &ignored);
		else
			j->running = true;
	}
	return 0;
}
