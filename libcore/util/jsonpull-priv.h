/*
 * A strict JSON pull reader over text in memory, for files a reader must
 * not trust (snapshot files): it builds no tree, so reading holds only the
 * text and what the caller keeps (json-c's tree of a 100,000-VM snapshot
 * takes seven times its text, and more for crafted input), and it knows the
 * line of every value.  RFC 8259 exactly: no NaN or Infinity, no numbers out
 * of the range of a double, no single quotes, trailing commas, unescaped
 * control characters in strings or lone \u surrogates; nesting at most
 * RHV_JP_MAX_DEPTH deep (json-c's default).  Errors use json-c's wording
 * where it has one, so messages read the same as from the other readers.
 *
 * Use: rhv_jp_init(), rhv_jp_value() for a value; an object's members come
 * from rhv_jp_member() (the key in p->key) each followed by rhv_jp_value();
 * an array's elements from rhv_jp_element() each followed by
 * rhv_jp_value(); rhv_jp_skip() passes over a value's contents;
 * rhv_jp_end() checks nothing but white space follows.  Every function
 * returns -1 after the first error, which stays in p->error and p->line.
 */
#pragma once

#include "rhv/common.h"

#define RHV_JP_MAX_DEPTH 32

enum rhv_jp_type { RHV_JP_OBJECT, RHV_JP_ARRAY, RHV_JP_STRING, RHV_JP_NUMBER, RHV_JP_BOOL, RHV_JP_NULL };

struct rhv_jp_value {
	enum rhv_jp_type type;
	int line;	 /* where the value starts */
	size_t pos;	 /* offset of its first character, for rhv_jp_seek() */
	int depth;	 /* nesting level around it (0: the document) */
	const char *str; /* a string, decoded (p->buf: valid until the next string is read) */
	size_t len;	 /* its length in bytes; it may hold NUL characters (\u0000) */
	double num;	 /* a number */
	bool integer;	 /* written without fraction or exponent */
	bool int_ok;	 /* an integer that fits int64: then i holds it exactly */
	int64_t i;
	bool b;
};

struct rhv_jp {
	const char *text; /* NUL-terminated after len */
	size_t len, pos;
	int line, depth;
	char *buf, *key; /* decoded strings: the last value's and the last member's key */
	size_t bufcap, keycap, keylen;
	/* the first error: its line and what it is ("" while none) */
	int error_line;
	bool eof; /* the text ended inside a value */
	char error[96];
};

void rhv_jp_init(struct rhv_jp *p, const char *text, size_t len);
void rhv_jp_release(struct rhv_jp *p);

/* The next value (an object or array is entered: its contents come next). */
int rhv_jp_value(struct rhv_jp *p, struct rhv_jp_value *v);
/* In an object: 1 with the next member's key in p->key (p->keylen bytes), 0 at its end. */
int rhv_jp_member(struct rhv_jp *p, bool first);
/* In an array: 1 when another element follows, 0 at its end. */
int rhv_jp_element(struct rhv_jp *p, bool first);
/* Pass over the contents of v (an object or array just entered); nothing for a scalar. */
int rhv_jp_skip(struct rhv_jp *p, const struct rhv_jp_value *v);
/* After the document's value: only white space may follow. */
int rhv_jp_end(struct rhv_jp *p);
/* Go back to a value seen before (rhv_jp_value() reads it again), or to a place kept by rhv_jp_tell(). */
void rhv_jp_seek(struct rhv_jp *p, const struct rhv_jp_value *v);
/* Where the reader is now, for rhv_jp_seek(). */
void rhv_jp_tell(const struct rhv_jp *p, struct rhv_jp_value *here);
