/*
 * Shell completion ("rhv-x __complete -- WORDS..."): verbs and options from
 * the tables, values from the completer on the option's or argument's row.
 * The engine does not know what a completer lists; it hands it the word
 * being completed and a way to the store.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli-priv.h"
#include "rhv/cleanup.h"

static void print_if_prefix(const char *candidate, const char *prefix, const char *lead)
{
	if (!strncmp(candidate, prefix, strlen(prefix)))
		printf("%s%s\n", lead, candidate);
}

/* What a completer's rhv_completion points back to. */
struct values {
	struct rhv_completion c;
	const struct rhv_session *session;
	const char *conninfo;
	const char *prefix, *lead;
	struct rhv_db *db;
	bool db_tried;
};

static void offer(struct rhv_completion *c, const char *candidate)
{
	struct values *v = c->engine;

	print_if_prefix(candidate, v->prefix, v->lead);
}

/* object names come from the store; a completer stays silent if it is not there */
static struct rhv_db *values_db(struct rhv_completion *c)
{
	struct values *v = c->engine;

	if (!v->db_tried && v->session)
		v->db = v->session->open_quiet(v->conninfo);
	v->db_tried = true;
	return v->db;
}

static void print_values(const struct rhv_program *prog, const char *conninfo, const struct rhv_completer *comp,
			 const char *choices, const char *prefix, const char *lead)
{
	struct values v = {
		.c = { .offer = offer, .db = values_db },
		.session = prog->session,
		.conninfo = conninfo,
		.prefix = prefix,
		.lead = lead,
	};

	v.c.engine = &v;
	if (comp == RHV_CHOICES && choices) {
		_cleanup_free_ char *s = rhv_xstrdup(choices);

		for (char *save = NULL, *t = strtok_r(s, "|", &save); t; t = strtok_r(NULL, "|", &save))
			print_if_prefix(t, prefix, lead);
		return;
	}
	if (!comp || !comp->complete)
		return;
	comp->complete(&v.c);
	if (v.db)
		v.session->close(v.db);
}

struct list_opts {
	const char *prefix;
	int n;
	const char *const *words;
};

static void list_opt_cb(const struct rhv_opt *o, void *arg)
{
	struct list_opts *l = arg;
	_cleanup_free_ char *name = NULL;

	if (o->hidden)
		return;
	name = rhv_xasprintf("--%s", o->name);
	if (o->kind != RHV_OPT_LIST)
		for (int i = 0; i < l->n; i++)
			if (!strcmp(l->words[i], name) || (o->short_name && l->words[i][0] == '-' &&
							   l->words[i][1] == o->short_name && !l->words[i][2]))
				return; /* already given */
	print_if_prefix(name, l->prefix, "");
}

int rhv_cli_complete(const struct rhv_program *prog, int n, const char *const *words)
{
	const struct rhv_opt *global[] = { rhv_cli_common_opts, NULL };
	const struct rhv_cmd *cmd = NULL;
	const char *cur, *conninfo = NULL;
	const struct rhv_opt *table[4];
	int i = 0, verb_at = -1, positional = 0;

	if (n > 0 && !strcmp(words[0], "--"))
		words++, n--;
	if (n <= 0)
		return 0;
	cur = words[n - 1];
	/* find the verb, skipping global options and their values */
	for (; i < n - 1; i++) {
		const struct rhv_opt *o = rhv_cli_find_opt(global, words[i]);

		if (o && rhv_cli_takes_arg(o)) {
			if (!strcmp(o->name, "db") && i + 1 < n - 1)
				conninfo = words[i + 1];
			i++;
			continue;
		}
		if (words[i][0] != '-') {
			verb_at = i;
			break;
		}
	}
	if (verb_at < 0) {
		if (i == n - 1 && i > 0 && rhv_cli_find_opt(global, words[i - 1]) &&
		    rhv_cli_takes_arg(rhv_cli_find_opt(global, words[i - 1])))
			return 0;
		if (cur[0] == '-') {
			struct list_opts l = { cur, n - 1, words };

			rhv_cli_walk(global, list_opt_cb, &l);
			print_if_prefix("--version", cur, "");
			return 0;
		}
		for (const struct rhv_cmd *c = prog->cmds; c->name; c++)
			if (!(c->flags & RHV_CMD_HIDDEN))
				print_if_prefix(c->name, cur, "");
		print_if_prefix("help", cur, "");
		return 0;
	}
	if (!strcmp(words[verb_at], "help")) {
		if (n - 1 == verb_at + 1)
			for (const struct rhv_cmd *c = prog->cmds; c->name; c++)
				if (!(c->flags & RHV_CMD_HIDDEN))
					print_if_prefix(c->name, cur, "");
		return 0;
	}
	for (const struct rhv_cmd *c = prog->cmds; c->name; c++)
		if (!strcmp(c->name, words[verb_at]))
			cmd = c;
	if (!cmd)
		return 0;
	rhv_cli_verb_tables(cmd, table);
	for (i = verb_at + 1; i < n - 1; i++) {
		const struct rhv_opt *o = rhv_cli_find_opt(table, words[i]);

		if (o && rhv_cli_takes_arg(o)) {
			if (i + 1 == n - 1) { /* completing this option's value */
				print_values(prog, conninfo, rhv_cli_completer(o), o->arg, cur, "");
				return 0;
			}
			if (!strcmp(o->name, "db"))
				conninfo = words[i + 1];
			i++;
		} else if (words[i][0] != '-') {
			positional++;
		}
	}
	if (!strncmp(cur, "--", 2) && strchr(cur, '=')) {
		size_t len = (size_t)(strchr(cur, '=') - cur);
		_cleanup_free_ char *name = strndup(cur, len);
		_cleanup_free_ char *lead = strndup(cur, len + 1);
		const struct rhv_opt *o = name ? rhv_cli_find_opt(table, name) : NULL;

		if (o && lead && rhv_cli_takes_arg(o))
			print_values(prog, conninfo, rhv_cli_completer(o), o->arg, cur + len + 1, lead);
		return 0;
	}
	if (cur[0] == '-') {
		struct list_opts l = { cur, n - 1, words };

		rhv_cli_walk(table, list_opt_cb, &l);
		return 0;
	}
	for (const struct rhv_arg *a = cmd->args; a && a->name; a++) {
		if (positional == 0 || (a->flags & RHV_ARG_MULTI && !a[1].name)) {
			print_values(prog, conninfo, a->complete, NULL, cur, "");
			break;
		}
		positional--;
	}
	return 0;
}
