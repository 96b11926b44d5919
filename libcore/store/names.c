/*
 * Completers for the names the store lists (rhv/names.h): existing objects
 * by name, event severities and object types, settings.  Each asks the
 * completion for the store and stays silent when it is not there.
 */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "rhv/cluster.h"
#include "rhv/dc.h"
#include "rhv/disk.h"
#include "store/snapshot.h"
#include "rhv/event.h"
#include "rhv/host.h"
#include "rhv/net.h"
#include "rhv/names.h"
#include "rhv/sd.h"
#include "rhv/settings.h"
#include "rhv/vm.h"

static void complete_dc(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_dc_list l;

	if (!db)
		return;
	if (rhv_dc_list(db, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++)
			rhv_offer(c, l.items[i].name);
	rhv_dc_list_clear(&l);
}

static void complete_cluster(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_cluster_list l;

	if (!db)
		return;
	if (rhv_cluster_list(db, NULL, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++)
			rhv_offer(c, l.items[i].name);
	rhv_cluster_list_clear(&l);
}

static void complete_host(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_host_list l;

	if (!db)
		return;
	if (rhv_host_list(db, NULL, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++)
			rhv_offer(c, l.items[i].name);
	rhv_host_list_clear(&l);
}

/* network names, once each (a name may be in several data centers) */
static void complete_network(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_net_list l;

	if (!db)
		return;
	if (rhv_net_list(db, NULL, NULL, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++) {
			bool seen = false;

			for (size_t j = 0; j < i && !seen; j++)
				seen = !strcmp(l.items[j].name, l.items[i].name);
			if (!seen)
				rhv_offer(c, l.items[i].name);
		}
	rhv_net_list_clear(&l);
}

/* what a VM NIC names: a VM network (its default profile) or NETWORK/PROFILE */
static void complete_nic_profile(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_vnic_profile_list l;

	if (!db)
		return;
	if (rhv_vnic_profile_list(db, NULL, NULL, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++) {
			char *s = strcmp(l.items[i].name, l.items[i].network)
					  ? rhv_xasprintf("%s/%s", l.items[i].network, l.items[i].name)
					  : rhv_xstrdup(l.items[i].network);
			bool seen = false;

			for (size_t j = 0; j < i && !seen; j++)
				seen = !strcmp(l.items[j].name, l.items[i].name) &&
				       !strcmp(l.items[j].network, l.items[i].network);
			if (!seen)
				rhv_offer(c, s);
			free(s);
		}
	rhv_vnic_profile_list_clear(&l);
}

/* profile names, once each */
static void complete_profile(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_vnic_profile_list l;

	if (!db)
		return;
	if (rhv_vnic_profile_list(db, NULL, NULL, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++) {
			bool seen = false;

			for (size_t j = 0; j < i && !seen; j++)
				seen = !strcmp(l.items[j].name, l.items[i].name);
			if (!seen)
				rhv_offer(c, l.items[i].name);
		}
	rhv_vnic_profile_list_clear(&l);
}

static void complete_vm(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_vm_filter f = { NULL, NULL, NULL };
	struct rhv_vm_list l;

	if (!db)
		return;
	if (rhv_vm_list(db, &f, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++)
			rhv_offer(c, l.items[i].name);
	rhv_vm_list_clear(&l);
}

static void complete_sd(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_sd_list l;

	if (!db)
		return;
	if (rhv_sd_list(db, NULL, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++)
			rhv_offer(c, l.items[i].name);
	rhv_sd_list_clear(&l);
}

static void complete_disk(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_disk_list l;

	if (!db)
		return;
	if (rhv_disk_list(db, NULL, NULL, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++)
			rhv_offer(c, l.items[i].name);
	rhv_disk_list_clear(&l);
}

/* snapshots by id: descriptions need not be unique */
static void complete_snap(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_snap_list l;

	if (!db)
		return;
	if (rhv_db_snap_list(db, NULL, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++)
			rhv_offer(c, l.items[i].id);
	rhv_snap_list_clear(&l);
}

static void complete_severity(struct rhv_completion *c)
{
	for (size_t i = 0; rhv_severity_names[i]; i++)
		rhv_offer(c, rhv_severity_names[i]);
}

static void complete_object_type(struct rhv_completion *c)
{
	for (size_t i = 0; rhv_object_types[i]; i++)
		rhv_offer(c, rhv_object_types[i]);
}

static void complete_setting(struct rhv_completion *c)
{
	for (size_t i = 0; i < RHV_SET_COUNT; i++)
		rhv_offer(c, rhv_setting_defs[i].key);
}

const struct rhv_completer rhv_names_dc = { .names = "data center", .complete = complete_dc };
const struct rhv_completer rhv_names_cluster = { .names = "cluster", .complete = complete_cluster };
const struct rhv_completer rhv_names_host = { .names = "host", .complete = complete_host };
const struct rhv_completer rhv_names_vm = { .names = "VM", .complete = complete_vm };
const struct rhv_completer rhv_names_sd = { .names = "storage domain", .complete = complete_sd };
const struct rhv_completer rhv_names_disk = { .names = "disk", .complete = complete_disk };
const struct rhv_completer rhv_names_snap = { .names = "snapshot", .complete = complete_snap };
const struct rhv_completer rhv_names_network = { .names = "network", .complete = complete_network };
const struct rhv_completer rhv_names_nic_profile = { .names = "vNIC profile", .complete = complete_nic_profile };
const struct rhv_completer rhv_names_vnic_profile = { .names = "vNIC profile", .complete = complete_profile };
const struct rhv_completer rhv_names_severity = { .complete = complete_severity };
const struct rhv_completer rhv_names_object_type = { .complete = complete_object_type };
const struct rhv_completer rhv_names_setting = { .complete = complete_setting };
