/*
 * Storage helpers without libvirt (so rhv-disk does not load it): looking
 * domains up, their owner, their space, and metadata changes through the SPM.
 */
#include "rhv/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "storage/sd-priv.h"

void sd_ref_clear(struct sd_ref *r)
{
	free(r->name);
	free(r->role);
	free(r->kind);
	free(r->path);
	free(r->dc);
	free(r->status);
	memset(r, 0, sizeof(*r));
}

int sd_ref_get(struct rhv_db *db, const char *name, const char *dc, bool need_att, bool lock, struct sd_ref *out,
	       struct rhv_error *err)
{
	static const char sel[] =
		"SELECT s.id, s.name, s.role, s.kind, s.path,"
		" (SELECT count(*) FROM storage_domain_dc a WHERE a.domain_id = s.id) AS natt FROM storage_domains s";
	_cleanup_pgresult_ PGresult *r = NULL, *a = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db, sel, "s", "storage_domains", lock, "storage domain", name, &r, err) < 0)
		return -1;
	snprintf(out->id, sizeof(out->id), "%s", rhv_pq_str(r, 0, "id"));
	out->name = rhv_pq_dup(r, 0, "name");
	out->role = rhv_pq_dup(r, 0, "role");
	out->kind = rhv_pq_dup(r, 0, "kind");
	out->path = rhv_pq_dup(r, 0, "path");
	out->natt = (int)rhv_pq_int(r, 0, "natt");
	if (dc) {
		if (rhv_db_dc_id(db, dc, out->dc_id, err) < 0)
			return -1;
	} else if (out->natt > 1 && need_att) {
		return rhv_error_usage(err, "storage domain '%s' is attached to %d data centers: name one with --dc",
				       out->name, out->natt);
	}
	if (rhv_db_exec(db,
			"SELECT a.dc_id, d.name, a.status, a.is_master FROM storage_domain_dc a"
			" JOIN data_centers d ON d.id = a.dc_id WHERE a.domain_id = $1 AND ($2::uuid IS NULL OR a.dc_id = $2::uuid)",
			RHV_PARAMS(out->id, out->dc_id[0] ? out->dc_id : NULL), &a, err) < 0)
		return -1;
	if (PQntuples(a) == 1) {
		snprintf(out->dc_id, sizeof(out->dc_id), "%s", rhv_pq_str(a, 0, "dc_id"));
		out->dc = rhv_pq_dup(a, 0, "name");
		out->status = rhv_pq_dup(a, 0, "status");
		out->master = rhv_pq_bool(a, 0, "is_master");
	} else if (need_att) {
		if (dc)
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is not attached to data center '%s'",
					     out->name, dc);
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is not attached to a data center",
				     out->name);
	}
	return 0;
}

int sd_owner(const char *path, unsigned *uid, unsigned *gid, struct rhv_error *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return rhv_error_set(err, errno == ENOENT ? RHV_EXIT_NOTFOUND : RHV_EXIT_UNAVAILABLE,
				     "cannot reach storage at %s: %s", path, strerror(errno));
	*uid = st.st_uid;
	*gid = st.st_gid;
	return 0;
}

int sd_measure(struct rhv_db *db, const char *domain_id, const char *path, uint64_t *size, uint64_t *free_b,
	       struct rhv_error *err)
{
	struct statvfs vfs;
	char s[24], f[24];

	if (statvfs(path, &vfs) < 0)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot measure storage at %s: %s", path,
				     strerror(errno));
	*size = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	*free_b = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	snprintf(s, sizeof(s), "%llu", (unsigned long long)*size);
	snprintf(f, sizeof(f), "%llu", (unsigned long long)*free_b);
	return rhv_db_exec(db, "UPDATE storage_domains SET size = $2::bigint, free = $3::bigint, checked_at = now() WHERE id = $1",
			   RHV_PARAMS(domain_id, s, f), NULL, err);
}

/*
 * Several rhv processes may act for the SPM at once (two admins, cron): an
 * exclusive lock on dom_md/.lock, held across read, change and write,
 * keeps one from losing another's change (and from removing its temporary
 * file).  An open-file-description lock: released when the process dies,
 * and honored across NFS clients.
 */
static int meta_lock(const char *root, struct rhv_error *err)
{
	_cleanup_free_ char *path = rhv_xasprintf("%s/%s/.lock", root, RHV_SDMETA_DIR);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return rhv_error_set(err, errno == ENOENT ? RHV_EXIT_NOTFOUND : RHV_EXIT_UNAVAILABLE,
				     "cannot lock the metadata of the domain at %s: %s", root, strerror(errno));
	while (fcntl(fd, F_OFD_SETLKW, &fl) < 0) {
		if (errno != EINTR) {
			rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot lock %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

int sd_meta_update(const struct rhv_spm_token *tok, const char *path, sd_meta_edit_fn edit, void *arg,
		   struct rhv_error *err)
{
	struct rhv_sd_meta m;
	int rc = -1, lock = meta_lock(path, err);

	if (lock < 0)
		return -1;
	if (rhv_sdmeta_read(path, &m, err) == 0 && edit(&m, arg, err) == 0)
		rc = rhv_sdmeta_write(path, &m, tok->lease_path, tok->spm_id, tok->generation, &tok->timing, err);
	rhv_sdmeta_clear(&m);
	close(lock);
	return rc;
}


int sd_drop_image(struct rhv_sd_meta *m, void *image_id, struct rhv_error *err)
{
	return rhv_sdmeta_find_image(m, image_id) ? rhv_sdmeta_remove_image(m, image_id, err) : 0;
}

int sd_forget_spm(struct rhv_db *db, const char *dc_id, const char *status, struct rhv_error *err)
{
	if (rhv_db_exec(db,
			"UPDATE data_centers SET spm_host_id = NULL, spm_since = NULL, status = coalesce($2, status)"
			" WHERE id = $1",
			RHV_PARAMS(dc_id, status), NULL, err) < 0)
		return -1;
	return rhv_db_exec(db,
			   "UPDATE hosts h SET is_spm = false FROM clusters c WHERE c.id = h.cluster_id AND c.dc_id = $1"
			   " AND h.is_spm",
			   RHV_PARAMS(dc_id), NULL, err);
}

int sd_master_successor(struct rhv_db *db, const char *dc_id, const char *except_id, char id[37], char **path,
			char **name, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	id[0] = '\0';
	*path = *name = NULL;
	if (rhv_db_exec(db,
			"SELECT s.id, s.name, s.path FROM storage_domain_dc a JOIN storage_domains s ON s.id = a.domain_id"
			" WHERE a.dc_id = $1 AND a.domain_id <> $2 AND a.role = 'data' AND a.status = 'Active'"
			" AND s.path IS NOT NULL ORDER BY s.name LIMIT 1",
			RHV_PARAMS(dc_id, except_id), &r, err) < 0)
		return -1;
	if (PQntuples(r)) {
		snprintf(id, 37, "%s", rhv_pq_str(r, 0, "id"));
		*path = rhv_pq_dup(r, 0, "path");
		*name = rhv_pq_dup(r, 0, "name");
	}
	return 0;
}

int sd_set_master(struct rhv_db *db, const char *dc_id, const char *domain_id, struct rhv_error *err)
{
	if (rhv_db_exec(db, "UPDATE storage_domain_dc SET is_master = false WHERE dc_id = $1 AND is_master",
			RHV_PARAMS(dc_id), NULL, err) < 0)
		return -1;
	return rhv_db_exec(db, "UPDATE storage_domain_dc SET is_master = true WHERE dc_id = $1 AND domain_id = $2",
			   RHV_PARAMS(dc_id, domain_id), NULL, err);
}

char *sd_image_dir(const char *root, const char *image)
{
	return rhv_xasprintf("%s/%s/%s", root, RHV_SD_IMAGES_DIR, image);
}

char *sd_volume_path(const char *root, const char *image, const char *volume)
{
	return rhv_xasprintf("%s/%s/%s/%s", root, RHV_SD_IMAGES_DIR, image, volume);
}

/* The first failure wins: it names what stayed and why. */
static int removal_failed(struct rhv_error *err, int rc, const char *image, const char *entry, int errnum)
{
	if (rc < 0)
		return rc;
	return rhv_error_set(err, RHV_EXIT_FAILED, "cannot remove '%s/%s%s%s': %s", RHV_SD_IMAGES_DIR, image,
			     entry ? "/" : "", entry ? entry : "", strerror(errnum));
}

int sd_remove_image(const char *root, const char *image, struct rhv_error *err)
{
	_cleanup_free_ char *dir = sd_image_dir(root, image);
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : removal_failed(err, 0, image, NULL, errno);
	if (!S_ISDIR(st.st_mode))
		return unlink(dir) == 0 || errno == ENOENT ? 0 : removal_failed(err, 0, image, NULL, errno);
	d = opendir(dir);
	if (!d)
		return removal_failed(err, 0, image, NULL, errno);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && unlinkat(dirfd(d), e->d_name, 0) < 0 &&
		    errno != ENOENT)
			rc = removal_failed(err, rc, image, e->d_name, errno);
	closedir(d);
	if (rc == 0 && rmdir(dir) < 0 && errno != ENOENT)
		rc = removal_failed(err, rc, image, NULL, errno);
	return rc;
}
