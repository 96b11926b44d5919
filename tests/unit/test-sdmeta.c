/*
 * Storage-domain metadata: round trips with unicode names, writes fenced by
 * the SPM lease on a fake clock, crash leftovers, chain validation (also of
 * a 6,000-volume chain), numbers out of range.
 */
#include "rhv/common.h"

#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>

#include "rhv/lease.h"
#include "rhv/sdmeta.h"
#include "tap.h"

/* ---- a fake clock, as in test-lease.c: sleeping advances it ---- */

static int64_t fake_ms = 1700000000000;

static int64_t fake_now(void *data RHV_UNUSED)
{
	return fake_ms;
}

static void fake_sleep(void *data RHV_UNUSED, int64_t ms)
{
	fake_ms += ms;
}

static const struct rhv_lease_timing ft = { .now_ms = fake_now, .sleep_ms = fake_sleep };

#define SD "11111111-1111-1111-1111-111111111111"
#define DC "22222222-2222-2222-2222-222222222222"
#define IMG_A "aaaaaaaa-0000-0000-0000-000000000001"
#define IMG_B "bbbbbbbb-0000-0000-0000-000000000002"
#define V_BASE "00000000-0000-0000-0000-0000000000a1"
#define V_MID "00000000-0000-0000-0000-0000000000a2"
#define V_LEAF "00000000-0000-0000-0000-0000000000a3"
#define V_RAW "00000000-0000-0000-0000-0000000000b1"
#define V_NONE "00000000-0000-0000-0000-0000000000ff"
#define NAME_KO "데이터 디스크 1"
#define NAME_EMOJI "💾 백업 🚀"

static char root[64], lease[128], mpath[160];

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Files in dom_md whose name starts with the temporary prefix. */
static int count_temps(void)
{
	char dir[128];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/%s", root, RHV_SDMETA_DIR);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, RHV_SDMETA_TMP_PREFIX, strlen(RHV_SDMETA_TMP_PREFIX)))
			n++;
	closedir(d);
	return n;
}

static void vol(struct rhv_sd_volume *v, const char *id, const char *parent, const char *format,
		uint64_t size)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%s", id);
	snprintf(v->parent, sizeof(v->parent), "%s", parent);
	v->format = (char *)format;
	v->allocation = (char *)"sparse";
	v->size = size;
}

static void build(struct rhv_sd_meta *m)
{
	struct rhv_error err = { 0 };
	struct rhv_sd_volume v;
	int bad = 0;

	memset(m, 0, sizeof(*m));
	m->version = 3;
	snprintf(m->id, sizeof(m->id), SD);
	snprintf(m->dc_id, sizeof(m->dc_id), DC);
	m->name = rhv_xstrdup("nfs-데이터");
	m->role = rhv_xstrdup("data");
	m->kind = rhv_xstrdup("nfs");
	bad |= rhv_sdmeta_add_image(m, IMG_A, NAME_KO, "운영 DB\ttab ok", &err);
	bad |= rhv_sdmeta_add_image(m, IMG_B, NAME_EMOJI, NULL, &err);
	vol(&v, V_BASE, "", "qcow2", 10ULL << 30);
	bad |= rhv_sdmeta_add_volume(m, IMG_A, &v, &err);
	vol(&v, V_MID, V_BASE, "qcow2", 10ULL << 30);
	bad |= rhv_sdmeta_add_volume(m, IMG_A, &v, &err);
	vol(&v, V_LEAF, V_MID, "qcow2", 20ULL << 30);
	bad |= rhv_sdmeta_add_volume(m, IMG_A, &v, &err);
	vol(&v, V_RAW, "", "raw", 1ULL << 30);
	v.allocation = (char *)"preallocated";
	bad |= rhv_sdmeta_add_volume(m, IMG_B, &v, &err);
	OK(bad == 0, "built a domain with 2 images and a 3-volume chain (%s)", err.message);
}

static void test_roundtrip(uint64_t gen)
{
	struct rhv_sd_meta m, r;
	struct rhv_error err = { 0 };
	struct rhv_sd_volume **chain = NULL;
	struct rhv_sd_image *img;
	size_t n = 0, count = 0;
	char *text;
	int rc;

	rc = rhv_sdmeta_read(root, &r, &err);
	OK(rc < 0 && err.code == RHV_EXIT_NOTFOUND, "a missing file is NOTFOUND (%s)", err.message);
	rhv_sdmeta_clear(&r);

	build(&m);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &m, lease, 1, gen, &ft, &err);
	OK(rc == 0, "the SPM writes the metadata (%s)", err.message);
	OK(m.generation == gen && m.updated == fake_ms / 1000, "write set generation and updated");
	OK(count_temps() == 0, "no temporary file left after a write");

	rhv_error_clear(&err);
	rc = rhv_sdmeta_read(root, &r, &err);
	OK(rc == 0, "read it back (%s)", err.message);
	OK(r.version == 3 && r.generation == gen && r.updated == m.updated, "version, generation, updated");
	IS_STR(r.id, SD, "domain id");
	IS_STR(r.name, "nfs-데이터", "domain name in Korean");
	IS_STR(r.role, "data", "role");
	IS_STR(r.kind, "nfs", "kind");
	IS_STR(r.dc_id, DC, "dc id");
	OK(r.nimages == 2, "2 images");
	img = rhv_sdmeta_find_image(&r, IMG_A);
	OK(img && img->nvolumes == 3, "image A has 3 volumes");
	IS_STR(img ? img->name : NULL, NAME_KO, "Korean disk name round-trips");
	IS_STR(img ? img->description : NULL, "운영 DB\ttab ok", "description round-trips");
	img = rhv_sdmeta_find_image_name(&r, NAME_EMOJI, &count);
	OK(img && count == 1 && !strcmp(img->id, IMG_B), "emoji disk name round-trips, found by name");
	IS_STR(img ? img->description : NULL, "", "a NULL description reads back empty");
	OK(img && img->nvolumes == 1 && img->volumes[0].size == 1ULL << 30 &&
		   !strcmp(img->volumes[0].format, "raw") &&
		   !strcmp(img->volumes[0].allocation, "preallocated"),
	   "raw preallocated volume fields");
	IS_STR(img ? img->volumes[0].path : NULL, "images/" IMG_B "/" V_RAW, "default volume path");

	rhv_error_clear(&err);
	rc = rhv_sdmeta_chain(&r, V_LEAF, &chain, &n, &err);
	OK(rc == 0 && n == 3 && !strcmp(chain[0]->id, V_BASE) && !strcmp(chain[1]->id, V_MID) &&
		   !strcmp(chain[2]->id, V_LEAF),
	   "the leaf's chain is base, mid, leaf");
	OK(chain && chain[2]->size == 20ULL << 30 && !strcmp(chain[1]->parent, V_BASE),
	   "volume size and parent round-trip");
	free(chain);

	text = read_file(mpath);
	OK(text && !strncmp(text, "{\n  \"format\": \"rhv-sd-metadata/3\",\n  \"version\": 3,", 50),
	   "the file starts with the format key, then the version");
	OK(text && strstr(text, NAME_KO) && strstr(text, NAME_EMOJI),
	   "UTF-8 names are stored as is, not \\u-escaped");
	OK(text && strstr(text, "\"path\": \"images/" IMG_A "/" V_BASE "\""), "paths without escaped slashes");
	free(text);

	/* Stable output: writing what was read gives the same bytes. */
	text = read_file(mpath);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &r, lease, 1, gen, &ft, &err);
	{
		char *again = read_file(mpath);

		OK(rc == 0 && text && again && !strcmp(text, again),
		   "rewriting what was read gives the same file (stable key order)");
		free(again);
	}
	free(text);
	rhv_sdmeta_clear(&m);
	rhv_sdmeta_clear(&r);
}

/* A snapshot's memory image is marked "content": "memory"; disks carry no such key. */
static void test_memory_image(uint64_t gen)
{
	struct rhv_sd_meta m, r;
	struct rhv_error err = { 0 };
	struct rhv_sd_image *a, *b;
	char *text;
	int rc;

	build(&m);
	rhv_sdmeta_find_image(&m, IMG_B)->memory = true;
	rc = rhv_sdmeta_write(root, &m, lease, 1, gen, &ft, &err);
	OK(rc == 0, "a memory image is written (%s)", err.message);
	text = read_file(mpath);
	OK(text && strstr(text, "\"content\": \"memory\""), "its image has \"content\": \"memory\"");
	OK(text && strstr(text, IMG_B) && strstr(text, "\"content\"") == strstr(strstr(text, IMG_B), "\"content\""),
	   "the key is once in the file, on the memory image");
	free(text);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_read(root, &r, &err);
	a = rhv_sdmeta_find_image(&r, IMG_A);
	b = rhv_sdmeta_find_image(&r, IMG_B);
	OK(rc == 0 && a && b && !a->memory && b->memory, "read back: the memory image is one, the disk is not");
	rhv_sdmeta_clear(&m);
	rhv_sdmeta_clear(&r);
}

static void test_fencing(uint64_t gen)
{
	struct rhv_sd_meta m;
	struct rhv_error err = { 0 };
	char *before = read_file(mpath), *after;
	int rc;

	rc = rhv_sdmeta_read(root, &m, &err);
	OK(rc == 0, "read current metadata");
	free(m.name);
	m.name = rhv_xstrdup("renamed");

	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &m, lease, 1, gen + 1, &ft, &err);
	OK(rc < 0 && err.code == RHV_EXIT_CONFLICT, "a write under generation+1 is refused (%s)",
	   err.message);
	OK(m.generation == gen, "a refused write leaves m->generation alone");
	after = read_file(mpath);
	OK(before && after && !strcmp(before, after), "the previous metadata is unchanged");
	free(after);
	OK(count_temps() == 0, "no temporary file left");

	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &m, lease, 2, gen, &ft, &err);
	OK(rc < 0 && err.code == RHV_EXIT_CONFLICT, "a write by host 2 is refused (%s)", err.message);
	after = read_file(mpath);
	OK(before && after && !strcmp(before, after), "the previous metadata is unchanged");
	free(after);
	OK(count_temps() == 0, "no temporary file left");

	/* Past expiry (8 N = 80 s without renewal) the holder must stop writing. */
	fake_ms += 81 * 1000;
	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &m, lease, 1, gen, &ft, &err);
	OK(rc < 0 && err.code == RHV_EXIT_CONFLICT, "a write on an expired lease is refused (%s)",
	   err.message);
	after = read_file(mpath);
	OK(before && after && !strcmp(before, after), "the previous metadata is unchanged");
	free(after);
	fake_ms -= 81 * 1000;

	free(before);
	rhv_sdmeta_clear(&m);
}

static void test_stale_temp(uint64_t gen)
{
	struct rhv_sd_meta m;
	struct rhv_error err = { 0 };
	char stale[256];
	struct stat st;
	int rc;

	/* A writer killed after creating its temporary file, before the rename. */
	snprintf(stale, sizeof(stale), "%s/%s/%sAbC123", root, RHV_SDMETA_DIR, RHV_SDMETA_TMP_PREFIX);
	write_text(stale, "{\"format\": \"rhv-sd-metadata/3\", \"name\": \"half-writ");
	OK(count_temps() == 1, "a stale temporary file is present");

	rc = rhv_sdmeta_read(root, &m, &err);
	OK(rc == 0 && m.name && !strcmp(m.name, "nfs-데이터"), "read ignores it and sees the last metadata");
	free(m.name);
	m.name = rhv_xstrdup("새 이름");
	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &m, lease, 1, gen, &ft, &err);
	OK(rc == 0, "the next write succeeds (%s)", err.message);
	OK(stat(stale, &st) < 0 && count_temps() == 0, "and removed the stale temporary file");
	rhv_sdmeta_clear(&m);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_read(root, &m, &err);
	OK(rc == 0 && m.name && !strcmp(m.name, "새 이름"), "the new metadata is in place");
	rhv_sdmeta_clear(&m);
}

static void test_chains(uint64_t gen)
{
	struct rhv_sd_meta m;
	struct rhv_error err = { 0 };
	struct rhv_sd_volume v, *base, *leaf, **chain = NULL;
	char *before = read_file(mpath), *after;
	size_t n;
	int rc;

	build(&m);
	vol(&v, V_NONE, "00000000-0000-0000-0000-000000000999", "qcow2", 1 << 20);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_add_volume(&m, IMG_A, &v, &err);
	OK(rc < 0 && err.code == RHV_EXIT_NOTFOUND, "adding a volume with a missing parent is refused (%s)",
	   err.message);
	vol(&v, V_NONE, V_BASE, "raw", 1 << 20);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_add_volume(&m, IMG_A, &v, &err);
	OK(rc < 0 && err.code == RHV_EXIT_USAGE, "a raw volume with a parent is refused (%s)", err.message);
	vol(&v, V_MID, "", "qcow2", 1 << 20);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_add_volume(&m, IMG_B, &v, &err);
	OK(rc < 0 && err.code == RHV_EXIT_CONFLICT, "a duplicate volume id is refused (%s)", err.message);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_add_image(&m, IMG_A, "x", NULL, &err);
	OK(rc < 0 && err.code == RHV_EXIT_CONFLICT, "a duplicate image id is refused");
	rhv_error_clear(&err);
	rc = rhv_sdmeta_remove_volume(&m, V_MID, &err);
	OK(rc < 0 && err.code == RHV_EXIT_CONFLICT, "a volume with a child cannot be removed (%s)",
	   err.message);

	/* Missing parent, edited in behind the helpers' back. */
	leaf = rhv_sdmeta_find_volume(&m, V_LEAF, NULL);
	snprintf(leaf->parent, sizeof(leaf->parent), "%s", V_NONE);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_validate(&m, &err);
	OK(rc < 0 && err.code == RHV_EXIT_FAILED && strstr(err.message, "does not exist"),
	   "validation refuses a missing parent (%s)", err.message);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &m, lease, 1, gen, &ft, &err);
	OK(rc < 0 && err.code == RHV_EXIT_FAILED, "and so does write");
	snprintf(leaf->parent, sizeof(leaf->parent), "%s", V_MID);

	/* A cycle: base -> leaf -> mid -> base. */
	base = rhv_sdmeta_find_volume(&m, V_BASE, NULL);
	snprintf(base->parent, sizeof(base->parent), "%s", V_LEAF);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_validate(&m, &err);
	OK(rc < 0 && err.code == RHV_EXIT_FAILED && strstr(err.message, "cycle"),
	   "validation refuses a cycle (%s)", err.message);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_chain(&m, V_LEAF, &chain, &n, &err);
	OK(rc < 0 && !chain, "the chain walk stops on a cycle");
	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &m, lease, 1, gen, &ft, &err);
	OK(rc < 0 && err.code == RHV_EXIT_FAILED, "write refuses a cycle");
	after = read_file(mpath);
	OK(before && after && !strcmp(before, after) && count_temps() == 0,
	   "refused writes left the file and no temporary file");
	free(after);
	base->parent[0] = '\0';

	/* Removing the leaf, then the whole image, through the helpers. */
	rhv_error_clear(&err);
	OK(rhv_sdmeta_remove_volume(&m, V_LEAF, &err) == 0 && !rhv_sdmeta_find_volume(&m, V_LEAF, NULL),
	   "a leaf can be removed");
	rhv_error_clear(&err);
	OK(rhv_sdmeta_remove_image(&m, IMG_A, &err) == 0 && m.nimages == 1 &&
		   !strcmp(m.images[0].id, IMG_B) && rhv_sdmeta_validate(&m, &err) == 0,
	   "an image can be removed and the rest stays valid");
	rhv_sdmeta_clear(&m);

	/* The same problems in a file on the storage: read refuses them. */
	{
		char *text = rhv_xstrdup(before), *p = strstr(text, "\"parent\": \"" V_BASE "\"");

		if (p)
			memcpy(p + strlen("\"parent\": \""), V_NONE, 36);
		write_text(mpath, text);
		rhv_error_clear(&err);
		rc = rhv_sdmeta_read(root, &m, &err);
		OK(p && rc < 0 && err.code == RHV_EXIT_FAILED && strstr(err.message, "does not exist"),
		   "read refuses a file with a missing parent (%s)", err.message);
		rhv_sdmeta_clear(&m);
		free(text);
	}
	{
		char *text = rhv_xstrdup(before);

		text[strlen(text) / 2] = '\0';
		write_text(mpath, text);
		rhv_error_clear(&err);
		rc = rhv_sdmeta_read(root, &m, &err);
		OK(rc < 0 && err.code == RHV_EXIT_FAILED && strstr(err.message, "corrupt"),
		   "read refuses a truncated file (%s)", err.message);
		rhv_sdmeta_clear(&m);
		free(text);
	}
	write_text(mpath, "{\"format\": \"rhv-sd-metadata/4\", \"version\": 4}");
	rhv_error_clear(&err);
	rc = rhv_sdmeta_read(root, &m, &err);
	OK(rc < 0 && err.code == RHV_EXIT_FAILED && strstr(err.message, "unsupported"),
	   "read refuses another format version (%s)", err.message);
	rhv_sdmeta_clear(&m);
	write_text(mpath, before);
	free(before);
}

/* A new SPM took over (an admin confirmed the old one down): the old one's writes are refused. */
static void test_takeover(uint64_t gen)
{
	struct rhv_sd_meta m;
	struct rhv_error err = { 0 };
	uint64_t gen2 = 0;
	char *before, *after;
	int rc;

	OK(rhv_lease_acquire(lease, 2, "host2", &ft, true, &gen2, &err) == 0 && gen2 == gen + 1,
	   "host 2 takes the lease over (forced) at generation %llu (%s)", (unsigned long long)gen2, err.message);
	rc = rhv_sdmeta_read(root, &m, &err);
	OK(rc == 0, "read current metadata");
	before = read_file(mpath);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &m, lease, 1, gen, &ft, &err);
	OK(rc < 0 && err.code == RHV_EXIT_CONFLICT && strstr(err.message, "moved on"),
	   "the old SPM's write under generation %llu is refused (%s)", (unsigned long long)gen, err.message);
	after = read_file(mpath);
	OK(before && after && !strcmp(before, after), "the metadata is unchanged");
	free(after);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_write(root, &m, lease, 2, gen2, &ft, &err);
	OK(rc == 0 && m.generation == gen2, "the new SPM writes under generation %llu", (unsigned long long)gen2);
	free(before);
	rhv_sdmeta_clear(&m);
}

/* Formatting a new domain never replaces existing metadata. */
static void test_format(void)
{
	struct rhv_sd_meta m = { 0 }, r;
	struct rhv_error err = { 0 };
	char dir[96], cmd[160];
	int rc;

	snprintf(dir, sizeof(dir), "%s/fresh", root);
	mkdir(dir, 0755);
	m.version = RHV_SDMETA_VERSION;
	snprintf(m.id, sizeof(m.id), "%s", "0f5c3bbe-1d4a-4a53-9d53-0f6a4c1b2e11");
	m.name = "fresh";
	m.role = "data";
	m.kind = "nfs";
	rc = rhv_sdmeta_format(dir, &m, &err);
	OK(rc == 0, "format writes the first metadata without a lease (%s)", err.message);
	rc = rhv_sdmeta_read(dir, &r, &err);
	OK(rc == 0 && !strcmp(r.name, "fresh") && r.nimages == 0, "and it reads back");
	rhv_sdmeta_clear(&r);
	m.name = "second";
	rhv_error_clear(&err);
	rc = rhv_sdmeta_format(dir, &m, &err);
	OK(rc < 0 && err.code == RHV_EXIT_CONFLICT, "a second format of the same path is refused (%s)", err.message);
	rc = rhv_sdmeta_read(dir, &r, &err);
	OK(rc == 0 && !strcmp(r.name, "fresh"), "the first metadata stays");
	rhv_sdmeta_clear(&r);
	snprintf(cmd, sizeof(cmd), "ls -A %s/%s | grep -c tmp >/dev/null", dir, RHV_SDMETA_DIR);
	OK(system(cmd) != 0, "no temporary file left");
}

/* A volume id of the long chain below. */
static void chain_id(char out[37], unsigned i)
{
	snprintf(out, 37, "%08x-0000-4000-8000-%012x", 3u, i);
}

/*
 * One image whose volumes are one chain of 6,000 (validation walks each
 * chain once, not once per volume), then the same chain broken three ways:
 * each error names the first volume in file order, as before.
 */
static void test_long_chain(void)
{
	enum { N = 6000 };
	struct rhv_sd_meta m;
	struct rhv_error err = { 0 };
	struct rhv_sd_volume v, **chain = NULL;
	char id[37], parent[37] = "";
	size_t n = 0;
	int bad = 0, rc;

	memset(&m, 0, sizeof(m));
	m.version = 3;
	snprintf(m.id, sizeof(m.id), SD);
	m.name = rhv_xstrdup("chain");
	m.role = rhv_xstrdup("data");
	m.kind = rhv_xstrdup("nfs");
	bad |= rhv_sdmeta_add_image(&m, IMG_A, "chain", NULL, &err);
	for (unsigned i = 0; i < N; i++) {
		chain_id(id, i);
		vol(&v, id, parent, "qcow2", 10ULL << 30);
		bad |= rhv_sdmeta_add_volume(&m, IMG_A, &v, &err);
		snprintf(parent, sizeof(parent), "%s", id);
	}
	OK(bad == 0 && m.images[0].nvolumes == N, "a chain of %d volumes built (%s)", N, err.message);
	OK(rhv_sdmeta_validate(&m, &err) == 0, "it validates (%s)", err.message);
	chain_id(id, N - 1);
	rc = rhv_sdmeta_chain(&m, id, &chain, &n, &err);
	chain_id(parent, 0);
	OK(rc == 0 && n == N && !strcmp(chain[0]->id, parent) && !strcmp(chain[N - 1]->id, id),
	   "the leaf's chain has all %d volumes, base first", N);
	free(chain);

	/* the base points at the leaf: every volume is on the cycle; the first one is named */
	snprintf(m.images[0].volumes[0].parent, 37, "%s", id);
	rc = rhv_sdmeta_validate(&m, &err);
	OK(rc < 0 && err.code == RHV_EXIT_FAILED && strstr(err.message, "cycle") && strstr(err.message, parent),
	   "a cycle through 6,000 volumes is found, naming the first (%s)", err.message);
	m.images[0].volumes[0].parent[0] = '\0';

	/* a missing parent half-way: named by the volume that has it */
	chain_id(id, N / 2);
	snprintf(m.images[0].volumes[N / 2].parent, 37, V_NONE);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_validate(&m, &err);
	OK(rc < 0 && strstr(err.message, "does not exist") && strstr(err.message, id) && strstr(err.message, V_NONE),
	   "a missing parent half-way is found (%s)", err.message);
	chain_id(m.images[0].volumes[N / 2].parent, N / 2 - 1);

	/* the last volume takes the id of one half-way: the second one is named */
	chain_id(id, N / 2);
	snprintf(m.images[0].volumes[N - 1].id, 37, "%s", id);
	free(m.images[0].volumes[N - 1].path);
	m.images[0].volumes[N - 1].path = rhv_xasprintf("images/%s/%s", IMG_A, id);
	rhv_error_clear(&err);
	rc = rhv_sdmeta_validate(&m, &err);
	OK(rc < 0 && strstr(err.message, "appears twice") && strstr(err.message, id),
	   "a repeated volume id is found (%s)", err.message);
	rhv_sdmeta_clear(&m);
}

/* Numbers json-c would clamp without a word are refused, not taken as another size. */
static void test_numbers(void)
{
	static const char doc[] =
		"{\"format\": \"rhv-sd-metadata/3\", \"version\": 3, \"id\": \"" SD "\", \"name\": \"n\","
		" \"role\": \"data\", \"kind\": \"nfs\", \"dc_id\": \"\", \"generation\": %s, \"updated\": 0,"
		" \"images\": [{\"id\": \"" IMG_A "\", \"name\": \"d\", \"description\": \"\", \"volumes\": [{\"id\": \"" V_BASE
		"\", \"parent\": \"\", \"format\": \"raw\", \"allocation\": \"sparse\", \"size\": %s,"
		" \"path\": \"images/" IMG_A "/" V_BASE "\"}]}]}";
	static const struct {
		const char *generation, *size;
		bool ok;
		const char *what;
	} cases[] = {
		{ "7", "1073741824", true, "a plain size" },
		{ "7", "9223372036854775808", false, "size 2^63" },
		{ "7", "18446744073709551615", false, "size 2^64 - 1" },
		{ "7", "18446744073709551616", false, "size 2^64" },
		{ "7", "99999999999999999999", false, "size 10^20" },
		{ "7", "-9223372036854775809", false, "size under -2^63" },
		{ "7", "1e3", false, "a size with an exponent" },
		{ "7", "NaN", false, "size NaN" },
		{ "9223372036854775808", "1073741824", false, "generation 2^63" },
	};

	for (size_t i = 0; i < RHV_ARRAY_SIZE(cases); i++) {
		struct rhv_sd_meta m;
		struct rhv_error err = { 0 };
		char text[2048];
		int rc;

		snprintf(text, sizeof(text), doc, cases[i].generation, cases[i].size);
		rc = rhv_sdmeta_parse(text, strlen(text), "metadata.json", &m, &err);
		if (cases[i].ok)
			OK(rc == 0 && m.images[0].volumes[0].size == 1ULL << 30, "%s is read (%s)", cases[i].what,
			   err.message);
		else
			OK(rc < 0 && err.code == RHV_EXIT_FAILED &&
				   (strstr(err.message, "out of range") || strstr(err.message, "not an integer") ||
				    strstr(err.message, "corrupt")),
			   "%s is refused (%s)", cases[i].what, err.message);
		rhv_sdmeta_clear(&m);
	}
}

int main(void)
{
	char cmd[128];
	struct rhv_error err = { 0 };
	uint64_t gen = 0;

	snprintf(root, sizeof(root), "/tmp/rhv-sdmeta.XXXXXX");
	if (!mkdtemp(root)) {
		printf("not ok 1 - cannot create a directory\n");
		return 1;
	}
	snprintf(lease, sizeof(lease), "%s/dom_md-leases", root);
	snprintf(mpath, sizeof(mpath), "%s/%s/%s", root, RHV_SDMETA_DIR, RHV_SDMETA_FILE);
	OK(rhv_lease_init(lease, 0, &err) == 0, "lease file formatted (%s)", err.message);
	OK(rhv_lease_acquire(lease, 1, "host1", &ft, false, &gen, &err) == 0 && gen > 0,
	   "host 1 holds the SPM lease at generation %llu (%s)", (unsigned long long)gen, err.message);

	test_roundtrip(gen);
	test_memory_image(gen);
	test_fencing(gen);
	test_stale_temp(gen);
	test_chains(gen);
	test_takeover(gen);
	test_format();
	test_long_chain();
	test_numbers();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", root);
	return tap_done();
}
