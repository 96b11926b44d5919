/*
 * MAC address pools, one per data center: ranges, duplicates allowed or
 * not.  The pool is the one source of VM NIC addresses: each new NIC gets
 * the lowest address of its data center's ranges that no VM NIC of the
 * store has, under one transaction lock so that parallel callers never get
 * the same one.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/net.h"
#include "store/store-priv.h"
#include "rhv/event.h"
#include "rhv/net.h"
#include "rhv/parse.h"
#include "rhv/validate.h"

/* oVirt's MaxMacsCountInPool */
#define POOL_MAX 100000
#define MAX_RANGES 32

/* "xx:xx:xx:xx:xx:xx" (hex digits, either case) -> 48-bit number */
static bool parse_mac(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	for (int k = 0; k < 6; k++) {
		for (int j = 0; j < 2; j++) {
			char c = *s++;
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			if (d < 0)
				return false;
			v = v << 4 | (uint64_t)d;
		}
		if (*s != (k < 5 ? ':' : '\0'))
			return false;
		s += k < 5;
	}
	*out = v;
	return true;
}

static void format_mac(uint64_t v, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", (unsigned)(v >> 40 & 255), (unsigned)(v >> 32 & 255),
		 (unsigned)(v >> 24 & 255), (unsigned)(v >> 16 & 255), (unsigned)(v >> 8 & 255), (unsigned)(v & 255));
}

void rhv_mac_pool_clear(struct rhv_mac_pool *p)
{
	free(p->dc);
	free(p->ranges);
	memset(p, 0, sizeof(*p));
}

/* NICs of the data center's VMs whose address is in a range of its pool. */
static const char used_sql[] =
	"SELECT count(*) AS n FROM vm_nics x JOIN vms v ON v.id = x.vm_id JOIN clusters c ON c.id = v.cluster_id"
	" WHERE c.dc_id = $1 AND EXISTS (SELECT 1 FROM mac_pool_ranges r WHERE r.dc_id = $1"
	" AND x.mac BETWEEN r.first_mac AND r.last_mac)";

int rhv_mac_pool_get(struct rhv_db *db, const char *dc, struct rhv_mac_pool *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *p = NULL;
	_cleanup_pgresult_ PGresult *r = NULL;
	_cleanup_pgresult_ PGresult *u = NULL;
	char dc_id[37], dc_name[64];

	memset(out, 0, sizeof(*out));
	if (rhv_db_net_dc(db, dc, dc_id, dc_name, err) < 0)
		return -1;
	if (rhv_db_exec(db, "SELECT allow_duplicates FROM mac_pools WHERE dc_id = $1", RHV_PARAMS(dc_id), &p, err) < 0 ||
	    rhv_db_exec(db,
			"SELECT first_mac::text AS first, last_mac::text AS last,"
			" rhv_mac_num(last_mac) - rhv_mac_num(first_mac) + 1 AS size"
			" FROM mac_pool_ranges WHERE dc_id = $1 ORDER BY first_mac",
			RHV_PARAMS(dc_id), &r, err) < 0 ||
	    rhv_db_exec(db, used_sql, RHV_PARAMS(dc_id), &u, err) < 0)
		return -1;
	out->dc = rhv_xstrdup(dc_name);
	out->allow_duplicates = PQntuples(p) && rhv_pq_bool(p, 0, "allow_duplicates");
	out->nranges = (size_t)PQntuples(r);
	out->ranges = rhv_xcalloc(out->nranges ? out->nranges : 1, sizeof(*out->ranges));
	for (size_t i = 0; i < out->nranges; i++) {
		snprintf(out->ranges[i].first, 18, "%s", rhv_pq_str(r, (int)i, "first"));
		snprintf(out->ranges[i].last, 18, "%s", rhv_pq_str(r, (int)i, "last"));
		out->ranges[i].size = rhv_pq_int(r, (int)i, "size");
		out->size += out->ranges[i].size;
	}
	out->used = rhv_pq_int(u, 0, "n");
	return 0;
}

struct pool_values {
	const struct rhv_mac_pool_spec *s;
	bool dup;
	size_t n;
	char first[MAX_RANGES][18], last[MAX_RANGES][18];
};

static int check_pool_spec(const struct rhv_mac_pool_spec *s, struct pool_values *v, struct rhv_error *err)
{
	uint64_t lo[MAX_RANGES], hi[MAX_RANGES], total = 0;

	memset(v, 0, sizeof(*v));
	v->s = s;
	if (rhv_check_name(s->dc, 1024, "data center name", err) < 0)
		return -1;
	if (s->allow_duplicates && rhv_parse_bool(s->allow_duplicates, "--allow-duplicates", &v->dup, err) < 0)
		return -1;
	for (const char *const *r = s->ranges; r && *r; r++) {
		const char *dash = strchr(*r, '-');
		char a[32];
		size_t k = v->n;

		if (k == MAX_RANGES)
			return rhv_error_usage(err, "too many ranges: a pool has at most %d", MAX_RANGES);
		if (!dash || dash - *r >= (long)sizeof(a) || !parse_mac(dash + 1, &hi[k]) ||
		    (snprintf(a, sizeof(a), "%.*s", (int)(dash - *r), *r), !parse_mac(a, &lo[k])))
			return rhv_error_usage(err, "invalid range '%s': expected FIRST-LAST, two MAC addresses", *r);
		if (lo[k] > hi[k])
			return rhv_error_usage(err, "invalid range '%s': the first address is above the last", *r);
		if ((lo[k] >> 40) & 1 || (hi[k] >> 40) & 1)
			return rhv_error_usage(err, "invalid range '%s': multicast addresses cannot be handed out", *r);
		for (size_t j = 0; j < k; j++)
			if (lo[k] <= hi[j] && lo[j] <= hi[k])
				return rhv_error_usage(err, "invalid range '%s': it overlaps range %s-%s", *r, v->first[j],
						       v->last[j]);
		total += hi[k] - lo[k] + 1;
		if (total > POOL_MAX)
			return rhv_error_usage(err, "the ranges hold more than %d addresses, the most a pool may have",
					       POOL_MAX);
		format_mac(lo[k], v->first[k]);
		format_mac(hi[k], v->last[k]);
		v->n++;
	}
	if (!s->ranges && !s->allow_duplicates)
		return rhv_error_usage(err, "nothing to change: give --range or --allow-duplicates");
	return 0;
}

static int set_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	const struct pool_values *v = arg;
	const struct rhv_mac_pool_spec *s = v->s;
	_cleanup_pgresult_ PGresult *d = NULL;
	_cleanup_pgresult_ PGresult *cur = NULL;
	_cleanup_free_ char *what = NULL;
	const char *dc_id;

	if (rhv_db_get_by_name(db, "SELECT d.id, d.name FROM data_centers d", "d", "data_centers", RHV_DB_FOR_SHARE,
			       "data center", s->dc, &d, err) < 0)
		return -1;
	dc_id = rhv_pq_str(d, 0, "id");
	/* the pool's lock: allocations wait for the new ranges */
	if (rhv_db_exec(db, "SELECT allow_duplicates FROM mac_pools WHERE dc_id = $1 FOR UPDATE", RHV_PARAMS(dc_id),
			&cur, err) < 0)
		return -1;
	if (s->allow_duplicates && !v->dup && rhv_pq_bool(cur, 0, "allow_duplicates")) {
		_cleanup_pgresult_ PGresult *r = NULL;

		if (rhv_db_exec(db,
				"SELECT x.mac::text AS mac FROM vm_nics x JOIN vms v ON v.id = x.vm_id"
				" JOIN clusters c ON c.id = v.cluster_id WHERE c.dc_id = $1"
				" GROUP BY x.mac HAVING count(*) > 1 ORDER BY x.mac LIMIT 1",
				RHV_PARAMS(dc_id), &r, err) < 0)
			return -1;
		if (PQntuples(r)) {
			rhv_error_set(err, RHV_EXIT_CONFLICT,
				      "cannot refuse duplicates in the MAC pool of data center '%s': %s is on several VM NICs",
				      rhv_pq_str(d, 0, "name"), rhv_pq_str(r, 0, "mac"));
			return -1;
		}
	}
	if (s->allow_duplicates) {
		if (rhv_db_command(db, "UPDATE mac_pools SET allow_duplicates = $2, updated_at = now() WHERE dc_id = $1",
				   RHV_PARAMS(dc_id, v->dup ? "true" : "false"), NULL, err) < 0)
			return -1;
		rhv_xappendf(&what, ", ", "duplicates %s", v->dup ? "allowed" : "refused");
	}
	if (s->ranges) {
		if (rhv_db_command(db, "DELETE FROM mac_pool_ranges WHERE dc_id = $1", RHV_PARAMS(dc_id), NULL, err) < 0)
			return -1;
		for (size_t k = 0; k < v->n; k++) {
			if (rhv_db_command(db,
					   "INSERT INTO mac_pool_ranges (dc_id, first_mac, last_mac) VALUES ($1, $2, $3)",
					   RHV_PARAMS(dc_id, v->first[k], v->last[k]), NULL, err) < 0)
				return -1;
			rhv_xappendf(&what, ", ", "range %s-%s", v->first[k], v->last[k]);
		}
		if (!v->n)
			rhv_xappendf(&what, ", ", "no ranges");
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "data_center", dc_id, rhv_pq_str(d, 0, "name"), "mac-pool", err,
			     "MAC pool of data center '%s' changed: %s", rhv_pq_str(d, 0, "name"), what);
}

int rhv_mac_pool_set(struct rhv_db *db, const struct rhv_mac_pool_spec *spec, struct rhv_error *err)
{
	struct pool_values v;

	if (check_pool_spec(spec, &v, err) < 0)
		return -1;
	return rhv_db_txn(db, set_txn, &v, err);
}

/* The pool of the cluster's data center, locked against changes, and all allocations serialized. */
static int lock_pool(struct rhv_db *db, const char *cluster_id, PGresult **res, struct rhv_error *err)
{
	if (rhv_db_command(db, "SELECT pg_advisory_xact_lock(hashtext('rhv-mac-pool'))", RHV_NO_PARAMS, NULL, err) < 0)
		return -1;
	return rhv_db_exec(db,
			   "SELECT p.dc_id, p.allow_duplicates, d.name AS dc FROM mac_pools p"
			   " JOIN clusters c ON c.dc_id = p.dc_id JOIN data_centers d ON d.id = p.dc_id"
			   " WHERE c.id = $1 FOR SHARE OF p",
			   RHV_PARAMS(cluster_id), res, err);
}

int rhv_db_mac_allocate(struct rhv_db *db, const char *cluster_id, char mac[18], struct rhv_error *err)
{
	static const char sql[] =
		"WITH r AS (SELECT rhv_mac_num(first_mac) AS lo, rhv_mac_num(last_mac) AS hi FROM mac_pool_ranges"
		"  WHERE dc_id = $1),"
		" cand AS (SELECT lo AS m FROM r UNION SELECT rhv_mac_num(mac) + 1 FROM vm_nics)"
		" SELECT rhv_mac_of(min(m))::text AS mac FROM cand"
		" WHERE EXISTS (SELECT 1 FROM r WHERE cand.m BETWEEN r.lo AND r.hi)"
		" AND NOT EXISTS (SELECT 1 FROM vm_nics x WHERE rhv_mac_num(x.mac) = cand.m)";
	_cleanup_pgresult_ PGresult *p = NULL;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (lock_pool(db, cluster_id, &p, err) < 0)
		return -1;
	if (PQntuples(p) == 0)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "the data center of the cluster has no MAC pool");
	if (rhv_db_exec(db, sql, RHV_PARAMS(rhv_pq_str(p, 0, "dc_id")), &r, err) < 0)
		return -1;
	if (!rhv_pq_str(r, 0, "mac")) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "the MAC pool of data center '%s' is used up",
			      rhv_pq_str(p, 0, "dc"));
		rhv_error_hint(err, "'rhv-net mac-pool %s --range FIRST-LAST' gives it more addresses",
			       rhv_pq_str(p, 0, "dc"));
		return -1;
	}
	snprintf(mac, 18, "%s", rhv_pq_str(r, 0, "mac"));
	return 0;
}

int rhv_db_mac_claim(struct rhv_db *db, const char *cluster_id, const char *mac, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *p = NULL;
	_cleanup_pgresult_ PGresult *r = NULL;

	if (lock_pool(db, cluster_id, &p, err) < 0)
		return -1;
	if (PQntuples(p) && rhv_pq_bool(p, 0, "allow_duplicates"))
		return 0;
	if (rhv_db_exec(db,
			"SELECT v.name FROM vm_nics x JOIN vms v ON v.id = x.vm_id WHERE x.mac = $1::macaddr"
			" ORDER BY v.name LIMIT 1",
			RHV_PARAMS(mac), &r, err) < 0)
		return -1;
	if (PQntuples(r)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "MAC address %s is in use by VM '%s'", mac, rhv_pq_str(r, 0, "name"));
		rhv_error_hint(err, "the MAC pool of the data center allows no duplicates ('rhv-net mac-pool DC "
				    "--allow-duplicates yes' would)");
		return -1;
	}
	return 0;
}

/* For the VM NIC syntax: "xx:xx:..." checked and written in lower case. */
int rhv_mac_parse(const char *s, char out[18], struct rhv_error *err)
{
	uint64_t v;

	if (!parse_mac(s, &v))
		return rhv_error_usage(err, "invalid MAC address '%s': expected six hex pairs joined by ':'", s);
	if ((v >> 40) & 1)
		return rhv_error_usage(err, "invalid MAC address '%s': a multicast address", s);
	format_mac(v, out);
	return 0;
}
