#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/net.h"
#include "store/store-priv.h"
#include "rhv/cluster.h"
#include "rhv/cputype.h"
#include "rhv/dc.h"
#include "rhv/event.h"
#include "rhv/parse.h"
#include "rhv/policy.h"

/* The fencing policy of a spec, checked, as the store takes it; NULL: not given. */
struct fencing {
	const char *enabled, *skip_percent, *skip_lease, *grace;
	bool on, lease;
	int64_t percent, seconds;
	char percent_s[24], grace_s[24];
};

static int parse_fencing(const struct rhv_cluster_spec *spec, struct fencing *f, struct rhv_error *err)
{
	memset(f, 0, sizeof(*f));
	if (spec->fencing) {
		if (rhv_parse_bool(spec->fencing, "--fencing", &f->on, err) < 0)
			return -1;
		f->enabled = f->on ? "true" : "false";
	}
	if (spec->fencing_skip_percent) {
		if (rhv_parse_int(spec->fencing_skip_percent, 0, 100, "--fencing-skip-percent", &f->percent, err) < 0)
			return -1;
		snprintf(f->percent_s, sizeof(f->percent_s), "%lld", (long long)f->percent);
		f->skip_percent = f->percent_s;
	}
	if (spec->fencing_skip_lease) {
		if (rhv_parse_bool(spec->fencing_skip_lease, "--fencing-skip-lease", &f->lease, err) < 0)
			return -1;
		f->skip_lease = f->lease ? "true" : "false";
	}
	if (spec->fencing_startup_grace) {
		if (rhv_parse_int(spec->fencing_startup_grace, 0, RHV_FENCING_STARTUP_GRACE_MAX, "--fencing-startup-grace",
				  &f->seconds, err) < 0)
			return -1;
		snprintf(f->grace_s, sizeof(f->grace_s), "%lld", (long long)f->seconds);
		f->grace = f->grace_s;
	}
	return 0;
}

static bool fencing_given(const struct fencing *f)
{
	return f->enabled || f->skip_percent || f->skip_lease || f->grace;
}

/* One change for an event: "LABEL NEW", or "LABEL OLD -> NEW" when the old value is known. */
static void describe(char **what, const char *label, const char *old, const char *new)
{
	if (old)
		rhv_xappendf(what, ", ", "%s %s -> %s", label, old, new);
	else
		rhv_xappendf(what, ", ", "%s %s", label, new);
}

/* What the event says of the fencing policy given (cur NULL: a new cluster). */
static void describe_fencing(char **what, const struct fencing *f, const struct rhv_cluster *cur)
{
	char old[32], new[32];

	if (f->enabled)
		describe(what, "fencing", cur ? (cur->fencing_enabled ? "on" : "off") : NULL, f->on ? "on" : "off");
	if (f->skip_percent) {
		snprintf(old, sizeof(old), "%d", cur ? cur->fencing_skip_percent : 0);
		describe(what, "fencing skip percent", cur ? old : NULL, f->skip_percent);
	}
	if (f->skip_lease)
		describe(what, "fencing skip lease", cur ? (cur->fencing_skip_lease ? "on" : "off") : NULL,
			 f->lease ? "on" : "off");
	if (f->grace) {
		snprintf(old, sizeof(old), "%d s", cur ? cur->fencing_startup_grace : 0);
		snprintf(new, sizeof(new), "%s s", f->grace);
		describe(what, "fencing startup grace", cur ? old : NULL, new);
	}
}

/* The fencing policy given; the rest stays (the schema's defaults on a new cluster). */
static int set_fencing(struct rhv_db *db, const char *id, const struct fencing *f, struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE clusters SET fencing_enabled = coalesce($2::boolean, fencing_enabled),"
		" fencing_skip_percent = coalesce($3::int, fencing_skip_percent),"
		" fencing_skip_lease = coalesce($4::boolean, fencing_skip_lease),"
		" fencing_startup_grace = coalesce($5::int, fencing_startup_grace) WHERE id = $1";

	return rhv_db_command(db, sql, RHV_PARAMS(id, f->enabled, f->skip_percent, f->skip_lease, f->grace), NULL,
			      err);
}

/* What create and edit hand their transactions. */
struct cluster_change {
	const struct rhv_cluster_spec *s;
	struct fencing f;
};

int rhv_cluster_spec_check(const struct rhv_cluster_spec *spec, bool creating, struct rhv_error *err)
{
	struct fencing f;

	if (rhv_check_name(spec->name, creating ? RHV_NAME_MAX : 1024, "cluster name", err) < 0)
		return -1;
	if (spec->new_name && rhv_check_name(spec->new_name, RHV_NAME_MAX, "new cluster name", err) < 0)
		return -1;
	if (spec->description && rhv_check_text(spec->description, RHV_DESCRIPTION_MAX, "description", err) < 0)
		return -1;
	if (spec->cpu_type && !rhv_cpu_type_find(spec->cpu_type)) {
		rhv_error_usage(err, "invalid CPU type '%s'", spec->cpu_type);
		rhv_error_hint(err, "'rhv-cluster cpu-types' lists them");
		return -1;
	}
	if (spec->compat_version &&
	    rhv_parse_enum(spec->compat_version, rhv_compat_versions, "compatibility version", err) < 0)
		return -1;
	if (parse_fencing(spec, &f, err) < 0)
		return -1;
	if (creating && !spec->dc)
		return rhv_error_usage(err, "a cluster needs --dc");
	return 0;
}

static int name_taken(struct rhv_error *err, const char *name)
{
	return rhv_error_replace(err, RHV_EXIT_CONFLICT, "cluster '%s' already exists", name);
}

static const char select_cluster[] =
	"SELECT c.id, c.name, d.name AS dc, c.description, c.cpu_type, c.compat_version, c.scheduling_policy,"
	" c.ha_reservation, c.fencing_enabled, c.fencing_skip_percent, c.fencing_skip_lease,"
	" c.fencing_startup_grace, extract(epoch FROM c.created_at)::bigint AS created,"
	" extract(epoch FROM c.updated_at)::bigint AS updated"
	" FROM clusters c JOIN data_centers d ON d.id = c.dc_id";

static void fill_cluster(const PGresult *r, int i, struct rhv_cluster *c)
{
	snprintf(c->id, sizeof(c->id), "%s", rhv_pq_str(r, i, "id"));
	c->name = rhv_pq_dup(r, i, "name");
	c->dc = rhv_pq_dup(r, i, "dc");
	c->description = rhv_pq_dup(r, i, "description");
	c->cpu_type = rhv_pq_dup(r, i, "cpu_type");
	c->compat_version = rhv_pq_dup(r, i, "compat_version");
	c->policy = rhv_pq_dup(r, i, "scheduling_policy");
	c->ha_reservation = rhv_pq_bool(r, i, "ha_reservation");
	c->fencing_enabled = rhv_pq_bool(r, i, "fencing_enabled");
	c->fencing_skip_percent = (int)rhv_pq_int(r, i, "fencing_skip_percent");
	c->fencing_skip_lease = rhv_pq_bool(r, i, "fencing_skip_lease");
	c->fencing_startup_grace = (int)rhv_pq_int(r, i, "fencing_startup_grace");
	c->created = rhv_pq_int(r, i, "created");
	c->updated = rhv_pq_int(r, i, "updated");
}

/* Every parameter of the cluster's policy, explicit or default. */
static int load_params(struct rhv_db *db, struct rhv_cluster *c, struct rhv_error *err)
{
	const struct rhv_policy *p = rhv_policy_find(c->policy);
	_cleanup_pgresult_ PGresult *r = NULL;
	size_t n = 0;

	if (!p)
		return 0; /* a policy this program does not know: show no parameters */
	if (rhv_db_exec(db, "SELECT key, value FROM cluster_policy_params WHERE cluster_id = $1", RHV_PARAMS(c->id),
			&r, err) < 0)
		return -1;
	while (p->params[n])
		n++;
	c->params = rhv_xcalloc(n, sizeof(*c->params));
	c->nparams = n;
	for (size_t k = 0; k < n; k++) {
		const struct rhv_policy_param *pp = rhv_policy_param_find(p->params[k]);
		struct rhv_cluster_param *out = &c->params[k];

		out->key = rhv_xstrdup(pp->key);
		for (int i = 0; i < PQntuples(r); i++)
			if (!strcmp(PQgetvalue(r, i, 0), pp->key)) {
				out->value = rhv_xstrdup(PQgetvalue(r, i, 1));
				out->explicit = true;
			}
		if (!out->explicit && pp->has_default)
			out->value = pp->kind == RHV_PARAM_BOOL ? rhv_xstrdup(pp->def ? "true" : "false")
							  : rhv_xasprintf("%lld", (long long)pp->def);
	}
	return 0;
}

static int get_cluster(struct rhv_db *db, const char *name, bool lock, struct rhv_cluster *out,
		       struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db, select_cluster, "c", "clusters", lock, "cluster", name, &r, err) < 0)
		return -1;
	fill_cluster(r, 0, out);
	return load_params(db, out, err);
}

int rhv_cluster_get(struct rhv_db *db, const char *name, struct rhv_cluster *out, struct rhv_error *err)
{
	return get_cluster(db, name, false, out, err);
}

int rhv_cluster_list(struct rhv_db *db, const char *dc, struct rhv_cluster_list *out, struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf("%s WHERE $1::text IS NULL OR d.name = $1 OR (d.id::text = $1 AND"
						 " NOT EXISTS (SELECT 1 FROM data_centers x WHERE x.name = $1))"
						 " ORDER BY c.name",
						 select_cluster);
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (dc) {
		struct rhv_dc d;

		if (rhv_dc_get(db, dc, &d, err) < 0)
			return -1;
		rhv_dc_clear(&d);
	}
	if (rhv_db_exec(db, sql, RHV_PARAMS(dc), &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, fill_cluster);
	return 0;
}

void rhv_cluster_clear(struct rhv_cluster *c)
{
	free(c->name);
	free(c->dc);
	free(c->description);
	free(c->cpu_type);
	free(c->compat_version);
	free(c->policy);
	for (size_t i = 0; i < c->nparams; i++) {
		free(c->params[i].key);
		free(c->params[i].value);
	}
	free(c->params);
	memset(c, 0, sizeof(*c));
}

RHV_DEFINE_LIST_CLEAR(cluster)

static int create_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"INSERT INTO clusters (name, dc_id, description, cpu_type, compat_version)"
		" VALUES ($1, $2, coalesce($3, ''), $4, $5) RETURNING id";
	const struct cluster_change *ch = arg;
	const struct rhv_cluster_spec *s = ch->s;
	_cleanup_free_ char *fencing = NULL;
	const struct rhv_cpu_type *cpu = rhv_cpu_type_find(s->cpu_type);
	_cleanup_pgresult_ PGresult *r = NULL;
	struct rhv_dc dc;
	const char *version;
	int rc = -1;

	/* shared: a concurrent edit of its version waits for us, and we for it */
	if (rhv_db_dc_get_shared(db, s->dc, &dc, err) < 0)
		return -1;
	version = s->compat_version ? s->compat_version : dc.compat_version;
	if (rhv_compat_cmp(version, dc.compat_version) < 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "compatibility version %s is below %s, the version of data center '%s'",
			      version, dc.compat_version, dc.name);
		goto out;
	}
	if (rhv_db_exec(db, sql, RHV_PARAMS(s->name, dc.id, s->description, cpu ? cpu->id : NULL, version), &r, err) <
	    0) {
		if (rhv_db_error_is(err, "23505"))
			name_taken(err, s->name);
		else if (rhv_db_error_is(err, "23503")) { /* the data center went away meanwhile */
			rhv_error_replace(err, RHV_EXIT_NOTFOUND, "cannot find data center '%s'", s->dc);
		}
		goto out;
	}
	if (rhv_db_net_cluster_defaults(db, PQgetvalue(r, 0, 0), err) < 0)
		goto out;
	/* the schema's defaults for what was not given */
	if (fencing_given(&ch->f) && set_fencing(db, PQgetvalue(r, 0, 0), &ch->f, err) < 0)
		goto out;
	describe_fencing(&fencing, &ch->f, NULL);
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "cluster", PQgetvalue(r, 0, 0), s->name, "create", err,
			   "cluster '%s' created in data center '%s' (%s)%s%s", s->name, dc.name,
			   cpu ? cpu->name : "CPU type from its first host", fencing ? ", " : "", fencing ? fencing : "");
out:
	rhv_dc_clear(&dc);
	return rc;
}

int rhv_cluster_create(struct rhv_db *db, const struct rhv_cluster_spec *spec, struct rhv_error *err)
{
	struct cluster_change ch = { .s = spec };

	if (rhv_cluster_spec_check(spec, true, err) < 0 || parse_fencing(spec, &ch.f, err) < 0)
		return -1;
	return rhv_db_txn(db, create_txn, &ch, err);
}

/*
 * RHV refuses a CPU type that hosts serving the cluster cannot run: every
 * host not in Maintenance must be of its vendor and list it among the types
 * it can run (as last read).  Hosts in Maintenance are judged when they are
 * activated.  Returns true with err filled when refused.
 */
static bool cpu_type_refused(struct rhv_db *db, const struct rhv_cluster *c, const struct rhv_cpu_type *cpu,
			     struct rhv_error *err)
{
	static const char sql[] =
		"SELECT array_to_string((array_agg(name ORDER BY name))[1:3], ', ') AS hosts, count(*) AS n FROM hosts"
		" WHERE cluster_id = $1 AND state <> 'Maintenance'"
		" AND (lower(cpu_vendor) IS DISTINCT FROM lower($2) OR NOT coalesce($3 = ANY (cpu_types), false))";
	_cleanup_pgresult_ PGresult *r = NULL;
	int64_t n;

	if (rhv_db_exec(db, sql, RHV_PARAMS(c->id, cpu->vendor, cpu->id), &r, err) < 0)
		return true;
	n = rhv_pq_int(r, 0, "n");
	if (n == 0)
		return false;
	rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot change the CPU type of cluster '%s' to %s: %s %s%s cannot run it",
		      c->name, cpu->name, n == 1 ? "host" : "hosts", rhv_pq_str(r, 0, "hosts"),
		      n > 3 ? " and others" : "");
	rhv_error_hint(err, "'rhv-cluster cpu-types --host HOST' lists the types a host can run; hosts in "
			    "Maintenance are checked when they are activated");
	return true;
}

static int edit_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE clusters SET name = coalesce($2, name), description = coalesce($3, description),"
		" cpu_type = coalesce($4, cpu_type), compat_version = coalesce($5, compat_version),"
		" updated_at = now() WHERE id = $1";
	static const char dc_version[] =
		"SELECT d.compat_version FROM data_centers d JOIN clusters c ON c.dc_id = d.id WHERE c.id = $1";
	const struct cluster_change *ch = arg;
	const struct rhv_cluster_spec *s = ch->s;
	const struct rhv_cpu_type *cpu = s->cpu_type ? rhv_cpu_type_find(s->cpu_type) : NULL;
	struct rhv_cluster cur;
	int rc = -1;

	if (get_cluster(db, s->name, true, &cur, err) < 0)
		goto out;
	if (s->compat_version && rhv_compat_cmp(s->compat_version, cur.compat_version) < 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot lower the compatibility version of cluster '%s' from %s to %s",
			      cur.name, cur.compat_version, s->compat_version);
		goto out;
	}
	if (cpu && cpu_type_refused(db, &cur, cpu, err))
		goto out;
	if (s->compat_version) {
		_cleanup_pgresult_ PGresult *r = NULL;

		if (rhv_db_exec(db, dc_version, RHV_PARAMS(cur.id), &r, err) < 0)
			goto out;
		if (rhv_compat_cmp(s->compat_version, PQgetvalue(r, 0, 0)) < 0) {
			rhv_error_set(err, RHV_EXIT_CONFLICT,
				      "compatibility version %s is below %s, the version of data center '%s'",
				      s->compat_version, PQgetvalue(r, 0, 0), cur.dc);
			goto out;
		}
	}
	if (rhv_db_command(db, sql,
			   RHV_PARAMS(cur.id, s->new_name, s->description, cpu ? cpu->id : NULL, s->compat_version), NULL,
			   err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			name_taken(err, s->new_name);
		goto out;
	}
	if (fencing_given(&ch->f) && set_fencing(db, cur.id, &ch->f, err) < 0)
		goto out;
	{
		_cleanup_free_ char *what = NULL;

		if (s->new_name)
			rhv_xappendf(&what, ", ", "name %s", s->new_name);
		if (s->description)
			rhv_xappendf(&what, ", ", "description");
		if (cpu)
			rhv_xappendf(&what, ", ", "CPU type %s", cpu->id);
		if (s->compat_version)
			rhv_xappendf(&what, ", ", "compatibility version %s -> %s", cur.compat_version, s->compat_version);
		describe_fencing(&what, &ch->f, &cur);
		rc = rhv_event_add(db, RHV_SEV_NORMAL, "cluster", cur.id, s->new_name ? s->new_name : cur.name, "edit",
				   err, "cluster '%s' changed: %s", cur.name, what);
	}
out:
	rhv_cluster_clear(&cur);
	return rc;
}

int rhv_cluster_edit(struct rhv_db *db, const struct rhv_cluster_spec *spec, struct rhv_error *err)
{
	struct cluster_change ch = { .s = spec };

	if (rhv_cluster_spec_check(spec, false, err) < 0 || parse_fencing(spec, &ch.f, err) < 0)
		return -1;
	if (!spec->new_name && !spec->description && !spec->cpu_type && !spec->compat_version &&
	    !fencing_given(&ch.f))
		return rhv_error_usage(err, "nothing to change: give at least one option");
	return rhv_db_txn(db, edit_txn, &ch, err);
}

static int remove_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct rhv_cluster cur;
	int rc = -1;

	if (get_cluster(db, arg, true, &cur, err) < 0)
		goto out;
	{
		static const char holds[] = "SELECT (SELECT count(*) FROM hosts WHERE cluster_id = $1) AS hosts,"
					    " (SELECT count(*) FROM vms WHERE cluster_id = $1) AS vms";
		_cleanup_pgresult_ PGresult *r = NULL;
		int64_t hosts, vms;

		if (rhv_db_exec(db, holds, RHV_PARAMS(cur.id), &r, err) < 0)
			goto out;
		hosts = rhv_pq_int(r, 0, "hosts");
		vms = rhv_pq_int(r, 0, "vms");
		if (hosts || vms) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "cluster '%s' still holds %lld host%s and %lld VM%s", cur.name,
				      (long long)hosts, hosts == 1 ? "" : "s", (long long)vms, vms == 1 ? "" : "s");
			rhv_error_hint(err, "remove them first");
			goto out;
		}
	}
	if (rhv_db_command(db, "DELETE FROM clusters WHERE id = $1", RHV_PARAMS(cur.id), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23503")) {
			rhv_error_replace(err, RHV_EXIT_CONFLICT, "cluster '%s' is in use", cur.name);
		}
		goto out;
	}
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "cluster", cur.id, cur.name, "remove", err, "cluster '%s' removed",
			   cur.name);
out:
	rhv_cluster_clear(&cur);
	return rc;
}

int rhv_cluster_remove(struct rhv_db *db, const char *name, struct rhv_error *err)
{
	if (rhv_check_name(name, 1024, "cluster name", err) < 0)
		return -1;
	return rhv_db_txn(db, remove_txn, (void *)name, err);
}

/* Effective values of every parameter after the change, for the cross checks. */
static int check_effective(struct rhv_db *db, const struct rhv_policy *p, const char *cluster_id,
			   struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;
	int64_t values[32] = { 0 };
	bool set[32] = { false };

	for (size_t i = 0; i < rhv_policy_params_count && i < RHV_ARRAY_SIZE(values); i++) {
		values[i] = rhv_policy_params[i].def;
		set[i] = rhv_policy_params[i].has_default;
	}
	if (rhv_db_exec(db, "SELECT key, value FROM cluster_policy_params WHERE cluster_id = $1",
			RHV_PARAMS(cluster_id), &r, err) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		const struct rhv_policy_param *pp = rhv_policy_param_find(PQgetvalue(r, i, 0));
		size_t k = pp ? (size_t)(pp - rhv_policy_params) : 0;

		if (!pp || k >= RHV_ARRAY_SIZE(values))
			continue;
		set[k] = true;
		values[k] = rhv_policy_stored_value(pp->key, PQgetvalue(r, i, 1));
	}
	return rhv_policy_check_values(p, values, set, err);
}

static int policy_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct rhv_cluster_policy_spec *s = arg;
	const struct rhv_policy *p;
	struct rhv_cluster cur;
	int rc = -1;

	if (get_cluster(db, s->cluster, true, &cur, err) < 0)
		goto out;
	p = rhv_policy_find(s->policy ? s->policy : cur.policy);
	if (!p) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "cluster '%s' has policy '%s', unknown to this program", cur.name,
			      cur.policy);
		goto out;
	}
	if (strcmp(p->name, cur.policy)) {
		/* explicit values carry over to the new policy where it has that parameter */
		static const char drop[] = "DELETE FROM cluster_policy_params WHERE cluster_id = $1"
					   " AND key <> ALL (string_to_array($2, ','))";
		_cleanup_free_ char *keys = NULL;

		for (const char *const *k = p->params; *k; k++)
			rhv_xappendf(&keys, ",", "%s", *k);
		if (rhv_db_command(db, drop, RHV_PARAMS(cur.id, keys), NULL, err) < 0)
			goto out;
	}
	for (const char *const *kv = s->params; kv && *kv; kv++) {
		static const char upsert[] =
			"INSERT INTO cluster_policy_params (cluster_id, key, value) VALUES ($1, $2, $3)"
			" ON CONFLICT (cluster_id, key) DO UPDATE SET value = excluded.value";
		static const char unset[] = "DELETE FROM cluster_policy_params WHERE cluster_id = $1 AND key = $2";
		struct rhv_param_value v;
		char value[32];

		if (rhv_policy_parse_assignment(p, *kv, &v, err) < 0)
			goto out;
		if (v.param->kind == RHV_PARAM_BOOL)
			snprintf(value, sizeof(value), "%s", v.value ? "true" : "false");
		else
			snprintf(value, sizeof(value), "%lld", (long long)v.value);
		if (v.unset ? rhv_db_command(db, unset, RHV_PARAMS(cur.id, v.param->key), NULL, err)
			    : rhv_db_command(db, upsert, RHV_PARAMS(cur.id, v.param->key, value), NULL, err))
			goto out;
	}
	if (check_effective(db, p, cur.id, err) < 0)
		goto out;
	if (rhv_db_command(db,
			   "UPDATE clusters SET scheduling_policy = $2,"
			   " ha_reservation = CASE WHEN $3::int < 0 THEN ha_reservation ELSE $3::int = 1 END,"
			   " updated_at = now() WHERE id = $1",
			   RHV_PARAMS(cur.id, p->name, s->ha_reservation < 0 ? "-1" : s->ha_reservation ? "1" : "0"),
			   NULL, err) < 0)
		goto out;
	{
		_cleanup_free_ char *what = NULL;

		for (const char *const *kv = s->params; kv && *kv; kv++)
			rhv_xappendf(&what, ", ", "%s", *kv);
		rc = rhv_event_add(db, RHV_SEV_NORMAL, "cluster", cur.id, cur.name, "policy", err,
				   "cluster '%s' scheduling policy '%s'%s%s%s", cur.name, p->name, what ? ", " : "",
				   what ? what : "",
				   s->ha_reservation < 0 ? "" : s->ha_reservation ? ", HA reservation on" : ", HA reservation off");
	}
out:
	rhv_cluster_clear(&cur);
	return rc;
}

int rhv_cluster_set_policy(struct rhv_db *db, const struct rhv_cluster_policy_spec *spec, struct rhv_error *err)
{
	if (rhv_check_name(spec->cluster, 1024, "cluster name", err) < 0)
		return -1;
	if (spec->policy && !rhv_policy_find(spec->policy)) {
		rhv_error_usage(err, "invalid scheduling policy '%s'", spec->policy);
		rhv_error_hint(err, "valid values: none, evenly_distributed, power_saving, vm_evenly_distributed");
		return -1;
	}
	if (!spec->policy && !spec->params && spec->ha_reservation < 0)
		return rhv_error_usage(err, "nothing to change: give --policy, --param or --ha-reservation");
	return rhv_db_txn(db, policy_txn, (void *)spec, err);
}
