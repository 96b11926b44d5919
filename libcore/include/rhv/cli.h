/*
 * The command engine.  Each binary declares one table of verbs; the engine
 * drives popt parsing, help, completion, the table self-test and error
 * reporting from it.  main() is one line: return rhv_main(argc, argv, &prog);
 */
#pragma once

#include <popt.h>
#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/output.h"
#include "rhv/progress.h"

struct rhv_db;

enum rhv_cmd_flag {
	RHV_CMD_NEEDS_DB = 1 << 0, /* open the store before the handler runs */
	RHV_CMD_MUTATES = 1 << 1,  /* writes: refused on a schema newer than ours */
	RHV_CMD_OUTPUT = 1 << 2,   /* takes -o/-c/-H/--list-columns */
	RHV_CMD_HIDDEN = 1 << 3,   /* not listed in help or completion */
	RHV_CMD_ANY_SCHEMA = 1 << 4, /* runs on an old or missing schema (rhv-db) */
};

/* What values an argument or option takes, for completion and the self-test. */
enum rhv_completer {
	RHV_COMP_UNSET = 0,  /* the self-test rejects a string option left like this */
	RHV_COMP_FREE,       /* free text: nothing to complete */
	RHV_COMP_ENUM,       /* the choices are the option's argDescrip, "a|b|c" */
	RHV_COMP_FILE,
	RHV_COMP_DC,
	RHV_COMP_CLUSTER,
	RHV_COMP_CPU_TYPE,
	RHV_COMP_POLICY,
	RHV_COMP_POLICY_PARAM,
	RHV_COMP_SEVERITY,
	RHV_COMP_OBJECT_TYPE,
	RHV_COMP_SETTING,
	RHV_COMP_HOST,
	RHV_COMP_VM,
	RHV_COMP_NETWORK,
	RHV_COMP_SD,   /* storage domain names */
	RHV_COMP_DISK, /* disk names */
	RHV_COMP_ISO,  /* ISO files of the active ISO domains */
};

enum rhv_arg_flag {
	RHV_ARG_OPTIONAL = 1 << 0,
	RHV_ARG_MULTI = 1 << 1, /* may repeat; last positional only */
};

struct rhv_arg {
	const char *name; /* shown as <name> */
	unsigned flags;
	enum rhv_completer comp;
};

enum rhv_opt_flag {
	RHV_OPT_REQUIRED = 1 << 0, /* the engine refuses the verb without it */
};

/* Per-option facts popt has no room for, keyed by long name. */
struct rhv_optinfo {
	const char *long_name;
	enum rhv_completer comp;
	unsigned flags;
};

struct rhv_ctx;
typedef int (*rhv_handler)(struct rhv_ctx *ctx, struct rhv_error *err);

struct rhv_cmd {
	const char *name;
	rhv_handler handler;
	const struct poptOption *opts; /* verb options; NULL or POPT_TABLEEND-terminated */
	const struct rhv_optinfo *optinfo; /* {NULL}-terminated, may be NULL */
	const struct rhv_arg *args;        /* {NULL}-terminated, may be NULL */
	const struct rhv_column *columns;  /* for RHV_CMD_OUTPUT verbs */
	size_t ncolumns;
	const char *summary;     /* one line, lowercase, no period */
	const char *description; /* a paragraph for help VERB */
	unsigned flags;
};

struct rhv_program {
	const char *name;    /* "rhv-dc" */
	const char *summary; /* one line */
	const struct rhv_cmd *cmds; /* {NULL}-terminated */
};

struct rhv_ctx {
	const struct rhv_program *prog;
	const struct rhv_cmd *cmd;
	struct rhv_output_opts out;
	int quiet;
	int debug;
	const char *db_conninfo; /* --db */
	int argc;                /* positionals after the verb */
	const char **argv;
	struct rhv_db *db;       /* opened when the verb has RHV_CMD_NEEDS_DB */
};

int rhv_main(int argc, char **argv, const struct rhv_program *prog);

/* Progress chatter on stderr, silenced by -q. */
void rhv_info(const struct rhv_ctx *ctx, const char *fmt, ...) RHV_PRINTF(2, 3);
/* A warning on stderr ("rhv-x: warning: ..."), never silenced. */
void rhv_warn(const struct rhv_ctx *ctx, const char *fmt, ...) RHV_PRINTF(2, 3);

/* The store, opened now if the verb did not ask for it up front (offline-capable verbs). */
struct rhv_db *rhv_ctx_db(struct rhv_ctx *ctx, struct rhv_error *err);

/* The progress sink of this invocation: notes unless -q, percentages on a terminal. */
const struct rhv_progress *rhv_ctx_progress(struct rhv_ctx *ctx);

/* Render a filled table as the verb's listing or single object. */
int rhv_ctx_print_list(struct rhv_ctx *ctx, const struct rhv_table *t, struct rhv_error *err);
int rhv_ctx_print_show(struct rhv_ctx *ctx, const struct rhv_table *t, struct rhv_error *err);
/* A table over the verb's own columns. */
struct rhv_table *rhv_ctx_table(struct rhv_ctx *ctx, const char *list_key, const char *item_key);

