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
#include <sys/statvfs.h>
#include <unistd.h>

#include "rhv/event.h"
#include "rhv/progress.h"
#include "rhv/strindex.h"
#include "rhv/validate.h"
#include "store/store-priv.h"
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

struct import {
	const char *path;
	const struct rhv_sd_meta *m;
	struct rhv_strindex parents;
	uint64_t size, free_b;
	int disks;
};

static int import_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct import *im = arg;
	const struct rhv_sd_meta *m = im->m;
	char size[24], free_b[24];
	char *taken = NULL;

	snprintf(size, sizeof(size), "%llu", (unsigned long long)im->size);
	snprintf(free_b, sizeof(free_b), "%llu", (unsigned long long)im->free_b);
	im->disks = 0;
	if (rhv_db_exec(db,
			"INSERT INTO storage_domains (id, name, role, kind, path, size, free, checked_at)"
			" VALUES ($1, $2, $3, $4, $5, $6::bigint, $7::bigint, now())",
			RHV_PARAMS(m->id, m->name, m->role, m->kind, im->path, size, free_b), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT,
						 "storage domain '%s' (%s) or its path is already in the store", m->name, m->id);
		return -1;
	}
	for (size_t i = 0; i < m->nimages; i++) {
		const struct rhv_sd_image *img = &m->images[i];
		const struct rhv_sd_volume *top = top_volume(&im->parents, img);
		_cleanup_free_ char *file = NULL;
		struct stat st;
		char vsize[24], actual[24];

		if (!top)
			continue; /* an image whose volumes are all parents of others: a template's base */
		file = rhv_xasprintf("%s/%s", im->path, top->path);
		snprintf(vsize, sizeof(vsize), "%llu", (unsigned long long)top->size);
		snprintf(actual, sizeof(actual), "%llu", stat(file, &st) == 0 ? (unsigned long long)st.st_blocks * 512 : 0ULL);
		if (rhv_db_exec(db,
				"INSERT INTO disks (id, name, description, domain_id, volume_id, format, allocation, size,"
				" actual, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bigint, $9::bigint,"
				" CASE WHEN $10::boolean THEN 'OK' ELSE 'Illegal' END)",
				RHV_PARAMS(img->id, img->name, img->description ? img->description : "", m->id, top->id,
					   top->format, top->allocation, vsize, actual, access(file, R_OK) == 0 ? "true" : "false"),
				NULL, err) < 0) {
			if (!rhv_db_error_is(err, "23505"))
				return free(taken), -1;
			rhv_xappendf(&taken, ", ", "'%s'", img->name);
			rhv_error_clear(err);
			/* a failed statement aborts the transaction: record the name, give up below */
			break;
		}
		im->disks++;
	}
	if (taken) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot import storage domain '%s': disk %s already exists in the store",
			      m->name, taken);
		rhv_error_hint(err, "rename or remove the store's disk first; the storage was not changed");
		free(taken);
		return -1;
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", m->id, m->name, "import", err,
			     "storage domain '%s' imported from %s with %d disk%s", m->name, im->path, im->disks,
			     im->disks == 1 ? "" : "s");
}

int rhv_sd_import(struct rhv_db *db, const char *path, const char *dc, const struct rhv_progress *p,
		  char *name_out, size_t name_len, struct rhv_error *err)
{
	struct rhv_sd_meta m;
	struct import im = { .path = path };
	struct statvfs vfs;
	int rc = -1;

	if (rhv_check_domain_path(path, "path", RHV_EXIT_USAGE, err) < 0)
		return -1;
	if (rhv_sdmeta_read(path, &m, err) < 0) {
		if (err->code == RHV_EXIT_NOTFOUND)
			rhv_error_replace(err, RHV_EXIT_NOTFOUND, "no storage domain at %s: %s/%s is missing", path,
					  RHV_SDMETA_DIR, RHV_SDMETA_FILE);
		goto out;
	}
	im.m = &m;
	index_parents(&m, &im.parents);
	if (statvfs(path, &vfs) == 0) {
		im.size = (uint64_t)vfs.f_blocks * vfs.f_frsize;
		im.free_b = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	}
	if (rhv_db_txn(db, import_txn, &im, err) < 0)
		goto out;
	rhv_progress_note(p, "storage domain '%s' imported with %d disk%s", m.name, im.disks, im.disks == 1 ? "" : "s");
	if (name_out)
		snprintf(name_out, name_len, "%s", m.name);
	rc = dc ? rhv_sd_attach(db, m.id, dc, p, err) : 0;
out:
	rhv_strindex_clear(&im.parents);
	rhv_sdmeta_clear(&m);
	return rc;
}

static int reactivate_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_sd_ref *ref = arg;
	long n;

	if (rhv_db_command(db,
			   "UPDATE storage_domain_dc SET status = 'Active', status_reason = NULL, status_since = now()"
			   " WHERE domain_id = $1 AND dc_id = $2 AND status = 'Inactive'",
			   RHV_PARAMS(ref->id, ref->dc_id), &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", ref->id, ref->name, "recover", err,
			     "storage domain '%s' is reachable again and Active in '%s'", ref->name, ref->dc);
}

int rhv_sd_recover(struct rhv_db *db, const char *dc, const struct rhv_progress *p, struct rhv_batch *out,
		   struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	char dc_id[37];

	memset(out, 0, sizeof(*out));
	if (dc && rhv_db_dc_id(db, dc, dc_id, err) < 0)
		return -1;
	if (rhv_db_exec(db,
			"SELECT s.id, d.id AS dc_id FROM storage_domain_dc a JOIN storage_domains s ON s.id = a.domain_id"
			" JOIN data_centers d ON d.id = a.dc_id WHERE a.status = 'Inactive'"
			" AND ($1::text IS NULL OR d.name = $1 OR d.id::text = $1) ORDER BY s.name",
			RHV_PARAMS(dc), &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		struct rhv_sd_ref ref;
		struct rhv_sd_probe probe = { 0 };
		struct rhv_error e = { 0 };

		if (rhv_db_sd_ref_get(db, rhv_pq_str(r, i, "id"), rhv_pq_str(r, i, "dc_id"), true, false, &ref, &e) == 0 &&
		    rhv_sd_probe_hosts(db, ref.id, ref.path, ref.dc_id, &probe, &e) == 0) {
			if (probe.ok > 0 && probe.ok == probe.up_hosts) {
				if (rhv_db_txn(db, reactivate_txn, &ref, &e) == 0)
					rhv_progress_note(p, "storage domain '%s' is Active again in '%s'", ref.name, ref.dc);
			} else {
				rhv_error_set(&e, RHV_EXIT_UNAVAILABLE, "%d of %d Up hosts reach it%s%s", probe.ok,
					      probe.up_hosts, probe.first_error[0] ? ": " : "", probe.first_error);
			}
		}
		rhv_batch_add(out, ref.name ? ref.name : rhv_pq_str(r, i, "id"), e.code, e.code ? e.message : "Active");
		rhv_sd_ref_clear(&ref);
	}
	return 0;
}
