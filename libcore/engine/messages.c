/*
 * What a verb says on stderr: progress notes, warnings, the one error at
 * the top, percentages on a terminal; and the context handlers use.
 */
#include "rhv/common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cli-priv.h"
#include "rhv/cleanup.h"

/* a percentage line is on stderr and needs its newline */
static bool percent_shown;

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

int rhv_cli_report(const struct rhv_program *prog, const struct rhv_cmd *cmd, const struct rhv_error *err)
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

int rhv_cli_close_stdout(const struct rhv_program *prog, int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return rc;
		fprintf(stderr, "%s: error: write error: %s\n", prog ? prog->name : "rhv", strerror(errno));
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

/* ---- the store and output for handlers ---- */

struct rhv_db *rhv_ctx_db(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (!ctx->db && !ctx->prog->session)
		rhv_error_set(err, RHV_EXIT_FAILED, "%s has no store", ctx->prog->name);
	else if (!ctx->db)
		ctx->db = ctx->prog->session->open(ctx->db_conninfo, ctx->prog->name,
						   ctx->cmd->flags & RHV_CMD_MUTATES, false, err);
	return ctx->db;
}

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

/* ---- a verb's objects as rows ---- */

static int print_rows(struct rhv_ctx *ctx, const struct rhv_rows *rows, const void *items, size_t n, bool one,
		      struct rhv_error *err)
{
	struct rhv_table *t = rhv_ctx_table(ctx, rows->list_key, rows->item_key);
	const char *item = items;
	int rc;

	for (size_t i = 0; i < n; i++, item += rows->size)
		rows->add(t, item, one);
	rc = one ? rhv_ctx_print_show(ctx, t, err) : rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	return rc;
}

int rhv_ctx_print_items(struct rhv_ctx *ctx, const struct rhv_rows *rows, const void *items, size_t n,
			struct rhv_error *err)
{
	return print_rows(ctx, rows, items, n, false, err);
}

int rhv_ctx_print_item(struct rhv_ctx *ctx, const struct rhv_rows *rows, const void *item, struct rhv_error *err)
{
	return print_rows(ctx, rows, item, 1, true, err);
}
