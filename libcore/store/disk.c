/* Disks as the store holds them, their attachment to VMs, and CD-ROMs. */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/disk.h"
#include "store/store-priv.h"
#include "store/vm.h"
#include "rhv/disk.h"
#include "rhv/event.h"
#include "rhv/parse.h"
#include "rhv/sd.h"

const char *const rhv_disk_formats[] = { "raw", "qcow2", NULL };
const char *const rhv_disk_allocations[] = { "sparse", "preallocated", NULL };
const char *const rhv_disk_interfaces[] = { "virtio", "ide", NULL };

static const char select_disk[] =
	"SELECT k.id, k.volume_id, k.aside_volume_id, k.name, k.description, s.name AS domain, s.path AS root, k.format, k.allocation,"
	" k.status, k.operation, k.size, k.actual, v.name AS vm, x.interface, x.target, x.bootable,"
	" (SELECT d.allocation FROM vm_disk_samples d WHERE d.disk_id = k.id AND d.vm_id = v.id"
	"  AND v.state IN ('Up', 'Paused')) AS highwater,"
	" extract(epoch FROM k.created_at)::bigint AS created"
	" FROM disks k JOIN storage_domains s ON s.id = k.domain_id"
	" LEFT JOIN vm_disks x ON x.disk_id = k.id LEFT JOIN vms v ON v.id = x.vm_id";

/* <root>/images/<image>/<volume>: the layout storage/ makes (rhv_sd_volume_path), read back here. */
static char *volume_path(const char *root, const char *image, const char *volume)
{
	return rhv_xasprintf("%s/%s/%s/%s", root, RHV_SD_IMAGES_DIR, image, volume);
}

static void fill_disk(const PGresult *r, int i, struct rhv_disk *d)
{
	const char *root = rhv_pq_str(r, i, "root");

	memset(d, 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", rhv_pq_str(r, i, "id"));
	snprintf(d->volume_id, sizeof(d->volume_id), "%s", rhv_pq_str(r, i, "volume_id"));
	snprintf(d->aside_volume_id, sizeof(d->aside_volume_id), "%s",
		 rhv_pq_str(r, i, "aside_volume_id") ? rhv_pq_str(r, i, "aside_volume_id") : "");
	d->name = rhv_pq_dup(r, i, "name");
	d->description = rhv_pq_dup(r, i, "description");
	d->domain = rhv_pq_dup(r, i, "domain");
	d->path = root ? volume_path(root, d->id, d->volume_id) : NULL;
	d->format = rhv_pq_dup(r, i, "format");
	d->allocation = rhv_pq_dup(r, i, "allocation");
	d->status = rhv_pq_dup(r, i, "status");
	d->operation = rhv_pq_dup(r, i, "operation");
	d->size = (uint64_t)rhv_pq_int(r, i, "size");
	d->has_actual = rhv_pq_str(r, i, "actual") != NULL;
	d->actual = (uint64_t)rhv_pq_int(r, i, "actual");
	d->has_highwater = rhv_pq_str(r, i, "highwater") != NULL;
	d->highwater = (uint64_t)rhv_pq_int(r, i, "highwater");
	d->vm = rhv_pq_dup(r, i, "vm");
	d->interface = rhv_pq_dup(r, i, "interface");
	d->target = rhv_pq_dup(r, i, "target");
	d->bootable = rhv_pq_bool(r, i, "bootable");
	d->created = rhv_pq_int(r, i, "created");
}

void rhv_disk_clear(struct rhv_disk *d)
{
	free(d->name);
	free(d->description);
	free(d->domain);
	free(d->path);
	free(d->format);
	free(d->allocation);
	free(d->status);
	free(d->operation);
	free(d->vm);
	free(d->interface);
	free(d->target);
	free(d->chain);
	memset(d, 0, sizeof(*d));
}

void rhv_disk_list_clear(struct rhv_disk_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		rhv_disk_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int rhv_db_disk_get(struct rhv_db *db, const char *name, struct rhv_disk *out, char **root, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (root)
		*root = NULL;
	if (rhv_db_get_by_name(db, select_disk, "k", "disks", false, "disk", name, &r, err) < 0)
		return -1;
	fill_disk(r, 0, out);
	if (root)
		*root = rhv_pq_dup(r, 0, "root");
	return 0;
}

static int must_exist(struct rhv_db *db, const char *table, const char *what, const char *name, struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf("SELECT 1 FROM %s WHERE name = $1 OR id::text = $1", table);
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, sql, RHV_PARAMS(name), &r, err) < 0)
		return -1;
	if (!PQntuples(r))
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find %s '%s'", what, name);
	return 0;
}

int rhv_disk_list(struct rhv_db *db, const char *domain, const char *vm, struct rhv_disk_list *out,
		  struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf(
		"%s WHERE ($1::text IS NULL OR s.name = $1 OR s.id::text = $1)"
		" AND ($2::text IS NULL OR v.name = $2 OR v.id::text = $2) ORDER BY k.name",
		select_disk);
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if ((domain && must_exist(db, "storage_domains", "storage domain", domain, err) < 0) ||
	    (vm && must_exist(db, "vms", "VM", vm, err) < 0))
		return -1;
	if (rhv_db_exec(db, sql, RHV_PARAMS(domain, vm), &r, err) < 0)
		return -1;
	out->n = (size_t)PQntuples(r);
	out->items = rhv_xcalloc(out->n ? out->n : 1, sizeof(*out->items));
	for (size_t i = 0; i < out->n; i++)
		fill_disk(r, (int)i, &out->items[i]);
	return 0;
}

/* ---- the operations' claims (storage/disk.c and ops/diskops.c) ---- */

void rhv_db_disk_domain_clear(struct rhv_db_disk_domain *d)
{
	free(d->name);
	free(d->path);
	free(d->role);
	free(d->status);
	memset(d, 0, sizeof(*d));
}

int rhv_db_disk_domain_get(struct rhv_db *db, const char *name, struct rhv_db_disk_domain *out,
			   struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db,
			       "SELECT s.id, s.name, s.path, s.role, s.free, s.critical_gib, a.dc_id, a.status"
			       " FROM storage_domains s LEFT JOIN storage_domain_dc a ON a.domain_id = s.id",
			       "s", "storage_domains", false, "storage domain", name, &r, err) < 0)
		return -1;
	snprintf(out->id, sizeof(out->id), "%s", rhv_pq_str(r, 0, "id"));
	snprintf(out->dc_id, sizeof(out->dc_id), "%s", rhv_pq_str(r, 0, "dc_id") ? rhv_pq_str(r, 0, "dc_id") : "");
	out->name = rhv_pq_dup(r, 0, "name");
	out->path = rhv_pq_dup(r, 0, "path");
	out->role = rhv_pq_dup(r, 0, "role");
	out->status = rhv_pq_dup(r, 0, "status");
	out->critical_gib = (int)rhv_pq_int(r, 0, "critical_gib");
	return 0;
}

/* The disk's session lock: held by the process working on it, gone with it (scrub tests it). */
static int disk_lock(struct rhv_db *db, const char *id, struct rhv_error *err)
{
	return rhv_db_lock_wait(db, "disk", id, err);
}

void rhv_db_disk_unlock(struct rhv_db *db, const char *id)
{
	struct rhv_error ignored = { 0 };
	bool held;

	rhv_db_try_lock(db, "disk", id, false, &held, &ignored);
}

static int claim_new_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_db_disk_new *c = arg;
	char size[24];

	snprintf(size, sizeof(size), "%llu", (unsigned long long)c->size);
	/* the session lock is taken inside the transaction: no window where the row is Locked and unowned */
	if (disk_lock(db, c->id, err) < 0)
		return -1;
	if (rhv_db_exec(db,
			"INSERT INTO disks (id, name, description, domain_id, volume_id, format, allocation, size, status,"
			" operation) VALUES ($1, $2, coalesce($3, ''), $4, $5, $6, $7, $8::bigint, 'Locked', $9)",
			RHV_PARAMS(c->id, c->name, c->description, c->domain_id, c->volume, c->format, c->allocation, size,
				   c->op),
			NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT, "disk '%s' already exists", c->name);
		return -1;
	}
	return 0;
}

int rhv_db_disk_claim_new(struct rhv_db *db, const struct rhv_db_disk_new *c, struct rhv_error *err)
{
	return rhv_db_txn(db, claim_new_txn, (void *)c, err);
}

static int claim_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct rhv_db_disk_claim *c = arg;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_get_by_name(db,
			       "SELECT k.id, k.name, k.status, k.domain_id, s.path, a.dc_id, v.name AS vm, v.state,"
			       " (SELECT count(*) FROM snapshot_disks d WHERE d.disk_id = k.id) AS snapshots"
			       " FROM disks k JOIN storage_domains s ON s.id = k.domain_id"
			       " LEFT JOIN storage_domain_dc a ON a.domain_id = s.id"
			       " LEFT JOIN vm_disks x ON x.disk_id = k.id LEFT JOIN vms v ON v.id = x.vm_id",
			       "k", "disks", true, "disk", c->name, &r, err) < 0)
		return -1;
	/* an Illegal disk (a volume lost) can still be removed, nothing else */
	if (strcmp(rhv_pq_str(r, 0, "status"), "OK") &&
	    (strcmp(c->op, "remove") || strcmp(rhv_pq_str(r, 0, "status"), "Illegal")))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is %s%s", rhv_pq_str(r, 0, "name"),
				     rhv_pq_str(r, 0, "status"),
				     !strcmp(rhv_pq_str(r, 0, "status"), "Locked") ? ": another operation is running on it" : "");
	/* a move copies the chain flattened: the snapshots' volumes would not come along */
	if (!strcmp(c->op, "move") && rhv_pq_int(r, 0, "snapshots") > 0)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is in %lld snapshots: delete them before moving it",
				     rhv_pq_str(r, 0, "name"), (long long)rhv_pq_int(r, 0, "snapshots"));
	if (c->need_detached && rhv_pq_str(r, 0, "vm"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is attached to VM '%s': detach it first",
				     rhv_pq_str(r, 0, "name"), rhv_pq_str(r, 0, "vm"));
	if (c->need_down && rhv_pq_str(r, 0, "vm") && strcmp(rhv_pq_str(r, 0, "state"), "Down"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is in use by VM '%s', which is %s",
				     rhv_pq_str(r, 0, "name"), rhv_pq_str(r, 0, "vm"), rhv_pq_str(r, 0, "state"));
	snprintf(c->domain_id, sizeof(c->domain_id), "%s", rhv_pq_str(r, 0, "domain_id"));
	snprintf(c->prev_status, sizeof(c->prev_status), "%s", rhv_pq_str(r, 0, "status"));
	snprintf(c->dc_id, sizeof(c->dc_id), "%s", rhv_pq_str(r, 0, "dc_id") ? rhv_pq_str(r, 0, "dc_id") : "");
	free(c->root);
	c->root = rhv_pq_dup(r, 0, "path");
	if (disk_lock(db, rhv_pq_str(r, 0, "id"), err) < 0)
		return -1;
	if (rhv_db_exec(db, "UPDATE disks SET status = 'Locked', operation = $2, target_domain_id = $3::uuid WHERE id = $1",
			RHV_PARAMS(rhv_pq_str(r, 0, "id"), c->op, c->target_domain), NULL, err) < 0)
		return -1;
	snprintf(c->id, sizeof(c->id), "%s", rhv_pq_str(r, 0, "id"));
	return 0;
}

int rhv_db_disk_claim(struct rhv_db *db, struct rhv_db_disk_claim *c, struct rhv_error *err)
{
	return rhv_db_txn(db, claim_txn, c, err);
}

static int record_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_db_disk_outcome *f = arg;
	char actual[24], size[24];

	snprintf(actual, sizeof(actual), "%llu", (unsigned long long)f->actual);
	snprintf(size, sizeof(size), "%llu", (unsigned long long)f->size);
	if (f->drop) {
		if (rhv_db_exec(db, "DELETE FROM disks WHERE id = $1", RHV_PARAMS(f->id), NULL, err) < 0)
			return -1;
	} else if (rhv_db_exec(db,
			       "UPDATE disks SET status = coalesce($5, 'OK'), operation = NULL, target_domain_id = NULL,"
			       " domain_id = coalesce($2::uuid, domain_id), actual = coalesce($3::bigint, actual),"
			       " size = coalesce($4::bigint, size), updated_at = now() WHERE id = $1",
			       RHV_PARAMS(f->id, f->domain_id, f->has_actual ? actual : NULL, f->has_size ? size : NULL,
					  f->status),
			       NULL, err) < 0) {
		return -1;
	}
	if (!f->event)
		return 0;
	return rhv_event_add(db, RHV_SEV_NORMAL, "disk", f->id, f->name, f->action, err, "%s", f->message);
}

int rhv_db_disk_record(struct rhv_db *db, const struct rhv_db_disk_outcome *o, struct rhv_error *err)
{
	return rhv_db_txn(db, record_txn, (void *)o, err);
}

/* ---- attach and detach ---- */

/* A running VM's state: its disks and CD are changed in the guest too. */
static bool vm_running(const char *state)
{
	return !strcmp(state, RHV_VM_UP) || !strcmp(state, RHV_VM_PAUSED);
}

/* The lowest free target of the interface's kind; IDE counts the CD-ROM. */
static int pick_target(struct rhv_db *db, const char *vm_id, const char *iface, char *out, size_t len,
		       struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	const char *prefix = !strcmp(iface, "ide") ? "hd" : "vd";
	int limit = !strcmp(iface, "ide") ? RHV_MAX_IDE_DEVICES : 26;

	if (rhv_db_exec(db,
			"SELECT target FROM vm_disks WHERE vm_id = $1 UNION ALL"
			" SELECT cdrom_target FROM vms WHERE id = $1 AND cdrom_target IS NOT NULL",
			RHV_PARAMS(vm_id), &r, err) < 0)
		return -1;
	for (int i = 0; i < limit; i++) {
		bool used = false;

		snprintf(out, len, "%s%c", prefix, 'a' + i);
		for (int j = 0; j < PQntuples(r); j++)
			used |= !strcmp(PQgetvalue(r, j, 0), out);
		if (!used)
			return 0;
	}
	if (!strcmp(iface, "ide"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "at most %d IDE devices (disks and CD-ROM) per VM",
				     RHV_MAX_IDE_DEVICES);
	return rhv_error_set(err, RHV_EXIT_CONFLICT, "no free virtio disk slot (at most %d)", limit);
}

static int attach_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct rhv_disk_attach_req *a = arg;
	_cleanup_pgresult_ PGresult *d = NULL, *v = NULL, *n = NULL;
	char target[8];
	const char *vm_id, *vm_name, *disk_id, *disk_name;
	bool boot;

	a->running = false;
	if (rhv_db_get_by_name(db,
			       "SELECT k.id, k.name, k.status, a.dc_id, a.status AS domain_status, x.vm_id FROM disks k"
			       " LEFT JOIN storage_domain_dc a ON a.domain_id = k.domain_id"
			       " LEFT JOIN vm_disks x ON x.disk_id = k.id",
			       "k", "disks", true, "disk", a->disk, &d, err) < 0)
		return -1;
	if (rhv_db_get_by_name(db,
			       "SELECT v.id, v.name, v.state, v.host_id, c.dc_id FROM vms v"
			       " JOIN clusters c ON c.id = v.cluster_id",
			       "v", "vms", true, "VM", a->vm, &v, err) < 0)
		return -1;
	disk_id = rhv_pq_str(d, 0, "id");
	disk_name = rhv_pq_str(d, 0, "name");
	vm_id = rhv_pq_str(v, 0, "id");
	vm_name = rhv_pq_str(v, 0, "name");
	if (rhv_pq_str(d, 0, "vm_id"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is already attached to a VM", disk_name);
	if (strcmp(rhv_pq_str(d, 0, "status"), "OK"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is %s", disk_name, rhv_pq_str(d, 0, "status"));
	if (!rhv_pq_str(d, 0, "dc_id") || strcmp(rhv_pq_str(d, 0, "dc_id"), rhv_pq_str(v, 0, "dc_id")))
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "disk '%s' is not on a storage domain of the data center of VM '%s'", disk_name, vm_name);
	if (vm_running(rhv_pq_str(v, 0, "state"))) {
		/* plugged into the guest as well (reference 9.8): the bus must take it, the storage serve it */
		if (strcmp(a->interface, "virtio"))
			return rhv_error_set(err, RHV_EXIT_CONFLICT,
					     "VM '%s' is %s: only virtio disks can be plugged into a running VM", vm_name,
					     rhv_pq_str(v, 0, "state"));
		if (strcmp(rhv_pq_str(d, 0, "domain_status"), "Active"))
			return rhv_error_set(err, RHV_EXIT_CONFLICT,
					     "VM '%s' is running: the storage domain of disk '%s' is %s, not Active", vm_name,
					     disk_name, rhv_pq_str(d, 0, "domain_status"));
		a->running = true;
		snprintf(a->host_id, sizeof(a->host_id), "%s", rhv_pq_str(v, 0, "host_id"));
	} else if (strcmp(rhv_pq_str(v, 0, "state"), "Down")) {
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is %s: attach disks while it is Down or running",
				     vm_name, rhv_pq_str(v, 0, "state"));
	}
	if (pick_target(db, vm_id, a->interface, target, sizeof(target), err) < 0)
		return -1;
	snprintf(a->vm_id, sizeof(a->vm_id), "%s", vm_id);
	snprintf(a->disk_id, sizeof(a->disk_id), "%s", disk_id);
	snprintf(a->target, sizeof(a->target), "%s", target);
	if (rhv_db_exec(db, "SELECT count(*) AS n FROM vm_disks WHERE vm_id = $1", RHV_PARAMS(vm_id), &n, err) < 0)
		return -1;
	boot = a->bootable < 0 ? rhv_pq_int(n, 0, "n") == 0 : a->bootable > 0;
	if (rhv_db_exec(db,
			"INSERT INTO vm_disks (disk_id, vm_id, interface, target, bootable) VALUES ($1, $2, $3, $4, $5::boolean)",
			RHV_PARAMS(disk_id, vm_id, a->interface, target, boot ? "true" : "false"), NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_NORMAL, "vm", vm_id, vm_name, "attach-disk", err,
			     "disk '%s' attached to VM '%s' as %s (%s%s%s)", disk_name, vm_name, target, a->interface,
			     boot ? ", bootable" : "", a->running ? ", plugging into the running guest" : "");
}

int rhv_db_disk_attach(struct rhv_db *db, struct rhv_disk_attach_req *a, struct rhv_error *err)
{
	if (rhv_parse_enum(a->interface, rhv_disk_interfaces, "disk interface", err) < 0)
		return -1;
	return rhv_db_txn(db, attach_txn, a, err);
}

struct unplugged {
	const struct rhv_disk_attach_req *a;
	const char *why;
};

static int unattach_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct unplugged *u = arg;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"DELETE FROM vm_disks x USING disks k, vms v WHERE x.disk_id = $1 AND x.vm_id = $2"
			" AND k.id = x.disk_id AND v.id = x.vm_id RETURNING k.name AS disk, v.name AS vm",
			RHV_PARAMS(u->a->disk_id, u->a->vm_id), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return 0; /* someone detached it meanwhile */
	return rhv_event_add(db, RHV_SEV_WARNING, "vm", u->a->vm_id, rhv_pq_str(r, 0, "vm"), "detach-disk", err,
			     "disk '%s' not attached to VM '%s' after all: %s", rhv_pq_str(r, 0, "disk"),
			     rhv_pq_str(r, 0, "vm"), u->why);
}

int rhv_db_disk_unattach(struct rhv_db *db, const struct rhv_disk_attach_req *a, const char *why,
			 struct rhv_error *err)
{
	struct unplugged u = { a, why };

	return rhv_db_txn(db, unattach_txn, &u, err);
}

static int detach_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *d = NULL;

	if (rhv_db_get_by_name(db,
			       "SELECT k.id, k.name, v.id AS vm_id, v.name AS vm, v.state FROM disks k"
			       " LEFT JOIN vm_disks x ON x.disk_id = k.id LEFT JOIN vms v ON v.id = x.vm_id",
			       "k", "disks", true, "disk", arg, &d, err) < 0)
		return -1;
	if (!rhv_pq_str(d, 0, "vm_id"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is not attached to a VM", rhv_pq_str(d, 0, "name"));
	if (strcmp(rhv_pq_str(d, 0, "state"), "Down"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is %s: detach disks while it is Down",
				     rhv_pq_str(d, 0, "vm"), rhv_pq_str(d, 0, "state"));
	if (rhv_db_exec(db, "DELETE FROM vm_disks WHERE disk_id = $1", RHV_PARAMS(rhv_pq_str(d, 0, "id")), NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_NORMAL, "vm", rhv_pq_str(d, 0, "vm_id"), rhv_pq_str(d, 0, "vm"), "detach-disk",
			     err, "disk '%s' detached from VM '%s'", rhv_pq_str(d, 0, "name"), rhv_pq_str(d, 0, "vm"));
}

int rhv_disk_detach(struct rhv_db *db, const char *name, struct rhv_error *err)
{
	return rhv_db_txn(db, detach_txn, (void *)name, err);
}

/* ---- what a VM's domain XML needs ---- */

int rhv_db_vm_load_storage(struct rhv_db *db, struct rhv_vm *vm, bool check, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL, *c = NULL;

	if (rhv_db_exec(db,
			"SELECT k.id, k.name, k.volume_id, k.format, k.status, s.name AS domain, s.path, x.interface, x.target,"
			" x.bootable, (SELECT a.status FROM storage_domain_dc a WHERE a.domain_id = s.id) AS domain_status"
			" FROM vm_disks x JOIN disks k ON k.id = x.disk_id JOIN storage_domains s ON s.id = k.domain_id"
			" WHERE x.vm_id = $1 ORDER BY x.interface DESC, x.target",
			RHV_PARAMS(vm->id), &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *dstat = rhv_pq_str(r, i, "domain_status");

		if (check && strcmp(rhv_pq_str(r, i, "status"), "OK"))
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' cannot start: its disk '%s' is %s", vm->name,
					     rhv_pq_str(r, i, "name"), rhv_pq_str(r, i, "status"));
		if (check && (!dstat || strcmp(dstat, "Active")))
			return rhv_error_set(err, RHV_EXIT_CONFLICT,
					     "VM '%s' cannot start: storage domain '%s' of its disk '%s' is %s", vm->name,
					     rhv_pq_str(r, i, "domain"), rhv_pq_str(r, i, "name"), dstat ? dstat : "not attached");
		if (!rhv_pq_str(r, i, "path"))
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' cannot start: disk '%s' is on a block domain",
					     vm->name, rhv_pq_str(r, i, "name"));
	}
	vm->ndisks = (size_t)PQntuples(r);
	vm->disks = rhv_xcalloc(vm->ndisks ? vm->ndisks : 1, sizeof(*vm->disks));
	for (size_t i = 0; i < vm->ndisks; i++) {
		struct rhv_vm_disk *d = &vm->disks[i];

		snprintf(d->id, sizeof(d->id), "%s", rhv_pq_str(r, (int)i, "id"));
		d->name = rhv_pq_dup(r, (int)i, "name");
		d->path = volume_path(rhv_pq_str(r, (int)i, "path"), d->id, rhv_pq_str(r, (int)i, "volume_id"));
		d->format = rhv_pq_dup(r, (int)i, "format");
		d->interface = rhv_pq_dup(r, (int)i, "interface");
		d->target = rhv_pq_dup(r, (int)i, "target");
		d->bootable = rhv_pq_bool(r, (int)i, "bootable");
	}
	if (rhv_db_exec(db,
			"SELECT v.cdrom_file, v.cdrom_target, s.name, s.path,"
			" (SELECT a.status FROM storage_domain_dc a JOIN clusters c ON c.dc_id = a.dc_id"
			"  WHERE a.domain_id = s.id AND c.id = v.cluster_id) AS status"
			" FROM vms v JOIN storage_domains s ON s.id = v.cdrom_domain_id WHERE v.id = $1",
			RHV_PARAMS(vm->id), &c, err) < 0)
		return -1;
	if (PQntuples(c)) {
		const char *st = rhv_pq_str(c, 0, "status");

		if (check && (!st || strcmp(st, "Active")))
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' cannot start: ISO domain '%s' of its CD-ROM is %s",
					     vm->name, rhv_pq_str(c, 0, "name"), st ? st : "not attached");
		vm->cdrom = rhv_xasprintf("%s/%s/%s", rhv_pq_str(c, 0, "path"), RHV_SD_ISO_DIR, rhv_pq_str(c, 0, "cdrom_file"));
		vm->cdrom_target = rhv_pq_dup(c, 0, "cdrom_target");
	}
	return 0;
}
