/*
 * Block storage domain model (reference 2.12, 10.4): extents, the special
 * LVs, LUN and volume limits, format rules, and thin-provisioning extension.
 * Every expected number is worked out by hand in the comments.
 */
#include "rhv/common.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rhv/blockmodel.h"
#include "tap.h"

#define MIB RHV_BLOCK_MIB
#define GIB RHV_BLOCK_GIB
#define EXT RHV_BLOCK_EXTENT

/* A distinct UUID per number. */
static const char *uuid(unsigned n)
{
	static char buf[8][37];
	static unsigned next;
	char *b = buf[next++ % 8];

	snprintf(b, 37, "00000000-0000-4000-8000-%012x", n);
	return b;
}

/* A fresh domain of n LUNs of size bytes each, default settings. */
static int make(struct rhv_block_domain *d, size_t n, uint64_t size, struct rhv_error *err)
{
	struct rhv_block_lun_spec specs[RHV_BLOCK_MAX_LUNS + 1];
	char ids[RHV_BLOCK_MAX_LUNS + 1][40];

	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "36001405%024zx", i);
		specs[i].id = ids[i];
		specs[i].size = size;
	}
	return rhv_block_init(d, NULL, specs, n, err);
}

static bool near(double a, double b)
{
	return a > b - 1e-9 && a < b + 1e-9;
}

static void test_settings(void)
{
	struct rhv_block_settings s, in = { 0 };
	struct rhv_error err = { 0 };
	size_t n;
	const struct rhv_block_special_lv *sp = rhv_block_special_lvs(&n);
	uint64_t sum = 0;
	bool rounded = true;

	OK(rhv_block_settings_check(NULL, &s, &err) == 0 && s.chunk == 2560 * MIB && s.threshold_pct == 20,
	   "default settings: chunk 2560 MiB, threshold 20%%");
	in.chunk = 100 * MIB;
	rhv_error_clear(&err);
	OK(rhv_block_settings_check(&in, &s, &err) < 0 && err.code == RHV_EXIT_USAGE,
	   "a chunk that is not a multiple of 128 MiB is refused");
	in.chunk = 0;
	in.threshold_pct = 101;
	rhv_error_clear(&err);
	OK(rhv_block_settings_check(&in, &s, &err) < 0 && err.code == RHV_EXIT_USAGE, "threshold 101%% is refused");

	for (size_t i = 0; i < n; i++) {
		sum += sp[i].extents;
		rounded = rounded && sp[i].extents == rhv_block_extents(sp[i].size);
	}
	OK(n == 6 && rounded, "six special LVs, each rounded up to whole extents");
	/* 512 MiB = 4, 8 MiB = 1, 2 GiB = 16, 16 MiB = 1, 16 MiB = 1, 1 GiB = 8 */
	OK(sum == 31 && sum == RHV_BLOCK_SPECIAL_EXTENTS, "the special LVs take 31 extents (3968 MiB)");
	OK(rhv_block_extents(0) == 0 && rhv_block_extents(1) == 1 && rhv_block_extents(EXT) == 1 &&
		   rhv_block_extents(EXT + 1) == 2,
	   "extents round up: 0, 1 B, 128 MiB, 128 MiB + 1 B -> 0, 1, 1, 2");
}

static void test_luns(void)
{
	struct rhv_block_domain d;
	struct rhv_block_totals t;
	struct rhv_error err = { 0 };
	struct rhv_block_lun_spec dup[] = { { "lunA", 10 * GIB }, { "lunA", 10 * GIB } };

	/* 10 GiB = 80 extents, less 1 for LVM's metadata area = 79; 3 LUNs = 237; free 237 - 31 = 206 */
	OK(make(&d, 3, 10 * GIB, &err) == 0, "a domain of three 10 GiB LUNs");
	rhv_block_totals(&d, &t);
	OK(t.extents == 237 && t.size == 237 * EXT && t.size == 30336 * MIB, "its size: 237 extents, 30336 MiB");
	OK(t.used_extents == 31 && t.reserved == 3968 * MIB && t.used == t.reserved,
	   "the special LVs are used space from the start: 3968 MiB");
	OK(t.free_extents == 206 && t.free == 26368 * MIB, "free: 206 extents, 26368 MiB");
	OK(d.luns[0].extents == 79 && rhv_block_lun_find(&d, d.luns[2].id) == &d.luns[2],
	   "each LUN gives 79 extents and can be found by id");

	OK(rhv_block_lun_check(&d, d.luns[1].id, 10 * GIB, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "a LUN already in the domain cannot join it again");
	rhv_error_clear(&err);
	OK(rhv_block_lun_check(&d, "lunX", GIB - 1, &err) < 0 && err.code == RHV_EXIT_USAGE,
	   "a LUN below 1 GiB is refused");
	rhv_error_clear(&err);
	OK(rhv_block_lun_check(&d, "bad id", 10 * GIB, &err) < 0 && err.code == RHV_EXIT_USAGE,
	   "a LUN id with a space is refused");
	rhv_error_clear(&err);
	OK(rhv_block_lun_check(&d, "", 10 * GIB, &err) < 0 && err.code == RHV_EXIT_USAGE, "an empty LUN id is refused");
	rhv_error_clear(&err);

	/* 20 GiB + 5 MiB: 160 extents (the 5 MiB are lost), less 1 = 159; 237 + 159 = 396 */
	OK(rhv_block_lun_add(&d, "lunX", 20 * GIB + 5 * MIB, &err) == 0 && d.extents == 396 &&
		   d.used_extents == 31,
	   "adding a 20 GiB + 5 MiB LUN adds 159 extents: 396");
	rhv_block_clear(&d);
	OK(d.luns == NULL && d.nluns == 0 && d.extents == 0, "clear empties the model");

	OK(rhv_block_init(&d, NULL, dup, 2, &err) < 0 && err.code == RHV_EXIT_CONFLICT && d.nluns == 0 &&
		   d.luns == NULL,
	   "the same LUN twice at creation: refused, nothing left behind");
	rhv_error_clear(&err);
	OK(rhv_block_init(&d, NULL, dup, 0, &err) < 0 && err.code == RHV_EXIT_USAGE, "no LUN: refused");
	rhv_error_clear(&err);
	/* 1 GiB = 8 extents, 7 usable: fewer than the 31 the special LVs need */
	OK(make(&d, 1, GIB, &err) < 0 && err.code == RHV_EXIT_USAGE && d.nluns == 0,
	   "one 1 GiB LUN cannot hold the special LVs");
	IS_STR(err.message,
	       "LUNs too small for a block domain: the special volumes need 3968 MiB, the LUNs give 896 MiB",
	       "the message gives both sizes");
	rhv_error_clear(&err);
	/* 4 GiB = 32 extents, 31 usable: exactly the special LVs */
	OK(make(&d, 1, 4 * GIB, &err) == 0 && d.extents == 31 && d.used_extents == 31,
	   "one 4 GiB LUN holds the special LVs exactly, with nothing free");
	rhv_block_clear(&d);

	OK(make(&d, 300, GIB, &err) == 0 && d.nluns == 300 && d.extents == 2100,
	   "300 LUNs of 1 GiB: allowed, 2100 extents");
	OK(rhv_block_lun_add(&d, "lun301", GIB, &err) < 0 && err.code == RHV_EXIT_CONFLICT && d.nluns == 300 &&
		   d.extents == 2100,
	   "the 301st LUN is refused and changes nothing");
	rhv_error_clear(&err);
	rhv_block_clear(&d);
	OK(make(&d, 301, GIB, &err) < 0 && err.code == RHV_EXIT_CONFLICT && d.nluns == 0,
	   "a domain created from 301 LUNs is refused");
	rhv_error_clear(&err);
}

static void test_volumes(void)
{
	struct rhv_block_domain d;
	struct rhv_block_created c;
	struct rhv_block_totals t;
	struct rhv_error err = { 0 };

	make(&d, 3, 10 * GIB, &err); /* 206 extents free */

	OK(rhv_block_volume_create(&d, uuid(1), RHV_BLOCK_RAW, RHV_BLOCK_SPARSE, GIB, &c, &err) < 0 &&
		   err.code == RHV_EXIT_USAGE,
	   "raw sparse is refused on a block domain");
	IS_STR(err.message, "raw sparse volumes need a file domain", "and says why");
	rhv_error_clear(&err);
	OK(rhv_block_volume_create(&d, uuid(1), RHV_BLOCK_QCOW2, RHV_BLOCK_PREALLOCATED, GIB, &c, &err) < 0 &&
		   err.code == RHV_EXIT_USAGE,
	   "qcow2 preallocated is refused");
	IS_STR(err.message, "qcow2 preallocated volumes are not supported", "and says so");
	rhv_error_clear(&err);
	OK(rhv_block_volume_create(&d, "not-a-uuid", RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, GIB, &c, &err) < 0 &&
		   err.code == RHV_EXIT_USAGE,
	   "a volume id must be a UUID");
	rhv_error_clear(&err);
	OK(rhv_block_volume_create(&d, uuid(1), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, 0, &c, &err) < 0 &&
		   err.code == RHV_EXIT_USAGE,
	   "a volume of 0 bytes is refused");
	rhv_error_clear(&err);
	OK(d.nvolumes == 0 && d.used_extents == 31, "refusals allocate nothing");

	/* raw 10 GiB = 80 extents */
	OK(rhv_block_volume_create(&d, uuid(1), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, 10 * GIB, &c, &err) == 0 &&
		   c.lv_size == 10 * GIB && !c.warn && c.warning[0] == '\0',
	   "raw preallocated 10 GiB: an LV of 10 GiB, no warning");
	/* raw 1 GiB + 1 B = 9 extents */
	OK(rhv_block_volume_create(&d, uuid(2), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, GIB + 1, &c, &err) == 0 &&
		   c.lv_size == 9 * EXT,
	   "raw preallocated 1 GiB + 1 B: rounded up to 9 extents (1152 MiB)");
	/* qcow2 100 GiB: maximum 110 GiB = 880 extents; starts at one chunk = 20 extents */
	OK(rhv_block_volume_create(&d, uuid(3), RHV_BLOCK_QCOW2, RHV_BLOCK_SPARSE, 100 * GIB, &c, &err) == 0 &&
		   c.lv_size == 2560 * MIB,
	   "thin qcow2 100 GiB starts at one chunk, 2560 MiB");
	/* qcow2 1 GiB: 1.1 GiB = 1181116007 B -> 9 extents, less than a chunk */
	OK(rhv_block_volume_create(&d, uuid(4), RHV_BLOCK_QCOW2, RHV_BLOCK_SPARSE, GIB, &c, &err) == 0 &&
		   c.lv_size == 9 * EXT,
	   "thin qcow2 1 GiB starts at its maximum, 1152 MiB, not a whole chunk");
	OK(rhv_block_volume_max_size(RHV_BLOCK_QCOW2, 100 * GIB) == 110 * GIB &&
		   rhv_block_volume_max_size(RHV_BLOCK_QCOW2, GIB) == 9 * EXT &&
		   rhv_block_volume_max_size(RHV_BLOCK_RAW, GIB) == GIB,
	   "maximum LV sizes: qcow2 virtual * 1.1 and raw virtual, in extents");
	OK(rhv_block_volume_create(&d, uuid(1), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, GIB, &c, &err) < 0 &&
		   err.code == RHV_EXIT_CONFLICT,
	   "a volume id already used is refused");
	rhv_error_clear(&err);

	/* used 31 + 80 + 9 + 20 + 9 = 149; free 237 - 149 = 88 */
	rhv_block_totals(&d, &t);
	OK(t.used_extents == 149 && t.free_extents == 88 && t.nvolumes == 4, "used 149 extents, free 88");
	/* committed 10 GiB + (1 GiB + 1) + 100 GiB + 1 GiB = 112 GiB + 1 B over 30336 MiB */
	OK(t.committed == 112 * GIB + 1 && near(t.overcommit, (112.0 * 1024 + 1.0 / MIB) / 30336.0),
	   "committed 112 GiB + 1 B, overcommit ratio committed / size (%.3f)", t.overcommit);

	/* extend the thin volume by 1 B: one extent more, 21 */
	OK(rhv_block_volume_extend(&d, uuid(3), 1, &err) == 0 && rhv_block_volume_find(&d, uuid(3))->extents == 21 &&
		   d.used_extents == 150,
	   "extending by 1 B takes one whole extent");
	OK(rhv_block_volume_extend(&d, uuid(3), 0, &err) < 0 && err.code == RHV_EXIT_USAGE, "extending by 0 is refused");
	rhv_error_clear(&err);
	OK(rhv_block_volume_extend(&d, uuid(1), EXT, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "a raw LV is already at its maximum: extend refused");
	rhv_error_clear(&err);
	OK(rhv_block_volume_extend(&d, uuid(4), EXT, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "a small qcow2 LV at its maximum: extend refused");
	rhv_error_clear(&err);
	/* 87 free: 100 extents cannot fit */
	OK(rhv_block_volume_extend(&d, uuid(3), 100 * EXT, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "extending past the free space is refused");
	IS_STR(err.message, "cannot extend volume '" "00000000-0000-4000-8000-000000000003"
			    "': not enough free space: need 12800 MiB, free 11136 MiB",
	       "and gives need and free");
	rhv_error_clear(&err);

	OK(rhv_block_volume_remove(&d, uuid(1), &err) == 0 && d.used_extents == 70 && d.nvolumes == 3 &&
		   !rhv_block_volume_find(&d, uuid(1)) && rhv_block_volume_find(&d, uuid(4)),
	   "removing the raw 10 GiB volume frees its 80 extents");
	OK(rhv_block_volume_remove(&d, uuid(1), &err) < 0 && err.code == RHV_EXIT_NOTFOUND,
	   "removing it again: not found");
	rhv_error_clear(&err);
	rhv_block_clear(&d);

	/* Fill a fresh domain: 206 free = 2 x 80 + 46 */
	make(&d, 3, 10 * GIB, &err);
	rhv_block_volume_create(&d, uuid(10), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, 10 * GIB, NULL, &err);
	rhv_block_volume_create(&d, uuid(11), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, 10 * GIB, NULL, &err);
	OK(rhv_block_volume_create(&d, uuid(12), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, 10 * GIB, NULL, &err) < 0 &&
		   err.code == RHV_EXIT_CONFLICT && d.nvolumes == 2,
	   "the third raw 10 GiB volume does not fit");
	IS_STR(err.message, "cannot create volume '" "00000000-0000-4000-8000-00000000000c"
			    "': not enough free space: need 10240 MiB, free 5888 MiB",
	       "and says what it needs and what is free");
	rhv_error_clear(&err);
	OK(rhv_block_volume_create(&d, uuid(12), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, 46 * EXT, NULL, &err) == 0 &&
		   d.used_extents == d.extents,
	   "a 5888 MiB volume fills the last 46 extents");
	OK(rhv_block_volume_create(&d, uuid(13), RHV_BLOCK_QCOW2, RHV_BLOCK_SPARSE, GIB, NULL, &err) < 0 &&
		   err.code == RHV_EXIT_CONFLICT,
	   "a full domain takes not even a thin volume");
	rhv_error_clear(&err);
	rhv_block_totals(&d, &t);
	OK(t.free == 0 && t.used == t.size, "full: free 0, used = size");
	rhv_block_clear(&d);
}

static void test_volume_count_warning(void)
{
	struct rhv_block_domain d;
	struct rhv_block_created c = { 0 };
	struct rhv_error err = { 0 };
	bool warned_early = false;
	unsigned i;

	/* 50 GiB = 400 extents, 399 usable, 368 free: room for 351 one-extent volumes */
	make(&d, 1, 50 * GIB, &err);
	for (i = 1; i <= 350; i++) {
		if (rhv_block_volume_create(&d, uuid(i), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, MIB, &c, &err) < 0)
			break;
		warned_early = warned_early || c.warn;
	}
	OK(i == 351 && d.nvolumes == 350 && !warned_early, "350 volumes: no warning");
	OK(rhv_block_volume_create(&d, uuid(351), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, MIB, &c, &err) == 0 &&
		   c.warn,
	   "the 351st volume is created, with a warning");
	IS_STR(c.warning, "the block domain holds 351 volumes: more than 350 slow down its LVM operations",
	       "the warning text");
	rhv_block_clear(&d);
}

static void test_decide(void)
{
	struct rhv_block_settings s = { 1024 * MIB, 50 };
	uint64_t ns = 0, lv = 2560 * MIB, max = 110 * GIB;

	/* defaults: threshold 2560 MiB * 20 / 100 = 512 MiB */
	OK(!rhv_block_extend_decide(NULL, lv, max, lv - 512 * MIB, &ns) && ns == lv,
	   "512 MiB free in the LV: not below the threshold, no extension");
	OK(rhv_block_extend_decide(NULL, lv, max, lv - 512 * MIB + 1, &ns) && ns == 5120 * MIB,
	   "one byte less free: extend by a chunk, to 5120 MiB");
	OK(!rhv_block_extend_decide(NULL, lv, max, 0, &ns), "nothing written: no extension");
	OK(rhv_block_extend_decide(NULL, lv, max, lv + GIB, &ns) && ns == 5120 * MIB,
	   "a high-water mark past the end counts as full");
	/* 872 extents = 111616 MiB; a chunk more would pass 880 extents */
	OK(rhv_block_extend_decide(NULL, 872 * EXT, max, 872 * EXT, &ns) && ns == max,
	   "near the maximum: extend only to the maximum, 110 GiB");
	OK(!rhv_block_extend_decide(NULL, max, max, max, &ns) && ns == max, "at the maximum: never extend");
	/* chunk 1024 MiB at 50 %: threshold 512 MiB */
	OK(rhv_block_extend_decide(&s, GIB, 10 * GIB, 600 * MIB, &ns) && ns == 2 * GIB,
	   "custom chunk 1 GiB, 50%%: 424 MiB free extends to 2 GiB");
	/* chunk 1 GiB at 10 %: 1073741824 / 10 = 107374182 B */
	s.threshold_pct = 10;
	OK(!rhv_block_extend_decide(&s, GIB, 10 * GIB, GIB - 107374182, &ns),
	   "10%% of 1 GiB is 107374182 B: that much free is enough");
	OK(rhv_block_extend_decide(&s, GIB, 10 * GIB, GIB - 107374181, &ns), "one byte less is not");
}

static void test_apply(void)
{
	struct rhv_block_domain d;
	struct rhv_block_outcome o;
	struct rhv_error err = { 0 };

	/* one 10 GiB LUN: 79 - 31 = 48 free; two thin 100 GiB volumes of 20 extents leave 8 */
	make(&d, 1, 10 * GIB, &err);
	rhv_block_volume_create(&d, uuid(1), RHV_BLOCK_QCOW2, RHV_BLOCK_SPARSE, 100 * GIB, NULL, &err);
	rhv_block_volume_create(&d, uuid(2), RHV_BLOCK_QCOW2, RHV_BLOCK_SPARSE, 100 * GIB, NULL, &err);
	OK(d.extents - d.used_extents == 8, "8 extents left");
	OK(rhv_block_extend_apply(&d, uuid(1), 5120 * MIB, &o, &err) == 0 && o.result == RHV_BLOCK_EXT_ENOSPC &&
		   o.old_size == 2560 * MIB && o.new_size == 2560 * MIB && d.extents - d.used_extents == 8,
	   "a chunk does not fit: ENOSPC (the VM would pause), nothing allocated");
	rhv_block_volume_remove(&d, uuid(2), &err);
	OK(rhv_block_extend_apply(&d, uuid(1), 5120 * MIB, &o, &err) == 0 && o.result == RHV_BLOCK_EXT_EXTENDED &&
		   o.new_size == 5120 * MIB && d.extents - d.used_extents == 8,
	   "after removing the other volume it fits: extended to 5120 MiB");
	OK(rhv_block_extend_apply(&d, uuid(1), 5120 * MIB, &o, &err) == 0 && o.result == RHV_BLOCK_EXT_NOOP,
	   "the same size again: no-op");
	OK(rhv_block_extend_apply(&d, uuid(9), 5120 * MIB, &o, &err) < 0 && err.code == RHV_EXIT_NOTFOUND,
	   "an unknown volume: not found");
	rhv_error_clear(&err);
	rhv_block_clear(&d);
}

static void test_queue(void)
{
	struct rhv_block_domain d;
	struct rhv_block_outcome o;
	struct rhv_error err = { 0 };
	bool co = true;

	/* 206 free; A, B, C thin 100 GiB (20 each), R raw 1 GiB (8): 138 free */
	make(&d, 3, 10 * GIB, &err);
	rhv_block_volume_create(&d, uuid(1), RHV_BLOCK_QCOW2, RHV_BLOCK_SPARSE, 100 * GIB, NULL, &err);
	rhv_block_volume_create(&d, uuid(2), RHV_BLOCK_QCOW2, RHV_BLOCK_SPARSE, 100 * GIB, NULL, &err);
	rhv_block_volume_create(&d, uuid(3), RHV_BLOCK_QCOW2, RHV_BLOCK_SPARSE, 100 * GIB, NULL, &err);
	rhv_block_volume_create(&d, uuid(4), RHV_BLOCK_RAW, RHV_BLOCK_PREALLOCATED, GIB, NULL, &err);

	OK(rhv_block_extend_request(&d, uuid(1), 5120 * MIB, &co, &err) == 0 && !co && d.nqueue == 1,
	   "A's request is queued");
	rhv_block_extend_request(&d, uuid(2), 5120 * MIB, &co, &err);
	OK(rhv_block_extend_request(&d, uuid(1), 7680 * MIB, &co, &err) == 0 && co && d.nqueue == 2 &&
		   d.queue[0].new_size == 7680 * MIB,
	   "A again before processing: coalesced in place, the larger size kept");
	OK(rhv_block_extend_request(&d, uuid(1), 5120 * MIB, &co, &err) == 0 && co && d.queue[0].new_size == 7680 * MIB,
	   "a smaller repeat does not shrink the request");
	rhv_block_extend_request(&d, uuid(4), 2 * GIB, &co, &err);
	rhv_block_extend_request(&d, uuid(3), 5120 * MIB, &co, &err);
	OK(d.nqueue == 4, "four requests: A, B, R, C");
	OK(rhv_block_extend_request(&d, uuid(9), GIB, &co, &err) < 0 && err.code == RHV_EXIT_NOTFOUND,
	   "a request for an unknown volume: not found");
	rhv_error_clear(&err);
	OK(rhv_block_extend_request(&d, uuid(1), 0, &co, &err) < 0 && err.code == RHV_EXIT_USAGE,
	   "a request for 0 bytes: refused");
	rhv_error_clear(&err);
	rhv_block_volume_remove(&d, uuid(3), &err);
	OK(d.nqueue == 3, "removing C drops its request");

	OK(rhv_block_extend_process(&d, &o) && !strcmp(o.volume, uuid(1)) && o.result == RHV_BLOCK_EXT_EXTENDED &&
		   o.old_size == 2560 * MIB && o.new_size == 7680 * MIB,
	   "first A: 2560 -> 7680 MiB");
	OK(rhv_block_extend_process(&d, &o) && !strcmp(o.volume, uuid(2)) && o.result == RHV_BLOCK_EXT_EXTENDED &&
		   o.new_size == 5120 * MIB,
	   "then B: 2560 -> 5120 MiB");
	OK(rhv_block_extend_process(&d, &o) && !strcmp(o.volume, uuid(4)) && o.result == RHV_BLOCK_EXT_NOOP &&
		   o.new_size == GIB,
	   "then R, raw at its maximum: no-op");
	OK(!rhv_block_extend_process(&d, &o) && d.nqueue == 0, "then the queue is empty");
	/* 31 + A 60 + B 40 + R 8 = 139 */
	OK(d.used_extents == 139, "used: 139 extents");
	rhv_block_clear(&d);
}

/* A VM writes a thin 100 GiB disk to the end: host decides, SPM extends, until the cap. */
static void test_flow(void)
{
	struct rhv_block_domain d;
	struct rhv_block_outcome o;
	struct rhv_error err = { 0 };
	const struct rhv_block_volume *v;
	uint64_t ns, max = rhv_block_volume_max_size(RHV_BLOCK_QCOW2, 100 * GIB);
	int rounds = 0, extensions = 0;

	/* 200 GiB: 1600 - 1 - 31 = 1568 free, room for 880 extents */
	make(&d, 1, 200 * GIB, &err);
	rhv_block_volume_create(&d, uuid(1), RHV_BLOCK_QCOW2, RHV_BLOCK_SPARSE, 100 * GIB, NULL, &err);
	v = rhv_block_volume_find(&d, uuid(1));
	while (rounds++ < 100) {
		uint64_t lv = v->extents * EXT;

		if (!rhv_block_extend_decide(&d.settings, lv, max, lv, &ns))
			break;
		rhv_block_extend_request(&d, uuid(1), ns, NULL, &err);
		rhv_block_extend_request(&d, uuid(1), ns, NULL, &err); /* the host repeats itself */
		while (rhv_block_extend_process(&d, &o))
			extensions += o.result == RHV_BLOCK_EXT_EXTENDED;
		v = rhv_block_volume_find(&d, uuid(1));
	}
	/* 20 extents to 880 in chunks of 20: 43 extensions */
	OK(extensions == 43 && v->extents == 880 && v->extents * EXT == 110 * GIB,
	   "a thin 100 GiB disk grows in 43 chunks to 110 GiB and stops there");
	OK(d.used_extents == 31 + 880, "the domain's used space follows: 911 extents");
	rhv_block_clear(&d);
}

int main(void)
{
	test_settings();
	test_luns();
	test_volumes();
	test_volume_count_warning();
	test_decide();
	test_apply();
	test_queue();
	test_flow();
	return tap_done();
}
