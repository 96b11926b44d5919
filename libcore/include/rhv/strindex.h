/*
 * A string-keyed index: finds the position of a name or an id in the
 * caller's own array in constant expected time, for readers that would
 * otherwise scan the array for every lookup (snapshot and metadata files,
 * store rows).  Open addressing with linear probing; the hash is seeded
 * once per process, so a file cannot be crafted to make its names collide.
 * Lookups never depend on the seed's value: only their speed does.
 *
 * Keys are borrowed, not copied: each must stay valid and unchanged while
 * it is in the index.  Values are non-negative ints (array positions).
 * Allocation failures abort, like rhv_xmalloc().
 */
#pragma once

#include "rhv/common.h"

struct rhv_strindex {
	const char **keys; /* NULL: free slot */
	int *vals;
	size_t cap; /* slots, a power of two (0 before the first add) */
	size_t n;   /* keys held */
};

/* An empty index with room for `expected` keys before it grows (0: grow as needed). */
void rhv_strindex_init(struct rhv_strindex *ix, size_t expected);
/* Free the slots (not the keys) and leave an empty index. */
void rhv_strindex_clear(struct rhv_strindex *ix);

/*
 * Add key -> val (val >= 0) unless key is there already; then nothing
 * changes.  Returns: -1 when added, else the value key already has.
 */
int rhv_strindex_add(struct rhv_strindex *ix, const char *key, int val);
/* The value of key, or -1 when it is not in the index (or key is NULL). */
int rhv_strindex_get(const struct rhv_strindex *ix, const char *key);
