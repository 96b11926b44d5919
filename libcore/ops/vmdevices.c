/*
 * Devices of running VMs, as RHV 4.1 changes them: a disk attached to a
 * running VM is plugged into the guest, and its CD can be changed or
 * ejected.  The store is changed first (one transaction, the VM locked),
 * then the guest through its host; when the guest refuses, the store is put
 * back with an event saying why.  So the store never says less than the
 * guest has: a crash in between leaves the change in the store, where the
 * next start honours it.
 */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "ops/host-priv.h"
#include "rhv/disk.h"
#include "rhv/domxml.h"
#include "rhv/settings.h"
#include "rhv/virt.h"
#include "ops/vm-priv.h"
#include "ops/guest.h"

/* The addresses libvirt gave the new device, kept for the next starts (as a start keeps them). */
static void keep_addresses(struct rhv_db *db, struct rhv_virt_dom *dom, const char *vm_id)
{
	_cleanup_free_ char *live = rhv_virt_dom_xml(dom);
	struct rhv_vm_addr *addrs = NULL;
	struct rhv_error ignored = { 0 };
	size_t n = 0;

	if (live && rhv_domxml_addresses(live, &addrs, &n, &ignored) == 0)
		rhv_db_vm_keep_addresses(db, vm_id, addrs, n, &ignored);
	rhv_domxml_addrs_free(addrs, n);
}

/* The <disk> of the attached disk, as the VM's domain XML has it. */
static char *disk_xml(struct rhv_db *db, const struct rhv_disk_attach_req *a, struct rhv_error *err)
{
	struct rhv_vm vm;
	char *xml = NULL;

	if (rhv_vm_get(db, a->vm_id, &vm, err) < 0 || rhv_db_vm_load_storage(db, &vm, false, err) < 0) {
		rhv_vm_clear(&vm);
		return NULL;
	}
	for (size_t i = 0; i < vm.ndisks && !xml; i++)
		if (!strcmp(vm.disks[i].target, a->target))
			xml = rhv_domxml_disk(&vm, &vm.disks[i], err);
	if (!xml)
		rhv_error_set(err, RHV_EXIT_CONFLICT, "disk '%s' is no longer attached to VM '%s'", a->disk, a->vm);
	rhv_vm_clear(&vm);
	return xml;
}

static int plug(struct rhv_db *db, const struct rhv_disk_attach_req *a, struct rhv_error *err)
{
	_cleanup_free_ char *xml = disk_xml(db, a, err);
	_cleanup_virt_conn_ struct rhv_virt_conn *conn = NULL;
	_cleanup_virt_dom_ struct rhv_virt_dom *dom = NULL;
	int rc = -1;

	if (xml && (dom = rhv_ops_running_domain(db, a->host_id, a->vm_id, &conn, err))) {
		/* the guest's refusal (a file it cannot open) is a failure (1), not an unreachable host */
		if (rhv_virt_dom_attach(dom, xml, err, "cannot plug disk '%s' into VM '%s'", a->disk, a->vm) == 0) {
			keep_addresses(db, dom, a->vm_id);
			rc = 0;
		}
	}
	return rc;
}

int rhv_disk_attach(struct rhv_db *db, const char *name, const char *vm, const char *interface, int bootable,
		    bool *plugged, struct rhv_error *err)
{
	struct rhv_disk_attach_req a = { name, vm, interface ? interface : "virtio", bootable };
	struct rhv_error undo = { 0 };

	*plugged = false;
	if (rhv_db_disk_attach(db, &a, err) < 0)
		return -1;
	if (!a.running)
		return 0;
	if (plug(db, &a, err) == 0) {
		*plugged = true;
		return 0;
	}
	if (rhv_db_disk_unattach(db, &a, err->message, &undo) < 0)
		rhv_error_detail(err, "the store still has it attached (%s): detach it", undo.message);
	return -1;
}

/* The CD in the running guest's drive: changed, or ejected (iso NULL). */
static int change_disc(struct rhv_db *db, const struct rhv_cdrom_req *c, struct rhv_error *err)
{
	_cleanup_free_ char *xml = rhv_domxml_cdrom(c->iso_path, c->target, err);
	_cleanup_virt_conn_ struct rhv_virt_conn *conn = NULL;
	_cleanup_virt_dom_ struct rhv_virt_dom *dom = NULL;
	int rc = -1;

	if (xml && (dom = rhv_ops_running_domain(db, c->host_id, c->vm_id, &conn, err))) {
		if (rhv_virt_dom_update(dom, xml, err, "cannot change the CD of VM '%s'", c->vm) == 0)
			rc = 0;
	}
	return rc;
}

int rhv_vm_set_cdrom(struct rhv_db *db, const char *vm, const char *iso, struct rhv_error *err)
{
	struct rhv_cdrom_req c = { .vm = vm, .iso = iso };
	struct rhv_error undo = { 0 };
	int rc = -1;

	if (rhv_db_vm_set_cdrom(db, &c, err) < 0)
		goto out;
	rc = 0;
	if (!c.running || change_disc(db, &c, err) == 0)
		goto out;
	rc = -1;
	c.why = err->message;
	if (rhv_db_vm_cdrom_undo(db, &c, &undo) < 0)
		rhv_error_detail(err, "the store has the new CD (%s)", undo.message);
out:
	rhv_cdrom_req_clear(&c);
	return rc;
}
