/* Engine internals shared by its files: option rows, parsing, help, completion, self-test, messages. */
#pragma once

#include <stdio.h>
#include "rhv/cli.h"

/* ---- opts.c: the engine's own options and walking option rows ---- */

/* What the engine's own options set. */
struct rhv_cli_globals {
	char *db;
	int quiet, debug, help, version, dump_help, self_test;
	struct rhv_output_opts out;
};
extern struct rhv_cli_globals rhv_cli_g;

extern const struct rhv_opt rhv_cli_common_opts[];      /* every verb and before it */
extern const struct rhv_opt rhv_cli_global_only_opts[]; /* only before the verb */
extern const struct rhv_opt rhv_cli_output_opts[];      /* RHV_CMD_OUTPUT verbs */

/* The option tables a verb takes, NULL-terminated: its own, output, common. */
void rhv_cli_verb_tables(const struct rhv_cmd *cmd, const struct rhv_opt *out[4]);
/* Call fn for every option of a NULL-terminated list of tables. */
void rhv_cli_walk(const struct rhv_opt *const *tables, void (*fn)(const struct rhv_opt *, void *), void *arg);
/* The same for one table (may be NULL). */
void rhv_cli_walk_table(const struct rhv_opt *t, void (*fn)(const struct rhv_opt *, void *), void *arg);
bool rhv_cli_takes_arg(const struct rhv_opt *o);
/* The option's completer: its own, the choices of its .arg, or NULL. */
const struct rhv_completer *rhv_cli_completer(const struct rhv_opt *o);
/* The option named by a word of the command line ("--db", "-c"), or NULL. */
const struct rhv_opt *rhv_cli_find_opt(const struct rhv_opt *const *tables, const char *word);

/* ---- parse.c: the command line, through popt ---- */

/*
 * Parse the options of tables out of argv (argv[0] is skipped); the words
 * left over are copied to *rest (free with rhv_cli_free_words).  stop_at_word:
 * stop at the first word that is not an option (the verb).
 */
int rhv_cli_parse(const char *prog, int argc, const char **argv, const struct rhv_opt *const *tables,
		  bool stop_at_word, char ***rest, int *nrest, struct rhv_error *err);
void rhv_cli_free_words(char **words, int n);

/* ---- help.c ---- */

void rhv_cli_synopsis(const struct rhv_program *prog, const struct rhv_cmd *cmd, char *out, size_t len);
void rhv_cli_program_help(const struct rhv_program *prog, FILE *f);
void rhv_cli_verb_help(const struct rhv_program *prog, const struct rhv_cmd *cmd, FILE *f);
void rhv_cli_dump_help(const struct rhv_program *prog, FILE *f);

/* ---- selftest.c ---- */

/* Returns: 0 when the table is sound, -1 after printing each problem. */
int rhv_cli_self_test(const struct rhv_program *prog, FILE *f);

/* ---- complete.c ---- */

/* words: what follows "__complete" (an optional "--", then the command line, the last word partial). */
int rhv_cli_complete(const struct rhv_program *prog, int n, const char *const *words);

/* ---- messages.c: errors, warnings and progress on stderr ---- */

/* Print the error; returns the exit code. */
int rhv_cli_report(const struct rhv_program *prog, const struct rhv_cmd *cmd, const struct rhv_error *err);
/* Exit non-zero when stdout could not be written (a full disk; a closed pipe is fine). */
int rhv_cli_close_stdout(const struct rhv_program *prog, int rc);
