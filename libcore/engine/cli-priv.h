/* Engine internals shared by cli.c and cli-tools.c (help dump, self-test, completion). */
#pragma once

#include <popt.h>
#include <stdio.h>
#include "rhv/cli.h"

extern const struct poptOption rhv_common_opts[];
extern const struct poptOption rhv_output_opts[];
extern const struct poptOption rhv_global_only_opts[];

/* The verb's table plus the output and common tables, as popt sees it. */
void rhv_cli_compose(const struct rhv_cmd *cmd, struct poptOption out[4]);
/* Call fn for every option, descending into included tables. */
void rhv_cli_walk(const struct poptOption *t, void (*fn)(const struct poptOption *, void *), void *arg);
bool rhv_cli_takes_arg(const struct poptOption *o);
const struct rhv_optinfo *rhv_cli_optinfo(const struct rhv_cmd *cmd, const char *long_name);
enum rhv_completer rhv_cli_completer(const struct rhv_cmd *cmd, const struct poptOption *o);
void rhv_cli_synopsis(const struct rhv_program *prog, const struct rhv_cmd *cmd, char *out, size_t len);
void rhv_cli_program_help(const struct rhv_program *prog, FILE *f);
void rhv_cli_verb_help(const struct rhv_program *prog, const struct rhv_cmd *cmd, FILE *f);

void rhv_cli_dump_help(const struct rhv_program *prog, FILE *f);
/* Returns: 0 when the table is sound, -1 after printing each problem. */
int rhv_cli_self_test(const struct rhv_program *prog, FILE *f);
/* words: what follows "__complete" (an optional "--", then the command line, the last word partial). */
int rhv_cli_complete(const struct rhv_program *prog, int n, const char **words);
