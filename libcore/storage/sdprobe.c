/*
 * A storage domain's metadata as a host reads it: the bytes come through
 * the host's libvirt daemon (virt/sdprobe.c), what they say is checked
 * here (see rhv_sdmeta_probe() in rhv/sdmeta.h).
 */
#include "rhv/common.h"

#include <string.h>
#include <strings.h>

#include "rhv/sdmeta.h"
#include "rhv/sdprobe.h"

int rhv_sdmeta_probe(struct rhv_virt_conn *conn, const char *host_name, const char *root, const char *domain_id,
		     struct rhv_sd_meta *out, struct rhv_error *err)
{
	const char *host = host_name ? host_name : "?";
	struct rhv_sdprobe_data d = { 0 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (rhv_sdprobe_read(conn, host_name, root, domain_id, &d, err) < 0)
		goto out;
	if (rhv_sdmeta_parse(d.buf, d.len, d.path, out, err) < 0) {
		rhv_error_detail(err, "read through host %s", host);
		rhv_sdmeta_clear(out);
		goto out;
	}
	if (strcasecmp(out->id, domain_id)) {
		rhv_error_set(err, RHV_EXIT_FAILED, "the metadata at %s belongs to domain %s", d.path, out->id);
		rhv_error_detail(err, "expected domain %s (read through host %s)", domain_id, host);
		rhv_sdmeta_clear(out);
		goto out;
	}
	rc = 0;
out:
	rhv_sdprobe_data_clear(&d);
	return rc;
}
