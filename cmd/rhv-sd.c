/* rhv-sd: storage domains, their data centers, and the Storage Pool Manager. */
#include "rhv/common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/cli.h"
#include "rhv/dc.h"
#include "rhv/disk.h"
#include "rhv/host.h"
#include "rhv/names.h"
#include "rhv/parse.h"
#include "rhv/sd.h"
#include "rhv/spmops.h"
#include "rhv/store-session.h"

static struct {
	char *kind, *role, *path, *dc, *description, *warning_pct, *critical_gib, *extend_chunk_mib,
		*extend_threshold_pct, *domain, *name, *priority;
	const char **luns;
	int dry_run, force;
} opt;

/* ---- domains: list and show ---- */

enum { S_NAME, S_ID, S_ROLE, S_KIND, S_STATUS, S_REASON, S_DC, S_MASTER, S_SIZE, S_FREE, S_COMMITTED,
       S_ALLOCATED, S_OVERCOMMIT, S_DISKS, S_LUNS, S_PATH, S_HOSTS_OK, S_HOSTS_CHECKED, S_CHECKED, S_WARNING_PCT,
       S_CRITICAL_GIB, S_CHUNK_MIB, S_THRESHOLD_PCT, S_DESCRIPTION, S_CREATED, S_NOTE };

/* show has one column more than list, the note: the same array, list stops before it */
static const struct rhv_column sd_columns[] = {
	[S_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "storage domain name" },
	[S_ID] = { "id", "ID", RHV_COL_UUID, 0, "unique id (also in its metadata)" },
	[S_ROLE] = { "role", "ROLE", RHV_COL_STR, RHV_COL_DEFAULT, "data, iso or export" },
	[S_KIND] = { "kind", "KIND", RHV_COL_STR, RHV_COL_DEFAULT, "nfs, posixfs, glusterfs, local, iscsi or fcp" },
	[S_STATUS] = { "status", "STATUS", RHV_COL_STR, RHV_COL_DEFAULT,
		       "Unattached, or its status in each data center (Active, Maintenance, Inactive, Locked)" },
	[S_REASON] = { "reason", "REASON", RHV_COL_STR, 0, "why it is in its status, per data center" },
	[S_DC] = { "dc", "DC", RHV_COL_STR, RHV_COL_DEFAULT, "data centers it is attached to, comma-separated" },
	[S_MASTER] = { "master", "MASTER", RHV_COL_BOOL, RHV_COL_DEFAULT, "master domain of its data center" },
	[S_SIZE] = { "size", "SIZE", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT, "total space" },
	[S_FREE] = { "free", "FREE", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT, "free space" },
	[S_COMMITTED] = { "committed", "COMMITTED", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT,
			  "virtual size of its disks" },
	[S_ALLOCATED] = { "allocated", "ALLOCATED", RHV_COL_BYTES, RHV_COL_RIGHT, "space its disks take" },
	[S_OVERCOMMIT] = { "overcommit", "OVERCOMMIT", RHV_COL_FLOAT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
			   "committed / size, 2 decimals" },
	[S_DISKS] = { "disks", "DISKS", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "disks on it" },
	[S_LUNS] = { "luns", "LUNS", RHV_COL_INT, RHV_COL_RIGHT, "LUNs of a block domain" },
	[S_PATH] = { "path", "PATH", RHV_COL_STR, 0, "directory of a file domain, the same on every host" },
	[S_HOSTS_OK] = { "hosts_ok", "HOSTS OK", RHV_COL_INT, RHV_COL_RIGHT,
			 "hosts that could read its metadata at the last look" },
	[S_HOSTS_CHECKED] = { "hosts_checked", "HOSTS CHECKED", RHV_COL_INT, RHV_COL_RIGHT,
			      "hosts that tried at the last look" },
	[S_CHECKED] = { "checked", "CHECKED", RHV_COL_TIME, 0, "when its space was last measured" },
	[S_WARNING_PCT] = { "warning_pct", "WARN%", RHV_COL_INT, RHV_COL_RIGHT, "low-space warning, % free" },
	[S_CRITICAL_GIB] = { "critical_gib", "CRITICAL GIB", RHV_COL_INT, RHV_COL_RIGHT,
			     "critical free space, GiB: ALERT, no new disks" },
	[S_CHUNK_MIB] = { "extend_chunk_mib", "CHUNK MIB", RHV_COL_INT, RHV_COL_RIGHT,
			  "thin volume extension chunk, MiB (block)" },
	[S_THRESHOLD_PCT] = { "extend_threshold_pct", "EXTEND%", RHV_COL_INT, RHV_COL_RIGHT,
			      "extend when free in the volume falls below this % of a chunk (block)" },
	[S_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, 0, "free text" },
	[S_CREATED] = { "created", "CREATED", RHV_COL_TIME, 0, "when it was created" },
	[S_NOTE] = { "note", "NOTE", RHV_COL_STR, RHV_COL_DEFAULT, "what this machine cannot do with it" },
};

#define BLOCK_NOTE "block domain: modeled only, not activated on this machine (no device-mapper)"

static void add_sd_row(struct rhv_table *t, const void *item, bool show)
{
	const struct rhv_sd *sd = item;
	_cleanup_free_ char *status = rhv_sd_status_text(sd);
	_cleanup_free_ char *dcs = NULL, *reasons = NULL;
	bool master = false;

	for (size_t i = 0; i < sd->natt; i++) {
		rhv_xappendf(&dcs, ",", "%s", sd->att[i].dc);
		if (sd->att[i].reason && *sd->att[i].reason)
			rhv_xappendf(&reasons, "; ", "%s%s%s", sd->natt > 1 ? sd->att[i].dc : "",
				     sd->natt > 1 ? ": " : "", sd->att[i].reason);
		master |= sd->att[i].master;
	}
	rhv_table_add_row(t);
	rhv_cell_str(t, S_NAME, sd->name);
	rhv_cell_str(t, S_ID, sd->id);
	rhv_cell_str(t, S_ROLE, sd->role);
	rhv_cell_str(t, S_KIND, sd->kind);
	rhv_cell_str(t, S_STATUS, status);
	rhv_cell_str(t, S_REASON, reasons);
	rhv_cell_str(t, S_DC, dcs);
	rhv_cell_bool(t, S_MASTER, master);
	if (sd->has_space) {
		rhv_cell_bytes(t, S_SIZE, sd->size);
		rhv_cell_bytes(t, S_FREE, sd->free);
		if (sd->size)
			rhv_cell_float(t, S_OVERCOMMIT, round(rhv_sd_overcommit(sd) * 100.0) / 100.0);
	}
	rhv_cell_bytes(t, S_COMMITTED, sd->committed);
	rhv_cell_bytes(t, S_ALLOCATED, sd->allocated);
	rhv_cell_int(t, S_DISKS, sd->disks);
	if (sd->block)
		rhv_cell_int(t, S_LUNS, sd->luns);
	rhv_cell_str(t, S_PATH, sd->path);
	if (sd->hosts_checked) {
		rhv_cell_int(t, S_HOSTS_OK, sd->hosts_ok);
		rhv_cell_int(t, S_HOSTS_CHECKED, sd->hosts_checked);
	}
	if (sd->checked)
		rhv_cell_time(t, S_CHECKED, sd->checked);
	rhv_cell_int(t, S_WARNING_PCT, sd->warning_pct);
	rhv_cell_int(t, S_CRITICAL_GIB, sd->critical_gib);
	rhv_cell_int(t, S_CHUNK_MIB, sd->extend_chunk_mib);
	rhv_cell_int(t, S_THRESHOLD_PCT, sd->extend_threshold_pct);
	rhv_cell_str(t, S_DESCRIPTION, sd->description && *sd->description ? sd->description : NULL);
	rhv_cell_time(t, S_CREATED, sd->created);
	if (show)
		rhv_cell_str(t, S_NOTE, sd->block ? BLOCK_NOTE : NULL);
}

static const struct rhv_rows rows = { "storage_domains", "storage_domain", sizeof(struct rhv_sd), add_sd_row };

static int check_dc_opt(struct rhv_error *err)
{
	return opt.dc ? rhv_check_name(opt.dc, 1024, "data center name", err) : 0;
}

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_sd_list l;
	int rc;

	if (check_dc_opt(err) < 0 || rhv_sd_list(ctx->db, opt.dc, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &rows, l.items, l.n, err);
	rhv_sd_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_sd sd;
	int rc;

	if (rhv_check_name(ctx->argv[0], 1024, "storage domain name", err) < 0 ||
	    rhv_sd_get(ctx->db, ctx->argv[0], &sd, err) < 0)
		return -1;
	rc = rhv_ctx_print_item(ctx, &rows, &sd, err);
	rhv_sd_clear(&sd);
	return rc;
}

/* ---- domains: changes ---- */

static struct rhv_sd_spec spec_from_opts(struct rhv_ctx *ctx)
{
	return (struct rhv_sd_spec){
		.name = ctx->argv[0],
		.description = opt.description,
		.role = opt.role,
		.kind = opt.kind,
		.path = opt.path,
		.luns = opt.luns,
		.warning_pct = opt.warning_pct,
		.critical_gib = opt.critical_gib,
		.extend_chunk_mib = opt.extend_chunk_mib,
		.extend_threshold_pct = opt.extend_threshold_pct,
	};
}

static int cmd_create(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_sd_spec s = spec_from_opts(ctx);

	/* an unknown data center must not leave a domain behind */
	if (opt.dc) {
		struct rhv_dc dc;

		if (check_dc_opt(err) < 0 || rhv_dc_get(ctx->db, opt.dc, &dc, err) < 0)
			return -1;
		rhv_dc_clear(&dc);
	}
	/* attached apart, so that a refused attachment still says the domain exists */
	if (rhv_sd_create(ctx->db, &s, rhv_ctx_progress(ctx), err) < 0)
		return -1;
	rhv_info(ctx, "storage domain '%s' created", s.name);
	if (!opt.dc)
		return 0;
	if (rhv_sd_attach(ctx->db, s.name, opt.dc, rhv_ctx_progress(ctx), err) < 0)
		return -1;
	rhv_info(ctx, "storage domain '%s' attached to data center '%s'", s.name, opt.dc);
	return 0;
}

static int cmd_edit(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_sd_spec s = spec_from_opts(ctx);

	if (rhv_sd_edit(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "storage domain '%s' updated", s.name);
	return 0;
}

static int cmd_attach(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (check_dc_opt(err) < 0 || rhv_sd_attach(ctx->db, ctx->argv[0], opt.dc, rhv_ctx_progress(ctx), err) < 0)
		return -1;
	rhv_info(ctx, "storage domain '%s' attached to data center '%s'", ctx->argv[0], opt.dc);
	return 0;
}

/* activate, maintenance and detach say what they did through the progress sink */
static int cmd_activate(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return check_dc_opt(err) < 0 ? -1 : rhv_sd_activate(ctx->db, ctx->argv[0], opt.dc, rhv_ctx_progress(ctx), err);
}

static int cmd_maintenance(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return check_dc_opt(err) < 0 ? -1
				     : rhv_sd_maintenance(ctx->db, ctx->argv[0], opt.dc, rhv_ctx_progress(ctx), err);
}

static int cmd_detach(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return check_dc_opt(err) < 0 ? -1 : rhv_sd_detach(ctx->db, ctx->argv[0], opt.dc, rhv_ctx_progress(ctx), err);
}

static int cmd_remove(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_sd_remove(ctx->db, ctx->argv[0], opt.force, err) < 0)
		return -1;
	rhv_info(ctx, "storage domain '%s' %s from the store; its storage is left as it is", ctx->argv[0],
		 opt.force ? "destroyed" : "removed");
	return 0;
}

static int cmd_import(struct rhv_ctx *ctx, struct rhv_error *err)
{
	char name[256] = "";

	/* import notes "storage domain 'X' imported with N disks" itself */
	if (check_dc_opt(err) < 0 ||
	    rhv_sd_import(ctx->db, ctx->argv[0], opt.dc, rhv_ctx_progress(ctx), name, sizeof(name), err) < 0)
		return -1;
	if (opt.dc)
		rhv_info(ctx, "storage domain '%s' attached to data center '%s'", name, opt.dc);
	return 0;
}

static int cmd_recover(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_batch b = { 0 };
	size_t failed;

	if (check_dc_opt(err) < 0)
		return -1;
	if (rhv_sd_recover(ctx->db, opt.dc, rhv_ctx_progress(ctx), &b, err) < 0) {
		rhv_batch_clear(&b);
		return -1;
	}
	if (b.n == 0)
		rhv_info(ctx, "no Inactive storage domains");
	failed = rhv_batch_failed(&b);
	for (size_t i = 0; i < b.n; i++)
		if (b.items[i].code != RHV_EXIT_OK)
			rhv_warn(ctx, "storage domain '%s' stays Inactive: %s", b.items[i].object, b.items[i].message);
	if (failed)
		rhv_error_set(err, RHV_EXIT_PARTIAL, "%zu of %zu Inactive storage domains could not be recovered", failed,
			      b.n);
	rhv_batch_clear(&b);
	return failed ? -1 : 0;
}

/* ---- scrub ---- */

enum { X_WHAT, X_OBJECT, X_ACTION, X_REASON };

static const struct rhv_column scrub_columns[] = {
	[X_WHAT] = { "what", "WHAT", RHV_COL_STR, RHV_COL_DEFAULT, "file, metadata or disk" },
	[X_OBJECT] = { "object", "OBJECT", RHV_COL_STR, RHV_COL_DEFAULT,
		       "path under the domain's root, or disk name" },
	[X_ACTION] = { "action", "ACTION", RHV_COL_STR, RHV_COL_DEFAULT, "removed, not removed, rolled back, completed, marked Illegal, kept; 'would ...' with --dry-run" },
	[X_REASON] = { "reason", "REASON", RHV_COL_STR, RHV_COL_DEFAULT, "why" },
};

static int cmd_scrub(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_scrub_report r = { 0 };
	struct rhv_table *t;
	int rc;

	if (rhv_sd_scrub(ctx->db, ctx->argv[0], opt.dry_run, rhv_ctx_progress(ctx), &r, err) < 0) {
		rhv_scrub_report_clear(&r);
		return -1;
	}
	t = rhv_ctx_table(ctx, "items", "item");
	for (size_t i = 0; i < r.n; i++) {
		rhv_table_add_row(t);
		rhv_cell_str(t, X_WHAT, r.items[i].what);
		rhv_cell_str(t, X_OBJECT, r.items[i].object);
		rhv_cell_str(t, X_ACTION, r.items[i].action);
		rhv_cell_str(t, X_REASON, r.items[i].reason);
	}
	rc = rhv_ctx_print_list(ctx, t, err);
	if (rc == 0 && r.n == 0)
		rhv_info(ctx, "storage domain '%s': nothing to scrub", ctx->argv[0]);
	if (rc == 0 && r.failed)
		rc = rhv_error_set(err, RHV_EXIT_PARTIAL, "storage domain '%s': %zu of %zu could not be removed",
				   ctx->argv[0], r.failed, r.n);
	rhv_table_free(t);
	rhv_scrub_report_clear(&r);
	return rc;
}

/* ---- the SPM ---- */

enum { P_DC, P_SPM, P_GENERATION, P_MASTER, P_STATE, P_HOLDER, P_LEASE_GEN, P_RENEWED, P_EXPIRES, P_TAKEOVER,
       P_FAILED };

static const struct rhv_column spm_columns[] = {
	[P_DC] = { "dc", "DC", RHV_COL_STR, RHV_COL_DEFAULT, "data center" },
	[P_SPM] = { "spm", "SPM", RHV_COL_STR, RHV_COL_DEFAULT, "its SPM host as the store records it" },
	[P_GENERATION] = { "generation", "GEN", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
			   "the store's mirror of the lease generation" },
	[P_MASTER] = { "master", "MASTER", RHV_COL_STR, RHV_COL_DEFAULT, "master storage domain, holding the lease" },
	[P_STATE] = { "state", "LEASE STATE", RHV_COL_STR, RHV_COL_DEFAULT,
		      "live, expired, dead, free, none, or unreadable: why" },
	[P_HOLDER] = { "lease_holder", "HOLDER", RHV_COL_STR, RHV_COL_DEFAULT, "host the lease names" },
	[P_LEASE_GEN] = { "lease_generation", "LEASE GEN", RHV_COL_INT, RHV_COL_RIGHT,
			  "generation written in the lease" },
	[P_RENEWED] = { "renewed", "RENEWED", RHV_COL_TIME, RHV_COL_DEFAULT, "the holder's last renewal" },
	[P_EXPIRES] = { "expires", "EXPIRES", RHV_COL_TIME, 0, "when the holder must stop acting as SPM" },
	[P_TAKEOVER] = { "takeover_from", "TAKEOVER FROM", RHV_COL_TIME, 0,
			 "when another host may take the lease without confirm-down" },
	[P_FAILED] = { "failed", "FAILED", RHV_COL_STR, 0, "hosts that failed the role in the last election" },
};

static void add_spm_row(struct rhv_table *t, const struct rhv_spm_status *s)
{
	_cleanup_free_ char *state = NULL;

	if (!s->master)
		state = rhv_xstrdup("none");
	else if (!s->lease_read)
		state = rhv_xasprintf("unreadable: %s", s->lease_error ? s->lease_error : "unknown error");
	else if (!s->lease_holder)
		state = rhv_xstrdup("free");
	else
		state = rhv_xstrdup(s->dead ? "dead" : s->expired ? "expired" : "live");
	rhv_table_add_row(t);
	rhv_cell_str(t, P_DC, s->dc);
	rhv_cell_str(t, P_SPM, s->host);
	rhv_cell_int(t, P_GENERATION, (int64_t)s->generation);
	rhv_cell_str(t, P_MASTER, s->master);
	rhv_cell_str(t, P_STATE, state);
	rhv_cell_str(t, P_HOLDER, s->lease_holder);
	if (s->lease_read) {
		rhv_cell_int(t, P_LEASE_GEN, (int64_t)s->lease_generation);
		if (s->renewed_ms > 0)
			rhv_cell_time(t, P_RENEWED, s->renewed_ms / 1000);
		if (s->lease_holder) {
			rhv_cell_time(t, P_EXPIRES, s->expires_ms / 1000);
			rhv_cell_time(t, P_TAKEOVER, s->dead_ms / 1000);
		}
	}
	rhv_cell_str(t, P_FAILED, s->failed);
}

static int cmd_spm_status(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_dc_list l = { 0 };
	struct rhv_table *t;
	int rc = -1;

	if (ctx->argc) {
		if (rhv_check_name(ctx->argv[0], 1024, "data center name", err) < 0)
			return -1;
		l.items = rhv_xcalloc(1, sizeof(*l.items));
		l.n = 1;
		l.items[0].name = rhv_xstrdup(ctx->argv[0]);
	} else if (rhv_dc_list(ctx->db, &l, err) < 0) {
		return -1;
	}
	t = rhv_ctx_table(ctx, "data_centers", "data_center");
	for (size_t i = 0; i < l.n; i++) {
		struct rhv_spm_status s;

		if (rhv_spm_status_get(ctx->db, l.items[i].name, &s, err) < 0)
			goto out;
		add_spm_row(t, &s);
		rhv_spm_status_clear(&s);
	}
	rc = ctx->argc ? rhv_ctx_print_show(ctx, t, err) : rhv_ctx_print_list(ctx, t, err);
out:
	rhv_table_free(t);
	rhv_dc_list_clear(&l);
	return rc;
}

static int cmd_spm_elect(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_spm_status before;
	char elected[256] = "";
	struct rhv_spm_status after;
	bool kept;

	if (rhv_check_name(ctx->argv[0], 1024, "data center name", err) < 0 ||
	    rhv_spm_status_get(ctx->db, ctx->argv[0], &before, err) < 0)
		return -1;
	if (rhv_spm_elect(ctx->db, ctx->argv[0], opt.force, rhv_ctx_progress(ctx), elected, sizeof(elected), err) < 0) {
		rhv_spm_status_clear(&before);
		return -1;
	}
	/* a new SPM is announced by the election itself; a kept one is said here */
	if (rhv_spm_status_get(ctx->db, ctx->argv[0], &after, err) < 0) {
		rhv_spm_status_clear(&before);
		return -1;
	}
	kept = before.host && !strcmp(before.host, elected) && before.generation == after.generation;
	if (kept)
		rhv_info(ctx, "host '%s' stays the SPM of data center '%s' (generation %llu)", elected, after.dc,
			 (unsigned long long)after.generation);
	rhv_spm_status_clear(&before);
	rhv_spm_status_clear(&after);
	return 0;
}

static int cmd_spm_release(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_check_name(ctx->argv[0], 1024, "data center name", err) < 0)
		return -1;
	return rhv_spm_release(ctx->db, ctx->argv[0], rhv_ctx_progress(ctx), err);
}

static int cmd_spm_set_priority(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_host_spec s = { .name = ctx->argv[0], .spm_priority = opt.priority, .emulated = -1 };

	if (rhv_host_edit(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "host '%s' has SPM priority %s", s.name, opt.priority);
	return 0;
}

/* ---- ISO domains ---- */

enum { I_NAME, I_DOMAIN, I_SIZE, I_MODIFIED };

static const struct rhv_column iso_columns[] = {
	[I_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "file name in the ISO domain" },
	[I_DOMAIN] = { "domain", "DOMAIN", RHV_COL_STR, RHV_COL_DEFAULT, "ISO domain holding it" },
	[I_SIZE] = { "size", "SIZE", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT, "file size" },
	[I_MODIFIED] = { "modified", "MODIFIED", RHV_COL_TIME, RHV_COL_DEFAULT, "when the file last changed" },
};

static int cmd_iso_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_iso_list l = { 0 };
	struct rhv_table *t;
	int rc;

	if ((opt.domain && rhv_check_name(opt.domain, 1024, "storage domain name", err) < 0) ||
	    rhv_iso_list(ctx->db, opt.domain, &l, err) < 0) {
		rhv_iso_list_clear(&l);
		return -1;
	}
	t = rhv_ctx_table(ctx, "isos", "iso");
	for (size_t i = 0; i < l.n; i++) {
		rhv_table_add_row(t);
		rhv_cell_str(t, I_NAME, l.items[i].name);
		rhv_cell_str(t, I_DOMAIN, l.items[i].domain);
		rhv_cell_bytes(t, I_SIZE, l.items[i].size);
		rhv_cell_time(t, I_MODIFIED, l.items[i].modified);
	}
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	rhv_iso_list_clear(&l);
	return rc;
}

/* the upload says what it did through the progress sink */
static int cmd_iso_upload(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return rhv_iso_upload(ctx->db, ctx->argv[0], opt.domain, opt.name, rhv_ctx_progress(ctx), err);
}

/* ---- the table ---- */

/* after the help, more fields for one verb (.required = true) */
#define OPT_DC(text, ...) \
	{ .name = "dc", .kind = RHV_OPT_STRING, .target = &opt.dc, .help = text, .arg = "dc", \
	  .complete = &rhv_names_dc, __VA_ARGS__ }
#define OPT_THRESHOLDS \
	{ .name = "description", .kind = RHV_OPT_STRING, .target = &opt.description, .help = "free text", \
	  .arg = "text", .complete = RHV_FREE }, \
	{ .name = "warning-pct", .kind = RHV_OPT_STRING, .target = &opt.warning_pct, \
	  .help = "warn when free space falls below this % (0-100, default 10)", .arg = "percent", \
	  .complete = RHV_FREE }, \
	{ .name = "critical-gib", .kind = RHV_OPT_STRING, .target = &opt.critical_gib, \
	  .help = "ALERT and no new disks below this free space (GiB, default 5)", .arg = "gib", \
	  .complete = RHV_FREE }, \
	{ .name = "extend-chunk-mib", .kind = RHV_OPT_STRING, .target = &opt.extend_chunk_mib, \
	  .help = "block domains: thin volumes grow by this much (128-65536, default 2560)", .arg = "mib", \
	  .complete = RHV_FREE }, \
	{ .name = "extend-threshold-pct", .kind = RHV_OPT_STRING, .target = &opt.extend_threshold_pct, \
	  .help = "block domains: extend when less than this % of a chunk is left (1-99, default 20)", \
	  .arg = "percent", .complete = RHV_FREE }

static const struct rhv_opt create_opts[] = {
	{ .name = "kind", .kind = RHV_OPT_STRING, .target = &opt.kind, .help = "storage kind",
	  .arg = "nfs|posixfs|glusterfs|local|iscsi|fcp", .complete = RHV_CHOICES, .required = true },
	{ .name = "role", .kind = RHV_OPT_STRING, .target = &opt.role, .help = "what it holds (default data)",
	  .arg = "data|iso|export" },
	{ .name = "path", .kind = RHV_OPT_STRING, .target = &opt.path,
	  .help = "file domains: an absolute directory, mounted at that path on every host", .arg = "dir",
	  .complete = RHV_FILE },
	{ .name = "lun", .kind = RHV_OPT_LIST, .target = &opt.luns,
	  .help = "block domains: a LUN (repeatable, up to 300)", .arg = "wwid:size", .complete = RHV_FREE },
	OPT_DC("attach it to this data center at once"),
	OPT_THRESHOLDS,
	RHV_OPT_END,
};
static const struct rhv_opt edit_opts[] = {
	OPT_THRESHOLDS,
	RHV_OPT_END,
};
static const struct rhv_opt list_opts[] = {
	OPT_DC("only domains attached to this data center"),
	RHV_OPT_END,
};
static const struct rhv_opt attach_opts[] = {
	OPT_DC("the data center", .required = true),
	RHV_OPT_END,
};
static const struct rhv_opt in_dc_opts[] = {
	OPT_DC("the data center (needed when it is attached to several)"),
	RHV_OPT_END,
};
static const struct rhv_opt import_opts[] = {
	OPT_DC("attach it to this data center"),
	RHV_OPT_END,
};
static const struct rhv_opt recover_opts[] = {
	OPT_DC("only domains of this data center"),
	RHV_OPT_END,
};
static const struct rhv_opt remove_opts[] = {
	{ .name = "force", .kind = RHV_OPT_FLAG, .target = &opt.force,
	  .help = "destroy: remove it even while attached (its storage is gone); its disks leave their VMs" },
	RHV_OPT_END,
};
static const struct rhv_opt scrub_opts[] = {
	{ .name = "dry-run", .kind = RHV_OPT_FLAG, .target = &opt.dry_run,
	  .help = "say what would be done, change nothing" },
	RHV_OPT_END,
};
static const struct rhv_opt elect_opts[] = {
	{ .name = "force", .kind = RHV_OPT_FLAG, .target = &opt.force,
	  .help = "do not wait for the lease of an unreachable SPM to expire (it must be down)" },
	RHV_OPT_END,
};
static const struct rhv_opt priority_opts[] = {
	{ .name = "priority", .kind = RHV_OPT_STRING, .target = &opt.priority,
	  .help = "-1 (never SPM) to 10, higher first", .arg = "n", .complete = RHV_FREE, .required = true },
	RHV_OPT_END,
};
static const struct rhv_opt iso_upload_opts[] = {
	{ .name = "domain", .kind = RHV_OPT_STRING, .target = &opt.domain, .help = "the ISO domain",
	  .arg = "domain", .complete = &rhv_names_sd, .required = true },
	{ .name = "name", .kind = RHV_OPT_STRING, .target = &opt.name,
	  .help = "its name there (default: the file's base name)", .arg = "name", .complete = RHV_FREE },
	RHV_OPT_END,
};
static const struct rhv_opt iso_list_opts[] = {
	{ .name = "domain", .kind = RHV_OPT_STRING, .target = &opt.domain, .help = "only this ISO domain",
	  .arg = "domain", .complete = &rhv_names_sd },
	RHV_OPT_END,
};


static const struct rhv_arg new_arg[] = { { .name = "name", .complete = RHV_FREE }, RHV_ARG_END };
static const struct rhv_arg sd_arg[] = { { .name = "domain", .complete = &rhv_names_sd }, RHV_ARG_END };
static const struct rhv_arg path_arg[] = { { .name = "path", .complete = RHV_FILE }, RHV_ARG_END };
static const struct rhv_arg file_arg[] = { { .name = "file", .complete = RHV_FILE }, RHV_ARG_END };
static const struct rhv_arg dc_arg[] = { { .name = "dc", .complete = &rhv_names_dc }, RHV_ARG_END };
static const struct rhv_arg opt_dc_arg[] = {
	{ .name = "dc", .flags = RHV_ARG_OPTIONAL, .complete = &rhv_names_dc },
	RHV_ARG_END,
};
static const struct rhv_arg host_arg[] = { { .name = "host", .complete = &rhv_names_host }, RHV_ARG_END };

#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ .name = "create", .handler = cmd_create, .opts = create_opts, .args = new_arg,
	  .summary = "create a storage domain",
	  .description =
		"Create a storage domain. A file domain (nfs, posixfs, glusterfs, local) is a directory mounted "
		"at the same absolute path on every host of its data center: its metadata is written there at "
		"once (dom_md/metadata.json), so the directory must not hold a domain already (import it "
		"instead). A block domain (iscsi, fcp) is a list of LUNs, up to 300, each WWID:SIZE; it is "
		"modeled only and cannot be activated on this machine. Names are up to 50 characters. --dc "
		"attaches it at once.",
	  .flags = WRITES },
	{ .name = "edit", .handler = cmd_edit, .opts = edit_opts, .args = sd_arg,
	  .summary = "change a storage domain",
	  .description = "Change a domain's description or thresholds. Options left out are unchanged.",
	  .flags = WRITES },
	{ .name = "list", .handler = cmd_list, .opts = list_opts, .columns = sd_columns,
	  .ncolumns = RHV_ARRAY_SIZE(sd_columns) - 1,
	  .summary = "list storage domains",
	  .description =
		"List storage domains, all or those attached to one data center, with their status, space and "
		"disks.",
	  .flags = LISTS },
	{ .name = "show", .handler = cmd_show, .args = sd_arg, RHV_COLUMNS(sd_columns),
	  .summary = "show one storage domain",
	  .description =
		"Show one storage domain, named by name or id. The note column says when it is a block domain, "
		"modeled only on this machine.",
	  .flags = LISTS },
	{ .name = "attach", .handler = cmd_attach, .opts = attach_opts, .args = sd_arg,
	  .summary = "attach a domain to a data center",
	  .description =
		"Attach a domain to a data center, in Maintenance. A data domain belongs to one data center; an "
		"export domain may be attached to several but is Active in one at a time; an ISO domain may be "
		"shared. The first data domain of a data center becomes its master: it is activated at once (an "
		"Up host must read it), the SPM lease is formatted on it and an SPM is elected. If that fails, "
		"nothing stays attached.",
	  .flags = WRITES },
	{ .name = "activate", .handler = cmd_activate, .opts = in_dc_opts, .args = sd_arg,
	  .summary = "make a domain Active in its data center",
	  .description =
		"Activate an attached domain: every Up host of the data center must read its metadata through "
		"its own libvirt connection. The first Active data domain becomes the master.",
	  .flags = WRITES },
	{ .name = "maintenance", .handler = cmd_maintenance, .opts = in_dc_opts, .args = sd_arg,
	  .summary = "take a domain out of service",
	  .description =
		"Put an attached domain in Maintenance. Refused while a running VM uses one of its disks or "
		"ISOs. The master role, and the SPM lease with it, moves to another Active data domain first.",
	  .flags = WRITES },
	{ .name = "detach", .handler = cmd_detach, .opts = in_dc_opts, .args = sd_arg,
	  .summary = "detach a domain from a data center",
	  .description = "Detach a domain in Maintenance from its data center. The master is detached last.",
	  .flags = WRITES },
	{ .name = "remove", .handler = cmd_remove, .opts = remove_opts, .args = sd_arg,
	  .summary = "forget an unattached domain",
	  .description =
		"Remove an unattached domain from the store, with its disks. The storage is left as it is, so "
		"the domain can be imported again. With --force (destroy), from any state: for a domain whose "
		"storage is gone.",
	  .flags = WRITES },
	{ .name = "import", .handler = cmd_import, .opts = import_opts, .args = path_arg,
	  .summary = "bring a file domain back into the store",
	  .description =
		"Import the file domain at an absolute path: its metadata names it and lists its disks, and all "
		"of them come into the store. A disk name already taken by another disk is refused. --dc "
		"attaches it.",
	  .flags = WRITES },
	{ .name = "recover", .handler = cmd_recover, .opts = recover_opts,
	  .summary = "reactivate Inactive domains",
	  .description =
		"Try every Inactive domain again (all data centers, or one): a domain every Up host of its data "
		"center can read again is Active. Meant for cron, every 5 minutes. Exit 6 when some domain stays "
		"Inactive.",
	  .flags = WRITES },
	{ .name = "scrub", .handler = cmd_scrub, .opts = scrub_opts, .args = sd_arg, RHV_COLUMNS(scrub_columns),
	  .summary = "clean up after crashed disk operations",
	  .description =
		"Reconcile a file domain's storage, metadata and store after crashed operations: volumes no "
		"metadata accounts for are removed, metadata entries without files are dropped, disks left "
		"Locked by a dead process are rolled back or completed. Disks with a live operation are left "
		"alone. Lists what it found.",
	  .flags = WRITES | RHV_CMD_OUTPUT },
	{ .name = "spm-status", .handler = cmd_spm_status, .args = opt_dc_arg, RHV_COLUMNS(spm_columns),
	  .summary = "show the Storage Pool Manager of data centers",
	  .description =
		"Show the SPM of every data center, or of one: the store's record and what the lease on the "
		"master domain says.",
	  .flags = LISTS },
	{ .name = "spm-elect", .handler = cmd_spm_elect, .opts = elect_opts, .args = dc_arg,
	  .summary = "elect the SPM of a data center",
	  .description =
		"Run an SPM election: an Up SPM that holds its lease stays; otherwise the Up host of highest SPM "
		"priority that can reach the master domain takes the lease, under a new generation. A "
		"NonResponsive SPM is not replaced until its lease is dead or the host is confirmed down "
		"(rhv-host confirm-down).",
	  .flags = WRITES },
	{ .name = "spm-release", .handler = cmd_spm_release, .args = dc_arg,
	  .summary = "make the SPM give up its role",
	  .description =
		"Release the SPM lease of a data center; the next structural change or monitoring pass elects "
		"again.",
	  .flags = WRITES },
	{ .name = "spm-set-priority", .handler = cmd_spm_set_priority, .opts = priority_opts, .args = host_arg,
	  .summary = "set a host's SPM priority",
	  .description =
		"Set how much a host is preferred as SPM: -1 never, else 0 to 10, higher first (as rhv-host edit "
		"--spm-priority).",
	  .flags = WRITES },
	{ .name = "iso-upload", .handler = cmd_iso_upload, .opts = iso_upload_opts, .args = file_arg,
	  .summary = "copy an ISO image into an ISO domain",
	  .description =
		"Copy a file into an ISO domain, through a temporary file renamed into place. A name already "
		"there is refused.",
	  .flags = WRITES },
	{ .name = "iso-list", .handler = cmd_iso_list, .opts = iso_list_opts, RHV_COLUMNS(iso_columns),
	  .summary = "list ISO images",
	  .description = "List the ISO images of every Active ISO domain, or of one.",
	  .flags = LISTS },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-sd",
	.summary = "Manage storage domains and the Storage Pool Manager",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
