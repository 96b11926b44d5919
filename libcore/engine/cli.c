/*
 * The command engine: two-pass popt parsing (global options up to the verb,
 * then the verb's own table), help rendered from the tables, completion,
 * the table self-test, and reporting the one error at the top.
 */
#include "rhv/common.h"

#include <errno.h>
#include <popt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cli-priv.h"
#include "rhv/cleanup.h"
#include "rhv/cli.h"
#include "rhv/db.h"
#include "rhv/store.h"
#include "rhv/validate.h"

/* a percentage line is on stderr and needs its newline */
static bool percent_shown;

static struct {
	char *db;
	int quiet, debug, help, version, dump_help, self_test;
} g;

static struct rhv_output_opts g_out;

/* main's own argv, whose --db value is cleared once parsed */
static int g_argc;
static char **g_argv;

const struct poptOption rhv_common_opts[] = {
	{ "db", '\0', POPT_ARG_STRING, &g.db, 0, "the store: a libpq conninfo string or URI (service=NAME for a service)", "conninfo" },
	{ "quiet", 'q', POPT_ARG_NONE, &g.quiet, 0, "print no progress messages", NULL },
	{ "debug", '\0', POPT_ARG_NONE, &g.debug, 0, "show the query behind a store error", NULL },
	{ "help", 'h', POPT_ARG_NONE, &g.help, 0, "show this help and exit", NULL },
	POPT_TABLEEND
};

const struct poptOption rhv_global_only_opts[] = {
	{ "version", 'V', POPT_ARG_NONE, &g.version, 0, "show the version and exit", NULL },
	{ "dump-help", '\0', POPT_ARG_NONE | POPT_ARGFLAG_DOC_HIDDEN, &g.dump_help, 0, "dump every verb's synopsis",
	  NULL },
	{ "self-test", '\0', POPT_ARG_NONE | POPT_ARGFLAG_DOC_HIDDEN, &g.self_test, 0, "check the command table",
	  NULL },
	POPT_TABLEEND
};

const struct poptOption rhv_output_opts[] = {
	{ "output", 'o', POPT_ARG_STRING, &g_out.format, 0, "output format", "table|json|tsv" },
	{ "columns", 'c', POPT_ARG_STRING, &g_out.columns, 0, "columns to show; +COL adds to the defaults", "list" },
	{ "no-headers", 'H', POPT_ARG_NONE, &g_out.no_headers, 0, "print no header line", NULL },
	{ "list-columns", '\0', POPT_ARG_NONE, &g_out.list_columns, 0, "list the available columns and exit", NULL },
	POPT_TABLEEND
};

static const struct rhv_optinfo common_optinfo[] = {
	{ "db", RHV_COMP_FREE, 0 },
	{ "columns", RHV_COMP_FREE, 0 },
	{ NULL, 0, 0 },
};

/* ---- option table walking ---- */

void rhv_cli_compose(const struct rhv_cmd *cmd, struct poptOption out[4])
{
	size_t n = 0;

	if (cmd->opts)
		out[n++] = (struct poptOption){ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)cmd->opts, 0, NULL, NULL };
	if (cmd->flags & RHV_CMD_OUTPUT)
		out[n++] = (struct poptOption){ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)rhv_output_opts, 0, NULL,
						NULL };
	out[n++] = (struct poptOption){ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)rhv_common_opts, 0, NULL, NULL };
	out[n] = (struct poptOption)POPT_TABLEEND;
}

static bool is_end(const struct poptOption *o)
{
	return !o->longName && !o->shortName && !o->arg && o->argInfo == 0;
}

void rhv_cli_walk(const struct poptOption *t, void (*fn)(const struct poptOption *, void *), void *arg)
{
	for (; t && !is_end(t); t++) {
		if ((t->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE)
			rhv_cli_walk(t->arg, fn, arg);
		else
			fn(t, arg);
	}
}

bool rhv_cli_takes_arg(const struct poptOption *o)
{
	unsigned type = o->argInfo & POPT_ARG_MASK;

	return type != POPT_ARG_NONE && type != POPT_ARG_VAL;
}

const struct rhv_optinfo *rhv_cli_optinfo(const struct rhv_cmd *cmd, const char *long_name)
{
	for (const struct rhv_optinfo *i = cmd ? cmd->optinfo : NULL; i && i->long_name; i++)
		if (!strcmp(i->long_name, long_name))
			return i;
	for (const struct rhv_optinfo *i = common_optinfo; i->long_name; i++)
		if (!strcmp(i->long_name, long_name))
			return i;
	return NULL;
}

enum rhv_completer rhv_cli_completer(const struct rhv_cmd *cmd, const struct poptOption *o)
{
	const struct rhv_optinfo *info = o->longName ? rhv_cli_optinfo(cmd, o->longName) : NULL;

	if (info && info->comp != RHV_COMP_UNSET)
		return info->comp;
	if (o->argDescrip && strchr(o->argDescrip, '|'))
		return RHV_COMP_ENUM;
	return RHV_COMP_UNSET;
}

/* ---- help ---- */

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
	const struct rhv_cmd *cmd;
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

static void synopsis_opt(const struct poptOption *o, void *arg)
{
	struct synopsis *s = arg;
	const struct rhv_optinfo *info = rhv_cli_optinfo(s->cmd, o->longName);
	bool required = info && (info->flags & RHV_OPT_REQUIRED);
	char a[256] = "";

	if (!o->longName || (o->argInfo & POPT_ARGFLAG_DOC_HIDDEN))
		return;
	if (rhv_cli_takes_arg(o)) {
		a[0] = ' ';
		format_arg(a + 1, sizeof(a) - 1, o->argDescrip);
	}
	if ((o->argInfo & POPT_ARG_MASK) == POPT_ARG_ARGV)
		append(s, required ? " --%s%s..." : " [--%s%s]...", o->longName, a);
	else
		append(s, required ? " --%s%s" : " [--%s%s]", o->longName, a);
}

/* "rhv-dc create <name> [--description <text>] ..." for help, man and completion checks. */
void rhv_cli_synopsis(const struct rhv_program *prog, const struct rhv_cmd *cmd, char *out, size_t len)
{
	struct synopsis s = { .cmd = cmd };

	snprintf(s.buf, sizeof(s.buf), "%s %s", prog->name, cmd->name);
	for (const struct rhv_arg *a = cmd->args; a && a->name; a++) {
		bool opt = a->flags & RHV_ARG_OPTIONAL;

		append(&s, " %s<%s>%s%s", opt ? "[" : "", a->name, opt ? "]" : "", a->flags & RHV_ARG_MULTI ? "..." : "");
	}
	rhv_cli_walk(cmd->opts, synopsis_opt, &s);
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

static void help_opt(const struct poptOption *o, void *arg)
{
	FILE *f = arg;
	char left[320], a[256] = "";

	if (o->argInfo & POPT_ARGFLAG_DOC_HIDDEN)
		return;
	if (rhv_cli_takes_arg(o)) {
		a[0] = ' ';
		format_arg(a + 1, sizeof(a) - 1, o->argDescrip);
	}
	if (o->shortName)
		snprintf(left, sizeof(left), "  -%c, --%s%s", o->shortName, o->longName, a);
	else
		snprintf(left, sizeof(left), "      --%s%s", o->longName, a);
	if (strlen(left) > 28) {
		fprintf(f, "%s\n%30s", left, "");
	} else {
		fprintf(f, "%-30s", left);
	}
	print_wrapped(f, o->descrip ? o->descrip : "", 30, 30);
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
	rhv_cli_walk(rhv_common_opts, help_opt, f);
	rhv_cli_walk(rhv_global_only_opts, help_opt, f);
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
	if (cmd->opts && !is_end(cmd->opts)) {
		fputs("\nOptions:\n", f);
		rhv_cli_walk(cmd->opts, help_opt, f);
	}
	if (cmd->flags & RHV_CMD_OUTPUT) {
		fputs("\nOutput options:\n", f);
		rhv_cli_walk(rhv_output_opts, help_opt, f);
	}
	fputs("\nCommon options:\n", f);
	rhv_cli_walk(rhv_common_opts, help_opt, f);
}

/* ---- messages ---- */

static const struct rhv_program *g_prog;

/* Print one line of user-facing text with its control characters escaped (a name cannot forge a line). */
static void put_line(FILE *f, const char *prefix, const char *text)
{
	_cleanup_free_ char *safe = rhv_escape_controls(text);

	fprintf(f, "%s%s\n", prefix, safe);
}

static void vput_line(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	_cleanup_free_ char *text = NULL;

	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	put_line(f, prefix, text ? text : "out of memory");
}

void rhv_info(const struct rhv_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	va_start(ap, fmt);
	vput_line(stderr, "", fmt, ap);
	va_end(ap);
}

void rhv_warn(const struct rhv_ctx *ctx, const char *fmt, ...)
{
	_cleanup_free_ char *prefix = rhv_xasprintf("%s: warning: ", ctx->prog->name);
	va_list ap;

	va_start(ap, fmt);
	vput_line(stderr, prefix, fmt, ap);
	va_end(ap);
}

static int report(const struct rhv_program *prog, const struct rhv_cmd *cmd, const struct rhv_error *err)
{
	fflush(stdout);
	if (percent_shown)
		fputc('\n', stderr);
	{
		_cleanup_free_ char *prefix = rhv_xasprintf("%s: error: ", prog->name);

		put_line(stderr, prefix, err->message[0] ? err->message : "unknown failure");
	}
	if (err->detail[0])
		put_line(stderr, "detail: ", err->detail);
	if (err->hint[0])
		put_line(stderr, "hint: ", err->hint);
	if (err->usage) {
		if (cmd)
			fprintf(stderr, "Try '%s %s --help' for more information.\n", prog->name, cmd->name);
		else
			fprintf(stderr, "Try '%s --help' for more information.\n", prog->name);
	}
	return err->code ? (int)err->code : RHV_EXIT_FAILED;
}

/* Exit non-zero when stdout could not be written (a full disk, a closed pipe is fine). */
static int close_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return rc;
		fprintf(stderr, "%s: error: write error: %s\n", g_prog ? g_prog->name : "rhv", strerror(errno));
		return rc ? rc : RHV_EXIT_FAILED;
	}
	return rc;
}

/* ---- progress ---- */

static void progress_note(void *arg, const char *msg)
{
	const struct rhv_ctx *ctx = arg;

	if (percent_shown) { /* finish the percentage line first */
		fputc('\n', stderr);
		percent_shown = false;
	}
	if (!ctx->quiet)
		put_line(stderr, "", msg);
}

static void progress_warn(void *arg, const char *msg)
{
	const struct rhv_ctx *ctx = arg;

	if (percent_shown) {
		fputc('\n', stderr);
		percent_shown = false;
	}
	{
		_cleanup_free_ char *prefix = rhv_xasprintf("%s: warning: ", ctx->prog->name);

		put_line(stderr, prefix, msg);
	}
}

static void progress_percent(void *arg, const char *what, int pct)
{
	const struct rhv_ctx *ctx = arg;
	_cleanup_free_ char *safe = NULL;

	if (ctx->quiet || !isatty(STDERR_FILENO))
		return;
	safe = rhv_escape_controls(what);
	fprintf(stderr, "\r%s: %3d%%", safe, pct);
	fflush(stderr);
	percent_shown = true;
}

const struct rhv_progress *rhv_ctx_progress(struct rhv_ctx *ctx)
{
	static struct rhv_progress p;

	p = (struct rhv_progress){ progress_note, progress_percent, progress_warn, ctx };
	return &p;
}

struct rhv_db *rhv_ctx_db(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (!ctx->db)
		ctx->db = rhv_db_open(ctx->db_conninfo, ctx->prog->name,
				      ctx->cmd->flags & RHV_CMD_MUTATES ? RHV_DB_WRITE : 0, err);
	return ctx->db;
}

/* ---- output helpers for handlers ---- */

struct rhv_table *rhv_ctx_table(struct rhv_ctx *ctx, const char *list_key, const char *item_key)
{
	return rhv_table_new(ctx->cmd->columns, ctx->cmd->ncolumns, list_key, item_key);
}

int rhv_ctx_print_list(struct rhv_ctx *ctx, const struct rhv_table *t, struct rhv_error *err)
{
	return rhv_output_list(&ctx->out, t, stdout, err);
}

int rhv_ctx_print_show(struct rhv_ctx *ctx, const struct rhv_table *t, struct rhv_error *err)
{
	return rhv_output_show(&ctx->out, t, stdout, err);
}

/* ---- the verb ---- */

static int popt_error(poptContext pc, int rc, struct rhv_error *err)
{
	const char *opt = poptBadOption(pc, POPT_BADOPTION_NOALIAS);

	switch (rc) {
	case POPT_ERROR_BADOPT:
		return rhv_error_usage(err, "unknown option '%s'", opt);
	case POPT_ERROR_NOARG:
		return rhv_error_usage(err, "option '%s' requires an argument", opt);
	default:
		return rhv_error_usage(err, "option '%s': %s", opt, poptStrerror(rc));
	}
}

struct required_check {
	const struct rhv_cmd *cmd;
	struct rhv_error *err;
};

static void check_required(const struct poptOption *o, void *arg)
{
	struct required_check *rc = arg;
	const struct rhv_optinfo *info = o->longName ? rhv_cli_optinfo(rc->cmd, o->longName) : NULL;

	if (!info || !(info->flags & RHV_OPT_REQUIRED))
		return;
	if (!*(void **)o->arg)
		rhv_error_usage(rc->err, "option '--%s' is required", o->longName);
}

static int check_positionals(const struct rhv_cmd *cmd, int argc, const char **argv, struct rhv_error *err)
{
	int min = 0, max = 0;
	const struct rhv_arg *last = NULL;

	for (const struct rhv_arg *a = cmd->args; a && a->name; a++) {
		max++;
		if (!(a->flags & RHV_ARG_OPTIONAL))
			min++;
		last = a;
	}
	if (argc < min)
		return rhv_error_usage(err, "missing argument <%s>", cmd->args[argc].name);
	if (argc > max && !(last && (last->flags & RHV_ARG_MULTI)))
		return rhv_error_usage(err, "unexpected argument '%s'", argv[max]);
	return 0;
}

/* The kind of object a value of this completer names, or NULL: what a lookup checks it as. */
static const char *object_kind(enum rhv_completer comp)
{
	switch (comp) {
	case RHV_COMP_DC: return "data center";
	case RHV_COMP_CLUSTER: return "cluster";
	case RHV_COMP_HOST: return "host";
	case RHV_COMP_VM: return "VM";
	case RHV_COMP_SD: return "storage domain";
	case RHV_COMP_DISK: return "disk";
	default: return NULL;
	}
}

static void check_name_opt(const struct poptOption *o, void *arg)
{
	struct required_check *rc = arg;
	const char *kind = object_kind(rhv_cli_completer(rc->cmd, o));
	unsigned type = o->argInfo & POPT_ARG_MASK;

	if (!kind || !o->arg)
		return;
	if (type == POPT_ARG_STRING && *(char **)o->arg)
		rhv_check_lookup_name(*(char **)o->arg, kind, rc->err);
	for (char **v = type == POPT_ARG_ARGV ? *(char ***)o->arg : NULL; v && *v; v++)
		rhv_check_lookup_name(*v, kind, rc->err);
}

/*
 * Names of existing objects, as arguments or options, follow the rules of
 * names (UTF-8, no control characters, ...): checked before the store is
 * even opened, so a bad one is a usage error and never reaches a query.
 */
static int check_object_names(const struct rhv_cmd *cmd, int argc, const char **argv, struct rhv_error *err)
{
	const struct rhv_arg *a = cmd->args;
	struct required_check c = { cmd, err };

	for (int i = 0; a && a->name && i < argc; i++) {
		const char *kind = object_kind(a->comp);

		if (kind && rhv_check_lookup_name(argv[i], kind, err) < 0)
			return -1;
		if (!(a->flags & RHV_ARG_MULTI))
			a++;
	}
	rhv_cli_walk(cmd->opts, check_name_opt, &c);
	return err->code ? -1 : 0;
}

/* Overwrite the bytes of an argument in place: /proc/PID/cmdline (ps) shows what is there now. */
static void blank_arg(char *s)
{
	memset(s, '*', strlen(s));
}

/*
 * Clear a --db value that holds a password from our own argv, as soon as
 * both passes of popt have copied it: a long-running command (monitor
 * --every) would show it to every user in ps for hours.  Passwords belong
 * in ~/.pgpass or a service file instead (rhv-db(1)).
 */
static void hide_db_password(void)
{
	for (int i = 1; i < g_argc; i++) {
		char *v = !strcmp(g_argv[i], "--db") && i + 1 < g_argc ? g_argv[i + 1]
			  : !strncmp(g_argv[i], "--db=", 5)           ? g_argv[i] + 5
								       : NULL;

		if (v && rhv_store_has_secret(v))
			blank_arg(v);
	}
}

static int run_verb(struct rhv_ctx *ctx, int argc, const char **argv, struct rhv_error *err)
{
	const struct rhv_cmd *cmd = ctx->cmd;
	struct poptOption table[4];
	poptContext pc;
	const char **rest;
	int rc;

	rhv_cli_compose(cmd, table);
	pc = poptGetContext(ctx->prog->name, argc, argv, table, 0);
	while ((rc = poptGetNextOpt(pc)) > 0)
		;
	if (rc < -1) {
		popt_error(pc, rc, err);
		poptFreeContext(pc);
		return -1;
	}
	if (g.help) {
		poptFreeContext(pc);
		rhv_cli_verb_help(ctx->prog, cmd, stdout);
		return 0;
	}
	rest = poptGetArgs(pc);
	ctx->argc = 0;
	while (rest && rest[ctx->argc])
		ctx->argc++;
	/* copy: the strings outlive the popt context */
	ctx->argv = rhv_xcalloc((size_t)ctx->argc + 1, sizeof(char *));
	for (int i = 0; i < ctx->argc; i++)
		ctx->argv[i] = rhv_xstrdup(rest[i]);
	poptFreeContext(pc);
	ctx->quiet = g.quiet;
	ctx->debug = g.debug;
	ctx->db_conninfo = g.db; /* popt's copy */
	hide_db_password();
	ctx->out = g_out;
	rhv_db_set_debug(g.debug);

	/* the columns can be listed without naming an object */
	if ((cmd->flags & RHV_CMD_OUTPUT) && ctx->out.list_columns)
		return rhv_output_columns(&ctx->out, cmd->columns, cmd->ncolumns, stdout, err);
	if (check_positionals(cmd, ctx->argc, ctx->argv, err) < 0)
		return -1;
	{
		struct required_check c = { cmd, err };

		rhv_cli_walk(cmd->opts, check_required, &c);
		if (err->code)
			return -1;
	}
	if (check_object_names(cmd, ctx->argc, ctx->argv, err) < 0)
		return -1;
	if ((cmd->flags & RHV_CMD_OUTPUT) && rhv_output_check(&ctx->out, cmd->columns, cmd->ncolumns, err) < 0)
		return -1;
	if (cmd->flags & RHV_CMD_NEEDS_DB) {
		unsigned flags = (cmd->flags & RHV_CMD_MUTATES ? RHV_DB_WRITE : 0) |
				 (cmd->flags & RHV_CMD_ANY_SCHEMA ? RHV_DB_ANY_SCHEMA : 0);

		ctx->db = rhv_db_open(ctx->db_conninfo, ctx->prog->name, flags, err);
		if (!ctx->db)
			return -1;
	}
	return cmd->handler(ctx, err);
}

static const struct rhv_cmd *find_cmd(const struct rhv_program *prog, const char *name)
{
	for (const struct rhv_cmd *c = prog->cmds; name && c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int rhv_main(int argc, char **argv, const struct rhv_program *prog)
{
	struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)rhv_common_opts, 0, NULL, NULL },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)rhv_global_only_opts, 0, NULL, NULL },
		POPT_TABLEEND,
	};
	struct rhv_ctx ctx = { .prog = prog };
	struct rhv_error err = { 0 };
	const char **rest;
	const char *verb;
	poptContext pc;
	int rc, nrest = 0;

	g_prog = prog;
	g_argc = argc;
	g_argv = argv;
	/* a closed pipe or a dead libvirt socket is an error to report, not a death */
	signal(SIGPIPE, SIG_IGN);
	pc = poptGetContext(prog->name, argc, (const char **)argv, table, POPT_CONTEXT_POSIXMEHARDER);
	while ((rc = poptGetNextOpt(pc)) > 0)
		;
	if (rc < -1) {
		popt_error(pc, rc, &err);
		poptFreeContext(pc);
		return close_stdout(report(prog, NULL, &err));
	}
	rest = poptGetArgs(pc);
	while (rest && rest[nrest])
		nrest++;
	verb = nrest ? rest[0] : NULL;
	if (g.version) {
		printf("%s (%s) %s\n", prog->name, RHV_PACKAGE, RHV_VERSION);
		rc = 0;
	} else if (g.dump_help) {
		rhv_cli_dump_help(prog, stdout);
		rc = 0;
	} else if (g.self_test) {
		rc = rhv_cli_self_test(prog, stdout) == 0 ? 0 : RHV_EXIT_FAILED;
	} else if (verb && !strcmp(verb, "__complete")) {
		rc = rhv_cli_complete(prog, nrest - 1, rest + 1);
	} else if (g.help || (verb && !strcmp(verb, "help") && nrest == 1)) {
		rhv_cli_program_help(prog, stdout);
		rc = 0;
	} else if (verb && !strcmp(verb, "help")) {
		ctx.cmd = find_cmd(prog, rest[1]);
		if (ctx.cmd && nrest == 2) {
			rhv_cli_verb_help(prog, ctx.cmd, stdout);
			rc = 0;
		} else {
			ctx.cmd = NULL;
			if (nrest > 2)
				rhv_error_usage(&err, "unexpected argument '%s'", rest[2]);
			else
				rhv_error_usage(&err, "unknown command '%s'", rest[1]);
			rc = report(prog, NULL, &err);
		}
	} else if (!verb) {
		rhv_error_usage(&err, "no command given");
		rc = report(prog, NULL, &err);
	} else if (!(ctx.cmd = find_cmd(prog, verb))) {
		rhv_error_usage(&err, "unknown command '%s'", verb);
		rc = report(prog, NULL, &err);
	} else {
		rc = run_verb(&ctx, nrest, rest, &err) == 0 ? 0 : report(prog, ctx.cmd, &err);
	}
	poptFreeContext(pc);
	rhv_db_close(ctx.db);
	for (int i = 0; i < ctx.argc; i++)
		free((char *)ctx.argv[i]);
	free(ctx.argv);
	return close_stdout(rc);
}
