/* The one set of rules for names, text, sizes, file names and domain paths. */
#include "rhv/common.h"

#include "rhv/validate.h"
#include "tap.h"

static bool name_ok(const char *s, size_t max)
{
	struct rhv_error err = { 0 };

	return rhv_check_name(s, max, "name", &err) == 0;
}

/* Refused as a usage error from the command line, and as FAILED (no "Try --help") from a file. */
static bool name_refused(const char *s, size_t max)
{
	struct rhv_error usage = { 0 }, file = { 0 };

	return rhv_check_name(s, max, "name", &usage) < 0 && usage.code == RHV_EXIT_USAGE && usage.usage &&
	       rhv_check_name_as(s, max, "name", RHV_EXIT_FAILED, &file) < 0 && file.code == RHV_EXIT_FAILED &&
	       !file.usage;
}

static bool size_ok(uint64_t size)
{
	struct rhv_error err = { 0 };

	return rhv_check_volume_size(size, "size", RHV_EXIT_USAGE, &err) == 0;
}

static bool path_ok(const char *s)
{
	struct rhv_error err = { 0 };

	return rhv_check_domain_path(s, "path", RHV_EXIT_USAGE, &err) == 0;
}

static bool file_ok(const char *s)
{
	struct rhv_error err = { 0 };

	return rhv_check_file_name(s, "file name", RHV_EXIT_USAGE, &err) == 0;
}

int main(void)
{
	struct rhv_error err = { 0 };

	OK(name_ok("Default", 40) && name_ok("서울-dc", 40) && name_ok("a b", 40) && name_ok("🙂", 1),
	   "names: plain, Unicode, inner blanks; characters, not bytes, are counted");
	OK(name_refused("", 40), "names: empty refused");
	OK(name_refused(" lead", 40) && name_refused("trail ", 40) && name_refused("trail\xc2\xa0", 40) &&
		   name_refused("\xe3\x80\x80lead", 40),
	   "names: leading or trailing white space refused, Unicode's (U+00A0, U+3000) too");
	OK(name_refused("a\xc2\x85" "b", 40) && name_refused("a\xe2\x80\xa8" "b", 40) &&
		   name_refused("a\xe2\x80\xa9" "b", 40),
	   "names: U+0085, U+2028 and U+2029 refused");
	OK(name_refused("a\x1b[2J", 40) && name_refused("x\nrhv-dc: error: fake", 40) && name_refused("a\x7f", 40) &&
		   name_refused("a\tb", 40),
	   "names: ESC, newline, DEL and tab refused");
	OK(name_refused("\xff", 40) && name_refused("a\xc0\xaf", 40), "names: bytes that are not UTF-8 refused");
	OK(name_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 40) &&
		   name_refused("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 40),
	   "names: 40 characters fit in 40, 41 do not");
	rhv_check_name("x\ny", 40, "data center name", &err);
	IS_STR(err.message, "invalid data center name: contains a control character",
	       "names: the message does not quote a name with a control character");

	rhv_error_clear(&err);
	OK(rhv_check_lookup_name("x\nrhv-dc: error: fake", "data center", &err) < 0 && err.code == RHV_EXIT_USAGE,
	   "lookups: a control character is a usage error (%s)", err.message);
	rhv_error_clear(&err);
	OK(rhv_check_lookup_name("\xff", "VM", &err) < 0 && !strcmp(err.message, "invalid VM name: not valid UTF-8"),
	   "lookups: not UTF-8 (%s)", err.message);
	OK(rhv_check_lookup_name("0f5c3bbe-1d4a-4a53-9d53-0f6a4c1b2e11", "VM", &err) == 0,
	   "lookups: an id is a valid name");

	OK(size_ok(512) && size_ok(1ULL << 30) && size_ok(RHV_VOLUME_SIZE_MAX), "sizes: 512 bytes to 16 PiB");
	OK(!size_ok(0) && !size_ok(1) && !size_ok(511) && !size_ok(1025), "sizes: 0, 1 and odd sizes refused");
	OK(!size_ok(RHV_VOLUME_SIZE_MAX + 512) && !size_ok(UINT64_C(1) << 63) && !size_ok(UINT64_MAX - 511) &&
		   !size_ok(INT64_MAX),
	   "sizes: above 16 PiB, 2^63 and clamped values refused");

	OK(file_ok("debian-12.iso") && file_ok("서울.iso"), "file names: plain and Unicode");
	OK(!file_ok("") && !file_ok(".hidden") && !file_ok("..") && !file_ok("a/b") && !file_ok("a\x1b.iso") &&
		   !file_ok("\xff.iso"),
	   "file names: empty, dot files, '..', slashes, controls and bad UTF-8 refused");

	OK(path_ok("/rhv/data1") && path_ok("/srv/nfs/데이터") && path_ok("/a.b/..c/d.."),
	   "paths: absolute, Unicode, dots inside names");
	OK(!path_ok("rhv/data1") && !path_ok("") && !path_ok("/"), "paths: relative, empty and / refused");
	OK(!path_ok("/rhv/../etc") && !path_ok("/rhv/..") && !path_ok("/rhv/./d") && !path_ok("/rhv/.") &&
		   !path_ok("/rhv//d") && !path_ok("/rhv/d/"),
	   "paths: '.', '..', empty components and a trailing slash refused");
	OK(!path_ok("/rhv/d\nx") && !path_ok("/rhv/d\tx") && !path_ok("/rhv/\xff"),
	   "paths: control characters, tab included, and bad UTF-8 refused");
	return tap_done();
}
