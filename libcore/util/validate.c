/* The rules for names, text, sizes and paths; see rhv/validate.h. */
#include "rhv/common.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rhv/parse.h"
#include "rhv/validate.h"
#include "util/util-priv.h"

static int refuse(struct rhv_error *err, enum rhv_exit code, const char *fmt, ...) RHV_PRINTF(3, 4);
static int refuse(struct rhv_error *err, enum rhv_exit code, const char *fmt, ...)
{
	char msg[sizeof(err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (code == RHV_EXIT_USAGE)
		return rhv_error_usage(err, "%s", msg);
	return rhv_error_set(err, code, "%s", msg);
}

bool rhv_char_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029;
}

/* Unicode's White_Space property. */
static bool is_space(uint32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	       cp == 0x3000;
}

/* The last character of a non-empty valid UTF-8 string. */
static uint32_t last_char(const char *s)
{
	const char *p = s + strlen(s) - 1;
	uint32_t cp;

	while (p > s && ((unsigned char)*p & 0xc0) == 0x80)
		p--;
	rhv_utf8_next(p, &cp);
	return cp;
}

static int check_text(const char *s, size_t max, const char *what, bool is_name, enum rhv_exit code,
		      struct rhv_error *err)
{
	long len = rhv_utf8_len(s);
	uint32_t first;

	if (len < 0)
		return refuse(err, code, "invalid %s: not valid UTF-8", what);
	if (is_name && len == 0)
		return refuse(err, code, "invalid %s: must not be empty", what);
	if ((size_t)len > max)
		return refuse(err, code, "invalid %s: longer than %zu characters", what, max);
	for (const char *p = s; *p;) {
		uint32_t cp;

		p += rhv_utf8_next(p, &cp);
		if (rhv_char_is_control(cp) && (is_name || cp != '\t'))
			return refuse(err, code, "invalid %s: contains a control character", what);
	}
	if (is_name && (rhv_utf8_next(s, &first), is_space(first) || is_space(last_char(s))))
		return refuse(err, code, "invalid %s '%s': leading or trailing white space", what, s);
	return 0;
}

int rhv_check_name_as(const char *s, size_t max, const char *what, enum rhv_exit code, struct rhv_error *err)
{
	return check_text(s ? s : "", max, what, true, code, err);
}

int rhv_check_name(const char *s, size_t max, const char *what, struct rhv_error *err)
{
	return rhv_check_name_as(s, max, what, RHV_EXIT_USAGE, err);
}

int rhv_check_lookup_name(const char *s, const char *kind, struct rhv_error *err)
{
	char what[64];

	snprintf(what, sizeof(what), "%s name", kind);
	return rhv_check_name(s, RHV_LOOKUP_NAME_MAX, what, err);
}

int rhv_check_text_as(const char *s, size_t max, const char *what, enum rhv_exit code, struct rhv_error *err)
{
	return check_text(s ? s : "", max, what, false, code, err);
}

int rhv_check_text(const char *s, size_t max, const char *what, struct rhv_error *err)
{
	return rhv_check_text_as(s, max, what, RHV_EXIT_USAGE, err);
}

int rhv_check_volume_size(uint64_t size, const char *what, enum rhv_exit code, struct rhv_error *err)
{
	/* not the value: a reader may have clamped it already (json-c turns 2^64 into INT64_MAX) */
	if (size > RHV_VOLUME_SIZE_MAX)
		return refuse(err, code, "invalid %s: above the maximum of %" PRIu64 " bytes (16 PiB)", what,
			      RHV_VOLUME_SIZE_MAX);
	if (size == 0 || size % RHV_VOLUME_SIZE_ALIGN)
		return refuse(err, code, "invalid %s %" PRIu64 ": must be a positive multiple of %d bytes", what, size,
			      RHV_VOLUME_SIZE_ALIGN);
	return 0;
}

int rhv_check_file_name(const char *s, const char *what, enum rhv_exit code, struct rhv_error *err)
{
	s = s ? s : "";
	if (rhv_check_name_as(s, RHV_FILE_NAME_MAX, what, code, err) < 0)
		return -1;
	if (strlen(s) > RHV_FILE_NAME_MAX)
		return refuse(err, code, "invalid %s: longer than %d bytes", what, RHV_FILE_NAME_MAX);
	if (s[0] == '.' || strchr(s, '/'))
		return refuse(err, code, "invalid %s '%s': a file name, without '/' and not starting with '.'", what,
			      s);
	return 0;
}

/* Does the absolute path have an empty, '.' or '..' component, or end in '/'? */
static bool unclean_path(const char *s)
{
	for (const char *c = s + 1;; c += strcspn(c, "/") + 1) {
		size_t len = strcspn(c, "/");

		if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return true;
		if (!c[len])
			return false;
	}
}

int rhv_check_domain_path(const char *s, const char *what, enum rhv_exit code, struct rhv_error *err)
{
	s = s ? s : "";
	if (rhv_check_text_as(s, RHV_PATH_MAX, what, code, err) < 0)
		return -1;
	if (strchr(s, '\t'))
		return refuse(err, code, "invalid %s: contains a control character", what);
	if (s[0] != '/')
		return refuse(err, code, "invalid %s '%s': must be absolute", what, s);
	if (strlen(s) > RHV_PATH_MAX)
		return refuse(err, code, "invalid %s: longer than %d bytes", what, RHV_PATH_MAX);
	if (unclean_path(s))
		return refuse(err, code,
			      "invalid %s '%s': give it without '.', '..' or empty components and without a trailing "
			      "'/' (the same on every host)",
			      what, s);
	return 0;
}
