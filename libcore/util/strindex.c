/* A string-keyed open-addressing index (rhv/strindex.h). */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "rhv/error.h"
#include "rhv/strindex.h"

/* Keep at most 3 keys for 4 slots: probe sequences stay short. */
#define LOAD_NUM 3
#define LOAD_DEN 4

static uint64_t seed(void)
{
	static uint64_t s;

	if (!s) {
		uint64_t r = 0;

		/* no entropy yet (early boot): any value will do, the index stays correct */
		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
			r = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)&r;
		s = r | 1;
	}
	return s;
}

/* FNV-1a from a seeded basis, then a final mix so that every bit reaches the low ones the mask keeps. */
static uint64_t hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed();

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* The slot holding key, or the free slot where it would go. */
static size_t slot(const struct rhv_strindex *ix, const char *key)
{
	size_t mask = ix->cap - 1, i = (size_t)hash(key) & mask;

	while (ix->keys[i] && strcmp(ix->keys[i], key))
		i = (i + 1) & mask;
	return i;
}

static void resize(struct rhv_strindex *ix, size_t cap)
{
	struct rhv_strindex bigger = { rhv_xcalloc(cap, sizeof(char *)), rhv_xcalloc(cap, sizeof(int)), cap, ix->n };

	for (size_t i = 0; i < ix->cap; i++) {
		if (ix->keys[i]) {
			size_t k = slot(&bigger, ix->keys[i]);

			bigger.keys[k] = ix->keys[i];
			bigger.vals[k] = ix->vals[i];
		}
	}
	free(ix->keys);
	free(ix->vals);
	*ix = bigger;
}

/* Slots for n keys within the load factor: a power of two, at least 16. */
static size_t cap_for(size_t n)
{
	size_t cap = 16;

	while (cap / LOAD_DEN * LOAD_NUM < n)
		cap *= 2;
	return cap;
}

void rhv_strindex_init(struct rhv_strindex *ix, size_t expected)
{
	memset(ix, 0, sizeof(*ix));
	if (expected)
		resize(ix, cap_for(expected));
}

void rhv_strindex_clear(struct rhv_strindex *ix)
{
	free(ix->keys);
	free(ix->vals);
	memset(ix, 0, sizeof(*ix));
}

int rhv_strindex_add(struct rhv_strindex *ix, const char *key, int val)
{
	size_t k;

	if (ix->n + 1 > ix->cap / LOAD_DEN * LOAD_NUM)
		resize(ix, cap_for(ix->n + 1));
	k = slot(ix, key);
	if (ix->keys[k])
		return ix->vals[k];
	ix->keys[k] = key;
	ix->vals[k] = val;
	ix->n++;
	return -1;
}

int rhv_strindex_get(const struct rhv_strindex *ix, const char *key)
{
	size_t k;

	if (!key || !ix->cap)
		return -1;
	k = slot(ix, key);
	return ix->keys[k] ? ix->vals[k] : -1;
}
