/*
 * One monitoring pass (rhv-host monitor): contact each host, record usage
 * samples, reconcile the guests libvirt reports with the store, recover
 * hosts that do not answer (ops/recover.c: soft fence, NonResponsive,
 * fence), and start again the HA VMs of hosts confirmed down.  Each host is worked on under a session advisory lock,
 * so overlapping passes (cron and an admin) never process one host twice.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/netstate.h"
#include "ops/recover-priv.h"
#include "rhv/ha.h"
#include "rhv/hostnet.h"
#include "store/host.h"
#include "store/monitor.h"
#include "store/recovery.h"
#include "store/txn.h"
#include "rhv/event.h"
#include "rhv/sdmon.h"
#include "ops/mirror.h"
#include "rhv/progress.h"
#include "rhv/snap.h"
#include "rhv/settings.h"
#include "rhv/virt.h"
#include "store/vm.h"

struct guest {
	char uuid[37];
	char *name;
	enum rhv_virt_state state;
	unsigned long long cpu_time; /* ns */
	unsigned long long mem_used; /* bytes */
	bool matched;
};

struct reading {
	bool ok;
	struct rhv_error err;
	unsigned long long cpu_total, cpu_idle; /* ns since boot, all CPUs */
	unsigned long long mem_total, mem_used; /* bytes */
	struct guest *guests;
	size_t nguests;
};

static void reading_clear(struct reading *r)
{
	for (size_t i = 0; i < r->nguests; i++)
		free(r->guests[i].name);
	free(r->guests);
	memset(r, 0, sizeof(*r));
}

static int guest_by_name(const void *a, const void *b)
{
	return strcmp(((const struct guest *)a)->name, ((const struct guest *)b)->name);
}

/* The host's guests, by name: what the pass reports reads the same whatever order libvirt lists them in. */
static void guest_stats(struct rhv_virt_conn *c, struct reading *r)
{
	struct rhv_virt_guest *vg;
	size_t n;

	if (rhv_virt_guests(c, &vg, &n) < 0)
		return;
	r->guests = rhv_xcalloc(n + 1, sizeof(*r->guests));
	for (size_t i = 0; i < n; i++) {
		struct guest *g = &r->guests[r->nguests++];

		memcpy(g->uuid, vg[i].uuid, sizeof(g->uuid));
		g->name = TAKE_PTR(vg[i].name);
		g->state = vg[i].state;
		g->cpu_time = vg[i].cpu_time;
		g->mem_used = vg[i].mem_used;
	}
	rhv_virt_guests_free(vg, n);
	qsort(r->guests, r->nguests, sizeof(*r->guests), guest_by_name);
}

static void read_host(const struct rhv_host *h, int timeout_s, struct reading *r)
{
	_cleanup_virt_conn_ struct rhv_virt_conn *c = rhv_virt_open(h->uri, timeout_s * 1000, &r->err);
	struct rhv_virt_node_stats ns;

	if (!c)
		return;
	rhv_virt_node_stats(c, &ns);
	r->cpu_total = ns.cpu_total;
	r->cpu_idle = ns.cpu_idle;
	r->mem_total = ns.mem_total;
	r->mem_used = ns.mem_used;
	guest_stats(c, r);
	/* a host that fails mid-way is as unreachable as one that never answered */
	r->ok = rhv_virt_check_alive(c, &r->err, "host '%s' stopped answering", h->name) == 0;
}

struct pass {
	const struct rhv_host *host;
	struct reading *r;
	const struct rhv_settings *st;
	const struct rhv_progress *p;
	char summary[1200];
	bool failed;
	bool soft_fenced; /* it answered after a soft fence */
	struct {
		char id[37], name[256];
	} mirror_gone; /* a port-mirroring VM found gone from the host ("" none) */
};

static struct guest *find_guest(struct reading *r, const char *uuid)
{
	for (size_t i = 0; i < r->nguests; i++)
		if (!strcasecmp(r->guests[i].uuid, uuid))
			return &r->guests[i];
	return NULL;
}

/* Bring the store in line with what libvirt reported for the host's VMs. */
static int reconcile(struct rhv_db *db, struct pass *ps, struct rhv_error *err)
{
	const struct rhv_host *h = ps->host;
	struct reading *rd = ps->r;
	struct rhv_mon_vm *vms = NULL;
	size_t n = 0;
	int rc = -1;
	int64_t launch_timeout = ps->st->v[RHV_SET_VM_LAUNCH_TIMEOUT];

	if (rhv_db_host_mon_vms(db, h->id, &vms, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *id = vms[i].id, *name = vms[i].name;
		const char *state = vms[i].state;
		bool here = vms[i].here, incoming = vms[i].incoming;
		int64_t age = vms[i].age;
		/* a migration is over, one way or the other, after its own time limit */
		int64_t stale_migration = ps->st->v[RHV_SET_MIGRATION_SECONDS_PER_GIB] * vms[i].gib +
					  ps->st->v[RHV_SET_MIGRATION_NO_PROGRESS] + ps->st->v[RHV_SET_HOST_TIMEOUT_SECONDS];
		struct guest *g = find_guest(rd, id);
		struct rhv_vm vm = { 0 };

		snprintf(vm.id, sizeof(vm.id), "%s", id);
		vm.name = (char *)name;
		if (g)
			g->matched = true;
		if (incoming) { /* a migration to this host whose process died: the guest tells where it is */
			if (g && age > stale_migration &&
			    (rhv_db_vm_set_state(db, &vm, RHV_VM_UP, h->id, NULL, RHV_EXIT_OK, NULL, err) < 0 ||
			     rhv_event_add(db, RHV_SEV_WARNING, "vm", id, name, "reconcile", err,
					   "VM '%s' found running on host '%s' after an unfinished migration", name,
					   h->name) < 0))
				goto out;
			continue;
		}
		if (!here)
			continue;
		if (!strcmp(state, RHV_VM_LAUNCHING) || !strcmp(state, RHV_VM_MIGRATING) ||
		    !strcmp(state, RHV_VM_POWERING_DOWN)) {
			/* another process is acting; step in only when it is clearly gone */
			int64_t limit = !strcmp(state, RHV_VM_MIGRATING)      ? stale_migration
					: !strcmp(state, RHV_VM_POWERING_DOWN) ? ps->st->v[RHV_SET_VM_SHUTDOWN_TIMEOUT] +
										      launch_timeout
									  : launch_timeout;

			if (age <= limit)
				continue;
		}
		if (!g || g->state == RHV_VIRT_SHUTOFF || g->state == RHV_VIRT_CRASHED) {
			if (rhv_db_vm_set_state(db, &vm, RHV_VM_DOWN, NULL, NULL, RHV_EXIT_OK, NULL, err) < 0 ||
			    rhv_event_add(db, RHV_SEV_ERROR, "vm", id, name, "Down", err,
					  "VM '%s' is Down: it is not running on host '%s'", name, h->name) < 0)
				goto out;
			/* a crash, not a stop: an HA VM runs again (the host is alive, so nothing runs it) */
			if (vms[i].ha && rhv_db_ha_mark(db, id, name, h->name, err) < 0)
				goto out;
			/* the copies to its taps go, as after a stop (once the transaction is over) */
			if (vms[i].mirroring) {
				snprintf(ps->mirror_gone.id, sizeof(ps->mirror_gone.id), "%s", id);
				snprintf(ps->mirror_gone.name, sizeof(ps->mirror_gone.name), "%s", name);
			}
			continue;
		}
		{
			const char *now = g->state == RHV_VIRT_PAUSED ? RHV_VM_PAUSED : RHV_VM_UP;
			long long prev = vms[i].cpu_time;
			long long since = vms[i].since_ns;
			int vcpus = vms[i].vcpus;
			char pct[32] = "";

			if (strcmp(state, now) &&
			    (rhv_db_vm_set_state(db, &vm, now, h->id, NULL, RHV_EXIT_OK, NULL, err) < 0 ||
			     rhv_event_add(db, RHV_SEV_NORMAL, "vm", id, name, now, err, "VM '%s' is %s on host '%s'", name,
					   now, h->name) < 0))
				goto out;
			if (prev >= 0 && since > 0 && vcpus > 0 && g->cpu_time >= (unsigned long long)prev) {
				double p = 100.0 * (double)(g->cpu_time - (unsigned long long)prev) / ((double)since * vcpus);

				snprintf(pct, sizeof(pct), "%.2f", p > 100 ? 100 : p);
			}
			if (rhv_db_vm_usage(db, id, h->id, pct, g->mem_used, g->cpu_time, err) < 0)
				goto out;
		}
	}
	/* guests the store does not place here: reported once, never touched */
	for (size_t i = 0; i < rd->nguests; i++) {
		struct guest *g = &rd->guests[i];

		if (!g->matched && g->state != RHV_VIRT_SHUTOFF &&
		    rhv_db_host_stray_guest(db, h, g->uuid, g->name, err) < 0)
			goto out;
	}
	rc = rhv_db_host_strays_gone(db, h->id, err);
out:
	rhv_mon_vms_free(vms, n);
	return rc;
}

static int reachable_txn(struct rhv_db *db, struct pass *ps, struct rhv_error *err)
{
	struct rhv_host h;
	char cpu_pct[64];
	int rc = -1;

	if (rhv_db_host_lock(db, ps->host->id, &h, err) < 0)
		return -1;
	if ((!strcmp(h.state, RHV_HOST_CONNECTING) || !strcmp(h.state, RHV_HOST_NONRESPONSIVE) ||
	     !strcmp(h.state, RHV_HOST_REBOOT)) &&
	    rhv_db_host_set_state(db, &h, RHV_HOST_UP, ps->soft_fenced ? "it answers again after its management daemon was restarted" : NULL, err) < 0)
		goto out;
	if (rhv_db_outage_end(db, h.id, err) < 0)
		goto out;
	if (rhv_db_host_usage(db, h.id, ps->r->cpu_total, ps->r->cpu_idle, ps->r->mem_used, cpu_pct, err) < 0 ||
	    reconcile(db, ps, err) < 0)
		goto out;
	if (cpu_pct[0] && rhv_db_host_sample(db, h.id, cpu_pct, ps->r->mem_used, err) < 0)
		goto out;
	snprintf(ps->summary, sizeof(ps->summary), "host '%s' answered: %zu guest%s", h.name, ps->r->nguests,
		 ps->r->nguests == 1 ? "" : "s");
	rc = 0;
out:
	rhv_host_clear(&h);
	return rc;
}

static int host_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	return reachable_txn(db, arg, err);
}

/*
 * An answering host: recorded, its networks read again when their last
 * reading is old (a change by hand on the host), then judged by its
 * cluster's required networks (reference 3.12).
 */
static int answered(struct rhv_db *db, struct pass *ps, struct rhv_error *err)
{
	if (rhv_db_txn(db, host_txn, ps, err) < 0)
		return -1;
	if (ps->mirror_gone.id[0])
		rhv_ops_mirror_sweep(db, ps->mirror_gone.id, ps->mirror_gone.name, ps->host->id, ps->host->name,
				     ps->p);
	if (rhv_hostnet_refresh(db, ps->host->id, ps->st->v[RHV_SET_HOST_NETWORK_REFRESH], ps->p, err) < 0)
		return -1;
	return rhv_host_net_enforce(db, ps->host, ps->p, err);
}

/* One host: read it, and record what it said or recover it when it said nothing. */
static int check_host(struct rhv_db *db, struct pass *ps, int64_t watch_age_ms, struct rhv_error *err)
{
	struct rhv_recover rc = { .host = ps->host, .st = ps->st, .watch_age_ms = watch_age_ms, .p = ps->p };

	read_host(ps->host, (int)ps->st->v[RHV_SET_HOST_TIMEOUT_SECONDS], ps->r);
	if (ps->r->ok)
		return answered(db, ps, err);
	rc.why = ps->r->err.message;
	if (rhv_recover_host(db, &rc, err) < 0)
		return -1;
	if (rc.recheck) {
		/* soft-fenced: does it answer now? */
		reading_clear(ps->r);
		read_host(ps->host, (int)ps->st->v[RHV_SET_HOST_TIMEOUT_SECONDS], ps->r);
		if (ps->r->ok) {
			ps->soft_fenced = true;
			return answered(db, ps, err);
		}
	}
	snprintf(ps->summary, sizeof(ps->summary), "%s", rc.summary);
	return 0;
}

int rhv_monitor_pass(struct rhv_db *db, const struct rhv_progress *p, struct rhv_batch *out, struct rhv_error *err)
{
	struct rhv_settings st;
	struct rhv_host_list hosts;
	struct rhv_ha_outcome ha;
	int64_t watch_age_ms;

	if (rhv_settings_load(db, &st, err) < 0 ||
	    rhv_db_monitor_watch(db, st.v[RHV_SET_MONITOR_GAP_SECONDS], &watch_age_ms, err) < 0 ||
	    rhv_host_list(db, NULL, &hosts, err) < 0)
		return -1;
	for (size_t i = 0; i < hosts.n; i++) {
		const struct rhv_host *h = &hosts.items[i];
		struct reading rd = { 0 };
		struct pass ps = { h, &rd, &st, p, "", false, false, { "", "" } };
		struct rhv_error herr = { 0 };
		bool got, released;

		/* out of service on purpose: in Maintenance, or powered off for power saving */
		if (!strcmp(h->state, RHV_HOST_MAINTENANCE) || (!strcmp(h->state, RHV_HOST_DOWN) && h->power_saving_off))
			continue;
		if (rhv_db_try_lock(db, "monitor", h->id, true, &got, err) < 0)
			goto fail;
		if (!got) {
			rhv_progress_note(p, "host '%s' skipped: another monitoring pass holds it", h->name);
			continue;
		}
		if (check_host(db, &ps, watch_age_ms, &herr) < 0) {
			rhv_batch_add(out, h->name, herr.code, herr.message);
		} else {
			rhv_batch_add(out, h->name, rd.ok ? RHV_EXIT_OK : RHV_EXIT_UNAVAILABLE, ps.summary);
			if (rd.ok) /* failures are reported once, by the caller from the batch */
				rhv_progress_note(p, "%s", ps.summary);
		}
		reading_clear(&rd);
		if (rhv_db_try_lock(db, "monitor", h->id, false, &released, err) < 0)
			goto fail;
	}
	if (rhv_storage_monitor(db, p, err) < 0)
		goto fail;
	/* HA VMs of hosts confirmed down, and those whose last start failed */
	if (rhv_ha_restart_pass(db, p, &ha, err) < 0)
		goto fail;
	/* snapshot operations whose command was killed: a merge is carried on, a create undone */
	{
		struct rhv_error serr = { 0 };

		if (rhv_snap_resume(db, NULL, p, NULL, &serr) < 0)
			rhv_progress_warn(p, "an interrupted snapshot operation could not be settled: %s", serr.message);
	}
	if (rhv_db_samples_expire(db, st.v[RHV_SET_SAMPLE_RETENTION_HOURS], err) < 0)
		goto fail;
	rhv_host_list_clear(&hosts);
	return 0;
fail:
	rhv_host_list_clear(&hosts);
	return -1;
}
