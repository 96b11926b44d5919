/*
 * Bringing storage back into the store: import a file domain from its own
 * metadata (every disk it describes comes back), and recover Inactive
 * domains (reference 2.7).
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rhv/event.h"
#include "rhv/progress.h"
#include "rhv/strindex.h"
#include "rhv/validate.h"
#include "rhv/cleanup.h"
#include "store/host.h"
#include "store/txn.h"
#include "storage/sd-priv.h"

/* Every volume id of the domain that some volume has as parent (keys borrowed from m). */
static void index_parents(const struct rhv_sd_meta *m, struct rhv_strindex *parents)
{
	rhv_strindex_init(parents, 0);
	for (size_t i = 0; i < m->nimages; i++)
		for (size_t w = 0; w < m->images[i].nvolumes; w++)
			if (m->images[i].volumes[w].parent[0])
				rhv_strindex_add(parents, m->images[i].volumes[w].parent, 0);
}

/* The image's top volume: the one no other volume of the domain has as parent. */
static const struct rhv_sd_volume *top_volume(const struct rhv_strindex *parents, const struct rhv_sd_image *img)
{
	for (size_t v = 0; v < img->nvolumes; v++)
		if (rhv_strindex_get(parents, img->volumes[v].id) < 0)
			return &img->volumes[v];
	return NULL;
}

/* What the store gets of the domain's metadata: each image's top volume, and whether its file is readable. */
static void import_disks(const char *path, const struct rhv_sd_meta *m, struct rhv_db_sd_import *im)
{
	struct rhv_strindex parents;

	index_parents(m, &parents);
	im->disks = rhv_xcalloc(m->nimages ? m->nimages : 1, sizeof(*im->disks));
	for (size_t i = 0; i < m->nimages; i++) {
		const struct rhv_sd_image *img = &m->images[i];
		const struct rhv_sd_volume *top = top_volume(&parents, img);
		struct rhv_db_sd_import_disk *d = &im->disks[im->ndisks];
		_cleanup_free_ char *file = NULL;
		struct stat st;

		if (!top || img->memory)
			continue; /* a template's base (all its volumes are parents), or a snapshot's memory */
		file = rhv_xasprintf("%s/%s", path, top->path);
		d->id = img->id;
		d->name = img->name;
		d->description = img->description ? img->description : "";
		d->volume_id = top->id;
		d->format = top->format;
		d->allocation = top->allocation;
		d->size = top->size;
		d->actual = stat(file, &st) == 0 ? (uint64_t)st.st_blocks * 512 : 0;
		d->readable = access(file, R_OK) == 0;
		im->ndisks++;
	}
	rhv_strindex_clear(&parents);
}

static int import_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	return rhv_db_sd_import(db, arg, err);
}

int rhv_sd_import(struct rhv_db *db, const char *path, const char *dc, const struct rhv_progress *p,
		  char *name_out, size_t name_len, struct rhv_error *err)
{
	struct rhv_sd_meta m;
	struct rhv_db_sd_import im = { .path = path };
	int rc = -1;

	if (rhv_check_domain_path(path, "path", RHV_EXIT_USAGE, err) < 0)
		return -1;
	if (rhv_sdmeta_read(path, &m, err) < 0) {
		if (err->code == RHV_EXIT_NOTFOUND)
			rhv_error_replace(err, RHV_EXIT_NOTFOUND, "no storage domain at %s: %s/%s is missing", path,
					  RHV_SDMETA_DIR, RHV_SDMETA_FILE);
		goto out;
	}
	im.id = m.id;
	im.name = m.name;
	im.role = m.role;
	im.kind = m.kind;
	import_disks(path, &m, &im);
	rhv_sd_statvfs(path, &im.size, &im.free_b);
	if (rhv_db_txn(db, import_txn, &im, err) < 0)
		goto out;
	rhv_progress_note(p, "storage domain '%s' imported with %d disk%s", m.name, im.imported, im.imported == 1 ? "" : "s");
	if (name_out)
		snprintf(name_out, name_len, "%s", m.name);
	rc = dc ? rhv_sd_attach(db, m.id, dc, p, err) : 0;
out:
	free(im.disks);
	rhv_sdmeta_clear(&m);
	return rc;
}

static int reactivate_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	return rhv_db_sd_reactivate(db, arg, err);
}

int rhv_sd_recover(struct rhv_db *db, const char *dc, const struct rhv_progress *p, struct rhv_batch *out,
		   struct rhv_error *err)
{
	char dc_id[37], **att;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (dc && rhv_db_dc_id(db, dc, dc_id, err) < 0)
		return -1;
	if (rhv_db_sd_inactive(db, dc, &att, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		struct rhv_sd_ref ref;
		struct rhv_sd_probe probe = { 0 };
		struct rhv_error e = { 0 };

		if (rhv_db_sd_ref_get(db, att[i], att[i + 1], true, false, &ref, &e) == 0 &&
		    rhv_sd_probe_hosts(db, ref.id, ref.path, ref.dc_id, &probe, &e) == 0) {
			if (probe.ok > 0 && probe.ok == probe.up_hosts) {
				if (rhv_db_txn(db, reactivate_txn, &ref, &e) == 0)
					rhv_progress_note(p, "storage domain '%s' is Active again in '%s'", ref.name, ref.dc);
			} else {
				rhv_error_set(&e, RHV_EXIT_UNAVAILABLE, "%d of %d Up hosts reach it%s%s", probe.ok,
					      probe.up_hosts, probe.first_error[0] ? ": " : "", probe.first_error);
			}
		}
		rhv_batch_add(out, ref.name ? ref.name : att[i], e.code, e.code ? e.message : "Active");
		rhv_sd_ref_clear(&ref);
	}
	rhv_db_names_free(att, n);
	return 0;
}
