/* ISO domains: their files (<root>/iso/NAME) and upload (the CD-ROM of VMs: store/iso.c, ops/vmdevices.c). */
#include "rhv/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/disk.h"
#include "rhv/event.h"
#include "rhv/progress.h"
#include "rhv/validate.h"
#include "store/disk.h"
#include "storage/sd-priv.h"

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
	struct rhv_db_iso_domain *doms;
	size_t n;

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
	if (rhv_db_iso_domains(db, &doms, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		list_dir(doms[i].name, doms[i].path, out);
	rhv_db_iso_domains_free(doms, n);
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
