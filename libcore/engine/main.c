/*
 * rhv_main: two passes over the command line (global options up to the
 * verb, then the verb's own table), the checks every verb gets before its
 * handler runs, and the one error reported at the top.
 */
#include "rhv/common.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli-priv.h"
#include "rhv/validate.h"

/* main's own argv, whose --db value is cleared once parsed */
static int g_argc;
static char **g_argv;

static void check_required(const struct rhv_opt *o, void *arg)
{
	struct rhv_error *err = arg;

	if (o->required && !*(void **)o->target)
		rhv_error_usage(err, "option '--%s' is required", o->name);
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
static const char *names_of(const struct rhv_completer *comp)
{
	return comp ? comp->names : NULL;
}

static void check_name_opt(const struct rhv_opt *o, void *arg)
{
	struct rhv_error *err = arg;
	const char *kind = names_of(rhv_cli_completer(o));

	if (!kind || !o->target)
		return;
	if (o->kind == RHV_OPT_STRING && *(char **)o->target)
		rhv_check_lookup_name(*(char **)o->target, kind, err);
	for (char **v = o->kind == RHV_OPT_LIST ? *(char ***)o->target : NULL; v && *v; v++)
		rhv_check_lookup_name(*v, kind, err);
}

/*
 * Names of existing objects, as arguments or options, follow the rules of
 * names (UTF-8, no control characters, ...): checked before the store is
 * even opened, so a bad one is a usage error and never reaches a query.
 */
static int check_object_names(const struct rhv_cmd *cmd, int argc, const char **argv, struct rhv_error *err)
{
	const struct rhv_arg *a = cmd->args;

	for (int i = 0; a && a->name && i < argc; i++) {
		const char *kind = names_of(a->complete);

		if (kind && rhv_check_lookup_name(argv[i], kind, err) < 0)
			return -1;
		if (!(a->flags & RHV_ARG_MULTI))
			a++;
	}
	rhv_cli_walk_table(cmd->opts, check_name_opt, err);
	return err->code ? -1 : 0;
}

/* Overwrite the bytes of an argument in place: /proc/PID/cmdline (ps) shows what is there now. */
static void blank_arg(char *s)
{
	memset(s, '*', strlen(s));
}

/*
 * Clear a --db value that holds a password from our own argv, as soon as
 * both passes have copied it: a long-running command (monitor --every)
 * would show it to every user in ps for hours.  Passwords belong in
 * ~/.pgpass or a service file instead (rhv-db(1)).
 */
static void hide_db_password(const struct rhv_session *session)
{
	for (int i = 1; session && i < g_argc; i++) {
		char *v = !strcmp(g_argv[i], "--db") && i + 1 < g_argc ? g_argv[i + 1]
			  : !strncmp(g_argv[i], "--db=", 5)           ? g_argv[i] + 5
								       : NULL;

		if (v && session->has_secret(v))
			blank_arg(v);
	}
}

static int run_verb(struct rhv_ctx *ctx, int argc, const char **argv, struct rhv_error *err)
{
	const struct rhv_cmd *cmd = ctx->cmd;
	const struct rhv_session *session = ctx->prog->session;
	const struct rhv_opt *tables[4];
	char **rest;

	rhv_cli_verb_tables(cmd, tables);
	if (rhv_cli_parse(ctx->prog->name, argc, argv, tables, false, &rest, &ctx->argc, err) < 0)
		return -1;
	ctx->argv = (const char **)rest;
	if (rhv_cli_g.help) {
		rhv_cli_verb_help(ctx->prog, cmd, stdout);
		return 0;
	}
	ctx->quiet = rhv_cli_g.quiet;
	ctx->debug = rhv_cli_g.debug;
	ctx->db_conninfo = rhv_cli_g.db; /* the parser's copy */
	hide_db_password(session);
	ctx->out = rhv_cli_g.out;
	if (session)
		session->set_debug(rhv_cli_g.debug);

	/* the columns can be listed without naming an object */
	if ((cmd->flags & RHV_CMD_OUTPUT) && ctx->out.list_columns)
		return rhv_output_columns(&ctx->out, cmd->columns, cmd->ncolumns, stdout, err);
	if (check_positionals(cmd, ctx->argc, ctx->argv, err) < 0)
		return -1;
	rhv_cli_walk_table(cmd->opts, check_required, err);
	if (err->code)
		return -1;
	if (check_object_names(cmd, ctx->argc, ctx->argv, err) < 0)
		return -1;
	if ((cmd->flags & RHV_CMD_OUTPUT) && rhv_output_check(&ctx->out, cmd->columns, cmd->ncolumns, err) < 0)
		return -1;
	if (cmd->flags & RHV_CMD_NEEDS_DB) {
		if (!session)
			return rhv_error_set(err, RHV_EXIT_FAILED, "%s has no store", ctx->prog->name);
		ctx->db = session->open(ctx->db_conninfo, ctx->prog->name, cmd->flags & RHV_CMD_MUTATES,
					cmd->flags & RHV_CMD_ANY_SCHEMA, err);
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
	const struct rhv_opt *global[] = { rhv_cli_common_opts, rhv_cli_global_only_opts, NULL };
	struct rhv_ctx ctx = { .prog = prog };
	struct rhv_error err = { 0 };
	char **rest = NULL;
	const char *verb;
	int rc, nrest = 0;

	g_argc = argc;
	g_argv = argv;
	/* a closed pipe or a dead libvirt socket is an error to report, not a death */
	signal(SIGPIPE, SIG_IGN);
	if (rhv_cli_parse(prog->name, argc, (const char **)argv, global, true, &rest, &nrest, &err) < 0)
		return rhv_cli_close_stdout(prog, rhv_cli_report(prog, NULL, &err));
	verb = nrest ? rest[0] : NULL;
	if (rhv_cli_g.version) {
		printf("%s (%s) %s\n", prog->name, RHV_PACKAGE, RHV_VERSION);
		rc = 0;
	} else if (rhv_cli_g.dump_help) {
		rhv_cli_dump_help(prog, stdout);
		rc = 0;
	} else if (rhv_cli_g.self_test) {
		rc = rhv_cli_self_test(prog, stdout) == 0 ? 0 : RHV_EXIT_FAILED;
	} else if (verb && !strcmp(verb, "__complete")) {
		rc = rhv_cli_complete(prog, nrest - 1, (const char *const *)rest + 1);
	} else if (rhv_cli_g.help || (verb && !strcmp(verb, "help") && nrest == 1)) {
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
			rc = rhv_cli_report(prog, NULL, &err);
		}
	} else if (!verb) {
		rhv_error_usage(&err, "no command given");
		rc = rhv_cli_report(prog, NULL, &err);
	} else if (!(ctx.cmd = find_cmd(prog, verb))) {
		rhv_error_usage(&err, "unknown command '%s'", verb);
		rc = rhv_cli_report(prog, NULL, &err);
	} else {
		rc = run_verb(&ctx, nrest, (const char **)rest, &err) == 0 ? 0 : rhv_cli_report(prog, ctx.cmd, &err);
	}
	rhv_cli_free_words(rest, nrest);
	if (ctx.db)
		prog->session->close(ctx.db);
	rhv_cli_free_words((char **)ctx.argv, ctx.argc);
	return rhv_cli_close_stdout(prog, rc);
}
