/*
 * ISO domains and the CD-ROM of VMs as the store holds them: which domains
 * are ISO domains, and the CD a VM has in its drive.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/disk.h"
#include "store/store-priv.h"
#include "store/vm.h"
#include "rhv/disk.h"
#include "rhv/event.h"
#include "rhv/sd.h"
#include "rhv/validate.h"

void rhv_db_iso_domains_free(struct rhv_db_iso_domain *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].name);
		free(l[i].path);
	}
	free(l);
}

int rhv_db_iso_domains(struct rhv_db *db, struct rhv_db_iso_domain **out, size_t *n, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*out = NULL;
	*n = 0;
	if (rhv_db_exec(db, "SELECT name, path FROM storage_domains WHERE role = 'iso' ORDER BY name", RHV_NO_PARAMS, &r,
			err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*out = rhv_xcalloc(*n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		(*out)[i].name = rhv_pq_dup(r, (int)i, "name");
		(*out)[i].path = rhv_pq_dup(r, (int)i, "path");
	}
	return 0;
}

static int check_iso_name(const char *name, struct rhv_error *err)
{
	return rhv_check_file_name(name, "ISO name", RHV_EXIT_USAGE, err);
}

/* ---- CD-ROM ---- */

/* "DOMAIN:FILE" or "FILE": the one active ISO domain of the data center that has it. */
static int find_iso(struct rhv_db *db, const char *dc_id, const char *iso, char domain_id[37], const char **file,
		    struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	const char *colon = strchr(iso, ':');
	_cleanup_free_ char *dname = colon ? rhv_xasprintf("%.*s", (int)(colon - iso), iso) : NULL;
	int found = 0;

	*file = colon ? colon + 1 : iso;
	if (check_iso_name(*file, err) < 0)
		return -1;
	if (rhv_db_exec(db,
			"SELECT s.id, s.name, s.path FROM storage_domains s JOIN storage_domain_dc a ON a.domain_id = s.id"
			" WHERE a.dc_id = $1 AND s.role = 'iso' AND a.status = 'Active'"
			" AND ($2::text IS NULL OR s.name = $2 OR s.id::text = $2) ORDER BY s.name",
			RHV_PARAMS(dc_id, dname), &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		_cleanup_free_ char *path = rhv_xasprintf("%s/%s/%s", rhv_pq_str(r, i, "path"), RHV_SD_ISO_DIR, *file);

		if (access(path, R_OK) == 0) {
			if (found++ == 0)
				snprintf(domain_id, 37, "%s", rhv_pq_str(r, i, "id"));
		}
	}
	if (found == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find ISO '%s' on an active ISO domain of the VM's data center",
				     iso);
	if (found > 1)
		return rhv_error_usage(err, "ISO '%s' is on %d ISO domains: name one as DOMAIN:%s", *file, found, *file);
	return 0;
}

/*
 * A running guest keeps the CD-ROM drive it started with: its disc can be
 * changed or ejected, but a drive cannot be added (IDE has no hot-plug).
 */
static int running_cdrom(PGresult *v, struct rhv_cdrom_req *c, struct rhv_error *err)
{
	const char *state = rhv_pq_str(v, 0, "state");

	if (!rhv_pq_str(v, 0, "cdrom_target"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "VM '%s' is %s without a CD-ROM drive: put an ISO in while it is Down, and the drive "
				     "comes with it at the next start",
				     rhv_pq_str(v, 0, "name"), state);
	c->running = true;
	snprintf(c->host_id, sizeof(c->host_id), "%s", rhv_pq_str(v, 0, "host_id"));
	snprintf(c->target, sizeof(c->target), "%s", rhv_pq_str(v, 0, "cdrom_target"));
	snprintf(c->old_domain_id, sizeof(c->old_domain_id), "%s",
		 rhv_pq_str(v, 0, "cdrom_domain_id") ? rhv_pq_str(v, 0, "cdrom_domain_id") : "");
	c->old_file = rhv_pq_dup(v, 0, "cdrom_file");
	return 0;
}

static int cdrom_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct rhv_cdrom_req *c = arg;
	_cleanup_pgresult_ PGresult *v = NULL, *t = NULL, *path = NULL;
	char domain_id[37], target[8] = "";
	const char *file = NULL, *id, *name, *state;

	free(c->old_file);
	free(c->iso_path);
	c->old_file = c->iso_path = NULL;
	c->running = false;
	if (rhv_db_get_by_name(db,
			       "SELECT v.id, v.name, v.state, v.host_id, v.cdrom_target, v.cdrom_domain_id, v.cdrom_file,"
			       " c.dc_id FROM vms v JOIN clusters c ON c.id = v.cluster_id",
			       "v", "vms", true, "VM", c->vm, &v, err) < 0)
		return -1;
	id = rhv_pq_str(v, 0, "id");
	name = rhv_pq_str(v, 0, "name");
	state = rhv_pq_str(v, 0, "state");
	snprintf(c->vm_id, sizeof(c->vm_id), "%s", id);
	if (!strcmp(state, "Up") || !strcmp(state, "Paused")) {
		if (running_cdrom(v, c, err) < 0)
			return -1;
	} else if (strcmp(state, "Down")) {
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is %s: change its CD-ROM while it is Down or running",
				     name, state);
	}
	if (!c->iso) {
		/* a running guest keeps its drive, empty */
		if (rhv_db_exec(db,
				"UPDATE vms SET cdrom_domain_id = NULL, cdrom_file = NULL,"
				" cdrom_target = CASE WHEN $2::boolean THEN cdrom_target END WHERE id = $1",
				RHV_PARAMS(id, c->running ? "true" : "false"), NULL, err) < 0)
			return -1;
		return rhv_event_add(db, RHV_SEV_NORMAL, "vm", id, name, "edit", err, "CD-ROM of VM '%s' ejected", name);
	}
	if (find_iso(db, rhv_pq_str(v, 0, "dc_id"), c->iso, domain_id, &file, err) < 0)
		return -1;
	if (rhv_db_exec(db, "SELECT path FROM storage_domains WHERE id = $1", RHV_PARAMS(domain_id), &path, err) < 0)
		return -1;
	c->iso_path = rhv_xasprintf("%s/%s/%s", rhv_pq_str(path, 0, "path"), RHV_SD_ISO_DIR, file);
	if (rhv_pq_str(v, 0, "cdrom_target")) {
		snprintf(target, sizeof(target), "%s", rhv_pq_str(v, 0, "cdrom_target"));
	} else {
		/* hdc by custom (the second IDE channel's master), else the first free IDE slot */
		static const char *const order[] = { "hdc", "hda", "hdb", "hdd" };

		if (rhv_db_exec(db, "SELECT target FROM vm_disks WHERE vm_id = $1 AND interface = 'ide'", RHV_PARAMS(id), &t,
				err) < 0)
			return -1;
		for (size_t i = 0; i < RHV_ARRAY_SIZE(order) && !target[0]; i++) {
			bool used = false;

			for (int j = 0; j < PQntuples(t); j++)
				used |= !strcmp(PQgetvalue(t, j, 0), order[i]);
			if (!used)
				snprintf(target, sizeof(target), "%s", order[i]);
		}
		if (!target[0])
			return rhv_error_set(err, RHV_EXIT_CONFLICT,
					     "VM '%s' has %d IDE disks: at most %d IDE devices, CD-ROM included", name,
					     RHV_MAX_IDE_DEVICES, RHV_MAX_IDE_DEVICES);
	}
	if (rhv_db_exec(db, "UPDATE vms SET cdrom_domain_id = $2, cdrom_file = $3, cdrom_target = $4 WHERE id = $1",
			RHV_PARAMS(id, domain_id, file, target), NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_NORMAL, "vm", id, name, "edit", err, "ISO '%s' in the CD-ROM of VM '%s'", file,
			     name);
}

int rhv_db_vm_set_cdrom(struct rhv_db *db, struct rhv_cdrom_req *c, struct rhv_error *err)
{
	return rhv_db_txn(db, cdrom_txn, c, err);
}

static int cdrom_undo_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_cdrom_req *c = arg;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"UPDATE vms SET cdrom_domain_id = nullif($2, '')::uuid, cdrom_file = $3 WHERE id = $1"
			" RETURNING name",
			RHV_PARAMS(c->vm_id, c->old_domain_id, c->old_file), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return 0; /* the VM is gone */
	return rhv_event_add(db, RHV_SEV_WARNING, "vm", c->vm_id, rhv_pq_str(r, 0, "name"), "edit", err,
			     "CD-ROM of VM '%s' not changed after all: %s", rhv_pq_str(r, 0, "name"), c->why);
}

int rhv_db_vm_cdrom_undo(struct rhv_db *db, const struct rhv_cdrom_req *c, struct rhv_error *err)
{
	return rhv_db_txn(db, cdrom_undo_txn, (void *)c, err);
}

void rhv_cdrom_req_clear(struct rhv_cdrom_req *c)
{
	free(c->old_file);
	free(c->iso_path);
	c->old_file = c->iso_path = NULL;
}
