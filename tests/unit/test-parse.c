/* Argument parsers: junk, overflow and ranges. */
#include "rhv/common.h"

#include "rhv/parse.h"
#include "rhv/vm.h"
#include "tap.h"

static int int_ok(const char *s, int64_t min, int64_t max, int64_t want)
{
	struct rhv_error err = { 0 };
	int64_t v = -999;

	return rhv_parse_int(s, min, max, "n", &v, &err) == 0 && v == want && err.code == 0;
}

static int int_bad(const char *s, int64_t min, int64_t max)
{
	struct rhv_error err = { 0 };
	int64_t v;

	return rhv_parse_int(s, min, max, "n", &v, &err) < 0 && err.code == RHV_EXIT_USAGE && err.usage;
}

static int size_is(const char *s, uint64_t want)
{
	struct rhv_error err = { 0 };
	uint64_t v = 0;

	return rhv_parse_size(s, "size", &v, &err) == 0 && v == want;
}

static int size_bad(const char *s)
{
	struct rhv_error err = { 0 };
	uint64_t v;

	return rhv_parse_size(s, "size", &v, &err) < 0 && err.code == RHV_EXIT_USAGE;
}

static int name_ok(const char *s)
{
	struct rhv_error err = { 0 };

	return rhv_check_name(s, 40, "name", &err) == 0;
}

static int prio_is(const char *s, int want)
{
	struct rhv_error err = { 0 };
	int v = -1;

	return rhv_vm_ha_priority_parse(s, "--ha-priority", &v, &err) == 0 && v == want && err.code == 0;
}

static int prio_bad(const char *s)
{
	struct rhv_error err = { 0 };
	int v = -1;

	return rhv_vm_ha_priority_parse(s, "--ha-priority", &v, &err) < 0 && err.code == RHV_EXIT_USAGE && v == -1;
}

static int time_is(const char *s, int64_t now, int64_t want)
{
	struct rhv_error err = { 0 };
	int64_t v = 0;

	return rhv_parse_time(s, "t", now, &v, &err) == 0 && v == want;
}

int main(void)
{
	struct rhv_error err = { 0 };
	bool b;

	OK(int_ok("42", 0, 100, 42), "int: plain number");
	OK(int_ok("-1", -1, 10, -1), "int: negative within range");
	OK(int_bad("", 0, 10), "int: empty rejected");
	OK(int_bad("12abc", 0, 100), "int: trailing junk rejected");
	OK(int_bad(" 5", 0, 10), "int: leading space rejected");
	OK(int_bad("11", 0, 10), "int: above range rejected");
	OK(int_bad("99999999999999999999999", 0, INT64_MAX), "int: overflow rejected");
	OK(int_bad("0x10", 0, 100), "int: hex rejected");
	rhv_parse_int("11", 0, 10, "count", &(int64_t){ 0 }, &err);
	IS_STR(err.message, "invalid count '11': must be between 0 and 10", "int: message names the value and range");

	OK(size_is("512", 512), "size: bytes");
	OK(size_is("4K", 4096), "size: K");
	OK(size_is("1GiB", 1073741824), "size: GiB");
	OK(size_is("2g", 2147483648ULL), "size: lowercase g");
	OK(size_bad("1.5G"), "size: fraction rejected");
	OK(size_bad("-1G"), "size: negative rejected");
	OK(size_bad("10X"), "size: unknown unit rejected");
	OK(size_bad("99999999999T"), "size: overflow rejected");

	OK(rhv_parse_bool("yes", "b", &b, &err) == 0 && b, "bool: yes");
	OK(rhv_parse_bool("OFF", "b", &b, &err) == 0 && !b, "bool: OFF");
	rhv_error_clear(&err);
	OK(rhv_parse_bool("maybe", "b", &b, &err) < 0 && err.code == RHV_EXIT_USAGE, "bool: junk rejected");

	OK(time_is("2h", 100000, 100000 - 7200), "time: duration ago");
	OK(time_is("2026-11-26T07:00:00Z", 0, 1795676400), "time: RFC 3339 UTC");
	OK(time_is("2026-11-26T09:00:00+02:00", 0, 1795676400), "time: offset applied");
	OK(time_is("2026-11-26", 0, 1795651200), "time: date only");
	rhv_error_clear(&err);
	OK(rhv_parse_time("yesterday", "t", 0, &(int64_t){ 0 }, &err) < 0, "time: junk rejected");
	OK(time_is("2024-02-29T00:00:00Z", 0, 1709164800), "time: 29 February of a leap year");
	OK(time_is("2026-01-01T00:00+23:59", 0, 1767225600 - 86340), "time: offset +23:59");
	{
		static const char *const bad[] = { "2026-02-30", "2023-02-29", "2026-04-31T10:00Z", "1900-02-29",
						   "2026-01-01+99:99", "2026-01-01T00:00-24:00", "2026-01-01T00:00+00:60",
						   "53375995583d", "99999999999999999999d", "0000-01-01",
						   "2026-01-01T00:00:61Z" };

		for (size_t i = 0; i < RHV_ARRAY_SIZE(bad); i++) {
			rhv_error_clear(&err);
			OK(rhv_parse_time(bad[i], "--since", 1795676400, &(int64_t){ 0 }, &err) < 0 &&
				   err.code == RHV_EXIT_USAGE,
			   "time: '%s' refused (%s)", bad[i], err.message);
		}
	}
	rhv_error_clear(&err);
	rhv_parse_int("80.5", 50, 99, "value for HighUtilization", &(int64_t){ 0 }, &err);
	IS_STR(err.message, "invalid value for HighUtilization '80.5': expected a whole number between 50 and 99",
	       "int: a fraction is told the range");
	rhv_error_clear(&err);
	rhv_parse_int("x", 1, INT64_MAX, "limit", &(int64_t){ 0 }, &err);
	IS_STR(err.message, "invalid limit 'x': expected a whole number, at least 1", "int: junk with a lower bound");
	OK(size_bad("8388608T"), "size: 2^63 bytes rejected (above INT64_MAX)");

	OK(name_ok("Default"), "name: plain");
	OK(name_ok("서울-데이터센터"), "name: unicode welcome");
	OK(name_ok("0123456789012345678901234567890123456789"), "name: 40 characters");
	OK(!name_ok("01234567890123456789012345678901234567890"), "name: 41 characters rejected");
	OK(name_ok("가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카"),
	   "name: 40 Hangul characters (120 bytes) accepted");
	OK(!name_ok(""), "name: empty rejected");
	OK(!name_ok("a\tb"), "name: tab rejected");
	OK(!name_ok("a\nb"), "name: newline rejected");
	OK(!name_ok("a\x7f"), "name: DEL rejected");
	OK(!name_ok(" lead"), "name: leading space rejected");
	OK(!name_ok("trail "), "name: trailing space rejected");
	OK(!name_ok("bad\xff"), "name: invalid UTF-8 rejected");
	OK(!name_ok("\xc0\xaf"), "name: overlong UTF-8 rejected");
	OK(rhv_looks_like_uuid("38ff9d9b-0a38-4ea2-83dd-a8390b652ac0"), "uuid: shape recognised");
	OK(!rhv_looks_like_uuid("Default"), "uuid: name is not a uuid");
	{
		static const char *const choices[] = { "a", "b", NULL };

		rhv_error_clear(&err);
		OK(rhv_parse_enum("b", choices, "x", &err) == 1, "enum: index returned");
		OK(rhv_parse_enum("c", choices, "x", &err) < 0, "enum: unknown rejected");
		IS_STR(err.hint, "valid values: a, b", "enum: hint lists the choices");
	}
	OK(prio_is("low", 1) && prio_is("Medium", 50) && prio_is("HIGH", 100), "HA priority: oVirt's names");
	OK(prio_is("1", 1) && prio_is("42", 42) && prio_is("100", 100), "HA priority: 1 to 100");
	OK(prio_bad("0") && prio_bad("101") && prio_bad("-1") && prio_bad("+5") && prio_bad(" 5") && prio_bad("5 ") &&
	   prio_bad("") && prio_bad(NULL) && prio_bad("1.5") && prio_bad("lowest") && prio_bad("99999999999999999999"),
	   "HA priority: out of range and junk rejected");
	return tap_done();
}
