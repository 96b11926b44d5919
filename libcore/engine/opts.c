/*
 * Option rows: the engine's own options (--db, -q, output options, ...),
 * walking a verb's tables, and the generic completers.
 */
#include "rhv/common.h"

#include <string.h>

#include "engine/cli-priv.h"

struct rhv_cli_globals rhv_cli_g;

const struct rhv_completer rhv_complete_free = { .names = NULL, .complete = NULL };
const struct rhv_completer rhv_complete_file = { .names = NULL, .complete = NULL };
const struct rhv_completer rhv_complete_choices = { .names = NULL, .complete = NULL };

const struct rhv_opt rhv_cli_common_opts[] = {
	{ .name = "db", .kind = RHV_OPT_STRING, .target = &rhv_cli_g.db,
	  .help = "the store: a libpq conninfo string or URI (service=NAME for a service)", .arg = "conninfo",
	  .complete = RHV_FREE },
	{ .name = "quiet", .short_name = 'q', .kind = RHV_OPT_FLAG, .target = &rhv_cli_g.quiet,
	  .help = "print no progress messages" },
	{ .name = "debug", .kind = RHV_OPT_FLAG, .target = &rhv_cli_g.debug,
	  .help = "show the query behind a store error" },
	{ .name = "help", .short_name = 'h', .kind = RHV_OPT_FLAG, .target = &rhv_cli_g.help,
	  .help = "show this help and exit" },
	RHV_OPT_END,
};

const struct rhv_opt rhv_cli_global_only_opts[] = {
	{ .name = "version", .short_name = 'V', .kind = RHV_OPT_FLAG, .target = &rhv_cli_g.version,
	  .help = "show the version and exit" },
	{ .name = "dump-help", .kind = RHV_OPT_FLAG, .target = &rhv_cli_g.dump_help,
	  .help = "dump every verb's synopsis", .hidden = true },
	{ .name = "self-test", .kind = RHV_OPT_FLAG, .target = &rhv_cli_g.self_test,
	  .help = "check the command table", .hidden = true },
	RHV_OPT_END,
};

const struct rhv_opt rhv_cli_output_opts[] = {
	{ .name = "output", .short_name = 'o', .kind = RHV_OPT_STRING, .target = &rhv_cli_g.out.format,
	  .help = "output format", .arg = "table|json|tsv" },
	{ .name = "columns", .short_name = 'c', .kind = RHV_OPT_STRING, .target = &rhv_cli_g.out.columns,
	  .help = "columns to show; +COL adds to the defaults", .arg = "list", .complete = RHV_FREE },
	{ .name = "no-headers", .short_name = 'H', .kind = RHV_OPT_FLAG, .target = &rhv_cli_g.out.no_headers,
	  .help = "print no header line" },
	{ .name = "list-columns", .kind = RHV_OPT_FLAG, .target = &rhv_cli_g.out.list_columns,
	  .help = "list the available columns and exit" },
	RHV_OPT_END,
};

void rhv_cli_verb_tables(const struct rhv_cmd *cmd, const struct rhv_opt *out[4])
{
	size_t n = 0;

	if (cmd->opts)
		out[n++] = cmd->opts;
	if (cmd->flags & RHV_CMD_OUTPUT)
		out[n++] = rhv_cli_output_opts;
	out[n++] = rhv_cli_common_opts;
	out[n] = NULL;
}

void rhv_cli_walk_table(const struct rhv_opt *t, void (*fn)(const struct rhv_opt *, void *), void *arg)
{
	for (; t && t->name; t++)
		fn(t, arg);
}

void rhv_cli_walk(const struct rhv_opt *const *tables, void (*fn)(const struct rhv_opt *, void *), void *arg)
{
	for (; *tables; tables++)
		rhv_cli_walk_table(*tables, fn, arg);
}

bool rhv_cli_takes_arg(const struct rhv_opt *o)
{
	return o->kind != RHV_OPT_FLAG;
}

const struct rhv_completer *rhv_cli_completer(const struct rhv_opt *o)
{
	if (o->complete)
		return o->complete;
	if (o->arg && strchr(o->arg, '|'))
		return RHV_CHOICES;
	return NULL;
}

struct find_opt {
	const char *word; /* "--db" or "-c" */
	const struct rhv_opt *found;
};

static void find_opt_cb(const struct rhv_opt *o, void *arg)
{
	struct find_opt *f = arg;

	if (f->word[1] == '-' ? !strcmp(f->word + 2, o->name)
			      : (o->short_name && f->word[1] == o->short_name && !f->word[2]))
		f->found = o;
}

const struct rhv_opt *rhv_cli_find_opt(const struct rhv_opt *const *tables, const char *word)
{
	struct find_opt f = { word, NULL };

	if (word[0] == '-' && word[1] && !strchr(word, '='))
		rhv_cli_walk(tables, find_opt_cb, &f);
	return f.found;
}
