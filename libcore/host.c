/*
 * Host operations that talk to the host itself: add, activate, refresh.
 * The host is read through libvirt before any transaction opens, so a slow
 * host never holds a lock in the store.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host-priv.h"
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

/*
 * Whether the hypervisor can give guests the cluster's CPU model, as vdsm's
 * model_* flags say: compared with what KVM (or TCG for emulated hosts)
 * provides, not with the bare host CPU.
 */
static bool model_runs(virConnectPtr c, const struct rhv_hostcaps *caps, const char *model, const char *virttype)
{
	_cleanup_free_ char *xml = rhv_xasprintf("<cpu mode='custom' match='exact'><model fallback='forbid'>%s</model>"
						 "</cpu>",
						 model);
	int r = virConnectCompareHypervisorCPU(c, NULL, caps->arch, NULL, virttype, xml, 0);

	if (r == VIR_CPU_COMPARE_ERROR) { /* drivers without the comparison: the model list decides */
		virResetLastError();
		return !caps->cpu_models || rhv_hostcaps_model_usable(caps, model);
	}
	return r == VIR_CPU_COMPARE_IDENTICAL || r == VIR_CPU_COMPARE_SUPERSET;
}

/* Connect to the host and learn what it is; cpu_type is the cluster's, for the model check. */
static int probe(const char *uri, const char *cpu_type, bool emulated, int timeout_s, struct rhv_host_facts *f,
		 struct rhv_error *err)
{
	const struct rhv_cpu_type *cpu = rhv_cpu_type_find(cpu_type);
	_cleanup_virconn_ virConnectPtr c = rhv_virt_open(uri, timeout_s * 1000, err);
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
	f->cluster_model_ok = cpu && model_runs(c, &caps, cpu->libvirt_model, emulated || !caps.kvm ? "qemu" : "kvm");
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

struct cluster_info {
	char id[37];
	char cpu_type[32];
	char dc_id[37];
};

static int cluster_info(struct rhv_db *db, const char *name, bool lock_dc, struct cluster_info *ci,
			struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT id, cpu_type, dc_id FROM clusters WHERE name = $1", RHV_PARAMS(name), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find cluster '%s'", name);
	snprintf(ci->id, sizeof(ci->id), "%s", PQgetvalue(r, 0, 0));
	snprintf(ci->cpu_type, sizeof(ci->cpu_type), "%s", PQgetvalue(r, 0, 1));
	snprintf(ci->dc_id, sizeof(ci->dc_id), "%s", PQgetvalue(r, 0, 2));
	/* hosts per data center are counted under the data center's lock */
	if (lock_dc && rhv_db_exec(db, "SELECT 1 FROM data_centers WHERE id = $1 FOR UPDATE", RHV_PARAMS(ci->dc_id),
				   NULL, err) < 0)
		return -1;
	return 0;
}

struct add_arg {
	const struct rhv_host_spec *spec;
	const struct rhv_host_facts *facts;
	const char *cpu_type; /* the cluster's when probed */
};

static int add_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct add_arg *a = arg;
	_cleanup_pgresult_ PGresult *r = NULL;
	struct cluster_info ci;
	char reason[256], id[37];
	const char *misfit;

	if (cluster_info(db, a->spec->cluster, true, &ci, err) < 0)
		return -1;
	if (strcmp(ci.cpu_type, a->cpu_type)) /* the cluster changed while we probed */
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "cluster '%s' changed its CPU type meanwhile; try again",
				     a->spec->cluster);
	if (rhv_db_exec(db, "SELECT count(*) FROM hosts h JOIN clusters c ON c.id = h.cluster_id WHERE c.dc_id = $1",
			RHV_PARAMS(ci.dc_id), &r, err) < 0)
		return -1;
	if (atoi(PQgetvalue(r, 0, 0)) >= RHV_HOSTS_PER_DC_MAX)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "the data center already has %d hosts, the most it may have",
				     RHV_HOSTS_PER_DC_MAX);
	misfit = rhv_host_misfit(ci.cpu_type, a->facts, a->spec->emulated > 0, reason, sizeof(reason));
	if (rhv_db_host_insert(db, a->spec, ci.id, a->facts, misfit ? RHV_HOST_NONOPERATIONAL : RHV_HOST_UP, misfit,
			       id, err) < 0)
		return -1;
	if (rhv_event_add(db, RHV_SEV_NORMAL, "host", id, a->spec->name, "add", err,
			  "host '%s' added to cluster '%s' (%s %s, %d CPUs, %llu MiB)", a->spec->name, a->spec->cluster,
			  a->facts->cpu_vendor ? a->facts->cpu_vendor : "?", a->facts->cpu_model ? a->facts->cpu_model : "?",
			  a->facts->cpus, (unsigned long long)(a->facts->memory >> 20)) < 0)
		return -1;
	if (misfit)
		return rhv_event_add(db, RHV_SEV_ERROR, "host", id, a->spec->name, "state", err,
				     "host '%s' is NonOperational: %s", a->spec->name, misfit);
	return 0;
}

int rhv_host_add(struct rhv_db *db, const struct rhv_host_spec *spec, struct rhv_error *err)
{
	struct rhv_host_facts facts;
	struct cluster_info ci;
	int64_t prio;
	uint64_t limit;
	bool none;
	int timeout, rc;

	if (rhv_host_spec_check(spec, true, &prio, &limit, &none, err) < 0)
		return -1;
	if (!spec->cluster || !spec->uri)
		return rhv_error_usage(err, "a host needs --cluster and --uri");
	if (rhv_check_name(spec->cluster, 1024, "cluster name", err) < 0 || cluster_info(db, spec->cluster, false, &ci, err) < 0 ||
	    timeout_setting(db, &timeout, err) < 0)
		return -1;
	if (probe(spec->uri, ci.cpu_type, spec->emulated > 0, timeout, &facts, err) < 0) {
		rhv_error_hint(err, "the host must answer at its URI before it can be added");
		return -1;
	}
	{
		char limit_s[24];
		struct rhv_host_spec s = *spec;
		struct add_arg a = { &s, &facts, ci.cpu_type };

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
	char reason[256];
};

static int activate_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct activate_arg *a = arg;
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_host h;
	const char *misfit;
	int rc = -1;

	if (rhv_db_host_lock(db, a->name, &h, err) < 0)
		goto out;
	if (rhv_db_exec(db, "SELECT c.cpu_type FROM clusters c JOIN hosts h ON h.cluster_id = c.id WHERE h.id = $1",
			RHV_PARAMS(h.id), &r, err) < 0 ||
	    rhv_db_host_update_facts(db, h.id, a->facts, err) < 0)
		goto out;
	misfit = rhv_host_misfit(PQgetvalue(r, 0, 0), a->facts, h.emulated, a->reason, sizeof(a->reason));
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

static int reread(struct rhv_db *db, const char *name, bool refresh_only, struct rhv_error *err)
{
	struct rhv_host h;
	struct rhv_host_facts facts;
	int timeout, rc;

	if (rhv_host_get(db, name, &h, err) < 0)
		return -1;
	rc = timeout_setting(db, &timeout, err);
	if (rc == 0) {
		struct cluster_info ci;

		rc = cluster_info(db, h.cluster, false, &ci, err);
		if (rc == 0)
			rc = probe(h.uri, ci.cpu_type, h.emulated, timeout, &facts, err);
	}
	if (rc == 0) {
		struct activate_arg a = { h.name, &facts, refresh_only, NULL, "" };

		rc = rhv_db_txn(db, activate_txn, &a, err);
		rhv_host_facts_clear(&facts);
		if (rc == 0 && !refresh_only && !strcmp(a.state_after, RHV_HOST_NONOPERATIONAL)) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' is NonOperational: %s", h.name, a.reason);
			rc = -1;
		}
	}
	rhv_host_clear(&h);
	return rc;
}

int rhv_host_activate(struct rhv_db *db, const char *name, struct rhv_error *err)
{
	if (rhv_check_name(name, 1024, "host name", err) < 0)
		return -1;
	return reread(db, name, false, err);
}

int rhv_host_refresh(struct rhv_db *db, const char *name, struct rhv_error *err)
{
	if (rhv_check_name(name, 1024, "host name", err) < 0)
		return -1;
	return reread(db, name, true, err);
}
