/*
 * Start, stop, shutdown and migrate, on the VM's host through libvirt.
 * Pattern: claim (short transaction: lock, check the state, schedule, mark
 * the VM WaitForLaunch / PoweringDown / MigratingFrom), act (libvirt, no
 * transaction open), record (short transaction, only if the claim is still
 * ours).  The monitor repairs what a killed process leaves behind.
 */
#include "rhv/common.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/host.h"
#include "store/placement.h"
#include "store/txn.h"
#include "store/snapshot.h"
#include "rhv/cputype.h"
#include "rhv/domxml.h"
#include "rhv/event.h"
#include "rhv/mirror.h"
#include "rhv/parse.h"
#include "rhv/policy.h"
#include "rhv/progress.h"
#include "rhv/sched.h"
#include "rhv/settings.h"
#include "rhv/virt.h"
#include "rhv/vmops.h"
#include "store/vm.h"
#include "store/vmnet.h"
#include "ops/mirror.h"
#include "ops/snaprestore.h"
#include "ops/vmnics.h"

/* ---- the cluster as the scheduler sees it ---- */

struct snap_host {
	char id[37];
	char *name, *uri;
	bool kvm, emulated;
	struct rhv_db_host_nets nets;
};

struct snapshot {
	struct rhv_sched_host *hosts;
	struct snap_host *info;
	size_t n;
	int policy;
	struct rhv_sched_params params;
	char cpu_type[32];
};

static void snapshot_clear(struct snapshot *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->info[i].name);
		free(s->info[i].uri);
		rhv_db_host_nets_clear(&s->info[i].nets);
	}
	free(s->hosts);
	free(s->info);
	memset(s, 0, sizeof(*s));
}

/*
 * Read the cluster's hosts with what is placed on them, under the cluster's
 * row lock: placements in one cluster are decided one at a time.
 */
static int load_snapshot(struct rhv_db *db, const char *cluster_id, int max_incoming, struct snapshot *s,
			 struct rhv_error *err)
{
	struct rhv_db_placement pl = { 0 };

	memset(s, 0, sizeof(*s));
	rhv_sched_params_default(&pl.params);
	pl.params.max_incoming = max_incoming;
	if (rhv_db_cluster_placement(db, cluster_id, &pl, err) < 0)
		return -1;
	s->policy = pl.policy;
	snprintf(s->cpu_type, sizeof(s->cpu_type), "%s", pl.cpu_type);
	s->params = pl.params;
	s->n = pl.n;
	s->hosts = rhv_xcalloc(s->n, sizeof(*s->hosts));
	s->info = rhv_xcalloc(s->n, sizeof(*s->info));
	for (size_t i = 0; i < s->n; i++) {
		struct rhv_sched_host *h = &s->hosts[i];
		struct snap_host *in = &s->info[i];
		struct rhv_db_place_host *row = &pl.hosts[i];

		snprintf(in->id, sizeof(in->id), "%s", row->id);
		in->name = row->name; /* the snapshot owns them now */
		in->uri = row->uri;
		row->name = row->uri = NULL;
		in->kvm = row->kvm;
		in->emulated = row->emulated;
		in->nets = row->nets; /* owned by the snapshot now */
		memset(&row->nets, 0, sizeof(row->nets));
		h->nets = &in->nets.pub;
		h->name = in->name;
		h->up = !strcmp(row->state, RHV_HOST_UP);
		h->in_cluster = true;
		h->is_spm = row->is_spm;
		h->cores = row->cpus;
		h->mem_total = row->mem_total;
		h->mem_committed = row->committed;
		h->cpu_pct = row->cpu_pct;
		h->vm_count = row->vms;
		h->vcpus_pending = row->pending;
		h->migrations_in = row->mig_in;
		h->migrations_out = row->mig_out;
	}
	rhv_db_placement_clear(&pl);
	return 0;
}

static int host_index(const struct snapshot *s, const char *name_or_id)
{
	for (size_t i = 0; name_or_id && i < s->n; i++)
		if (!strcmp(s->info[i].name, name_or_id) || !strcmp(s->info[i].id, name_or_id))
			return (int)i;
	return -1;
}

static void fill_explain(const struct snapshot *s, const struct rhv_sched_verdict *v, int chosen,
			 struct rhv_placement *out)
{
	if (out)
		rhv_placement_fill(out, s->policy, s->hosts, v, s->n, chosen);
}

/* Pick a host (or check the one asked for); *target is the index. */
static int place(const struct snapshot *s, const char *vm_name, struct rhv_sched_vm *svm, const char *asked,
		 struct rhv_placement *explain, int *target, struct rhv_error *err)
{
	_cleanup_free_ struct rhv_sched_verdict *v = rhv_xcalloc(s->n + 1, sizeof(*v));
	int pinned = svm->pinned_host;

	if (asked) {
		int i = host_index(s, asked);

		if (i < 0)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find host '%s' in the VM's cluster", asked);
		if (svm->current_host == i)
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' already runs on host '%s'", vm_name, asked);
		if (pinned >= 0 && pinned != i)
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is pinned to host '%s'", vm_name,
					     s->info[pinned].name);
		svm->pinned_host = i; /* only that host may take it; the filters still apply */
	}
	*target = rhv_sched_place(s->hosts, s->n, svm, s->policy, &s->params, v);
	svm->pinned_host = pinned;
	fill_explain(s, v, *target, explain);
	if (*target >= 0)
		return 0;
	if (asked) {
		int i = host_index(s, asked);

		return rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' cannot take VM '%s': %s", asked, vm_name,
				     v[i].reason);
	}
	rhv_error_set(err, RHV_EXIT_CONFLICT, "no host can take VM '%s'", vm_name);
	{
		char detail[480] = "";

		for (size_t i = 0; i < s->n && strlen(detail) < sizeof(detail) - 1; i++)
			snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail), "%s%s: %s", i ? "; " : "",
				 s->info[i].name, v[i].reason);
		rhv_error_detail(err, "%s", s->n ? detail : "the cluster has no hosts");
	}
	return -1;
}

/* ---- claims ---- */

struct claim {
	const char *name;      /* the VM as named by the user */
	const char *asked;     /* --host */
	struct rhv_placement *explain;
	const char *const *allowed; /* states the VM may be in */
	const char *new_state;
	bool schedule, migrate;
	struct rhv_settings *settings;
	/* out */
	struct rhv_vm vm;
	char src_id[37], dst_id[37];
	char *src_name, *src_uri, *dst_name, *dst_uri;
	char *cpu_model;
	bool dst_kvm;
	struct rhv_db_host_nets dst_nets; /* the networks of the host it goes to */
	char *mig_address;                /* the destination's address on the migration network */
	const char *mig_role;             /* "migration", or "management" when it has none there */
};

static void claim_clear(struct claim *c)
{
	rhv_vm_clear(&c->vm);
	free(c->src_name);
	free(c->src_uri);
	free(c->dst_name);
	free(c->dst_uri);
	free(c->cpu_model);
	free(c->mig_address);
	rhv_db_host_nets_clear(&c->dst_nets);
}

static bool state_in(const char *state, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (!strcmp(state, *allowed))
			return true;
	return false;
}

static int host_by_id(struct rhv_db *db, const char *id, char **name, char **uri, struct rhv_error *err)
{
	int found = rhv_db_host_name_uri(db, id, name, uri, err);

	if (found < 0)
		return -1;
	if (!found)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "the VM's host is gone from the store");
	return 0;
}

/* The VM's networks, each once, for the scheduler's network filter. */
static void vm_networks(const struct rhv_vm *vm, const char **out, struct rhv_sched_vm *svm)
{
	size_t n = 0;

	for (size_t i = 0; i < vm->nnics; i++) {
		bool seen = false;

		for (size_t j = 0; j < n && !seen; j++)
			seen = !strcmp(out[j], vm->nics[i].network);
		if (!seen)
			out[n++] = vm->nics[i].network;
	}
	svm->networks = out;
	svm->nnetworks = n;
}

static int claim_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct claim *c = arg;
	char cluster_id[37];
	struct snapshot s = { 0 };
	struct rhv_sched_vm svm;
	_cleanup_free_ const char **networks = NULL;
	int target = -1, rc = -1;

	claim_clear(c);
	memset(&c->vm, 0, sizeof(c->vm));
	c->src_name = c->src_uri = c->dst_name = c->dst_uri = c->cpu_model = c->mig_address = NULL;
	c->mig_role = NULL;
	/* lock order everywhere: cluster, then VM, then hosts */
	if (rhv_db_vm_cluster_id(db, c->name, cluster_id, err) < 0)
		return -1;
	if (c->schedule &&
	    load_snapshot(db, cluster_id, (int)c->settings->v[RHV_SET_MIGRATION_MAX_INCOMING], &s, err) < 0)
		goto out;
	if (rhv_db_vm_lock(db, c->name, &c->vm, c->src_id, err) < 0)
		goto out;
	/* a start needs its disks' domains Active; a migration takes the disks as they are */
	if (c->schedule && rhv_db_vm_load_storage(db, &c->vm, !c->migrate, err) < 0)
		goto out;
	networks = rhv_xcalloc(c->vm.nnics + 1, sizeof(*networks));
	if (!state_in(c->vm.state, c->allowed)) {
		if (!strcmp(c->vm.state, RHV_VM_DOWN))
			rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is Down", c->vm.name);
		else
			rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is %s on host '%s'", c->vm.name, c->vm.state,
				      c->vm.host ? c->vm.host : "?");
		goto out;
	}
	if (c->src_id[0] && host_by_id(db, c->src_id, &c->src_name, &c->src_uri, err) < 0)
		goto out;
	/* a snapshot or a merge works on the guest's chain on this host: it moves afterwards */
	if (c->migrate && rhv_db_snap_busy(db, c->vm.id, c->vm.name, err) < 0)
		goto out;
	if (c->schedule) {
		int src = c->migrate ? host_index(&s, c->src_id) : -1;

		svm = (struct rhv_sched_vm){ c->vm.memory, c->vm.vcpus, host_index(&s, c->vm.pin_host), src, NULL, 0 };
		vm_networks(&c->vm, networks, &svm);
		if (c->migrate && c->vm.pin_host) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is pinned to host '%s' and cannot migrate",
				      c->vm.name, c->vm.pin_host);
			goto out;
		}
		if (c->migrate && src >= 0) {
			int64_t limit = c->settings->v[RHV_SET_MIGRATION_MAX_OUTGOING];

			if (s.hosts[src].cores > 0 && s.hosts[src].cores < limit)
				limit = s.hosts[src].cores; /* min(2, cores): reference 5.9 */
			if (s.hosts[src].migrations_out >= limit) {
				rhv_error_set(err, RHV_EXIT_CONFLICT,
					      "host '%s' already has %d outgoing migration%s, its limit",
					      c->src_name, s.hosts[src].migrations_out,
					      s.hosts[src].migrations_out == 1 ? "" : "s");
				goto out;
			}
		}
		if (place(&s, c->vm.name, &svm, c->asked, c->explain, &target, err) < 0)
			goto out;
		snprintf(c->dst_id, sizeof(c->dst_id), "%s", s.info[target].id);
		c->dst_name = rhv_xstrdup(s.info[target].name);
		c->dst_uri = rhv_xstrdup(s.info[target].uri);
		c->dst_kvm = s.info[target].kvm && !s.info[target].emulated;
		c->dst_nets = s.info[target].nets;
		memset(&s.info[target].nets, 0, sizeof(s.info[target].nets));
		if (c->migrate && rhv_db_migration_address(db, c->dst_id, &c->mig_address, &c->mig_role, err) < 0)
			goto out;
		if (rhv_cpu_type_find(s.cpu_type))
			c->cpu_model = rhv_xstrdup(rhv_cpu_type_find(s.cpu_type)->libvirt_model);
	}
	if (c->migrate) {
		_cleanup_free_ char *msg = rhv_xasprintf("VM '%s' migrating from host '%s' to host '%s'", c->vm.name,
							 c->src_name, c->dst_name);

		rc = rhv_db_vm_set_state(db, &c->vm, RHV_VM_MIGRATING, c->src_id, c->dst_id, RHV_EXIT_OK, msg, err);
	} else if (c->schedule) {
		_cleanup_free_ char *msg = rhv_xasprintf("VM '%s' starting on host '%s'", c->vm.name, c->dst_name);

		rc = rhv_db_vm_set_state(db, &c->vm, c->new_state, c->dst_id, NULL, RHV_EXIT_OK, msg, err);
	} else {
		rc = rhv_db_vm_set_state(db, &c->vm, c->new_state, c->src_id, NULL, RHV_EXIT_OK, NULL, err);
	}
out:
	snapshot_clear(&s);
	return rc;
}

/* ---- records ---- */

struct record {
	const char *vm_id;
	const char *expect_state, *expect_host; /* only if the claim is still ours */
	const char *state, *host_id;
	enum rhv_exit sev;
	const char *message;
	const struct rhv_vm_addr *addrs;
	size_t naddrs;
	bool stale; /* out: someone else changed the VM meanwhile */
	bool migrated;
};

static int record_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct record *r = arg;
	struct rhv_vm_where cur;
	struct rhv_vm vm = { 0 };
	int rc = -1;

	if (rhv_db_vm_lock_where(db, r->vm_id, &cur, err) < 0)
		return -1;
	r->stale = !cur.found || strcmp(cur.state, r->expect_state) || !cur.host_id ||
		   strcmp(cur.host_id, r->expect_host);
	if (r->stale) {
		rc = 0;
		goto out;
	}
	snprintf(vm.id, sizeof(vm.id), "%s", r->vm_id);
	vm.name = cur.name;
	if (rhv_db_vm_set_state(db, &vm, r->state, r->host_id, NULL, r->sev, r->message, err) < 0)
		goto out;
	/* the balancer's cool-down reads when a VM last moved */
	if (r->migrated && rhv_db_vm_migrated(db, r->vm_id, err) < 0)
		goto out;
	rc = rhv_db_vm_keep_addresses(db, r->vm_id, r->addrs, r->naddrs, err);
out:
	rhv_vm_where_clear(&cur);
	return rc;
}

static int record(struct rhv_db *db, struct record *r, struct rhv_error *err)
{
	struct rhv_error ignored = { 0 };

	/* the outcome must be written even when the operation failed */
	return rhv_db_txn(db, record_txn, r, err->code ? &ignored : err);
}

static int load_settings(struct rhv_db *db, struct rhv_settings *st, struct rhv_error *err)
{
	return rhv_settings_load(db, st, err);
}

static bool is_session(const char *uri)
{
	return strstr(uri, "/session") != NULL;
}

/*
 * How the VM's networks reach guests on a host.  A host whose networks
 * rhv-net has read: each network on the bridge set up for it there (the
 * scheduler's network filter saw to it that the VM's are).  A host never
 * read keeps what hosts had before: a session daemon (the lab) gives user
 * networking, a system daemon the ovirtmgmt bridge.  The profiles' QoS on a
 * system daemon only.  *nets (caller frees) backs o->nets.
 */
static void nic_backing(const char *uri, const struct rhv_host_nets *hn, struct rhv_domxml_opts *o,
			struct rhv_domxml_net **nets)
{
	static const struct rhv_domxml_net user_net = { NULL, "user", NULL };
	static const struct rhv_domxml_net mgmt_bridge = { RHV_MGMT_NETWORK, "bridge", RHV_MGMT_NETWORK };
	size_t n = 0;

	*nets = NULL;
	/* libvirt shapes taps with tc, which a session daemon may not run: it refuses <bandwidth> */
	o->no_bandwidth = is_session(uri);
	if (!hn || !hn->known) {
		o->nets = is_session(uri) ? NULL : &mgmt_bridge;
		o->nnets = is_session(uri) ? 0 : 1;
		o->nic_default = is_session(uri) ? &user_net : NULL;
		return;
	}
	*nets = rhv_xcalloc(hn->n + 1, sizeof(**nets));
	for (size_t i = 0; i < hn->n; i++)
		if (hn->nets[i].bridge)
			(*nets)[n++] = (struct rhv_domxml_net){ hn->nets[i].network, "bridge", hn->nets[i].bridge };
	o->nets = *nets;
	o->nnets = n;
	o->nic_default = NULL;
}

static char *build_xml(const struct rhv_vm *vm, const char *uri, bool kvm, const char *cpu_model,
		       const struct rhv_host_nets *hn, struct rhv_error *err)
{
	_cleanup_free_ struct rhv_domxml_net *nets = NULL;
	struct rhv_domxml_opts o = {
		.domain_type = kvm ? "kvm" : "qemu",
		.cpu_model = kvm ? cpu_model : NULL,
	};

	nic_backing(uri, hn, &o, &nets);
	return rhv_domxml_build(vm, &o, err);
}

char *rhv_ops_nic_xml(const struct rhv_vm *vm, const struct rhv_vm_nic *nic, const char *uri,
		      const struct rhv_host_nets *hn, struct rhv_error *err)
{
	_cleanup_free_ struct rhv_domxml_net *nets = NULL;
	struct rhv_domxml_opts o = { 0 };

	nic_backing(uri, hn, &o, &nets);
	return rhv_domxml_nic(vm, nic, &o, err);
}

/* ---- start ---- */

static const char *const startable[] = { RHV_VM_DOWN, NULL };

int rhv_vm_start(struct rhv_db *db, const char *name, const char *host, struct rhv_placement *explain,
		 const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_settings st;
	struct claim c = { .name = name, .asked = host, .explain = explain, .allowed = startable,
			   .new_state = RHV_VM_LAUNCHING, .schedule = true, .settings = &st };
	_cleanup_free_ char *xml = NULL, *live = NULL, *msg = NULL;
	struct rhv_vm_addr *addrs = NULL;
	size_t naddrs = 0;
	bool resumed = false;
	_cleanup_virt_conn_ struct rhv_virt_conn *conn = NULL;
	_cleanup_virt_dom_ struct rhv_virt_dom *dom = NULL;
	int rc = -1;

	if (rhv_check_name(name, 1024, "VM name", err) < 0 || (host && rhv_check_name(host, 1024, "host name", err) < 0) ||
	    load_settings(db, &st, err) < 0)
		return -1;
	if (rhv_db_txn(db, claim_txn, &c, err) < 0) {
		claim_clear(&c);
		return -1;
	}
	rhv_progress_note(p, "VM '%s' starting on host '%s'", c.vm.name, c.dst_name);
	xml = build_xml(&c.vm, c.dst_uri, c.dst_kvm, c.cpu_model, &c.dst_nets.pub, err);
	if (xml)
		conn = rhv_virt_open(c.dst_uri, (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS] * 1000, err);
	if (conn) {
		_cleanup_free_ char *what = rhv_xasprintf("VM '%s' on host '%s'", c.vm.name, c.dst_name);

		dom = rhv_ops_start_domain(db, &c.vm, conn, xml, what, &resumed, err);
	}
	if (dom) {
		live = rhv_virt_dom_xml(dom);
		if (live && rhv_domxml_addresses(live, &addrs, &naddrs, err) < 0)
			rhv_error_clear(err); /* addresses are kept at the next start instead */
		msg = rhv_xasprintf("VM '%s' %s on host '%s'", c.vm.name,
				    resumed ? "resumed from its snapshot's saved memory" : "started", c.dst_name);
		{
			struct record r = { c.vm.id, RHV_VM_LAUNCHING, c.dst_id, RHV_VM_UP, c.dst_id, RHV_EXIT_OK, msg,
					    addrs, naddrs, false };

			rc = record(db, &r, err);
			if (rc == 0 && r.stale) {
				rhv_progress_warn(p, "VM '%s' changed while it started; the monitor will reconcile it",
						  c.vm.name);
			}
		}
		if (rc == 0)
			rhv_progress_note(p, "%s", msg);
		rhv_ops_mirror_apply(db, &c.vm, c.dst_name, &c.dst_nets.pub, dom, p);
	} else {
		struct record r = { c.vm.id, RHV_VM_LAUNCHING, c.dst_id, RHV_VM_DOWN, NULL, RHV_EXIT_FAILED, NULL, NULL,
				    0, false };

		msg = rhv_xasprintf("VM '%s' failed to start on host '%s': %s", c.vm.name, c.dst_name, err->message);
		r.message = msg;
		record(db, &r, err);
	}
	rhv_domxml_addrs_free(addrs, naddrs);
	claim_clear(&c);
	return rc;
}

/* ---- stop and shutdown ---- */

static const char *const stoppable[] = { RHV_VM_UP, RHV_VM_PAUSED, RHV_VM_POWERING_DOWN, RHV_VM_UNKNOWN,
					 RHV_VM_LAUNCHING, NULL };

/* Wait until the domain is gone or shut off; true if it did within timeout. */
static bool wait_gone(struct rhv_virt_dom *dom, int timeout)
{
	time_t end = time(NULL) + timeout;

	do {
		enum rhv_virt_state state;

		if (rhv_virt_dom_state(dom, &state, NULL) < 0 || state == RHV_VIRT_SHUTOFF)
			return true;
		usleep(200 * 1000);
	} while (time(NULL) < end);
	return false;
}

static int power_down(struct rhv_db *db, const char *name, int timeout, const struct rhv_progress *p,
		      struct rhv_error *err)
{
	struct rhv_settings st;
	struct claim c = { .name = name, .allowed = stoppable, .new_state = RHV_VM_POWERING_DOWN, .settings = &st };
	_cleanup_virt_conn_ struct rhv_virt_conn *conn = NULL;
	_cleanup_virt_dom_ struct rhv_virt_dom *dom = NULL;
	_cleanup_free_ char *msg = NULL;
	bool acpi = false;
	int rc = -1;

	if (rhv_check_name(name, 1024, "VM name", err) < 0 || load_settings(db, &st, err) < 0)
		return -1;
	if (timeout < 0)
		timeout = (int)st.v[RHV_SET_VM_SHUTDOWN_TIMEOUT];
	if (rhv_db_txn(db, claim_txn, &c, err) < 0) {
		claim_clear(&c);
		return -1;
	}
	conn = rhv_virt_open(c.src_uri, (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS] * 1000, err);
	if (!conn) {
		/* the host is unreachable: the VM keeps its state, nothing is known */
		struct record r = { c.vm.id, RHV_VM_POWERING_DOWN, c.src_id, c.vm.state, c.src_id, RHV_EXIT_OK, NULL,
				    NULL, 0, false };

		record(db, &r, err);
		goto out;
	}
	dom = rhv_virt_dom_lookup(conn, c.vm.id, NULL, NULL);
	if (dom && timeout > 0) {
		rhv_progress_note(p, "VM '%s' shutting down (ACPI, up to %d s)", c.vm.name, timeout);
		acpi = rhv_virt_dom_shutdown(dom) == 0 && wait_gone(dom, timeout);
	}
	if (dom && !acpi &&
	    rhv_virt_dom_destroy(dom, err, "cannot power off VM '%s' on host '%s'", c.vm.name, c.src_name) < 0) {
		struct record r = { c.vm.id, RHV_VM_POWERING_DOWN, c.src_id, c.vm.state, c.src_id, RHV_EXIT_OK, NULL,
				    NULL, 0, false };

		record(db, &r, err);
		goto out;
	}
	msg = !dom		 ? rhv_xasprintf("VM '%s' is Down: it was no longer running on host '%s'", c.vm.name, c.src_name)
	      : acpi		 ? rhv_xasprintf("VM '%s' shut down on host '%s'", c.vm.name, c.src_name)
	      : timeout > 0 ? rhv_xasprintf("VM '%s' powered off on host '%s' after %d s without shutting down",
					     c.vm.name, c.src_name, timeout)
			     : rhv_xasprintf("VM '%s' powered off on host '%s'", c.vm.name, c.src_name);
	{
		struct record r = { c.vm.id, RHV_VM_POWERING_DOWN, c.src_id, RHV_VM_DOWN, NULL, RHV_EXIT_OK, msg, NULL, 0,
				    false };

		rc = record(db, &r, err);
	}
	if (rc == 0)
		rhv_progress_note(p, "%s", msg);
	rhv_ops_mirror_release(db, &c.vm, c.src_id, c.src_name, p);
out:
	claim_clear(&c);
	return rc;
}

int rhv_vm_stop(struct rhv_db *db, const char *name, const struct rhv_progress *p, struct rhv_error *err)
{
	return power_down(db, name, 0, p, err);
}

int rhv_vm_shutdown(struct rhv_db *db, const char *name, int timeout, const struct rhv_progress *p,
		    struct rhv_error *err)
{
	return power_down(db, name, timeout < 0 ? -1 : timeout == 0 ? 0 : timeout, p, err);
}

/* ---- live migration ---- */

struct migration {
	struct rhv_virt_dom *dom;
	struct rhv_virt_conn *dconn;
	struct rhv_virt_migration how;
	bool done, ok;
	struct rhv_error err;
	pthread_mutex_t lock;
};

static void *migrate_thread(void *arg)
{
	struct migration *m = arg;
	struct rhv_error e = { 0 };
	bool moved = rhv_virt_dom_migrate(m->dom, m->dconn, &m->how, &e, "live migration failed") == 0;

	pthread_mutex_lock(&m->lock);
	m->ok = moved;
	m->err = e;
	m->done = true;
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

/*
 * tcp://HOST of the destination for QEMU's stream: its address on the
 * cluster's migration network when it has one, else on the management
 * network (given without a prefix length, an IPv6 address in brackets),
 * else the URI's host, else loopback.
 */
static char *migration_uri(const char *dst_uri, const char *mig_address)
{
	const char *p = strstr(dst_uri, "://");
	const char *host, *end;

	if (mig_address && *mig_address) {
		int len = (int)strcspn(mig_address, "/");

		return strchr(mig_address, ':') ? rhv_xasprintf("tcp://[%.*s]", len, mig_address)
						: rhv_xasprintf("tcp://%.*s", len, mig_address);
	}

	if (!p)
		return rhv_xstrdup("tcp://127.0.0.1");
	host = p + 3;
	if (strchr(host, '@') && strchr(host, '@') < strchr(host, '/'))
		host = strchr(host, '@') + 1;
	end = host + strcspn(host, ":/?");
	if (end == host)
		return rhv_xstrdup("tcp://127.0.0.1");
	return rhv_xasprintf("tcp://%.*s", (int)(end - host), host);
}

/*
 * Watch the migration: progress on a terminal, and abort after
 * MigrationMaxSecondsPerGiB per GiB of guest memory in all, or after
 * MigrationNoProgressSeconds without the remaining data shrinking.
 */
static void watch(struct migration *m, const struct claim *c, const struct rhv_settings *st,
		  const struct rhv_progress *p, char *why, size_t len)
{
	double gib = (double)c->vm.memory / (1 << 30);
	time_t start = time(NULL), last_progress = start;
	time_t max_total = (time_t)ceil((gib < 1 ? 1 : gib) * (double)st->v[RHV_SET_MIGRATION_SECONDS_PER_GIB]);
	unsigned long long best_remaining = ULLONG_MAX;
	_cleanup_free_ char *what = rhv_xasprintf("migrating '%s' to '%s'", c->vm.name, c->dst_name);

	why[0] = '\0';
	for (;;) {
		struct rhv_virt_job job;
		bool done;

		pthread_mutex_lock(&m->lock);
		done = m->done;
		pthread_mutex_unlock(&m->lock);
		if (done)
			break;
		if (rhv_virt_dom_job(m->dom, &job) == 0) {
			if (job.data_total)
				rhv_progress_percent(p, what,
						     (int)(100 * (job.data_total - job.data_remaining) / job.data_total));
			if (job.data_remaining < best_remaining) {
				best_remaining = job.data_remaining;
				last_progress = time(NULL);
			}
		}
		if (!why[0] && time(NULL) - start > max_total)
			snprintf(why, len, "it took longer than %lld s (%lld s per GiB)", (long long)max_total,
				 (long long)st->v[RHV_SET_MIGRATION_SECONDS_PER_GIB]);
		else if (!why[0] && time(NULL) - last_progress > st->v[RHV_SET_MIGRATION_NO_PROGRESS])
			snprintf(why, len, "it made no progress for %lld s",
				 (long long)st->v[RHV_SET_MIGRATION_NO_PROGRESS]);
		if (why[0])
			rhv_virt_dom_abort_job(m->dom);
		usleep(100 * 1000);
	}
}

static const char *const migratable[] = { RHV_VM_UP, NULL };

int rhv_vm_migrate(struct rhv_db *db, const char *name, const char *host, struct rhv_placement *explain,
		   const struct rhv_progress *p, struct rhv_error *err)
{
	struct rhv_settings st;
	struct claim c = { .name = name, .asked = host, .explain = explain, .allowed = migratable,
			   .schedule = true, .migrate = true, .settings = &st };
	struct migration m = { .lock = PTHREAD_MUTEX_INITIALIZER };
	_cleanup_virt_conn_ struct rhv_virt_conn *sconn = NULL;
	_cleanup_free_ char *muri = NULL, *msg = NULL;
	char why[160] = "";
	int rc = -1, timeout_ms;
	pthread_t tid;

	if (rhv_check_name(name, 1024, "VM name", err) < 0 || (host && rhv_check_name(host, 1024, "host name", err) < 0) ||
	    load_settings(db, &st, err) < 0)
		return -1;
	if (rhv_db_txn(db, claim_txn, &c, err) < 0) {
		claim_clear(&c);
		return -1;
	}
	timeout_ms = (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS] * 1000;
	rhv_progress_note(p, "VM '%s' migrating from host '%s' to host '%s'", c.vm.name, c.src_name, c.dst_name);
	muri = migration_uri(c.dst_uri, c.mig_address);
	if (c.mig_address)
		rhv_progress_note(p, "migration stream to %s (host '%s' on the %s network)", muri, c.dst_name,
				  c.mig_role);
	sconn = rhv_virt_open(c.src_uri, timeout_ms, err);
	if (sconn)
		m.dconn = rhv_virt_open(c.dst_uri, timeout_ms, err);
	if (m.dconn)
		m.dom = rhv_virt_dom_lookup(sconn, c.vm.id, err, "cannot find VM '%s' on host '%s'", c.vm.name,
					    c.src_name);
	if (m.dom) {
		/*
		 * Every disk of a VM lives on a file domain that is mounted at the
		 * same path on every host of the data center (block domains cannot
		 * start here).  libvirt cannot tell such a mount from a local file
		 * system and calls the migration unsafe; rhv knows better and says so.
		 * The disks use cache='none', and QEMU's image locks still keep a
		 * second writer away.
		 */
		m.how.unsafe = c.vm.ndisks > 0;
		m.how.uri = muri;
		m.how.bandwidth = (unsigned long long)st.v[RHV_SET_MIGRATION_BANDWIDTH];
		if (pthread_create(&tid, NULL, migrate_thread, &m) != 0) {
			rhv_error_set(err, RHV_EXIT_FAILED, "cannot start the migration thread");
		} else {
			watch(&m, &c, &st, p, why, sizeof(why));
			pthread_join(tid, NULL);
			if (!m.ok)
				*err = m.err;
		}
	}
	if (m.ok) {
		struct record r = { c.vm.id, RHV_VM_MIGRATING, c.src_id, RHV_VM_UP, c.dst_id, RHV_EXIT_OK, NULL, NULL, 0,
				    false };

		msg = rhv_xasprintf("VM '%s' migrated from host '%s' to host '%s'", c.vm.name, c.src_name, c.dst_name);
		r.message = msg;
		r.migrated = true;
		rc = record(db, &r, err);
		if (rc == 0 && r.stale)
			rhv_progress_warn(p, "VM '%s' changed while it migrated; the monitor will reconcile it", c.vm.name);
		else if (rc == 0)
			rhv_progress_note(p, "%s", msg);
		if (rhv_mirror_wanted(&c.vm)) {
			struct rhv_virt_dom *moved = rhv_virt_dom_lookup(m.dconn, c.vm.id, NULL, NULL);

			rhv_ops_mirror_apply(db, &c.vm, c.dst_name, &c.dst_nets.pub, moved, p);
			rhv_virt_dom_free(moved);
			rhv_ops_mirror_release(db, &c.vm, c.src_id, c.src_name, p);
		}
	} else {
		struct record r = { c.vm.id, RHV_VM_MIGRATING, c.src_id, RHV_VM_UP, c.src_id, RHV_EXIT_FAILED, NULL, NULL,
				    0, false };

		if (why[0]) {
			rhv_error_replace(err, RHV_EXIT_FAILED, "migration of VM '%s' to host '%s' aborted: %s", c.vm.name,
				      c.dst_name, why);
		}
		msg = rhv_xasprintf("VM '%s' stays on host '%s': migration to host '%s' failed: %s", c.vm.name, c.src_name,
				    c.dst_name, err->message);
		r.message = msg;
		record(db, &r, err);
	}
	rhv_virt_dom_free(m.dom);
	rhv_virt_close(m.dconn);
	claim_clear(&c);
	return rc;
}
