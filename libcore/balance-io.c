/*
 * The balancer's snapshot: read from the store (db) or a JSON file, and
 * written as JSON.  The planner itself (balance.c) never does I/O.
 */
#include "rhv/common.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-priv.h"
#include "rhv/balance-io.h"
#include "rhv/event.h"
#include "rhv/host.h"
#include "rhv/parse.h"
#include "rhv/policy.h"
#include "rhv/strindex.h"
#include "rhv/vm.h"

static const char *const policy_names[] = { "none", "evenly_distributed", "power_saving", "vm_evenly_distributed",
					    NULL };

void rhv_bal_input_clear(struct rhv_bal_input *in)
{
	for (size_t i = 0; i < in->s.nhosts; i++) {
		free(in->host_names[i]);
		free(in->host_states[i]);
		free(in->histories[i]);
	}
	for (size_t i = 0; i < in->s.nvms; i++)
		free(in->vm_names[i]);
	free(in->host_names);
	free(in->host_states);
	free(in->histories);
	free(in->vm_names);
	free(in->vm_last_migration);
	free(in->s.hosts);
	free(in->s.vms);
	free(in->cluster);
	free(in->policy);
	memset(in, 0, sizeof(*in));
}

static void alloc_hosts(struct rhv_bal_input *in, size_t n)
{
	in->s.nhosts = n;
	in->s.hosts = rhv_xcalloc(n + 1, sizeof(*in->s.hosts));
	in->host_names = rhv_xcalloc(n + 1, sizeof(char *));
	in->host_states = rhv_xcalloc(n + 1, sizeof(char *));
	in->histories = rhv_xcalloc(n + 1, sizeof(double *));
}

static void alloc_vms(struct rhv_bal_input *in, size_t n)
{
	in->s.nvms = n;
	in->s.vms = rhv_xcalloc(n + 1, sizeof(*in->s.vms));
	in->vm_names = rhv_xcalloc(n + 1, sizeof(char *));
	in->vm_last_migration = rhv_xcalloc(n + 1, sizeof(int64_t));
}

static void set_host_state(struct rhv_bal_input *in, size_t i, const char *state)
{
	in->host_states[i] = rhv_xstrdup(state);
	in->s.hosts[i].up = !strcmp(state, RHV_HOST_UP);
	in->s.hosts[i].maintenance = !strcmp(state, RHV_HOST_MAINTENANCE) || !strcmp(state, RHV_HOST_PREPARING);
	in->s.hosts[i].powered_off = !strcmp(state, RHV_HOST_DOWN);
}

/* One policy parameter onto the snapshot; false for a key it does not know. */
static bool set_param(struct rhv_bal_snapshot *s, const char *key, int64_t v)
{
	if (rhv_sched_params_set(&s->params, key, v))
		return true;
	if (!strcmp(key, "CpuOverCommitDurationMinutes"))
		s->cpu_overcommit_minutes = (int)v;
	else if (!strcmp(key, "HostsInReserve"))
		s->hosts_in_reserve = (int)v;
	else if (!strcmp(key, "EnableAutomaticHostPowerManagement"))
		s->auto_power = v != 0;
	else
		return false;
	return true;
}

static int host_index(const struct rhv_bal_input *in, const char *name)
{
	for (size_t i = 0; name && i < in->s.nhosts; i++)
		if (!strcmp(in->host_names[i], name))
			return (int)i;
	return -1;
}

/* ---- from the store ---- */

int rhv_bal_clusters(struct rhv_db *db, const char *cluster, char ***names, size_t *n, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT name FROM clusters WHERE $1::text IS NULL OR name = $1 ORDER BY name",
			RHV_PARAMS(cluster), &r, err) < 0)
		return -1;
	if (cluster && PQntuples(r) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find cluster '%s'", cluster);
	*n = (size_t)PQntuples(r);
	*names = rhv_xcalloc(*n + 1, sizeof(char *));
	for (size_t i = 0; i < *n; i++)
		(*names)[i] = rhv_xstrdup(PQgetvalue(r, (int)i, 0));
	return 0;
}

/*
 * Index i in the store's rows r (column 0: a host id) -> position of that
 * host in the snapshot, by id.
 */
static void index_host_ids(const PGresult *r, struct rhv_strindex *ix)
{
	rhv_strindex_init(ix, (size_t)PQntuples(r));
	for (int i = 0; i < PQntuples(r); i++)
		rhv_strindex_add(ix, PQgetvalue(r, i, 0), i);
}

/* Each host's CPU history, from rows (host id, figure) ordered by host, then time. */
static void load_histories(struct rhv_bal_input *in, const PGresult *hist, const struct rhv_strindex *ids)
{
	size_t *len = rhv_xcalloc(in->s.nhosts + 1, sizeof(size_t));
	int *host = rhv_xcalloc((size_t)PQntuples(hist) + 1, sizeof(int));

	for (int k = 0; k < PQntuples(hist); k++) {
		host[k] = rhv_strindex_get(ids, PQgetvalue(hist, k, 0));
		if (host[k] >= 0)
			len[host[k]]++;
	}
	for (size_t i = 0; i < in->s.nhosts; i++) {
		in->histories[i] = rhv_xcalloc(len[i] + 1, sizeof(double));
		in->s.hosts[i].cpu_history = in->histories[i];
	}
	for (int k = 0; k < PQntuples(hist); k++)
		if (host[k] >= 0)
			in->histories[host[k]][in->s.hosts[host[k]].history_len++] = strtod(PQgetvalue(hist, k, 1), NULL);
	free(len);
	free(host);
}

int rhv_bal_load(struct rhv_db *db, const char *cluster, int history_minutes, struct rhv_bal_input *in,
		 struct rhv_error *err)
{
	/*
	 * A host's VMs and memory: those it runs and those migrating to it, each
	 * once, added up in one pass over the cluster's hosts' VMs (not a scan
	 * of every VM for every host).
	 */
	static const char hosts_sql[] =
		"WITH hs AS (SELECT id FROM hosts WHERE cluster_id = $1),"
		" load AS (SELECT x.host, count(*) AS vms, sum(x.memory) AS used FROM"
		"  (SELECT v.host_id AS host, v.memory FROM vms v JOIN hs ON hs.id = v.host_id"
		"   UNION ALL SELECT v.migrating_to, v.memory FROM vms v JOIN hs ON hs.id = v.migrating_to"
		"   WHERE v.host_id IS DISTINCT FROM v.migrating_to) x GROUP BY x.host)"
		" SELECT h.id, h.name, h.state, h.is_spm, coalesce(h.cpus, 0) AS cpus,"
		" least(coalesce(h.memory, 0), coalesce(h.memory_limit, h.memory, 0)) AS mem_total,"
		" coalesce(h.cpu_pct, 0) AS cpu_pct, coalesce(l.vms, 0) AS vms, coalesce(l.used, 0) AS used"
		" FROM hosts h LEFT JOIN load l ON l.host = h.id WHERE h.cluster_id = $1 ORDER BY h.name";
	/* one CPU figure a minute, oldest first, for CpuOverCommitDurationMinutes */
	static const char history_sql[] =
		"SELECT s.host_id, avg(s.cpu_pct) AS cpu FROM host_samples s JOIN hosts h ON h.id = s.host_id"
		" WHERE h.cluster_id = $1 AND s.time > now() - make_interval(mins => $2::int)"
		" GROUP BY s.host_id, date_trunc('minute', s.time) ORDER BY s.host_id, date_trunc('minute', s.time)";
	static const char vms_sql[] =
		"SELECT v.name, v.host_id, v.memory, v.vcpus, coalesce(v.cpu_pct, 0) AS cpu_pct, v.ha,"
		" v.pin_host_id IS NOT NULL AS pinned, v.state, v.migrating_to,"
		" coalesce(extract(epoch FROM v.last_migration)::bigint, 0) AS last_migration"
		" FROM vms v WHERE v.cluster_id = $1 AND v.host_id IS NOT NULL ORDER BY v.name";
	_cleanup_pgresult_ PGresult *c = NULL, *h = NULL, *hist = NULL, *v = NULL, *p = NULL;
	struct rhv_strindex ids;
	char minutes[16];

	memset(in, 0, sizeof(*in));
	snprintf(minutes, sizeof(minutes), "%d", history_minutes);
	if (rhv_db_exec(db, "SELECT id, name, scheduling_policy FROM clusters WHERE name = $1", RHV_PARAMS(cluster), &c,
			err) < 0)
		return -1;
	if (PQntuples(c) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find cluster '%s'", cluster);
	{
		const char *id = PQgetvalue(c, 0, 0);

		if (rhv_db_exec(db, hosts_sql, RHV_PARAMS(id), &h, err) < 0 ||
		    rhv_db_exec(db, history_sql, RHV_PARAMS(id, minutes), &hist, err) < 0 ||
		    rhv_db_exec(db, vms_sql, RHV_PARAMS(id), &v, err) < 0 ||
		    rhv_db_exec(db, "SELECT key, value FROM cluster_policy_params WHERE cluster_id = $1", RHV_PARAMS(id),
				&p, err) < 0)
			return -1;
	}
	in->cluster = rhv_xstrdup(PQgetvalue(c, 0, 1));
	in->policy = rhv_xstrdup(PQgetvalue(c, 0, 2));
	in->s.policy = rhv_sched_policy_find(in->policy) < 0 ? RHV_SCHED_NONE : rhv_sched_policy_find(in->policy);
	rhv_bal_params_default(&in->s);
	for (int i = 0; i < PQntuples(p); i++)
		set_param(&in->s, PQgetvalue(p, i, 0), strtoll(PQgetvalue(p, i, 1), NULL, 10));
	alloc_hosts(in, (size_t)PQntuples(h));
	for (size_t i = 0; i < in->s.nhosts; i++) {
		struct rhv_bal_host *bh = &in->s.hosts[i];
		int row = (int)i;

		in->host_names[i] = rhv_pq_dup(h, row, "name");
		set_host_state(in, i, rhv_pq_str(h, row, "state"));
		bh->name = in->host_names[i];
		bh->is_spm = rhv_pq_bool(h, row, "is_spm");
		bh->cores = (int)rhv_pq_int(h, row, "cpus");
		bh->mem_total = (uint64_t)rhv_pq_int(h, row, "mem_total");
		bh->mem_used_by_vms = (uint64_t)rhv_pq_int(h, row, "used");
		bh->vm_count = (int)rhv_pq_int(h, row, "vms");
		bh->cpu_pct = strtod(rhv_pq_str(h, row, "cpu_pct"), NULL);
	}
	index_host_ids(h, &ids);
	load_histories(in, hist, &ids);
	alloc_vms(in, (size_t)PQntuples(v));
	for (size_t i = 0; i < in->s.nvms; i++) {
		struct rhv_bal_vm *bv = &in->s.vms[i];
		int row = (int)i;
		const char *state = rhv_pq_str(v, row, "state");

		in->vm_names[i] = rhv_pq_dup(v, row, "name");
		bv->name = in->vm_names[i];
		/* -1 for a host outside the cluster: the planner refuses such a snapshot */
		bv->host = rhv_strindex_get(&ids, rhv_pq_str(v, row, "host_id"));
		bv->memory = (uint64_t)rhv_pq_int(v, row, "memory");
		bv->vcpus = (int)rhv_pq_int(v, row, "vcpus");
		bv->cpu_pct = strtod(rhv_pq_str(v, row, "cpu_pct"), NULL);
		bv->ha = rhv_pq_bool(v, row, "ha");
		bv->pinned = rhv_pq_bool(v, row, "pinned");
		/* only a running VM can be live-migrated */
		bv->migratable = !strcmp(state, RHV_VM_UP);
		bv->migrating = !strcmp(state, RHV_VM_MIGRATING);
		bv->migrating_to = rhv_strindex_get(&ids, rhv_pq_str(v, row, "migrating_to"));
		in->vm_last_migration[i] = rhv_pq_int(v, row, "last_migration");
	}
	rhv_strindex_clear(&ids);
	return 0;
}

/* ---- runs ---- */

int rhv_bal_lock(struct rhv_db *db, const char *cluster, bool lock, bool *got, struct rhv_error *err)
{
	return rhv_db_try_lock(db, "balance", cluster, lock, got, err);
}

struct event_arg {
	const char *cluster, *action, *message;
	bool alert;
};

static int event_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct event_arg *a = arg;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT id FROM clusters WHERE name = $1", RHV_PARAMS(a->cluster), &r, err) < 0)
		return -1;
	return rhv_event_add(db, a->alert ? RHV_SEV_ALERT : RHV_SEV_NORMAL, "cluster",
			     PQntuples(r) ? PQgetvalue(r, 0, 0) : NULL, a->cluster, a->action, err, "%s", a->message);
}

int rhv_bal_event(struct rhv_db *db, const char *cluster, bool alert, const char *action, const char *message,
		  struct rhv_error *err)
{
	struct event_arg a = { cluster, action, message, alert };

	return rhv_db_txn(db, event_txn, &a, err);
}

/* ---- what-if ---- */

int rhv_bal_override(struct rhv_bal_input *in, const char *policy, const char *const *params, struct rhv_error *err)
{
	const struct rhv_policy *p;

	if (policy && (!in->policy || strcmp(policy, in->policy))) {
		if (rhv_parse_enum(policy, policy_names, "scheduling policy", err) < 0)
			return -1;
		free(in->policy);
		in->policy = rhv_xstrdup(policy);
		in->s.policy = rhv_sched_policy_find(policy);
		rhv_bal_params_default(&in->s); /* another policy: its own defaults */
	}
	p = rhv_policy_find(in->policy);
	for (const char *const *kv = params; kv && *kv; kv++) {
		struct rhv_param_value v;

		if (!p)
			return rhv_error_usage(err, "policy '%s' is unknown to this program", in->policy);
		if (rhv_policy_parse_assignment(p, *kv, &v, err) < 0)
			return -1;
		set_param(&in->s, v.param->key, v.unset ? v.param->def : v.value);
	}
	return 0;
}

/* ---- JSON ---- */

static json_object *jnum(double v)
{
	return json_object_new_double(v);
}

int rhv_bal_write_json(const struct rhv_bal_input *in, FILE *f, struct rhv_error *err)
{
	json_object *root = json_object_new_object(), *params = json_object_new_object();
	json_object *hosts = json_object_new_array(), *vms = json_object_new_array();
	const struct rhv_policy *p = rhv_policy_find(in->policy);
	const struct rhv_sched_params *sp = &in->s.params;

	json_object_object_add(root, "format", json_object_new_string(RHV_BAL_FORMAT));
	json_object_object_add(root, "cluster", json_object_new_string(in->cluster ? in->cluster : ""));
	json_object_object_add(root, "policy", json_object_new_string(in->policy ? in->policy : "none"));
	for (const char *const *k = p ? p->params : NULL; k && *k; k++) {
		int64_t v = 0;

		if (!strcmp(*k, "HighUtilization"))
			v = sp->high_utilization;
		else if (!strcmp(*k, "LowUtilization"))
			v = sp->low_utilization;
		else if (!strcmp(*k, "HighVmCount"))
			v = sp->high_vm_count;
		else if (!strcmp(*k, "MigrationThreshold"))
			v = sp->migration_threshold;
		else if (!strcmp(*k, "SpmVmGrace"))
			v = sp->spm_vm_grace;
		else if (!strcmp(*k, "CpuOverCommitDurationMinutes"))
			v = in->s.cpu_overcommit_minutes;
		else if (!strcmp(*k, "HostsInReserve"))
			v = in->s.hosts_in_reserve;
		else if (!strcmp(*k, "MaxFreeMemoryForOverUtilized"))
			v = sp->max_free_mem_over;
		else if (!strcmp(*k, "MinFreeMemoryForUnderUtilized"))
			v = sp->min_free_mem_under;
		if (!strcmp(*k, "EnableAutomaticHostPowerManagement"))
			json_object_object_add(params, *k, json_object_new_boolean(in->s.auto_power));
		else if (v >= 0)
			json_object_object_add(params, *k, json_object_new_int64(v));
	}
	json_object_object_add(root, "params", params);
	for (size_t i = 0; i < in->s.nhosts; i++) {
		const struct rhv_bal_host *h = &in->s.hosts[i];
		json_object *o = json_object_new_object(), *hist = json_object_new_array();

		json_object_object_add(o, "name", json_object_new_string(h->name));
		json_object_object_add(o, "state", json_object_new_string(in->host_states[i]));
		json_object_object_add(o, "cores", json_object_new_int(h->cores));
		json_object_object_add(o, "memory", json_object_new_int64((int64_t)h->mem_total));
		json_object_object_add(o, "memory_used", json_object_new_int64((int64_t)h->mem_used_by_vms));
		json_object_object_add(o, "cpu_pct", jnum(h->cpu_pct));
		json_object_object_add(o, "spm", json_object_new_boolean(h->is_spm));
		json_object_object_add(o, "power_management", json_object_new_boolean(h->power_management));
		for (size_t k = 0; k < h->history_len; k++)
			json_object_array_add(hist, jnum(h->cpu_history[k]));
		json_object_object_add(o, "cpu_history", hist);
		json_object_array_add(hosts, o);
	}
	for (size_t i = 0; i < in->s.nvms; i++) {
		const struct rhv_bal_vm *v = &in->s.vms[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(v->name));
		json_object_object_add(o, "host", v->host >= 0 ? json_object_new_string(in->host_names[v->host]) : NULL);
		json_object_object_add(o, "memory", json_object_new_int64((int64_t)v->memory));
		json_object_object_add(o, "vcpus", json_object_new_int(v->vcpus));
		json_object_object_add(o, "cpu_pct", jnum(v->cpu_pct));
		json_object_object_add(o, "ha", json_object_new_boolean(v->ha));
		json_object_object_add(o, "pinned", json_object_new_boolean(v->pinned));
		json_object_object_add(o, "migratable", json_object_new_boolean(v->migratable));
		json_object_object_add(o, "migrating", json_object_new_boolean(v->migrating));
		json_object_array_add(vms, o);
	}
	json_object_object_add(root, "hosts", hosts);
	json_object_object_add(root, "vms", vms);
	if (fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED), f) < 0 ||
	    fputc('\n', f) < 0) {
		json_object_put(root);
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot write the snapshot: %s", strerror(errno));
	}
	json_object_put(root);
	return 0;
}

/*
 * Line numbers of the elements of the top-level arrays "hosts" and "vms",
 * so a bad element can be named by its line: json-c keeps no positions.
 */
struct element_lines {
	int *hosts, *vms;
	size_t nhosts, nvms;
};

static void find_element_lines(const char *text, struct element_lines *el)
{
	int depth = 0, line = 1, *list = NULL;
	size_t *count = NULL;
	bool in_string = false;
	const char *key_start = NULL;
	char last_key[16] = "";

	el->hosts = rhv_xcalloc(strlen(text) / 2 + 2, sizeof(int));
	el->vms = rhv_xcalloc(strlen(text) / 2 + 2, sizeof(int));
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			line++;
		if (in_string) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"') {
				in_string = false;
				if (depth == 1 && key_start)
					snprintf(last_key, sizeof(last_key), "%.*s", (int)(p - key_start), key_start);
			}
			continue;
		}
		switch (*p) {
		case '"':
			in_string = true;
			key_start = p + 1;
			break;
		case '[':
			depth++;
			if (depth == 2) {
				list = !strcmp(last_key, "hosts") ? el->hosts : !strcmp(last_key, "vms") ? el->vms : NULL;
				count = list == el->hosts ? &el->nhosts : list == el->vms ? &el->nvms : NULL;
			}
			break;
		case '{':
			depth++;
			if (depth == 3 && list)
				list[(*count)++] = line;
			break;
		case ']':
		case '}':
			depth--;
			if (depth == 1)
				list = NULL;
			break;
		}
	}
}

static int line_of(const int *lines, size_t n, size_t i)
{
	return i < n ? lines[i] : 0;
}

/* Typed member access: a missing or mistyped member is an error naming where. */
struct reader {
	const char *path;
	int line;
	const char *what; /* "host 2" */
	struct rhv_error *err;
};

static int bad(struct reader *r, const char *fmt, ...) RHV_PRINTF(2, 3);
static int bad(struct reader *r, const char *fmt, ...)
{
	char msg[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return rhv_error_set(r->err, RHV_EXIT_USAGE, "%s line %d: %s: %s", r->path, r->line, r->what, msg);
}

static json_object *member(struct reader *r, json_object *o, const char *key, json_type type, bool optional)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v) || !v) {
		if (!optional)
			bad(r, "'%s' is missing", key);
		return NULL;
	}
	if (json_object_get_type(v) != type && !(type == json_type_double && json_object_is_type(v, json_type_int))) {
		bad(r, "'%s' has the wrong type", key);
		return NULL;
	}
	return v;
}

static int get_num(struct reader *r, json_object *o, const char *key, double min, double max, bool optional,
		   double *out)
{
	json_object *v = member(r, o, key, json_type_double, optional);

	if (!v)
		return r->err->code ? -1 : 0;
	*out = json_object_get_double(v);
	if (*out < min || *out > max)
		return bad(r, "'%s' is out of range", key);
	return 0;
}

static int get_bool(struct reader *r, json_object *o, const char *key, bool def, bool *out)
{
	json_object *v = member(r, o, key, json_type_boolean, true);

	if (r->err->code)
		return -1;
	*out = v ? json_object_get_boolean(v) : def;
	return 0;
}

static int read_host(struct reader *r, json_object *o, struct rhv_bal_input *in, size_t i)
{
	struct rhv_bal_host *h = &in->s.hosts[i];
	json_object *name = member(r, o, "name", json_type_string, false);
	json_object *state = name ? member(r, o, "state", json_type_string, false) : NULL;
	json_object *hist;
	double cores = 0, mem = 0, used = 0, cpu = 0;

	if (!state)
		return -1;
	in->host_names[i] = rhv_xstrdup(json_object_get_string(name));
	h->name = in->host_names[i];
	set_host_state(in, i, json_object_get_string(state));
	{
		static const char *const states[] = { RHV_HOST_UP, RHV_HOST_MAINTENANCE, RHV_HOST_PREPARING,
						      RHV_HOST_CONNECTING, RHV_HOST_NONRESPONSIVE,
						      RHV_HOST_NONOPERATIONAL, RHV_HOST_DOWN, NULL };
		bool known = false;

		for (const char *const *s = states; *s; s++)
			known |= !strcmp(*s, in->host_states[i]);
		if (!known)
			return bad(r, "unknown state '%s'", in->host_states[i]);
	}
	if (get_num(r, o, "cores", 1, 100000, false, &cores) < 0 || get_num(r, o, "memory", 0, 9e18, false, &mem) < 0 ||
	    get_num(r, o, "memory_used", 0, 9e18, true, &used) < 0 || get_num(r, o, "cpu_pct", 0, 100, false, &cpu) < 0 ||
	    get_bool(r, o, "spm", false, &h->is_spm) < 0 ||
	    get_bool(r, o, "power_management", false, &h->power_management) < 0)
		return -1;
	h->cores = (int)cores;
	h->mem_total = (uint64_t)mem;
	h->mem_used_by_vms = (uint64_t)used;
	h->cpu_pct = cpu;
	hist = member(r, o, "cpu_history", json_type_array, true);
	if (r->err->code)
		return -1;
	in->histories[i] = rhv_xcalloc(hist ? json_object_array_length(hist) + 1 : 1, sizeof(double));
	for (size_t k = 0; hist && k < json_object_array_length(hist); k++) {
		json_object *x = json_object_array_get_idx(hist, k);

		if (!json_object_is_type(x, json_type_double) && !json_object_is_type(x, json_type_int))
			return bad(r, "'%s' holds something other than numbers", "cpu_history");
		in->histories[i][k] = json_object_get_double(x);
		if (in->histories[i][k] < 0 || in->histories[i][k] > 100)
			return bad(r, "'cpu_history' holds %g, outside 0..100", in->histories[i][k]);
	}
	h->cpu_history = in->histories[i];
	h->history_len = hist ? json_object_array_length(hist) : 0;
	return 0;
}

static int read_vm(struct reader *r, json_object *o, struct rhv_bal_input *in, size_t i, bool *explicit_used)
{
	struct rhv_bal_vm *v = &in->s.vms[i];
	json_object *name = member(r, o, "name", json_type_string, false);
	json_object *host = name ? member(r, o, "host", json_type_string, false) : NULL;
	double mem = 0, vcpus = 0, cpu = 0;

	if (!host)
		return -1;
	in->vm_names[i] = rhv_xstrdup(json_object_get_string(name));
	v->name = in->vm_names[i];
	v->host = host_index(in, json_object_get_string(host));
	v->migrating_to = -1;
	if (v->host < 0)
		return bad(r, "no host is named '%s'", json_object_get_string(host));
	if (get_num(r, o, "memory", 1, 9e18, false, &mem) < 0 || get_num(r, o, "vcpus", 1, 4096, false, &vcpus) < 0 ||
	    get_num(r, o, "cpu_pct", 0, 100, false, &cpu) < 0 || get_bool(r, o, "ha", false, &v->ha) < 0 ||
	    get_bool(r, o, "pinned", false, &v->pinned) < 0 || get_bool(r, o, "migratable", true, &v->migratable) < 0 ||
	    get_bool(r, o, "migrating", false, &v->migrating) < 0)
		return -1;
	v->memory = (uint64_t)mem;
	v->vcpus = (int)vcpus;
	v->cpu_pct = cpu;
	/* hosts without memory_used count the memory of their VMs */
	if (!explicit_used[v->host])
		in->s.hosts[v->host].mem_used_by_vms += v->memory;
	in->s.hosts[v->host].vm_count += explicit_used[v->host] ? 0 : 1;
	return 0;
}

static char *slurp(const char *path, struct rhv_error *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		rhv_error_set(err, errno == ENOENT ? RHV_EXIT_NOTFOUND : RHV_EXIT_FAILED, "cannot read '%s': %s", path,
			      strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 + 1 > cap)
			buf = rhv_xrealloc(buf, cap = (cap + 4096) * 2);
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

int rhv_bal_read_json(const char *path, struct rhv_bal_input *in, struct rhv_error *err)
{
	_cleanup_free_ char *text = slurp(path, err);
	struct element_lines el = { 0 };
	json_tokener *tok;
	json_object *root, *hosts, *vms, *params, *fmt, *pol, *cl;
	struct reader r = { path, 1, "snapshot", err };
	_cleanup_free_ bool *explicit_used = NULL;
	int rc = -1;

	memset(in, 0, sizeof(*in));
	if (!text)
		return -1;
	tok = json_tokener_new();
	root = json_tokener_parse_ex(tok, text, (int)strlen(text));
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		size_t off = json_tokener_get_parse_end(tok);
		int line = 1;

		for (size_t k = 0; k < off && text[k]; k++)
			line += text[k] == '\n';
		rhv_error_set(err, RHV_EXIT_USAGE, "%s line %d: not JSON: %s", path, line,
			      json_tokener_error_desc(json_tokener_get_error(tok)));
		json_tokener_free(tok);
		json_object_put(root);
		return -1;
	}
	json_tokener_free(tok);
	find_element_lines(text, &el);
	if (!json_object_is_type(root, json_type_object)) {
		bad(&r, "the top level must be an object");
		goto out;
	}
	fmt = member(&r, root, "format", json_type_string, false);
	if (!fmt)
		goto out;
	if (strcmp(json_object_get_string(fmt), RHV_BAL_FORMAT)) {
		bad(&r, "unknown format '%s' (expected " RHV_BAL_FORMAT ")", json_object_get_string(fmt));
		goto out;
	}
	pol = member(&r, root, "policy", json_type_string, false);
	cl = pol ? member(&r, root, "cluster", json_type_string, true) : NULL;
	hosts = pol ? member(&r, root, "hosts", json_type_array, false) : NULL;
	vms = hosts ? member(&r, root, "vms", json_type_array, false) : NULL;
	params = vms ? member(&r, root, "params", json_type_object, true) : NULL;
	if (err->code)
		goto out;
	in->cluster = rhv_xstrdup(cl ? json_object_get_string(cl) : "snapshot");
	in->policy = rhv_xstrdup("none");
	if (rhv_bal_override(in, json_object_get_string(pol), NULL, err) < 0)
		goto out;
	if (!params) /* no parameters: the policy's defaults */
		params = json_object_new_object(), json_object_object_add(root, "params", params);
	json_object_object_foreach(params, key, val)
	{
		char kv[128];

		if (json_object_is_type(val, json_type_boolean))
			snprintf(kv, sizeof(kv), "%s=%s", key, json_object_get_boolean(val) ? "true" : "false");
		else if (json_object_is_type(val, json_type_int))
			snprintf(kv, sizeof(kv), "%s=%lld", key, (long long)json_object_get_int64(val));
		else {
			bad(&r, "parameter '%s' must be a number or a boolean", key);
			goto out;
		}
		if (rhv_bal_override(in, NULL, (const char *const[]){ kv, NULL }, err) < 0) {
			char msg[sizeof(err->message)];

			snprintf(msg, sizeof(msg), "%s", err->message);
			rhv_error_clear(err);
			bad(&r, "%s", msg);
			goto out;
		}
	}
	alloc_hosts(in, json_object_array_length(hosts));
	explicit_used = rhv_xcalloc(in->s.nhosts + 1, sizeof(bool));
	for (size_t i = 0; i < in->s.nhosts; i++) {
		json_object *o = json_object_array_get_idx(hosts, i);
		char what[32];

		snprintf(what, sizeof(what), "hosts[%zu]", i);
		r.what = what;
		r.line = line_of(el.hosts, el.nhosts, i);
		if (!json_object_is_type(o, json_type_object)) {
			bad(&r, "not an object");
			goto out;
		}
		if (read_host(&r, o, in, i) < 0)
			goto out;
		explicit_used[i] = json_object_object_get_ex(o, "memory_used", NULL);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(in->host_names[k], in->host_names[i])) {
				bad(&r, "the name '%s' is used twice", in->host_names[i]);
				goto out;
			}
	}
	alloc_vms(in, json_object_array_length(vms));
	for (size_t i = 0; i < in->s.nvms; i++) {
		json_object *o = json_object_array_get_idx(vms, i);
		char what[32];

		snprintf(what, sizeof(what), "vms[%zu]", i);
		r.what = what;
		r.line = line_of(el.vms, el.nvms, i);
		if (!json_object_is_type(o, json_type_object)) {
			bad(&r, "not an object");
			goto out;
		}
		if (read_vm(&r, o, in, i, explicit_used) < 0)
			goto out;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(in->vm_names[k], in->vm_names[i])) {
				bad(&r, "the name '%s' is used twice", in->vm_names[i]);
				goto out;
			}
	}
	/* vm_count comes from the VMs unless memory_used was given (then the VMs are counted too) */
	for (size_t i = 0; i < in->s.nvms; i++)
		if (explicit_used[in->s.vms[i].host])
			in->s.hosts[in->s.vms[i].host].vm_count++;
	rc = 0;
out:
	free(el.hosts);
	free(el.vms);
	json_object_put(root);
	if (rc < 0)
		rhv_bal_input_clear(in);
	return rc;
}
