/*
 * --self-test: lint the command table, so that a verb cannot ship without
 * a summary, an option without help, or a value without a completer.
 */
#include "rhv/common.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/cli-priv.h"

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

static void lint_opt(const struct rhv_opt *o, void *arg)
{
	struct lint *l = arg;

	if (!o->help || !*o->help)
		problem(l, "option --%s has no description", o->name);
	if (o->short_name) {
		if (strchr(l->shorts, o->short_name))
			problem(l, "short option -%c is used twice", o->short_name);
		else if (strlen(l->shorts) + 1 < sizeof(l->shorts))
			strncat(l->shorts, &o->short_name, 1);
	}
	for (size_t i = 0; i < l->nlongs; i++)
		if (!strcmp(l->longs[i], o->name))
			problem(l, "option --%s is defined twice", o->name);
	if (l->nlongs < RHV_ARRAY_SIZE(l->longs))
		snprintf(l->longs[l->nlongs++], sizeof(l->longs[0]), "%s", o->name);
	if (o->kind < RHV_OPT_FLAG || o->kind > RHV_OPT_LIST)
		problem(l, "option --%s has no kind", o->name);
	if (rhv_cli_takes_arg(o) && (!o->arg || !*o->arg))
		problem(l, "option --%s takes an argument but names none", o->name);
	if ((o->kind == RHV_OPT_STRING || o->kind == RHV_OPT_LIST) && !rhv_cli_completer(o))
		problem(l, "option --%s has no completer and is not marked free text", o->name);
	if (rhv_cli_completer(o) == RHV_CHOICES && !(o->arg && strchr(o->arg, '|')))
		problem(l, "option --%s completes its choices but lists none", o->name);
	if (!o->target)
		problem(l, "option --%s stores its value nowhere", o->name);
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
	const struct rhv_opt *tables[4];
	bool optional_seen = false;

	if (!c->summary || !*c->summary || isupper((unsigned char)c->summary[0]) ||
	    c->summary[strlen(c->summary) - 1] == '.')
		problem(l, "the summary must be one lowercase line without a final period");
	if (!c->handler)
		problem(l, "no handler");
	rhv_cli_verb_tables(c, tables);
	rhv_cli_walk(tables, lint_opt, l);
	for (const struct rhv_arg *a = c->args; a && a->name; a++) {
		if ((a->flags & RHV_ARG_MULTI) && a[1].name)
			problem(l, "argument <%s> repeats but is not last", a->name);
		if (optional_seen && !(a->flags & RHV_ARG_OPTIONAL))
			problem(l, "required argument <%s> follows an optional one", a->name);
		optional_seen |= a->flags & RHV_ARG_OPTIONAL;
		if (!a->complete)
			problem(l, "argument <%s> has no completer", a->name);
		else if (a->complete == RHV_CHOICES)
			problem(l, "argument <%s> completes choices it cannot list", a->name);
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

int rhv_cli_self_test(const struct rhv_program *prog, FILE *f)
{
	int problems = 0, verbs = 0;

	for (const struct rhv_cmd *c = prog->cmds; c->name; c++) {
		struct lint l = { .cmd = c, .f = f };

		lint_cmd(&l);
		if ((c->flags & (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)) && !prog->session)
			problem(&l, "a verb that uses the store in a program without a session");
		for (const struct rhv_cmd *d = prog->cmds; d < c; d++)
			if (!strcmp(d->name, c->name))
				problem(&l, "verb '%s' is defined twice", c->name);
		problems += l.problems;
		verbs++;
	}
	fprintf(f, "%s: %d verbs checked, %d problems\n", prog->name, verbs, problems);
	return problems ? -1 : 0;
}
