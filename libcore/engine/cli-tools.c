/*
 * What the command tables give besides parsing: the help dump the man-page
 * check reads, the self-test that lints the tables, and shell completion.
 */
#include "rhv/common.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli-priv.h"
#include "rhv/cleanup.h"
#include "rhv/cluster.h"
#include "rhv/cputype.h"
#include "rhv/db.h"
#include "rhv/dc.h"
#include "rhv/disk.h"
#include "rhv/event.h"
#include "rhv/host.h"
#include "rhv/policy.h"
#include "rhv/sd.h"
#include "rhv/vm.h"
#include "rhv/settings.h"

/*
 * ISO files are listed by iso.o, which needs the storage-domain helpers of
 * sd.o and with them libvirt: a plain reference here would pull libvirt
 * into every binary through this file.  A weak one pulls nothing; it
 * resolves in the binaries that link iso.o anyway (rhv-vm for --cdrom,
 * rhv-sd), and completes nothing elsewhere.
 */
extern int rhv_iso_list(struct rhv_db *db, const char *domain, struct rhv_iso_list *out, struct rhv_error *err)
	__attribute__((weak));
extern void rhv_iso_list_clear(struct rhv_iso_list *l) __attribute__((weak));

/* ---- --dump-help ---- */

static void dump_opt(const struct poptOption *o, void *arg)
{
	if (o->longName && !(o->argInfo & POPT_ARGFLAG_DOC_HIDDEN))
		fprintf(arg, "option --%s\n", o->longName);
}

void rhv_cli_dump_help(const struct rhv_program *prog, FILE *f)
{
	fprintf(f, "program %s\n", prog->name);
	rhv_cli_walk(rhv_common_opts, dump_opt, f);
	rhv_cli_walk(rhv_global_only_opts, dump_opt, f);
	for (const struct rhv_cmd *c = prog->cmds; c->name; c++) {
		char syn[2048];

		if (c->flags & RHV_CMD_HIDDEN)
			continue;
		rhv_cli_synopsis(prog, c, syn, sizeof(syn));
		fprintf(f, "verb %s\nsynopsis %s\n", c->name, syn);
		rhv_cli_walk(c->opts, dump_opt, f);
		if (c->flags & RHV_CMD_OUTPUT)
			rhv_cli_walk(rhv_output_opts, dump_opt, f);
	}
}

/* ---- --self-test ---- */

struct lint {
	const struct rhv_cmd *cmd;
	FILE *f;
	int problems;
	char shorts[128];
	char longs[64][64];
	size_t nlongs;
};

static void problem(struct lint *l, const char *fmt, ...) RHV_PRINTF(2, 3);
static void problem(struct lint *l, const char *fmt, ...)
{
	va_list ap;

	fprintf(l->f, "%s: ", l->cmd->name);
	va_start(ap, fmt);
	vfprintf(l->f, fmt, ap);
	va_end(ap);
	fputc('\n', l->f);
	l->problems++;
}

static void lint_opt(const struct poptOption *o, void *arg)
{
	struct lint *l = arg;
	unsigned type = o->argInfo & POPT_ARG_MASK;

	if (!o->longName) {
		problem(l, "an option has no long name");
		return;
	}
	if (!o->descrip || !*o->descrip)
		problem(l, "option --%s has no description", o->longName);
	if (o->shortName) {
		if (strchr(l->shorts, o->shortName))
			problem(l, "short option -%c is used twice", o->shortName);
		else if (strlen(l->shorts) + 1 < sizeof(l->shorts))
			strncat(l->shorts, &o->shortName, 1);
	}
	for (size_t i = 0; i < l->nlongs; i++)
		if (!strcmp(l->longs[i], o->longName))
			problem(l, "option --%s is defined twice", o->longName);
	if (l->nlongs < RHV_ARRAY_SIZE(l->longs))
		snprintf(l->longs[l->nlongs++], sizeof(l->longs[0]), "%s", o->longName);
	if (rhv_cli_takes_arg(o) && (!o->argDescrip || !*o->argDescrip))
		problem(l, "option --%s takes an argument but names none", o->longName);
	if ((type == POPT_ARG_STRING || type == POPT_ARG_ARGV) && rhv_cli_completer(l->cmd, o) == RHV_COMP_UNSET)
		problem(l, "option --%s has no completer and is not marked free text", o->longName);
	if (!o->arg)
		problem(l, "option --%s stores its value nowhere", o->longName);
}

static bool is_snake(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static void lint_cmd(struct lint *l)
{
	const struct rhv_cmd *c = l->cmd;
	struct poptOption table[4];
	bool optional_seen = false;

	if (!c->summary || !*c->summary || isupper((unsigned char)c->summary[0]) ||
	    c->summary[strlen(c->summary) - 1] == '.')
		problem(l, "the summary must be one lowercase line without a final period");
	if (!c->handler)
		problem(l, "no handler");
	rhv_cli_compose(c, table);
	rhv_cli_walk(table, lint_opt, l);
	for (const struct rhv_arg *a = c->args; a && a->name; a++) {
		if ((a->flags & RHV_ARG_MULTI) && a[1].name)
			problem(l, "argument <%s> repeats but is not last", a->name);
		if (optional_seen && !(a->flags & RHV_ARG_OPTIONAL))
			problem(l, "required argument <%s> follows an optional one", a->name);
		optional_seen |= a->flags & RHV_ARG_OPTIONAL;
		if (a->comp == RHV_COMP_UNSET)
			problem(l, "argument <%s> has no completer", a->name);
	}
	if ((c->flags & RHV_CMD_OUTPUT) && (!c->columns || !c->ncolumns))
		problem(l, "an output verb without columns");
	for (size_t i = 0; i < c->ncolumns; i++) {
		if (!is_snake(c->columns[i].key))
			problem(l, "column key '%s' is not snake_case", c->columns[i].key);
		if (!c->columns[i].help || !c->columns[i].header)
			problem(l, "column '%s' lacks a header or help", c->columns[i].key);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(c->columns[i].key, c->columns[k].key))
				problem(l, "column '%s' is defined twice", c->columns[i].key);
	}
}

struct has_long {
	const char *name;
	bool found;
};

static void has_long_cb(const struct poptOption *o, void *arg)
{
	struct has_long *h = arg;

	h->found |= o->longName && !strcmp(o->longName, h->name);
}

/* Optinfo tables may be shared between verbs, but each entry must name a real option. */
static void lint_optinfo(struct lint *l, const struct rhv_program *prog)
{
	for (const struct rhv_optinfo *i = l->cmd->optinfo; i && i->long_name; i++) {
		struct has_long h = { i->long_name, false };

		for (const struct rhv_cmd *c = prog->cmds; c->name; c++)
			rhv_cli_walk(c->opts, has_long_cb, &h);
		if (!h.found)
			problem(l, "optinfo names --%s, which no verb has", i->long_name);
	}
}

int rhv_cli_self_test(const struct rhv_program *prog, FILE *f)
{
	int problems = 0, verbs = 0;

	for (const struct rhv_cmd *c = prog->cmds; c->name; c++) {
		struct lint l = { .cmd = c, .f = f };

		lint_cmd(&l);
		lint_optinfo(&l, prog);
		for (const struct rhv_cmd *d = prog->cmds; d < c; d++)
			if (!strcmp(d->name, c->name))
				problem(&l, "verb '%s' is defined twice", c->name);
		problems += l.problems;
		verbs++;
	}
	fprintf(f, "%s: %d verbs checked, %d problems\n", prog->name, verbs, problems);
	return problems ? -1 : 0;
}

/* ---- completion ---- */

static void print_if_prefix(const char *candidate, const char *prefix, const char *lead)
{
	if (!strncmp(candidate, prefix, strlen(prefix)))
		printf("%s%s\n", lead, candidate);
}

static void print_values(const struct rhv_cmd *cmd, const char *conninfo, enum rhv_completer comp,
			 const char *argdescrip, const char *prefix, const char *lead)
{
	struct rhv_error err = { 0 };
	struct rhv_db *db = NULL;

	switch (comp) {
	case RHV_COMP_ENUM: {
		_cleanup_free_ char *s = rhv_xstrdup(argdescrip);

		for (char *save = NULL, *t = strtok_r(s, "|", &save); t; t = strtok_r(NULL, "|", &save))
			print_if_prefix(t, prefix, lead);
		return;
	}
	case RHV_COMP_CPU_TYPE:
		for (size_t i = 0; i < rhv_cpu_types_count; i++)
			print_if_prefix(rhv_cpu_types[i].id, prefix, lead);
		return;
	case RHV_COMP_POLICY:
		for (size_t i = 0; i < rhv_policies_count; i++)
			print_if_prefix(rhv_policies[i].name, prefix, lead);
		return;
	case RHV_COMP_POLICY_PARAM:
		for (size_t i = 0; i < rhv_policy_params_count; i++) {
			_cleanup_free_ char *kv = rhv_xasprintf("%s=", rhv_policy_params[i].key);

			print_if_prefix(kv, prefix, lead);
		}
		return;
	case RHV_COMP_SEVERITY:
		for (size_t i = 0; rhv_severity_names[i]; i++)
			print_if_prefix(rhv_severity_names[i], prefix, lead);
		return;
	case RHV_COMP_OBJECT_TYPE:
		for (size_t i = 0; rhv_object_types[i]; i++)
			print_if_prefix(rhv_object_types[i], prefix, lead);
		return;
	case RHV_COMP_SETTING:
		for (size_t i = 0; i < RHV_SET_COUNT; i++)
			print_if_prefix(rhv_setting_defs[i].key, prefix, lead);
		return;
	case RHV_COMP_NETWORK:
		print_if_prefix("ovirtmgmt", prefix, lead);
		return;
	case RHV_COMP_DC:
	case RHV_COMP_CLUSTER:
	case RHV_COMP_HOST:
	case RHV_COMP_VM:
	case RHV_COMP_SD:
	case RHV_COMP_DISK:
	case RHV_COMP_ISO:
		break;
	default:
		return;
	}
	/* object names come from the store; stay silent if it is not there */
	db = rhv_db_open(conninfo, "rhv-complete", RHV_DB_ANY_SCHEMA | RHV_DB_NO_START, &err);
	if (!db)
		return;
	if (comp == RHV_COMP_DC) {
		struct rhv_dc_list l;

		if (rhv_dc_list(db, &l, &err) == 0)
			for (size_t i = 0; i < l.n; i++)
				print_if_prefix(l.items[i].name, prefix, lead);
		rhv_dc_list_clear(&l);
	} else if (comp == RHV_COMP_CLUSTER) {
		struct rhv_cluster_list l;

		if (rhv_cluster_list(db, NULL, &l, &err) == 0)
			for (size_t i = 0; i < l.n; i++)
				print_if_prefix(l.items[i].name, prefix, lead);
		rhv_cluster_list_clear(&l);
	} else if (comp == RHV_COMP_HOST) {
		struct rhv_host_list l;

		if (rhv_host_list(db, NULL, &l, &err) == 0)
			for (size_t i = 0; i < l.n; i++)
				print_if_prefix(l.items[i].name, prefix, lead);
		rhv_host_list_clear(&l);
	} else if (comp == RHV_COMP_SD) {
		struct rhv_sd_list l;

		if (rhv_sd_list(db, NULL, &l, &err) == 0)
			for (size_t i = 0; i < l.n; i++)
				print_if_prefix(l.items[i].name, prefix, lead);
		rhv_sd_list_clear(&l);
	} else if (comp == RHV_COMP_DISK) {
		struct rhv_disk_list l;

		if (rhv_disk_list(db, NULL, NULL, &l, &err) == 0)
			for (size_t i = 0; i < l.n; i++)
				print_if_prefix(l.items[i].name, prefix, lead);
		rhv_disk_list_clear(&l);
	} else if (comp == RHV_COMP_ISO) {
		struct rhv_iso_list l = { 0 };

		/* FILE, or DOMAIN:FILE where two domains hold the same name (rhv_vm_set_cdrom takes both) */
		if (rhv_iso_list && rhv_iso_list_clear && rhv_iso_list(db, NULL, &l, &err) == 0)
			for (size_t i = 0; i < l.n; i++) {
				bool twice = false;

				for (size_t k = 0; k < l.n; k++)
					twice |= k != i && !strcmp(l.items[k].name, l.items[i].name);
				if (twice) {
					_cleanup_free_ char *full =
						rhv_xasprintf("%s:%s", l.items[i].domain, l.items[i].name);

					print_if_prefix(full, prefix, lead);
				} else {
					print_if_prefix(l.items[i].name, prefix, lead);
				}
			}
		if (rhv_iso_list_clear)
			rhv_iso_list_clear(&l);
	} else {
		struct rhv_vm_list l;
		struct rhv_vm_filter f = { NULL, NULL, NULL };

		if (rhv_vm_list(db, &f, &l, &err) == 0)
			for (size_t i = 0; i < l.n; i++)
				print_if_prefix(l.items[i].name, prefix, lead);
		rhv_vm_list_clear(&l);
	}
	(void)cmd;
	rhv_db_close(db);
}

struct find_opt {
	const char *name; /* "--db" or "-c" */
	const struct poptOption *found;
};

static void find_opt_cb(const struct poptOption *o, void *arg)
{
	struct find_opt *f = arg;

	if (f->name[1] == '-' ? (o->longName && !strcmp(f->name + 2, o->longName))
			      : (o->shortName && f->name[1] == o->shortName && !f->name[2]))
		f->found = o;
}

static const struct poptOption *find_opt(const struct poptOption *table, const char *word)
{
	struct find_opt f = { word, NULL };

	if (word[0] == '-' && word[1] && !strchr(word, '='))
		rhv_cli_walk(table, find_opt_cb, &f);
	return f.found;
}

struct list_opts {
	const char *prefix;
	int n;
	const char **words;
};

static void list_opt_cb(const struct poptOption *o, void *arg)
{
	struct list_opts *l = arg;
	_cleanup_free_ char *name = NULL;

	if (!o->longName || (o->argInfo & POPT_ARGFLAG_DOC_HIDDEN))
		return;
	name = rhv_xasprintf("--%s", o->longName);
	if ((o->argInfo & POPT_ARG_MASK) != POPT_ARG_ARGV)
		for (int i = 0; i < l->n; i++)
			if (!strcmp(l->words[i], name) || (o->shortName && l->words[i][0] == '-' &&
							   l->words[i][1] == o->shortName && !l->words[i][2]))
				return; /* already given */
	print_if_prefix(name, l->prefix, "");
}

int rhv_cli_complete(const struct rhv_program *prog, int n, const char **words)
{
	struct poptOption global[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)rhv_common_opts, 0, NULL, NULL },
		POPT_TABLEEND,
	};
	const struct rhv_cmd *cmd = NULL;
	const char *cur, *conninfo = NULL;
	struct poptOption table[4];
	int i = 0, verb_at = -1, positional = 0;

	if (n > 0 && !strcmp(words[0], "--"))
		words++, n--;
	if (n <= 0)
		return 0;
	cur = words[n - 1];
	/* find the verb, skipping global options and their values */
	for (; i < n - 1; i++) {
		const struct poptOption *o = find_opt(global, words[i]);

		if (o && rhv_cli_takes_arg(o)) {
			if (!strcmp(o->longName, "db") && i + 1 < n - 1)
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
		if (i == n - 1 && i > 0 && find_opt(global, words[i - 1]) &&
		    rhv_cli_takes_arg(find_opt(global, words[i - 1])))
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
	rhv_cli_compose(cmd, table);
	for (i = verb_at + 1; i < n - 1; i++) {
		const struct poptOption *o = find_opt(table, words[i]);

		if (o && rhv_cli_takes_arg(o)) {
			if (i + 1 == n - 1) { /* completing this option's value */
				print_values(cmd, conninfo, rhv_cli_completer(cmd, o), o->argDescrip, cur, "");
				return 0;
			}
			if (!strcmp(o->longName, "db"))
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
		const struct poptOption *o = name ? find_opt(table, name) : NULL;

		if (o && lead && rhv_cli_takes_arg(o))
			print_values(cmd, conninfo, rhv_cli_completer(cmd, o), o->argDescrip, cur + len + 1, lead);
		return 0;
	}
	if (cur[0] == '-') {
		struct list_opts l = { cur, n - 1, words };

		rhv_cli_walk(table, list_opt_cb, &l);
		return 0;
	}
	for (const struct rhv_arg *a = cmd->args; a && a->name; a++) {
		if (positional == 0 || (a->flags & RHV_ARG_MULTI && !a[1].name)) {
			print_values(cmd, conninfo, a->comp, NULL, cur, "");
			break;
		}
		positional--;
	}
	return 0;
}
