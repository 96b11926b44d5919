/* The string-keyed index: adds, duplicates, misses, growth and clearing. */
#include "rhv/common.h"

#include <stdio.h>

#include "rhv/strindex.h"
#include "tap.h"

#define MANY 100000

int main(void)
{
	static char keys[MANY][16];
	struct rhv_strindex ix;
	bool all = true, dup = true;

	rhv_strindex_init(&ix, 0);
	OK(rhv_strindex_get(&ix, "a") == -1, "empty: nothing found");
	OK(rhv_strindex_get(&ix, NULL) == -1, "a NULL key is never found");
	OK(rhv_strindex_add(&ix, "a", 0) == -1 && rhv_strindex_add(&ix, "b", 7) == -1, "two keys added");
	OK(rhv_strindex_get(&ix, "a") == 0 && rhv_strindex_get(&ix, "b") == 7, "each key gives its own value");
	OK(rhv_strindex_get(&ix, "c") == -1 && rhv_strindex_get(&ix, "") == -1 && rhv_strindex_get(&ix, "ab") == -1,
	   "other keys, the empty one and a longer one are not found");
	OK(rhv_strindex_add(&ix, "a", 9) == 0 && rhv_strindex_get(&ix, "a") == 0 && ix.n == 2,
	   "adding a key again returns its value and changes nothing");
	OK(rhv_strindex_add(&ix, "", 3) == -1 && rhv_strindex_get(&ix, "") == 3, "the empty string is a key");
	rhv_strindex_clear(&ix);
	OK(ix.n == 0 && rhv_strindex_get(&ix, "a") == -1, "cleared: empty again");

	/* grows from nothing, through many resizes */
	rhv_strindex_init(&ix, 0);
	for (int i = 0; i < MANY; i++) {
		snprintf(keys[i], sizeof(keys[i]), "vm%06d", i);
		all = all && rhv_strindex_add(&ix, keys[i], i) == -1;
	}
	OK(all && ix.n == MANY, "%d keys added while growing", MANY);
	for (int i = 0; i < MANY; i++) {
		all = all && rhv_strindex_get(&ix, keys[i]) == i;
		dup = dup && rhv_strindex_add(&ix, keys[i], 0) == i;
	}
	OK(all, "every key found with its value after growing");
	OK(dup && ix.n == MANY, "every key seen as a duplicate");
	OK(rhv_strindex_get(&ix, "vm100000") == -1 && rhv_strindex_get(&ix, "vm00000") == -1, "near misses not found");
	OK(ix.cap >= MANY && (ix.cap & (ix.cap - 1)) == 0 && ix.n * 4 <= ix.cap * 3,
	   "slots: a power of two within the load factor");
	rhv_strindex_clear(&ix);

	/* sized up front: no growth needed */
	rhv_strindex_init(&ix, 1000);
	{
		size_t cap = ix.cap;

		for (int i = 0; i < 1000; i++)
			rhv_strindex_add(&ix, keys[i], i);
		OK(ix.cap == cap && ix.n == 1000, "an index sized for 1000 keys holds them without growing");
	}
	rhv_strindex_clear(&ix);
	return tap_done();
}
