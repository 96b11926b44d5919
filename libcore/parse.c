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
#include "util-priv.h"

int rhv_parse_int(const char *s, int64_t min, int64_t max, const char *what, int64_t *out,
		  struct rhv_error *err)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return rhv_error_usage(err, "invalid %s '%s': expected a whole number", what, s ? s : "");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end)
		return rhv_error_usage(err, "invalid %s '%s': expected a whole number", what, s);
	if (errno == ERANGE || v < min || v > max) {
		if (max == INT64_MAX)
			return rhv_error_usage(err, "invalid %s '%s': must be at least %lld", what, s,
					       (long long)min);
		return rhv_error_usage(err, "invalid %s '%s': must be between %lld and %lld", what, s,
				       (long long)min, (long long)max);
	}
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
		if (units[i].shift && v > (UINT64_MAX >> units[i].shift))
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

static int parse_duration_ago(const char *s, int64_t now, int64_t *out)
{
	char *end;
	long long v;
	int64_t mult;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (end[0]) {
	case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if (v > INT64_MAX / mult / 2)
		return -1;
	*out = now - v * mult;
	return 0;
}

int rhv_parse_time(const char *s, const char *what, int64_t now, int64_t *out, struct rhv_error *err)
{
	static const char *const formats[] = {
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d",
	};
	if (!s || !*s)
		return rhv_error_usage(err, "invalid %s '': expected a time or a duration such as 2h", what);
	if (!parse_duration_ago(s, now, out))
		return 0;
	for (size_t i = 0; i < RHV_ARRAY_SIZE(formats); i++) {
		struct tm tm = { 0 };
		const char *rest = strptime(s, formats[i], &tm);
		long offset = 0;

		if (!rest)
			continue;
		if (*rest == '.') /* fractional seconds are accepted and dropped */
			for (rest++; isdigit((unsigned char)*rest); rest++)
				;
		if (!*rest) { /* no zone: local time, as tables show it */
			tm.tm_isdst = -1;
			*out = (int64_t)mktime(&tm);
			return 0;
		} else if (!strcmp(rest, "Z") || !strcmp(rest, "z")) {
			offset = 0;
		} else if ((rest[0] == '+' || rest[0] == '-') && isdigit((unsigned char)rest[1]) &&
			   isdigit((unsigned char)rest[2]) && rest[3] == ':' && isdigit((unsigned char)rest[4]) &&
			   isdigit((unsigned char)rest[5]) && !rest[6]) {
			offset = ((rest[1] - '0') * 10 + (rest[2] - '0')) * 3600 +
				 ((rest[4] - '0') * 10 + (rest[5] - '0')) * 60;
			if (rest[0] == '-')
				offset = -offset;
		} else {
			continue;
		}
		*out = (int64_t)timegm(&tm) - offset;
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

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029;
}

static int check_text(const char *s, size_t max, const char *what, bool is_name, struct rhv_error *err)
{
	long len = rhv_utf8_len(s);

	if (len < 0)
		return rhv_error_usage(err, "invalid %s: not valid UTF-8", what);
	if (is_name && len == 0)
		return rhv_error_usage(err, "invalid %s: must not be empty", what);
	if ((size_t)len > max)
		return rhv_error_usage(err, "invalid %s: longer than %zu characters", what, max);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		uint32_t cp;

		p += utf8_decode(p, &cp);
		if (is_control(cp) && (is_name || cp != '\t'))
			return rhv_error_usage(err, "invalid %s: contains a control character", what);
	}
	if (is_name && (isspace((unsigned char)s[0]) || isspace((unsigned char)s[strlen(s) - 1])))
		return rhv_error_usage(err, "invalid %s '%s': leading or trailing white space", what, s);
	return 0;
}

int rhv_check_name(const char *s, size_t max, const char *what, struct rhv_error *err)
{
	return check_text(s ? s : "", max, what, true, err);
}

int rhv_check_text(const char *s, size_t max, const char *what, struct rhv_error *err)
{
	return check_text(s ? s : "", max, what, false, err);
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
