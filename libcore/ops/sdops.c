/*
 * Storage domain operations: create, edit, attach, activate.  Storage
 * first, store second: a crash in between leaves the storage ahead of the
 * store, which import and scrub can read back, never a store row pointing
 * at nothing.  Maintenance, detach and remove are in sdmaint.c.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/blockmodel.h"
#include "rhv/event.h"
#include "rhv/parse.h"
#include "rhv/progress.h"
#include "store/txn.h"
#include "storage/sd-priv.h"

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

static int create_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	return rhv_db_sd_insert(db, arg, err);
}

int rhv_sd_create(struct rhv_db *db, const struct rhv_sd_spec *spec, const struct rhv_progress *p,
		  struct rhv_error *err)
{
	char id[37];
	struct rhv_db_sd_new c = { .spec = spec, .id = id };
	struct rhv_block_lun_spec *luns = NULL;
	size_t nluns = 0;
	int rc = -1;

	if (check_spec(spec, true, err) < 0)
		return -1;
	rhv_uuid_new(id);
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
	/* cheap checks first, so a taken name or path does not touch the storage */
	if (rhv_db_sd_check_new(db, spec->name, spec->path, err) < 0 || rhv_sd_format(spec, id, err) < 0)
		goto out;
	c.measured = rhv_sd_statvfs(spec->path, &c.size, &c.free_b) == 0;
	rc = rhv_db_txn(db, create_txn, &c, err);
	if (rc < 0)
		rhv_sd_unformat(spec->path);
out:
	free_luns(luns, nluns);
	if (rc == 0 && spec->dc)
		rc = rhv_sd_attach(db, spec->name, spec->dc, p, err);
	return rc;
}

static int edit_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	return rhv_db_sd_update(db, arg, err);
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

static int attach_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	return rhv_db_sd_attach(db, arg, err);
}

static int set_dc_id(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	(void)err;
	snprintf(m->dc_id, sizeof(m->dc_id), "%s", (const char *)arg);
	return 0;
}

static bool has_master(struct rhv_db *db, const char *dc_id)
{
	struct rhv_error ignored = { 0 };
	bool has;

	return rhv_db_sd_has_master(db, dc_id, &has, &ignored) == 0 && has;
}

int rhv_sd_attach(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		  struct rhv_error *err)
{
	struct rhv_db_sd_attach a = { .name = name, .dc = dc };
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

			rhv_db_sd_detach_row(db, a.ref.id, a.ref.dc_id, &ignored);
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

			rhv_db_sd_detach_row(db, a.ref.id, a.ref.dc_id, &ignored);
			goto out;
		}
	}
	rc = 0;
out:
	rhv_sd_ref_clear(&a.ref);
	return rc;
}

struct activate {
	const struct rhv_sd_ref *ref;
	bool *make_master;
};

static int activate_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct activate *a = arg;

	return rhv_db_sd_activate(db, a->ref, a->make_master, err);
}

int rhv_sd_activate(struct rhv_db *db, const char *name, const char *dc, const struct rhv_progress *p,
		    struct rhv_error *err)
{
	struct rhv_sd_ref ref;
	struct rhv_sd_probe probe;
	bool make_master = false;
	struct activate act = { &ref, &make_master };
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
	if (rhv_db_txn(db, activate_txn, &act, err) < 0)
		goto out;
	rhv_progress_note(p, "storage domain '%s' is Active in '%s'%s", ref.name, ref.dc, make_master ? " (master)" : "");
	if (make_master) {
		struct rhv_spm_token tok;

		/* elects the SPM on the new master (formatting its lease), then records the data center */
		if (rhv_spm_token(db, ref.dc_id, p, &tok, err) < 0 ||
		    rhv_sd_meta_update(&tok, ref.path, set_dc_id, ref.dc_id, err) < 0) {
			struct rhv_error ignored = { 0 };

			rhv_db_sd_activate_undo(db, &ref, err->message, &ignored);
			goto out;
		}
	}
	rc = 0;
out:
	rhv_sd_ref_clear(&ref);
	return rc;
}
