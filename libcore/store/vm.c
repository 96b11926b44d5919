#include "rhv/common.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/event.h"
#include "rhv/parse.h"
#include "rhv/net.h"
#include "store/net.h"
#include "store/snapshot.h"
#include "store/store-priv.h"
#include "store/vm.h"

static const char select_vm[] =
	"SELECT v.id, v.name, c.name AS cluster, v.description, v.memory, v.vcpus, v.graphics, v.video, v.sound,"
	" v.balloon, v.ha, v.ha_priority, extract(epoch FROM v.ha_pending_since)::bigint AS ha_pending_since,"
	" v.ha_tries, v.ha_last_error, p.name AS pin_host, v.state, h.name AS host, m.name AS migrating_to, v.host_id,"
	" extract(epoch FROM v.state_since)::bigint AS state_since, v.cpu_pct, v.mem_used,"
	" extract(epoch FROM v.created_at)::bigint AS created, extract(epoch FROM v.updated_at)::bigint AS updated,"
	" (SELECT count(*) FROM vm_disks x WHERE x.vm_id = v.id) AS disks,"
	" (SELECT count(*) FROM snapshots s WHERE s.vm_id = v.id) AS snapshots,"
	" (SELECT s.name || ':' || v.cdrom_file FROM storage_domains s WHERE s.id = v.cdrom_domain_id) AS cdrom_iso,"
	" v.kernel, v.initrd, v.kernel_params, v.serial_console"
	" FROM vms v JOIN clusters c ON c.id = v.cluster_id LEFT JOIN hosts p ON p.id = v.pin_host_id"
	" LEFT JOIN hosts h ON h.id = v.host_id LEFT JOIN hosts m ON m.id = v.migrating_to";

static void add_nic(struct rhv_vm *vm, const char *network, const char *profile, const char *model, const char *mac)
{
	struct rhv_vm_nic *n;

	vm->nics = rhv_xrealloc(vm->nics, (vm->nnics + 1) * sizeof(*vm->nics));
	n = &vm->nics[vm->nnics++];
	memset(n, 0, sizeof(*n));
	n->network = rhv_xstrdup(network);
	n->profile = rhv_xstrdup(profile);
	n->model = rhv_xstrdup(model);
	snprintf(n->mac, sizeof(n->mac), "%s", mac);
}

static int by_id(const void *a, const void *b)
{
	return strcmp((*(struct rhv_vm *const *)a)->id, (*(struct rhv_vm *const *)b)->id);
}

/*
 * The NICs of the given VMs, in one query (vm_id NULL: every VM), matched
 * to them by id: cheaper than a subquery per VM over thousands of VMs.
 */
static int load_nics(struct rhv_db *db, struct rhv_vm *vms, size_t n, const char *vm_id, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_free_ struct rhv_vm **sorted = rhv_xcalloc(n + 1, sizeof(*sorted));

	if (n == 0)
		return 0;
	if (rhv_db_exec(db,
			"SELECT x.vm_id, x.network, x.model, x.mac::text AS mac, p.name AS profile, p.port_mirroring,"
			" coalesce(p.in_average, 0) AS in_average, coalesce(p.in_peak, 0) AS in_peak,"
			" coalesce(p.in_burst, 0) AS in_burst, coalesce(p.out_average, 0) AS out_average,"
			" coalesce(p.out_peak, 0) AS out_peak, coalesce(p.out_burst, 0) AS out_burst FROM vm_nics x"
			" JOIN vnic_profiles p ON p.id = x.profile_id"
			" WHERE $1::uuid IS NULL OR x.vm_id = $1::uuid ORDER BY x.vm_id, x.idx",
			RHV_PARAMS(vm_id), &r, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &vms[i];
	qsort(sorted, n, sizeof(*sorted), by_id);
	for (int i = 0; i < PQntuples(r); i++) {
		struct rhv_vm key, *kp = &key, **hit;

		snprintf(key.id, sizeof(key.id), "%s", PQgetvalue(r, i, 0));
		hit = bsearch(&kp, sorted, n, sizeof(*sorted), by_id);
		if (hit) {
			struct rhv_vm_nic *nic;

			add_nic(*hit, PQgetvalue(r, i, 1), PQgetvalue(r, i, 4), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3));
			nic = &(*hit)->nics[(*hit)->nnics - 1];
			nic->port_mirroring = rhv_pq_bool(r, i, "port_mirroring");
			nic->in = (struct rhv_qos){ rhv_pq_int(r, i, "in_average"), rhv_pq_int(r, i, "in_peak"),
						    rhv_pq_int(r, i, "in_burst") };
			nic->out = (struct rhv_qos){ rhv_pq_int(r, i, "out_average"), rhv_pq_int(r, i, "out_peak"),
						     rhv_pq_int(r, i, "out_burst") };
		}
	}
	return 0;
}

static void fill_vm(const PGresult *r, int i, struct rhv_vm *vm)
{
	snprintf(vm->id, sizeof(vm->id), "%s", rhv_pq_str(r, i, "id"));
	vm->name = rhv_pq_dup(r, i, "name");
	vm->cluster = rhv_pq_dup(r, i, "cluster");
	vm->description = rhv_pq_dup(r, i, "description");
	vm->memory = (uint64_t)rhv_pq_int(r, i, "memory");
	vm->vcpus = (int)rhv_pq_int(r, i, "vcpus");
	vm->graphics = rhv_pq_dup(r, i, "graphics");
	vm->video = rhv_pq_dup(r, i, "video");
	vm->sound = rhv_pq_dup(r, i, "sound");
	vm->balloon = rhv_pq_bool(r, i, "balloon");
	vm->serial_console = rhv_pq_bool(r, i, "serial_console");
	vm->ha = rhv_pq_bool(r, i, "ha");
	vm->ha_priority = (int)rhv_pq_int(r, i, "ha_priority");
	vm->ha_pending_since = rhv_pq_int(r, i, "ha_pending_since");
	vm->ha_tries = (int)rhv_pq_int(r, i, "ha_tries");
	vm->ha_last_error = rhv_pq_dup(r, i, "ha_last_error");
	vm->pin_host = rhv_pq_dup(r, i, "pin_host");
	vm->disk_count = (int)rhv_pq_int(r, i, "disks");
	vm->snapshot_count = (int)rhv_pq_int(r, i, "snapshots");
	vm->cdrom_iso = rhv_pq_dup(r, i, "cdrom_iso");
	vm->kernel = rhv_pq_dup(r, i, "kernel");
	vm->initrd = rhv_pq_dup(r, i, "initrd");
	vm->kernel_params = rhv_pq_dup(r, i, "kernel_params");
	vm->state = rhv_pq_dup(r, i, "state");
	vm->host = rhv_pq_dup(r, i, "host");
	vm->migrating_to = rhv_pq_dup(r, i, "migrating_to");
	vm->state_since = rhv_pq_int(r, i, "state_since");
	vm->has_usage = rhv_pq_str(r, i, "cpu_pct") != NULL;
	vm->cpu_pct = vm->has_usage ? strtod(rhv_pq_str(r, i, "cpu_pct"), NULL) : NAN;
	vm->mem_used = (uint64_t)rhv_pq_int(r, i, "mem_used");
	vm->created = rhv_pq_int(r, i, "created");
	vm->updated = rhv_pq_int(r, i, "updated");
}

static int load_addresses(struct rhv_db *db, struct rhv_vm *vm, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT key, address FROM vm_addresses WHERE vm_id = $1 ORDER BY key", RHV_PARAMS(vm->id),
			&r, err) < 0)
		return -1;
	vm->naddrs = (size_t)PQntuples(r);
	vm->addrs = rhv_xcalloc(vm->naddrs, sizeof(*vm->addrs));
	for (size_t i = 0; i < vm->naddrs; i++) {
		vm->addrs[i].key = rhv_xstrdup(PQgetvalue(r, (int)i, 0));
		vm->addrs[i].address = rhv_xstrdup(PQgetvalue(r, (int)i, 1));
	}
	return 0;
}

static int get_vm(struct rhv_db *db, const char *name, bool lock, struct rhv_vm *out, char host_id[37],
		  struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db, select_vm, "v", "vms", lock, "VM", name, &r, err) < 0)
		return -1;
	fill_vm(r, 0, out);
	if (host_id)
		snprintf(host_id, 37, "%s", rhv_pq_str(r, 0, "host_id") ? rhv_pq_str(r, 0, "host_id") : "");
	if (load_nics(db, out, 1, out->id, err) < 0)
		return -1;
	return load_addresses(db, out, err);
}

int rhv_vm_get(struct rhv_db *db, const char *name, struct rhv_vm *out, struct rhv_error *err)
{
	if (rhv_check_name(name, 1024, "VM name", err) < 0)
		return -1;
	return get_vm(db, name, false, out, NULL, err);
}

int rhv_db_vm_lock(struct rhv_db *db, const char *name, struct rhv_vm *out, char host_id[37], struct rhv_error *err)
{
	return get_vm(db, name, true, out, host_id, err);
}

int rhv_vm_list(struct rhv_db *db, const struct rhv_vm_filter *f, struct rhv_vm_list *out, struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf("%s WHERE ($1::text IS NULL OR c.name = $1)"
						 " AND ($2::text IS NULL OR h.name = $2)"
						 " AND ($3::text IS NULL OR v.state = $3) ORDER BY v.name",
						 select_vm);
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (f->cluster) {
		_cleanup_pgresult_ PGresult *c = NULL;

		if (rhv_db_exec(db, "SELECT 1 FROM clusters WHERE name = $1", RHV_PARAMS(f->cluster), &c, err) < 0)
			return -1;
		if (PQntuples(c) == 0)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find cluster '%s'", f->cluster);
	}
	if (f->host) {
		_cleanup_pgresult_ PGresult *h = NULL;

		if (rhv_db_exec(db, "SELECT 1 FROM hosts WHERE name = $1", RHV_PARAMS(f->host), &h, err) < 0)
			return -1;
		if (PQntuples(h) == 0)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find host '%s'", f->host);
	}
	if (rhv_db_exec(db, sql, RHV_PARAMS(f->cluster, f->host, f->state), &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, fill_vm);
	return load_nics(db, out->items, out->n, NULL, err);
}

RHV_DEFINE_LIST_CLEAR(vm)

/* ---- create and edit ---- */

struct parsed {
	const struct rhv_vm_spec *s;
	uint64_t memory;
	int64_t vcpus;
	int ha_priority;
	char memory_s[24], vcpus_s[24], ha_priority_s[24];
	struct rhv_db_nic_change *chg; /* edit: NICs of a running VM may change */
};

#define NIC_SYNTAX "NETWORK[/PROFILE][,model=virtio|e1000|rtl8139][,mac=MAC]"

/*
 * "NETWORK[/PROFILE][,model=MODEL][,mac=MAC]" -> "NETWORK[/PROFILE]",
 * model (default virtio) and mac ("" unless given).  Syntax only: the
 * profile is looked up in the VM's data center by add_nics.
 */
static int parse_nic(const char *spec, char *network, size_t nlen, const char **model, char mac[18],
		     struct rhv_error *err)
{
	const char *comma = strchr(spec, ',');
	size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
	const char *slash;
	int m;

	*model = "virtio";
	mac[0] = '\0';
	if (len == 0 || len >= nlen)
		return rhv_error_usage(err, "invalid NIC '%s': expected " NIC_SYNTAX, spec);
	snprintf(network, nlen, "%.*s", (int)len, spec);
	slash = strchr(network, '/');
	if (slash) {
		char net[128];

		snprintf(net, sizeof(net), "%.*s", (int)(slash - network), network);
		if (!net[0] || !slash[1] || strchr(slash + 1, '/'))
			return rhv_error_usage(err, "invalid NIC '%s': expected " NIC_SYNTAX, spec);
		if (rhv_check_name(net, 1024, "network name", err) < 0 ||
		    rhv_check_name(slash + 1, RHV_NET_NAME_MAX, "vNIC profile name", err) < 0)
			return -1;
	} else if (rhv_check_name(network, 1024, "network name", err) < 0)
		return -1;
	while (comma) {
		const char *item = comma + 1;
		const char *next = strchr(item, ',');
		size_t ilen = next ? (size_t)(next - item) : strlen(item);
		char value[64];

		if (!strncmp(item, "model=", 6) && ilen - 6 < sizeof(value)) {
			snprintf(value, sizeof(value), "%.*s", (int)(ilen - 6), item + 6);
			if ((m = rhv_parse_enum(value, rhv_nic_models, "NIC model", err)) < 0)
				return -1;
			*model = rhv_nic_models[m];
		} else if (!strncmp(item, "mac=", 4) && ilen - 4 < sizeof(value)) {
			snprintf(value, sizeof(value), "%.*s", (int)(ilen - 4), item + 4);
			if (rhv_mac_parse(value, mac, err) < 0)
				return -1;
		} else {
			return rhv_error_usage(err, "invalid NIC '%s': expected " NIC_SYNTAX, spec);
		}
		comma = next;
	}
	return 0;
}

static int check_device(const char *v, const char *const *choices, const char *what, bool editing,
			struct rhv_error *err)
{
	if (!v || (editing && !strcmp(v, "none")))
		return 0;
	return rhv_parse_enum(v, choices, what, err) < 0 ? -1 : 0;
}

/* A boot option: "" (none, on edit) or a path on the host / parameters of one line. */
static int check_boot_option(const char *v, const char *what, bool path, bool creating, struct rhv_error *err)
{
	if (!v || (!creating && !*v))
		return 0;
	for (const char *c = v; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return rhv_error_usage(err, "invalid %s: it holds a control character", what);
	if (path && v[0] != '/')
		return rhv_error_usage(err, "invalid %s '%s': give an absolute path on the host", what, v);
	if (!*v || strlen(v) > 1024)
		return rhv_error_usage(err, "invalid %s: 1 to 1024 characters", what);
	return 0;
}

static int spec_check(const struct rhv_vm_spec *s, bool creating, struct parsed *p, struct rhv_error *err)
{
	char network[128], mac[18];
	const char *model;

	memset(p, 0, sizeof(*p));
	p->s = s;
	if (rhv_check_name(s->name, creating ? RHV_VM_NAME_MAX : 1024, "VM name", err) < 0)
		return -1;
	if (s->new_name && rhv_check_name(s->new_name, RHV_VM_NAME_MAX, "new VM name", err) < 0)
		return -1;
	/* libvirt refuses '/' in domain names */
	if ((creating && strchr(s->name, '/')) || (s->new_name && strchr(s->new_name, '/')))
		return rhv_error_usage(err, "invalid VM name '%s': '/' is not allowed", creating ? s->name : s->new_name);
	if (s->description && rhv_check_text(s->description, RHV_DESCRIPTION_MAX, "description", err) < 0)
		return -1;
	if (s->memory) {
		if (rhv_parse_size(s->memory, "memory", &p->memory, err) < 0)
			return -1;
		if (p->memory < RHV_VM_MEMORY_MIN || p->memory > RHV_VM_MEMORY_MAX)
			return rhv_error_usage(err, "invalid memory '%s': must be between 16 MiB and 4 TiB", s->memory);
		if (p->memory % (1 << 20))
			return rhv_error_usage(err, "invalid memory '%s': must be a whole number of MiB", s->memory);
		snprintf(p->memory_s, sizeof(p->memory_s), "%llu", (unsigned long long)p->memory);
	}
	if (s->vcpus) {
		if (rhv_parse_int(s->vcpus, 1, RHV_VM_VCPUS_MAX, "vCPU count", &p->vcpus, err) < 0)
			return -1;
		snprintf(p->vcpus_s, sizeof(p->vcpus_s), "%lld", (long long)p->vcpus);
	}
	if (creating && (!s->cluster || !s->memory || !s->vcpus))
		return rhv_error_usage(err, "a VM needs --cluster, --memory and --vcpus");
	if (check_device(s->graphics, rhv_graphics_kinds, "graphics", !creating, err) < 0 ||
	    check_device(s->video, rhv_video_models, "video model", !creating, err) < 0 ||
	    check_device(s->sound, rhv_sound_models, "sound model", !creating, err) < 0)
		return -1;
	for (const char *const *n = s->add_nics; n && *n; n++)
		if (parse_nic(*n, network, sizeof(network), &model, mac, err) < 0)
			return -1;
	if (s->pin_host && rhv_check_name(s->pin_host, 1024, "host name", err) < 0)
		return -1;
	if (check_boot_option(s->kernel, "kernel path", true, creating, err) < 0 ||
	    check_boot_option(s->initrd, "initrd path", true, creating, err) < 0 ||
	    check_boot_option(s->kernel_params, "kernel parameters", false, creating, err) < 0)
		return -1;
	if (creating && !s->kernel && (s->initrd || s->kernel_params))
		return rhv_error_usage(err, "an initrd and kernel parameters need a kernel (--kernel)");
	if (s->ha_priority) {
		if (rhv_vm_ha_priority_parse(s->ha_priority, "--ha-priority", &p->ha_priority, err) < 0)
			return -1;
		snprintf(p->ha_priority_s, sizeof(p->ha_priority_s), "%d", p->ha_priority);
	}
	return 0;
}

/* A running VM's NIC is never plugged on a mirroring profile (reference 3.14). */
static int refuse_mirroring(struct rhv_db *db, const char *profile_id, const char *what, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			"SELECT p.name, n.name AS network FROM vnic_profiles p JOIN networks n ON n.id = p.network_id"
			" WHERE p.id = $1 AND p.port_mirroring",
			RHV_PARAMS(profile_id), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return 0;
	rhv_error_set(err, RHV_EXIT_CONFLICT,
		      "vNIC profile '%s' of network '%s' has port mirroring: %s a running VM", rhv_pq_str(r, 0, "name"),
		      rhv_pq_str(r, 0, "network"), what);
	rhv_error_hint(err, "stop the VM first, or use a profile without port mirroring");
	return -1;
}

/* Each NIC on its profile, in the VM's cluster's data center, with a MAC from its pool (or given). */
static int add_nics(struct rhv_db *db, const char *vm_id, const char *cluster_id, const char *const *nics,
		    struct rhv_db_nic_change *live, struct rhv_error *err)
{
	static const char sql[] =
		"INSERT INTO vm_nics (vm_id, idx, network, model, mac, profile_id)"
		" VALUES ($1, coalesce((SELECT max(idx) + 1 FROM vm_nics WHERE vm_id = $1), 0), $2, $3, $4::macaddr, $5)";

	for (const char *const *n = nics; n && *n; n++) {
		_cleanup_free_ char *network = NULL;
		char spec[128], mac[18], profile[37];
		const char *model;

		if (parse_nic(*n, spec, sizeof(spec), &model, mac, err) < 0)
			return -1;
		if (rhv_db_vnic_profile_for(db, cluster_id, spec, profile, &network, err) < 0)
			return -1;
		if (live && refuse_mirroring(db, profile, "a NIC on it cannot be plugged into", err) < 0)
			return -1;
		if (mac[0] ? rhv_db_mac_claim(db, cluster_id, mac, err) : rhv_db_mac_allocate(db, cluster_id, mac, err))
			return -1;
		if (rhv_db_exec(db, sql, RHV_PARAMS(vm_id, network, model, mac, profile), NULL, err) < 0)
			return -1;
		if (live) {
			live->added = rhv_xrealloc(live->added, (live->nadded + 1) * sizeof(*live->added));
			live->added[live->nadded++] = rhv_xstrdup(mac);
		}
	}
	return 0;
}

/* Remember a NIC of a running VM before it goes, to put it back if the guest refuses. */
static int keep_removed(struct rhv_db *db, const char *vm_id, const char *mac, const char *key,
			struct rhv_db_nic_change *live, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_db_nic_row *row;

	if (rhv_db_exec(db,
			"SELECT x.idx, x.network, x.model, x.mac::text AS mac, x.profile_id,"
			" (SELECT a.address FROM vm_addresses a WHERE a.vm_id = x.vm_id AND a.key = $3) AS address"
			" FROM vm_nics x WHERE x.vm_id = $1 AND x.mac::text = lower($2) ORDER BY x.idx LIMIT 1",
			RHV_PARAMS(vm_id, mac, key), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return 0; /* the delete says so */
	if (refuse_mirroring(db, rhv_pq_str(r, 0, "profile_id"), "a NIC on it cannot be unplugged from", err) < 0)
		return -1;
	live->removed = rhv_xrealloc(live->removed, (live->nremoved + 1) * sizeof(*live->removed));
	row = &live->removed[live->nremoved++];
	row->idx = (int)rhv_pq_int(r, 0, "idx");
	row->network = rhv_pq_dup(r, 0, "network");
	row->model = rhv_pq_dup(r, 0, "model");
	row->profile_id = rhv_pq_dup(r, 0, "profile_id");
	row->address = rhv_pq_dup(r, 0, "address");
	snprintf(row->mac, sizeof(row->mac), "%s", rhv_pq_str(r, 0, "mac"));
	return 0;
}

void rhv_db_nic_change_clear(struct rhv_db_nic_change *c)
{
	for (size_t i = 0; i < c->nadded; i++)
		free(c->added[i]);
	for (size_t i = 0; i < c->nremoved; i++) {
		free(c->removed[i].network);
		free(c->removed[i].model);
		free(c->removed[i].profile_id);
		free(c->removed[i].address);
	}
	free(c->added);
	free(c->removed);
	memset(c, 0, sizeof(*c));
}

struct undo {
	const struct rhv_db_nic_change *chg;
	const char *why;
};

static int undo_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct undo *u = arg;
	const struct rhv_db_nic_change *c = u->chg;
	struct rhv_vm cur;
	int rc = -1;

	if (rhv_db_vm_lock(db, c->vm_id, &cur, NULL, err) < 0)
		goto out;
	for (size_t i = 0; i < c->nadded; i++) {
		_cleanup_free_ char *key = rhv_xasprintf("interface:%s", c->added[i]);

		if (rhv_db_exec(db, "DELETE FROM vm_nics WHERE vm_id = $1 AND mac::text = lower($2)",
				RHV_PARAMS(c->vm_id, c->added[i]), NULL, err) < 0 ||
		    rhv_db_exec(db, "DELETE FROM vm_addresses WHERE vm_id = $1 AND key = lower($2)",
				RHV_PARAMS(c->vm_id, key), NULL, err) < 0)
			goto out;
	}
	for (size_t i = 0; i < c->nremoved; i++) {
		const struct rhv_db_nic_row *n = &c->removed[i];
		_cleanup_free_ char *key = rhv_xasprintf("interface:%s", n->mac);
		char idx[16];

		snprintf(idx, sizeof(idx), "%d", n->idx);
		if (rhv_db_exec(db,
				"INSERT INTO vm_nics (vm_id, idx, network, model, mac, profile_id)"
				" VALUES ($1, $2::int, $3, $4, $5::macaddr, $6)",
				RHV_PARAMS(c->vm_id, idx, n->network, n->model, n->mac, n->profile_id), NULL, err) < 0)
			goto out;
		if (n->address && rhv_db_exec(db,
					      "INSERT INTO vm_addresses (vm_id, key, address) VALUES ($1, $2, $3)"
					      " ON CONFLICT (vm_id, key) DO UPDATE SET address = excluded.address",
					      RHV_PARAMS(c->vm_id, key, n->address), NULL, err) < 0)
			goto out;
	}
	rc = rhv_event_add(db, RHV_SEV_WARNING, "vm", cur.id, cur.name, "edit", err,
			   "VM '%s' keeps its NICs as they were: the running guest refused the change: %s", cur.name,
			   u->why);
out:
	rhv_vm_clear(&cur);
	return rc;
}

int rhv_db_vm_nic_undo(struct rhv_db *db, const struct rhv_db_nic_change *chg, const char *why,
		       struct rhv_error *err)
{
	struct undo u = { chg, why };

	return rhv_db_txn(db, undo_txn, &u, err);
}

/* The pinned host must be in the VM's cluster; "none" unpins. */
static int resolve_pin(struct rhv_db *db, const char *pin, const char *cluster_id, char out[37],
		       struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	out[0] = '\0';
	if (!pin || !strcmp(pin, "none"))
		return 0;
	if (rhv_db_exec(db, "SELECT id, cluster_id = $2 AS same FROM hosts WHERE name = $1", RHV_PARAMS(pin, cluster_id),
			&r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find host '%s'", pin);
	if (!rhv_pq_bool(r, 0, "same"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' is not in the VM's cluster", pin);
	snprintf(out, 37, "%s", PQgetvalue(r, 0, 0));
	return 0;
}

static int name_taken(struct rhv_error *err, const char *name)
{
	return rhv_error_replace(err, RHV_EXIT_CONFLICT, "VM '%s' already exists", name);
}

static int create_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"INSERT INTO vms (name, cluster_id, description, memory, vcpus, graphics, video, sound, balloon, ha,"
		" pin_host_id, kernel, initrd, kernel_params, serial_console) VALUES ($1, $2, coalesce($3, ''), $4::bigint,"
		" $5::int, $6, $7, $8, $9::boolean, $10::boolean, nullif($11, '')::uuid, $12, $13, $14, $15::boolean)"
		" RETURNING id";
	/* the schema's default unless given */
	static const char priority[] = "UPDATE vms SET ha_priority = $2::int WHERE id = $1";
	const struct parsed *p = arg;
	const struct rhv_vm_spec *s = p->s;
	_cleanup_pgresult_ PGresult *c = NULL, *r = NULL;
	char pin[37];

	/* shared until commit: a concurrent remove of the cluster waits and then sees this VM, or we see it gone */
	if (rhv_db_exec(db, "SELECT id FROM clusters WHERE name = $1 FOR SHARE", RHV_PARAMS(s->cluster), &c, err) < 0)
		return -1;
	if (PQntuples(c) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find cluster '%s'", s->cluster);
	if (resolve_pin(db, s->pin_host, PQgetvalue(c, 0, 0), pin, err) < 0)
		return -1;
	if (rhv_db_exec(db, sql,
			RHV_PARAMS(s->name, PQgetvalue(c, 0, 0), s->description, p->memory_s, p->vcpus_s, s->graphics,
				   s->video, s->sound, s->balloon > 0 ? "true" : "false", s->ha > 0 ? "true" : "false",
				   pin, s->kernel, s->initrd, s->kernel_params, s->serial_console > 0 ? "true" : "false"),
			&r, err) < 0)
		return rhv_db_error_is(err, "23505") ? name_taken(err, s->name) : -1;
	if (add_nics(db, PQgetvalue(r, 0, 0), PQgetvalue(c, 0, 0), s->add_nics, NULL, err) < 0)
		return -1;
	if (s->ha_priority &&
	    rhv_db_command(db, priority, RHV_PARAMS(PQgetvalue(r, 0, 0), p->ha_priority_s), NULL, err) < 0)
		return -1;
	{
		char mem[32], prio[32] = "";

		rhv_format_bytes(p->memory, mem, sizeof(mem));
		if (s->ha_priority)
			snprintf(prio, sizeof(prio), ", HA priority %d", p->ha_priority);
		return rhv_event_add(db, RHV_SEV_NORMAL, "vm", PQgetvalue(r, 0, 0), s->name, "create", err,
				     "VM '%s' created in cluster '%s' (%s, %lld vCPU%s%s)", s->name, s->cluster, mem,
				     (long long)p->vcpus, p->vcpus == 1 ? "" : "s", prio);
	}
}

int rhv_vm_create(struct rhv_db *db, const struct rhv_vm_spec *spec, struct rhv_error *err)
{
	struct parsed p;

	if (spec_check(spec, true, &p, err) < 0)
		return -1;
	if (spec->remove_nics)
		return rhv_error_usage(err, "a new VM has no NICs to remove");
	return rhv_db_txn(db, create_txn, &p, err);
}

/* Forget the stored address of a device that goes away (reference 9.2). */
static int drop_address(struct rhv_db *db, const char *vm_id, const char *key, struct rhv_error *err)
{
	return rhv_db_exec(db, "DELETE FROM vm_addresses WHERE vm_id = $1 AND key LIKE $2", RHV_PARAMS(vm_id, key),
			   NULL, err);
}

static int edit_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE vms SET name = coalesce($2, name), description = coalesce($3, description),"
		" memory = coalesce($4::bigint, memory), vcpus = coalesce($5::int, vcpus),"
		" graphics = CASE WHEN $6 = 'none' THEN NULL ELSE coalesce($6, graphics) END,"
		" video = CASE WHEN $7 = 'none' THEN NULL ELSE coalesce($7, video) END,"
		" sound = CASE WHEN $8 = 'none' THEN NULL ELSE coalesce($8, sound) END,"
		" balloon = coalesce($9::boolean, balloon), ha = coalesce($10::boolean, ha),"
		" pin_host_id = CASE WHEN $11::text IS NULL THEN pin_host_id ELSE nullif($11, '')::uuid END,"
		" ha_priority = coalesce($12::int, ha_priority),"
		" kernel = CASE WHEN $13 = '' THEN NULL ELSE coalesce($13, kernel) END,"
		" initrd = CASE WHEN $14 = '' THEN NULL ELSE coalesce($14, initrd) END,"
		" kernel_params = CASE WHEN $15 = '' THEN NULL ELSE coalesce($15, kernel_params) END,"
		" serial_console = coalesce($16::boolean, serial_console),"
		" updated_at = now() WHERE id = $1";
	const struct parsed *p = arg;
	const struct rhv_vm_spec *s = p->s;
	bool nics = s->add_nics || s->remove_nics;
	bool hardware = s->memory || s->vcpus || s->graphics || s->video || s->sound || s->balloon >= 0 || s->kernel ||
			s->initrd || s->kernel_params || s->serial_console >= 0;
	_cleanup_pgresult_ PGresult *c = NULL;
	struct rhv_db_nic_change *live = NULL;
	struct rhv_vm cur;
	char pin[37], host_id[37];
	int rc = -1;

	if (p->chg) {
		rhv_db_nic_change_clear(p->chg); /* a retried transaction starts over */
		p->chg->running = false;
	}
	if (rhv_db_vm_lock(db, s->name, &cur, host_id, err) < 0)
		goto out;
	/* NICs alone change on a running guest: they are plugged (reference 3.7) */
	if (nics && !hardware && p->chg && strcmp(cur.state, RHV_VM_DOWN)) {
		if (strcmp(cur.state, RHV_VM_UP)) {
			rhv_error_set(err, RHV_EXIT_CONFLICT,
				      "VM '%s' is %s: NICs are plugged into a VM that is Up, or changed while it is Down",
				      cur.name, cur.state);
			goto out;
		}
		live = p->chg;
		live->running = true;
		snprintf(live->vm_id, sizeof(live->vm_id), "%s", cur.id);
		snprintf(live->host_id, sizeof(live->host_id), "%s", host_id);
	}
	hardware |= nics && !live;
	if (hardware && strcmp(cur.state, RHV_VM_DOWN)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is %s: its hardware changes only while it is Down",
			      cur.name, cur.state);
		goto out;
	}
	if (rhv_db_exec(db, "SELECT cluster_id FROM vms WHERE id = $1", RHV_PARAMS(cur.id), &c, err) < 0 ||
	    resolve_pin(db, s->pin_host, PQgetvalue(c, 0, 0), pin, err) < 0)
		goto out;
	if (rhv_db_exec(db, sql,
			RHV_PARAMS(cur.id, s->new_name, s->description, s->memory ? p->memory_s : NULL,
				   s->vcpus ? p->vcpus_s : NULL, s->graphics, s->video, s->sound,
				   s->balloon < 0 ? NULL : s->balloon ? "true" : "false",
				   s->ha < 0 ? NULL : s->ha ? "true" : "false", s->pin_host ? pin : NULL,
				   s->ha_priority ? p->ha_priority_s : NULL, s->kernel, s->initrd, s->kernel_params,
				   s->serial_console < 0 ? NULL : s->serial_console ? "true" : "false"),
			NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			name_taken(err, s->new_name);
		else if (rhv_db_error_is(err, "23514"))
			rhv_error_replace(err, RHV_EXIT_USAGE,
					  "VM '%s': an initrd and kernel parameters need a kernel (--kernel)", cur.name);
		goto out;
	}
	for (const char *const *mac = s->remove_nics; mac && *mac; mac++) {
		long n = 0;
		_cleanup_free_ char *key = rhv_xasprintf("interface:%s", *mac);

		for (char *k = key; *k; k++) /* stored keys carry the MAC in lower case */
			*k = (char)tolower((unsigned char)*k);
		if (live && keep_removed(db, cur.id, *mac, key, live, err) < 0)
			goto out;

		if (rhv_db_command(db, "DELETE FROM vm_nics WHERE vm_id = $1 AND mac::text = lower($2)",
				   RHV_PARAMS(cur.id, *mac), &n, err) < 0)
			goto out;
		if (n == 0) {
			rhv_error_set(err, RHV_EXIT_NOTFOUND, "VM '%s' has no NIC with MAC address '%s'", cur.name, *mac);
			goto out;
		}
		if (drop_address(db, cur.id, key, err) < 0)
			goto out;
	}
	if (add_nics(db, cur.id, PQgetvalue(c, 0, 0), s->add_nics, live, err) < 0)
		goto out;
	if ((s->video && !strcmp(s->video, "none") && drop_address(db, cur.id, "video:%", err) < 0) ||
	    (s->sound && drop_address(db, cur.id, "sound:%", err) < 0) ||
	    (s->balloon == 0 && drop_address(db, cur.id, "memballoon", err) < 0))
		goto out;
	{
		_cleanup_free_ char *what = NULL;

		if (s->new_name)
			rhv_xappendf(&what, ", ", "name %s", s->new_name);
		if (s->description)
			rhv_xappendf(&what, ", ", "description");
		if (s->memory) {
			char mem[32];

			rhv_format_bytes(p->memory, mem, sizeof(mem));
			rhv_xappendf(&what, ", ", "memory %s", mem);
		}
		if (s->vcpus)
			rhv_xappendf(&what, ", ", "vCPUs %lld", (long long)p->vcpus);
		for (const char *const *n = s->add_nics; n && *n; n++)
			rhv_xappendf(&what, ", ", "NIC added on %s", *n);
		for (const char *const *n = s->remove_nics; n && *n; n++)
			rhv_xappendf(&what, ", ", "NIC %s removed", *n);
		if (s->graphics)
			rhv_xappendf(&what, ", ", "graphics %s", s->graphics);
		if (s->video)
			rhv_xappendf(&what, ", ", "video %s", s->video);
		if (s->sound)
			rhv_xappendf(&what, ", ", "sound %s", s->sound);
		if (s->balloon >= 0)
			rhv_xappendf(&what, ", ", "balloon %s", s->balloon ? "on" : "off");
		if (s->ha >= 0)
			rhv_xappendf(&what, ", ", "HA %s", s->ha ? "on" : "off");
		if (s->ha_priority)
			rhv_xappendf(&what, ", ", "HA priority %d -> %d", cur.ha_priority, p->ha_priority);
		if (s->pin_host)
			rhv_xappendf(&what, ", ", "pinned to %s", s->pin_host);
		if (s->kernel)
			rhv_xappendf(&what, ", ", *s->kernel ? "kernel %s" : "no kernel%s", s->kernel);
		if (s->initrd)
			rhv_xappendf(&what, ", ", *s->initrd ? "initrd %s" : "no initrd%s", s->initrd);
		if (s->kernel_params)
			rhv_xappendf(&what, ", ", *s->kernel_params ? "kernel parameters" : "no kernel parameters");
		if (s->serial_console >= 0)
			rhv_xappendf(&what, ", ", "serial console %s", s->serial_console ? "on" : "off");
		rc = rhv_event_add(db, RHV_SEV_NORMAL, "vm", cur.id, s->new_name ? s->new_name : cur.name, "edit", err,
				   "VM '%s' changed: %s", cur.name, what);
	}
out:
	rhv_vm_clear(&cur);
	return rc;
}

int rhv_vm_edit(struct rhv_db *db, const struct rhv_vm_spec *spec, struct rhv_error *err)
{
	return rhv_db_vm_edit(db, spec, NULL, err);
}

int rhv_db_vm_edit(struct rhv_db *db, const struct rhv_vm_spec *spec, struct rhv_db_nic_change *chg,
		   struct rhv_error *err)
{
	struct parsed p;

	if (spec_check(spec, false, &p, err) < 0)
		return -1;
	p.chg = chg;
	if (!spec->new_name && !spec->description && !spec->memory && !spec->vcpus && !spec->add_nics &&
	    !spec->remove_nics && !spec->graphics && !spec->video && !spec->sound && spec->balloon < 0 &&
	    spec->ha < 0 && !spec->pin_host && !spec->ha_priority && !spec->kernel && !spec->initrd &&
	    !spec->kernel_params && spec->serial_console < 0)
		return rhv_error_usage(err, "nothing to change: give at least one option");
	return rhv_db_txn(db, edit_txn, &p, err);
}

static int remove_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct rhv_vm cur;
	int rc = -1;

	if (rhv_db_vm_lock(db, arg, &cur, NULL, err) < 0)
		goto out;
	if (strcmp(cur.state, RHV_VM_DOWN)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is %s on host '%s': stop it first", cur.name, cur.state,
			      cur.host ? cur.host : "?");
		goto out;
	}
	/* a preview's layers and an interrupted operation's are known only by the snapshot's row */
	{
		_cleanup_pgresult_ PGresult *r = NULL;

		if (rhv_db_exec(db,
				"SELECT id, status FROM snapshots WHERE vm_id = $1 AND status IN ('Locked', 'InPreview')"
				" LIMIT 1",
				RHV_PARAMS(cur.id), &r, err) < 0)
			goto out;
		if (PQntuples(r) > 0) {
			bool preview = !strcmp(rhv_pq_str(r, 0, "status"), "InPreview");

			rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' %s snapshot %s", cur.name,
				      preview ? "is previewing" : "has an unfinished operation on", rhv_pq_str(r, 0, "id"));
			rhv_error_hint(err, preview ? RHV_SNAP_PREVIEW_HINT
						    : RHV_SNAP_RESUME_HINT,
				       cur.name, cur.name);
			goto out;
		}
	}
	if (rhv_db_exec(db, "DELETE FROM vms WHERE id = $1", RHV_PARAMS(cur.id), NULL, err) < 0)
		goto out;
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "vm", cur.id, cur.name, "remove", err, "VM '%s' removed", cur.name);
out:
	rhv_vm_clear(&cur);
	return rc;
}

int rhv_vm_remove(struct rhv_db *db, const char *name, struct rhv_error *err)
{
	if (rhv_check_name(name, 1024, "VM name", err) < 0)
		return -1;
	return rhv_db_txn(db, remove_txn, (void *)name, err);
}

/* ---- state, for vmops.c and monitor.c ---- */

int rhv_db_vm_set_state(struct rhv_db *db, const struct rhv_vm *vm, const char *state, const char *host_id,
			const char *migrating_to, enum rhv_exit sev_class, const char *message, struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE vms SET state = $2, host_id = $3::uuid, migrating_to = $4::uuid, state_since = now(),"
		" run_token = run_token + 1,"
		" cpu_pct = CASE WHEN $2 = 'Down' THEN NULL ELSE cpu_pct END,"
		" mem_used = CASE WHEN $2 = 'Down' THEN NULL ELSE mem_used END,"
		" updated_at = now() WHERE id = $1";
	enum rhv_severity sev = sev_class == RHV_EXIT_OK ? RHV_SEV_NORMAL
				: sev_class == RHV_EXIT_CONFLICT ? RHV_SEV_WARNING
								  : RHV_SEV_ERROR;

	if (rhv_db_exec(db, sql, RHV_PARAMS(vm->id, state, host_id, migrating_to), NULL, err) < 0)
		return -1;
	if (!message)
		return 0;
	return rhv_event_add(db, sev, "vm", vm->id, vm->name, state, err, "%s", message);
}

int rhv_db_vm_keep_addresses(struct rhv_db *db, const char *vm_id, const struct rhv_vm_addr *addrs, size_t n,
			     struct rhv_error *err)
{
	static const char sql[] = "INSERT INTO vm_addresses (vm_id, key, address) VALUES ($1, $2, $3)"
				  " ON CONFLICT (vm_id, key) DO NOTHING";

	for (size_t i = 0; i < n; i++)
		if (rhv_db_exec(db, sql, RHV_PARAMS(vm_id, addrs[i].key, addrs[i].address), NULL, err) < 0)
			return -1;
	return 0;
}

/* ---- claims and records of the flows (ops/vmops.c) ---- */

int rhv_db_vm_cluster_id(struct rhv_db *db, const char *name, char cluster_id[37], struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_db_by_name_sql("SELECT v.cluster_id FROM vms v", "v", "vms", false);
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, sql, RHV_PARAMS(name), &r, err) < 0)
		return -1;
	if (PQntuples(r) != 1)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find VM '%s'", name);
	snprintf(cluster_id, 37, "%s", PQgetvalue(r, 0, 0));
	return 0;
}

int rhv_db_vm_lock_where(struct rhv_db *db, const char *id, struct rhv_vm_where *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *cur = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db, "SELECT id, name, state, host_id FROM vms WHERE id = $1 FOR UPDATE", RHV_PARAMS(id), &cur,
			err) < 0)
		return -1;
	out->found = PQntuples(cur) == 1;
	if (out->found) {
		out->name = rhv_pq_dup(cur, 0, "name");
		out->state = rhv_pq_dup(cur, 0, "state");
		out->host_id = rhv_pq_dup(cur, 0, "host_id");
	}
	return 0;
}

void rhv_vm_where_clear(struct rhv_vm_where *w)
{
	free(w->name);
	free(w->state);
	free(w->host_id);
	memset(w, 0, sizeof(*w));
}

int rhv_db_vm_migrated(struct rhv_db *db, const char *id, struct rhv_error *err)
{
	return rhv_db_exec(db, "UPDATE vms SET last_migration = now() WHERE id = $1", RHV_PARAMS(id), NULL, err);
}
