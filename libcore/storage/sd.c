/*
 * Storage domain operations: create, attach, activate, maintenance,
 * detach, remove.  Storage first, store second: a crash in between leaves
 * the storage ahead of the store, which import and scrub can read back,
 * never a store row pointing at nothing.
 */
#include "rhv/common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "rhv/blockmodel.h"
#include "rhv/event.h"
#include "rhv/host.h"
#include "rhv/parse.h"
#include "rhv/progress.h"
#include "rhv/virt.h"
#include "rhv/settings.h"
#include "store/store-priv.h"
#include "storage/sd-priv.h"

static void record_probe(struct rhv_db *db, const char *host_id, const char *domain_id, bool ok, const char *why)
{
	struct rhv_error ignored = { 0 };

	rhv_db_exec(db,
		    "INSERT INTO host_domain_status (host_id, domain_id, reachable, error) VALUES ($1, $2, $3::boolean, $4)"
		    " ON CONFLICT (host_id, domain_id) DO UPDATE SET reachable = $3::boolean, error = $4, checked_at = now()",
		    RHV_PARAMS(host_id, domain_id, ok ? "true" : "false", why), NULL, &ignored);
}

int rhv_sd_probe_hosts(struct rhv_db *db, const char *domain_id, const char *path, const char *dc_id,
		   struct rhv_sd_probe *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_settings st;
	int timeout_s;

	memset(out, 0, sizeof(*out));
	if (rhv_settings_load(db, &st, err) < 0)
		return -1;
	timeout_s = (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS];
	if (rhv_db_exec(db,
			"SELECT h.id, h.name, h.uri FROM hosts h JOIN clusters c ON c.id = h.cluster_id"
			" WHERE c.dc_id = $1 AND h.state = 'Up' ORDER BY h.name",
			RHV_PARAMS(dc_id), &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *hid = rhv_pq_str(r, i, "id"), *hname = rhv_pq_str(r, i, "name");
		struct rhv_error e = { 0 };
		struct rhv_sd_meta m;
		struct rhv_virt_conn *c = rhv_virt_open(rhv_pq_str(r, i, "uri"), timeout_s * 1000, &e);
		bool ok = c && rhv_sdmeta_probe(c, hname, path, domain_id, &m, &e) == 0;

		if (c) {
			rhv_sdmeta_clear(&m);
			rhv_virt_close(c);
		}
		out->up_hosts++;
		out->ok += ok;
		if (!ok && !out->first_error[0])
			snprintf(out->first_error, sizeof(out->first_error), "%s", e.message);
		record_probe(db, hid, domain_id, ok, ok ? NULL : e.message);
	}
	return 0;
}

/* ---- create ---- */

static bool is_block(const char *kind)
{
	return kind && (!strcmp(kind, "iscsi") || !strcmp(kind, "fcp"));
}

static int check_int(const char *s, int64_t min, int64_t max, const char *what, struct rhv_error *err)
{
	int64_t v;

	return s ? rhv_parse_int(s, min, max, what, &v, err) : 0;
}

static int check_spec(const struct rhv_sd_spec *s, bool creating, struct rhv_error *err)
{
	if (rhv_check_name(s->name, creating ? RHV_SD_NAME_MAX : 1024, "storage domain name", err) < 0)
		return -1;
	if (s->description && rhv_check_text(s->description, RHV_DESCRIPTION_MAX, "description", err) < 0)
		return -1;
	if (check_int(s->warning_pct, 0, 100, "warning percentage", err) < 0 ||
	    check_int(s->critical_gib, 0, 1 << 20, "critical space (GiB)", err) < 0 ||
	    check_int(s->extend_chunk_mib, 128, 65536, "extension chunk (MiB)", err) < 0 ||
	    check_int(s->extend_threshold_pct, 1, 99, "extension threshold percentage", err) < 0)
		return -1;
	if (!creating)
		return 0;
	if (s->role && rhv_parse_enum(s->role, rhv_sd_roles, "storage domain role", err) < 0)
		return -1;
	if (!s->kind)
		return rhv_error_usage(err, "a storage domain needs a kind: --kind nfs|posixfs|glusterfs|local|iscsi|fcp");
	if (rhv_parse_enum(s->kind, rhv_sd_kinds, "storage domain kind", err) < 0)
		return -1;
	if (is_block(s->kind)) {
		if (s->path)
			return rhv_error_usage(err, "%s domains are made of LUNs (--lun), not a path", s->kind);
		if (!s->luns || !s->luns[0])
			return rhv_error_usage(err, "%s domains need at least one --lun WWID:SIZE", s->kind);
		if (s->role && strcmp(s->role, "data"))
			return rhv_error_usage(err, "%s domains can only be data domains (ISO and export domains are file domains)",
					       s->kind);
		return 0;
	}
	if (s->luns && s->luns[0])
		return rhv_error_usage(err, "--lun is for iscsi and fcp domains; %s domains are a path", s->kind);
	if (!s->path)
		return rhv_error_usage(err, "%s domains need --path DIR (mounted at the same path on every host)", s->kind);
	return rhv_check_domain_path(s->path, "path", RHV_EXIT_USAGE, err);
}

/* The LUN list "WWID:SIZE" checked against the block model (sizes, duplicates, 300 LUNs, reserved volumes). */
static int check_luns(const char *const *luns, struct rhv_block_lun_spec **out, size_t *n, struct rhv_error *err)
{
	struct rhv_block_domain model;
	size_t count = 0;
	int rc;

	while (luns[count])
		count++;
	*out = NULL;
	*n = 0;
	if (count > RHV_BLOCK_MAX_LUNS)
		return rhv_error_usage(err, "too many LUNs: %zu given, a domain takes at most %d", count,
				       RHV_BLOCK_MAX_LUNS);
	*out = rhv_xcalloc(count, sizeof(**out));
	*n = count;
	for (size_t i = 0; i < count; i++) {
		const char *colon = strrchr(luns[i], ':');
		char *id;

		if (!colon || colon == luns[i])
			return rhv_error_usage(err, "invalid LUN '%s': expected WWID:SIZE (e.g. 36001405abcdef:100G)",
					       luns[i]);
		id = rhv_xasprintf("%.*s", (int)(colon - luns[i]), luns[i]);
		(*out)[i].id = id;
		for (size_t j = 0; j < i; j++)
			if (!strcmp((*out)[j].id, id))
				return rhv_error_usage(err, "LUN '%s' is given twice", id);
		if (rhv_parse_size(colon + 1, "LUN size", &(*out)[i].size, err) < 0)
			return -1;
	}
	rc = rhv_block_init(&model, NULL, *out, count, err);
	rhv_block_clear(&model);
	return rc;
}

static void free_luns(struct rhv_block_lun_spec *l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		free((char *)l[i].id);
	free(l);
}

struct create {
	const struct rhv_sd_spec *s;
	char id[37];
	const struct rhv_block_lun_spec *luns;
	size_t nluns;
	uint64_t size, free_b;
	bool measured;
};

static int create_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct create *c = arg;
	const struct rhv_sd_spec *s = c->s;
	char size[24], free_b[24];

	snprintf(size, sizeof(size), "%llu", (unsigned long long)c->size);
	snprintf(free_b, sizeof(free_b), "%llu", (unsigned long long)c->free_b);
	if (rhv_db_exec(db,
			"INSERT INTO storage_domains (id, name, description, role, kind, path, size, free, checked_at,"
			" warning_pct, critical_gib, extend_chunk_mib, extend_threshold_pct)"
			" VALUES ($1, $2, coalesce($3, ''), coalesce($4, 'data'), $5, $6, $7::bigint, $8::bigint,"
			"  CASE WHEN $7 IS NULL THEN NULL ELSE now() END,"
			"  coalesce($9::int, 10), coalesce($10::int, 5), coalesce($11::int, 2560), coalesce($12::int, 20))",
			RHV_PARAMS(c->id, s->name, s->description, s->role, s->kind, s->path, c->measured ? size : NULL,
				   c->measured ? free_b : NULL, s->warning_pct, s->critical_gib, s->extend_chunk_mib,
				   s->extend_threshold_pct),
			NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT,
						 strstr(err->message, "path") ? "path '%s' is already a storage domain"
									      : "storage domain '%s' already exists",
						 strstr(err->message, "path") ? s->path : s->name);
		return -1;
	}
	for (size_t i = 0; i < c->nluns; i++) {
		char lsize[24];

		snprintf(lsize, sizeof(lsize), "%llu", (unsigned long long)c->luns[i].size);
		if (rhv_db_exec(db, "INSERT INTO storage_domain_luns (domain_id, lun_id, size) VALUES ($1, $2, $3::bigint)",
				RHV_PARAMS(c->id, c->luns[i].id, lsize), NULL, err) < 0) {
			if (rhv_db_error_is(err, "23505"))
				return rhv_error_replace(err, RHV_EXIT_CONFLICT, "LUN '%s' already belongs to a storage domain",
							 c->luns[i].id);
			return -1;
		}
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", c->id, s->name, "create", err,
			     "%s %s storage domain '%s' created", s->kind, s->role ? s->role : "data", s->name);
}

/* Undo a format whose store row could not be written: the domain must not linger on the storage. */
static void unformat(const char *path)
{
	_cleanup_free_ char *meta = rhv_xasprintf("%s/%s/%s", path, RHV_SDMETA_DIR, RHV_SDMETA_FILE);
	_cleanup_free_ char *dir = rhv_xasprintf("%s/%s", path, RHV_SDMETA_DIR);

	unlink(meta);
	rmdir(dir);
}

static int format_domain(const struct rhv_sd_spec *s, const char *id, struct rhv_error *err)
{
	struct rhv_sd_meta m = { 0 }, cur;
	struct stat st;
	int rc;

	if (stat(s->path, &st) < 0)
		return rhv_error_set(err, errno == ENOENT ? RHV_EXIT_USAGE : RHV_EXIT_UNAVAILABLE,
				     "cannot use path '%s': %s", s->path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return rhv_error_usage(err, "cannot use path '%s': not a directory", s->path);
	rc = rhv_sdmeta_read(s->path, &cur, err);
	rhv_sdmeta_clear(&cur);
	if (rc == 0 || err->code == RHV_EXIT_FAILED) {
		rhv_error_replace(err, RHV_EXIT_CONFLICT, "path '%s' already holds a storage domain", s->path);
		rhv_error_hint(err, "use 'rhv-sd import %s' to bring it back", s->path);
		return -1;
	}
	rhv_error_clear(err);
	m.version = RHV_SDMETA_VERSION;
	snprintf(m.id, sizeof(m.id), "%s", id);
	m.name = (char *)s->name;
	m.role = (char *)(s->role ? s->role : "data");
	m.kind = (char *)s->kind;
	return rhv_sdmeta_format(s->path, &m, err);
}

int rhv_sd_create(struct rhv_db *db, const struct rhv_sd_spec *spec, const struct rhv_progress *p,
		  struct rhv_error *err)
{
	struct create c = { .s = spec };
	struct rhv_block_lun_spec *luns = NULL;
	size_t nluns = 0;
	int rc = -1;

	if (check_spec(spec, true, err) < 0)
		return -1;
	rhv_uuid_new(c.id);
	if (is_block(spec->kind)) {
		struct rhv_block_domain model;
		struct rhv_block_totals tot;

		if (check_luns(spec->luns, &luns, &nluns, err) < 0)
			goto out;
		rhv_block_init(&model, NULL, luns, nluns, err);
		rhv_block_totals(&model, &tot);
		rhv_block_clear(&model);
		c.luns = luns;
		c.nluns = nluns;
		c.size = tot.size;
		c.free_b = tot.free;
		c.measured = true;
		rc = rhv_db_txn(db, create_txn, &c, err);
		goto out;
	}
	{
		_cleanup_pgresult_ PGresult *r = NULL;

		/* cheap checks first, so a taken name or path does not touch the storage */
		if (rhv_db_exec(db, "SELECT name, name = $1 AS same_name FROM storage_domains WHERE name = $1 OR path = $2",
				RHV_PARAMS(spec->name, spec->path), &r, err) < 0)
			goto out;
		if (PQntuples(r)) {
			if (rhv_pq_bool(r, 0, "same_name"))
				rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' already exists", spec->name);
			else
				rhv_error_set(err, RHV_EXIT_CONFLICT, "path '%s' is already storage domain '%s'", spec->path,
					      rhv_pq_str(r, 0, "name"));
			goto out;
		}
	}
	if (format_domain(spec, c.id, err) < 0)
		goto out;
	{
		struct statvfs vfs;

		if (statvfs(spec->path, &vfs) == 0) {
			c.size = (uint64_t)vfs.f_blocks * vfs.f_frsize;
			c.free_b = (uint64_t)vfs.f_bavail * vfs.f_frsize;
			c.measured = true;
		}
	}
	rc = rhv_db_txn(db, create_txn, &c, err);
	if (rc < 0)
		unformat(spec->path);
out:
	free_luns(luns, nluns);
	if (rc == 0 && spec->dc)
		rc = rhv_sd_attach(db, spec->name, spec->dc, p, err);
	return rc;
}

static int edit_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_sd_spec *s = arg;
	struct rhv_sd_ref ref;
	int rc = -1;

	if (rhv_db_sd_ref_get(db, s->name, NULL, false, true, &ref, err) < 0)
		goto out;
	if (rhv_db_exec(db,
			"UPDATE storage_domains SET description = coalesce($2, description),"
			" warning_pct = coalesce($3::int, warning_pct), critical_gib = coalesce($4::int, critical_gib),"
			" extend_chunk_mib = coalesce($5::int, extend_chunk_mib),"
			" extend_threshold_pct = coalesce($6::int, extend_threshold_pct), updated_at = now() WHERE id = $1",
			RHV_PARAMS(ref.id, s->description, s->warning_pct, s->critical_gib, s->extend_chunk_mib,
				   s->extend_threshold_pct),
			NULL, err) < 0)
		goto out;
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", ref.id, ref.name, "edit", err,
			   "storage domain '%s' updated", ref.name);
out:
	rhv_sd_ref_clear(&ref);
	return rc;
}

int rhv_sd_edit(struct rhv_db *db, const struct rhv_sd_spec *spec, struct rhv_error *err)
{
	if (check_spec(spec, false, err) < 0)
		return -1;
	if (!spec->description && !spec->warning_pct && !spec->critical_gib && !spec->extend_chunk_mib &&
	    !spec->extend_threshold_pct)
		return rhv_error_usage(err, "nothing to change: give at least one option");
	return rhv_db_txn(db, edit_txn, (void *)spec, err);
}

/* ---- attach, activate ---- */

struct attach {
	const char *name, *dc;
	struct rhv_sd_ref ref;
	char dc_name[256];
};

static int attach_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct attach *a = arg;
	_cleanup_pgresult_ PGresult *d = NULL;

	rhv_sd_ref_clear(&a->ref);
	if (rhv_db_sd_ref_get(db, a->name, a->dc, false, true, &a->ref, err) < 0)
		return -1;
	if (rhv_db_get_by_name(db, "SELECT d.id, d.name, d.storage_type FROM data_centers d", "d",
			       "data_centers", true, "data center", a->dc, &d, err) < 0)
		return -1;
	snprintf(a->dc_name, sizeof(a->dc_name), "%s", rhv_pq_str(d, 0, "name"));
	if (a->ref.status)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is already attached to data center '%s'",
				     a->ref.name, a->dc_name);
	if (!strcmp(rhv_pq_str(d, 0, "storage_type"), "local") != !strcmp(a->ref.kind, "local"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "%s domains cannot be attached to data center '%s', whose storage type is %s",
				     a->ref.kind, a->dc_name, rhv_pq_str(d, 0, "storage_type"));
	if (rhv_db_exec(db, "INSERT INTO storage_domain_dc (domain_id, dc_id, role) VALUES ($1, $2, $3)",
			RHV_PARAMS(a->ref.id, a->ref.dc_id, a->ref.role), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT,
						 "data domain '%s' already belongs to another data center", a->ref.name);
		return -1;
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", a->ref.id, a->ref.name, "attach", err,
			     "storage domain '%s' attached to data center '%s'", a->ref.name, a->dc_name);
}

static int set_dc_id(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	(void)err;
	snprintf(m->dc_id, sizeof(m->dc_id), "%s", (const char *)arg);
	return 0;
}

static int detach_row(struct rhv_db *db, const char *domain_id, const char *dc_id, struct rhv_error *err)
{
	return rhv_db_exec(db, "DELETE FROM storage_domain_dc WHERE domain_id = $1 AND dc_id = $2",
			   RHV_PARAMS(domain_id, dc_id), NULL, err);
}

static bool has_master(struct rhv_db *db, const char *dc_id)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_error ignored = { 0 };

	return rhv_db_exec(db, "SELECT 1 FROM storage_domain_dc WHERE dc_id = $1 AND is_master", RHV_PARAMS(dc_id), &r,
			   &ignored) == 0 &&
	       PQntuples(r) > 0;
}

int rhv_sd_attach(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		  struct rhv_error *err)
{
	struct attach a = { .name = name, .dc = dc };
	int rc = -1;

	if (!dc)
		return rhv_error_usage(err, "attach needs --dc DC");
	if (rhv_db_txn(db, attach_txn, &a, err) < 0)
		goto out;
	if (!strcmp(a.ref.role, "data") && !has_master(db, a.ref.dc_id) && a.ref.path) {
		/* the data center's first data domain: it becomes master, active, and the SPM is elected on it */
		rhv_progress_note(p, "'%s' is the first data domain of '%s': activating it as master", a.ref.name,
				  a.dc_name);
		if (rhv_sd_activate(db, a.ref.name, a.ref.dc_id, p, err) < 0) {
			struct rhv_error ignored = { 0 };

			detach_row(db, a.ref.id, a.ref.dc_id, &ignored);
			rhv_event_add(db, RHV_SEV_WARNING, "storage_domain", a.ref.id, a.ref.name, "attach", &ignored,
				      "attaching storage domain '%s' to '%s' undone: %s", a.ref.name, a.dc_name,
				      err->message);
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (strcmp(a.ref.role, "iso") && a.ref.path && has_master(db, a.ref.dc_id)) {
		struct rhv_spm_token tok;

		/* the metadata records its data center, written by that data center's SPM */
		if (rhv_spm_token(db, a.ref.dc_id, p, &tok, err) < 0 ||
		    rhv_sd_meta_update(&tok, a.ref.path, set_dc_id, a.ref.dc_id, err) < 0) {
			struct rhv_error ignored = { 0 };

			detach_row(db, a.ref.id, a.ref.dc_id, &ignored);
			goto out;
		}
	}
	rc = 0;
out:
	rhv_sd_ref_clear(&a.ref);
	return rc;
}

struct activate {
	struct rhv_sd_ref *ref;
	bool make_master;
};

static int activate_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct activate *a = arg;
	_cleanup_pgresult_ PGresult *r = NULL;

	/* lock the data center: two activations must not both become master */
	if (rhv_db_exec(db, "SELECT 1 FROM data_centers WHERE id = $1 FOR UPDATE", RHV_PARAMS(a->ref->dc_id), NULL,
			err) < 0 ||
	    rhv_db_exec(db, "SELECT 1 FROM storage_domain_dc WHERE dc_id = $1 AND is_master AND domain_id <> $2",
			RHV_PARAMS(a->ref->dc_id, a->ref->id), &r, err) < 0)
		return -1;
	a->make_master = !strcmp(a->ref->role, "data") && PQntuples(r) == 0;
	if (rhv_db_exec(db,
			"UPDATE storage_domain_dc SET status = 'Active', status_reason = NULL, status_since = now(),"
			" is_master = is_master OR $3::boolean WHERE domain_id = $1 AND dc_id = $2",
			RHV_PARAMS(a->ref->id, a->ref->dc_id, a->make_master ? "true" : "false"), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT,
						 "export domain '%s' is already active in another data center", a->ref->name);
		return -1;
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", a->ref->id, a->ref->name, "activate", err,
			     "storage domain '%s' activated in data center '%s'%s", a->ref->name, a->ref->dc,
			     a->make_master ? " as master" : "");
}

int rhv_sd_activate(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		    struct rhv_error *err)
{
	struct rhv_sd_ref ref;
	struct rhv_sd_probe probe;
	struct activate a = { &ref, false };
	int rc = -1;

	if (rhv_db_sd_ref_get(db, name, dc, true, false, &ref, err) < 0)
		goto out;
	if (!ref.path) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "%s domain '%s' cannot be activated here: block domains are modeled only (no device-mapper)",
			      ref.kind, ref.name);
		goto out;
	}
	if (!strcmp(ref.status, RHV_SD_ACTIVE)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is already Active in data center '%s'",
			      ref.name, ref.dc);
		goto out;
	}
	if (rhv_sd_probe_hosts(db, ref.id, ref.path, ref.dc_id, &probe, err) < 0)
		goto out;
	if (probe.up_hosts == 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot activate storage domain '%s': data center '%s' has no Up host",
			      ref.name, ref.dc);
		goto out;
	}
	if (probe.ok < probe.up_hosts) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot activate storage domain '%s': %d of %d Up hosts cannot read it",
			      ref.name, probe.up_hosts - probe.ok, probe.up_hosts);
		rhv_error_detail(err, "%s", probe.first_error);
		goto out;
	}
	if (rhv_db_txn(db, activate_txn, &a, err) < 0)
		goto out;
	rhv_progress_note(p, "storage domain '%s' is Active in '%s'%s", ref.name, ref.dc, a.make_master ? " (master)" : "");
	if (a.make_master) {
		struct rhv_spm_token tok;

		/* elects the SPM on the new master (formatting its lease), then records the data center */
		if (rhv_spm_token(db, ref.dc_id, p, &tok, err) < 0 ||
		    rhv_sd_meta_update(&tok, ref.path, set_dc_id, ref.dc_id, err) < 0) {
			struct rhv_error ignored = { 0 };

			rhv_db_exec(db,
				    "UPDATE storage_domain_dc SET status = 'Maintenance', is_master = false,"
				    " status_reason = $3 WHERE domain_id = $1 AND dc_id = $2",
				    RHV_PARAMS(ref.id, ref.dc_id, err->message), NULL, &ignored);
			goto out;
		}
	}
	rc = 0;
out:
	rhv_sd_ref_clear(&ref);
	return rc;
}
