#include "rhv/common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/host.h"
#include "rhv/cputype.h"
#include "rhv/event.h"
#include "rhv/parse.h"

static const char select_host[] =
	"SELECT h.id, h.name, c.name AS cluster, d.name AS dc, h.uri, h.spm_priority, h.memory_limit, h.emulated,"
	" h.state, h.state_reason, extract(epoch FROM h.state_since)::bigint AS state_since,"
	" extract(epoch FROM h.unreachable_since)::bigint AS unreachable_since, h.is_spm, h.hostname,"
	" h.cpu_vendor, h.cpu_model, array_to_string(h.cpu_flags, ',') AS cpu_flags,"
	" array_to_string(h.cpu_types, ',') AS cpu_types, h.sockets, h.cores,"
	" h.threads, h.cpus, h.memory, h.kvm, h.libvirt_version, h.qemu_version, h.cpu_pct, h.mem_used,"
	" extract(epoch FROM h.last_seen)::bigint AS last_seen,"
	" (SELECT count(*) FROM vms v WHERE v.host_id = h.id) AS vms,"
	" (SELECT coalesce(sum(v.memory), 0) FROM vms v WHERE v.host_id = h.id OR v.migrating_to = h.id)"
	"  AS mem_committed, h.failed_checks, extract(epoch FROM h.soft_fenced_at)::bigint AS soft_fenced_at,"
	" extract(epoch FROM h.nonresponsive_at)::bigint AS nonresponsive_at,"
	" extract(epoch FROM h.fence_attempt_at)::bigint AS fence_attempt_at, h.recovery_note, h.power_saving_off"
	" FROM hosts h JOIN clusters c ON c.id = h.cluster_id JOIN data_centers d ON d.id = c.dc_id";

static void fill_host(const PGresult *r, int i, struct rhv_host *h)
{
	snprintf(h->id, sizeof(h->id), "%s", rhv_pq_str(r, i, "id"));
	h->name = rhv_pq_dup(r, i, "name");
	h->cluster = rhv_pq_dup(r, i, "cluster");
	h->dc = rhv_pq_dup(r, i, "dc");
	h->uri = rhv_pq_dup(r, i, "uri");
	h->spm_priority = (int)rhv_pq_int(r, i, "spm_priority");
	h->memory_limit = (uint64_t)rhv_pq_int(r, i, "memory_limit");
	h->emulated = rhv_pq_bool(r, i, "emulated");
	h->state = rhv_pq_dup(r, i, "state");
	h->state_reason = rhv_pq_dup(r, i, "state_reason");
	h->state_since = rhv_pq_int(r, i, "state_since");
	h->unreachable_since = rhv_pq_int(r, i, "unreachable_since");
	h->is_spm = rhv_pq_bool(r, i, "is_spm");
	h->hostname = rhv_pq_dup(r, i, "hostname");
	h->cpu_vendor = rhv_pq_dup(r, i, "cpu_vendor");
	h->cpu_model = rhv_pq_dup(r, i, "cpu_model");
	h->cpu_flags = rhv_pq_dup(r, i, "cpu_flags");
	h->cpu_types = rhv_pq_dup(r, i, "cpu_types");
	h->sockets = (int)rhv_pq_int(r, i, "sockets");
	h->cores = (int)rhv_pq_int(r, i, "cores");
	h->threads = (int)rhv_pq_int(r, i, "threads");
	h->cpus = (int)rhv_pq_int(r, i, "cpus");
	h->memory = (uint64_t)rhv_pq_int(r, i, "memory");
	h->has_facts = rhv_pq_str(r, i, "memory") != NULL;
	h->kvm = rhv_pq_bool(r, i, "kvm");
	h->libvirt_version = rhv_pq_dup(r, i, "libvirt_version");
	h->qemu_version = rhv_pq_dup(r, i, "qemu_version");
	h->has_usage = rhv_pq_str(r, i, "cpu_pct") != NULL;
	h->cpu_pct = h->has_usage ? strtod(rhv_pq_str(r, i, "cpu_pct"), NULL) : NAN;
	h->mem_used = (uint64_t)rhv_pq_int(r, i, "mem_used");
	h->last_seen = rhv_pq_int(r, i, "last_seen");
	h->vms = (int)rhv_pq_int(r, i, "vms");
	h->mem_committed = (uint64_t)rhv_pq_int(r, i, "mem_committed");
	h->failed_checks = (int)rhv_pq_int(r, i, "failed_checks");
	h->soft_fenced_at = rhv_pq_int(r, i, "soft_fenced_at");
	h->nonresponsive_at = rhv_pq_int(r, i, "nonresponsive_at");
	h->fence_attempt_at = rhv_pq_int(r, i, "fence_attempt_at");
	h->recovery_note = rhv_pq_dup(r, i, "recovery_note");
	h->power_saving_off = rhv_pq_bool(r, i, "power_saving_off");
}

static int get_host(struct rhv_db *db, const char *name, bool lock, struct rhv_host *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db, select_host, "h", "hosts", lock, "host", name, &r, err) < 0)
		return -1;
	fill_host(r, 0, out);
	return 0;
}

int rhv_host_get(struct rhv_db *db, const char *name, struct rhv_host *out, struct rhv_error *err)
{
	return get_host(db, name, false, out, err);
}

int rhv_db_host_lock(struct rhv_db *db, const char *name, struct rhv_host *out, struct rhv_error *err)
{
	return get_host(db, name, true, out, err);
}

int rhv_host_list(struct rhv_db *db, const char *cluster, struct rhv_host_list *out, struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf("%s WHERE $1::text IS NULL OR c.name = $1 OR c.id::text = $1"
						 " ORDER BY h.name",
						 select_host);
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (cluster) {
		_cleanup_pgresult_ PGresult *c = NULL;

		if (rhv_db_exec(db, "SELECT 1 FROM clusters WHERE name = $1 OR id::text = $1", RHV_PARAMS(cluster), &c,
				err) < 0)
			return -1;
		if (PQntuples(c) == 0)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find cluster '%s'", cluster);
	}
	if (rhv_db_exec(db, sql, RHV_PARAMS(cluster), &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, fill_host);
	return 0;
}

void rhv_host_clear(struct rhv_host *h)
{
	free(h->name);
	free(h->cluster);
	free(h->dc);
	free(h->uri);
	free(h->state);
	free(h->state_reason);
	free(h->hostname);
	free(h->cpu_vendor);
	free(h->cpu_model);
	free(h->cpu_flags);
	free(h->cpu_types);
	free(h->libvirt_version);
	free(h->qemu_version);
	free(h->recovery_note);
	memset(h, 0, sizeof(*h));
}

RHV_DEFINE_LIST_CLEAR(host)

void rhv_host_facts_clear(struct rhv_host_facts *f)
{
	free(f->hostname);
	free(f->arch);
	free(f->cpu_vendor);
	free(f->cpu_model);
	for (char **p = f->cpu_flags; p && *p; p++)
		free(*p);
	free(f->cpu_flags);
	for (char **p = f->cpu_types; p && *p; p++)
		free(*p);
	free(f->cpu_types);
	memset(f, 0, sizeof(*f));
}

/* A list of names as one comma-separated value, split by the store (flag and type names have no commas). */
static char *comma_list(char *const *v)
{
	char *out = NULL;

	for (char *const *p = v; p && *p; p++)
		rhv_xappendf(&out, ",", "%s", *p);
	return out ? out : rhv_xstrdup("");
}

int rhv_db_host_update_facts(struct rhv_db *db, const char *id, const struct rhv_host_facts *f,
			     struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE hosts SET hostname = $2, libvirt_uuid = $3::uuid, cpu_vendor = $4, cpu_model = $5,"
		" cpu_flags = string_to_array($6, ','), sockets = $7::int, cores = $8::int, threads = $9::int,"
		" cpus = $10::int, memory = $11::bigint, kvm = $12::boolean, libvirt_version = $13, qemu_version = $14,"
		" cpu_types = string_to_array($15, ','), last_seen = now(), unreachable_since = NULL,"
		" updated_at = now() WHERE id = $1";
	_cleanup_free_ char *flags = comma_list(f->cpu_flags);
	_cleanup_free_ char *types = comma_list(f->cpu_types);
	char ints[5][24];

	snprintf(ints[0], 24, "%d", f->sockets);
	snprintf(ints[1], 24, "%d", f->cores);
	snprintf(ints[2], 24, "%d", f->threads);
	snprintf(ints[3], 24, "%d", f->cpus);
	snprintf(ints[4], 24, "%llu", (unsigned long long)f->memory);
	return rhv_db_exec(db, sql,
			   RHV_PARAMS(id, f->hostname, f->libvirt_uuid[0] ? f->libvirt_uuid : NULL, f->cpu_vendor,
				      f->cpu_model, flags, ints[0], ints[1], ints[2], ints[3], ints[4],
				      f->kvm ? "true" : "false", f->libvirt_version, f->qemu_version, types),
			   NULL, err);
}

int rhv_db_host_cluster(struct rhv_db *db, const char *name, bool lock, struct rhv_host_cluster *out,
			struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db,
			lock ? "SELECT c.id, c.cpu_type, c.dc_id FROM clusters c JOIN data_centers d ON d.id = c.dc_id"
			       " WHERE c.name = $1 FOR UPDATE"
			     : "SELECT id, cpu_type, dc_id FROM clusters WHERE name = $1",
			RHV_PARAMS(name), &r, err) < 0)
		return -1;
	if (PQntuples(r) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find cluster '%s'", name);
	snprintf(out->id, sizeof(out->id), "%s", PQgetvalue(r, 0, 0));
	snprintf(out->cpu_type, sizeof(out->cpu_type), "%s", PQgetvalue(r, 0, 1));
	snprintf(out->dc_id, sizeof(out->dc_id), "%s", PQgetvalue(r, 0, 2));
	return 0;
}

int rhv_db_dc_host_count(struct rhv_db *db, const char *dc_id, int64_t *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT count(*) AS n FROM hosts h JOIN clusters c ON c.id = h.cluster_id WHERE c.dc_id = $1",
			RHV_PARAMS(dc_id), &r, err) < 0)
		return -1;
	*out = rhv_pq_int(r, 0, "n");
	return 0;
}

int rhv_db_cluster_adopt_cpu_type(struct rhv_db *db, const struct rhv_host_cluster *c, const char *cluster_name,
				  const char *type_id, const char *host_name, struct rhv_error *err)
{
	const struct rhv_cpu_type *t = rhv_cpu_type_find(type_id);

	if (rhv_db_exec(db, "UPDATE clusters SET cpu_type = $2, updated_at = now() WHERE id = $1 AND cpu_type IS NULL",
			RHV_PARAMS(c->id, t->id), NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_NORMAL, "cluster", c->id, cluster_name, "edit", err,
			     "cluster '%s' takes the CPU type %s (%s) from its first host '%s'", cluster_name, t->name,
			     t->id, host_name);
}

int rhv_db_host_insert(struct rhv_db *db, const struct rhv_host_spec *spec, const char *cluster_id,
		       const struct rhv_host_facts *f, const char *state, const char *reason, char id[37],
		       struct rhv_error *err)
{
	static const char sql[] =
		"INSERT INTO hosts (name, cluster_id, uri, spm_priority, memory_limit, emulated, state, state_reason)"
		" VALUES ($1, $2, $3, coalesce($4::int, 5), $5::bigint, coalesce($6::boolean, false), $7, $8)"
		" RETURNING id";
	_cleanup_pgresult_ PGresult *r = NULL;
	const char *emulated = spec->emulated < 0 ? NULL : spec->emulated ? "true" : "false";

	if (rhv_db_exec(db, sql,
			RHV_PARAMS(spec->name, cluster_id, spec->uri, spec->spm_priority, spec->memory_limit, emulated,
				   state, reason),
			&r, err) < 0) {
		if (rhv_db_error_is(err, "23505")) {
			bool uri = strstr(err->message, "uri") != NULL;

			if (uri)
				return rhv_error_replace(err, RHV_EXIT_CONFLICT, "another host already has the URI '%s'",
							 spec->uri);
			return rhv_error_replace(err, RHV_EXIT_CONFLICT, "host '%s' already exists", spec->name);
		}
		return -1;
	}
	snprintf(id, 37, "%s", PQgetvalue(r, 0, 0));
	return rhv_db_host_update_facts(db, id, f, err);
}

static enum rhv_severity state_severity(const char *state)
{
	if (!strcmp(state, RHV_HOST_NONRESPONSIVE) || !strcmp(state, RHV_HOST_NONOPERATIONAL))
		return RHV_SEV_ERROR;
	if (!strcmp(state, RHV_HOST_CONNECTING) || !strcmp(state, RHV_HOST_REBOOT))
		return RHV_SEV_WARNING;
	return RHV_SEV_NORMAL;
}

int rhv_db_host_set_state(struct rhv_db *db, const struct rhv_host *h, const char *state, const char *reason,
			  struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE hosts SET state = $2, state_reason = $3, state_since = now(),"
		" unreachable_since = CASE WHEN $2 IN ('Connecting', 'NonResponsive', 'Reboot')"
		"  THEN coalesce(unreachable_since, now()) ELSE NULL END,"
		/* a host that leaves Down is no longer powered off for power saving */
		" power_saving_off = power_saving_off AND $2 = 'Down',"
		" updated_at = now() WHERE id = $1";

	if (rhv_db_exec(db, sql, RHV_PARAMS(h->id, state, reason), NULL, err) < 0)
		return -1;
	if (!strcmp(h->state, state) && !reason)
		return 0;
	return rhv_event_add(db, state_severity(state), "host", h->id, h->name, "state", err, "host '%s' is %s%s%s",
			     h->name, state, reason ? ": " : "", reason ? reason : "");
}

struct edit_arg {
	const struct rhv_host_spec *spec;
	int64_t prio;
	uint64_t limit;
	bool limit_none;
};

static int edit_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE hosts SET name = coalesce($2, name), spm_priority = coalesce($3::int, spm_priority),"
		" memory_limit = CASE WHEN $5::boolean THEN NULL ELSE coalesce($4::bigint, memory_limit) END,"
		" emulated = coalesce($6::boolean, emulated), updated_at = now() WHERE id = $1";
	const struct edit_arg *a = arg;
	const struct rhv_host_spec *s = a->spec;
	struct rhv_host cur;
	char prio[24], limit[24];
	int rc = -1;

	if (rhv_db_host_lock(db, s->name, &cur, err) < 0)
		goto out;
	snprintf(prio, sizeof(prio), "%lld", (long long)a->prio);
	snprintf(limit, sizeof(limit), "%llu", (unsigned long long)a->limit);
	if (rhv_db_exec(db, sql,
			RHV_PARAMS(cur.id, s->new_name, s->spm_priority ? prio : NULL,
				   s->memory_limit && !a->limit_none ? limit : NULL, a->limit_none ? "true" : "false",
				   s->emulated < 0 ? NULL : s->emulated ? "true" : "false"),
			NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505")) {
			rhv_error_replace(err, RHV_EXIT_CONFLICT, "host '%s' already exists", s->new_name);
		}
		goto out;
	}
	{
		_cleanup_free_ char *what = NULL;

		if (s->new_name)
			rhv_xappendf(&what, ", ", "name %s", s->new_name);
		if (s->spm_priority)
			rhv_xappendf(&what, ", ", "SPM priority %s", prio);
		if (s->memory_limit && a->limit_none) {
			rhv_xappendf(&what, ", ", "no memory limit");
		} else if (s->memory_limit) {
			char mem[32];

			rhv_format_bytes(a->limit, mem, sizeof(mem));
			rhv_xappendf(&what, ", ", "memory limit %s", mem);
		}
		if (s->emulated >= 0)
			rhv_xappendf(&what, ", ", "emulated %s", s->emulated ? "on" : "off");
		rc = rhv_event_add(db, RHV_SEV_NORMAL, "host", cur.id, s->new_name ? s->new_name : cur.name, "edit",
				   err, "host '%s' changed: %s", cur.name, what);
	}
out:
	rhv_host_clear(&cur);
	return rc;
}

int rhv_host_spec_check(const struct rhv_host_spec *s, bool adding, int64_t *prio, uint64_t *limit, bool *none,
			struct rhv_error *err)
{
	*none = false;
	if (rhv_check_name(s->name, adding ? 255 : 1024, "host name", err) < 0)
		return -1;
	if (s->new_name && rhv_check_name(s->new_name, 255, "new host name", err) < 0)
		return -1;
	if (s->uri && (rhv_check_name(s->uri, 1024, "URI", err) < 0))
		return -1;
	if (s->uri && !strstr(s->uri, ":/"))
		return rhv_error_usage(err, "invalid URI '%s': expected a libvirt URI such as qemu+ssh://root@h1/system",
				       s->uri);
	if (s->spm_priority && rhv_parse_int(s->spm_priority, -1, 10, "SPM priority", prio, err) < 0)
		return -1;
	if (s->memory_limit && !strcmp(s->memory_limit, "none"))
		*none = true;
	else if (s->memory_limit && rhv_parse_size(s->memory_limit, "memory limit", limit, err) < 0)
		return -1;
	else if (s->memory_limit && *limit < (64ULL << 20))
		return rhv_error_usage(err, "invalid memory limit '%s': at least 64 MiB", s->memory_limit);
	if (adding && *none)
		return rhv_error_usage(err, "invalid memory limit 'none' for a new host: leave the option out");
	return 0;
}

int rhv_host_edit(struct rhv_db *db, const struct rhv_host_spec *spec, struct rhv_error *err)
{
	struct edit_arg a = { spec, 0, 0, false };

	if (rhv_host_spec_check(spec, false, &a.prio, &a.limit, &a.limit_none, err) < 0)
		return -1;
	if (!spec->new_name && !spec->spm_priority && !spec->memory_limit && spec->emulated < 0)
		return rhv_error_usage(err, "nothing to change: give at least one option");
	return rhv_db_txn(db, edit_txn, &a, err);
}

static int remove_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct rhv_host cur;
	_cleanup_pgresult_ PGresult *r = NULL;
	int rc = -1;

	if (rhv_db_host_lock(db, arg, &cur, err) < 0)
		goto out;
	if (strcmp(cur.state, RHV_HOST_MAINTENANCE)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' is %s: only a host in Maintenance can be removed",
			      cur.name, cur.state);
		rhv_error_hint(err, "run 'rhv-host maintenance %s' first", cur.name);
		goto out;
	}
	if (rhv_db_exec(db, "SELECT name FROM vms WHERE host_id = $1 OR migrating_to = $1 OR pin_host_id = $1",
			RHV_PARAMS(cur.id), &r, err) < 0)
		goto out;
	if (PQntuples(r) > 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' still has VM '%s' running on or pinned to it", cur.name,
			      PQgetvalue(r, 0, 0));
		goto out;
	}
	if (rhv_db_exec(db, "DELETE FROM hosts WHERE id = $1", RHV_PARAMS(cur.id), NULL, err) < 0)
		goto out;
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "host", cur.id, cur.name, "remove", err, "host '%s' removed",
			   cur.name);
out:
	rhv_host_clear(&cur);
	return rc;
}

int rhv_host_remove(struct rhv_db *db, const char *name, struct rhv_error *err)
{
	if (rhv_check_name(name, 1024, "host name", err) < 0)
		return -1;
	return rhv_db_txn(db, remove_txn, (void *)name, err);
}

/* ---- maintenance ---- */

int rhv_db_host_vms_left(struct rhv_db *db, const char *host_id, int *left, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT count(*) FROM vms WHERE host_id = $1 OR migrating_to = $1", RHV_PARAMS(host_id),
			&r, err) < 0)
		return -1;
	*left = atoi(PQgetvalue(r, 0, 0));
	return 0;
}

int rhv_db_host_vm_names(struct rhv_db *db, const char *host_id, char ***names, size_t *n, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*names = NULL;
	*n = 0;
	if (rhv_db_exec(db, "SELECT name FROM vms WHERE host_id = $1 ORDER BY coalesce(cpu_pct, 0), name",
			RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*names = rhv_xcalloc(*n + 1, sizeof(char *));
	for (size_t i = 0; i < *n; i++)
		(*names)[i] = rhv_xstrdup(PQgetvalue(r, (int)i, 0));
	return 0;
}

void rhv_db_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int rhv_db_host_name_uri(struct rhv_db *db, const char *id, char **name, char **uri, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*name = *uri = NULL;
	if (rhv_db_exec(db, "SELECT name, uri FROM hosts WHERE id = $1", RHV_PARAMS(id), &r, err) < 0)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	*name = rhv_pq_dup(r, 0, "name");
	*uri = rhv_pq_dup(r, 0, "uri");
	return 1;
}
