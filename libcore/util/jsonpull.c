/* A strict JSON pull reader with line numbers (jsonpull-priv.h). */
#include "rhv/common.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonpull-priv.h"
#include "rhv/error.h"

void rhv_jp_init(struct rhv_jp *p, const char *text, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->text = text;
	p->len = len;
	p->line = 1;
}

void rhv_jp_release(struct rhv_jp *p)
{
	free(p->buf);
	free(p->key);
	p->buf = p->key = NULL;
	p->bufcap = p->keycap = 0;
}

/* The first error wins: later ones are its consequences. */
static int fail(struct rhv_jp *p, const char *what)
{
	if (!p->error[0]) {
		snprintf(p->error, sizeof(p->error), "%s", what);
		p->error_line = p->line;
	}
	return -1;
}

static int truncated(struct rhv_jp *p)
{
	if (!p->error[0])
		p->eof = true;
	return fail(p, "unexpected end of data");
}

/* The next character that is not white space (lines counted), or -1 at the end. */
static int peek(struct rhv_jp *p)
{
	for (; p->pos < p->len; p->pos++) {
		char c = p->text[p->pos];

		if (c == '\n')
			p->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return (unsigned char)c;
	}
	return -1;
}

static void put(char **buf, size_t *cap, size_t *len, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = rhv_xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void put_utf8(char **buf, size_t *cap, size_t *len, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	put(buf, cap, len, u, n);
}

/* Four hex digits at p->pos, consumed.  Returns: the value, or -1 (error set). */
static long hex4(struct rhv_jp *p)
{
	long v = 0;

	if (p->pos + 4 > p->len)
		return truncated(p);
	for (int k = 0; k < 4; k++) {
		char c = p->text[p->pos + (size_t)k];

		if (!isxdigit((unsigned char)c))
			return fail(p, "not JSON: invalid string sequence");
		v = v * 16 + (isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10));
	}
	p->pos += 4;
	return v;
}

/* The code point of a \u escape (p->pos after the 'u'), surrogate pairs joined.  -1 on error. */
static long unicode_escape(struct rhv_jp *p)
{
	long hi = hex4(p), lo;

	if (hi < 0 || hi < 0xd800 || hi > 0xdfff)
		return hi;
	if (hi >= 0xdc00)
		return fail(p, "not JSON: invalid string sequence");
	if (p->pos + 2 > p->len)
		return truncated(p);
	if (p->text[p->pos] != '\\' || p->text[p->pos + 1] != 'u')
		return fail(p, "not JSON: invalid string sequence");
	p->pos += 2;
	lo = hex4(p);
	if (lo < 0)
		return -1;
	if (lo < 0xdc00 || lo > 0xdfff)
		return fail(p, "not JSON: invalid string sequence");
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

/* A string at p->pos (its opening quote), decoded into *buf. */
static int string(struct rhv_jp *p, char **buf, size_t *cap, size_t *len)
{
	static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";

	*len = 0;
	put(buf, cap, len, "", 0);
	p->pos++;
	for (;;) {
		size_t run = p->pos;
		unsigned char c = 0;
		const char *e;

		while (p->pos < p->len && (c = (unsigned char)p->text[p->pos]) != '"' && c != '\\' && c >= 0x20)
			p->pos++;
		put(buf, cap, len, p->text + run, p->pos - run);
		if (p->pos >= p->len)
			return truncated(p);
		if (c == '"') {
			p->pos++;
			return 0;
		}
		if (c < 0x20)
			return fail(p, "not JSON: control character in a string");
		if (++p->pos >= p->len)
			return truncated(p);
		c = (unsigned char)p->text[p->pos++];
		if (c == 'u') {
			long cp = unicode_escape(p);

			if (cp < 0)
				return -1;
			put_utf8(buf, cap, len, (uint32_t)cp);
			continue;
		}
		for (e = simple; *e && *e != (char)c; e += 2)
			;
		if (!*e)
			return fail(p, "not JSON: invalid string sequence");
		put(buf, cap, len, e + 1, 1);
	}
}

/* NaN or Infinity at offset i: json-c reads them, JSON has no such numbers. */
static bool nonfinite(const struct rhv_jp *p, size_t i)
{
	const char *t = p->text + i;

	return (*t == 'N' && !strncmp(t, "NaN", 3)) || (*t == 'I' && !strncmp(t, "Infinity", 8));
}

static size_t digits(const char *t, size_t i)
{
	while (isdigit((unsigned char)t[i]))
		i++;
	return i;
}

/* A number at p->pos: the grammar of RFC 8259, finite. */
static int number(struct rhv_jp *p, struct rhv_jp_value *v)
{
	const char *t = p->text; /* NUL at len: the scan stops there */
	size_t i = p->pos + (t[p->pos] == '-');
	char *end;

	if (nonfinite(p, i))
		return fail(p, "not JSON: NaN and Infinity are not numbers");
	if (!isdigit((unsigned char)t[i]))
		return i >= p->len ? truncated(p) : fail(p, "not JSON: number expected");
	i = t[i] == '0' ? i + 1 : digits(t, i);
	v->integer = true;
	if (t[i] == '.') {
		v->integer = false;
		if (!isdigit((unsigned char)t[i + 1]))
			return i + 1 >= p->len ? truncated(p) : fail(p, "not JSON: number expected");
		i = digits(t, i + 1);
	}
	if (t[i] == 'e' || t[i] == 'E') {
		v->integer = false;
		i += t[i + 1] == '+' || t[i + 1] == '-';
		if (!isdigit((unsigned char)t[i + 1]))
			return i + 1 >= p->len ? truncated(p) : fail(p, "not JSON: number expected");
		i = digits(t, i + 1);
	}
	v->num = strtod(t + p->pos, &end);
	if (end != t + i)
		return fail(p, "not JSON: number expected");
	if (isinf(v->num)) {
		char what[96];

		snprintf(what, sizeof(what), "number out of range: %.*s%s", (int)(i - p->pos > 40 ? 40 : i - p->pos),
			 t + p->pos, i - p->pos > 40 ? "..." : "");
		return fail(p, what);
	}
	if (v->integer) {
		errno = 0;
		v->i = strtoll(t + p->pos, &end, 10);
		v->int_ok = errno != ERANGE;
	}
	p->pos = i;
	return 0;
}

static int literal(struct rhv_jp *p, const char *word, const char *what)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n)
		return strncmp(p->text + p->pos, word, p->len - p->pos) ? fail(p, what) : truncated(p);
	if (strncmp(p->text + p->pos, word, n))
		return fail(p, what);
	p->pos += n;
	return 0;
}

int rhv_jp_value(struct rhv_jp *p, struct rhv_jp_value *v)
{
	int c = peek(p);

	memset(v, 0, sizeof(*v));
	v->line = p->line;
	v->pos = p->pos;
	v->depth = p->depth;
	if (p->error[0])
		return -1;
	switch (c) {
	case -1:
		return truncated(p);
	case '{':
	case '[':
		if (p->depth >= RHV_JP_MAX_DEPTH)
			return fail(p, "not JSON: nesting too deep");
		p->depth++;
		p->pos++;
		v->type = c == '{' ? RHV_JP_OBJECT : RHV_JP_ARRAY;
		return 0;
	case '"':
		v->type = RHV_JP_STRING;
		if (string(p, &p->buf, &p->bufcap, &v->len) < 0)
			return -1;
		v->str = p->buf;
		return 0;
	case 't':
	case 'f':
		v->type = RHV_JP_BOOL;
		v->b = c == 't';
		return literal(p, v->b ? "true" : "false", "not JSON: boolean expected");
	case 'n':
		v->type = RHV_JP_NULL;
		return literal(p, "null", "not JSON: null expected");
	default:
		v->type = RHV_JP_NUMBER;
		if (c == '-' || isdigit(c))
			return number(p, v);
		return fail(p, nonfinite(p, p->pos) ? "not JSON: NaN and Infinity are not numbers"
						  : "not JSON: unexpected character");
	}
}

/* After a member or element: ',' goes on, close ends the container; true when it ended. */
static int next_or_end(struct rhv_jp *p, bool first, char close, const char *separator)
{
	int c = peek(p);

	if (p->error[0])
		return -1;
	if (c == -1)
		return truncated(p);
	if (c == close) {
		p->pos++;
		p->depth--;
		return 1;
	}
	if (first)
		return 0;
	if (c != ',')
		return fail(p, separator);
	p->pos++;
	return 0;
}

int rhv_jp_member(struct rhv_jp *p, bool first)
{
	int r = next_or_end(p, first, '}', "not JSON: object value separator ',' expected"), c;

	if (r)
		return r < 0 ? -1 : 0;
	c = peek(p);
	if (c == -1)
		return truncated(p);
	if (c != '"')
		return fail(p, "not JSON: quoted object property name expected");
	if (string(p, &p->key, &p->keycap, &p->keylen) < 0)
		return -1;
	c = peek(p);
	if (c == -1)
		return truncated(p);
	if (c != ':')
		return fail(p, "not JSON: object property name separator ':' expected");
	p->pos++;
	return 1;
}

int rhv_jp_element(struct rhv_jp *p, bool first)
{
	int r = next_or_end(p, first, ']', "not JSON: array value separator ',' expected");

	return r ? (r < 0 ? -1 : 0) : 1;
}

int rhv_jp_skip(struct rhv_jp *p, const struct rhv_jp_value *v)
{
	bool object = v->type == RHV_JP_OBJECT;
	int r;

	if (!object && v->type != RHV_JP_ARRAY)
		return 0;
	for (bool first = true; (r = object ? rhv_jp_member(p, first) : rhv_jp_element(p, first)) > 0; first = false) {
		struct rhv_jp_value e;

		if (rhv_jp_value(p, &e) < 0 || rhv_jp_skip(p, &e) < 0)
			return -1;
	}
	return r;
}

int rhv_jp_end(struct rhv_jp *p)
{
	if (p->error[0])
		return -1;
	return peek(p) == -1 ? 0 : fail(p, "text after the JSON value");
}

void rhv_jp_seek(struct rhv_jp *p, const struct rhv_jp_value *v)
{
	p->pos = v->pos;
	p->line = v->line;
	p->depth = v->depth;
}

void rhv_jp_tell(const struct rhv_jp *p, struct rhv_jp_value *here)
{
	memset(here, 0, sizeof(*here));
	here->pos = p->pos;
	here->line = p->line;
	here->depth = p->depth;
}
