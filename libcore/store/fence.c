/* Power management in the store: fence agents, their passwords, each host's settings (rhv/fence.h). */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/fence.h"
#include "rhv/event.h"
#include "rhv/fence-policy.h"
#include "rhv/parse.h"

/* ---- agents ---- */

static const char select_agent[] =
	"SELECT a.id, h.name AS host, a.idx, a.agent_order, a.type, a.address, a.port, a.username, a.options,"
	" a.concurrent, EXISTS (SELECT 1 FROM fence_agent_secrets s WHERE s.agent_id = a.id) AS has_password"
	" FROM fence_agents a JOIN hosts h ON h.id = a.host_id";

static void fill_agent(const PGresult *r, int i, struct rhv_fence_agent *a)
{
	const char *opts = rhv_pq_str(r, i, "options");

	snprintf(a->id, sizeof(a->id), "%s", rhv_pq_str(r, i, "id"));
	a->host = rhv_pq_dup(r, i, "host");
	a->idx = (int)rhv_pq_int(r, i, "idx");
	a->order = (int)rhv_pq_int(r, i, "agent_order");
	a->type = rhv_pq_dup(r, i, "type");
	a->address = rhv_pq_dup(r, i, "address");
	a->port = (int)rhv_pq_int(r, i, "port");
	a->user = rhv_pq_dup(r, i, "username");
	a->options = opts && *opts ? rhv_xstrdup(opts) : NULL;
	a->concurrent = rhv_pq_bool(r, i, "concurrent");
	a->has_password = rhv_pq_bool(r, i, "has_password");
}

void rhv_fence_agent_clear(struct rhv_fence_agent *a)
{
	free(a->host);
	free(a->type);
	free(a->address);
	free(a->user);
	free(a->options);
	memset(a, 0, sizeof(*a));
}

RHV_DEFINE_LIST_CLEAR(fence_agent)

/* The host named name, locked FOR UPDATE: its id and name. */
static int lock_host(struct rhv_db *db, const char *name, char id[37], char **host_name, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	if (rhv_db_get_by_name(db, "SELECT h.id, h.name FROM hosts h", "h", "hosts", RHV_DB_FOR_UPDATE, "host", name,
			       &r, err) < 0)
		return -1;
	snprintf(id, 37, "%s", rhv_pq_str(r, 0, "id"));
	*host_name = rhv_pq_dup(r, 0, "name");
	return 0;
}

/* "ipmilan 127.0.0.1:623" as events name an agent. */
static char *agent_desc(const char *type, const char *address, const char *port)
{
	return port && *port ? rhv_xasprintf("%s %s:%s", type, address, port) : rhv_xasprintf("%s %s", type, address);
}

/* The values of a spec that are set, checked; adding: type and address required. */
static int spec_check(const struct rhv_fence_agent_spec *s, bool adding, struct rhv_error *err)
{
	int64_t v;

	if (rhv_check_lookup_name(s->host, "host", err) < 0)
		return -1;
	if (s->type && !rhv_fence_type_find(s->type, err))
		return -1;
	if (adding && (!s->type || !s->address))
		return rhv_error_usage(err, "an agent needs --type and --address");
	if (s->address && (rhv_check_name(s->address, 255, "agent address", err) < 0))
		return -1;
	if (s->address && strpbrk(s->address, " \t,"))
		return rhv_error_usage(err, "agent address may not hold spaces or commas");
	if (s->port && *s->port && rhv_parse_int(s->port, 1, 65535, "--port", &v, err) < 0)
		return -1;
	if (s->user && *s->user && rhv_check_name(s->user, 255, "agent user", err) < 0)
		return -1;
	if (s->order && rhv_parse_int(s->order, 1, 100, "--order", &v, err) < 0)
		return -1;
	if (s->options && rhv_fence_options_check(s->options, err) < 0)
		return -1;
	if (s->password && (strlen(s->password) > 1024 || strpbrk(s->password, "\n\r")))
		return rhv_error_usage(err, "the password must be one line of at most 1024 bytes");
	if (s->password && !*s->password)
		return rhv_error_usage(err, "the password file is empty");
	return 0;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

struct add_arg {
	const struct rhv_fence_agent_spec *s;
	int idx;
};

static int add_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char next[] =
		"SELECT coalesce(max(idx), 0) + 1 AS idx, coalesce(max(agent_order), 0) AS max_order"
		" FROM fence_agents WHERE host_id = $1";
	static const char insert[] =
		"INSERT INTO fence_agents (host_id, idx, agent_order, type, address, port, username, options, concurrent)"
		" VALUES ($1, $2::int, $3::int, $4, $5, $6::int, $7, coalesce($8, ''), $9::boolean) RETURNING id";
	struct add_arg *a = arg;
	const struct rhv_fence_agent_spec *s = a->s;
	_cleanup_pgresult_ PGresult *r = NULL, *ins = NULL;
	_cleanup_free_ char *host = NULL, *desc = NULL;
	char host_id[37], idx[16], order[32];
	int64_t max_order;

	if (lock_host(db, s->host, host_id, &host, err) < 0 || rhv_db_exec(db, next, RHV_PARAMS(host_id), &r, err) < 0)
		return -1;
	a->idx = (int)rhv_pq_int(r, 0, "idx");
	max_order = rhv_pq_int(r, 0, "max_order");
	snprintf(idx, sizeof(idx), "%d", a->idx);
	if (s->order)
		snprintf(order, sizeof(order), "%s", s->order);
	else
		snprintf(order, sizeof(order), "%lld",
			 (long long)(s->concurrent > 0 && max_order > 0 ? max_order : max_order + 1));
	if (rhv_db_exec(db, insert,
			RHV_PARAMS(host_id, idx, order, s->type, s->address, nz(s->port), nz(s->user), nz(s->options),
				   s->concurrent > 0 ? "true" : "false"),
			&ins, err) < 0)
		return -1;
	if (s->password && rhv_db_exec(db, "INSERT INTO fence_agent_secrets (agent_id, password) VALUES ($1, $2)",
				       RHV_PARAMS(PQgetvalue(ins, 0, 0), s->password), NULL, err) < 0)
		return -1;
	desc = agent_desc(s->type, s->address, nz(s->port));
	return rhv_event_add(db, RHV_SEV_NORMAL, "host", host_id, host, "fence-agent-add", err,
			     "power management agent %d (%s) added to host '%s'%s", a->idx, desc, host,
			     s->password ? " with a password" : "");
}

int rhv_fence_agent_add(struct rhv_db *db, const struct rhv_fence_agent_spec *s, int *idx, struct rhv_error *err)
{
	struct add_arg a = { .s = s };

	if (spec_check(s, true, err) < 0 || rhv_db_txn(db, add_txn, &a, err) < 0)
		return -1;
	*idx = a.idx;
	return 0;
}

/* The agent idx of a locked host: its id, type, address and port as text. */
static int find_agent(struct rhv_db *db, const char *host_id, const char *host, int idx, PGresult **r,
		      struct rhv_error *err)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", idx);
	if (rhv_db_exec(db, "SELECT id, type, address, port::text AS port FROM fence_agents WHERE host_id = $1 AND idx = $2::int",
			RHV_PARAMS(host_id, n), r, err) < 0)
		return -1;
	if (PQntuples(*r) == 0)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "host '%s' has no power management agent %d", host, idx);
	return 0;
}

static int edit_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char update[] =
		"UPDATE fence_agents SET type = coalesce($2, type), address = coalesce($3, address),"
		" port = CASE WHEN $4::text IS NULL THEN port WHEN $4 = '' THEN NULL ELSE $4::int END,"
		" username = CASE WHEN $5::text IS NULL THEN username WHEN $5 = '' THEN NULL ELSE $5 END,"
		" options = coalesce($6, options), agent_order = coalesce($7::int, agent_order),"
		" concurrent = coalesce($8::boolean, concurrent), updated_at = now()"
		" WHERE id = $1 RETURNING type, address, port::text AS port";
	const struct rhv_fence_agent_spec *s = arg;
	_cleanup_pgresult_ PGresult *r = NULL, *u = NULL;
	_cleanup_free_ char *host = NULL, *desc = NULL, *what = NULL;
	char host_id[37];
	const char *id;

	if (lock_host(db, s->host, host_id, &host, err) < 0 || find_agent(db, host_id, host, s->idx, &r, err) < 0)
		return -1;
	id = PQgetvalue(r, 0, 0);
	if (rhv_db_exec(db, update,
			RHV_PARAMS(id, s->type, s->address, s->port, s->user, s->options, s->order,
				   s->concurrent < 0 ? NULL : s->concurrent ? "true" : "false"),
			&u, err) < 0)
		return -1;
	if (s->password) {
		if (rhv_db_exec(db,
				"INSERT INTO fence_agent_secrets (agent_id, password) VALUES ($1, $2)"
				" ON CONFLICT (agent_id) DO UPDATE SET password = excluded.password",
				RHV_PARAMS(id, s->password), NULL, err) < 0)
			return -1;
		what = rhv_xstrdup(", password changed");
	} else if (s->clear_password) {
		if (rhv_db_exec(db, "DELETE FROM fence_agent_secrets WHERE agent_id = $1", RHV_PARAMS(id), NULL, err) < 0)
			return -1;
		what = rhv_xstrdup(", password removed");
	}
	desc = agent_desc(rhv_pq_str(u, 0, "type"), rhv_pq_str(u, 0, "address"), rhv_pq_str(u, 0, "port"));
	return rhv_event_add(db, RHV_SEV_NORMAL, "host", host_id, host, "fence-agent-edit", err,
			     "power management agent %d (%s) of host '%s' changed%s", s->idx, desc, host,
			     what ? what : "");
}

int rhv_fence_agent_edit(struct rhv_db *db, const struct rhv_fence_agent_spec *s, struct rhv_error *err)
{
	if (spec_check(s, false, err) < 0)
		return -1;
	if (s->password && s->clear_password)
		return rhv_error_usage(err, "options --password-file and --no-password are mutually exclusive");
	return rhv_db_txn(db, edit_txn, (void *)s, err);
}

struct remove_arg {
	const char *host;
	int idx;
	bool pm_disabled;
};

static int remove_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct remove_arg *a = arg;
	_cleanup_pgresult_ PGresult *r = NULL, *left = NULL, *pm = NULL;
	_cleanup_free_ char *host = NULL, *desc = NULL;
	char host_id[37];

	a->pm_disabled = false;
	if (lock_host(db, a->host, host_id, &host, err) < 0 || find_agent(db, host_id, host, a->idx, &r, err) < 0)
		return -1;
	desc = agent_desc(rhv_pq_str(r, 0, "type"), rhv_pq_str(r, 0, "address"), rhv_pq_str(r, 0, "port"));
	if (rhv_db_exec(db, "DELETE FROM fence_agents WHERE id = $1", RHV_PARAMS(PQgetvalue(r, 0, 0)), NULL, err) < 0 ||
	    rhv_db_exec(db, "SELECT count(*) AS n FROM fence_agents WHERE host_id = $1", RHV_PARAMS(host_id), &left,
			err) < 0)
		return -1;
	if (rhv_pq_int(left, 0, "n") == 0) {
		if (rhv_db_exec(db,
				"UPDATE hosts SET pm_enabled = false, updated_at = now() WHERE id = $1 AND pm_enabled"
				" RETURNING id",
				RHV_PARAMS(host_id), &pm, err) < 0)
			return -1;
		a->pm_disabled = PQntuples(pm) > 0;
	}
	return rhv_event_add(db, RHV_SEV_NORMAL, "host", host_id, host, "fence-agent-remove", err,
			     "power management agent %d (%s) removed from host '%s'%s", a->idx, desc, host,
			     a->pm_disabled ? "; it was the last: power management disabled" : "");
}

int rhv_fence_agent_remove(struct rhv_db *db, const char *host, int idx, bool *pm_disabled, struct rhv_error *err)
{
	struct remove_arg a = { .host = host, .idx = idx };

	if (rhv_check_lookup_name(host, "host", err) < 0 || rhv_db_txn(db, remove_txn, &a, err) < 0)
		return -1;
	if (pm_disabled)
		*pm_disabled = a.pm_disabled;
	return 0;
}

int rhv_fence_agent_list(struct rhv_db *db, const char *host, struct rhv_fence_agent_list *out,
			 struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf("%s WHERE $1::uuid IS NULL OR h.id = $1 ORDER BY h.name, a.idx",
						 select_agent);
	_cleanup_pgresult_ PGresult *r = NULL, *h = NULL;
	const char *id = NULL;

	memset(out, 0, sizeof(*out));
	if (host) {
		if (rhv_db_get_by_name(db, "SELECT h.id FROM hosts h", "h", "hosts", RHV_DB_NO_LOCK, "host", host, &h,
				       err) < 0)
			return -1;
		id = PQgetvalue(h, 0, 0);
	}
	if (rhv_db_exec(db, sql, RHV_PARAMS(id), &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, fill_agent);
	return 0;
}

int rhv_db_fence_passwords(struct rhv_db *db, const struct rhv_fence_agent_list *agents, char ***out,
			   struct rhv_error *err)
{
	*out = rhv_xcalloc(agents->n + 1, sizeof(char *));
	for (size_t i = 0; i < agents->n; i++) {
		_cleanup_pgresult_ PGresult *r = NULL;

		if (!agents->items[i].has_password)
			continue;
		if (rhv_db_exec(db, "SELECT password FROM fence_agent_secrets WHERE agent_id = $1",
				RHV_PARAMS(agents->items[i].id), &r, err) < 0) {
			rhv_db_fence_passwords_free(*out, agents->n);
			*out = NULL;
			return -1;
		}
		if (PQntuples(r))
			(*out)[i] = rhv_pq_dup(r, 0, "password");
		/* libpq's copy goes with PQclear; wipe it first */
		if (PQntuples(r))
			explicit_bzero(PQgetvalue(r, 0, 0), strlen(PQgetvalue(r, 0, 0)));
	}
	return 0;
}

void rhv_db_fence_passwords_free(char **pw, size_t n)
{
	if (!pw)
		return;
	for (size_t i = 0; i < n; i++)
		if (pw[i]) {
			explicit_bzero(pw[i], strlen(pw[i]));
			free(pw[i]);
		}
	free(pw);
}

/* ---- a host's settings ---- */

static const char select_pm[] =
	"SELECT h.id, h.name, c.name AS cluster, d.name AS dc, h.state, h.pm_enabled, h.fence_proxies,"
	" (SELECT count(*) FROM fence_agents a WHERE a.host_id = h.id) AS agents,"
	" h.ssh_address, h.ssh_port, h.ssh_user, h.ssh_key, h.ssh_known_hosts, h.soft_fence_cmd"
	" FROM hosts h JOIN clusters c ON c.id = h.cluster_id JOIN data_centers d ON d.id = c.dc_id";

static void fill_pm(const PGresult *r, int i, struct rhv_fence_pm *p)
{
	snprintf(p->host_id, sizeof(p->host_id), "%s", rhv_pq_str(r, i, "id"));
	p->host = rhv_pq_dup(r, i, "name");
	p->cluster = rhv_pq_dup(r, i, "cluster");
	p->dc = rhv_pq_dup(r, i, "dc");
	p->state = rhv_pq_dup(r, i, "state");
	p->enabled = rhv_pq_bool(r, i, "pm_enabled");
	p->proxies = rhv_pq_dup(r, i, "fence_proxies");
	p->agents = (int)rhv_pq_int(r, i, "agents");
	p->ssh_address = rhv_pq_dup(r, i, "ssh_address");
	p->ssh_port = (int)rhv_pq_int(r, i, "ssh_port");
	p->ssh_user = rhv_pq_dup(r, i, "ssh_user");
	p->ssh_key = rhv_pq_dup(r, i, "ssh_key");
	p->ssh_known_hosts = rhv_pq_dup(r, i, "ssh_known_hosts");
	p->soft_fence_cmd = rhv_pq_dup(r, i, "soft_fence_cmd");
}

void rhv_fence_pm_clear(struct rhv_fence_pm *p)
{
	free(p->host);
	free(p->cluster);
	free(p->dc);
	free(p->state);
	free(p->proxies);
	free(p->ssh_address);
	free(p->ssh_user);
	free(p->ssh_key);
	free(p->ssh_known_hosts);
	free(p->soft_fence_cmd);
	memset(p, 0, sizeof(*p));
}

RHV_DEFINE_LIST_CLEAR(fence_pm)

int rhv_fence_pm_get(struct rhv_db *db, const char *host, struct rhv_fence_pm *out, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_get_by_name(db, select_pm, "h", "hosts", RHV_DB_NO_LOCK, "host", host, &r, err) < 0)
		return -1;
	fill_pm(r, 0, out);
	return 0;
}

int rhv_fence_pm_list(struct rhv_db *db, struct rhv_fence_pm_list *out, struct rhv_error *err)
{
	_cleanup_free_ char *sql = rhv_xasprintf("%s ORDER BY h.name", select_pm);
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db, sql, RHV_NO_PARAMS, &r, err) < 0)
		return -1;
	RHV_PQ_FILL_LIST(out, r, fill_pm);
	return 0;
}

static int pm_set_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	static const char update[] =
		"UPDATE hosts SET pm_enabled = coalesce($2::boolean, pm_enabled),"
		" fence_proxies = coalesce($3, fence_proxies),"
		" ssh_address = CASE WHEN $4::text IS NULL THEN ssh_address ELSE nullif($4, '') END,"
		" ssh_port = CASE WHEN $5::text IS NULL THEN ssh_port ELSE nullif($5, '')::int END,"
		" ssh_user = CASE WHEN $6::text IS NULL THEN ssh_user ELSE nullif($6, '') END,"
		" ssh_key = CASE WHEN $7::text IS NULL THEN ssh_key ELSE nullif($7, '') END,"
		" ssh_known_hosts = CASE WHEN $8::text IS NULL THEN ssh_known_hosts ELSE nullif($8, '') END,"
		" soft_fence_cmd = CASE WHEN $9::text IS NULL THEN soft_fence_cmd ELSE nullif($9, '') END,"
		" updated_at = now() WHERE id = $1 RETURNING pm_enabled, fence_proxies";
	const struct rhv_fence_pm_spec *s = arg;
	_cleanup_pgresult_ PGresult *n = NULL, *u = NULL;
	_cleanup_free_ char *host = NULL, *what = NULL;
	char host_id[37];

	if (lock_host(db, s->host, host_id, &host, err) < 0 ||
	    rhv_db_exec(db, "SELECT count(*) AS n FROM fence_agents WHERE host_id = $1", RHV_PARAMS(host_id), &n, err) < 0)
		return -1;
	if (s->enabled > 0 && rhv_pq_int(n, 0, "n") == 0) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' has no power management agent: cannot enable it", host);
		return rhv_error_hint(err, "add one first: rhv-fence agent-add %s --type ipmilan --address ...", host), -1;
	}
	if (rhv_db_exec(db, update,
			RHV_PARAMS(host_id, s->enabled < 0 ? NULL : s->enabled ? "true" : "false", s->proxies,
				   s->ssh_address, s->ssh_port, s->ssh_user, s->ssh_key, s->ssh_known_hosts,
				   s->soft_fence_cmd),
			&u, err) < 0)
		return -1;
	if (s->enabled >= 0)
		rhv_xappendf(&what, "; ", "power management %s", s->enabled ? "enabled" : "disabled");
	if (s->proxies)
		rhv_xappendf(&what, "; ", "proxies %s", s->proxies);
	if (s->ssh_address || s->ssh_port || s->ssh_user || s->ssh_key || s->ssh_known_hosts)
		rhv_xappendf(&what, "; ", "SSH access changed");
	/* not the command itself: it may carry what only the host's admins should read */
	if (s->soft_fence_cmd)
		rhv_xappendf(&what, "; ", "%s", *s->soft_fence_cmd ? "soft fence command set"
								  : "soft fence command reset to the default");
	return rhv_event_add(db, RHV_SEV_NORMAL, "host", host_id, host, "fence-setup", err, "host '%s': %s", host,
			     what ? what : "power management settings unchanged");
}

int rhv_fence_pm_set(struct rhv_db *db, const struct rhv_fence_pm_spec *s, struct rhv_error *err)
{
	int64_t v;

	if (rhv_check_lookup_name(s->host, "host", err) < 0)
		return -1;
	if (s->proxies && rhv_fence_proxies_check(s->proxies, err) < 0)
		return -1;
	if (s->ssh_port && *s->ssh_port && rhv_parse_int(s->ssh_port, 1, 65535, "--ssh-port", &v, err) < 0)
		return -1;
	if (s->ssh_address && *s->ssh_address &&
	    (rhv_check_name(s->ssh_address, 255, "SSH address", err) < 0 || strpbrk(s->ssh_address, " \t@")))
		return err->code ? -1 : rhv_error_usage(err, "SSH address may not hold spaces or '@'");
	if (s->ssh_user && *s->ssh_user &&
	    (rhv_check_name(s->ssh_user, 64, "SSH user", err) < 0 || strpbrk(s->ssh_user, " \t@")))
		return err->code ? -1 : rhv_error_usage(err, "SSH user may not hold spaces or '@'");
	if (s->ssh_key && *s->ssh_key && (s->ssh_key[0] != '/' || rhv_check_name(s->ssh_key, 1024, "SSH key", err) < 0))
		return err->code ? -1 : rhv_error_usage(err, "--ssh-key must be an absolute path");
	if (s->ssh_known_hosts && *s->ssh_known_hosts &&
	    (s->ssh_known_hosts[0] != '/' || rhv_check_name(s->ssh_known_hosts, 1024, "known hosts file", err) < 0))
		return err->code ? -1 : rhv_error_usage(err, "--ssh-known-hosts must be an absolute path");
	if (s->soft_fence_cmd && *s->soft_fence_cmd &&
	    (rhv_check_text(s->soft_fence_cmd, RHV_SOFT_FENCE_CMD_MAX, "soft fence command", err) < 0 ||
	     !s->soft_fence_cmd[strspn(s->soft_fence_cmd, " \t")]))
		return err->code ? -1 : rhv_error_usage(err, "the soft fence command is blank");
	return rhv_db_txn(db, pm_set_txn, (void *)s, err);
}
