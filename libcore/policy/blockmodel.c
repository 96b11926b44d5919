/*
 * The block storage domain model: LUNs, extents, volumes and the
 * thin-provisioning extension flow, as plain arithmetic on structs.
 * See rhv/blockmodel.h for the rules and where they come from.
 */
#include "rhv/common.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/blockmodel.h"
#include "rhv/parse.h"

static const struct rhv_block_special_lv special_lvs[] = {
	{ "metadata", 512 * RHV_BLOCK_MIB, 4 },
	{ "ids", 8 * RHV_BLOCK_MIB, 1 },
	{ "leases", 2 * RHV_BLOCK_GIB, 16 },
	{ "inbox", 16 * RHV_BLOCK_MIB, 1 },
	{ "outbox", 16 * RHV_BLOCK_MIB, 1 },
	{ "master", RHV_BLOCK_GIB, 8 },
};

const struct rhv_block_special_lv *rhv_block_special_lvs(size_t *n)
{
	*n = RHV_ARRAY_SIZE(special_lvs);
	return special_lvs;
}

uint64_t rhv_block_extents(uint64_t bytes)
{
	return bytes / RHV_BLOCK_EXTENT + (bytes % RHV_BLOCK_EXTENT != 0);
}

/* Extents as MiB for messages: always exact, and easier to read than bytes. */
static uint64_t ext_mib(uint64_t extents)
{
	return extents * (RHV_BLOCK_EXTENT / RHV_BLOCK_MIB);
}

static uint64_t free_extents(const struct rhv_block_domain *d)
{
	return d->extents - d->used_extents;
}

static int no_space(uint64_t need, uint64_t avail, const char *what, const char *id, struct rhv_error *err)
{
	return rhv_error_set(err, RHV_EXIT_CONFLICT,
			     "cannot %s volume '%s': not enough free space: need %" PRIu64 " MiB, free %" PRIu64
			     " MiB",
			     what, id, ext_mib(need), ext_mib(avail));
}

/* ---- settings ---- */

int rhv_block_settings_check(const struct rhv_block_settings *s, struct rhv_block_settings *out,
			     struct rhv_error *err)
{
	struct rhv_block_settings r = { RHV_BLOCK_DEFAULT_CHUNK, RHV_BLOCK_DEFAULT_THRESHOLD };

	if (s && s->chunk)
		r.chunk = s->chunk;
	if (s && s->threshold_pct)
		r.threshold_pct = s->threshold_pct;
	/* LVM extends by whole extents: a chunk between them would be a lie. */
	if (r.chunk % RHV_BLOCK_EXTENT || r.chunk > RHV_BLOCK_SIZE_MAX)
		return rhv_error_set(err, RHV_EXIT_USAGE,
				     "invalid chunk size %" PRIu64 ": must be a multiple of 128 MiB up to 16 PiB",
				     r.chunk);
	if (r.threshold_pct < 1 || r.threshold_pct > 100)
		return rhv_error_set(err, RHV_EXIT_USAGE, "invalid threshold %d%%: must be 1..100",
				     r.threshold_pct);
	*out = r;
	return 0;
}

/* ---- LUNs ---- */

const struct rhv_block_lun *rhv_block_lun_find(const struct rhv_block_domain *d, const char *id)
{
	for (size_t i = 0; id && i < d->nluns; i++)
		if (!strcmp(d->luns[i].id, id))
			return &d->luns[i];
	return NULL;
}

/* WWIDs and iSCSI names are printable ASCII; anything else is a typo or junk. */
static bool good_lun_id(const char *id)
{
	size_t len = id ? strlen(id) : 0;

	if (len == 0 || len > RHV_BLOCK_LUN_ID_MAX)
		return false;
	for (const char *p = id; *p; p++)
		if (*p <= ' ' || *p > '~')
			return false;
	return true;
}

int rhv_block_lun_check(const struct rhv_block_domain *d, const char *id, uint64_t size,
			struct rhv_error *err)
{
	if (!good_lun_id(id))
		return rhv_error_set(err, RHV_EXIT_USAGE,
				     "invalid LUN id '%s': want 1..%d printable characters without spaces",
				     id ? id : "", RHV_BLOCK_LUN_ID_MAX);
	/* Smaller LUNs would give LVM's metadata more than the volumes. */
	if (size < RHV_BLOCK_MIN_LUN)
		return rhv_error_set(err, RHV_EXIT_USAGE,
				     "cannot use LUN '%s': %" PRIu64 " bytes is below the minimum of 1 GiB", id, size);
	if (size > RHV_BLOCK_SIZE_MAX)
		return rhv_error_set(err, RHV_EXIT_USAGE, "cannot use LUN '%s': %" PRIu64 " bytes is above 16 PiB",
				     id, size);
	if (rhv_block_lun_find(d, id))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "LUN '%s' is already in the domain", id);
	if (d->nluns >= RHV_BLOCK_MAX_LUNS)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "cannot add LUN '%s': the domain has %d LUNs, the limit",
				     id, RHV_BLOCK_MAX_LUNS);
	return 0;
}

int rhv_block_lun_add(struct rhv_block_domain *d, const char *id, uint64_t size, struct rhv_error *err)
{
	struct rhv_block_lun *l;

	if (rhv_block_lun_check(d, id, size, err) < 0)
		return -1;
	d->luns = rhv_xrealloc(d->luns, (d->nluns + 1) * sizeof(*d->luns));
	l = &d->luns[d->nluns++];
	memset(l, 0, sizeof(*l));
	strcpy(l->id, id); /* length checked above */
	l->size = size;
	/* Extents never span PVs, so each LUN is rounded down on its own. */
	l->extents = size / RHV_BLOCK_EXTENT - RHV_BLOCK_PV_OVERHEAD_EXTENTS;
	d->extents += l->extents;
	return 0;
}

/* ---- the domain ---- */

static uint64_t special_extents(void)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < RHV_ARRAY_SIZE(special_lvs); i++)
		sum += special_lvs[i].extents;
	return sum;
}

int rhv_block_init(struct rhv_block_domain *d, const struct rhv_block_settings *s,
		   const struct rhv_block_lun_spec *luns, size_t n, struct rhv_error *err)
{
	uint64_t special = special_extents();

	memset(d, 0, sizeof(*d));
	if (rhv_block_settings_check(s, &d->settings, err) < 0)
		return -1;
	if (n == 0)
		return rhv_error_set(err, RHV_EXIT_USAGE, "a block domain needs at least one LUN");
	for (size_t i = 0; i < n; i++) {
		if (rhv_block_lun_add(d, luns[i].id, luns[i].size, err) < 0) {
			rhv_block_clear(d);
			return -1;
		}
	}
	/* vdsm creates the special LVs with the VG; a domain without them is no domain. */
	if (d->extents < special) {
		uint64_t have = d->extents;

		rhv_block_clear(d);
		return rhv_error_set(err, RHV_EXIT_USAGE,
				     "LUNs too small for a block domain: the special volumes need %" PRIu64
				     " MiB, the LUNs give %" PRIu64 " MiB",
				     ext_mib(special), ext_mib(have));
	}
	d->used_extents = special;
	return 0;
}

void rhv_block_clear(struct rhv_block_domain *d)
{
	free(d->luns);
	free(d->volumes);
	free(d->queue);
	memset(d, 0, sizeof(*d));
}

void rhv_block_totals(const struct rhv_block_domain *d, struct rhv_block_totals *out)
{
	memset(out, 0, sizeof(*out));
	out->extents = d->extents;
	out->used_extents = d->used_extents;
	out->free_extents = free_extents(d);
	out->size = d->extents * RHV_BLOCK_EXTENT;
	out->used = d->used_extents * RHV_BLOCK_EXTENT;
	out->free = out->free_extents * RHV_BLOCK_EXTENT;
	out->reserved = d->nluns ? special_extents() * RHV_BLOCK_EXTENT : 0;
	for (size_t i = 0; i < d->nvolumes; i++)
		if (__builtin_add_overflow(out->committed, d->volumes[i].virtual_size, &out->committed))
			out->committed = UINT64_MAX;
	out->overcommit = out->size ? (double)out->committed / (double)out->size : 0.0;
	out->nluns = d->nluns;
	out->nvolumes = d->nvolumes;
}

/* ---- volumes ---- */

static struct rhv_block_volume *find_volume(const struct rhv_block_domain *d, const char *id)
{
	for (size_t i = 0; id && i < d->nvolumes; i++)
		if (!strcmp(d->volumes[i].id, id))
			return &d->volumes[i];
	return NULL;
}

const struct rhv_block_volume *rhv_block_volume_find(const struct rhv_block_domain *d, const char *id)
{
	return find_volume(d, id);
}

static uint64_t max_extents(enum rhv_block_format format, uint64_t virtual_size)
{
	/* qcow2 needs room for its L1/L2 tables and refcounts: 10 % as vdsm. */
	if (format == RHV_BLOCK_QCOW2)
		virtual_size += virtual_size / 10 + (virtual_size % 10 != 0);
	return rhv_block_extents(virtual_size);
}

uint64_t rhv_block_volume_max_size(enum rhv_block_format format, uint64_t virtual_size)
{
	return max_extents(format, virtual_size) * RHV_BLOCK_EXTENT;
}

/* The format and allocation rules of block domains; the LV size in *extents. */
static int initial_extents(const struct rhv_block_domain *d, enum rhv_block_format format,
			   enum rhv_block_alloc alloc, uint64_t virtual_size, uint64_t *extents,
			   struct rhv_error *err)
{
	uint64_t chunk = d->settings.chunk / RHV_BLOCK_EXTENT;

	if (format == RHV_BLOCK_RAW && alloc == RHV_BLOCK_SPARSE)
		return rhv_error_set(err, RHV_EXIT_USAGE, "raw sparse volumes need a file domain");
	if (format == RHV_BLOCK_QCOW2 && alloc == RHV_BLOCK_PREALLOCATED)
		return rhv_error_set(err, RHV_EXIT_USAGE, "qcow2 preallocated volumes are not supported");
	*extents = max_extents(format, virtual_size);
	/* A thin volume starts with one chunk and grows as the guest writes. */
	if (format == RHV_BLOCK_QCOW2 && *extents > chunk)
		*extents = chunk;
	return 0;
}

static void count_warning(const struct rhv_block_domain *d, struct rhv_block_created *out)
{
	out->warn = d->nvolumes > RHV_BLOCK_VOLUMES_WARN;
	out->warning[0] = '\0';
	if (out->warn)
		snprintf(out->warning, sizeof(out->warning),
			 "the block domain holds %zu volumes: more than %d slow down its LVM operations",
			 d->nvolumes, RHV_BLOCK_VOLUMES_WARN);
}

int rhv_block_volume_create(struct rhv_block_domain *d, const char *id, enum rhv_block_format format,
			    enum rhv_block_alloc alloc, uint64_t virtual_size, struct rhv_block_created *out,
			    struct rhv_error *err)
{
	struct rhv_block_volume *v;
	uint64_t extents = 0;

	if (!id || !rhv_looks_like_uuid(id))
		return rhv_error_set(err, RHV_EXIT_USAGE, "invalid volume id '%s': not a UUID", id ? id : "");
	if (virtual_size == 0 || virtual_size > RHV_BLOCK_SIZE_MAX)
		return rhv_error_set(err, RHV_EXIT_USAGE,
				     "invalid size %" PRIu64 " for volume '%s': must be 1 byte to 16 PiB", virtual_size,
				     id);
	if (initial_extents(d, format, alloc, virtual_size, &extents, err) < 0)
		return -1;
	if (find_volume(d, id))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "volume '%s' already exists", id);
	if (extents > free_extents(d))
		return no_space(extents, free_extents(d), "create", id, err);

	d->volumes = rhv_xrealloc(d->volumes, (d->nvolumes + 1) * sizeof(*d->volumes));
	v = &d->volumes[d->nvolumes++];
	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%s", id);
	v->format = format;
	v->alloc = alloc;
	v->virtual_size = virtual_size;
	v->extents = extents;
	d->used_extents += extents;
	if (out) {
		out->lv_size = extents * RHV_BLOCK_EXTENT;
		count_warning(d, out);
	}
	return 0;
}

/* Drop queued requests for a volume that is going away. */
static void drop_requests(struct rhv_block_domain *d, const char *id)
{
	size_t k = 0;

	for (size_t i = 0; i < d->nqueue; i++)
		if (strcmp(d->queue[i].volume, id))
			d->queue[k++] = d->queue[i];
	d->nqueue = k;
}

int rhv_block_volume_remove(struct rhv_block_domain *d, const char *id, struct rhv_error *err)
{
	struct rhv_block_volume *v = find_volume(d, id);
	size_t i;

	if (!v)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find volume '%s'", id ? id : "");
	i = (size_t)(v - d->volumes);
	d->used_extents -= v->extents;
	drop_requests(d, id);
	memmove(v, v + 1, (d->nvolumes - i - 1) * sizeof(*v));
	d->nvolumes--;
	return 0;
}

int rhv_block_volume_extend(struct rhv_block_domain *d, const char *id, uint64_t bytes,
			    struct rhv_error *err)
{
	struct rhv_block_volume *v = find_volume(d, id);
	uint64_t add = rhv_block_extents(bytes), max;

	if (bytes == 0)
		return rhv_error_set(err, RHV_EXIT_USAGE, "cannot extend volume '%s' by 0 bytes", id ? id : "");
	if (!v)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find volume '%s'", id ? id : "");
	max = max_extents(v->format, v->virtual_size);
	if (add > max - v->extents)
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "cannot extend volume '%s' to %" PRIu64 " MiB: its maximum is %" PRIu64 " MiB",
				     id, ext_mib(v->extents) + ext_mib(add), ext_mib(max));
	if (add > free_extents(d))
		return no_space(add, free_extents(d), "extend", id, err);
	v->extents += add;
	d->used_extents += add;
	return 0;
}

/* ---- thin provisioning ---- */

bool rhv_block_extend_decide(const struct rhv_block_settings *s, uint64_t lv_size, uint64_t max_size,
			     uint64_t highwater, uint64_t *new_size)
{
	uint64_t chunk = s && s->chunk ? s->chunk : RHV_BLOCK_DEFAULT_CHUNK;
	int pct = s && s->threshold_pct ? s->threshold_pct : RHV_BLOCK_DEFAULT_THRESHOLD;
	uint64_t threshold = chunk * (uint64_t)pct / 100; /* chunk <= 2^54: no overflow */
	uint64_t free_in_lv = highwater < lv_size ? lv_size - highwater : 0;

	*new_size = lv_size;
	/* At its maximum the LV can hold every byte qcow2 may write: never ask. */
	if (lv_size >= max_size || free_in_lv >= threshold)
		return false;
	*new_size = max_size - lv_size > chunk ? lv_size + chunk : max_size;
	return true;
}

int rhv_block_extend_apply(struct rhv_block_domain *d, const char *id, uint64_t new_size,
			   struct rhv_block_outcome *out, struct rhv_error *err)
{
	struct rhv_block_volume *v = find_volume(d, id);
	struct rhv_block_outcome o;
	uint64_t want, add;

	if (new_size == 0)
		return rhv_error_set(err, RHV_EXIT_USAGE, "cannot extend volume '%s' to 0 bytes", id ? id : "");
	if (!v)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find volume '%s'", id ? id : "");
	want = rhv_block_extents(new_size);
	if (want > max_extents(v->format, v->virtual_size))
		want = max_extents(v->format, v->virtual_size);
	memset(&o, 0, sizeof(o));
	snprintf(o.volume, sizeof(o.volume), "%s", v->id);
	o.old_size = o.new_size = v->extents * RHV_BLOCK_EXTENT;
	o.result = RHV_BLOCK_EXT_NOOP;
	/* Hosts repeat requests until they see the new size: late ones change nothing. */
	if (want > v->extents) {
		add = want - v->extents;
		if (add > free_extents(d)) {
			o.result = RHV_BLOCK_EXT_ENOSPC;
		} else {
			v->extents = want;
			d->used_extents += add;
			o.result = RHV_BLOCK_EXT_EXTENDED;
			o.new_size = want * RHV_BLOCK_EXTENT;
		}
	}
	if (out)
		*out = o;
	return 0;
}

int rhv_block_extend_request(struct rhv_block_domain *d, const char *id, uint64_t new_size,
			     bool *coalesced, struct rhv_error *err)
{
	struct rhv_block_request *r;

	if (new_size == 0)
		return rhv_error_set(err, RHV_EXIT_USAGE, "cannot extend volume '%s' to 0 bytes", id ? id : "");
	if (!find_volume(d, id))
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find volume '%s'", id ? id : "");
	/* One extension per volume in flight: a second would only grow it twice. */
	for (size_t i = 0; i < d->nqueue; i++) {
		if (!strcmp(d->queue[i].volume, id)) {
			if (new_size > d->queue[i].new_size)
				d->queue[i].new_size = new_size;
			if (coalesced)
				*coalesced = true;
			return 0;
		}
	}
	d->queue = rhv_xrealloc(d->queue, (d->nqueue + 1) * sizeof(*d->queue));
	r = &d->queue[d->nqueue++];
	memset(r, 0, sizeof(*r));
	snprintf(r->volume, sizeof(r->volume), "%s", id);
	r->new_size = new_size;
	if (coalesced)
		*coalesced = false;
	return 0;
}

bool rhv_block_extend_process(struct rhv_block_domain *d, struct rhv_block_outcome *out)
{
	struct rhv_block_request r;
	struct rhv_block_outcome o;
	struct rhv_error err = { 0 };

	if (d->nqueue == 0)
		return false;
	r = d->queue[0];
	memmove(d->queue, d->queue + 1, (d->nqueue - 1) * sizeof(*d->queue));
	d->nqueue--;
	/* Requests are checked when queued and dropped with their volume, so this cannot fail. */
	if (rhv_block_extend_apply(d, r.volume, r.new_size, &o, &err) < 0) {
		memset(&o, 0, sizeof(o));
		snprintf(o.volume, sizeof(o.volume), "%s", r.volume);
		o.result = RHV_BLOCK_EXT_NOOP;
	}
	if (out)
		*out = o;
	return true;
}
