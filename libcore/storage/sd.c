/*
 * A storage domain on its storage: who can read it (every Up host of its
 * data center, through its own libvirt daemon), and its metadata made and
 * unmade for a new file domain.  The flows that use these are in
 * ops/sdops.c.
 */
#include "rhv/common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rhv/settings.h"
#include "rhv/virt.h"
#include "storage/sd-priv.h"

int rhv_sd_probe_hosts(struct rhv_db *db, const char *domain_id, const char *path, const char *dc_id,
		       struct rhv_sd_probe *out, struct rhv_error *err)
{
	struct rhv_db_sd_host *hosts;
	struct rhv_settings st;
	size_t n;
	int timeout_s;

	memset(out, 0, sizeof(*out));
	if (rhv_settings_load(db, &st, err) < 0)
		return -1;
	timeout_s = (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS];
	if (rhv_db_sd_up_hosts(db, dc_id, &hosts, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct rhv_error e = { 0 }, ignored = { 0 };
		struct rhv_sd_meta m;
		struct rhv_virt_conn *c = rhv_virt_open(hosts[i].uri, timeout_s * 1000, &e);
		bool ok = c && rhv_sdmeta_probe(c, hosts[i].name, path, domain_id, &m, &e) == 0;

		if (c) {
			rhv_sdmeta_clear(&m);
			rhv_virt_close(c);
		}
		out->up_hosts++;
		out->ok += ok;
		if (!ok && !out->first_error[0])
			snprintf(out->first_error, sizeof(out->first_error), "%s", e.message);
		rhv_db_sd_record_probe(db, hosts[i].id, domain_id, ok, ok ? NULL : e.message, &ignored);
	}
	rhv_db_sd_hosts_free(hosts, n);
	return 0;
}

/* Undo a format whose store row could not be written: the domain must not linger on the storage. */
void rhv_sd_unformat(const char *path)
{
	_cleanup_free_ char *meta = rhv_xasprintf("%s/%s/%s", path, RHV_SDMETA_DIR, RHV_SDMETA_FILE);
	_cleanup_free_ char *dir = rhv_xasprintf("%s/%s", path, RHV_SDMETA_DIR);

	unlink(meta);
	rmdir(dir);
}

int rhv_sd_format(const struct rhv_sd_spec *s, const char *id, struct rhv_error *err)
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
