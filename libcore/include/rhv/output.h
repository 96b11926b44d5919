/*
 * One row model, three renderers.  Commands describe their columns once and
 * fill rows with typed cells; the renderer turns them into an aligned table,
 * typed JSON (json-c) or escaped TSV.  This layer knows rows and columns,
 * nothing about hosts or VMs.
 */
#pragma once

#include <stdio.h>
#include "rhv/common.h"
#include "rhv/error.h"

enum rhv_coltype {
	RHV_COL_STR,
	RHV_COL_INT,   /* int64 */
	RHV_COL_BOOL,
	RHV_COL_BYTES, /* human size in tables, bytes in JSON and TSV */
	RHV_COL_TIME,  /* seconds since the epoch; RFC 3339 UTC in JSON and TSV */
	RHV_COL_UUID,
	RHV_COL_FLOAT,
	RHV_COL_ANY,   /* each cell carries its own type */
	RHV_COL_JSON,  /* a JSON document (rhv_cell_json): nested in JSON, its compact text in tables and TSV */
};

enum rhv_colflag {
	RHV_COL_DEFAULT = 1 << 0, /* shown unless --columns says otherwise */
	RHV_COL_RIGHT = 1 << 1,   /* right-aligned in tables */
	RHV_COL_TREE = 1 << 2,    /* a default in JSON only: the nested detail a table has no room for */
};

struct rhv_column {
	const char *key;    /* stable snake_case name: JSON key, --columns name */
	const char *header; /* table header */
	enum rhv_coltype type;
	unsigned flags;
	const char *help;   /* one line for --list-columns */
	int decimals;       /* FLOAT in tables: digits after the point (0: one); JSON and TSV keep them all */
};

enum rhv_format { RHV_FMT_TABLE, RHV_FMT_JSON, RHV_FMT_TSV };

/* What the user asked for with -o, -c, -H and --list-columns. */
struct rhv_output_opts {
	char *format;  /* table|json|tsv; NULL = table */
	char *columns; /* comma list; a leading '+' extends the defaults */
	int no_headers;
	int list_columns;
};

struct rhv_cell {
	enum rhv_coltype type;
	bool null;
	union {
		char *s;
		int64_t i;
		bool b;
		double f;
	} v;
};

struct rhv_table;

/*
 * A table whose JSON form is {"<list_key>": [...]} for listings and
 * {"<item_key>": {...}} for a single object (show).  cols must outlive it.
 */
struct rhv_table *rhv_table_new(const struct rhv_column *cols, size_t ncols,
				const char *list_key, const char *item_key);
void rhv_table_free(struct rhv_table *t);
/* Starts a new row; cells left unset render as null. */
void rhv_table_add_row(struct rhv_table *t);
size_t rhv_table_rows(const struct rhv_table *t);
/* Setters for the current (last added) row; col is the index in cols. */
void rhv_cell_str(struct rhv_table *t, size_t col, const char *s); /* NULL -> null */
void rhv_cell_int(struct rhv_table *t, size_t col, int64_t v);
void rhv_cell_bool(struct rhv_table *t, size_t col, bool v);
void rhv_cell_float(struct rhv_table *t, size_t col, double v);
void rhv_cell_time(struct rhv_table *t, size_t col, int64_t epoch_seconds);
void rhv_cell_bytes(struct rhv_table *t, size_t col, uint64_t bytes);
void rhv_cell_null(struct rhv_table *t, size_t col);
/* A JSON document given as text (an object or an array); text that does not parse goes out as a string. */
void rhv_cell_json(struct rhv_table *t, size_t col, const char *json);
/* For RHV_COL_ANY columns: a cell typed on its own. */
void rhv_cell_typed(struct rhv_table *t, size_t col, enum rhv_coltype type, const char *s, int64_t i);

/*
 * Validate the output options against the table's columns before any work
 * is done, so a typo in -c fails fast and changes nothing.
 * Returns: 0, or -1 with RHV_EXIT_USAGE (unknown format or column).
 */
int rhv_output_check(const struct rhv_output_opts *o, const struct rhv_column *cols, size_t ncols,
		     struct rhv_error *err);

/*
 * Render a listing (one row per object) or a single object (show: a
 * key/value layout in tables).  Returns: 0, or -1 with RHV_EXIT_USAGE.
 */
int rhv_output_list(const struct rhv_output_opts *o, const struct rhv_table *t, FILE *out,
		    struct rhv_error *err);
int rhv_output_show(const struct rhv_output_opts *o, const struct rhv_table *t, FILE *out,
		    struct rhv_error *err);
/* Render the column descriptions (--list-columns) in the chosen format. */
int rhv_output_columns(const struct rhv_output_opts *o, const struct rhv_column *cols, size_t ncols,
		       FILE *out, struct rhv_error *err);

/* Helpers shared with other modules. */
int rhv_format_parse(const char *s, enum rhv_format *fmt, struct rhv_error *err);
/* Terminal display width of a UTF-8 string (East Asian wide = 2). */
size_t rhv_display_width(const char *s);
/*
 * Text safe for a terminal: control characters and bytes that are not
 * UTF-8 escaped (\n, \x1b, \u0085, \xff) as tables and TSV show them, so
 * that user text quoted in a message can neither forge a line nor drive
 * the terminal.  Caller frees.
 */
char *rhv_escape_controls(const char *s);
/* RFC 3339 in UTC ("2026-11-26T07:03:06Z"); buf at least 32 bytes. */
void rhv_format_time_rfc3339(int64_t t, char *buf, size_t len);
