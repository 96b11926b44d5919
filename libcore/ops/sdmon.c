/*
 * Storage monitoring, one pass (run by `rhv-host monitor`): the SPM's lease
 * kept (or an SPM elected), every Up host asked whether it can read every
 * domain of its data center (reference 2.7), space measured against the
 * domain's thresholds (2.11), running VMs' disk high-water marks read and
 * VMs paused for lack of space reported and resumed (2.12).
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rhv/event.h"
#include "rhv/progress.h"
#include "rhv/sdmon.h"
#include "rhv/settings.h"
#include "rhv/virt.h"
#include "rhv/cleanup.h"
#include "store/sdmon.h"
#include "storage/sd-priv.h"

/* The master became unreachable: hand the role to another Active data domain (reconstruct). */
static int move_master(struct rhv_db *db, const char *dc_id, const char *old_id, const struct rhv_progress *p,
		       struct rhv_error *err)
{
	_cleanup_free_ char *lease = NULL, *path = NULL, *name = NULL;
	char id[37];
	uint64_t gen;

	if (rhv_db_sd_master_successor(db, dc_id, old_id, id, &path, &name, err) < 0)
		return -1;
	if (!id[0])
		return 0;
	if (rhv_db_sdmon_generation(db, dc_id, &gen, err) < 0)
		return -1;
	/* the old lease cannot be read by anyone now, so its holder's writes fail their checks too */
	lease = rhv_sd_lease_path(path);
	if (rhv_lease_init(lease, gen, err) < 0 || rhv_db_sd_set_master(db, dc_id, id, err) < 0 ||
	    rhv_db_sd_forget_spm(db, dc_id, NULL, err) < 0)
		return -1;
	rhv_progress_note(p, "the master role moved to storage domain '%s'", name);
	return rhv_event_add(db, RHV_SEV_WARNING, "storage_domain", id, name, "master", err,
			     "storage domain '%s' is the new master (the old one is unreachable)", name);
}

/* Per domain and data center: who can read it, and what follows. */
static int reachability(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_db_sdmon_domain *d;
	size_t n;
	int rc = -1;

	if (rhv_db_sdmon_attachments(db, &d, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct rhv_sd_probe probe;

		if (rhv_sd_probe_hosts(db, d[i].id, d[i].path, d[i].dc_id, &probe, err) < 0)
			goto out;
		if (probe.up_hosts == 0 || probe.ok > 0 || strcmp(d[i].status, "Active"))
			continue;
		/* no Up host can read it: Inactive until `rhv-sd recover` finds it again */
		if (rhv_db_sdmon_inactive(db, &d[i], probe.up_hosts, probe.first_error, err) < 0)
			goto out;
		rhv_progress_note(p, "storage domain '%s' is Inactive: no Up host can read it", d[i].name);
		if (d[i].master && move_master(db, d[i].dc_id, d[i].id, p, err) < 0)
			goto out;
	}
	rc = 0;
out:
	rhv_db_sdmon_domains_free(d, n);
	return rc;
}

/* Free space against the domain's thresholds: an ALERT when it goes below its critical space (once). */
static int space_of(struct rhv_db *db, const struct rhv_db_sdmon_domain *d, const struct rhv_progress *p,
		    struct rhv_error *err)
{
	uint64_t size, free_b, critical = (uint64_t)d->critical_gib << 30;
	int64_t warn = d->warning_pct;
	double old_pct = d->old_size > 0 ? 100.0 * (double)d->old_free / (double)d->old_size : 100.0;
	bool was_below = d->below_critical;
	struct rhv_error e = { 0 };
	double pct;

	if (rhv_sd_measure(db, d->id, d->path, &size, &free_b, &e) < 0) {
		rhv_progress_note(p, "%s", e.message);
		return 0;
	}
	pct = size ? 100.0 * (double)free_b / (double)size : 100.0;
	if ((free_b < critical) != was_below && rhv_db_sdmon_below_critical(db, d->id, free_b < critical, err) < 0)
		return -1;
	if (free_b < critical && !was_below) {
		if (rhv_event_add(db, RHV_SEV_ALERT, "storage_domain", d->id, d->name, "space", err,
				  "storage domain '%s' is below its critical space: %.1f GiB free, limit %lld GiB; no new "
				  "disks are created there", d->name, (double)free_b / 1073741824.0,
				  (long long)d->critical_gib) < 0)
			return -1;
		rhv_progress_warn(p, "storage domain '%s' is below its critical free space", d->name);
	} else if (free_b >= critical && was_below) {
		if (rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", d->id, d->name, "space", err,
				  "storage domain '%s' is above its critical space again", d->name) < 0)
			return -1;
	} else if (pct < (double)warn && old_pct >= (double)warn) {
		if (rhv_event_add(db, RHV_SEV_WARNING, "storage_domain", d->id, d->name, "space", err,
				  "storage domain '%s' is low on space: %.1f%% free", d->name, pct) < 0)
			return -1;
	}
	return 0;
}

static int space(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_db_sdmon_domain *d;
	size_t n;
	int rc = 0;

	if (rhv_db_sdmon_spaces(db, &d, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = space_of(db, &d[i], p, err);
	rhv_db_sdmon_domains_free(d, n);
	return rc;
}

/* A running VM's disks: allocation (the high-water mark) and, for a VM paused on ENOSPC, resume once there is room. */
static void vm_disks_on_host(struct rhv_db *db, struct rhv_virt_conn *c, const char *host_id,
			     const struct rhv_progress *p)
{
	struct rhv_db_sdmon_disk *disks;
	struct rhv_error e = { 0 };
	size_t n;

	if (rhv_db_sdmon_disks(db, host_id, &disks, &n, &e) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct rhv_db_sdmon_disk *d = &disks[i];
		_cleanup_free_ char *path = rhv_sd_volume_path(d->root, d->id, d->volume_id);
		_cleanup_virt_dom_ struct rhv_virt_dom *dom = rhv_virt_dom_lookup(c, d->vm_id, NULL, NULL);
		struct rhv_virt_block_info bi;
		struct stat st;
		enum rhv_virt_state state;
		bool io_error = false;

		if (!dom)
			continue;
		/* actual stays what the storage holds (as qemu-img says); allocation is the guest's high-water mark */
		if (rhv_virt_dom_block_info(dom, path, &bi) == 0)
			rhv_db_sdmon_disk_sample(db, d, bi.capacity, bi.allocation, bi.physical,
						 stat(path, &st) == 0 ? (long long)st.st_blocks * 512 : -1, &e);
		if (rhv_virt_dom_state(dom, &state, &io_error) == 0 && io_error) {
			uint64_t need = (uint64_t)d->critical_gib << 30;

			if (!d->paused_enospc) {
				rhv_db_sdmon_vm_enospc(db, d, true, &e);
				rhv_progress_note(p, "VM '%s' is paused: no space left on its storage", d->vm);
			} else if (d->free_b > need && rhv_virt_dom_resume(dom) == 0) {
				rhv_db_sdmon_vm_enospc(db, d, false, &e);
				rhv_progress_note(p, "VM '%s' resumed", d->vm);
			}
		}
	}
	rhv_db_sdmon_disks_free(disks, n);
}

static int vm_disks(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_db_sdmon_host *h;
	struct rhv_settings st;
	size_t n;

	if (rhv_settings_load(db, &st, err) < 0 || rhv_db_sdmon_hosts(db, &h, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct rhv_error e = { 0 };
		_cleanup_virt_conn_ struct rhv_virt_conn *c =
			rhv_virt_open(h[i].uri, (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS] * 1000, &e);

		if (!c)
			continue;
		vm_disks_on_host(db, c, h[i].id, p);
	}
	rhv_db_sdmon_hosts_free(h, n);
	return 0;
}

int rhv_storage_monitor(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	/* a host that answers again is no longer "confirmed down" */
	if (rhv_db_sdmon_hosts_back(db, err) < 0)
		return -1;
	if (reachability(db, p, err) < 0 || rhv_spm_monitor(db, p, err) < 0 || space(db, p, err) < 0)
		return -1;
	return vm_disks(db, p, err);
}
