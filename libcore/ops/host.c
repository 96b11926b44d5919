/*
 * Host operations that talk to the host itself: add, activate, refresh.
 * The host is read through libvirt before any transaction opens, so a slow
 * host never holds a lock in the store.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ops/host-priv.h"
#include "ops/netstate.h"
#include "rhv/cputype.h"
#include "rhv/event.h"
#include "rhv/hostcaps.h"
#include "rhv/parse.h"
#include "rhv/settings.h"
#include "rhv/virt.h"

static char **dup_strv(char *const *v)
{
	size_t n = 0;
	char **out;

	while (v && v[n])
		n++;
	out = rhv_xcalloc(n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = rhv_xstrdup(v[i]);
	return out;
}

/* The CPU types of the host's own vendor whose model its guests can be given, lowest level first. */
static char **runnable_types(struct rhv_virt_conn *c, const struct rhv_hostcaps *caps, const char *virttype)
{
	char **out = rhv_xcalloc(rhv_cpu_types_count + 1, sizeof(*out));
	size_t n = 0;

	for (size_t i = 0; caps->vendor && i < rhv_cpu_types_count; i++)
		if (!strcasecmp(caps->vendor, rhv_cpu_types[i].vendor) &&
		    rhv_hostcaps_model_runs(c, caps, rhv_cpu_types[i].libvirt_model, virttype))
			out[n++] = rhv_xstrdup(rhv_cpu_types[i].id);
	return out;
}

/* Connect to the host and learn what it is, and which CPU types it can run (on TCG when emulated). */
static int probe(const char *uri, bool emulated, int timeout_s, struct rhv_host_facts *f, struct rhv_error *err)
{
	_cleanup_virt_conn_ struct rhv_virt_conn *c = rhv_virt_open(uri, timeout_s * 1000, err);
	struct rhv_hostcaps caps = { 0 };

	memset(f, 0, sizeof(*f));
	if (!c || rhv_hostcaps_read(c, &caps, err) < 0) {
		rhv_hostcaps_clear(&caps);
		return -1;
	}
	f->hostname = caps.hostname ? rhv_xstrdup(caps.hostname) : NULL;
	snprintf(f->libvirt_uuid, sizeof(f->libvirt_uuid), "%s", caps.uuid);
	f->arch = caps.arch ? rhv_xstrdup(caps.arch) : NULL;
	f->cpu_vendor = caps.vendor ? rhv_xstrdup(caps.vendor) : NULL;
	f->cpu_model = caps.model ? rhv_xstrdup(caps.model) : NULL;
	f->cpu_flags = dup_strv(caps.features);
	f->sockets = caps.sockets;
	f->cores = caps.cores;
	f->threads = caps.threads;
	f->cpus = caps.cpus;
	f->memory = caps.memory;
	f->kvm = caps.kvm;
	f->cpu_types = runnable_types(c, &caps, emulated || !caps.kvm ? "qemu" : "kvm");
	snprintf(f->libvirt_version, sizeof(f->libvirt_version), "%s", caps.libvirt_version);
	snprintf(f->qemu_version, sizeof(f->qemu_version), "%s", caps.qemu_version);
	rhv_hostcaps_clear(&caps);
	return 0;
}

static int timeout_setting(struct rhv_db *db, int *out, struct rhv_error *err)
{
	struct rhv_settings st;

	if (rhv_settings_load(db, &st, err) < 0)
		return -1;
	*out = (int)st.v[RHV_SET_HOST_TIMEOUT_SECONDS];
	return 0;
}

/*
 * The cluster's CPU type for a host joining it or coming back, under the
 * cluster's lock: a cluster without one takes the newest type its first
 * fitting host can run (as RHV does), so no type need be chosen by hand.
 * Returns the type ("" when the cluster still has none), or NULL on error.
 */
static const char *cluster_cpu_type(struct rhv_db *db, struct rhv_host_cluster *ci, const char *cluster,
				    const char *host, const struct rhv_host_facts *f, bool emulated,
				    struct rhv_error *err)
{
	const struct rhv_cpu_type *best;
	char reason[256];

	if (ci->cpu_type[0] || rhv_host_misfit(NULL, f, emulated, reason, sizeof(reason)))
		return ci->cpu_type;
	best = rhv_cpu_type_highest(f->cpu_vendor, f->cpu_types);
	if (rhv_db_cluster_adopt_cpu_type(db, ci, cluster, best->id, host, err) < 0)
		return NULL;
	snprintf(ci->cpu_type, sizeof(ci->cpu_type), "%s", best->id);
	return ci->cpu_type;
}

struct add_arg {
	const struct rhv_host_spec *spec;
	const struct rhv_host_facts *facts;
};

static int add_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct add_arg *a = arg;
	struct rhv_host_cluster ci;
	char reason[512], id[37];
	const char *misfit, *cpu_type;
	int64_t hosts;

	if (rhv_db_host_cluster(db, a->spec->cluster, true, &ci, err) < 0 ||
	    rhv_db_dc_host_count(db, ci.dc_id, &hosts, err) < 0)
		return -1;
	if (hosts >= RHV_HOSTS_PER_DC_MAX)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "the data center already has %d hosts, the most it may have",
				     RHV_HOSTS_PER_DC_MAX);
	/* the host first, so that the cluster's adoption event names an existing host */
	if (rhv_db_host_insert(db, a->spec, ci.id, a->facts, RHV_HOST_UP, NULL, id, err) < 0 ||
	    rhv_event_add(db, RHV_SEV_NORMAL, "host", id, a->spec->name, "add", err,
			  "host '%s' added to cluster '%s' (%s %s, %d CPUs, %llu MiB)", a->spec->name, a->spec->cluster,
			  a->facts->cpu_vendor ? a->facts->cpu_vendor : "?", a->facts->cpu_model ? a->facts->cpu_model : "?",
			  a->facts->cpus, (unsigned long long)(a->facts->memory >> 20)) < 0)
		return -1;
	cpu_type = cluster_cpu_type(db, &ci, a->spec->cluster, a->spec->name, a->facts, a->spec->emulated > 0, err);
	if (!cpu_type)
		return -1;
	misfit = rhv_host_misfit(cpu_type[0] ? cpu_type : NULL, a->facts, a->spec->emulated > 0, reason,
				 sizeof(reason));
	if (!misfit)
		return 0;
	{
		struct rhv_host h = { .name = (char *)a->spec->name, .state = (char *)RHV_HOST_UP };

		snprintf(h.id, sizeof(h.id), "%s", id);
		return rhv_db_host_set_state(db, &h, RHV_HOST_NONOPERATIONAL, misfit, err);
	}
}

int rhv_host_add(struct rhv_db *db, const struct rhv_host_spec *spec, struct rhv_error *err)
{
	struct rhv_host_facts facts;
	struct rhv_host_cluster ci;
	int64_t prio;
	uint64_t limit;
	bool none;
	int timeout, rc;

	if (rhv_host_spec_check(spec, true, &prio, &limit, &none, err) < 0)
		return -1;
	if (!spec->cluster || !spec->uri)
		return rhv_error_usage(err, "a host needs --cluster and --uri");
	if (rhv_check_name(spec->cluster, 1024, "cluster name", err) < 0 ||
	    rhv_db_host_cluster(db, spec->cluster, false, &ci, err) < 0 || timeout_setting(db, &timeout, err) < 0)
		return -1;
	if (probe(spec->uri, spec->emulated > 0, timeout, &facts, err) < 0) {
		rhv_error_hint(err, "the host must answer at its URI before it can be added");
		return -1;
	}
	{
		char limit_s[24];
		struct rhv_host_spec s = *spec;
		struct add_arg a = { &s, &facts };

		snprintf(limit_s, sizeof(limit_s), "%llu", (unsigned long long)limit);
		s.memory_limit = spec->memory_limit ? limit_s : NULL;
		rc = rhv_db_txn(db, add_txn, &a, err);
	}
	rhv_host_facts_clear(&facts);
	return rc;
}

struct activate_arg {
	const char *name;
	const struct rhv_host_facts *facts;
	bool refresh_only;
	const char *state_after; /* out */
	char reason[512];        /* out: why it does not fit, "" when it does */
};

static int activate_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct activate_arg *a = arg;
	struct rhv_host_cluster ci;
	struct rhv_host h;
	const char *misfit, *cpu_type;
	int rc = -1;

	if (rhv_db_host_lock(db, a->name, &h, err) < 0 || rhv_db_host_cluster(db, h.cluster, true, &ci, err) < 0 ||
	    rhv_db_host_update_facts(db, h.id, a->facts, err) < 0)
		goto out;
	cpu_type = cluster_cpu_type(db, &ci, h.cluster, h.name, a->facts, h.emulated, err);
	if (!cpu_type)
		goto out;
	a->reason[0] = '\0';
	misfit = rhv_host_misfit(cpu_type[0] ? cpu_type : NULL, a->facts, h.emulated, a->reason, sizeof(a->reason));
	/* and the cluster's required networks, on a host whose networks were read (reference 3.12) */
	if (!misfit && rhv_host_net_misfit(db, h.id, &misfit, a->reason, sizeof(a->reason), err) < 0)
		goto out;
	if (a->refresh_only) {
		/* a refresh changes the state only when the host stopped fitting, or fits again */
		if (misfit && strcmp(h.state, RHV_HOST_NONOPERATIONAL) && strcmp(h.state, RHV_HOST_MAINTENANCE))
			a->state_after = RHV_HOST_NONOPERATIONAL;
		else if (!misfit && !strcmp(h.state, RHV_HOST_NONOPERATIONAL))
			a->state_after = RHV_HOST_UP;
		else
			a->state_after = h.state;
	} else {
		a->state_after = misfit ? RHV_HOST_NONOPERATIONAL : RHV_HOST_UP;
	}
	rc = strcmp(a->state_after, h.state) || (misfit && !h.state_reason) || (!misfit && h.state_reason)
		     ? rhv_db_host_set_state(db, &h, a->state_after, misfit, err)
		     : 0;
out:
	rhv_host_clear(&h);
	return rc;
}

/*
 * Read the host again and judge its fit.  Activate and refresh report a
 * host that does not fit its cluster the same way: exit 4 with the reason
 * (a refresh still records the new facts and state).
 */
static int reread(struct rhv_db *db, const char *name, bool refresh_only, struct rhv_error *err)
{
	struct rhv_host h;
	struct rhv_host_facts facts;
	int timeout, rc;

	if (rhv_check_name(name, 1024, "host name", err) < 0 || rhv_host_get(db, name, &h, err) < 0)
		return -1;
	rc = timeout_setting(db, &timeout, err);
	if (rc == 0)
		rc = probe(h.uri, h.emulated, timeout, &facts, err);
	if (rc == 0) {
		struct activate_arg a = { h.name, &facts, refresh_only, NULL, "" };

		rc = rhv_db_txn(db, activate_txn, &a, err);
		rhv_host_facts_clear(&facts);
		if (rc == 0 && a.reason[0]) {
			if (!strcmp(a.state_after, RHV_HOST_NONOPERATIONAL))
				rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' is NonOperational: %s", h.name, a.reason);
			else
				rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' (%s) does not fit its cluster: %s", h.name,
					      a.state_after, a.reason);
			rc = -1;
		}
	}
	rhv_host_clear(&h);
	return rc;
}

int rhv_host_activate(struct rhv_db *db, const char *name, struct rhv_error *err)
{
	return reread(db, name, false, err);
}

int rhv_host_refresh(struct rhv_db *db, const char *name, struct rhv_error *err)
{
	return reread(db, name, true, err);
}
