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

#include "rhv/cleanup.h"
#include "storage/sd-priv.h"

int rhv_sd_owner(const char *path, unsigned *uid, unsigned *gid, struct rhv_error *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return rhv_error_set(err, errno == ENOENT ? RHV_EXIT_NOTFOUND : RHV_EXIT_UNAVAILABLE,
				     "cannot reach storage at %s: %s", path, strerror(errno));
	*uid = st.st_uid;
	*gid = st.st_gid;
	return 0;
}

int rhv_sd_statvfs(const char *path, uint64_t *size, uint64_t *free_b)
{
	struct statvfs vfs;

	if (statvfs(path, &vfs) < 0)
		return -1;
	*size = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	*free_b = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	return 0;
}

int rhv_sd_measure(struct rhv_db *db, const char *domain_id, const char *path, uint64_t *size, uint64_t *free_b,
		   struct rhv_error *err)
{
	if (rhv_sd_statvfs(path, size, free_b) < 0)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot measure storage at %s: %s", path,
				     strerror(errno));
	return rhv_db_sd_set_space(db, domain_id, *size, *free_b, err);
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

int rhv_sd_meta_update(const struct rhv_spm_token *tok, const char *path, rhv_sd_meta_edit_fn edit, void *arg,
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

int rhv_sd_drop_image(struct rhv_sd_meta *m, void *image_id, struct rhv_error *err)
{
	return rhv_sdmeta_find_image(m, image_id) ? rhv_sdmeta_remove_image(m, image_id, err) : 0;
}

char *rhv_sd_image_dir(const char *root, const char *image)
{
	return rhv_xasprintf("%s/%s/%s", root, RHV_SD_IMAGES_DIR, image);
}

char *rhv_sd_volume_path(const char *root, const char *image, const char *volume)
{
	return rhv_xasprintf("%s/%s/%s/%s", root, RHV_SD_IMAGES_DIR, image, volume);
}

char *rhv_sd_lease_path(const char *root)
{
	return rhv_xasprintf("%s/%s/%s", root, RHV_SDMETA_DIR, RHV_SD_LEASE_FILE);
}

/* The first failure wins: it names what stayed and why. */
static int removal_failed(struct rhv_error *err, int rc, const char *image, const char *entry, int errnum)
{
	if (rc < 0)
		return rc;
	return rhv_error_set(err, RHV_EXIT_FAILED, "cannot remove '%s/%s%s%s': %s", RHV_SD_IMAGES_DIR, image,
			     entry ? "/" : "", entry ? entry : "", strerror(errnum));
}

int rhv_sd_remove_image(const char *root, const char *image, struct rhv_error *err)
{
	_cleanup_free_ char *dir = rhv_sd_image_dir(root, image);
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
