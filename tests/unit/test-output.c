/* The three renderers over one row model. */
#include "rhv/common.h"

#include <json-c/json.h>
#include <stdlib.h>

#include "rhv/output.h"
#include "rhv/parse.h"
#include "tap.h"

static const struct rhv_column cols[] = {
	{ "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "name" },
	{ "count", "COUNT", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "count" },
	{ "on", "ON", RHV_COL_BOOL, RHV_COL_DEFAULT, "flag" },
	{ "size", "SIZE", RHV_COL_BYTES, 0, "bytes" },
	{ "when", "WHEN", RHV_COL_TIME, 0, "time" },
	{ "note", "NOTE", RHV_COL_STR, 0, "text" },
};

static struct rhv_table *sample(void)
{
	struct rhv_table *t = rhv_table_new(cols, RHV_ARRAY_SIZE(cols), "things", "thing");

	rhv_table_add_row(t);
	rhv_cell_str(t, 0, "alpha");
	rhv_cell_int(t, 1, 7);
	rhv_cell_bool(t, 2, true);
	rhv_cell_bytes(t, 3, 1536ULL * 1024 * 1024);
	rhv_cell_time(t, 4, 1795676400);
	rhv_cell_str(t, 5, "tab\there\nnew\\line");
	rhv_table_add_row(t);
	rhv_cell_str(t, 0, "서울");
	rhv_cell_int(t, 1, 12345);
	rhv_cell_bool(t, 2, false);
	return t;
}

/* Render into a string; caller frees. */
static char *render(const char *format, const char *columns, int no_headers, bool show, int *rc)
{
	struct rhv_output_opts o = { (char *)format, (char *)columns, no_headers, 0 };
	struct rhv_error err = { 0 };
	struct rhv_table *t = sample();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*rc = show ? rhv_output_show(&o, t, f, &err) : rhv_output_list(&o, t, f, &err);
	fclose(f);
	rhv_table_free(t);
	return buf;
}

int main(void)
{
	int rc;
	char *s;

	s = render(NULL, NULL, 0, false, &rc);
	IS_STR(s, "NAME   COUNT  ON\nalpha      7  yes\n서울   12345  no\n",
	       "table: aligned by display width, numbers right, bools yes/no");
	free(s);
	s = render("tsv", "name,note,size,when", 0, false, &rc);
	IS_STR(s,
	       "name\tnote\tsize\twhen\nalpha\ttab\\there\\nnew\\\\line\t1610612736\t2026-11-26T07:00:00Z\n"
	       "서울\t\t\t\n",
	       "tsv: escapes, raw bytes, RFC 3339, empty for null");
	free(s);
	s = render("tsv", "+size", 1, false, &rc);
	IS_STR(s, "alpha\t7\ttrue\t1610612736\n서울\t12345\tfalse\t\n", "tsv: +COL extends defaults, -H drops header");
	free(s);
	s = render("table", "name,size,note", 0, false, &rc);
	IS_STR(s, "NAME   SIZE     NOTE\nalpha  1.5 GiB  tab\\there\\nnew\\\\line\n서울   -        -\n",
	       "table: human sizes, '-' for null");
	free(s);
	s = render("json", "name,count,on,size,when,note", 0, false, &rc);
	{
		json_object *root = json_tokener_parse(s), *arr, *row, *v;

		OK(root && json_object_object_get_ex(root, "things", &arr) && json_object_is_type(arr, json_type_array) &&
			   json_object_array_length(arr) == 2,
		   "json: top-level object with named array");
		row = root ? json_object_array_get_idx(arr, 0) : NULL;
		OK(row && json_object_object_get_ex(row, "count", &v) && json_object_is_type(v, json_type_int) &&
			   json_object_get_int(v) == 7,
		   "json: integers are numbers");
		OK(row && json_object_object_get_ex(row, "on", &v) && json_object_is_type(v, json_type_boolean),
		   "json: booleans are booleans");
		OK(row && json_object_object_get_ex(row, "size", &v) && json_object_get_int64(v) == 1610612736,
		   "json: sizes in bytes");
		OK(row && json_object_object_get_ex(row, "when", &v) &&
			   !strcmp(json_object_get_string(v), "2026-11-26T07:00:00Z"),
		   "json: times RFC 3339");
		OK(row && json_object_object_get_ex(row, "note", &v) &&
			   !strcmp(json_object_get_string(v), "tab\there\nnew\\line"),
		   "json: strings unescaped in the value");
		row = root ? json_object_array_get_idx(arr, 1) : NULL;
		OK(row && json_object_object_get_ex(row, "size", &v) && v == NULL, "json: missing is null");
		json_object_put(root);
	}
	free(s);
	s = render("json", NULL, 0, true, &rc);
	OK(strstr(s, "\"things\""), "json show: two rows stay a list");
	free(s);
	s = render("yaml", NULL, 0, false, &rc);
	OK(rc < 0, "unknown format rejected");
	free(s);
	s = render(NULL, "name,bogus", 0, false, &rc);
	OK(rc < 0 && s && !*s, "unknown column rejected before any output");
	free(s);
	{
		struct rhv_output_opts o = { NULL, "nope", 0, 0 };
		struct rhv_error err = { 0 };

		OK(rhv_output_check(&o, cols, RHV_ARRAY_SIZE(cols), &err) < 0 && err.code == RHV_EXIT_USAGE,
		   "rhv_output_check: unknown column is a usage error");
		IS_STR(err.message, "unknown column 'nope'", "rhv_output_check: message");
	}
	{
		/* ESC ]0; (a window title), ESC [2J (clear screen), NEL, U+2028, DEL, a byte that is not UTF-8 */
		static const char hostile[] = "a\x1b]0;t\x07" "b\x1b[2J\xc2\x85\xe2\x80\xa8\x7f\xff\\";
		struct rhv_table *t = rhv_table_new(cols, RHV_ARRAY_SIZE(cols), "things", "thing");
		struct rhv_output_opts o = { "tsv", "name", 1, 0 };
		struct rhv_error err = { 0 };
		char *buf = NULL, *e;
		size_t len = 0;
		FILE *f;

		rhv_table_add_row(t);
		rhv_cell_str(t, 0, hostile);
		f = open_memstream(&buf, &len);
		rhv_output_list(&o, t, f, &err);
		o.format = "table";
		rhv_output_list(&o, t, f, &err);
		rhv_output_show(&o, t, f, &err);
		o.format = "json";
		rhv_output_list(&o, t, f, &err);
		fclose(f);
		IS_STR(buf,
		       "a\\x1b]0;t\\x07b\\x1b[2J\\u0085\\u2028\\x7f\\xff\\\\\n"
		       "a\\x1b]0;t\\x07b\\x1b[2J\\u0085\\u2028\\x7f\\xff\\\\\n"
		       "NAME:  a\\x1b]0;t\\x07b\\x1b[2J\\u0085\\u2028\\x7f\\xff\\\\\n"
		       "{\n  \"things\": [\n    {\n      \"name\": \"a\\u001b]0;t\\u0007b\\u001b[2J\\u0085\\u2028\\u007f\xff\\\\\"\n"
		       "    }\n  ]\n}\n",
		       "tsv, table and show escape every control character and non-UTF-8 byte; JSON every control character");
		free(buf);
		rhv_table_free(t);
		e = rhv_escape_controls("x\nrhv-dc: error: fake \\ 서울");
		IS_STR(e, "x\\nrhv-dc: error: fake \\ 서울", "messages: a newline cannot forge a line; backslash and UTF-8 kept");
		free(e);
	}
	{
		static const char *const bad[] = { "", "+", ",", "name,", ",name", "name,,note", "+,note" };

		for (size_t i = 0; i < RHV_ARRAY_SIZE(bad); i++) {
			struct rhv_output_opts o = { NULL, (char *)bad[i], 0, 0 };
			struct rhv_error err = { 0 };

			OK(rhv_output_check(&o, cols, RHV_ARRAY_SIZE(cols), &err) < 0 && err.code == RHV_EXIT_USAGE,
			   "-c '%s' is a usage error, not the defaults", bad[i]);
		}
	}
	OK(rhv_display_width("서울") == 4, "display width: Hangul is wide");
	OK(rhv_display_width("e\xcc\x81") == 1, "display width: combining mark is zero");
	{
		char buf[32];

		rhv_format_bytes(1023, buf, sizeof(buf));
		IS_STR(buf, "1023 B", "bytes: below 1 KiB");
		rhv_format_bytes(4ULL << 30, buf, sizeof(buf));
		IS_STR(buf, "4 GiB", "bytes: whole GiB");
	}
	return tap_done();
}
