/* ISO domains: their files (<root>/iso/NAME), upload, and the CD-ROM of VMs. */
#include "rhv/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rhv/disk.h"
#include "rhv/event.h"
#include "rhv/progress.h"
#include "rhv/validate.h"
#include "store/store-priv.h"
#include "storage/sd-priv.h"
#include "ops/vm-priv.h"

void rhv_iso_list_clear(struct rhv_iso_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].name);
		free(l->items[i].domain);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static int check_iso_name(const char *name, struct rhv_error *err)
{
	return rhv_check_file_name(name, "ISO name", RHV_EXIT_USAGE, err);
}

static void list_dir(const char *domain, const char *root, struct rhv_iso_list *out)
{
	_cleanup_free_ char *dir = rhv_xasprintf("%s/%s", root, RHV_SD_ISO_DIR);
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		struct stat st;

		if (names[i]->d_name[0] != '.') {
			_cleanup_free_ char *file = rhv_xasprintf("%s/%s", dir, names[i]->d_name);

			if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
				out->items = rhv_xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
				out->items[out->n++] = (struct rhv_iso){ rhv_xstrdup(names[i]->d_name), rhv_xstrdup(domain),
									 (uint64_t)st.st_size, (int64_t)st.st_mtime };
			}
		}
		free(names[i]);
	}
	free(names);
}

int rhv_iso_list(struct rhv_db *db, const char *domain, struct rhv_iso_list *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (domain) {
		struct rhv_sd_ref ref;

		if (rhv_db_sd_ref_get(db, domain, NULL, false, false, &ref, err) < 0)
			return -1;
		if (strcmp(ref.role, "iso")) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is not an ISO domain (its role is %s)", ref.name,
				      ref.role);
			rhv_sd_ref_clear(&ref);
			return -1;
		}
		list_dir(ref.name, ref.path, out);
		rhv_sd_ref_clear(&ref);
		return 0;
	}
	if (rhv_db_exec(db, "SELECT name, path FROM storage_domains WHERE role = 'iso' ORDER BY name", RHV_NO_PARAMS, &r,
			err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++)
		list_dir(rhv_pq_str(r, i, "name"), rhv_pq_str(r, i, "path"), out);
	return 0;
}

static int copy_fd(int in, int out, uint64_t total, const struct rhv_progress *p, const char *what)
{
	static char buf[1 << 20];
	uint64_t done = 0;
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			off += w;
		}
		done += (uint64_t)n;
		if (total)
			rhv_progress_percent(p, what, (int)(done * 100 / total));
	}
	return fsync(out);
}

int rhv_iso_upload(struct rhv_db *db, const char *file, const char *domain, const char *name,
		   const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_sd_ref ref;
	const char *base = name ? name : (strrchr(file, '/') ? strrchr(file, '/') + 1 : file);
	_cleanup_free_ char *dir = NULL, *tmp = NULL, *dst = NULL, *what = NULL;
	unsigned uid, gid;
	struct stat st;
	int in = -1, out = -1, rc = -1;

	if (!domain)
		return rhv_error_usage(err, "iso-upload needs --domain DOMAIN");
	if (check_iso_name(base, err) < 0 || rhv_db_sd_ref_get(db, domain, NULL, false, false, &ref, err) < 0)
		return -1;
	if (strcmp(ref.role, "iso")) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is not an ISO domain (its role is %s)", ref.name, ref.role);
		goto out;
	}
	in = open(file, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		rhv_error_set(err, in < 0 && errno == ENOENT ? RHV_EXIT_NOTFOUND : RHV_EXIT_USAGE, "cannot read '%s': %s",
			      file, in < 0 ? strerror(errno) : "not a regular file");
		goto out;
	}
	if (rhv_sd_owner(ref.path, &uid, &gid, err) < 0)
		goto out;
	dir = rhv_xasprintf("%s/%s", ref.path, RHV_SD_ISO_DIR);
	if (mkdir(dir, 0755) == 0 && chown(dir, uid, gid) < 0) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot give %s to its owner: %s", dir, strerror(errno));
		goto out;
	}
	dst = rhv_xasprintf("%s/%s", dir, base);
	if (access(dst, F_OK) == 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "ISO '%s' already exists on '%s'", base, ref.name);
		goto out;
	}
	tmp = rhv_xasprintf("%s/.upload-%s-XXXXXX", dir, base);
	out = mkostemp(tmp, O_CLOEXEC);
	if (out < 0) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot write to ISO domain '%s': %s", ref.name, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	what = rhv_xasprintf("uploading %s", base);
	if (copy_fd(in, out, (uint64_t)st.st_size, p, what) < 0 || fchmod(out, 0644) < 0 || fchown(out, uid, gid) < 0) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	/* never replace an ISO a VM may be reading */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_NOREPLACE) < 0) {
		rhv_error_set(err, errno == EEXIST ? RHV_EXIT_CONFLICT : RHV_EXIT_UNAVAILABLE,
			      errno == EEXIST ? "ISO '%s' already exists on '%s'" : "cannot store ISO '%s' on '%s': %s", base,
			      ref.name, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", ref.id, ref.name, "iso-upload", err,
			   "ISO '%s' uploaded to '%s' (%lld bytes)", base, ref.name, (long long)st.st_size);
	if (rc == 0)
		rhv_progress_note(p, "ISO '%s' uploaded to '%s'", base, ref.name);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (tmp)
		unlink(tmp);
	rhv_sd_ref_clear(&ref);
	return rc;
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
