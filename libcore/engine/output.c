#include "rhv/common.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rhv/cleanup.h"
#include "rhv/output.h"
#include "rhv/parse.h"
#include "util/util-priv.h"

struct rhv_table {
	const struct rhv_column *cols;
	size_t ncols;
	const char *list_key;
	const char *item_key;
	struct rhv_cell *cells; /* rows * ncols */
	size_t rows, cap;
};

struct rhv_table *rhv_table_new(const struct rhv_column *cols, size_t ncols, const char *list_key,
				const char *item_key)
{
	struct rhv_table *t = rhv_xcalloc(1, sizeof(*t));

	t->cols = cols;
	t->ncols = ncols;
	t->list_key = list_key;
	t->item_key = item_key;
	return t;
}

static bool cell_owns_string(enum rhv_coltype type)
{
	return type == RHV_COL_STR || type == RHV_COL_UUID || type == RHV_COL_ANY || type == RHV_COL_JSON;
}

void rhv_table_free(struct rhv_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->rows * t->ncols; i++)
		if (!t->cells[i].null && cell_owns_string(t->cells[i].type))
			free(t->cells[i].v.s);
	free(t->cells);
	free(t);
}

void rhv_table_add_row(struct rhv_table *t)
{
	if (t->rows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = rhv_xrealloc(t->cells, t->cap * t->ncols * sizeof(*t->cells));
	}
	for (size_t c = 0; c < t->ncols; c++)
		t->cells[t->rows * t->ncols + c] = (struct rhv_cell){ .type = t->cols[c].type, .null = true };
	t->rows++;
}

size_t rhv_table_rows(const struct rhv_table *t)
{
	return t->rows;
}

static struct rhv_cell *cur(struct rhv_table *t, size_t col)
{
	return &t->cells[(t->rows - 1) * t->ncols + col];
}

void rhv_cell_null(struct rhv_table *t, size_t col)
{
	struct rhv_cell *c = cur(t, col);

	if (!c->null && cell_owns_string(c->type))
		free(c->v.s);
	c->null = true;
	c->type = t->cols[col].type;
}

void rhv_cell_str(struct rhv_table *t, size_t col, const char *s)
{
	rhv_cell_null(t, col);
	if (!s)
		return;
	cur(t, col)->null = false;
	cur(t, col)->v.s = rhv_xstrdup(s);
}

void rhv_cell_json(struct rhv_table *t, size_t col, const char *json)
{
	rhv_cell_str(t, col, json);
	if (json)
		cur(t, col)->type = RHV_COL_JSON;
}

static struct rhv_cell *set_scalar(struct rhv_table *t, size_t col, enum rhv_coltype type)
{
	struct rhv_cell *c;

	rhv_cell_null(t, col);
	c = cur(t, col);
	c->null = false;
	if (t->cols[col].type == RHV_COL_ANY)
		c->type = type;
	return c;
}

void rhv_cell_int(struct rhv_table *t, size_t col, int64_t v)
{
	set_scalar(t, col, RHV_COL_INT)->v.i = v;
}

void rhv_cell_bool(struct rhv_table *t, size_t col, bool v)
{
	set_scalar(t, col, RHV_COL_BOOL)->v.b = v;
}

void rhv_cell_float(struct rhv_table *t, size_t col, double v)
{
	set_scalar(t, col, RHV_COL_FLOAT)->v.f = v;
}

void rhv_cell_time(struct rhv_table *t, size_t col, int64_t epoch_seconds)
{
	set_scalar(t, col, RHV_COL_TIME)->v.i = epoch_seconds;
}

void rhv_cell_bytes(struct rhv_table *t, size_t col, uint64_t bytes)
{
	set_scalar(t, col, RHV_COL_BYTES)->v.i = (int64_t)bytes;
}

void rhv_cell_typed(struct rhv_table *t, size_t col, enum rhv_coltype type, const char *s, int64_t i)
{
	struct rhv_cell *c;

	if (cell_owns_string(type)) {
		rhv_cell_str(t, col, s);
		if (s)
			cur(t, col)->type = type == RHV_COL_ANY ? RHV_COL_STR : type;
		return;
	}
	c = set_scalar(t, col, type);
	if (type == RHV_COL_BOOL)
		c->v.b = i != 0;
	else
		c->v.i = i;
}

/* ---- formatting helpers ---- */

int rhv_format_parse(const char *s, enum rhv_format *fmt, struct rhv_error *err)
{
	if (!s || !strcmp(s, "table"))
		*fmt = RHV_FMT_TABLE;
	else if (!strcmp(s, "json"))
		*fmt = RHV_FMT_JSON;
	else if (!strcmp(s, "tsv"))
		*fmt = RHV_FMT_TSV;
	else
		return rhv_error_usage(err, "invalid output format '%s' (use table, json or tsv)", s);
	return 0;
}

static int char_width(uint32_t cp)
{
	if (cp == 0 || (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f))
		return 0; /* combining marks and zero-width characters */
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
	    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2; /* East Asian wide and emoji */
	return 1;
}

size_t rhv_display_width(const char *s)
{
	size_t w = 0;

	while (*s) {
		uint32_t cp;

		s += rhv_utf8_next(s, &cp);
		w += char_width(cp);
	}
	return w;
}

void rhv_format_time_rfc3339(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void format_time_local(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Append to o the escape of the character cp, n bytes at s (one byte that is not UTF-8 when n is 1 and *s >= 0x80). */
static char *escape_char(char *o, const char *s, size_t n, uint32_t cp)
{
	if (n == 1 && (unsigned char)*s >= 0x80)
		return o + sprintf(o, "\\x%02x", (unsigned char)*s);
	switch (cp) {
	case '\t': return o + sprintf(o, "\\t");
	case '\n': return o + sprintf(o, "\\n");
	case '\r': return o + sprintf(o, "\\r");
	}
	if (cp < 0x80)
		return o + sprintf(o, "\\x%02x", (unsigned)cp);
	return o + sprintf(o, "\\u%04x", (unsigned)cp);
}

/*
 * s with control characters (C0, DEL, C1, U+2028/2029) and bytes that are
 * not UTF-8 made visible: \t \n \r, \x1b, \u0085, \xff; backslash too if
 * asked, so that the result reads back unambiguously.  Caller frees.
 */
static char *escape(const char *s, bool backslash)
{
	/* the longest escape is 4 bytes for 1 ("\x1b"), 6 for 2 ("\u0085") */
	char *out = rhv_xmalloc(strlen(s) * 4 + 1), *o = out;

	while (*s) {
		uint32_t cp;
		size_t n = rhv_utf8_next(s, &cp);

		if ((n == 1 && (unsigned char)*s >= 0x80) || rhv_char_is_control(cp)) {
			o = escape_char(o, s, n, cp);
		} else if (backslash && *s == '\\') {
			*o++ = '\\';
			*o++ = '\\';
		} else {
			memcpy(o, s, n);
			o += n;
		}
		s += n;
	}
	*o = '\0';
	return out;
}

char *rhv_escape_controls(const char *s)
{
	return escape(s ? s : "", false);
}

/* Text of a cell for tables (human) or TSV (raw); caller frees. */
static char *cell_text(const struct rhv_cell *c, const struct rhv_column *col, bool human)
{
	char buf[64];

	if (c->null)
		return rhv_xstrdup(human ? "-" : "");
	switch (c->type) {
	case RHV_COL_INT:
		snprintf(buf, sizeof(buf), "%lld", (long long)c->v.i);
		break;
	case RHV_COL_BOOL:
		snprintf(buf, sizeof(buf), "%s", human ? (c->v.b ? "yes" : "no") : (c->v.b ? "true" : "false"));
		break;
	case RHV_COL_BYTES:
		if (human)
			rhv_format_bytes((uint64_t)c->v.i, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)c->v.i);
		break;
	case RHV_COL_TIME:
		if (human)
			format_time_local(c->v.i, buf, sizeof(buf));
		else
			rhv_format_time_rfc3339(c->v.i, buf, sizeof(buf));
		break;
	case RHV_COL_FLOAT:
		if (human)
			snprintf(buf, sizeof(buf), "%.*f", col->decimals ? col->decimals : 1, c->v.f);
		else
			snprintf(buf, sizeof(buf), "%g", c->v.f);
		break;
	default:
		return escape(c->v.s, true);
	}
	return rhv_xstrdup(buf);
}

static json_object *cell_json(const struct rhv_cell *c)
{
	char buf[64];

	if (c->null)
		return NULL;
	switch (c->type) {
	case RHV_COL_INT:
	case RHV_COL_BYTES:
		return json_object_new_int64(c->v.i);
	case RHV_COL_BOOL:
		return json_object_new_boolean(c->v.b);
	case RHV_COL_FLOAT:
		/* shortest faithful form: 6.4, not 6.4000000000000004 */
		snprintf(buf, sizeof(buf), "%.10g", c->v.f);
		return json_object_new_double_s(c->v.f, buf);
	case RHV_COL_TIME:
		rhv_format_time_rfc3339(c->v.i, buf, sizeof(buf));
		return json_object_new_string(buf);
	case RHV_COL_JSON: {
		json_object *doc = json_tokener_parse(c->v.s);

		return doc ? doc : json_object_new_string(c->v.s);
	}
	default:
		return json_object_new_string(c->v.s);
	}
}

/* ---- column selection ---- */

static int find_column(const struct rhv_column *cols, size_t ncols, const char *key, size_t len)
{
	for (size_t i = 0; i < ncols; i++)
		if (strlen(cols[i].key) == len && !strncmp(cols[i].key, key, len))
			return (int)i;
	return -1;
}

/* An empty list, "+" alone or an empty item ("a,,b", "a,") is a mistake, not "the defaults". */
static bool has_empty_item(const char *spec)
{
	const char *p = spec + (*spec == '+');

	for (;;) {
		size_t len = strcspn(p, ",");

		if (len == 0)
			return true;
		if (!p[len])
			return false;
		p += len + 1;
	}
}

/* Resolve -c into column indices; *sel is allocated (ncols entries max). */
static int select_columns(const char *spec, const struct rhv_column *cols, size_t ncols, bool json, size_t **sel,
			  size_t *nsel, struct rhv_error *err)
{
	const char *p = spec;
	size_t n = 0;

	*sel = NULL;
	if (spec && has_empty_item(spec)) {
		rhv_error_usage(err, "invalid column list '%s': give column keys separated by commas", spec);
		rhv_error_hint(err, "'+COL' adds to the defaults, 'all' shows every column, '--list-columns' lists them");
		return -1;
	}
	*sel = rhv_xcalloc(ncols * 2 + 1, sizeof(**sel));
	if (!spec || *spec == '+') {
		for (size_t i = 0; i < ncols; i++)
			if ((cols[i].flags & RHV_COL_DEFAULT) || (json && (cols[i].flags & RHV_COL_TREE)))
				(*sel)[n++] = i;
		p = spec ? spec + 1 : "";
	}
	if (!strcmp(p, "all")) {
		for (size_t i = n = 0; i < ncols; i++)
			(*sel)[n++] = i;
		p = "";
	}
	while (*p) {
		size_t len = strcspn(p, ",");
		int idx = find_column(cols, ncols, p, len);
		bool dup = false;

		if (idx < 0) {
			rhv_error_usage(err, "unknown column '%.*s'", (int)len, p);
			rhv_error_hint(err, "'--list-columns' shows the columns");
			free(*sel);
			*sel = NULL;
			return -1;
		}
		for (size_t k = 0; k < n; k++)
			dup |= (*sel)[k] == (size_t)idx;
		if (!dup && n < ncols * 2)
			(*sel)[n++] = (size_t)idx;
		p += len;
		if (*p == ',')
			p++;
	}
	*nsel = n;
	return 0;
}

int rhv_output_check(const struct rhv_output_opts *o, const struct rhv_column *cols, size_t ncols,
		     struct rhv_error *err)
{
	enum rhv_format fmt;
	_cleanup_free_ size_t *sel = NULL;
	size_t nsel;

	if (rhv_format_parse(o->format, &fmt, err) < 0)
		return -1;
	return select_columns(o->columns, cols, ncols, false, &sel, &nsel, err);
}

/* ---- renderers ---- */

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

/* A line being built; trailing blanks (from an empty last cell) are dropped. */
struct line {
	char *buf;
	size_t len, cap;
};

static void line_add(struct line *l, const char *s, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		l->cap = (l->len + n + 1) * 2;
		l->buf = rhv_xrealloc(l->buf, l->cap);
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

static void line_pad(struct line *l, size_t n)
{
	while (n--)
		line_add(l, " ", 1);
}

static void line_flush(struct line *l, FILE *out)
{
	while (l->len && l->buf[l->len - 1] == ' ')
		l->len--;
	fwrite(l->buf ? l->buf : "", 1, l->len, out);
	fputc('\n', out);
	l->len = 0;
}

static void render_table(const struct rhv_table *t, const size_t *sel, size_t nsel, bool headers, FILE *out)
{
	_cleanup_free_ size_t *width = rhv_xcalloc(nsel, sizeof(size_t));
	_cleanup_free_ char **text = rhv_xcalloc(t->rows * nsel + 1, sizeof(char *));
	struct line l = { 0 };

	for (size_t c = 0; c < nsel; c++)
		width[c] = headers ? rhv_display_width(t->cols[sel[c]].header) : 0;
	for (size_t r = 0; r < t->rows; r++)
		for (size_t c = 0; c < nsel; c++) {
			char *s = cell_text(&t->cells[r * t->ncols + sel[c]], &t->cols[sel[c]], true);
			size_t w = rhv_display_width(s);

			text[r * nsel + c] = s;
			if (w > width[c])
				width[c] = w;
		}
	for (size_t r = headers ? 0 : 1; r <= t->rows; r++) {
		for (size_t c = 0; c < nsel; c++) {
			const char *s = r ? text[(r - 1) * nsel + c] : t->cols[sel[c]].header;
			size_t w = rhv_display_width(s);
			bool right = t->cols[sel[c]].flags & RHV_COL_RIGHT;

			if (c)
				line_add(&l, "  ", 2);
			if (right)
				line_pad(&l, width[c] - w);
			line_add(&l, s, strlen(s));
			if (!right)
				line_pad(&l, width[c] - w);
		}
		line_flush(&l, out);
	}
	free(l.buf);
	for (size_t i = 0; i < t->rows * nsel; i++)
		free(text[i]);
}

static void render_tsv(const struct rhv_table *t, const size_t *sel, size_t nsel, bool headers, FILE *out)
{
	if (headers)
		for (size_t c = 0; c < nsel; c++)
			fprintf(out, "%s%c", t->cols[sel[c]].key, c + 1 == nsel ? '\n' : '\t');
	for (size_t r = 0; r < t->rows; r++)
		for (size_t c = 0; c < nsel; c++) {
			_cleanup_free_ char *s = cell_text(&t->cells[r * t->ncols + sel[c]], &t->cols[sel[c]], false);

			fprintf(out, "%s%c", s, c + 1 == nsel ? '\n' : '\t');
		}
}

static json_object *row_json(const struct rhv_table *t, size_t r, const size_t *sel, size_t nsel)
{
	json_object *o = json_object_new_object();

	/* keys are the column table's static strings, each added once */
	for (size_t c = 0; c < nsel; c++)
		json_object_object_add_ex(o, t->cols[sel[c]].key, cell_json(&t->cells[r * t->ncols + sel[c]]),
					  JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_KEY_IS_CONSTANT);
	return o;
}

/*
 * json-c escapes C0 controls in strings (outside them there is only the
 * layout's newlines) but passes DEL, C1 controls and U+2028/2029 through:
 * write those as \u escapes too (still the same JSON strings).
 */
static void print_json(json_object *root, FILE *out)
{
	const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
								     JSON_C_TO_STRING_NOSLASHESCAPE);

	while (*s) {
		uint32_t cp;
		size_t n = rhv_utf8_next(s, &cp);

		if (cp >= 0x7f && rhv_char_is_control(cp) && !(n == 1 && (unsigned char)*s >= 0x80))
			fprintf(out, "\\u%04x", (unsigned)cp);
		else
			fwrite(s, 1, n, out);
		s += n;
	}
	fputc('\n', out);
	json_object_put(root);
}

static void render_show_table(const struct rhv_table *t, const size_t *sel, size_t nsel, FILE *out)
{
	size_t width = 0;

	for (size_t c = 0; c < nsel; c++) {
		size_t w = rhv_display_width(t->cols[sel[c]].header) + 1;

		if (w > width)
			width = w;
	}
	for (size_t c = 0; c < nsel; c++) {
		_cleanup_free_ char *s = cell_text(&t->cells[sel[c]], &t->cols[sel[c]], true);
		const char *h = t->cols[sel[c]].header;

		fprintf(out, "%s:", h);
		if (*s) {
			pad(out, width - rhv_display_width(h) - 1 + 2);
			fputs(s, out);
		}
		fputc('\n', out);
	}
}

static int render(const struct rhv_output_opts *o, const struct rhv_table *t, bool show, FILE *out,
		  struct rhv_error *err)
{
	_cleanup_free_ size_t *sel = NULL;
	enum rhv_format fmt;
	size_t nsel;

	if (rhv_format_parse(o->format, &fmt, err) < 0 ||
	    select_columns(o->columns, t->cols, t->ncols, fmt == RHV_FMT_JSON, &sel, &nsel, err) < 0)
		return -1;
	switch (fmt) {
	case RHV_FMT_TABLE:
		if (show && t->rows == 1)
			render_show_table(t, sel, nsel, out);
		else
			render_table(t, sel, nsel, !o->no_headers, out);
		break;
	case RHV_FMT_TSV:
		render_tsv(t, sel, nsel, !o->no_headers, out);
		break;
	case RHV_FMT_JSON: {
		json_object *root = json_object_new_object();

		if (show && t->rows == 1) {
			json_object_object_add(root, t->item_key, row_json(t, 0, sel, nsel));
		} else {
			json_object *arr = json_object_new_array_ext((int)t->rows);

			for (size_t r = 0; r < t->rows; r++)
				json_object_array_add(arr, row_json(t, r, sel, nsel));
			json_object_object_add(root, t->list_key, arr);
		}
		print_json(root, out);
		break;
	}
	}
	return 0;
}

int rhv_output_list(const struct rhv_output_opts *o, const struct rhv_table *t, FILE *out, struct rhv_error *err)
{
	return render(o, t, false, out, err);
}

int rhv_output_show(const struct rhv_output_opts *o, const struct rhv_table *t, FILE *out, struct rhv_error *err)
{
	return render(o, t, true, out, err);
}

static const char *const type_names[] = {
	[RHV_COL_STR] = "string", [RHV_COL_INT] = "integer", [RHV_COL_BOOL] = "boolean",
	[RHV_COL_BYTES] = "bytes", [RHV_COL_TIME] = "time",  [RHV_COL_UUID] = "uuid",
	[RHV_COL_FLOAT] = "number", [RHV_COL_ANY] = "any",     [RHV_COL_JSON] = "json",
};

int rhv_output_columns(const struct rhv_output_opts *o, const struct rhv_column *cols, size_t ncols, FILE *out,
		       struct rhv_error *err)
{
	static const struct rhv_column meta[] = {
		{ "key", "COLUMN", RHV_COL_STR, RHV_COL_DEFAULT, "name to give to --columns" },
		{ "type", "TYPE", RHV_COL_STR, RHV_COL_DEFAULT, "value type in JSON and TSV" },
		{ "default", "DEFAULT", RHV_COL_BOOL, RHV_COL_DEFAULT, "shown without --columns" },
		{ "description", "DESCRIPTION", RHV_COL_STR, RHV_COL_DEFAULT, "what the column holds" },
	};
	struct rhv_output_opts mo = { .format = o->format, .no_headers = o->no_headers };
	struct rhv_table *t = rhv_table_new(meta, RHV_ARRAY_SIZE(meta), "columns", "column");
	int r;

	for (size_t i = 0; i < ncols; i++) {
		rhv_table_add_row(t);
		rhv_cell_str(t, 0, cols[i].key);
		rhv_cell_str(t, 1, type_names[cols[i].type]);
		rhv_cell_bool(t, 2, cols[i].flags & RHV_COL_DEFAULT);
		rhv_cell_str(t, 3, cols[i].help);
	}
	r = rhv_output_list(&mo, t, out, err);
	rhv_table_free(t);
	return r;
}
