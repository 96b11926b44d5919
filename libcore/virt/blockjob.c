/*
 * Block jobs on a running domain's disks (see rhv/virtsnap.h): the live
 * volume chain, commits of an inner layer or of the active one, their
 * progress, pivot and cancel.  The chain is read from the live XML
 * (snapxml.c); each layer is named to libvirt by its index ("vda[2]"),
 * which does not depend on how a path is spelled.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/virtsnap.h"
#include "virt/virt-priv.h"

/* The chain of disk target as the running domain has it now. */
static int live_layers(struct rhv_virt_dom *d, const char *target, struct rhv_virt_layer **layers, size_t *n,
		       bool *mirror_ready, struct rhv_error *err)
{
	const char *name = virDomainGetName(d->ptr); /* first: a call after the failure would reset its error */
	_cleanup_free_ char *xml = virDomainGetXMLDesc(d->ptr, 0);

	*layers = NULL;
	*n = 0;
	if (!xml)
		return rhv_virt_error(err, "cannot read disk '%s' of domain '%s'", target, name);
	return rhv_virt_xml_chain_layers(xml, target, layers, n, mirror_ready, err);
}

int rhv_virt_dom_disk_chain(struct rhv_virt_dom *d, const char *target, char ***paths, size_t *n,
			    struct rhv_error *err)
{
	const char *name = virDomainGetName(d->ptr); /* first: a call after the failure would reset its error */
	_cleanup_free_ char *xml = virDomainGetXMLDesc(d->ptr, 0);

	*paths = NULL;
	*n = 0;
	if (!xml)
		return rhv_virt_error(err, "cannot read disk '%s' of domain '%s'", target, name);
	return rhv_virt_xml_disk_chain(xml, target, paths, n, err);
}

static const char *last_component(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The position of volume path in the chain (by its file name, the volume id), or -1. */
static long find_layer(const struct rhv_virt_layer *l, size_t n, const char *path)
{
	const char *name = last_component(path);

	for (size_t i = 0; *name && i < n; i++)
		if (!strcmp(last_component(l[i].path), name))
			return (long)i;
	return -1;
}

/* How libvirt is told of a layer: "vda[N]", or its path when the XML gave no index. */
static char *layer_ref(const char *target, const struct rhv_virt_layer *l)
{
	return l->index >= 0 ? rhv_xasprintf("%s[%d]", target, l->index) : rhv_xstrdup(l->path);
}

int rhv_virt_dom_block_commit(struct rhv_virt_dom *d, const char *target, const char *base, const char *top,
			      bool active, struct rhv_error *err)
{
	struct rhv_virt_layer *l = NULL;
	_cleanup_free_ char *base_ref = NULL, *top_ref = NULL;
	unsigned flags = VIR_DOMAIN_BLOCK_COMMIT_RELATIVE;
	size_t n = 0;
	long ti, bi;
	int r = -1;

	if (live_layers(d, target, &l, &n, NULL, err) < 0)
		goto out;
	ti = find_layer(l, n, top);
	bi = find_layer(l, n, base);
	if (ti < 0 || bi < 0) {
		rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find volume '%s' in the chain of disk '%s'",
			      last_component(ti < 0 ? top : base), target);
		goto out;
	}
	if (bi <= ti) {
		rhv_error_set(err, RHV_EXIT_USAGE, "cannot commit volume '%s' into '%s': it is not below it",
			      last_component(top), last_component(base));
		goto out;
	}
	if (active != (ti == 0)) {
		rhv_error_set(err, RHV_EXIT_USAGE, "cannot commit volume '%s': it is %sthe active layer of disk '%s'",
			      last_component(top), active ? "not " : "", target);
		goto out;
	}
	if (active)
		flags |= VIR_DOMAIN_BLOCK_COMMIT_ACTIVE;
	base_ref = layer_ref(target, &l[bi]);
	top_ref = layer_ref(target, &l[ti]);
	if (virDomainBlockCommit(d->ptr, target, base_ref, top_ref, 0, flags) < 0) {
		virErrorPtr e = virGetLastError();
		bool held_lease = e && (e->domain == VIR_FROM_LOCKING || e->domain == VIR_FROM_LOCKSPACE) &&
				  e->code == VIR_ERR_RESOURCE_BUSY;

		rhv_virt_error(err, "cannot commit volume '%s' of disk '%s'", last_component(top), target);
		/* libvirt 9.0 with virtlockd: a merge into a volume keeps its lease until QEMU exits (LAB.md) */
		if (held_lease)
			rhv_error_hint(err, "an earlier live merge into that volume left libvirt's lease on it until the guest "
					    "stops: stop the VM, then finish the merge offline (rhv-snap resume)");
		goto out;
	}
	r = 0;
out:
	rhv_virt_layers_free(l, n);
	return r;
}

int rhv_virt_dom_block_job(struct rhv_virt_dom *d, const char *target, struct rhv_virt_block_job *out,
			   struct rhv_error *err)
{
	virDomainBlockJobInfo info;
	int r;

	memset(out, 0, sizeof(*out));
	r = virDomainGetBlockJobInfo(d->ptr, target, &info, 0);
	if (r < 0)
		return rhv_virt_error(err, "cannot read the block job of disk '%s'", target);
	if (r == 0)
		return 0;
	out->running = true;
	out->active_commit = info.type == VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT;
	out->cur = info.cur;
	out->end = info.end;
	/* libvirt keeps cur below end until QEMU reports the job ready, so cur == end can be trusted */
	out->ready = out->active_commit && info.end > 0 && info.cur == info.end;
	if (out->active_commit && !out->ready) {
		struct rhv_virt_layer *l;
		size_t n;
		bool ready;
		struct rhv_error ignored = { 0 };

		if (live_layers(d, target, &l, &n, &ready, &ignored) == 0)
			out->ready = ready;
		rhv_virt_layers_free(l, n);
	}
	return 0;
}

int rhv_virt_dom_block_pivot(struct rhv_virt_dom *d, const char *target, struct rhv_error *err)
{
	virDomainBlockJobInfo info;
	int r;

	/* without ASYNC, libvirt returns once QEMU has switched to the base */
	if (virDomainBlockJobAbort(d->ptr, target, VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT) == 0)
		return 0;
	rhv_virt_error(err, "cannot pivot disk '%s' to its base", target);
	/* libvirt says "invalid argument" when there is no job: a pivot done already, or a commit never started */
	r = virDomainGetBlockJobInfo(d->ptr, target, &info, 0);
	virResetLastError();
	if (err && r == 0)
		err->code = RHV_EXIT_NOTFOUND;
	return -1; /* not ready yet: VIR_ERR_BLOCK_COPY_ACTIVE, class 4 already */
}

int rhv_virt_dom_block_cancel(struct rhv_virt_dom *d, const char *target, struct rhv_error *err)
{
	virDomainBlockJobInfo info;
	struct rhv_error failed = { 0 };
	int r;

	r = virDomainGetBlockJobInfo(d->ptr, target, &info, 0);
	if (r < 0)
		return rhv_virt_error(err, "cannot read the block job of disk '%s'", target);
	if (r == 0)
		return 0;
	if (virDomainBlockJobAbort(d->ptr, target, 0) == 0)
		return 0;
	rhv_virt_error(&failed, "cannot cancel the block job of disk '%s'", target);
	/* the job may have ended on its own meanwhile */
	if (virDomainGetBlockJobInfo(d->ptr, target, &info, 0) == 0)
		return 0;
	virResetLastError();
	if (err && err->code == RHV_EXIT_OK)
		*err = failed;
	return -1;
}
