/* The pure decisions of fencing: rhv/fence-policy.h. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "rhv/fence-policy.h"

/*
 * oVirt's mapping (peers.md 2.1.6): drac7 is ipmilan with privlvl=OPERATOR,
 * lanplus=1, delay=10; ilo2 is ilo; ilo3 and ilo4 are fence_ipmilan called
 * by those names (which turns lanplus on) with power_wait=4.
 */
const struct rhv_fence_type rhv_fence_types[] = {
	{ "apc", "fence_apc", NULL, false },
	{ "apc_snmp", "fence_apc_snmp", NULL, false },
	{ "bladecenter", "fence_bladecenter", NULL, false },
	{ "cisco_ucs", "fence_cisco_ucs", NULL, false },
	{ "drac5", "fence_drac5", NULL, false },
	{ "drac7", "fence_ipmilan", "privlvl=OPERATOR,lanplus=1,delay=10", true },
	{ "eps", "fence_eps", NULL, false },
	{ "hpblade", "fence_hpblade", NULL, false },
	{ "ilo", "fence_ilo", NULL, false },
	{ "ilo2", "fence_ilo", NULL, false },
	{ "ilo3", "fence_ilo3", "power_wait=4", true },
	{ "ilo4", "fence_ilo4", "power_wait=4", true },
	{ "ipmilan", "fence_ipmilan", NULL, true },
	{ "rsa", "fence_rsa", NULL, false },
	{ "rsb", "fence_rsb", NULL, false },
	{ "wti", "fence_wti", NULL, false },
	{ NULL, NULL, NULL, false },
};

const char *const rhv_fence_type_names[] = {
	"apc", "apc_snmp", "bladecenter", "cisco_ucs", "drac5", "drac7", "eps", "hpblade",
	"ilo", "ilo2", "ilo3", "ilo4", "ipmilan", "rsa", "rsb", "wti", NULL,
};

const struct rhv_fence_type *rhv_fence_type_find(const char *name, struct rhv_error *err)
{
	char *all = NULL;

	for (const struct rhv_fence_type *t = rhv_fence_types; t->name; t++)
		if (name && !strcmp(name, t->name))
			return t;
	for (const char *const *n = rhv_fence_type_names; *n; n++)
		rhv_xappendf(&all, ", ", "%s", *n);
	rhv_error_usage(err, "unknown power management type '%s'", name ? name : "");
	rhv_error_hint(err, "types: %s", all);
	free(all);
	return NULL;
}

/*
 * The keys the toolkit sets itself and their aliases in the agents, '-'
 * written as '_'.  plug/port (an outlet of a power switch: apc, wti, eps)
 * are the user's: rhv never sets them.
 */
static const char *const reserved_keys[] = {
	"action", "option", "ip", "ipaddr", "ipport", "username", "login", "password", "passwd",
	"password_script", "passwd_script", "ipmitool_path", NULL,
};

/* Compare option keys with '-' and '_' alike (the agents' own rule); klen bytes of a. */
static bool key_eq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen && b[i]; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];

		if (x != y)
			return false;
	}
	return i == alen && !b[i];
}

/* Walk "k=v,k=v": each item's key and value spans; returns false at the end. */
struct opt_iter {
	const char *p;
	const char *key, *val;
	size_t klen, vlen;
	bool has_eq;
};

static bool opt_next(struct opt_iter *it)
{
	const char *end, *eq;

	while (it->p && *it->p == ',')
		it->p++;
	if (!it->p || !*it->p)
		return false;
	end = strchr(it->p, ',');
	if (!end)
		end = it->p + strlen(it->p);
	eq = memchr(it->p, '=', (size_t)(end - it->p));
	it->key = it->p;
	it->has_eq = eq != NULL;
	it->klen = (size_t)((eq ? eq : end) - it->p);
	it->val = eq ? eq + 1 : end;
	it->vlen = (size_t)(end - it->val);
	it->p = end;
	return true;
}

int rhv_fence_options_check(const char *options, struct rhv_error *err)
{
	struct opt_iter it = { .p = options };

	if (options && strlen(options) > 4096)
		return rhv_error_usage(err, "power management options are longer than 4096 characters");
	while (opt_next(&it)) {
		if (!it.klen)
			return rhv_error_usage(err, "power management option '%.*s' has no key", (int)it.vlen, it.val);
		for (size_t i = 0; i < it.klen; i++) {
			char ch = it.key[i];

			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			      ch == '_' || ch == '-'))
				return rhv_error_usage(err,
						       "power management option key '%.*s' may hold only letters, digits, "
						       "'_' and '-'",
						       (int)it.klen, it.key);
		}
		for (size_t i = 0; i < it.vlen; i++)
			if ((unsigned char)it.val[i] < 0x20 || it.val[i] == 0x7f)
				return rhv_error_usage(err, "power management option '%.*s' has a control character",
						       (int)it.klen, it.key);
		for (const char *const *r = reserved_keys; *r; r++)
			if (key_eq(it.key, it.klen, *r)) {
				rhv_error_usage(err, "power management option '%.*s' is set by rhv itself", (int)it.klen,
						it.key);
				return rhv_error_hint(err, "give the address, port, user and password with --address, "
							   "--port, --user and --password-file"),
				       -1;
			}
	}
	return 0;
}

/* Whether "k=v,..." sets key (klen bytes). */
static bool options_set(const char *options, const char *key, size_t klen)
{
	struct opt_iter it = { .p = options };

	while (opt_next(&it)) {
		bool same = it.klen == klen;

		for (size_t i = 0; same && i < klen; i++)
			same = (it.key[i] == '-' ? '_' : it.key[i]) == (key[i] == '-' ? '_' : key[i]);
		if (same)
			return true;
	}
	return false;
}

static void append_options(char **out, const char *options, const char *unless_in)
{
	struct opt_iter it = { .p = options };

	while (opt_next(&it)) {
		if (unless_in && options_set(unless_in, it.key, it.klen))
			continue;
		/* a bare key is a flag, as oVirt's options allow ("lanplus"): the agents want "lanplus=1" */
		if (it.has_eq)
			rhv_xappendf(out, "", "%.*s=%.*s\n", (int)it.klen, it.key, (int)it.vlen, it.val);
		else
			rhv_xappendf(out, "", "%.*s=1\n", (int)it.klen, it.key);
	}
}

char *rhv_fence_stdin_lines(const struct rhv_fence_call *c, bool mask)
{
	char *out = NULL;

	rhv_xappendf(&out, "", "action=%s\n", c->action);
	rhv_xappendf(&out, "", "ip=%s\n", c->address);
	if (c->port > 0)
		rhv_xappendf(&out, "", "ipport=%d\n", c->port);
	if (c->user && *c->user)
		rhv_xappendf(&out, "", "username=%s\n", c->user);
	if (c->password && !c->type->ipmitool)
		rhv_xappendf(&out, "", "password=%s\n", mask ? "***" : c->password);
	if (c->type->ipmitool && c->ipmitool_path)
		rhv_xappendf(&out, "", "ipmitool_path=%s\n", c->ipmitool_path);
	append_options(&out, c->type->defaults, c->options);
	append_options(&out, c->options, NULL);
	return out;
}

/*
 * The agents live in /usr/sbin, which the PATH of a non-root SSH session
 * (a proxy's ssh_user) lacks: append it, so a PATH of the proxy's own still wins.
 */
char *rhv_fence_shell_command(const struct rhv_fence_type *t)
{
	return rhv_xasprintf("IFS= read -r IPMI_PASSWORD && export IPMI_PASSWORD && "
			     "PATH=$PATH:/usr/sbin:/sbin PYTHONWARNINGS=ignore exec %s",
			     t->agent);
}

char **rhv_fence_ssh_argv(const struct rhv_fence_ssh *s, const char *command)
{
	char **v = rhv_xcalloc(24, sizeof(*v));
	size_t n = 0;

	v[n++] = rhv_xstrdup("ssh");
	v[n++] = rhv_xstrdup("-T");
	v[n++] = rhv_xstrdup("-o");
	v[n++] = rhv_xstrdup("BatchMode=yes");
	v[n++] = rhv_xstrdup("-o");
	v[n++] = rhv_xasprintf("ConnectTimeout=%d", s->connect_timeout > 0 ? s->connect_timeout : 10);
	if (s->key && *s->key) {
		v[n++] = rhv_xstrdup("-i");
		v[n++] = rhv_xstrdup(s->key);
		v[n++] = rhv_xstrdup("-o");
		v[n++] = rhv_xstrdup("IdentitiesOnly=yes");
	}
	v[n++] = rhv_xstrdup("-p");
	v[n++] = rhv_xasprintf("%d", s->port > 0 ? s->port : 22);
	if (s->known_hosts && *s->known_hosts) {
		v[n++] = rhv_xstrdup("-o");
		v[n++] = rhv_xasprintf("UserKnownHostsFile=%s", s->known_hosts);
	}
	v[n++] = rhv_xstrdup("-o");
	v[n++] = rhv_xstrdup("StrictHostKeyChecking=yes");
	v[n++] = rhv_xasprintf("%s@%s", s->user && *s->user ? s->user : "root", s->address);
	v[n++] = rhv_xstrdup(command);
	v[n] = NULL;
	return v;
}

void rhv_fence_argv_free(char **argv)
{
	for (char **p = argv; p && *p; p++)
		free(*p);
	free(argv);
}

/* ---- proxies ---- */

static const char *const proxy_prefs[] = { "cluster", "dc", "local", NULL };

int rhv_fence_proxies_check(const char *prefs, struct rhv_error *err)
{
	struct opt_iter it = { .p = prefs };
	bool seen[3] = { false, false, false };
	int items = 0;

	if (!prefs || !*prefs)
		return rhv_error_usage(err, "the proxy preferences are empty: give cluster, dc and/or local");
	while (opt_next(&it)) {
		int k = -1;

		if (seen[2])
			return rhv_error_usage(err, "proxy preference 'local' must come last");
		for (int i = 0; proxy_prefs[i]; i++)
			if (it.klen == strlen(proxy_prefs[i]) && !strncmp(it.key, proxy_prefs[i], it.klen) && !it.has_eq)
				k = i;
		if (k < 0)
			return rhv_error_usage(err, "unknown proxy preference '%.*s' (cluster, dc or local)",
					       (int)(it.p - it.key), it.key);
		if (seen[k])
			return rhv_error_usage(err, "proxy preference '%s' is given twice", proxy_prefs[k]);
		seen[k] = true;
		items++;
	}
	if (!items)
		return rhv_error_usage(err, "the proxy preferences are empty: give cluster, dc and/or local");
	return 0;
}

static bool serves(const struct rhv_fence_candidate *c, bool up)
{
	return !c->is_target && c->state && !strcmp(c->state, up ? "Up" : "Maintenance");
}

/* Append the candidates matching pref that are not yet listed, Up first, by name. */
static size_t add_pref(const struct rhv_fence_candidate *c, size_t n, bool cluster, size_t *out, size_t k)
{
	for (int pass = 0; pass < 2; pass++) {
		size_t first = k;

		for (size_t i = 0; i < n; i++) {
			bool listed = false;

			if (!serves(&c[i], pass == 0) || !(cluster ? c[i].same_cluster : c[i].same_dc))
				continue;
			for (size_t j = 0; j < k; j++)
				listed = listed || out[j] == i;
			if (listed)
				continue;
			/* insertion by name within this pass */
			size_t at = k;
			while (at > first && strcmp(c[out[at - 1]].name, c[i].name) > 0) {
				out[at] = out[at - 1];
				at--;
			}
			out[at] = i;
			k++;
		}
	}
	return k;
}

size_t rhv_fence_proxy_order(const struct rhv_fence_candidate *c, size_t n, const char *prefs, size_t *out)
{
	struct opt_iter it = { .p = prefs ? prefs : RHV_FENCE_PROXIES_DEFAULT };
	size_t k = 0;
	bool local = false;

	while (opt_next(&it)) {
		if (it.klen == 7 && !strncmp(it.key, "cluster", 7))
			k = add_pref(c, n, true, out, k);
		else if (it.klen == 2 && !strncmp(it.key, "dc", 2))
			k = add_pref(c, n, false, out, k);
		else if (it.klen == 5 && !strncmp(it.key, "local", 5))
			local = true;
	}
	if (local)
		out[k++] = RHV_FENCE_PROXY_LOCAL;
	return k;
}

/* ---- several agents ---- */

enum rhv_fence_result rhv_fence_result_of(enum rhv_fence_op op, int exit_status)
{
	if (op == RHV_FENCE_OP_STATUS)
		return exit_status == 0 ? RHV_FENCE_RES_ON : exit_status == 2 ? RHV_FENCE_RES_OFF : RHV_FENCE_RES_FAILED;
	return exit_status == 0 ? RHV_FENCE_RES_DONE : RHV_FENCE_RES_FAILED;
}

enum rhv_fence_outcome rhv_fence_combine(enum rhv_fence_op op, const enum rhv_fence_result *r, size_t n)
{
	size_t done = 0, on = 0, off = 0;

	for (size_t i = 0; i < n; i++) {
		done += r[i] == RHV_FENCE_RES_DONE;
		on += r[i] == RHV_FENCE_RES_ON;
		off += r[i] == RHV_FENCE_RES_OFF;
	}
	if (!n)
		return RHV_FENCE_FAILED;
	switch (op) {
	case RHV_FENCE_OP_OFF:
		return done == n ? RHV_FENCE_DONE : RHV_FENCE_FAILED;
	case RHV_FENCE_OP_ON:
		return done > 0 ? RHV_FENCE_DONE : RHV_FENCE_FAILED;
	case RHV_FENCE_OP_STATUS:
	default:
		return on > 0 ? RHV_FENCE_ON : off == n ? RHV_FENCE_OFF : RHV_FENCE_FAILED;
	}
}

size_t rhv_fence_groups(const int *order, size_t n, size_t *idx_out, size_t *group_end)
{
	size_t groups = 0;

	for (size_t i = 0; i < n; i++) { /* stable insertion sort by order */
		size_t at = i;

		while (at > 0 && order[idx_out[at - 1]] > order[i]) {
			idx_out[at] = idx_out[at - 1];
			at--;
		}
		idx_out[at] = i;
	}
	for (size_t i = 0; i < n; i++)
		if (i + 1 == n || order[idx_out[i + 1]] != order[idx_out[i]])
			group_end[groups++] = i + 1;
	return groups;
}

bool rhv_fence_skip_connectivity(int hosts, int unreachable, int pct)
{
	if (hosts <= 0)
		return true;
	return (int64_t)unreachable * 100 >= (int64_t)pct * hosts;
}

static void complete_fence_type(struct rhv_completion *c)
{
	for (const char *const *n = rhv_fence_type_names; *n; n++)
		rhv_offer(c, *n);
}

const struct rhv_completer rhv_names_fence_type = { .complete = complete_fence_type };
