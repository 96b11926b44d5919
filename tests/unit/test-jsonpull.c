/*
 * The strict JSON pull reader: what RFC 8259 allows is read exactly (numbers,
 * escapes, surrogate pairs, lines), what it does not is refused with the
 * line and a reason (NaN, Infinity, numbers out of range, single quotes,
 * trailing commas, control characters, lone surrogates, nesting, text after
 * the value), and a text cut short is told apart from a wrong one.
 */
#include "rhv/common.h"

#include <math.h>
#include <stdio.h>

#include "util/jsonpull-priv.h"
#include "tap.h"

/* Check a whole document: 0 when it is JSON, else -1 with p's error. */
static int check(struct rhv_jp *p, const char *text)
{
	struct rhv_jp_value v;

	rhv_jp_release(p);
	rhv_jp_init(p, text, strlen(text));
	return rhv_jp_value(p, &v) < 0 || rhv_jp_skip(p, &v) < 0 || rhv_jp_end(p) < 0 ? -1 : 0;
}

static bool refused(struct rhv_jp *p, const char *text, const char *why, int line)
{
	bool ok = check(p, text) < 0 && strstr(p->error, why) && p->error_line == line && !p->eof;

	if (!ok)
		printf("# '%s': error '%s' line %d eof %d\n", text, p->error, p->error_line, p->eof);
	return ok;
}

/* The one number in text: its value read exactly, or refused. */
static bool number_is(const char *text, double want, bool integer, int64_t i)
{
	struct rhv_jp p;
	struct rhv_jp_value v;
	bool ok;

	rhv_jp_init(&p, text, strlen(text));
	ok = rhv_jp_value(&p, &v) == 0 && v.type == RHV_JP_NUMBER && v.num == want && v.integer == integer &&
	     (!integer || (v.int_ok && v.i == i)) && rhv_jp_end(&p) == 0;
	rhv_jp_release(&p);
	return ok;
}

static bool string_is(const char *text, const char *want, size_t len)
{
	struct rhv_jp p;
	struct rhv_jp_value v;
	bool ok;

	rhv_jp_init(&p, text, strlen(text));
	ok = rhv_jp_value(&p, &v) == 0 && v.type == RHV_JP_STRING && v.len == len && !memcmp(v.str, want, len);
	rhv_jp_release(&p);
	return ok;
}

static void test_values(void)
{
	struct rhv_jp p;

	OK(number_is("0", 0, true, 0) && number_is("-0", 0, true, 0) && number_is("42", 42, true, 42),
	   "integers: 0, -0, 42");
	OK(number_is("9223372036854775807", 9223372036854775807.0, true, INT64_MAX), "INT64_MAX is exact");
	{
		struct rhv_jp_value v;

		rhv_jp_init(&p, "9223372036854775808", 19);
		OK(rhv_jp_value(&p, &v) == 0 && v.integer && !v.int_ok && v.num == 0x1p63,
		   "2^63: an integer that does not fit int64, said so");
		rhv_jp_release(&p);
	}
	OK(number_is("2.5", 2.5, false, 0) && number_is("-1e2", -100, false, 0) && number_is("8.0", 8, false, 0) &&
		   number_is("1E+2", 100, false, 0) && number_is("1e-400", 0, false, 0),
	   "fractions and exponents (an underflow is 0)");
	OK(string_is("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "a\"b\\c/d\b\f\n\r\t", 12), "the simple escapes");
	OK(string_is("\"\\u00e9\\u20ac\"", "\xc3\xa9\xe2\x82\xac", 5), "\\u escapes as UTF-8");
	OK(string_is("\"\\ud83d\\udcbe\"", "\xf0\x9f\x92\xbe", 4), "a surrogate pair is one character");
	OK(string_is("\"a\\u0000b\"", "a\0b", 3), "\\u0000 is kept, with the length");
	OK(string_is("\"\xeb\x8d\xb0\"", "\xeb\x8d\xb0", 3), "UTF-8 as is");
	OK(check(&p, " {\"a\": [1, 2, {\"b\": null}], \"c\": true, \"d\": false, \"e\": \"\"}\n") == 0,
	   "a document with every kind of value");
	rhv_jp_release(&p);
}

static void test_refused(void)
{
	struct rhv_jp p = { 0 };

	OK(refused(&p, "[NaN]", "NaN and Infinity", 1), "NaN");
	OK(refused(&p, "[1,\n Infinity]", "NaN and Infinity", 2), "Infinity, on its line");
	OK(refused(&p, "[-Infinity]", "NaN and Infinity", 1), "-Infinity");
	OK(refused(&p, "[Nonsense]", "unexpected character", 1) && refused(&p, "[Inf]", "unexpected character", 1),
	   "other words are not taken for NaN or Infinity");
	OK(refused(&p, "[1e400]", "number out of range: 1e400", 1), "1e400");
	OK(refused(&p, "[-1e400]", "number out of range: -1e400", 1), "-1e400");
	OK(refused(&p, "[01]", "number expected", 1), "a leading zero");
	OK(refused(&p, "[1.]", "number expected", 1) && refused(&p, "[.5]", "unexpected character", 1) &&
		   refused(&p, "[+1]", "unexpected character", 1) && refused(&p, "[1e]", "number expected", 1) &&
		   refused(&p, "[0x10]", "number expected", 1),
	   "numbers outside the grammar");
	OK(refused(&p, "['a']", "unexpected character", 1), "single quotes");
	OK(refused(&p, "[1,]", "unexpected character", 1), "a trailing comma in an array");
	OK(refused(&p, "{\"a\": 1,}", "quoted object property name expected", 1), "a trailing comma in an object");
	OK(refused(&p, "{\"a\" 1}", "property name separator ':'", 1), "a missing colon");
	OK(refused(&p, "{\"a\": 1\n\"b\": 2}", "object value separator ','", 2), "a missing comma, on its line");
	OK(refused(&p, "{a: 1}", "quoted object property name expected", 1), "a bare key");
	OK(refused(&p, "[\"a\tb\"]", "control character", 1), "a raw tab in a string");
	OK(refused(&p, "[\"\\ud800\"]", "invalid string sequence", 1) &&
		   refused(&p, "[\"\\udc00\"]", "invalid string sequence", 1) &&
		   refused(&p, "[\"\\ud800\\u0041\"]", "invalid string sequence", 1),
	   "lone or mismatched surrogates");
	OK(refused(&p, "[\"\\x\"]", "invalid string sequence", 1) && refused(&p, "[\"\\u12g4\"]", "invalid", 1),
	   "unknown escapes");
	OK(refused(&p, "[TRUE]", "unexpected character", 1) && refused(&p, "[nul]", "null expected", 1) &&
		   refused(&p, "[tru]", "boolean expected", 1),
	   "misspelt literals");
	OK(refused(&p, "{} x", "text after the JSON value", 1) && refused(&p, "{}\n{}", "text after the JSON value", 2),
	   "text after the value");
	{
		char deep[80];

		memset(deep, '[', 33);
		memset(deep + 33, ']', 33);
		deep[66] = '\0';
		OK(refused(&p, deep, "nesting too deep", 1), "33 levels of nesting");
		memset(deep, '[', 32);
		memset(deep + 32, ']', 32);
		deep[64] = '\0';
		OK(check(&p, deep) == 0, "32 levels are allowed");
	}
	rhv_jp_release(&p);
}

static void test_truncated(void)
{
	static const char *const cut[] = { "", "  \n", "{", "{\"a\"", "{\"a\":", "{\"a\": 1", "{\"a\": 1,",
					   "[\"abc", "[\"\\", "[\"\\u12", "[tr", "[-", "[1.", "[1e+", "[[]" };
	struct rhv_jp p = { 0 };
	bool all = true;

	for (size_t i = 0; i < RHV_ARRAY_SIZE(cut); i++) {
		bool ok = check(&p, cut[i]) < 0 && p.eof;

		if (!ok)
			printf("# '%s': error '%s' eof %d\n", cut[i], p.error, p.eof);
		all = all && ok;
	}
	OK(all, "every text cut short is told as such (%zu cases)", RHV_ARRAY_SIZE(cut));
	OK(check(&p, "{\n\n\"a\": [1,\n") < 0 && p.eof && p.error_line == 4, "with the line where it ends");
	rhv_jp_release(&p);
}

/* Members and elements in order, with their lines; seek goes back to a value. */
static void test_walk(void)
{
	static const char text[] = "{\n \"x\": [1, 2],\n \"name\": \"h\\u0031\",\n \"n\": {\"deep\": [3]}\n}\n";
	struct rhv_jp p;
	struct rhv_jp_value v, name = { 0 };
	char keys[64] = "";
	int lines[4] = { 0 }, k = 0;

	rhv_jp_init(&p, text, strlen(text));
	OK(rhv_jp_value(&p, &v) == 0 && v.type == RHV_JP_OBJECT && v.line == 1, "an object on line 1");
	for (bool first = true; rhv_jp_member(&p, first) > 0; first = false) {
		strcat(keys, p.key);
		strcat(keys, ",");
		if (rhv_jp_value(&p, &v) < 0)
			break;
		if (k < 4)
			lines[k++] = v.line;
		if (!strcmp(p.key, "name"))
			name = v;
		rhv_jp_skip(&p, &v);
	}
	IS_STR(keys, "x,name,n,", "members in file order");
	OK(lines[0] == 2 && lines[1] == 3 && lines[2] == 4, "each value's line");
	OK(rhv_jp_end(&p) == 0, "nothing after the object");
	rhv_jp_seek(&p, &name);
	OK(rhv_jp_value(&p, &v) == 0 && v.type == RHV_JP_STRING && !strcmp(v.str, "h1") && v.line == 3,
	   "seek reads a value again, decoded");
	rhv_jp_release(&p);
}

int main(void)
{
	test_values();
	test_refused();
	test_truncated();
	test_walk();
	return tap_done();
}
