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
#include "store/store-priv.h"
#include "storage/sd-priv.h"

/* The master became unreachable: hand the role to another Active data domain (reconstruct). */
static int move_master(struct rhv_db *db, const char *dc_id, const char *old_id, const struct rhv_progress *p,
		       struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *g = NULL;
	_cleanup_free_ char *lease = NULL, *path = NULL, *name = NULL;
	char id[37];

	if (rhv_db_sd_master_successor(db, dc_id, old_id, id, &path, &name, err) < 0)
		return -1;
	if (!id[0])
		return 0;
	if (rhv_db_exec(db, "SELECT spm_generation FROM data_centers WHERE id = $1", RHV_PARAMS(dc_id), &g, err) < 0)
		return -1;
	/* the old lease cannot be read by anyone now, so its holder's writes fail their checks too */
	lease = rhv_xasprintf("%s/%s/%s", path, RHV_SDMETA_DIR, RHV_SD_LEASE_FILE);
	if (rhv_lease_init(lease, (uint64_t)rhv_pq_int(g, 0, "spm_generation"), err) < 0 ||
	    rhv_db_sd_set_master(db, dc_id, id, err) < 0 || rhv_db_sd_forget_spm(db, dc_id, NULL, err) < 0)
		return -1;
	rhv_progress_note(p, "the master role moved to storage domain '%s'", name);
	return rhv_event_add(db, RHV_SEV_WARNING, "storage_domain", id, name, "master", err,
			     "storage domain '%s' is the new master (the old one is unreachable)", name);
}

/* Per domain and data center: who can read it, and what follows. */
static int reachability(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"SELECT s.id, s.name, s.path, a.dc_id, a.status, a.is_master FROM storage_domain_dc a"
			" JOIN storage_domains s ON s.id = a.domain_id WHERE s.path IS NOT NULL"
			" AND a.status IN ('Active', 'Inactive') ORDER BY a.is_master, s.name",
			RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *id = rhv_pq_str(r, i, "id"), *name = rhv_pq_str(r, i, "name");
		const char *dc_id = rhv_pq_str(r, i, "dc_id");
		struct rhv_sd_probe probe;

		if (rhv_sd_probe_hosts(db, id, rhv_pq_str(r, i, "path"), dc_id, &probe, err) < 0)
			return -1;
		if (probe.up_hosts == 0 || probe.ok > 0 || strcmp(rhv_pq_str(r, i, "status"), "Active"))
			continue;
		/* no Up host can read it: Inactive until `rhv-sd recover` finds it again */
		if (rhv_db_exec(db,
				"UPDATE storage_domain_dc SET status = 'Inactive', status_reason = $3, status_since = now()"
				" WHERE domain_id = $1 AND dc_id = $2",
				RHV_PARAMS(id, dc_id, probe.first_error), NULL, err) < 0 ||
		    rhv_event_add(db, RHV_SEV_ERROR, "storage_domain", id, name, "monitor", err,
				  "storage domain '%s' is Inactive: none of %d Up hosts can read it: %s", name, probe.up_hosts,
				  probe.first_error) < 0)
			return -1;
		rhv_progress_note(p, "storage domain '%s' is Inactive: no Up host can read it", name);
		if (rhv_pq_bool(r, i, "is_master") && move_master(db, dc_id, id, p, err) < 0)
			return -1;
	}
	return 0;
}

/* Free space against the domain's thresholds: an ALERT when it goes below its critical space (once). */
static int space(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"SELECT s.id, s.name, s.path, s.free AS old_free, s.size AS old_size, s.warning_pct, s.critical_gib,"
			" s.below_critical FROM storage_domains s"
			" WHERE s.path IS NOT NULL AND EXISTS (SELECT 1 FROM storage_domain_dc a WHERE a.domain_id = s.id"
			" AND a.status = 'Active') ORDER BY s.name",
			RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		uint64_t size, free_b, critical = (uint64_t)rhv_pq_int(r, i, "critical_gib") << 30;
		int64_t warn = rhv_pq_int(r, i, "warning_pct");
		double old_pct = rhv_pq_int(r, i, "old_size") > 0
					 ? 100.0 * (double)rhv_pq_int(r, i, "old_free") / (double)rhv_pq_int(r, i, "old_size")
					 : 100.0;
		bool was_below = rhv_pq_bool(r, i, "below_critical");
		struct rhv_error e = { 0 };
		const char *id = rhv_pq_str(r, i, "id"), *name = rhv_pq_str(r, i, "name");
		double pct;

		if (rhv_sd_measure(db, id, rhv_pq_str(r, i, "path"), &size, &free_b, &e) < 0) {
			rhv_progress_note(p, "%s", e.message);
			continue;
		}
		pct = size ? 100.0 * (double)free_b / (double)size : 100.0;
		if ((free_b < critical) != was_below &&
		    rhv_db_exec(db, "UPDATE storage_domains SET below_critical = $2::boolean WHERE id = $1",
				RHV_PARAMS(id, free_b < critical ? "true" : "false"), NULL, err) < 0)
			return -1;
		if (free_b < critical && !was_below) {
			if (rhv_event_add(db, RHV_SEV_ALERT, "storage_domain", id, name, "space", err,
					  "storage domain '%s' is below its critical space: %.1f GiB free, limit %lld GiB; no new "
					  "disks are created there", name, (double)free_b / 1073741824.0,
					  (long long)rhv_pq_int(r, i, "critical_gib")) < 0)
				return -1;
			rhv_progress_warn(p, "storage domain '%s' is below its critical free space", name);
		} else if (free_b >= critical && was_below) {
			if (rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", id, name, "space", err,
					  "storage domain '%s' is above its critical space again", name) < 0)
				return -1;
		} else if (pct < (double)warn && old_pct >= (double)warn) {
			if (rhv_event_add(db, RHV_SEV_WARNING, "storage_domain", id, name, "space", err,
					  "storage domain '%s' is low on space: %.1f%% free", name, pct) < 0)
				return -1;
		}
	}
	return 0;
}

/* A running VM's disks: allocation (the high-water mark) and, for a VM paused on ENOSPC, resume once there is room. */
static void vm_disks_on_host(struct rhv_db *db, struct rhv_virt_conn *c, const char *host_id,
			     const struct rhv_progress *p)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_error e = { 0 };

	if (rhv_db_exec(db,
			"SELECT v.id AS vm_id, v.name AS vm, v.paused_reason, k.id, k.volume_id, s.path, s.free, s.critical_gib"
			" FROM vms v JOIN vm_disks x ON x.vm_id = v.id JOIN disks k ON k.id = x.disk_id"
			" JOIN storage_domains s ON s.id = k.domain_id"
			" WHERE v.host_id = $1 AND v.state IN ('Up', 'Paused') AND s.path IS NOT NULL ORDER BY v.name",
			RHV_PARAMS(host_id), &r, &e) < 0)
		return;
	for (int i = 0; i < PQntuples(r); i++) {
		_cleanup_free_ char *path = rhv_sd_volume_path(rhv_pq_str(r, i, "path"), rhv_pq_str(r, i, "id"),
							   rhv_pq_str(r, i, "volume_id"));
		const char *vm = rhv_pq_str(r, i, "vm"), *vm_id = rhv_pq_str(r, i, "vm_id");
		_cleanup_virt_dom_ struct rhv_virt_dom *dom = rhv_virt_dom_lookup(c, vm_id, NULL, NULL);
		struct rhv_virt_block_info bi;
		struct stat st;
		enum rhv_virt_state state;
		bool io_error = false;

		if (!dom)
			continue;
		if (rhv_virt_dom_block_info(dom, path, &bi) == 0) {
			char cap[24], alloc[24], phys[24];

			snprintf(cap, sizeof(cap), "%llu", bi.capacity);
			snprintf(alloc, sizeof(alloc), "%llu", bi.allocation);
			snprintf(phys, sizeof(phys), "%llu", bi.physical);
			rhv_db_exec(db,
				    "INSERT INTO vm_disk_samples (vm_id, disk_id, capacity, allocation, physical)"
				    " VALUES ($1, $2, $3::bigint, $4::bigint, $5::bigint) ON CONFLICT (vm_id, disk_id) DO UPDATE"
				    " SET time = now(), capacity = $3::bigint, allocation = $4::bigint, physical = $5::bigint",
				    RHV_PARAMS(vm_id, rhv_pq_str(r, i, "id"), cap, alloc, phys), NULL, &e);
			/* actual stays what the storage holds (as qemu-img says); allocation is the guest's high-water mark */
			if (stat(path, &st) == 0) {
				char actual[24];

				snprintf(actual, sizeof(actual), "%llu", (unsigned long long)st.st_blocks * 512);
				rhv_db_exec(db, "UPDATE disks SET actual = $2::bigint WHERE id = $1",
					    RHV_PARAMS(rhv_pq_str(r, i, "id"), actual), NULL, &e);
			}
		}
		if (rhv_virt_dom_state(dom, &state, &io_error) == 0 && io_error) {
			uint64_t free_b = (uint64_t)rhv_pq_int(r, i, "free");
			uint64_t need = (uint64_t)rhv_pq_int(r, i, "critical_gib") << 30;

			if (!rhv_pq_str(r, i, "paused_reason")) {
				rhv_db_exec(db, "UPDATE vms SET state = 'Paused', paused_reason = 'ENOSPC' WHERE id = $1",
					    RHV_PARAMS(vm_id), NULL, &e);
				rhv_event_add(db, RHV_SEV_ERROR, "vm", vm_id, vm, "monitor", &e,
					      "VM '%s' paused: its storage ran out of space", vm);
				rhv_progress_note(p, "VM '%s' is paused: no space left on its storage", vm);
			} else if (free_b > need && rhv_virt_dom_resume(dom) == 0) {
				rhv_db_exec(db, "UPDATE vms SET state = 'Up', paused_reason = NULL WHERE id = $1",
					    RHV_PARAMS(vm_id), NULL, &e);
				rhv_event_add(db, RHV_SEV_NORMAL, "vm", vm_id, vm, "monitor", &e,
					      "VM '%s' resumed: its storage has space again", vm);
				rhv_progress_note(p, "VM '%s' resumed", vm);
			}
		}
	}
}

static int vm_disks(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_settings st;

	if (rhv_settings_load(db, &st, err) < 0 ||
	    rhv_db_exec(db,
			"SELECT DISTINCT h.id, h.uri FROM hosts h JOIN vms v ON v.host_id = h.id"
			" JOIN vm_disks x ON x.vm_id = v.id WHERE h.state = 'Up'",
			RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		struct rhv_error e = { 0 };
		_cleanup_virt_conn_ struct rhv_virt_conn *c =
			rhv_virt_open(rhv_pq_str(r, i, "uri"), (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS] * 1000, &e);

		if (!c)
			continue;
		vm_disks_on_host(db, c, rhv_pq_str(r, i, "id"), p);
	}
	return 0;
}

int rhv_storage_monitor(struct rhv_db *db, const struct rhv_progress *p, struct rhv_error *err)
{
	/* a host that answers again is no longer "confirmed down" */
	if (rhv_db_exec(db, "UPDATE hosts SET confirmed_down_at = NULL WHERE state = 'Up' AND confirmed_down_at IS NOT NULL",
			RHV_NO_PARAMS, NULL, err) < 0)
		return -1;
	if (reachability(db, p, err) < 0 || rhv_spm_monitor(db, p, err) < 0 || space(db, p, err) < 0)
		return -1;
	return vm_disks(db, p, err);
}
