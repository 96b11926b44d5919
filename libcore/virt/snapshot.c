/*
 * Snapshots of a running domain, and a domain started again from the
 * memory a snapshot saved (see rhv/virtsnap.h).  The XML is snapxml.c's;
 * here are the libvirt calls and how their errors read.
 */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/virtsnap.h"
#include "virt/virt-priv.h"

/*
 * Whether a failed quiesced snapshot failed for want of quiescing: no
 * guest agent configured ("argument unsupported: QEMU guest agent is not
 * configured"), or one that does not answer or cannot freeze.  A lock held
 * by another job (operation timeout) is not: it names the agent job too.
 */
static bool quiesce_impossible(const virError *e)
{
	if (!e)
		return false;
	switch (e->code) {
	case VIR_ERR_AGENT_UNRESPONSIVE:
	case VIR_ERR_AGENT_UNSYNCED:
		return true;
	case VIR_ERR_ARGUMENT_UNSUPPORTED:
	case VIR_ERR_OPERATION_UNSUPPORTED:
	case VIR_ERR_CONFIG_UNSUPPORTED:
	case VIR_ERR_OPERATION_INVALID:
	case VIR_ERR_OPERATION_FAILED:
	case VIR_ERR_INTERNAL_ERROR:
		return e->message && (strcasestr(e->message, "agent") || strcasestr(e->message, "freeze"));
	default:
		return false;
	}
}

int rhv_virt_dom_snapshot(struct rhv_virt_dom *d, const struct rhv_virt_snap_disk *disks, size_t n,
			  const char *memory_path, bool quiesce, bool *quiesce_refused, struct rhv_error *err)
{
	_cleanup_free_ char *live = NULL, *xml = NULL;
	unsigned flags = VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT | VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA |
			 VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC;
	/* named before any call fails: every libvirt call resets the last error */
	const char *name = virDomainGetName(d->ptr);
	virDomainSnapshotPtr snap;
	virErrorPtr e;
	bool system_error;

	if (quiesce_refused)
		*quiesce_refused = false;
	/* libvirt quiesces disk-only snapshots alone (QUIESCE requires DISK_ONLY); the memory is consistent anyway */
	if (quiesce && memory_path) {
		if (quiesce_refused)
			*quiesce_refused = true;
		return rhv_error_set(err, RHV_EXIT_USAGE, "cannot snapshot domain '%s' quiesced with its memory", name);
	}
	live = virDomainGetXMLDesc(d->ptr, 0);
	if (!live)
		return rhv_virt_error(err, "cannot read the disks of domain '%s'", name);
	if (quiesce && !rhv_virt_xml_agent_may_answer(live)) {
		if (quiesce_refused)
			*quiesce_refused = true;
		return rhv_error_set(err, RHV_EXIT_FAILED,
				     "cannot snapshot domain '%s' quiesced: it has no guest agent connected", name);
	}
	if (rhv_virt_xml_snapshot(live, disks, n, memory_path, &xml, err) < 0)
		return -1;
	/* with memory, LIVE keeps the guest running while its memory is written */
	flags |= memory_path ? VIR_DOMAIN_SNAPSHOT_CREATE_LIVE : VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
	if (quiesce)
		flags |= VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE;
	snap = virDomainSnapshotCreateXML(d->ptr, xml, flags);
	if (snap) {
		virDomainSnapshotFree(snap); /* NO_METADATA: only a handle, nothing kept */
		return 0;
	}
	e = virGetLastError();
	system_error = e && e->code == VIR_ERR_SYSTEM_ERROR;
	if (quiesce && quiesce_refused)
		*quiesce_refused = quiesce_impossible(e);
	rhv_virt_error(err, "cannot snapshot domain '%s'%s", name, quiesce ? " quiesced" : "");
	/* an overlay QEMU cannot open is a system error too, which would read as "host unreachable" */
	if (system_error && err && err->code == RHV_EXIT_UNAVAILABLE &&
	    virConnectIsAlive(virDomainGetConnect(d->ptr)) == 1)
		err->code = RHV_EXIT_FAILED;
	return -1;
}

int rhv_virt_dom_wait_jobs(struct rhv_virt_dom *d, int timeout_ms, struct rhv_error *err)
{
	const char *name = virDomainGetName(d->ptr);

	for (int waited = 0;; waited += 100) {
		virDomainJobInfo info;

		if (virDomainGetJobInfo(d->ptr, &info) < 0)
			return rhv_virt_error(err, "cannot read the jobs of domain '%s'", name);
		if (info.type == VIR_DOMAIN_JOB_NONE)
			return 0;
		if (waited >= timeout_ms)
			return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "domain '%s' still runs a job after %d s", name,
					     timeout_ms / 1000);
		usleep(100 * 1000);
	}
}

struct rhv_virt_dom *rhv_virt_restore_memory(struct rhv_virt_conn *c, const char *memory_path,
					     const struct rhv_virt_snap_disk *disks, size_t n, bool paused,
					     struct rhv_error *err)
{
	_cleanup_free_ char *saved = NULL, *xml = NULL, *uuid = NULL;
	unsigned flags = paused ? VIR_DOMAIN_SAVE_PAUSED : VIR_DOMAIN_SAVE_RUNNING;

	/* SECURE: the XML restored with must keep what the saved one had (graphics passwords) */
	saved = virDomainSaveImageGetXMLDesc(c->ptr, memory_path, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE);
	if (!saved) {
		rhv_virt_error(err, "cannot read the memory image '%s'", memory_path);
		return NULL;
	}
	if (rhv_virt_xml_retarget_disks(saved, disks, n, &xml, err) < 0)
		return NULL;
	uuid = rhv_virt_xml_uuid(xml);
	if (!uuid) {
		rhv_error_set(err, RHV_EXIT_FAILED, "cannot read the memory image '%s': its domain has no UUID",
			      memory_path);
		return NULL;
	}
	if (virDomainRestoreFlags(c->ptr, memory_path, xml, flags) < 0) {
		rhv_virt_error(err, "cannot restore domain %s from '%s'", uuid, memory_path);
		return NULL;
	}
	return rhv_virt_dom_lookup(c, uuid, err, "cannot find domain %s after its restore", uuid);
}
