/*
 * The balancer's snapshot as a JSON file: read and written, and what-ifs
 * on it.  The store's side is store/balance.c; the planner itself
 * (policy/balance.c) never does I/O.
 */
#include "rhv/common.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy/balance-input.h"
#include "util/jsonpull-priv.h"
#include "rhv/balance-io.h"
#include "rhv/cleanup.h"
#include "rhv/host.h"
#include "rhv/net.h"
#include "rhv/parse.h"
#include "rhv/policy.h"
#include "rhv/strindex.h"
#include "rhv/vm.h"

static const char *const policy_names[] = { "none", "evenly_distributed", "power_saving", "vm_evenly_distributed",
					    NULL };

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
		rhv_bal_input_set_param(&in->s, v.param->key, v.unset ? v.param->def : v.value);
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
		/* Down for another reason than power saving: the default for Down would say powered off */
		if (!strcmp(in->host_states[i], RHV_HOST_DOWN) && !h->powered_off)
			json_object_object_add(o, "powered_off", json_object_new_boolean(false));
		for (size_t k = 0; k < h->history_len; k++)
			json_object_array_add(hist, jnum(h->cpu_history[k]));
		json_object_object_add(o, "cpu_history", hist);
		/* networks that can carry its VMs (the only question the planner asks); none written: no data */
		if (h->nets && h->nets->known) {
			json_object *nets = json_object_new_array();

			for (size_t k = 0; k < h->nets->n; k++)
				if (h->nets->nets[k].in_sync && h->nets->nets[k].bridge)
					json_object_array_add(nets, json_object_new_string(h->nets->nets[k].network));
			json_object_object_add(o, "networks", nets);
		}
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
		if (v->nnetworks) {
			json_object *nets = json_object_new_array();

			for (size_t k = 0; k < v->nnetworks; k++)
				json_object_array_add(nets, json_object_new_string(v->networks[k]));
			json_object_object_add(o, "networks", nets);
		}
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
 * Reading a snapshot file.  Snapshot files come from anyone, so: at most
 * RHV_BAL_SNAPSHOT_MAX_BYTES are read; the whole text is checked to be
 * strict JSON first (so a syntax error is named before anything in the
 * content); then it is read with the pull reader (jsonpull-priv.h), one
 * host or VM at a time, holding nothing but the text and the snapshot;
 * names are found by hash.  Every number is checked against its range
 * before it is converted, every name as the store would check it.
 */

/* Names as long as the store allows them: hosts 255 characters (clusters RHV_NAME_MAX, VMs RHV_VM_NAME_MAX). */
#define HOST_NAME_MAX_CHARS 255
/* a host's cores and a VM's vCPUs, as before */
#define CORES_MAX 100000
#define VCPUS_MAX 4096
/* bytes of memory: 9e18, a little under 2^63 */
#define MEMORY_MAX INT64_C(9000000000000000000)

/* Where a reader is, for messages: "PATH line N: WHAT: ...". */
struct reader {
	const char *path;
	int line;
	const char *what; /* "snapshot", "hosts[2]" */
	struct rhv_jp *p;
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

/* The pull reader's error (also the one that cannot happen once the syntax was checked). */
static int not_json(struct reader *r)
{
	const struct rhv_jp *p = r->p;

	if (p->eof)
		return rhv_error_set(r->err, RHV_EXIT_USAGE, "snapshot %s ends before the JSON value is complete (line %d)",
				     r->path, p->error_line);
	return rhv_error_set(r->err, RHV_EXIT_USAGE, "%s line %d: %s", r->path, p->error_line,
			     p->error[0] ? p->error : "not JSON");
}

/* A member a reader wants from an object, and where its value is (the last one of a repeated key). */
struct member {
	const char *key;
	bool seen;
	struct rhv_jp_value at;
};

/*
 * Note where the wanted members of the object just entered are, and pass
 * over all of its values.  Afterwards the reader is past the object.
 */
static int collect(struct reader *r, struct member *m, size_t n)
{
	struct rhv_jp *p = r->p;
	int more;

	for (bool first = true; (more = rhv_jp_member(p, first)) > 0; first = false) {
		struct member *want = NULL;
		struct rhv_jp_value v;

		for (size_t k = 0; k < n && !want; k++)
			if (strlen(m[k].key) == p->keylen && !memcmp(m[k].key, p->key, p->keylen))
				want = &m[k];
		if (rhv_jp_value(p, &v) < 0 || rhv_jp_skip(p, &v) < 0)
			return not_json(r);
		if (want) {
			want->seen = true;
			want->at = v;
		}
	}
	return more < 0 ? not_json(r) : 0;
}

/*
 * The value of member m, read again into v.  JSON null counts as missing.
 * Returns: 1; 0 when missing and optional; -1 when missing and required, or
 * of another type (the error names the member).
 */
static int value_of(struct reader *r, const struct member *m, enum rhv_jp_type type, bool optional,
		    struct rhv_jp_value *v)
{
	if (!m->seen || m->at.type == RHV_JP_NULL)
		return optional ? 0 : bad(r, "'%s' is missing", m->key);
	if (m->at.type != type)
		return bad(r, "'%s' has the wrong type", m->key);
	rhv_jp_seek(r->p, &m->at);
	return rhv_jp_value(r->p, v) < 0 ? not_json(r) : 1;
}

/* A string member (valid until the next string is read), without NUL characters.  Returns as value_of(). */
static int get_str(struct reader *r, const struct member *m, bool optional, const char **out)
{
	struct rhv_jp_value v;
	int rc = value_of(r, m, RHV_JP_STRING, optional, &v);

	if (rc <= 0)
		return rc;
	if (memchr(v.str, '\0', v.len))
		return bad(r, "'%s' contains a NUL character", m->key);
	*out = v.str;
	return 1;
}

/* A name, checked as the store checks names (printable UTF-8, ...); caller frees.  Returns as value_of(). */
static int get_name(struct reader *r, const struct member *m, size_t max, bool optional, char **out)
{
	struct rhv_error e = { 0 };
	const char *s = NULL;
	char what[32];
	int rc = get_str(r, m, optional, &s);

	if (rc <= 0)
		return rc;
	snprintf(what, sizeof(what), "'%s'", m->key);
	if (rhv_check_name(s, max, what, &e) < 0)
		return bad(r, "%s", e.message);
	*out = rhv_xstrdup(s);
	return 1;
}

/* A number in [min, max].  Returns as value_of(). */
static int get_num(struct reader *r, const struct member *m, double min, double max, bool optional, double *out)
{
	struct rhv_jp_value v;
	int rc = value_of(r, m, RHV_JP_NUMBER, optional, &v);

	if (rc <= 0)
		return rc;
	if (!(v.num >= min && v.num <= max))
		return bad(r, "'%s' is out of range", m->key);
	*out = v.num;
	return 1;
}

/*
 * A whole number in [min, max], exactly: an integer as written, or a number
 * written with a fraction or an exponent whose value is whole.  Returns: 0,
 * or -1 when it is not whole or out of range.
 */
static int whole(const struct rhv_jp_value *v, int64_t min, int64_t max, int64_t *out)
{
	int64_t i;

	if (v->integer && v->int_ok)
		i = v->i;
	else if (v->num >= -0x1p63 && v->num < 0x1p63 && v->num == floor(v->num)) /* then the conversion is defined */
		i = (int64_t)v->num;
	else
		return -1;
	if (i < min || i > max)
		return -1;
	*out = i;
	return 0;
}

/* A whole number member in [min, max].  Returns as value_of(). */
static int get_int(struct reader *r, const struct member *m, int64_t min, int64_t max, bool optional, int64_t *out)
{
	struct rhv_jp_value v;
	int rc = value_of(r, m, RHV_JP_NUMBER, optional, &v);

	if (rc <= 0)
		return rc;
	if (v.num != floor(v.num))
		return bad(r, "'%s' must be a whole number", m->key);
	if (whole(&v, min, max, out) < 0)
		return bad(r, "'%s' is out of range", m->key);
	return 1;
}

static int get_bool(struct reader *r, const struct member *m, bool def, bool *out)
{
	struct rhv_jp_value v;
	int rc = value_of(r, m, RHV_JP_BOOL, true, &v);

	*out = rc > 0 ? v.b : def;
	return rc < 0 ? -1 : 0;
}

/* Elements of the array member m, one at a time: enter it, then call next_element() until it returns 0. */
static int enter_array(struct reader *r, const struct member *m)
{
	struct rhv_jp_value v;

	return value_of(r, m, RHV_JP_ARRAY, false, &v) < 0 ? -1 : 0;
}

/* 1 with the next element's first token in v, 0 at the end of the array, -1 on error. */
static int next_element(struct reader *r, bool first, struct rhv_jp_value *v)
{
	int more = rhv_jp_element(r->p, first);

	if (more > 0 && rhv_jp_value(r->p, v) < 0)
		more = -1;
	return more < 0 ? not_json(r) : more;
}

static size_t count_elements(struct reader *r, const struct member *m)
{
	struct rhv_jp_value v;
	size_t n = 0;

	if (enter_array(r, m) < 0)
		return 0;
	for (bool first = true; next_element(r, first, &v) > 0 && rhv_jp_skip(r->p, &v) == 0; first = false)
		n++;
	return n;
}

/*
 * The element of an object array just read (first token in v): its wanted
 * members collected, the reader left after it (in *after), messages naming
 * it ("hosts[3]", its line).
 */
static int element(struct reader *r, const struct rhv_jp_value *v, const char *list, size_t i, char *what,
		   size_t len, struct member *m, size_t n, struct rhv_jp_value *after)
{
	snprintf(what, len, "%s[%zu]", list, i);
	r->what = what;
	r->line = v->line;
	if (v->type != RHV_JP_OBJECT) {
		if (rhv_jp_skip(r->p, v) < 0)
			return not_json(r);
		return bad(r, "not an object");
	}
	if (collect(r, m, n) < 0)
		return -1;
	rhv_jp_tell(r->p, after);
	return 0;
}

enum { H_NAME, H_STATE, H_CORES, H_MEMORY, H_USED, H_CPU, H_SPM, H_PM, H_HISTORY, H_OFF, H_NETS, H_COUNT };

/*
 * An optional array of network names: each passed to add(in, i, name).
 * Returns: 1 read, 0 missing, -1.
 */
static int read_networks(struct reader *r, const struct member *m, struct rhv_bal_input *in, size_t i,
			 void (*add)(struct rhv_bal_input *, size_t, const char *))
{
	struct rhv_jp_value v;
	int more, rc = value_of(r, m, RHV_JP_ARRAY, true, &v);

	if (rc <= 0)
		return rc;
	for (bool first = true; (more = next_element(r, first, &v)) > 0; first = false) {
		struct rhv_error e = { 0 };
		_cleanup_free_ char *name = NULL;

		if (v.type != RHV_JP_STRING)
			return bad(r, "'%s' holds something other than names", m->key);
		name = rhv_xmalloc(v.len + 1);
		memcpy(name, v.str, v.len);
		name[v.len] = '\0';
		if (memchr(v.str, '\0', v.len) || rhv_check_name(name, RHV_NET_NAME_MAX, "a network name", &e) < 0)
			return bad(r, "'%s': %s", m->key, e.message[0] ? e.message : "a name contains a NUL character");
		add(in, i, name);
	}
	return more < 0 ? -1 : 1;
}

/* A host's network that carries VMs, as the snapshot file lists them. */
static void add_host_net(struct rhv_bal_input *in, size_t i, const char *name)
{
	rhv_bal_input_add_host_net(in, i, name, name, true, NULL);
}

static int read_history(struct reader *r, const struct member *m, struct rhv_bal_input *in, size_t i)
{
	struct rhv_jp_value v;
	size_t n = 0, cap = 1;
	int more, rc;

	/* owned by in from the start, so that input_clear() frees it after any error */
	in->histories[i] = rhv_xcalloc(cap, sizeof(double));
	rc = value_of(r, m, RHV_JP_ARRAY, true, &v);
	if (rc <= 0)
		return rc;
	for (bool first = true; (more = next_element(r, first, &v)) > 0; first = false) {
		if (v.type != RHV_JP_NUMBER)
			return bad(r, "'%s' holds something other than numbers", m->key);
		if (!(v.num >= 0 && v.num <= 100))
			return bad(r, "'%s' holds %g, outside 0..100", m->key, v.num);
		if (n == cap)
			in->histories[i] = rhv_xrealloc(in->histories[i], (cap *= 2) * sizeof(double));
		in->histories[i][n++] = v.num;
	}
	in->s.hosts[i].history_len = n;
	return more;
}

static int read_host(struct reader *r, struct member *m, struct rhv_bal_input *in, size_t i)
{
	static const char *const states[] = { RHV_HOST_UP, RHV_HOST_MAINTENANCE, RHV_HOST_PREPARING,
					      RHV_HOST_CONNECTING, RHV_HOST_NONRESPONSIVE,
					      RHV_HOST_NONOPERATIONAL, RHV_HOST_DOWN, NULL };
	struct rhv_bal_host *h = &in->s.hosts[i];
	_cleanup_free_ char *state = NULL;
	int64_t cores = 0, mem = 0, used = 0;
	bool known = false;

	if (get_name(r, &m[H_NAME], HOST_NAME_MAX_CHARS, false, &in->host_names[i]) < 0)
		return -1;
	h->name = in->host_names[i];
	if (get_name(r, &m[H_STATE], 64, false, &state) < 0)
		return -1;
	for (const char *const *s = states; *s; s++)
		known |= !strcmp(*s, state);
	if (!known)
		return bad(r, "unknown state '%s'", state);
	rhv_bal_input_set_host_state(in, i, state);
	if (get_int(r, &m[H_CORES], 1, CORES_MAX, false, &cores) < 0 ||
	    get_int(r, &m[H_MEMORY], 0, MEMORY_MAX, false, &mem) < 0 ||
	    get_int(r, &m[H_USED], 0, MEMORY_MAX, true, &used) < 0 ||
	    get_num(r, &m[H_CPU], 0, 100, false, &h->cpu_pct) < 0 || get_bool(r, &m[H_SPM], false, &h->is_spm) < 0 ||
	    get_bool(r, &m[H_PM], false, &h->power_management) < 0 || read_history(r, &m[H_HISTORY], in, i) < 0 ||
	    get_bool(r, &m[H_OFF], h->powered_off, &h->powered_off) < 0)
		return -1;
	if (m[H_NETS].seen && m[H_NETS].at.type != RHV_JP_NULL)
		rhv_bal_input_host_nets_known(in, i);
	if (read_networks(r, &m[H_NETS], in, i, add_host_net) < 0)
		return -1;
	h->cores = (int)cores;
	h->mem_total = (uint64_t)mem;
	h->mem_used_by_vms = (uint64_t)used;
	h->cpu_history = in->histories[i];
	return 0;
}

enum { V_NAME, V_HOST, V_MEMORY, V_VCPUS, V_CPU, V_HA, V_PINNED, V_MIGRATABLE, V_MIGRATING, V_NETS, V_COUNT };

static int read_vm(struct reader *r, struct member *m, struct rhv_bal_input *in, size_t i,
		   const struct rhv_strindex *hosts, const bool *explicit_used)
{
	struct rhv_bal_vm *v = &in->s.vms[i];
	_cleanup_free_ char *host = NULL;
	int64_t mem = 0, vcpus = 0;

	if (get_name(r, &m[V_NAME], RHV_VM_NAME_MAX, false, &in->vm_names[i]) < 0)
		return -1;
	v->name = in->vm_names[i];
	if (get_name(r, &m[V_HOST], HOST_NAME_MAX_CHARS, false, &host) < 0)
		return -1;
	v->host = rhv_strindex_get(hosts, host);
	v->migrating_to = -1;
	if (v->host < 0)
		return bad(r, "no host is named '%s'", host);
	if (get_int(r, &m[V_MEMORY], 1, MEMORY_MAX, false, &mem) < 0 ||
	    get_int(r, &m[V_VCPUS], 1, VCPUS_MAX, false, &vcpus) < 0 ||
	    get_num(r, &m[V_CPU], 0, 100, false, &v->cpu_pct) < 0 || get_bool(r, &m[V_HA], false, &v->ha) < 0 ||
	    get_bool(r, &m[V_PINNED], false, &v->pinned) < 0 ||
	    get_bool(r, &m[V_MIGRATABLE], true, &v->migratable) < 0 ||
	    get_bool(r, &m[V_MIGRATING], false, &v->migrating) < 0 ||
	    read_networks(r, &m[V_NETS], in, i, rhv_bal_input_add_vm_network) < 0)
		return -1;
	v->memory = (uint64_t)mem;
	v->vcpus = (int)vcpus;
	/* hosts without memory_used count the memory of their VMs */
	if (!explicit_used[v->host])
		in->s.hosts[v->host].mem_used_by_vms += v->memory;
	in->s.hosts[v->host].vm_count += explicit_used[v->host] ? 0 : 1;
	return 0;
}

/* The policy's parameters: integers or booleans, each checked as rhv-cluster policy checks it. */
static int read_params(struct reader *r, const struct member *m, struct rhv_bal_input *in)
{
	struct rhv_jp *p = r->p;
	struct rhv_jp_value v;
	int more;

	if (value_of(r, m, RHV_JP_OBJECT, true, &v) <= 0)
		return r->err->code ? -1 : 0;
	for (bool first = true; (more = rhv_jp_member(p, first)) > 0; first = false) {
		_cleanup_free_ char *kv = NULL;
		struct rhv_error e = { 0 };
		int64_t n;

		if (memchr(p->key, '\0', p->keylen) || rhv_check_name(p->key, 64, "parameter name", &e) < 0)
			return bad(r, "%s", e.code ? e.message : "a parameter name contains a NUL character");
		if (rhv_jp_value(p, &v) < 0)
			return not_json(r);
		if (v.type == RHV_JP_BOOL)
			kv = rhv_xasprintf("%s=%s", p->key, v.b ? "true" : "false");
		else if (v.type == RHV_JP_NUMBER && whole(&v, INT64_MIN, INT64_MAX, &n) == 0)
			kv = rhv_xasprintf("%s=%lld", p->key, (long long)n);
		else if (v.type == RHV_JP_NUMBER && v.num == floor(v.num))
			return bad(r, "parameter '%s' is out of range", p->key);
		else
			return bad(r, "parameter '%s' must be an integer or a boolean", p->key);
		if (rhv_bal_override(in, NULL, (const char *const[]){ kv, NULL }, &e) < 0)
			return bad(r, "%s", e.message);
		if (rhv_jp_skip(p, &v) < 0)
			return not_json(r);
	}
	return more < 0 ? not_json(r) : 0;
}

enum { R_FORMAT, R_POLICY, R_CLUSTER, R_HOSTS, R_VMS, R_PARAMS, R_COUNT };

/* The top level: checked in a fixed order, whatever the order of the file. */
static int read_top(struct reader *r, struct member *m, struct rhv_bal_input *in)
{
	_cleanup_free_ char *format = NULL, *policy = NULL;
	struct rhv_jp_value v;

	if (rhv_jp_value(r->p, &v) < 0)
		return not_json(r);
	if (v.type != RHV_JP_OBJECT)
		return bad(r, "the top level must be an object");
	if (collect(r, m, R_COUNT) < 0 || get_name(r, &m[R_FORMAT], 64, false, &format) < 0)
		return -1;
	if (strcmp(format, RHV_BAL_FORMAT))
		return bad(r, "unknown format '%s' (expected " RHV_BAL_FORMAT ")", format);
	if (get_name(r, &m[R_POLICY], 64, false, &policy) < 0 ||
	    get_name(r, &m[R_CLUSTER], RHV_NAME_MAX, true, &in->cluster) < 0 ||
	    value_of(r, &m[R_HOSTS], RHV_JP_ARRAY, false, &v) < 0 || value_of(r, &m[R_VMS], RHV_JP_ARRAY, false, &v) < 0 ||
	    value_of(r, &m[R_PARAMS], RHV_JP_OBJECT, true, &v) < 0)
		return -1;
	if (!in->cluster)
		in->cluster = rhv_xstrdup("snapshot");
	in->policy = rhv_xstrdup("none");
	if (rhv_bal_override(in, policy, NULL, r->err) < 0)
		return -1;
	return read_params(r, &m[R_PARAMS], in); /* no parameters: the policy's defaults */
}

static int read_hosts(struct reader *r, const struct member *list, struct rhv_bal_input *in,
		      struct rhv_strindex *names, bool **explicit_used)
{
	struct rhv_jp_value v, after;
	char what[32];
	int more;

	rhv_bal_input_alloc_hosts(in, count_elements(r, list));
	*explicit_used = rhv_xcalloc(in->s.nhosts + 1, sizeof(bool));
	rhv_strindex_init(names, in->s.nhosts);
	if (r->err->code || enter_array(r, list) < 0)
		return -1;
	for (size_t i = 0; (more = next_element(r, i == 0, &v)) > 0; i++) {
		struct member m[H_COUNT] = { { "name" },   { "state" }, { "cores" },	       { "memory" },	 { "memory_used" },
					     { "cpu_pct" }, { "spm" },   { "power_management" }, { "cpu_history" },
					     { "powered_off" }, { "networks" } };
		int twice;

		if (element(r, &v, "hosts", i, what, sizeof(what), m, H_COUNT, &after) < 0 || read_host(r, m, in, i) < 0)
			return -1;
		(*explicit_used)[i] = m[H_USED].seen;
		twice = rhv_strindex_add(names, in->host_names[i], (int)i);
		if (twice >= 0)
			return bad(r, "the name '%s' is used twice", in->host_names[i]);
		rhv_jp_seek(r->p, &after);
	}
	return more;
}

static int read_vms(struct reader *r, const struct member *list, struct rhv_bal_input *in,
		    const struct rhv_strindex *hosts, const bool *explicit_used)
{
	struct rhv_strindex names;
	struct rhv_jp_value v, after;
	char what[32];
	int more;

	rhv_bal_input_alloc_vms(in, count_elements(r, list));
	rhv_strindex_init(&names, in->s.nvms);
	if (r->err->code || enter_array(r, list) < 0) {
		rhv_strindex_clear(&names);
		return -1;
	}
	for (size_t i = 0; (more = next_element(r, i == 0, &v)) > 0; i++) {
		struct member m[V_COUNT] = { { "name" }, { "host" },	{ "memory" },	   { "vcpus" },	    { "cpu_pct" },
					     { "ha" },	 { "pinned" }, { "migratable" }, { "migrating" }, { "networks" } };

		if (element(r, &v, "vms", i, what, sizeof(what), m, V_COUNT, &after) < 0 ||
		    read_vm(r, m, in, i, hosts, explicit_used) < 0) {
			more = -1;
			break;
		}
		if (rhv_strindex_add(&names, in->vm_names[i], (int)i) >= 0) {
			more = bad(r, "the name '%s' is used twice", in->vm_names[i]);
			break;
		}
		rhv_jp_seek(r->p, &after);
	}
	rhv_strindex_clear(&names);
	if (more < 0)
		return -1;
	/* vm_count comes from the VMs unless memory_used was given (then the VMs are counted too) */
	for (size_t i = 0; i < in->s.nvms; i++)
		if (explicit_used[in->s.vms[i].host])
			in->s.hosts[in->s.vms[i].host].vm_count++;
	return 0;
}

/*
 * The whole file, NUL-terminated, or NULL with err set: refused without
 * reading further when it is larger than RHV_BAL_SNAPSHOT_MAX_BYTES, and
 * at the first NUL byte (never in JSON text; /dev/zero stops at once).
 */
static char *read_capped(const char *path, size_t *len, struct rhv_error *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	struct stat st = { 0 };
	char *buf = NULL, *nul;
	size_t cap = 0, n, room, left;

	*len = 0;
	if (!f) {
		rhv_error_set(err, errno == ENOENT ? RHV_EXIT_NOTFOUND : RHV_EXIT_FAILED, "cannot read '%s': %s", path,
			      strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		rhv_error_set(err, RHV_EXIT_USAGE, "cannot read '%s': %s", path, strerror(EISDIR));
		goto fail;
	}
	if (S_ISREG(st.st_mode) && st.st_size > RHV_BAL_SNAPSHOT_MAX_BYTES)
		goto too_big;
	/* a stream is read up to one byte past the limit, never more */
	do {
		if (*len + 1 >= cap)
			buf = rhv_xrealloc(buf, cap = cap ? 2 * cap : 65536);
		room = cap - *len - 1;
		left = (size_t)RHV_BAL_SNAPSHOT_MAX_BYTES + 1 - *len;
		n = fread(buf + *len, 1, room < left ? room : left, f);
		nul = memchr(buf + *len, '\0', n);
		*len += n;
		if (nul) {
			int line = 1;

			for (const char *c = buf; c < nul; c++)
				line += *c == '\n';
			rhv_error_set(err, RHV_EXIT_USAGE, "%s line %d: not JSON: a NUL byte", path, line);
			goto fail;
		}
		if (*len > RHV_BAL_SNAPSHOT_MAX_BYTES)
			goto too_big;
	} while (n > 0);
	if (ferror(f)) {
		rhv_error_set(err, RHV_EXIT_FAILED, "cannot read '%s': %s", path, strerror(errno));
		goto fail;
	}
	buf[*len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
too_big:
	rhv_error_set(err, RHV_EXIT_USAGE, "snapshot %s is larger than %d MiB", path, RHV_BAL_SNAPSHOT_MAX_BYTES >> 20);
	rhv_error_hint(err, "a snapshot of 2,000 hosts and 100,000 VMs takes about 23 MiB");
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return NULL;
}

int rhv_bal_read_json(const char *path, struct rhv_bal_input *in, struct rhv_error *err)
{
	struct member top[R_COUNT] = { { "format" }, { "policy" }, { "cluster" },
				       { "hosts" },  { "vms" },	   { "params" } };
	struct rhv_jp p;
	struct reader r = { path, 1, "snapshot", &p, err };
	struct rhv_strindex hosts = { 0 };
	struct rhv_jp_value v;
	_cleanup_free_ bool *explicit_used = NULL;
	size_t len;
	_cleanup_free_ char *text = read_capped(path, &len, err);
	int rc = -1;

	memset(in, 0, sizeof(*in));
	if (!text)
		return -1;
	if (!text[strspn(text, " \t\r\n")])
		return rhv_error_set(err, RHV_EXIT_USAGE, "snapshot %s is empty", path);
	/* syntax first, whole: then the content, in the order the checks need */
	rhv_jp_init(&p, text, len);
	if (rhv_jp_value(&p, &v) < 0 || rhv_jp_skip(&p, &v) < 0 || rhv_jp_end(&p) < 0) {
		rc = not_json(&r);
		goto out;
	}
	rhv_jp_init(&p, text, len);
	if (read_top(&r, top, in) == 0 && read_hosts(&r, &top[R_HOSTS], in, &hosts, &explicit_used) == 0)
		rc = read_vms(&r, &top[R_VMS], in, &hosts, explicit_used);
out:
	rhv_jp_release(&p);
	rhv_strindex_clear(&hosts);
	if (rc < 0)
		rhv_bal_input_clear(in);
	return rc;
}
