#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/net.h"
#include "store/store-priv.h"
#include "rhv/dc.h"
#include "rhv/event.h"
#include "rhv/parse.h"

const char *const rhv_storage_types[] = { "shared", "local", NULL };
const char *const rhv_compat_versions[] = { "3.6", "4.0", "4.1", NULL };

int rhv_compat_cmp(const char *a, const char *b)
{
	int ia = -1, ib = -1;

	for (int i = 0; rhv_compat_versions[i]; i++) {
		if (a && !strcmp(a, rhv_compat_versions[i]))
			ia = i;
		if (b && !strcmp(b, rhv_compat_versions[i]))
			ib = i;
	}
	return (ia > ib) - (ia < ib);
}

int rhv_dc_spec_check(const struct rhv_dc_spec *spec, bool creating, struct rhv_error *err)
{
	if (rhv_check_name(spec->name, creating ? RHV_NAME_MAX : 1024, "data center name", err) < 0)
		return -1;
	if (spec->new_name && rhv_check_name(spec->new_name, RHV_NAME_MAX, "new data center name", err) < 0)
		return -1;
	if (spec->description && rhv_check_text(spec->description, RHV_DESCRIPTION_MAX, "description", err) < 0)
		return -1;
	if (spec->storage_type && rhv_parse_enum(spec->storage_type, rhv_storage_types, "storage type", err) < 0)
		return -1;
	if (spec->compat_version &&
	    rhv_parse_enum(spec->compat_version, rhv_compat_versions, "compatibility version", err) < 0)
		return -1;
	return 0;
}

static int name_taken(struct rhv_error *err, const char *name)
{
	return rhv_error_replace(err, RHV_EXIT_CONFLICT, "data center '%s' already exists", name);
}

static int create_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"INSERT INTO data_centers (name, description, storage_type, compat_version)"
		" VALUES ($1, coalesce($2, ''), coalesce($3, 'shared'), coalesce($4, '" RHV_COMPAT_DEFAULT "'))"
		" RETURNING id";
	const struct rhv_dc_spec *s = arg;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, sql, RHV_PARAMS(s->name, s->description, s->storage_type, s->compat_version), &r,
			err) < 0)
		return rhv_db_error_is(err, "23505") ? name_taken(err, s->name) : -1;
	if (rhv_db_net_dc_defaults(db, PQgetvalue(r, 0, 0), err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_NORMAL, "data_center", PQgetvalue(r, 0, 0), s->name, "create", err,
			     "data center '%s' created", s->name);
}

int rhv_dc_create(struct rhv_db *db, const struct rhv_dc_spec *spec, struct rhv_error *err)
{
	if (rhv_dc_spec_check(spec, true, err) < 0)
		return -1;
	return rhv_db_txn(db, create_txn, (void *)spec, err);
}

static const char select_dc[] =
	"SELECT d.id, d.name, d.description, d.storage_type, d.compat_version, d.status,"
	" extract(epoch FROM d.created_at)::bigint AS created, extract(epoch FROM d.updated_at)::bigint AS updated,"
	" (SELECT count(*) FROM clusters c WHERE c.dc_id = d.id) AS clusters"
	" FROM data_centers d";

static void fill_dc(const PGresult *r, int i, struct rhv_dc *d)
{
	snprintf(d->id, sizeof(d->id), "%s", rhv_pq_str(r, i, "id"));
	d->name = rhv_pq_dup(r, i, "name");
	d->description = rhv_pq_dup(r, i, "description");
	d->storage_type = rhv_pq_dup(r, i, "storage_type");
	d->compat_version = rhv_pq_dup(r, i, "compat_version");
	d->status = rhv_pq_dup(r, i, "status");
	d->created = rhv_pq_int(r, i, "created");
	d->updated = rhv_pq_int(r, i, "updated");
	d->clusters = rhv_pq_int(r, i, "clusters");
}

/* Look a data center up by name, or by id when no name matches; lock it if asked. */
static int get_dc(struct rhv_db *db, const char *name, enum rhv_db_lock lock, struct rhv_dc *out,
		  struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_get_by_name(db, select_dc, "d", "data_centers", lock, "data center", name, &r, err) < 0)
		return -1;
	fill_dc(r, 0, out);
	return 0;
}

int rhv_dc_get(struct rhv_db *db, const char *name, struct rhv_dc *out, struct rhv_error *err)
{
	memset(out, 0, sizeof(*out));
	return get_dc(db, name, RHV_DB_NO_LOCK, out, err);
}

int rhv_db_dc_get_shared(struct rhv_db *db, const char *name, struct rhv_dc *out, struct rhv_error *err)
{
	memset(out, 0, sizeof(*out));
	return get_dc(db, name, RHV_DB_FOR_SHARE, out, err);
}

int rhv_dc_list(struct rhv_db *db, struct rhv_dc_list *out, struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf("%s ORDER BY d.name", select_dc);
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db, sql, RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, fill_dc);
	return 0;
}

void rhv_dc_clear(struct rhv_dc *d)
{
	free(d->name);
	free(d->description);
	free(d->storage_type);
	free(d->compat_version);
	free(d->status);
	memset(d, 0, sizeof(*d));
}

RHV_DEFINE_LIST_CLEAR(dc)

static int edit_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char sql[] =
		"UPDATE data_centers SET name = coalesce($2, name), description = coalesce($3, description),"
		" storage_type = coalesce($4, storage_type), compat_version = coalesce($5, compat_version),"
		" updated_at = now() WHERE id = $1";
	static const char lowest_cluster[] =
		"SELECT name, compat_version FROM clusters WHERE dc_id = $1";
	const struct rhv_dc_spec *s = arg;
	struct rhv_dc cur = { 0 };
	int rc = -1;

	if (get_dc(db, s->name, RHV_DB_FOR_UPDATE, &cur, err) < 0)
		goto out;
	if (s->compat_version && rhv_compat_cmp(s->compat_version, cur.compat_version) < 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "cannot lower the compatibility version of data center '%s' from %s to %s", cur.name,
			      cur.compat_version, s->compat_version);
		goto out;
	}
	if (s->compat_version) {
		_cleanup_pgresult_ PGresult *r = NULL;

		if (rhv_db_exec(db, lowest_cluster, RHV_PARAMS(cur.id), &r, err) < 0)
			goto out;
		for (int i = 0; i < PQntuples(r); i++)
			if (rhv_compat_cmp(PQgetvalue(r, i, 1), s->compat_version) < 0) {
				rhv_error_set(err, RHV_EXIT_CONFLICT,
					      "cluster '%s' is at compatibility version %s, below %s", PQgetvalue(r, i, 0),
					      PQgetvalue(r, i, 1), s->compat_version);
				rhv_error_hint(err, "raise the cluster's version first");
				goto out;
			}
	}
	if (s->storage_type && strcmp(s->storage_type, cur.storage_type) && cur.clusters > 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "cannot change the storage type of data center '%s' while it holds clusters", cur.name);
		goto out;
	}
	if (rhv_db_command(db, sql, RHV_PARAMS(cur.id, s->new_name, s->description, s->storage_type, s->compat_version),
			   NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			name_taken(err, s->new_name);
		goto out;
	}
	{
		_cleanup_free_ char *what = NULL;

		if (s->new_name)
			rhv_xappendf(&what, ", ", "name %s", s->new_name);
		if (s->description)
			rhv_xappendf(&what, ", ", "description");
		if (s->storage_type)
			rhv_xappendf(&what, ", ", "storage type %s", s->storage_type);
		if (s->compat_version)
			rhv_xappendf(&what, ", ", "compatibility version %s -> %s", cur.compat_version, s->compat_version);
		rc = rhv_event_add(db, RHV_SEV_NORMAL, "data_center", cur.id, s->new_name ? s->new_name : cur.name,
				   "edit", err, "data center '%s' changed: %s", cur.name, what);
	}
out:
	rhv_dc_clear(&cur);
	return rc;
}

int rhv_dc_edit(struct rhv_db *db, const struct rhv_dc_spec *spec, struct rhv_error *err)
{
	if (rhv_dc_spec_check(spec, false, err) < 0)
		return -1;
	if (!spec->new_name && !spec->description && !spec->storage_type && !spec->compat_version)
		return rhv_error_usage(err, "nothing to change: give at least one option");
	return rhv_db_txn(db, edit_txn, (void *)spec, err);
}

static int remove_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const char *name = arg;
	struct rhv_dc cur = { 0 };
	int rc = -1;

	if (get_dc(db, name, RHV_DB_FOR_UPDATE, &cur, err) < 0)
		goto out;
	if (cur.clusters > 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "data center '%s' still holds %lld cluster%s", cur.name,
			      (long long)cur.clusters, cur.clusters == 1 ? "" : "s");
		rhv_error_hint(err, "remove them first ('rhv-cluster list --dc %s')", cur.name);
		goto out;
	}
	{
		_cleanup_pgresult_ PGresult *r = NULL;

		if (rhv_db_exec(db, "SELECT count(*) AS n FROM storage_domain_dc WHERE dc_id = $1", RHV_PARAMS(cur.id), &r,
				err) < 0)
			goto out;
		if (rhv_pq_int(r, 0, "n") > 0) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "data center '%s' still has %lld storage domain%s attached",
				      cur.name, (long long)rhv_pq_int(r, 0, "n"), rhv_pq_int(r, 0, "n") == 1 ? "" : "s");
			rhv_error_hint(err, "detach them first ('rhv-sd list --dc %s')", cur.name);
			goto out;
		}
	}
	if (rhv_db_command(db, "DELETE FROM data_centers WHERE id = $1", RHV_PARAMS(cur.id), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23503")) { /* something was added meanwhile */
			rhv_error_replace(err, RHV_EXIT_CONFLICT, "data center '%s' is in use", cur.name);
		}
		goto out;
	}
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "data_center", cur.id, cur.name, "remove", err,
			   "data center '%s' removed", cur.name);
out:
	rhv_dc_clear(&cur);
	return rc;
}

int rhv_dc_remove(struct rhv_db *db, const char *name, struct rhv_error *err)
{
	if (rhv_check_name(name, 1024, "data center name", err) < 0)
		return -1;
	return rhv_db_txn(db, remove_txn, (void *)name, err);
}

int rhv_db_dc_id(struct rhv_db *db, const char *dc, char id[37], struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_get_by_name(db, "SELECT d.id FROM data_centers d", "d", "data_centers", false, "data center", dc,
			       &r, err) < 0)
		return -1;
	snprintf(id, 37, "%s", rhv_pq_str(r, 0, "id"));
	return 0;
}
