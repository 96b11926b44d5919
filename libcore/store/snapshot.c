/* VM snapshots' rows: the VM as an operation sees it, claims, finishes and merge jobs (store/snapshot.h). */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/event.h"
#include "store/snapshot.h"
#include "store/store-priv.h"

static void copy_id(char dst[37], const PGresult *r, int row, const char *col)
{
	const char *v = rhv_pq_str(r, row, col);

	snprintf(dst, 37, "%s", v ? v : "");
}

/* ---- the VM and its disks ---- */

void rhv_db_snap_vm_clear(struct rhv_db_snap_vm *v)
{
	for (size_t i = 0; i < v->ndisks; i++) {
		struct rhv_db_snap_disk *d = &v->disks[i];

		free(d->name);
		free(d->target);
		free(d->root);
		free(d->format);
		free(d->allocation);
		free(d->status);
	}
	free(v->disks);
	free(v->name);
	free(v->state);
	free(v->nics);
	memset(v, 0, sizeof(*v));
}

int rhv_db_snap_vm_get(struct rhv_db *db, const char *vm, struct rhv_db_snap_vm *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL, *k = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db,
			       "SELECT v.id, v.name, v.state, v.host_id, v.memory, v.vcpus,"
			       " (SELECT string_agg(n.mac::text || ' ' || n.network || ' ' || n.model, ', ' ORDER BY n.idx)"
			       "  FROM vm_nics n WHERE n.vm_id = v.id) AS nics,"
			       " (SELECT s.id FROM snapshots s WHERE s.vm_id = v.id AND s.status = 'InPreview') AS preview"
			       " FROM vms v",
			       "v", "vms", false, "VM", vm, &r, err) < 0)
		return -1;
	copy_id(out->id, r, 0, "id");
	copy_id(out->host_id, r, 0, "host_id");
	copy_id(out->preview_id, r, 0, "preview");
	out->name = rhv_pq_dup(r, 0, "name");
	out->state = rhv_pq_dup(r, 0, "state");
	out->memory = (uint64_t)rhv_pq_int(r, 0, "memory");
	out->vcpus = (int)rhv_pq_int(r, 0, "vcpus");
	out->nics = rhv_pq_str(r, 0, "nics") ? rhv_pq_dup(r, 0, "nics") : rhv_xstrdup("");
	if (rhv_db_exec(db,
			"SELECT k.id, k.name, k.volume_id, k.aside_volume_id, k.domain_id, a.dc_id, x.target, s.path,"
			" k.format, k.allocation, k.status, k.size"
			" FROM vm_disks x JOIN disks k ON k.id = x.disk_id JOIN storage_domains s ON s.id = k.domain_id"
			" LEFT JOIN storage_domain_dc a ON a.domain_id = s.id"
			" WHERE x.vm_id = $1 ORDER BY x.interface DESC, x.target",
			RHV_PARAMS(out->id), &k, err) < 0)
		return -1;
	out->ndisks = (size_t)PQntuples(k);
	out->disks = rhv_xcalloc(out->ndisks + 1, sizeof(*out->disks));
	for (int i = 0; i < PQntuples(k); i++) {
		struct rhv_db_snap_disk *d = &out->disks[i];

		copy_id(d->id, k, i, "id");
		copy_id(d->volume_id, k, i, "volume_id");
		copy_id(d->aside_volume_id, k, i, "aside_volume_id");
		copy_id(d->domain_id, k, i, "domain_id");
		copy_id(d->dc_id, k, i, "dc_id");
		d->name = rhv_pq_dup(k, i, "name");
		d->target = rhv_pq_dup(k, i, "target");
		d->root = rhv_pq_dup(k, i, "path");
		d->format = rhv_pq_dup(k, i, "format");
		d->allocation = rhv_pq_dup(k, i, "allocation");
		d->status = rhv_pq_dup(k, i, "status");
		d->size = (uint64_t)rhv_pq_int(k, i, "size");
	}
	return 0;
}

/* ---- snapshots ---- */

static void volumes_free(struct rhv_snap_volume *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].format);
		free(v[i].role);
	}
	free(v);
}

void rhv_snap_clear(struct rhv_snap *s)
{
	for (size_t i = 0; i < s->ndisks; i++) {
		free(s->disks[i].name);
		volumes_free(s->disks[i].chain, s->disks[i].nchain);
		volumes_free(s->disks[i].aside, s->disks[i].naside);
	}
	free(s->disks);
	free(s->vm);
	free(s->description);
	free(s->status);
	free(s->operation);
	free(s->nics);
	free(s->error);
	free(s->memory_domain);
	free(s->memory_root);
	memset(s, 0, sizeof(*s));
}

RHV_DEFINE_LIST_CLEAR(snap)

static void job_clear(struct rhv_snap_job *j)
{
	free(j->vm);
	free(j->disk);
	free(j->description);
	free(j->phase);
	free(j->error);
}

void rhv_snap_job_list_clear(struct rhv_snap_job_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		job_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static const char select_snap[] =
	"SELECT s.id, s.vm_id, v.name AS vm, s.description, s.status, s.operation, s.live, s.quiesced, s.memory,"
	" s.vcpus, s.nics, s.error, extract(epoch FROM s.created_at)::bigint AS created,"
	" s.memory_image_id, s.memory_volume_id, s.memory_domain_id, ma.dc_id AS memory_dc_id,"
	" md.name AS memory_domain, md.path AS memory_root, s.memory_bytes, s.restore_memory"
	" FROM snapshots s JOIN vms v ON v.id = s.vm_id"
	" LEFT JOIN storage_domains md ON md.id = s.memory_domain_id"
	" LEFT JOIN storage_domain_dc ma ON ma.domain_id = md.id";

static void fill_snap(const PGresult *r, int i, struct rhv_snap *s)
{
	memset(s, 0, sizeof(*s));
	copy_id(s->id, r, i, "id");
	copy_id(s->vm_id, r, i, "vm_id");
	s->vm = rhv_pq_dup(r, i, "vm");
	s->description = rhv_pq_dup(r, i, "description");
	s->status = rhv_pq_dup(r, i, "status");
	s->operation = rhv_pq_dup(r, i, "operation");
	s->live = rhv_pq_bool(r, i, "live");
	s->quiesced = rhv_pq_bool(r, i, "quiesced");
	s->memory = (uint64_t)rhv_pq_int(r, i, "memory");
	s->vcpus = (int)rhv_pq_int(r, i, "vcpus");
	s->nics = rhv_pq_dup(r, i, "nics");
	s->error = rhv_pq_dup(r, i, "error");
	s->created = rhv_pq_int(r, i, "created");
	copy_id(s->memory_image_id, r, i, "memory_image_id");
	copy_id(s->memory_volume_id, r, i, "memory_volume_id");
	copy_id(s->memory_domain_id, r, i, "memory_domain_id");
	copy_id(s->memory_dc_id, r, i, "memory_dc_id");
	s->memory_domain = rhv_pq_dup(r, i, "memory_domain");
	s->memory_root = rhv_pq_dup(r, i, "memory_root");
	s->memory_bytes = (uint64_t)rhv_pq_int(r, i, "memory_bytes");
	s->restore_memory = rhv_pq_bool(r, i, "restore_memory");
}

/* The disks of every snapshot in l (one query). */
static int fill_disks(struct rhv_db *db, struct rhv_snap *items, size_t n, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_free_ char *ids = NULL;

	if (n == 0)
		return 0;
	ids = rhv_xcalloc(n * 37 + 1, 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(ids, ",");
		strcat(ids, items[i].id);
	}
	if (rhv_db_exec(db,
			"SELECT d.snapshot_id, d.disk_id, k.name, d.volume_id, d.new_volume_id FROM snapshot_disks d"
			" JOIN disks k ON k.id = d.disk_id"
			" WHERE d.snapshot_id = ANY (string_to_array($1, ',')::uuid[]) ORDER BY k.name, d.disk_id",
			RHV_PARAMS(ids), &r, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct rhv_snap *s = &items[i];

		s->disks = rhv_xcalloc((size_t)PQntuples(r) + 1, sizeof(*s->disks));
		for (int j = 0; j < PQntuples(r); j++) {
			struct rhv_snap_disk *d;

			if (strcmp(rhv_pq_str(r, j, "snapshot_id"), s->id))
				continue;
			d = &s->disks[s->ndisks++];
			copy_id(d->id, r, j, "disk_id");
			d->name = rhv_pq_dup(r, j, "name");
			copy_id(d->volume_id, r, j, "volume_id");
			copy_id(d->new_volume_id, r, j, "new_volume_id");
		}
	}
	return 0;
}

int rhv_db_snap_list(struct rhv_db *db, const char *vm_id, struct rhv_snap_list *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_free_ char *sql = rhv_xasprintf("%s WHERE $1::uuid IS NULL OR s.vm_id = $1::uuid"
						 " ORDER BY v.name, s.created_at, s.id",
						 select_snap);

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db, sql, RHV_PARAMS(vm_id), &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, fill_snap);
	return fill_disks(db, out->items, out->n, err);
}

int rhv_db_snap_get(struct rhv_db *db, const char *snap, struct rhv_snap *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_free_ char *sql = NULL;

	memset(out, 0, sizeof(*out));
	if (!snap || !*snap)
		return rhv_error_usage(err, "a snapshot is named by its id or its description");
	/* an id always wins over a description that looks like one */
	sql = rhv_xasprintf("%s WHERE s.id::text = $1 OR (s.description = $1 AND NOT EXISTS"
			    " (SELECT 1 FROM snapshots t WHERE t.id::text = $1)) ORDER BY s.created_at",
			    select_snap);
	if (rhv_db_exec(db, sql, RHV_PARAMS(snap), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find snapshot '%s'", snap);
	if (PQntuples(r) > 1) {
		rhv_error_usage(err, "%d snapshots have the description '%s'", PQntuples(r), snap);
		rhv_error_hint(err, "name the snapshot by its id (rhv-snap list)");
		return -1;
	}
	fill_snap(r, 0, out);
	return fill_disks(db, out, 1, err);
}

/* ---- claims ---- */

static bool listed(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static int claim_disk(struct rhv_db *db, const struct rhv_db_snap_claim *c, size_t i, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	bool got;

	if (rhv_db_exec(db, "SELECT name, status, volume_id FROM disks WHERE id = $1 FOR UPDATE",
			RHV_PARAMS(c->disk_ids[i]), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "a disk of the snapshot was removed meanwhile");
	if (strcmp(rhv_pq_str(r, 0, "status"), "OK"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is %s%s", rhv_pq_str(r, 0, "name"),
				     rhv_pq_str(r, 0, "status"),
				     !strcmp(rhv_pq_str(r, 0, "status"), "Locked") ? ": another operation is running on it"
										   : "");
	if (strcmp(rhv_pq_str(r, 0, "volume_id"), c->disk_tops[i]))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' changed while the snapshot was prepared: try again",
				     rhv_pq_str(r, 0, "name"));
	if (rhv_db_try_lock(db, "disk", c->disk_ids[i], true, &got, err) < 0)
		return -1;
	if (!got)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is busy: another operation is running on it",
				     rhv_pq_str(r, 0, "name"));
	return rhv_db_exec(db, "UPDATE disks SET status = 'Locked', operation = 'snapshot' WHERE id = $1",
			   RHV_PARAMS(c->disk_ids[i]), NULL, err);
}

static int check_others(struct rhv_db *db, const struct rhv_db_snap_claim *c, const char *vm, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	bool previewing = !strcmp(c->op, "commit") || !strcmp(c->op, "undo");

	if (rhv_db_exec(db,
			"SELECT id, description, status, operation FROM snapshots WHERE vm_id = $1"
			" AND status IN ('Locked', 'InPreview') ORDER BY created_at",
			RHV_PARAMS(c->vm_id), &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *st = rhv_pq_str(r, i, "status"), *id = rhv_pq_str(r, i, "id");

		/* the caller holds the VM's snapshot lock: a Locked snapshot is an operation that died */
		if (!strcmp(st, "Locked")) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "snapshot %s of VM '%s' was left half-done by an interrupted %s",
				      id, vm, rhv_pq_str(r, i, "operation") ? rhv_pq_str(r, i, "operation") : "operation");
			rhv_error_hint(err, RHV_SNAP_RESUME_HINT, vm);
		return -1;
		}
		if (!previewing) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is previewing snapshot %s", vm, id);
			rhv_error_hint(err, RHV_SNAP_PREVIEW_HINT, vm, vm);
		return -1;
		}
		if (strcmp(id, c->snap_id))
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is previewing another snapshot", vm);
		return 0;
	}
	if (previewing)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is not previewing a snapshot", vm);
	return 0;
}

int rhv_db_snap_precheck(struct rhv_db *db, const char *op, const char *vm_id, const char *snap_id, const char *vm,
			 struct rhv_error *err)
{
	struct rhv_db_snap_claim c = { .op = op, .vm_id = vm_id, .snap_id = snap_id };

	return check_others(db, &c, vm, err);
}

static int mark_snapshot(struct rhv_db *db, const struct rhv_db_snap_claim *c, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	const char *want = !strcmp(c->op, "commit") || !strcmp(c->op, "undo") ? "InPreview" : "OK";

	if (rhv_db_exec(db, "SELECT status FROM snapshots WHERE id = $1 AND vm_id = $2 FOR UPDATE",
			RHV_PARAMS(c->snap_id, c->vm_id), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "snapshot %s no longer exists", c->snap_id);
	if (strcmp(rhv_pq_str(r, 0, "status"), want))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "snapshot %s is %s", c->snap_id, rhv_pq_str(r, 0, "status"));
	return rhv_db_exec(db,
			   "UPDATE snapshots SET status = 'Locked', operation = $2, error = NULL, updated_at = now()"
			   " WHERE id = $1",
			   RHV_PARAMS(c->snap_id, c->op), NULL, err);
}

static int insert_snapshot(struct rhv_db *db, const struct rhv_db_snap_claim *c, struct rhv_error *err)
{
	char memory[24], vcpus[16];

	snprintf(memory, sizeof(memory), "%llu", (unsigned long long)c->memory);
	snprintf(vcpus, sizeof(vcpus), "%d", c->vcpus);
	if (rhv_db_exec(db,
			"INSERT INTO snapshots (id, vm_id, description, status, operation, live, memory, vcpus, nics,"
			" memory_domain_id, memory_image_id, memory_volume_id, nic_rows)"
			" VALUES ($1, $2, coalesce($3, ''), 'Locked', 'create', $4::boolean, $5::bigint, $6::int, $7,"
			" $8::uuid, $9::uuid, $10::uuid,"
			" (SELECT coalesce(jsonb_agg(to_jsonb(n) - 'vm_id' ORDER BY n.idx), '[]') FROM vm_nics n"
			"  WHERE n.vm_id = $2))",
			RHV_PARAMS(c->snap_id, c->vm_id, c->description, c->live ? "true" : "false", memory, vcpus,
				   c->nics ? c->nics : "", c->memory_domain_id, c->memory_image_id, c->memory_volume_id),
			NULL, err) < 0)
		return -1;
	for (size_t i = 0; i < c->ndisks; i++)
		if (rhv_db_exec(db,
				"INSERT INTO snapshot_disks (snapshot_id, disk_id, volume_id, new_volume_id)"
				" VALUES ($1, $2, $3, $4)",
				RHV_PARAMS(c->snap_id, c->disk_ids[i], c->disk_tops[i], c->new_volumes[i]), NULL, err) < 0)
			return -1;
	return 0;
}

static int record_plan(struct rhv_db *db, const struct rhv_db_snap_claim *c, struct rhv_error *err)
{
	/* kept by the finish of the preview only (snapshot_ok) */
	if (!strcmp(c->op, "preview") &&
	    rhv_db_exec(db, "UPDATE snapshots SET restore_memory = $2::boolean AND memory_domain_id IS NOT NULL"
			" WHERE id = $1", RHV_PARAMS(c->snap_id, c->restore_memory ? "true" : "false"), NULL, err) < 0)
		return -1;
	if (!strcmp(c->op, "preview"))
		for (size_t i = 0; i < c->ndisks; i++)
			if (rhv_db_exec(db, "UPDATE snapshot_disks SET new_volume_id = $3 WHERE snapshot_id = $1 AND disk_id = $2",
					RHV_PARAMS(c->snap_id, c->disk_ids[i], c->new_volumes[i]), NULL, err) < 0)
				return -1;
	for (size_t i = 0; i < c->njobs; i++) {
		const struct rhv_db_snap_job *j = &c->jobs[i];

		if (rhv_db_exec(db,
				"INSERT INTO snapshot_jobs (snapshot_id, disk_id, base_volume_id, top_volume_id,"
				" child_volume_id, live) VALUES ($1, $2, $3, $4, nullif($5, '')::uuid, $6::boolean)",
				RHV_PARAMS(c->snap_id, j->disk_id, j->base, j->top, j->child, j->live ? "true" : "false"),
				NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int claim_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_db_snap_claim *c = arg;
	_cleanup_pgresult_ PGresult *v = NULL;
	_cleanup_free_ char *vm = NULL;

	if (rhv_db_exec(db, "SELECT name, state FROM vms WHERE id = $1 FOR UPDATE", RHV_PARAMS(c->vm_id), &v, err) < 0)
		return -1;
	if (PQntuples(v) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "the VM was removed meanwhile");
	vm = rhv_pq_dup(v, 0, "name");
	if (!listed(c->states, rhv_pq_str(v, 0, "state")))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is %s: a snapshot %s needs it %s%s", vm,
				     rhv_pq_str(v, 0, "state"), c->op, c->states[0],
				     c->states[1] ? ", or running" : "");
	if (check_others(db, c, vm, err) < 0)
		return -1;
	if (strcmp(c->op, "create") && mark_snapshot(db, c, err) < 0)
		return -1;
	for (size_t i = 0; i < c->ndisks; i++)
		if (claim_disk(db, c, i, err) < 0)
			return -1;
	if (!strcmp(c->op, "create"))
		return insert_snapshot(db, c, err);
	return record_plan(db, c, err);
}

int rhv_db_snap_claim(struct rhv_db *db, const struct rhv_db_snap_claim *c, struct rhv_error *err)
{
	int rc = rhv_db_txn(db, claim_txn, (void *)c, err);

	if (rc < 0) /* disk locks taken by an attempt that rolled back are ours to drop */
		for (size_t i = 0; i < c->ndisks; i++) {
			struct rhv_error ignored = { 0 };
			bool held;

			rhv_db_try_lock(db, "disk", c->disk_ids[i], false, &held, &ignored);
		}
	return rc;
}

/* ---- finishes ---- */

/* The snapshot's disks back to OK. */
static int release_disks(struct rhv_db *db, const char *snap_id, struct rhv_error *err)
{
	return rhv_db_exec(db,
			   "UPDATE disks SET status = 'OK', operation = NULL, updated_at = now() WHERE id IN"
			   " (SELECT disk_id FROM snapshot_disks WHERE snapshot_id = $1) AND operation = 'snapshot'",
			   RHV_PARAMS(snap_id), NULL, err);
}

static int snapshot_ok(struct rhv_db *db, const char *snap_id, const char *status, bool keep_new,
		       struct rhv_error *err)
{
	if (!keep_new &&
	    rhv_db_exec(db, "UPDATE snapshot_disks SET new_volume_id = NULL WHERE snapshot_id = $1", RHV_PARAMS(snap_id),
			NULL, err) < 0)
		return -1;
	/* a preview's wish that its memory be restored lasts through its commit; an undo or a failure drops it */
	return rhv_db_exec(db,
			   "UPDATE snapshots SET status = $2, operation = NULL, error = NULL, switching = false,"
			   " restore_memory = restore_memory AND ($2 = 'InPreview' OR operation = 'commit'),"
			   " updated_at = now() WHERE id = $1",
			   RHV_PARAMS(snap_id, status), NULL, err);
}

static int finish_created(struct rhv_db *db, const struct rhv_db_snap_finish *f, struct rhv_error *err)
{
	char memory_bytes[24];

	snprintf(memory_bytes, sizeof(memory_bytes), "%llu", (unsigned long long)f->memory_bytes);
	if (rhv_db_exec(db,
			"UPDATE disks k SET volume_id = d.new_volume_id, format = 'qcow2', allocation = 'sparse'"
			" FROM snapshot_disks d WHERE d.snapshot_id = $1 AND d.disk_id = k.id AND d.new_volume_id IS NOT NULL",
			RHV_PARAMS(f->snap_id), NULL, err) < 0 ||
	    rhv_db_exec(db,
			"UPDATE snapshots SET quiesced = $2::boolean,"
			" memory_bytes = CASE WHEN memory_image_id IS NULL THEN NULL ELSE $3::bigint END WHERE id = $1",
			RHV_PARAMS(f->snap_id, f->quiesced ? "true" : "false", memory_bytes), NULL, err) < 0 ||
	    release_disks(db, f->snap_id, err) < 0)
		return -1;
	return snapshot_ok(db, f->snap_id, "OK", false, err);
}

/*
 * The snapshot's NICs in place of the VM's, which are kept aside.  A NIC
 * whose profile is gone since is left out; one whose MAC another VM has
 * taken meanwhile stops the preview, unless the pool allows duplicates.
 */
static int preview_nics(struct rhv_db *db, const struct rhv_db_snap_finish *f, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"SELECT x.mac::text AS mac, v.name FROM snapshots s,"
			" jsonb_populate_recordset(NULL::vm_nics, s.nic_rows) r JOIN vm_nics x ON x.mac = r.mac"
			" JOIN vms v ON v.id = x.vm_id JOIN clusters c ON c.id = v.cluster_id"
			" JOIN mac_pools m ON m.dc_id = c.dc_id"
			" WHERE s.id = $1 AND x.vm_id <> s.vm_id AND NOT m.allow_duplicates LIMIT 1",
			RHV_PARAMS(f->snap_id), &r, err) < 0)
		return -1;
	if (PQntuples(r))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "the snapshot's NIC %s has since gone to VM '%s'",
				     rhv_pq_str(r, 0, "mac"), rhv_pq_str(r, 0, "name"));
	/* one statement each: a statement's parts see the same rows, and (vm_id, idx) must be free for the insert */
	if (rhv_db_exec(db,
			"UPDATE vms v SET preview_nics = (SELECT coalesce(jsonb_agg(to_jsonb(n) - 'vm_id' ORDER BY n.idx),"
			" '[]') FROM vm_nics n WHERE n.vm_id = v.id) FROM snapshots s"
			" WHERE s.id = $1 AND v.id = s.vm_id AND s.nic_rows IS NOT NULL",
			RHV_PARAMS(f->snap_id), NULL, err) < 0 ||
	    rhv_db_exec(db,
			"DELETE FROM vm_nics n USING snapshots s WHERE s.id = $1 AND n.vm_id = s.vm_id"
			" AND s.nic_rows IS NOT NULL",
			RHV_PARAMS(f->snap_id), NULL, err) < 0)
		return -1;
	return rhv_db_exec(db,
			   "INSERT INTO vm_nics (vm_id, idx, network, model, mac, profile_id)"
			   " SELECT s.vm_id, r.idx, r.network, r.model, r.mac, r.profile_id"
			   " FROM snapshots s, jsonb_populate_recordset(NULL::vm_nics, s.nic_rows) r"
			   " JOIN vnic_profiles p ON p.id = r.profile_id WHERE s.id = $1",
			   RHV_PARAMS(f->snap_id), NULL, err);
}

/* The NICs kept aside by the preview back (undo), or forgotten (commit). */
static int end_preview_nics(struct rhv_db *db, const char *vm_id, bool back, struct rhv_error *err)
{
	if (back &&
	    (rhv_db_exec(db, "DELETE FROM vm_nics n USING vms v WHERE v.id = $1 AND n.vm_id = v.id"
			 " AND v.preview_nics IS NOT NULL", RHV_PARAMS(vm_id), NULL, err) < 0 ||
	     rhv_db_exec(db,
			 "INSERT INTO vm_nics (vm_id, idx, network, model, mac, profile_id)"
			 " SELECT v.id, r.idx, r.network, r.model, r.mac, r.profile_id"
			 " FROM vms v, jsonb_populate_recordset(NULL::vm_nics, v.preview_nics) r WHERE v.id = $1",
			 RHV_PARAMS(vm_id), NULL, err) < 0))
		return -1;
	return rhv_db_exec(db, "UPDATE vms SET preview_nics = NULL WHERE id = $1", RHV_PARAMS(vm_id), NULL, err);
}

static int finish_previewed(struct rhv_db *db, const struct rhv_db_snap_finish *f, struct rhv_error *err)
{
	if (preview_nics(db, f, err) < 0)
		return -1;
	if (rhv_db_exec(db,
			"UPDATE disks k SET aside_volume_id = k.volume_id, volume_id = d.new_volume_id, format = 'qcow2',"
			" allocation = 'sparse' FROM snapshot_disks d"
			" WHERE d.snapshot_id = $1 AND d.disk_id = k.id AND d.new_volume_id IS NOT NULL",
			RHV_PARAMS(f->snap_id), NULL, err) < 0 ||
	    rhv_db_exec(db,
			"UPDATE vms v SET preview_memory = v.memory, preview_vcpus = v.vcpus, memory = s.memory,"
			" vcpus = s.vcpus, updated_at = now() FROM snapshots s WHERE s.id = $1 AND v.id = s.vm_id",
			RHV_PARAMS(f->snap_id), NULL, err) < 0 ||

	    release_disks(db, f->snap_id, err) < 0)
		return -1;
	return snapshot_ok(db, f->snap_id, "InPreview", true, err);
}

static int finish_committed(struct rhv_db *db, const struct rhv_db_snap_finish *f, struct rhv_error *err)
{
	if (rhv_db_exec(db,
			"UPDATE disks k SET aside_volume_id = NULL FROM snapshot_disks d"
			" WHERE d.snapshot_id = $1 AND d.disk_id = k.id",
			RHV_PARAMS(f->snap_id), NULL, err) < 0 ||
	    rhv_db_exec(db,
			"DELETE FROM snapshots t USING snapshots s WHERE s.id = $1 AND t.vm_id = s.vm_id AND t.id <> s.id"
			" AND (t.created_at, t.id) > (s.created_at, s.id)",
			RHV_PARAMS(f->snap_id), NULL, err) < 0 ||
	    rhv_db_exec(db, "UPDATE vms SET preview_memory = NULL, preview_vcpus = NULL WHERE id = $1",
			RHV_PARAMS(f->vm_id), NULL, err) < 0 ||
	    end_preview_nics(db, f->vm_id, false, err) < 0 ||
	    release_disks(db, f->snap_id, err) < 0)
		return -1;
	return snapshot_ok(db, f->snap_id, "OK", false, err);
}

static int finish_undone(struct rhv_db *db, const struct rhv_db_snap_finish *f, struct rhv_error *err)
{
	for (size_t i = 0; i < f->ndisks; i++)
		if (rhv_db_exec(db,
				"UPDATE disks SET volume_id = aside_volume_id, aside_volume_id = NULL, format = $2,"
				" allocation = $3 WHERE id = $1 AND aside_volume_id IS NOT NULL",
				RHV_PARAMS(f->disk_ids[i], f->formats[i], f->allocations[i]), NULL, err) < 0)
			return -1;
	if (end_preview_nics(db, f->vm_id, true, err) < 0)
		return -1;
	if (rhv_db_exec(db,
			"UPDATE vms SET memory = coalesce(preview_memory, memory), vcpus = coalesce(preview_vcpus, vcpus),"
			" preview_memory = NULL, preview_vcpus = NULL, updated_at = now() WHERE id = $1",
			RHV_PARAMS(f->vm_id), NULL, err) < 0 ||
	    release_disks(db, f->snap_id, err) < 0)
		return -1;
	return snapshot_ok(db, f->snap_id, "OK", false, err);
}

static int finish_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_db_snap_finish *f = arg;
	int rc = 0;

	switch (f->outcome) {
	case RHV_SNAP_CREATED:
		rc = finish_created(db, f, err);
		break;
	case RHV_SNAP_DROPPED:
		rc = release_disks(db, f->snap_id, err);
		if (rc == 0)
			rc = rhv_db_exec(db, "DELETE FROM snapshots WHERE id = $1", RHV_PARAMS(f->snap_id), NULL, err);
		break;
	case RHV_SNAP_RELEASED:
		rc = release_disks(db, f->snap_id, err);
		if (rc == 0)
			rc = snapshot_ok(db, f->snap_id, "OK", false, err);
		break;
	case RHV_SNAP_PREVIEWED:
		rc = finish_previewed(db, f, err);
		break;
	case RHV_SNAP_COMMITTED:
		rc = finish_committed(db, f, err);
		break;
	case RHV_SNAP_UNDONE:
		rc = finish_undone(db, f, err);
		break;
	}
	if (rc < 0 || !f->message)
		return rc;
	return rhv_event_add(db, (enum rhv_severity)f->severity, "vm", f->vm_id, f->vm, f->action, err, "%s",
			     f->message);
}

int rhv_db_snap_finish(struct rhv_db *db, const struct rhv_db_snap_finish *f, struct rhv_error *err)
{
	return rhv_db_txn(db, finish_txn, (void *)f, err);
}

int rhv_db_snap_switching(struct rhv_db *db, const char *snap_id, bool *was, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	/* was (may be NULL): read it only */
	if (was) {
		if (rhv_db_exec(db, "SELECT switching FROM snapshots WHERE id = $1", RHV_PARAMS(snap_id), &r, err) < 0)
			return -1;
		*was = PQntuples(r) && rhv_pq_bool(r, 0, "switching");
		return 0;
	}
	return rhv_db_exec(db, "UPDATE snapshots SET switching = true WHERE id = $1", RHV_PARAMS(snap_id), NULL, err);
}

int rhv_db_snap_note_error(struct rhv_db *db, const char *snap_id, const char *error, struct rhv_error *err)
{
	return rhv_db_exec(db, "UPDATE snapshots SET error = $2, updated_at = now() WHERE id = $1",
			   RHV_PARAMS(snap_id, error), NULL, err);
}

/* ---- memory ---- */

int rhv_db_snap_forget_memory(struct rhv_db *db, const char *snap_id, struct rhv_error *err)
{
	return rhv_db_exec(db,
			   "UPDATE snapshots SET memory_domain_id = NULL, memory_image_id = NULL, memory_volume_id = NULL,"
			   " memory_bytes = NULL, restore_memory = false, updated_at = now() WHERE id = $1",
			   RHV_PARAMS(snap_id), NULL, err);
}

void rhv_db_snap_restore_clear(struct rhv_db_snap_restore *r)
{
	free(r->root);
	memset(r, 0, sizeof(*r));
}

int rhv_db_snap_memory_to_restore(struct rhv_db *db, const char *vm_id, struct rhv_db_snap_restore *out,
				  struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db,
			"SELECT s.id, s.memory_image_id, s.memory_volume_id, d.path FROM snapshots s"
			" JOIN storage_domains d ON d.id = s.memory_domain_id"
			" WHERE s.vm_id = $1 AND s.restore_memory AND s.status IN ('InPreview', 'OK') AND d.path IS NOT NULL",
			RHV_PARAMS(vm_id), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return 0;
	out->found = true;
	copy_id(out->snap_id, r, 0, "id");
	copy_id(out->image_id, r, 0, "memory_image_id");
	copy_id(out->volume_id, r, 0, "memory_volume_id");
	out->root = rhv_pq_dup(r, 0, "path");
	return 0;
}

int rhv_db_snap_memory_restoring(struct rhv_db *db, const char *snap_id, struct rhv_error *err)
{
	return rhv_db_exec(db, "UPDATE snapshots SET restore_memory = false WHERE id = $1", RHV_PARAMS(snap_id), NULL,
			   err);
}

/* ---- merge jobs ---- */

int rhv_db_snap_jobs_of(struct rhv_db *db, const char *snap_id, struct rhv_db_snap_job **out, size_t *n,
			struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*out = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT j.disk_id, j.base_volume_id, j.top_volume_id, j.child_volume_id, j.live, j.phase"
			" FROM snapshot_jobs j JOIN disks k ON k.id = j.disk_id WHERE j.snapshot_id = $1 ORDER BY k.name",
			RHV_PARAMS(snap_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*out = rhv_xcalloc(*n + 1, sizeof(**out));
	for (int i = 0; i < PQntuples(r); i++) {
		struct rhv_db_snap_job *j = &(*out)[i];

		copy_id(j->disk_id, r, i, "disk_id");
		copy_id(j->base, r, i, "base_volume_id");
		copy_id(j->top, r, i, "top_volume_id");
		copy_id(j->child, r, i, "child_volume_id");
		j->live = rhv_pq_bool(r, i, "live");
		snprintf(j->phase, sizeof(j->phase), "%s", rhv_pq_str(r, i, "phase"));
	}
	return 0;
}

int rhv_db_snap_job_progress(struct rhv_db *db, const char *snap_id, const char *disk_id, const char *phase,
			     uint64_t done, uint64_t total, const char *error, struct rhv_error *err)
{
	char d[24], t[24];

	snprintf(d, sizeof(d), "%llu", (unsigned long long)done);
	snprintf(t, sizeof(t), "%llu", (unsigned long long)total);
	return rhv_db_exec(db,
			   "UPDATE snapshot_jobs SET phase = $3, done_bytes = $4::bigint, total_bytes = $5::bigint,"
			   " error = $6, updated_at = now() WHERE snapshot_id = $1 AND disk_id = $2",
			   RHV_PARAMS(snap_id, disk_id, phase, d, t, error), NULL, err);
}

struct job_done {
	const char *snap_id;
	const struct rhv_db_snap_job *j;
	const char *format, *allocation;
};

static int job_done_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct job_done *x = arg;
	const struct rhv_db_snap_job *j = x->j;

	if (rhv_db_exec(db, "DELETE FROM snapshot_jobs WHERE snapshot_id = $1 AND disk_id = $2",
			RHV_PARAMS(x->snap_id, j->disk_id), NULL, err) < 0 ||
	    rhv_db_exec(db,
			"UPDATE snapshot_disks SET volume_id = $3 WHERE disk_id = $1 AND volume_id = $2 AND snapshot_id <> $4",
			RHV_PARAMS(j->disk_id, j->top, j->base, x->snap_id), NULL, err) < 0)
		return -1;
	if (!j->child[0] && rhv_db_exec(db,
					"UPDATE disks SET volume_id = $2, format = $3, allocation = $4 WHERE id = $1"
					" AND volume_id = $5",
					RHV_PARAMS(j->disk_id, j->base, x->format, x->allocation, j->top), NULL, err) < 0)
		return -1;
	return 0;
}

int rhv_db_snap_job_done(struct rhv_db *db, const char *snap_id, const struct rhv_db_snap_job *j, const char *format,
			 const char *allocation, struct rhv_error *err)
{
	struct job_done x = { snap_id, j, format, allocation };

	return rhv_db_txn(db, job_done_txn, &x, err);
}

static void fill_job(const PGresult *r, int i, struct rhv_snap_job *j)
{
	memset(j, 0, sizeof(*j));
	copy_id(j->snapshot_id, r, i, "snapshot_id");
	copy_id(j->vm_id, r, i, "vm_id");
	j->vm = rhv_pq_dup(r, i, "vm");
	j->disk = rhv_pq_dup(r, i, "disk");
	j->description = rhv_pq_dup(r, i, "description");
	j->phase = rhv_pq_dup(r, i, "phase");
	j->live = rhv_pq_bool(r, i, "live");
	j->done = (uint64_t)rhv_pq_int(r, i, "done_bytes");
	j->total = (uint64_t)rhv_pq_int(r, i, "total_bytes");
	j->error = rhv_pq_dup(r, i, "error");
	j->started = rhv_pq_int(r, i, "started");
	j->updated = rhv_pq_int(r, i, "updated");
}

int rhv_db_snap_jobs(struct rhv_db *db, struct rhv_snap_job_list *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db,
			"SELECT j.snapshot_id, v.id AS vm_id, v.name AS vm, k.name AS disk, s.description, j.phase, j.live, j.done_bytes,"
			" j.total_bytes, j.error, extract(epoch FROM j.started_at)::bigint AS started,"
			" extract(epoch FROM j.updated_at)::bigint AS updated"
			" FROM snapshot_jobs j JOIN snapshots s ON s.id = j.snapshot_id JOIN vms v ON v.id = s.vm_id"
			" JOIN disks k ON k.id = j.disk_id ORDER BY j.started_at, v.name, k.name",
			RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, fill_job);
	return 0;
}

int rhv_db_snap_pending(struct rhv_db *db, const char *vm_id, struct rhv_db_snap_pending **out, size_t *n,
			struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*out = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT id, vm_id FROM snapshots WHERE status = 'Locked' AND ($1::uuid IS NULL OR vm_id = $1::uuid)"
			" ORDER BY created_at, id",
			RHV_PARAMS(vm_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*out = rhv_xcalloc(*n + 1, sizeof(**out));
	for (int i = 0; i < PQntuples(r); i++) {
		copy_id((*out)[i].snap_id, r, i, "id");
		copy_id((*out)[i].vm_id, r, i, "vm_id");
	}
	return 0;
}

int rhv_db_snap_busy(struct rhv_db *db, const char *vm_id, const char *vm, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT id, operation FROM snapshots WHERE vm_id = $1 AND status = 'Locked' LIMIT 1",
			RHV_PARAMS(vm_id), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return 0;
	rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' cannot migrate: snapshot %s is Locked by a %s", vm,
		      rhv_pq_str(r, 0, "id"), rhv_pq_str(r, 0, "operation"));
	rhv_error_hint(err, "wait for it (rhv-snap jobs), or settle it: rhv-snap resume %s", vm);
	return -1;
}
