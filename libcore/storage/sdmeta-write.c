/*
 * Storage-domain metadata written: to JSON, then atomically to the file,
 * fenced by the SPM lease and its generation.
 */
#include "rhv/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/sdmeta.h"

#include "storage/sdmeta-priv.h"

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

/* json-c keeps insertion order, so the key order is the order added here. */
static json_object *to_json(const struct rhv_sd_meta *m)
{
	json_object *root = json_object_new_object(), *images = json_object_new_array();

	json_object_object_add(root, "format", json_object_new_string(RHV_SDMETA_FORMAT));
	json_object_object_add(root, "version", json_object_new_int(m->version));
	json_object_object_add(root, "id", jstr(m->id));
	json_object_object_add(root, "name", jstr(m->name));
	json_object_object_add(root, "role", jstr(m->role));
	json_object_object_add(root, "kind", jstr(m->kind));
	json_object_object_add(root, "dc_id", jstr(m->dc_id));
	json_object_object_add(root, "generation", json_object_new_int64((int64_t)m->generation));
	json_object_object_add(root, "updated", json_object_new_int64(m->updated));
	for (size_t i = 0; i < m->nimages; i++) {
		const struct rhv_sd_image *img = &m->images[i];
		json_object *o = json_object_new_object(), *vols = json_object_new_array();

		json_object_object_add(o, "id", jstr(img->id));
		json_object_object_add(o, "name", jstr(img->name));
		json_object_object_add(o, "description", jstr(img->description));
		if (img->memory)
			json_object_object_add(o, "content", jstr("memory"));
		for (size_t j = 0; j < img->nvolumes; j++) {
			const struct rhv_sd_volume *v = &img->volumes[j];
			json_object *vo = json_object_new_object();

			json_object_object_add(vo, "id", jstr(v->id));
			json_object_object_add(vo, "parent", jstr(v->parent));
			json_object_object_add(vo, "format", jstr(v->format));
			json_object_object_add(vo, "allocation", jstr(v->allocation));
			json_object_object_add(vo, "size", json_object_new_int64((int64_t)v->size));
			json_object_object_add(vo, "path", jstr(v->path));
			json_object_array_add(vols, vo);
		}
		json_object_object_add(o, "volumes", vols);
		json_object_array_add(images, o);
	}
	json_object_object_add(root, "images", images);
	return root;
}

static char *meta_dir(const char *root)
{
	return rhv_xasprintf("%s/%s", root, RHV_SDMETA_DIR);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * Remove temporary files left by writers killed before their rename.  Only
 * the SPM writes, and it calls this after its lease check, so none of them
 * can belong to a live writer.
 */
static void remove_stale(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, RHV_SDMETA_TMP_PREFIX, strlen(RHV_SDMETA_TMP_PREFIX)))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

/* The generation recorded by the file now on the storage, or 0 if none is readable. */
static uint64_t stored_generation(const char *root)
{
	struct rhv_sd_meta cur;
	struct rhv_error e = { 0 };
	uint64_t g = 0;

	if (rhv_sdmeta_read(root, &cur, &e) == 0)
		g = cur.generation;
	rhv_sdmeta_clear(&cur);
	return g;
}

/*
 * Write text to a new temporary file in dir, synced.  Returns 0 with *tmp
 * its path (caller frees), or the errno of the failure with err set, the
 * file removed and *tmp NULL.
 */
static int write_temp(const char *dir, const char *text, char **tmp, struct rhv_error *err)
{
	int fd, e;

	*tmp = rhv_xasprintf("%s/%sXXXXXX", dir, RHV_SDMETA_TMP_PREFIX);
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot create a file in %s: %s", dir, strerror(e));
		free(*tmp);
		*tmp = NULL;
		return e;
	}
	/* mkstemp makes it 0600; other hosts' readers (vdsm runs as its own user) need to read it. */
	e = fchmod(fd, 0644) < 0 || write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0 ||
		    fsync(fd) < 0 ? errno : 0;
	if (close(fd) < 0 && !e)
		e = errno;
	if (e) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot write %s: %s", *tmp, strerror(e));
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return e;
	}
	return 0;
}

/* Give the reserve's space back for a write that found the domain full.  True if there was one. */
static bool release_reserve(const char *dir)
{
	_cleanup_free_ char *path = rhv_xasprintf("%s/%s", dir, RHV_SDMETA_RESERVE);

	return unlink(path) == 0;
}

/* Make the reserve again if it is missing (best effort: a full domain gets it back later). */
static void keep_reserve(const char *dir)
{
	_cleanup_free_ char *path = rhv_xasprintf("%s/%s", dir, RHV_SDMETA_RESERVE);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return;
	if (posix_fallocate(fd, 0, RHV_SDMETA_RESERVE_BYTES) != 0) {
		close(fd);
		unlink(path);
		return;
	}
	close(fd);
}

/*
 * The one writer.  lease_path NULL: formatting a new domain, which must not
 * have metadata yet (the rename then never replaces a file).
 */
static int write_meta(const char *root, struct rhv_sd_meta *m, const char *lease_path, int host_id,
		      uint64_t generation, const struct rhv_lease_timing *t, struct rhv_error *err)
{
	char *dir = meta_dir(root), *path = sdmeta_path(root), *tmp = NULL;
	uint64_t old_gen = m->generation, stored;
	int64_t old_updated = m->updated;
	json_object *o = NULL;
	const char *text;
	int fd = -1, dfd = -1, rc = -1;

	/* Refuse early: a host that is not the SPM must not even clean up. */
	if (lease_path && rhv_lease_check(lease_path, host_id, generation, t, err) < 0)
		goto out;
	stored = stored_generation(root);
	if (stored > generation) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "the metadata was written under SPM generation %llu, later than %llu",
			      (unsigned long long)stored, (unsigned long long)generation);
		goto out;
	}
	m->generation = generation;
	m->updated = (t && t->now_ms ? t->now_ms(t->clock_data) : (int64_t)time(NULL) * 1000) / 1000;
	if (rhv_sdmeta_validate(m, err) < 0)
		goto restore;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		rhv_error_set(err, errno == ENOENT ? RHV_EXIT_NOTFOUND : RHV_EXIT_UNAVAILABLE,
			      "cannot create %s: %s", dir, strerror(errno));
		goto restore;
	}
	if (lease_path)
		remove_stale(dir);

	o = to_json(m);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
	/* a full domain must still let the SPM remove disks: the reserve makes room for this one write */
	if (write_temp(dir, text, &tmp, err) == ENOSPC && release_reserve(dir)) {
		rhv_error_clear(err);
		write_temp(dir, text, &tmp, err);
	}
	if (!tmp)
		goto restore;
	/* The fencing check, as late as possible: the token may have moved on while we wrote. */
	if (lease_path && rhv_lease_check(lease_path, host_id, generation, t, err) < 0)
		goto restore;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, lease_path ? 0 : RENAME_NOREPLACE) < 0) {
		rhv_error_set(err, errno == EEXIST ? RHV_EXIT_CONFLICT : RHV_EXIT_UNAVAILABLE,
			      errno == EEXIST ? "%s: %s already exists" : "cannot rename %s to %s: %s",
			      errno == EEXIST ? root : tmp, errno == EEXIST ? RHV_SDMETA_DIR "/" RHV_SDMETA_FILE : path,
			      strerror(errno));
		goto restore;
	}
	free(tmp);
	tmp = NULL; /* renamed: nothing left to remove */
	/* The rename is durable only once the directory entry is. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
			      "%s was replaced but syncing %s failed (%s): the change may not be durable",
			      path, dir, strerror(errno));
		goto out;
	}
	rc = 0;
	keep_reserve(dir);
	goto out;
restore:
	m->generation = old_gen;
	m->updated = old_updated;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	json_object_put(o);
	free(dir);
	free(path);
	return rc;
}

int rhv_sdmeta_write(const char *root, struct rhv_sd_meta *m, const char *lease_path, int host_id,
		     uint64_t generation, const struct rhv_lease_timing *t, struct rhv_error *err)
{
	return write_meta(root, m, lease_path, host_id, generation, t, err);
}

int rhv_sdmeta_format(const char *root, struct rhv_sd_meta *m, struct rhv_error *err)
{
	return write_meta(root, m, NULL, 0, m->generation, NULL, err);
}
