/*
 * The command engine.  Each binary declares one table of verbs; the engine
 * drives option parsing, help, completion, the table self-test and error
 * reporting from it.  main() is one line: return rhv_main(argc, argv, &prog);
 *
 * The tables are plain rows with designated initializers: the engine knows
 * rows, columns and options, never what the values name.  What a value can
 * be completed to comes from a completer on its row (rhv/completer.h),
 * supplied by the module that knows those objects.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/completer.h"
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

/* What an option takes, and so what its target points to. */
enum rhv_opt_kind {
	RHV_OPT_FLAG = 1, /* no value; int *target set to 1 */
	RHV_OPT_STRING,   /* char **target */
	RHV_OPT_INT,      /* int *target */
	RHV_OPT_LIST,     /* repeatable; char ***target, NULL-terminated */
};

/* One option of a verb. */
struct rhv_opt {
	const char *name; /* the long name, without "--" */
	char short_name;  /* or 0 */
	enum rhv_opt_kind kind;
	void *target;
	const char *help;
	const char *arg; /* what the value is, shown as <arg>; "a|b|c" lists the choices */
	/* the values it takes; may be left out only when .arg lists the choices */
	const struct rhv_completer *complete;
	bool required; /* the engine refuses the verb without it */
	bool hidden;   /* left out of help, the man-page dump and completion */
};
#define RHV_OPT_END { .name = NULL }

enum rhv_arg_flag {
	RHV_ARG_OPTIONAL = 1 << 0,
	RHV_ARG_MULTI = 1 << 1, /* may repeat; last positional only */
};

/* One positional argument of a verb. */
struct rhv_arg {
	const char *name; /* shown as <name> */
	unsigned flags;
	const struct rhv_completer *complete;
};
#define RHV_ARG_END { .name = NULL }

struct rhv_ctx;
typedef int (*rhv_handler)(struct rhv_ctx *ctx, struct rhv_error *err);

struct rhv_cmd {
	const char *name;
	rhv_handler handler;
	const struct rhv_opt *opts;       /* RHV_OPT_END-terminated, may be NULL */
	const struct rhv_arg *args;       /* RHV_ARG_END-terminated, may be NULL */
	const struct rhv_column *columns; /* for RHV_CMD_OUTPUT verbs: RHV_COLUMNS(array) */
	size_t ncolumns;
	const char *summary;     /* one line, lowercase, no period */
	const char *description; /* a paragraph for help VERB */
	unsigned flags;
};
#define RHV_COLUMNS(array) .columns = (array), .ncolumns = RHV_ARRAY_SIZE(array)
#define RHV_CMD_END { .name = NULL }

/*
 * How the engine reaches the store without knowing it: the store module
 * supplies these (rhv/store-session.h) and the program names them.
 */
struct rhv_session {
	struct rhv_db *(*open)(const char *conninfo, const char *prog, bool write, bool any_schema,
			       struct rhv_error *err);
	/* for completion: never starts a server, any schema; NULL when there is none */
	struct rhv_db *(*open_quiet)(const char *conninfo);
	void (*close)(struct rhv_db *db);
	void (*set_debug)(bool on);
	/* a conninfo that holds a password: the engine blanks it from argv */
	bool (*has_secret)(const char *conninfo);
};

struct rhv_program {
	const char *name;    /* "rhv-dc" */
	const char *summary; /* one line */
	const struct rhv_cmd *cmds; /* RHV_CMD_END-terminated */
	const struct rhv_session *session;
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

/*
 * How a verb turns its objects into rows: the JSON keys, the size of one
 * object in an array, and the function that adds one object's row (one:
 * the object is shown alone, by 'show', and may fill more columns).
 */
struct rhv_rows {
	const char *list_key, *item_key;
	size_t size;
	void (*add)(struct rhv_table *t, const void *item, bool one);
};
/* An array of n objects as the verb's listing / one object as 'show' prints it. */
int rhv_ctx_print_items(struct rhv_ctx *ctx, const struct rhv_rows *rows, const void *items, size_t n,
			struct rhv_error *err);
int rhv_ctx_print_item(struct rhv_ctx *ctx, const struct rhv_rows *rows, const void *item, struct rhv_error *err);
