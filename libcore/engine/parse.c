/*
 * The command line, through popt: the only file of the engine that knows
 * popt.  Option rows are turned into a popt table for the one parse.
 */
#include "rhv/common.h"

#include <popt.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli-priv.h"

static int popt_kind(enum rhv_opt_kind kind)
{
	switch (kind) {
	case RHV_OPT_STRING: return POPT_ARG_STRING;
	case RHV_OPT_INT: return POPT_ARG_INT;
	case RHV_OPT_LIST: return POPT_ARG_ARGV;
	case RHV_OPT_FLAG:
	default: return POPT_ARG_NONE;
	}
}

struct popt_rows {
	struct poptOption *rows;
	size_t n, cap;
};

static struct poptOption *next_row(struct popt_rows *p)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 32;
		p->rows = rhv_xrealloc(p->rows, p->cap * sizeof(*p->rows));
	}
	return &p->rows[p->n++];
}

static void add_row(const struct rhv_opt *o, void *arg)
{
	*next_row(arg) = (struct poptOption){ o->name, o->short_name, popt_kind(o->kind), o->target, 0, o->help,
					       o->arg };
}

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

int rhv_cli_parse(const char *prog, int argc, const char **argv, const struct rhv_opt *const *tables,
		  bool stop_at_word, char ***rest, int *nrest, struct rhv_error *err)
{
	struct popt_rows p = { 0 };
	const char **left;
	poptContext pc;
	int rc, n = 0;

	*rest = NULL;
	*nrest = 0;
	rhv_cli_walk(tables, add_row, &p);
	*next_row(&p) = (struct poptOption)POPT_TABLEEND;
	pc = poptGetContext(prog, argc, argv, p.rows, stop_at_word ? POPT_CONTEXT_POSIXMEHARDER : 0);
	while ((rc = poptGetNextOpt(pc)) > 0)
		;
	if (rc < -1) {
		popt_error(pc, rc, err);
		poptFreeContext(pc);
		free(p.rows);
		return -1;
	}
	left = poptGetArgs(pc);
	while (left && left[n])
		n++;
	/* copy: the words outlive the popt context */
	*rest = rhv_xcalloc((size_t)n + 1, sizeof(char *));
	for (int i = 0; i < n; i++)
		(*rest)[i] = rhv_xstrdup(left[i]);
	*nrest = n;
	poptFreeContext(pc);
	free(p.rows);
	return 0;
}

void rhv_cli_free_words(char **words, int n)
{
	for (int i = 0; i < n; i++)
		free(words[i]);
	free(words);
}
