/*
 * Argument parsers.  Each rejects junk, overflow and out-of-range values with
 * a message that names the option, and returns -1 with RHV_EXIT_USAGE.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/validate.h"

/* Decimal integer in [min, max]; what names the value in messages. */
int rhv_parse_int(const char *s, int64_t min, int64_t max, const char *what, int64_t *out,
		  struct rhv_error *err);
/* Size with optional unit: B, K/KiB, M/MiB, G/GiB, T/TiB (powers of 1024), at most INT64_MAX bytes. */
int rhv_parse_size(const char *s, const char *what, uint64_t *out, struct rhv_error *err);
/* true/false, yes/no, on/off, 1/0. */
int rhv_parse_bool(const char *s, const char *what, bool *out, struct rhv_error *err);
/*
 * A point in time: RFC 3339 / "YYYY-MM-DD[ HH:MM[:SS]]" (local time, as tables
 * show it, unless Z or an offset is given), or a duration ago: "90s", "15m", "2h", "7d".
 */
int rhv_parse_time(const char *s, const char *what, int64_t now, int64_t *out, struct rhv_error *err);
/* "1.5 GiB", the inverse of rhv_parse_size; buf at least 32 bytes. */
void rhv_format_bytes(uint64_t bytes, char *buf, size_t len);
/* rhv_check_name, rhv_check_text and the other rules of values: rhv/validate.h. */
/* Index of s in the NULL-terminated list, or -1 with a message listing the choices. */
int rhv_parse_enum(const char *s, const char *const *choices, const char *what, struct rhv_error *err);
/* Number of characters in a UTF-8 string, or -1 if it is not valid UTF-8. */
long rhv_utf8_len(const char *s);
bool rhv_looks_like_uuid(const char *s);

/* A new random (version 4) UUID, lowercase, into out. */
void rhv_uuid_new(char out[37]);
