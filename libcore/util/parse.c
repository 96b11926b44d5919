#include "rhv/common.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

#include "rhv/parse.h"
#include "util/util-priv.h"

/* "invalid N 'x': expected a whole number between 1 and 10" (kind ""): "must be between 1 and 10". */
static int whole_number(struct rhv_error *err, const char *what, const char *s, const char *kind, int64_t min,
			int64_t max)
{
	const char *verb = *kind ? "expected " : "must be";

	if (min == INT64_MIN && max == INT64_MAX)
		return rhv_error_usage(err, "invalid %s '%s': expected a whole number", what, s);
	if (max == INT64_MAX)
		return rhv_error_usage(err, "invalid %s '%s': %s%s%sat least %lld", what, s, verb, kind,
				       *kind ? ", " : " ", (long long)min);
	return rhv_error_usage(err, "invalid %s '%s': %s%s between %lld and %lld", what, s, verb, kind, (long long)min,
			       (long long)max);
}

int rhv_parse_int(const char *s, int64_t min, int64_t max, const char *what, int64_t *out,
		  struct rhv_error *err)
{
	char *end;
	long long v;

	errno = 0;
	v = s && *s && !isspace((unsigned char)*s) ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || isspace((unsigned char)*s) || *end)
		return whole_number(err, what, s ? s : "", "a whole number", min, max);
	if (errno == ERANGE || v < min || v > max)
		return whole_number(err, what, s, "", min, max);
	*out = v;
	return 0;
}

int rhv_parse_size(const char *s, const char *what, uint64_t *out, struct rhv_error *err)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = {
		{ "", 0 },   { "b", 0 },    { "k", 10 },   { "kib", 10 }, { "m", 20 },
		{ "mib", 20 }, { "g", 30 }, { "gib", 30 }, { "t", 40 },   { "tib", 40 },
	};
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)*s))
		return rhv_error_usage(err, "invalid %s '%s': expected a size such as 512M or 4G", what,
				       s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return rhv_error_usage(err, "invalid %s '%s': too large", what, s);
	for (size_t i = 0; i < RHV_ARRAY_SIZE(units); i++) {
		if (strcasecmp(end, units[i].suffix))
			continue;
		/* every size ends in a bigint column or an int64 sum */
		if (v > ((uint64_t)INT64_MAX >> units[i].shift))
			return rhv_error_usage(err, "invalid %s '%s': too large", what, s);
		*out = (uint64_t)v << units[i].shift;
		return 0;
	}
	return rhv_error_usage(err, "invalid %s '%s': unknown unit (use B, K, M, G or T)", what, s);
}

int rhv_parse_bool(const char *s, const char *what, bool *out, struct rhv_error *err)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; s && i < RHV_ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i]))
			return *out = true, 0;
		if (!strcasecmp(s, no[i]))
			return *out = false, 0;
	}
	return rhv_error_usage(err, "invalid %s '%s': expected on/off, yes/no or true/false", what, s ? s : "");
}

/* Times the store can hold and a person means: years 1 to 9999, in seconds since the epoch. */
#define TIME_MIN INT64_C(-62135596800) /* 0001-01-01T00:00:00Z */
#define TIME_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

/* "90s", "15m", "2h", "7d" ago: 0, 1 not a duration, -1 a duration out of range. */
static int parse_duration_ago(const char *s, int64_t now, int64_t *out)
{
	char *end;
	long long v;
	int64_t mult;

	if (!isdigit((unsigned char)*s))
		return 1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end[0] == '\0' || end[1] != '\0')
		return 1;
	switch (end[0]) {
	case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return 1;
	}
	if (errno == ERANGE || v > (now - TIME_MIN) / mult)
		return -1;
	*out = now - v * mult;
	return 0;
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* strptime takes 2026-02-30 and mktime rolls it over to March: a date must exist. */
static bool real_date(const struct tm *tm)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = tm->tm_year + 1900;

	/* a leap second (60) is RFC 3339's; glibc's %S also takes 61 */
	if (y < 1 || y > 9999 || tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_mday < 1 || tm->tm_sec > 60)
		return false;
	return tm->tm_mday <= days[tm->tm_mon] + (tm->tm_mon == 1 && leap_year(y));
}

/*
 * "Z", "z" or an RFC 3339 offset "+HH:MM": 0 with *offset in seconds, -1
 * not a zone, -2 an offset out of range (hours 00-23, minutes 00-59).
 */
static int parse_zone(const char *z, long *offset)
{
	int h, m;

	if (!strcmp(z, "Z") || !strcmp(z, "z"))
		return *offset = 0, 0;
	if ((z[0] != '+' && z[0] != '-') || !isdigit((unsigned char)z[1]) || !isdigit((unsigned char)z[2]) ||
	    z[3] != ':' || !isdigit((unsigned char)z[4]) || !isdigit((unsigned char)z[5]) || z[6])
		return -1;
	h = (z[1] - '0') * 10 + (z[2] - '0');
	m = (z[4] - '0') * 10 + (z[5] - '0');
	if (h > 23 || m > 59)
		return -2;
	*offset = (z[0] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return 0;
}

int rhv_parse_time(const char *s, const char *what, int64_t now, int64_t *out, struct rhv_error *err)
{
	static const char *const formats[] = {
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d",
	};
	int r;

	if (!s || !*s)
		return rhv_error_usage(err, "invalid %s '': expected a time or a duration such as 2h", what);
	r = parse_duration_ago(s, now, out);
	if (r <= 0)
		return r == 0 ? 0 : rhv_error_usage(err, "invalid %s '%s': too far back (before the year 1)", what, s);
	for (size_t i = 0; i < RHV_ARRAY_SIZE(formats); i++) {
		struct tm tm = { 0 };
		const char *rest = strptime(s, formats[i], &tm);
		long offset = 0;

		if (!rest)
			continue;
		if (*rest == '.') /* fractional seconds are accepted and dropped */
			for (rest++; isdigit((unsigned char)*rest); rest++)
				;
		if (*rest && (r = parse_zone(rest, &offset)) < 0) {
			if (r == -2)
				return rhv_error_usage(err, "invalid %s '%s': the offset must be between -23:59 and +23:59",
						       what, s);
			continue;
		}
		if (!real_date(&tm))
			return rhv_error_usage(err, "invalid %s '%s': no such date or time", what, s);
		if (!*rest) { /* no zone: local time, as tables show it */
			tm.tm_isdst = -1;
			*out = (int64_t)mktime(&tm);
		} else {
			*out = (int64_t)timegm(&tm) - offset;
		}
		if (*out < TIME_MIN || *out > TIME_MAX)
			return rhv_error_usage(err, "invalid %s '%s': out of range (years 1 to 9999)", what, s);
		return 0;
	}
	return rhv_error_usage(err,
			       "invalid %s '%s': expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM] or a duration such as 2h",
			       what, s);
}

/* Decode one UTF-8 sequence; returns its length or 0 if invalid. */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp)
{
	uint32_t c;
	size_t n;

	if (p[0] < 0x80)
		return *cp = p[0], 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

long rhv_utf8_len(const char *s)
{
	long n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
		uint32_t cp;
		size_t k = utf8_decode(p, &cp);

		if (!k)
			return -1;
		p += k;
	}
	return n;
}

int rhv_parse_enum(const char *s, const char *const *choices, const char *what, struct rhv_error *err)
{
	char list[256] = "";

	for (int i = 0; choices[i]; i++) {
		if (s && !strcmp(s, choices[i]))
			return i;
		if (strlen(list) + strlen(choices[i]) + 3 < sizeof(list)) {
			if (i)
				strcat(list, ", ");
			strcat(list, choices[i]);
		}
	}
	rhv_error_usage(err, "invalid %s '%s'", what, s ? s : "");
	rhv_error_hint(err, "valid values: %s", list);
	return -1;
}

bool rhv_looks_like_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (!s || strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

size_t rhv_utf8_next(const char *s, uint32_t *cp)
{
	size_t n = utf8_decode((const unsigned char *)s, cp);

	if (!n) { /* show invalid bytes as one column each */
		*cp = 0xfffd;
		n = 1;
	}
	return n;
}

void rhv_uuid_new(char out[37])
{
	uint8_t b[16];
	size_t got = 0;

	/* getrandom blocks only before the pool is seeded, once per boot. */
	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n > 0)
			got += (size_t)n;
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
		 b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void rhv_format_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < RHV_ARRAY_SIZE(units))
		v /= 1024, u++;
	if (u == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, len, "%.0f %s", v, units[u]);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
}
