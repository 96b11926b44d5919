/*
 * vNICs of running VMs (reference 3.7): the store first (one transaction,
 * the VM locked, MACs from the pool), then the guest through its host;
 * when the guest refuses, what it took is taken back and the store is put
 * back as it was, so neither keeps half of the change.
 */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/guest.h"
#include "ops/vmnics.h"
#include "rhv/domxml.h"
#include "rhv/virt.h"
#include "rhv/vmops.h"
#include "store/host.h"
#include "store/txn.h"
#include "store/vm.h"
#include "store/vmnet.h"

/* How long a guest gets to release a NIC, after libvirt's own wait. */
#define RELEASE_WAIT_S 3

/* Whether the running domain has a NIC with mac (its live XML keys every device by address). */
static bool has_nic(struct rhv_virt_dom *dom, const char *mac)
{
	_cleanup_free_ char *live = rhv_virt_dom_xml(dom);
	_cleanup_free_ char *key = rhv_xasprintf("interface:%s", mac);
	struct rhv_vm_addr *a = NULL;
	struct rhv_error ignored = { 0 };
	size_t n = 0;
	bool found = false;

	if (!live || rhv_domxml_addresses(live, &a, &n, &ignored) < 0)
		return true; /* unknown: not released as far as we can tell */
	for (size_t i = 0; i < n && !found; i++)
		found = a[i].key && !strcasecmp(a[i].key, key);
	rhv_domxml_addrs_free(a, n);
	return found;
}

struct plug {
	struct rhv_db *db;
	const struct rhv_db_nic_change *chg;
	struct rhv_vm vm; /* after the change: the added NICs with their QoS */
	char *host, *uri;
	struct rhv_db_host_nets nets;
	struct rhv_virt_conn *conn;
	struct rhv_virt_dom *dom;
	char **added_xml, **removed_xml;
	bool *attached, *detached;
};

static void plug_clear(struct plug *pl)
{
	for (size_t i = 0; i < pl->chg->nadded; i++)
		free(pl->added_xml[i]);
	for (size_t i = 0; i < pl->chg->nremoved; i++)
		free(pl->removed_xml[i]);
	free(pl->added_xml);
	free(pl->removed_xml);
	free(pl->attached);
	free(pl->detached);
	rhv_virt_dom_free(pl->dom);
	rhv_virt_close(pl->conn);
	rhv_db_host_nets_clear(&pl->nets);
	free(pl->host);
	free(pl->uri);
	rhv_vm_clear(&pl->vm);
}

/* Every <interface> first: nothing is plugged when one cannot be written. */
static int build_all(struct plug *pl, struct rhv_error *err)
{
	const struct rhv_db_nic_change *c = pl->chg;

	for (size_t i = 0; i < c->nadded; i++) {
		const struct rhv_vm_nic *nic = NULL;

		for (size_t j = 0; j < pl->vm.nnics && !nic; j++)
			if (!strcasecmp(pl->vm.nics[j].mac, c->added[i]))
				nic = &pl->vm.nics[j];
		if (!nic)
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "NIC %s of VM '%s' is gone from the store", c->added[i],
					     pl->vm.name);
		pl->added_xml[i] = rhv_ops_nic_xml(&pl->vm, nic, pl->uri, &pl->nets.pub, err);
		if (!pl->added_xml[i])
			return -1;
	}
	for (size_t i = 0; i < c->nremoved; i++) {
		const struct rhv_db_nic_row *r = &c->removed[i];
		struct rhv_vm_nic nic = { .network = r->network, .model = r->model };

		snprintf(nic.mac, sizeof(nic.mac), "%s", r->mac);
		pl->removed_xml[i] = rhv_ops_nic_xml(&pl->vm, &nic, pl->uri, &pl->nets.pub, err);
		if (!pl->removed_xml[i])
			return -1;
	}
	return 0;
}

static int unplug_one(struct plug *pl, size_t i, struct rhv_error *err)
{
	const char *mac = pl->chg->removed[i].mac;

	if (rhv_virt_dom_detach(pl->dom, pl->removed_xml[i], err, "cannot unplug NIC %s from VM '%s'", mac,
				pl->vm.name) < 0)
		return -1;
	for (int t = 0; t < RELEASE_WAIT_S * 5 && has_nic(pl->dom, mac); t++)
		usleep(200 * 1000);
	if (has_nic(pl->dom, mac)) {
		rhv_error_set(err, RHV_EXIT_FAILED, "the guest of VM '%s' did not release NIC %s", pl->vm.name, mac);
		rhv_error_hint(err, "unplugging needs a guest OS that answers ACPI hot-unplug; stop the VM and remove it");
		return -1;
	}
	pl->detached[i] = true;
	return 0;
}

/* Take back what the guest took; best effort, the error already says what failed. */
static void unwind(struct plug *pl)
{
	struct rhv_error ignored = { 0 };

	for (size_t i = 0; i < pl->chg->nadded; i++)
		if (pl->attached[i])
			rhv_virt_dom_detach(pl->dom, pl->added_xml[i], &ignored, "unwind");
	for (size_t i = 0; i < pl->chg->nremoved; i++)
		if (pl->detached[i])
			rhv_virt_dom_attach(pl->dom, pl->removed_xml[i], &ignored, "unwind");
}

/* The addresses libvirt gave the new NICs, kept for the next starts (as a start keeps them). */
static void keep_addresses(struct plug *pl)
{
	_cleanup_free_ char *live = rhv_virt_dom_xml(pl->dom);
	struct rhv_vm_addr *addrs = NULL;
	struct rhv_error ignored = { 0 };
	size_t n = 0;

	if (live && rhv_domxml_addresses(live, &addrs, &n, &ignored) == 0)
		rhv_db_vm_keep_addresses(pl->db, pl->chg->vm_id, addrs, n, &ignored);
	rhv_domxml_addrs_free(addrs, n);
}

static int plug_all(struct plug *pl, struct rhv_error *err)
{
	const struct rhv_db_nic_change *c = pl->chg;
	int found;

	pl->added_xml = rhv_xcalloc(c->nadded + 1, sizeof(*pl->added_xml));
	pl->removed_xml = rhv_xcalloc(c->nremoved + 1, sizeof(*pl->removed_xml));
	pl->attached = rhv_xcalloc(c->nadded + 1, sizeof(*pl->attached));
	pl->detached = rhv_xcalloc(c->nremoved + 1, sizeof(*pl->detached));
	if (rhv_vm_get(pl->db, c->vm_id, &pl->vm, err) < 0 || rhv_db_host_nets(pl->db, c->host_id, &pl->nets, err) < 0)
		return -1;
	found = rhv_db_host_name_uri(pl->db, c->host_id, &pl->host, &pl->uri, err);
	if (found <= 0)
		return found < 0 ? -1 : rhv_error_set(err, RHV_EXIT_NOTFOUND, "the VM's host is gone from the store");
	if (build_all(pl, err) < 0)
		return -1;
	pl->dom = rhv_ops_running_domain(pl->db, c->host_id, c->vm_id, &pl->conn, err);
	if (!pl->dom)
		return -1;
	/* out first: a NIC replaced by another frees its PCI slot for it */
	for (size_t i = 0; i < c->nremoved; i++)
		if (unplug_one(pl, i, err) < 0)
			goto unwind;
	for (size_t i = 0; i < c->nadded; i++) {
		if (rhv_virt_dom_attach(pl->dom, pl->added_xml[i], err, "cannot plug NIC %s into VM '%s'", c->added[i],
					pl->vm.name) < 0)
			goto unwind;
		pl->attached[i] = true;
	}
	keep_addresses(pl);
	return 0;
unwind:
	unwind(pl);
	return -1;
}

int rhv_vm_edit_live(struct rhv_db *db, const struct rhv_vm_spec *spec, bool *plugged, struct rhv_error *err)
{
	struct rhv_db_nic_change chg = { 0 };
	bool nics = spec->add_nics || spec->remove_nics;
	int rc = -1;

	*plugged = false;
	if (rhv_db_vm_edit(db, spec, nics ? &chg : NULL, err) < 0)
		goto out;
	rc = 0;
	if (!chg.running)
		goto out;
	{
		struct plug pl = { .db = db, .chg = &chg };

		rc = plug_all(&pl, err);
		plug_clear(&pl);
	}
	if (rc == 0) {
		*plugged = true;
	} else {
		struct rhv_error undo = { 0 };

		if (rhv_db_vm_nic_undo(db, &chg, err->message, &undo) < 0)
			rhv_error_detail(err, "the store still has the change (%s): edit the VM again", undo.message);
	}
out:
	rhv_db_nic_change_clear(&chg);
	return rc;
}
