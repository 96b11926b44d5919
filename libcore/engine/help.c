/*
 * Help rendered from the tables: the synopsis of a verb, the program's and
 * a verb's help, and the dump the man-page check reads.
 */
#include "rhv/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/cli-priv.h"

static void format_arg(char *buf, size_t len, const char *descrip)
{
	if (!descrip)
		snprintf(buf, len, "<value>");
	else if (strchr(descrip, '|'))
		snprintf(buf, len, "%s", descrip);
	else
		snprintf(buf, len, "<%s>", descrip);
}

struct synopsis {
	char buf[2048];
};

static void append(struct synopsis *s, const char *fmt, ...) RHV_PRINTF(2, 3);
static void append(struct synopsis *s, const char *fmt, ...)
{
	size_t n = strlen(s->buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->buf + n, sizeof(s->buf) - n, fmt, ap);
	va_end(ap);
}

static void synopsis_opt(const struct rhv_opt *o, void *arg)
{
	struct synopsis *s = arg;
	char a[256] = "";

	if (o->hidden)
		return;
	if (rhv_cli_takes_arg(o)) {
		a[0] = ' ';
		format_arg(a + 1, sizeof(a) - 1, o->arg);
	}
	if (o->kind == RHV_OPT_LIST)
		append(s, o->required ? " --%s%s..." : " [--%s%s]...", o->name, a);
	else
		append(s, o->required ? " --%s%s" : " [--%s%s]", o->name, a);
}

/* "rhv-dc create <name> [--description <text>] ..." for help, man and completion checks. */
void rhv_cli_synopsis(const struct rhv_program *prog, const struct rhv_cmd *cmd, char *out, size_t len)
{
	struct synopsis s;

	snprintf(s.buf, sizeof(s.buf), "%s %s", prog->name, cmd->name);
	for (const struct rhv_arg *a = cmd->args; a && a->name; a++) {
		bool opt = a->flags & RHV_ARG_OPTIONAL;

		append(&s, " %s<%s>%s%s", opt ? "[" : "", a->name, opt ? "]" : "", a->flags & RHV_ARG_MULTI ? "..." : "");
	}
	rhv_cli_walk_table(cmd->opts, synopsis_opt, &s);
	if (cmd->flags & RHV_CMD_OUTPUT)
		append(&s, " [output options]");
	snprintf(out, len, "%s", s.buf);
}

/* Print text wrapped at 80 columns, continuation lines indented. */
static void print_wrapped(FILE *f, const char *text, size_t indent, size_t first_col)
{
	size_t col = first_col;
	const char *p = text;

	while (*p) {
		size_t len = 0;
		int depth = 0;

		/* a word; keep bracketed groups such as "[--dc <dc>]" together */
		while (p[len] && (depth > 0 || p[len] != ' ')) {
			depth += p[len] == '[' || p[len] == '<';
			depth -= (p[len] == ']' || p[len] == '>') && depth > 0;
			len++;
		}
		if (col > indent && col + 1 + len > 80) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > first_col || (col > indent && p != text)) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)len, p);
		col += len;
		p += len;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static void help_opt(const struct rhv_opt *o, void *arg)
{
	FILE *f = arg;
	char left[320], a[256] = "";

	if (o->hidden)
		return;
	if (rhv_cli_takes_arg(o)) {
		a[0] = ' ';
		format_arg(a + 1, sizeof(a) - 1, o->arg);
	}
	if (o->short_name)
		snprintf(left, sizeof(left), "  -%c, --%s%s", o->short_name, o->name, a);
	else
		snprintf(left, sizeof(left), "      --%s%s", o->name, a);
	if (strlen(left) > 28) {
		fprintf(f, "%s\n%30s", left, "");
	} else {
		fprintf(f, "%-30s", left);
	}
	print_wrapped(f, o->help ? o->help : "", 30, 30);
}

void rhv_cli_program_help(const struct rhv_program *prog, FILE *f)
{
	size_t w = 0;

	fprintf(f, "Usage: %s [options] <command> [arguments]\n\n%s.\n\nCommands:\n", prog->name, prog->summary);
	for (const struct rhv_cmd *c = prog->cmds; c->name; c++)
		if (!(c->flags & RHV_CMD_HIDDEN) && strlen(c->name) > w)
			w = strlen(c->name);
	for (const struct rhv_cmd *c = prog->cmds; c->name; c++)
		if (!(c->flags & RHV_CMD_HIDDEN))
			fprintf(f, "  %-*s  %s\n", (int)w, c->name, c->summary);
	fprintf(f, "  %-*s  %s\n", (int)w, "help", "show the help of a command");
	fputs("\nOptions:\n", f);
	rhv_cli_walk_table(rhv_cli_common_opts, help_opt, f);
	rhv_cli_walk_table(rhv_cli_global_only_opts, help_opt, f);
	fprintf(f, "\nRun '%s help <command>' for the options of a command.\n", prog->name);
	fprintf(f, "Exit status: 0 ok, 1 failed, 2 usage, 3 not found, 4 conflict or wrong state,\n"
		   "5 store, libvirt, host or agent unavailable, 6 partial failure.\n");
}

void rhv_cli_verb_help(const struct rhv_program *prog, const struct rhv_cmd *cmd, FILE *f)
{
	char syn[2048];

	rhv_cli_synopsis(prog, cmd, syn, sizeof(syn));
	fputs("Usage: ", f);
	print_wrapped(f, syn, 7, 7);
	fputc('\n', f);
	print_wrapped(f, cmd->description ? cmd->description : cmd->summary, 0, 0);
	if (cmd->opts && cmd->opts->name) {
		fputs("\nOptions:\n", f);
		rhv_cli_walk_table(cmd->opts, help_opt, f);
	}
	if (cmd->flags & RHV_CMD_OUTPUT) {
		fputs("\nOutput options:\n", f);
		rhv_cli_walk_table(rhv_cli_output_opts, help_opt, f);
	}
	fputs("\nCommon options:\n", f);
	rhv_cli_walk_table(rhv_cli_common_opts, help_opt, f);
}

/* ---- --dump-help ---- */

static void dump_opt(const struct rhv_opt *o, void *arg)
{
	if (!o->hidden)
		fprintf(arg, "option --%s\n", o->name);
}

void rhv_cli_dump_help(const struct rhv_program *prog, FILE *f)
{
	fprintf(f, "program %s\n", prog->name);
	rhv_cli_walk_table(rhv_cli_common_opts, dump_opt, f);
	rhv_cli_walk_table(rhv_cli_global_only_opts, dump_opt, f);
	for (const struct rhv_cmd *c = prog->cmds; c->name; c++) {
		char syn[2048];

		if (c->flags & RHV_CMD_HIDDEN)
			continue;
		rhv_cli_synopsis(prog, c, syn, sizeof(syn));
		fprintf(f, "verb %s\nsynopsis %s\n", c->name, syn);
		rhv_cli_walk_table(c->opts, dump_opt, f);
		if (c->flags & RHV_CMD_OUTPUT)
			rhv_cli_walk_table(rhv_cli_output_opts, dump_opt, f);
	}
}
