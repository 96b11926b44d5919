/* Storage domains as the store holds them: reading and listing. */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/sd.h"
#include "rhv/blockmodel.h"
#include "rhv/event.h"
#include "rhv/sd.h"

const char *const rhv_sd_roles[] = { "data", "iso", "export", NULL };
const char *const rhv_sd_kinds[] = { "nfs", "posixfs", "glusterfs", "local", "iscsi", "fcp", NULL };

/* Attachments come as parallel arrays, in data center name order. */
static const char select_sd[] =
	"SELECT s.id, s.name, s.description, s.role, s.kind, s.path, s.size, s.free,"
	" extract(epoch FROM s.checked_at)::bigint AS checked, s.warning_pct, s.critical_gib,"
	" s.extend_chunk_mib, s.extend_threshold_pct, extract(epoch FROM s.created_at)::bigint AS created,"
	" (SELECT count(*) FROM disks k WHERE k.domain_id = s.id) AS disks,"
	" (SELECT coalesce(sum(k.size), 0) FROM disks k WHERE k.domain_id = s.id) AS committed,"
	" (SELECT coalesce(sum(k.actual), 0) FROM disks k WHERE k.domain_id = s.id) AS allocated,"
	" (SELECT count(*) FROM storage_domain_luns l WHERE l.domain_id = s.id) AS luns,"
	" (SELECT coalesce(sum(l.size), 0) FROM storage_domain_luns l WHERE l.domain_id = s.id) AS lun_bytes,"
	" (SELECT count(*) FILTER (WHERE x.reachable) FROM host_domain_status x JOIN hosts h ON h.id = x.host_id"
	"  WHERE x.domain_id = s.id AND h.state = 'Up') AS hosts_ok,"
	" (SELECT count(*) FROM host_domain_status x JOIN hosts h ON h.id = x.host_id"
	"  WHERE x.domain_id = s.id AND h.state = 'Up') AS hosts_checked,"
	" (SELECT array_to_json(array_agg(json_build_array(a.dc_id, d.name, a.status, a.status_reason,"
	"   a.is_master) ORDER BY d.name))"
	"  FROM storage_domain_dc a JOIN data_centers d ON d.id = a.dc_id WHERE a.domain_id = s.id) AS att"
	" FROM storage_domains s";

/* A JSON string value starting at p (after the quote) into a new string; p advances past it. */
static char *json_str(const char **p)
{
	char *out = rhv_xmalloc(strlen(*p) + 1), *o = out;
	const char *s = *p;

	while (*s && *s != '"') {
		if (*s == '\\' && s[1]) {
			s++;
			switch (*s) {
			case 'n': *o++ = '\n'; break;
			case 't': *o++ = '\t'; break;
			case 'r': *o++ = '\r'; break;
			case 'u': {
				/* the store only escapes control characters this way */
				unsigned v = 0;

				sscanf(s + 1, "%4x", &v);
				*o++ = (char)(v < 0x80 ? v : '?');
				s += 4;
				break;
			}
			default: *o++ = *s;
			}
			s++;
			continue;
		}
		*o++ = *s++;
	}
	*o = '\0';
	*p = *s ? s + 1 : s;
	return out;
}

/* [["id","dc","status",reason|null,true], ...] as built by select_sd. */
static void parse_att(const char *j, struct rhv_sd *sd)
{
	const char *p = j;

	if (!j)
		return;
	while ((p = strchr(p, '['))) {
		struct rhv_sd_attachment a = { 0 };
		char *v[4] = { NULL, NULL, NULL, NULL };

		p++;
		if (*p == '[')
			continue; /* the outer array */
		for (int f = 0; f < 4; f++) {
			while (*p == ' ' || *p == ',')
				p++;
			if (*p == '"') {
				p++;
				v[f] = json_str(&p);
			} else if (!strncmp(p, "null", 4)) {
				p += 4;
			}
		}
		while (*p == ' ' || *p == ',')
			p++;
		a.master = !strncmp(p, "true", 4);
		snprintf(a.dc_id, sizeof(a.dc_id), "%s", v[0] ? v[0] : "");
		free(v[0]);
		a.dc = v[1];
		a.status = v[2];
		a.reason = v[3];
		sd->att = rhv_xrealloc(sd->att, (sd->natt + 1) * sizeof(*sd->att));
		sd->att[sd->natt++] = a;
	}
}

static void fill_sd(const PGresult *r, int i, struct rhv_sd *sd)
{
	memset(sd, 0, sizeof(*sd));
	snprintf(sd->id, sizeof(sd->id), "%s", rhv_pq_str(r, i, "id"));
	sd->name = rhv_pq_dup(r, i, "name");
	sd->description = rhv_pq_dup(r, i, "description");
	sd->role = rhv_pq_dup(r, i, "role");
	sd->kind = rhv_pq_dup(r, i, "kind");
	sd->path = rhv_pq_dup(r, i, "path");
	sd->block = !sd->path;
	sd->checked = rhv_pq_int(r, i, "checked");
	sd->warning_pct = (int)rhv_pq_int(r, i, "warning_pct");
	sd->critical_gib = (int)rhv_pq_int(r, i, "critical_gib");
	sd->extend_chunk_mib = (int)rhv_pq_int(r, i, "extend_chunk_mib");
	sd->extend_threshold_pct = (int)rhv_pq_int(r, i, "extend_threshold_pct");
	sd->created = rhv_pq_int(r, i, "created");
	sd->disks = rhv_pq_int(r, i, "disks");
	sd->committed = (uint64_t)rhv_pq_int(r, i, "committed");
	sd->allocated = (uint64_t)rhv_pq_int(r, i, "allocated");
	sd->luns = rhv_pq_int(r, i, "luns");
	sd->hosts_ok = rhv_pq_int(r, i, "hosts_ok");
	sd->hosts_checked = rhv_pq_int(r, i, "hosts_checked");
	if (rhv_pq_str(r, i, "size")) {
		sd->has_space = true;
		sd->size = (uint64_t)rhv_pq_int(r, i, "size");
		sd->free = (uint64_t)rhv_pq_int(r, i, "free");
	}
	parse_att(rhv_pq_str(r, i, "att"), sd);
}

int rhv_sd_get(struct rhv_db *db, const char *name, struct rhv_sd *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db, select_sd, "s", "storage_domains", false, "storage domain", name, &r, err) < 0)
		return -1;
	fill_sd(r, 0, out);
	return 0;
}

int rhv_sd_list(struct rhv_db *db, const char *dc, struct rhv_sd_list *out, struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf(
		"%s WHERE $1::text IS NULL OR EXISTS (SELECT 1 FROM storage_domain_dc a JOIN data_centers d"
		" ON d.id = a.dc_id WHERE a.domain_id = s.id AND (d.name = $1 OR d.id::text = $1)) ORDER BY s.name",
		select_sd);
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (dc) {
		_cleanup_pgresult_ PGresult *c = NULL;

		if (rhv_db_exec(db, "SELECT 1 FROM data_centers WHERE name = $1 OR id::text = $1", RHV_PARAMS(dc), &c,
				err) < 0)
			return -1;
		if (PQntuples(c) == 0)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find data center '%s'", dc);
	}
	if (rhv_db_exec(db, sql, RHV_PARAMS(dc), &r, err) < 0)
		return -1;
	out->n = (size_t)PQntuples(r);
	out->items = rhv_xcalloc(out->n, sizeof(*out->items));
	for (size_t i = 0; i < out->n; i++)
		fill_sd(r, (int)i, &out->items[i]);
	return 0;
}

char *rhv_sd_status_text(const struct rhv_sd *sd)
{
	char *s = NULL;

	if (!sd->natt)
		return rhv_xstrdup(RHV_SD_UNATTACHED);
	for (size_t i = 0; i < sd->natt; i++)
		rhv_xappendf(&s, ",", "%s", sd->att[i].status);
	return s;
}

double rhv_sd_overcommit(const struct rhv_sd *sd)
{
	return sd->has_space && sd->size ? (double)sd->committed / (double)sd->size : 0.0;
}

void rhv_sd_clear(struct rhv_sd *sd)
{
	free(sd->name);
	free(sd->description);
	free(sd->role);
	free(sd->kind);
	free(sd->path);
	for (size_t i = 0; i < sd->natt; i++) {
		free(sd->att[i].dc);
		free(sd->att[i].status);
		free(sd->att[i].reason);
	}
	free(sd->att);
	memset(sd, 0, sizeof(*sd));
}

void rhv_sd_list_clear(struct rhv_sd_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		rhv_sd_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* ---- the rows the flows of storage/ and ops/ change ---- */

void rhv_sd_ref_clear(struct rhv_sd_ref *r)
{
	free(r->name);
	free(r->role);
	free(r->kind);
	free(r->path);
	free(r->dc);
	free(r->status);
	memset(r, 0, sizeof(*r));
}

int rhv_db_sd_ref_get(struct rhv_db *db, const char *name, const char *dc, bool need_att, bool lock,
		      struct rhv_sd_ref *out, struct rhv_error *err)
{
	static const char sel[] =
		"SELECT s.id, s.name, s.role, s.kind, s.path,"
		" (SELECT count(*) FROM storage_domain_dc a WHERE a.domain_id = s.id) AS natt FROM storage_domains s";
	_cleanup_pgresult_ PGresult *r = NULL, *a = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db, sel, "s", "storage_domains", lock, "storage domain", name, &r, err) < 0)
		return -1;
	snprintf(out->id, sizeof(out->id), "%s", rhv_pq_str(r, 0, "id"));
	out->name = rhv_pq_dup(r, 0, "name");
	out->role = rhv_pq_dup(r, 0, "role");
	out->kind = rhv_pq_dup(r, 0, "kind");
	out->path = rhv_pq_dup(r, 0, "path");
	out->natt = (int)rhv_pq_int(r, 0, "natt");
	if (dc) {
		if (rhv_db_dc_id(db, dc, out->dc_id, err) < 0)
			return -1;
	} else if (out->natt > 1 && need_att) {
		return rhv_error_usage(err, "storage domain '%s' is attached to %d data centers: name one with --dc",
				       out->name, out->natt);
	}
	if (rhv_db_exec(db,
			"SELECT a.dc_id, d.name, a.status, a.is_master FROM storage_domain_dc a"
			" JOIN data_centers d ON d.id = a.dc_id WHERE a.domain_id = $1 AND ($2::uuid IS NULL OR a.dc_id = $2::uuid)",
			RHV_PARAMS(out->id, out->dc_id[0] ? out->dc_id : NULL), &a, err) < 0)
		return -1;
	if (PQntuples(a) == 1) {
		snprintf(out->dc_id, sizeof(out->dc_id), "%s", rhv_pq_str(a, 0, "dc_id"));
		out->dc = rhv_pq_dup(a, 0, "name");
		out->status = rhv_pq_dup(a, 0, "status");
		out->master = rhv_pq_bool(a, 0, "is_master");
	} else if (need_att) {
		if (dc)
			return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is not attached to data center '%s'",
					     out->name, dc);
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is not attached to a data center",
				     out->name);
	}
	return 0;
}

int rhv_db_sd_set_space(struct rhv_db *db, const char *domain_id, uint64_t size, uint64_t free_b,
			struct rhv_error *err)
{
	char s[24], f[24];

	snprintf(s, sizeof(s), "%llu", (unsigned long long)size);
	snprintf(f, sizeof(f), "%llu", (unsigned long long)free_b);
	return rhv_db_exec(db,
			   "UPDATE storage_domains SET size = $2::bigint, free = $3::bigint, checked_at = now() WHERE id = $1",
			   RHV_PARAMS(domain_id, s, f), NULL, err);
}

int rhv_db_sd_forget_spm(struct rhv_db *db, const char *dc_id, const char *status, struct rhv_error *err)
{
	if (rhv_db_exec(db,
			"UPDATE data_centers SET spm_host_id = NULL, spm_since = NULL, status = coalesce($2, status)"
			" WHERE id = $1",
			RHV_PARAMS(dc_id, status), NULL, err) < 0)
		return -1;
	return rhv_db_exec(db,
			   "UPDATE hosts h SET is_spm = false FROM clusters c WHERE c.id = h.cluster_id AND c.dc_id = $1"
			   " AND h.is_spm",
			   RHV_PARAMS(dc_id), NULL, err);
}

int rhv_db_sd_master_successor(struct rhv_db *db, const char *dc_id, const char *except_id, char id[37],
			       char **path, char **name, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	id[0] = '\0';
	*path = *name = NULL;
	if (rhv_db_exec(db,
			"SELECT s.id, s.name, s.path FROM storage_domain_dc a JOIN storage_domains s ON s.id = a.domain_id"
			" WHERE a.dc_id = $1 AND a.domain_id <> $2 AND a.role = 'data' AND a.status = 'Active'"
			" AND s.path IS NOT NULL ORDER BY s.name LIMIT 1",
			RHV_PARAMS(dc_id, except_id), &r, err) < 0)
		return -1;
	if (PQntuples(r)) {
		snprintf(id, 37, "%s", rhv_pq_str(r, 0, "id"));
		*path = rhv_pq_dup(r, 0, "path");
		*name = rhv_pq_dup(r, 0, "name");
	}
	return 0;
}

int rhv_db_sd_set_master(struct rhv_db *db, const char *dc_id, const char *domain_id, struct rhv_error *err)
{
	if (rhv_db_exec(db, "UPDATE storage_domain_dc SET is_master = false WHERE dc_id = $1 AND is_master",
			RHV_PARAMS(dc_id), NULL, err) < 0)
		return -1;
	return rhv_db_exec(db, "UPDATE storage_domain_dc SET is_master = true WHERE dc_id = $1 AND domain_id = $2",
			   RHV_PARAMS(dc_id, domain_id), NULL, err);
}

int rhv_db_sd_has_master(struct rhv_db *db, const char *dc_id, bool *has, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*has = false;
	if (rhv_db_exec(db, "SELECT 1 FROM storage_domain_dc WHERE dc_id = $1 AND is_master", RHV_PARAMS(dc_id), &r,
			err) < 0)
		return -1;
	*has = PQntuples(r) > 0;
	return 0;
}

/* ---- a domain's life ---- */

int rhv_db_sd_check_new(struct rhv_db *db, const char *name, const char *path, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_exec(db, "SELECT name, name = $1 AS same_name FROM storage_domains WHERE name = $1 OR path = $2",
			RHV_PARAMS(name, path), &r, err) < 0)
		return -1;
	if (!PQntuples(r))
		return 0;
	if (rhv_pq_bool(r, 0, "same_name"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' already exists", name);
	return rhv_error_set(err, RHV_EXIT_CONFLICT, "path '%s' is already storage domain '%s'", path,
			     rhv_pq_str(r, 0, "name"));
}

int rhv_db_sd_insert(struct rhv_db *db, const struct rhv_db_sd_new *c, struct rhv_error *err)
{
	const struct rhv_sd_spec *s = c->spec;
	char size[24], free_b[24];

	snprintf(size, sizeof(size), "%llu", (unsigned long long)c->size);
	snprintf(free_b, sizeof(free_b), "%llu", (unsigned long long)c->free_b);
	if (rhv_db_exec(db,
			"INSERT INTO storage_domains (id, name, description, role, kind, path, size, free, checked_at,"
			" warning_pct, critical_gib, extend_chunk_mib, extend_threshold_pct)"
			" VALUES ($1, $2, coalesce($3, ''), coalesce($4, 'data'), $5, $6, $7::bigint, $8::bigint,"
			"  CASE WHEN $7 IS NULL THEN NULL ELSE now() END,"
			"  coalesce($9::int, 10), coalesce($10::int, 5), coalesce($11::int, 2560), coalesce($12::int, 20))",
			RHV_PARAMS(c->id, s->name, s->description, s->role, s->kind, s->path, c->measured ? size : NULL,
				   c->measured ? free_b : NULL, s->warning_pct, s->critical_gib, s->extend_chunk_mib,
				   s->extend_threshold_pct),
			NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT,
						 strstr(err->message, "path") ? "path '%s' is already a storage domain"
									      : "storage domain '%s' already exists",
						 strstr(err->message, "path") ? s->path : s->name);
		return -1;
	}
	for (size_t i = 0; i < c->nluns; i++) {
		char lsize[24];

		snprintf(lsize, sizeof(lsize), "%llu", (unsigned long long)c->luns[i].size);
		if (rhv_db_exec(db, "INSERT INTO storage_domain_luns (domain_id, lun_id, size) VALUES ($1, $2, $3::bigint)",
				RHV_PARAMS(c->id, c->luns[i].id, lsize), NULL, err) < 0) {
			if (rhv_db_error_is(err, "23505"))
				return rhv_error_replace(err, RHV_EXIT_CONFLICT, "LUN '%s' already belongs to a storage domain",
							 c->luns[i].id);
			return -1;
		}
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", c->id, s->name, "create", err,
			     "%s %s storage domain '%s' created", s->kind, s->role ? s->role : "data", s->name);
}

int rhv_db_sd_update(struct rhv_db *db, const struct rhv_sd_spec *s, struct rhv_error *err)
{
	struct rhv_sd_ref ref;
	int rc = -1;

	if (rhv_db_sd_ref_get(db, s->name, NULL, false, true, &ref, err) < 0)
		goto out;
	if (rhv_db_exec(db,
			"UPDATE storage_domains SET description = coalesce($2, description),"
			" warning_pct = coalesce($3::int, warning_pct), critical_gib = coalesce($4::int, critical_gib),"
			" extend_chunk_mib = coalesce($5::int, extend_chunk_mib),"
			" extend_threshold_pct = coalesce($6::int, extend_threshold_pct), updated_at = now() WHERE id = $1",
			RHV_PARAMS(ref.id, s->description, s->warning_pct, s->critical_gib, s->extend_chunk_mib,
				   s->extend_threshold_pct),
			NULL, err) < 0)
		goto out;
	rc = rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", ref.id, ref.name, "edit", err,
			   "storage domain '%s' updated", ref.name);
out:
	rhv_sd_ref_clear(&ref);
	return rc;
}

int rhv_db_sd_attach(struct rhv_db *db, struct rhv_db_sd_attach *a, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *d = NULL;

	rhv_sd_ref_clear(&a->ref);
	if (rhv_db_sd_ref_get(db, a->name, a->dc, false, true, &a->ref, err) < 0)
		return -1;
	if (rhv_db_get_by_name(db, "SELECT d.id, d.name, d.storage_type FROM data_centers d", "d",
			       "data_centers", true, "data center", a->dc, &d, err) < 0)
		return -1;
	snprintf(a->dc_name, sizeof(a->dc_name), "%s", rhv_pq_str(d, 0, "name"));
	if (a->ref.status)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "storage domain '%s' is already attached to data center '%s'",
				     a->ref.name, a->dc_name);
	if (!strcmp(rhv_pq_str(d, 0, "storage_type"), "local") != !strcmp(a->ref.kind, "local"))
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "%s domains cannot be attached to data center '%s', whose storage type is %s",
				     a->ref.kind, a->dc_name, rhv_pq_str(d, 0, "storage_type"));
	if (rhv_db_exec(db, "INSERT INTO storage_domain_dc (domain_id, dc_id, role) VALUES ($1, $2, $3)",
			RHV_PARAMS(a->ref.id, a->ref.dc_id, a->ref.role), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT,
						 "data domain '%s' already belongs to another data center", a->ref.name);
		return -1;
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", a->ref.id, a->ref.name, "attach", err,
			     "storage domain '%s' attached to data center '%s'", a->ref.name, a->dc_name);
}

int rhv_db_sd_detach_row(struct rhv_db *db, const char *domain_id, const char *dc_id, struct rhv_error *err)
{
	return rhv_db_exec(db, "DELETE FROM storage_domain_dc WHERE domain_id = $1 AND dc_id = $2",
			   RHV_PARAMS(domain_id, dc_id), NULL, err);
}

int rhv_db_sd_activate(struct rhv_db *db, const struct rhv_sd_ref *ref, bool *make_master, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	/* lock the data center: two activations must not both become master */
	if (rhv_db_exec(db, "SELECT 1 FROM data_centers WHERE id = $1 FOR UPDATE", RHV_PARAMS(ref->dc_id), NULL,
			err) < 0 ||
	    rhv_db_exec(db, "SELECT 1 FROM storage_domain_dc WHERE dc_id = $1 AND is_master AND domain_id <> $2",
			RHV_PARAMS(ref->dc_id, ref->id), &r, err) < 0)
		return -1;
	*make_master = !strcmp(ref->role, "data") && PQntuples(r) == 0;
	if (rhv_db_exec(db,
			"UPDATE storage_domain_dc SET status = 'Active', status_reason = NULL, status_since = now(),"
			" is_master = is_master OR $3::boolean WHERE domain_id = $1 AND dc_id = $2",
			RHV_PARAMS(ref->id, ref->dc_id, *make_master ? "true" : "false"), NULL, err) < 0) {
		if (rhv_db_error_is(err, "23505"))
			return rhv_error_replace(err, RHV_EXIT_CONFLICT,
						 "export domain '%s' is already active in another data center", ref->name);
		return -1;
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "storage_domain", ref->id, ref->name, "activate", err,
			     "storage domain '%s' activated in data center '%s'%s", ref->name, ref->dc,
			     *make_master ? " as master" : "");
}

int rhv_db_sd_activate_undo(struct rhv_db *db, const struct rhv_sd_ref *ref, const char *why, struct rhv_error *err)
{
	return rhv_db_exec(db,
			   "UPDATE storage_domain_dc SET status = 'Maintenance', is_master = false,"
			   " status_reason = $3 WHERE domain_id = $1 AND dc_id = $2",
			   RHV_PARAMS(ref->id, ref->dc_id, why), NULL, err);
}

int rhv_db_sd_up_hosts(struct rhv_db *db, const char *dc_id, struct rhv_db_sd_host **hosts, size_t *n,
		       struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*hosts = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT h.id, h.name, h.uri FROM hosts h JOIN clusters c ON c.id = h.cluster_id"
			" WHERE c.dc_id = $1 AND h.state = 'Up' ORDER BY h.name",
			RHV_PARAMS(dc_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*hosts = rhv_xcalloc(*n ? *n : 1, sizeof(**hosts));
	for (size_t i = 0; i < *n; i++) {
		snprintf((*hosts)[i].id, sizeof((*hosts)[i].id), "%s", rhv_pq_str(r, (int)i, "id"));
		(*hosts)[i].name = rhv_pq_dup(r, (int)i, "name");
		(*hosts)[i].uri = rhv_pq_dup(r, (int)i, "uri");
	}
	return 0;
}

void rhv_db_sd_hosts_free(struct rhv_db_sd_host *hosts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(hosts[i].name);
		free(hosts[i].uri);
	}
	free(hosts);
}

int rhv_db_sd_record_probe(struct rhv_db *db, const char *host_id, const char *domain_id, bool ok, const char *why,
			   struct rhv_error *err)
{
	return rhv_db_exec(db,
			   "INSERT INTO host_domain_status (host_id, domain_id, reachable, error) VALUES ($1, $2, $3::boolean, $4)"
			   " ON CONFLICT (host_id, domain_id) DO UPDATE SET reachable = $3::boolean, error = $4, checked_at = now()",
			   RHV_PARAMS(host_id, domain_id, ok ? "true" : "false", why), NULL, err);
}
