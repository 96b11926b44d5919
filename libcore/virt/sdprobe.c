/*
 * Storage-domain probe: a host reads a domain's metadata through its own
 * libvirt daemon (a dir storage pool on <root>/dom_md and a volume
 * download).  See rhv/sdprobe.h.
 */
#include "rhv/common.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/domxml.h"
#include "rhv/parse.h"
#include "rhv/sdprobe.h"
#include "virt/virt-priv.h"

/* Bytes asked of the stream per receive (libvirt sends 256 KiB messages at most). */
#define RECV_CHUNK (256 * 1024)

/* ---- cleanups for the libvirt handles of this file ---- */

static void pool_freep(virStoragePoolPtr *p)
{
	if (*p)
		virStoragePoolFree(*p);
}

static void vol_freep(virStorageVolPtr *p)
{
	if (*p)
		virStorageVolFree(*p);
}

static void stream_freep(virStreamPtr *p)
{
	if (*p)
		virStreamFree(*p);
}

struct pool_list {
	virStoragePoolPtr *pools;
	int n;
};

static void pool_list_freep(struct pool_list *l)
{
	for (int i = 0; i < l->n; i++)
		if (l->pools[i])
			virStoragePoolFree(l->pools[i]);
	free(l->pools);
}

static void xml_docp(xmlDocPtr *d)
{
	if (*d)
		xmlFreeDoc(*d);
}

#define _cleanup_pool_ _cleanup_(pool_freep)
#define _cleanup_vol_ _cleanup_(vol_freep)
#define _cleanup_stream_ _cleanup_(stream_freep)

/* ---- paths and names ---- */

/*
 * s with repeated slashes collapsed and trailing ones removed (as libvirt
 * stores a pool's target path), then suffix.  Caller frees.
 */
static char *clean_path(const char *s, const char *suffix)
{
	char *out = rhv_xmalloc(strlen(s) + strlen(suffix) + 1), *w = out;

	for (const char *r = s; *r; r++)
		if (*r != '/' || w == out || w[-1] != '/')
			*w++ = *r;
	while (w > out + 1 && w[-1] == '/')
		w--;
	if (*suffix && w > out && w[-1] == '/')
		suffix++; /* root "/" */
	strcpy(w, suffix);
	return out;
}

static int check_root(const char *root, struct rhv_error *err)
{
	if (!root || root[0] != '/')
		return rhv_error_set(err, RHV_EXIT_USAGE,
				     "storage domain path '%s' is not absolute", root ? root : "");
	return 0;
}

/* ---- errors ---- */

/*
 * libvirt's last error as "host H cannot read storage domain metadata at
 * PATH: <reason>", class 5 whatever libvirt's class: the host's storage
 * (or the host) does not give the file.  Returns -1.
 */
static int cannot_read(struct rhv_error *err, const char *host, const char *path)
{
	bool fresh = err && err->code == RHV_EXIT_OK;

	rhv_virt_error(err, "host %s cannot read storage domain metadata at %s", host, path);
	if (fresh)
		err->code = RHV_EXIT_UNAVAILABLE;
	return -1;
}

/* The code of libvirt's last error of this thread, VIR_ERR_OK for none. */
static int last_code(void)
{
	virErrorPtr e = virGetLastError();

	return e ? e->code : VIR_ERR_OK;
}

/* ---- the pool ---- */

/* Start pool unless it is active.  Returns 0, or -1 with libvirt's error pending. */
static int ensure_active(virStoragePoolPtr pool)
{
	int active = virStoragePoolIsActive(pool);

	if (active < 0)
		return -1;
	return active ? 0 : virStoragePoolCreate(pool, 0);
}

/*
 * The type and target path of pool from its XML: *target (caller frees)
 * is NULL when it has none.  Returns 0, or -1 with libvirt's error pending
 * (XML that does not parse is a pool without target).
 */
static int pool_target(virStoragePoolPtr pool, bool *is_dir, char **target)
{
	_cleanup_free_ char *xml = virStoragePoolGetXMLDesc(pool, 0);
	_cleanup_(xml_docp) xmlDocPtr doc = NULL;
	xmlNodePtr root;

	*is_dir = false;
	*target = NULL;
	if (!xml)
		return -1;
	doc = xmlReadMemory(xml, (int)strlen(xml), "pool.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || xmlStrcmp(root->name, BAD_CAST "pool"))
		return 0;
	xmlChar *type = xmlGetProp(root, BAD_CAST "type");
	*is_dir = type && !xmlStrcmp(type, BAD_CAST "dir");
	xmlFree(type);
	for (xmlNodePtr t = root->children; t; t = t->next) {
		if (t->type != XML_ELEMENT_NODE || xmlStrcmp(t->name, BAD_CAST "target"))
			continue;
		for (xmlNodePtr p = t->children; p; p = p->next) {
			if (p->type != XML_ELEMENT_NODE || xmlStrcmp(p->name, BAD_CAST "path"))
				continue;
			xmlChar *s = xmlNodeGetContent(p);
			if (s) {
				*target = clean_path((const char *)s, "");
				xmlFree(s);
			}
			return 0;
		}
	}
	return 0;
}

/*
 * After our pool could not be created: look at every pool of the host.
 * An inactive dir pool with target dir (another name, defined by someone,
 * or ours made persistent) is started and handed back in *found; one that
 * became active meanwhile (a concurrent probe) is handed back as is.  A
 * pool named name with another target is a stale one of ours: destroyed
 * (and undefined if persistent).
 * Returns 1 when the caller should try creating again, 0 when *found is
 * set or nothing explains the failure, -1 with err filled (taken before
 * the list is freed: every libvirt call, virStoragePoolFree() too, resets
 * the thread's last error).
 */
static int clear_the_way(virConnectPtr conn, const char *host, const char *path, const char *name,
			 const char *dir, virStoragePoolPtr *found, struct rhv_error *err)
{
	_cleanup_(pool_list_freep) struct pool_list l = { 0 };
	int stale = -1;

	l.n = virConnectListAllStoragePools(conn, &l.pools, 0);
	if (l.n < 0) {
		l.n = 0;
		return cannot_read(err, host, path);
	}
	for (int i = 0; i < l.n; i++) {
		_cleanup_free_ char *target = NULL;
		const char *pname = virStoragePoolGetName(l.pools[i]);
		bool is_dir;

		if (pool_target(l.pools[i], &is_dir, &target) < 0)
			return cannot_read(err, host, path);
		if (is_dir && target && !strcmp(target, dir)) {
			if (ensure_active(l.pools[i]) < 0)
				return cannot_read(err, host, path);
			*found = TAKE_PTR(l.pools[i]);
			return 0;
		}
		if (pname && !strcmp(pname, name))
			stale = i;
	}
	if (stale < 0)
		return 0;

	virStoragePoolPtr p = l.pools[stale];
	int active = virStoragePoolIsActive(p), persistent = virStoragePoolIsPersistent(p);

	if (active < 0 || persistent < 0 || (active && virStoragePoolDestroy(p) < 0) ||
	    (persistent && virStoragePoolUndefine(p) < 0))
		return cannot_read(err, host, path);
	return 1;
}

/*
 * The active pool on dir (<root>/dom_md): the one libvirt knows by that
 * target, or a new transient one "rhv-md-<id>".  Returns the pool (caller
 * frees), or NULL with err filled.
 */
static virStoragePoolPtr md_pool(virConnectPtr conn, const char *host, const char *dir,
				 const char *path, const char *domain_id, struct rhv_error *err)
{
	_cleanup_free_ char *name = rhv_xasprintf(RHV_SDPROBE_POOL_PREFIX "%s", domain_id);
	_cleanup_free_ char *ename = NULL, *edir = NULL, *xml = NULL;

	for (char *c = name; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	ename = rhv_domxml_escape(name);
	edir = rhv_domxml_escape(dir);
	xml = rhv_xasprintf("<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>",
			    ename, edir);

	for (int attempt = 0;; attempt++) {
		virStoragePoolPtr pool = virStoragePoolLookupByTargetPath(conn, dir);
		struct rhv_error create_err = { 0 };
		int r;

		if (pool) {
			if (ensure_active(pool) < 0) {
				cannot_read(err, host, path);
				virStoragePoolFree(pool);
				return NULL;
			}
			return pool;
		}
		if (last_code() != VIR_ERR_NO_STORAGE_POOL) { /* libvirt's class: the host gone, say */
			rhv_virt_error(err, "host %s cannot read storage domain metadata at %s", host, path);
			return NULL;
		}
		virResetLastError();

		pool = virStoragePoolCreateXML(conn, xml, 0);
		if (pool)
			return pool;
		virErrorPtr e = virGetLastError();
		bool unreachable = e && rhv_virt_exit_class(e->code, e->domain) == RHV_EXIT_UNAVAILABLE;

		/* The directory missing or unreadable (a system error), the host gone. */
		if (attempt > 0 || unreachable) {
			cannot_read(err, host, path);
			return NULL;
		}
		/*
		 * Our name taken by a stale pool, or the target by an inactive
		 * pool, or a concurrent probe created ours: see which.
		 */
		cannot_read(&create_err, host, path);
		r = clear_the_way(conn, host, path, name, dir, &pool, err);
		if (pool)
			return pool;
		if (r > 0)
			continue;
		if (r == 0 && err && err->code == RHV_EXIT_OK)
			*err = create_err;
		return NULL;
	}
}

/* ---- the download ---- */

/*
 * The content of vol, at most RHV_SDMETA_MAX_BYTES, into *buf (caller
 * frees) and *len.  Returns 0, or -1 with err filled.
 */
static int download(virConnectPtr conn, virStorageVolPtr vol, const char *host, const char *path,
		    char **buf, size_t *len, struct rhv_error *err)
{
	_cleanup_stream_ virStreamPtr st = virStreamNew(conn, 0);
	_cleanup_free_ char *data = NULL;
	size_t cap = 0, n = 0;

	if (!st)
		return cannot_read(err, host, path);
	/* One byte more than allowed tells a file that is too large. */
	if (virStorageVolDownload(vol, st, 0, (unsigned long long)RHV_SDMETA_MAX_BYTES + 1, 0) < 0)
		return cannot_read(err, host, path);
	for (;;) {
		int got;

		if (cap - n < RECV_CHUNK) {
			cap = cap ? cap * 2 : 2 * RECV_CHUNK;
			if (cap > (size_t)RHV_SDMETA_MAX_BYTES + RECV_CHUNK)
				cap = (size_t)RHV_SDMETA_MAX_BYTES + RECV_CHUNK;
			data = rhv_xrealloc(data, cap + 1);
		}
		got = virStreamRecv(st, data + n, RECV_CHUNK);
		if (got < 0) {
			cannot_read(err, host, path);
			virStreamAbort(st);
			virResetLastError();
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > RHV_SDMETA_MAX_BYTES) {
			virStreamAbort(st);
			virResetLastError();
			return rhv_error_set(err, RHV_EXIT_FAILED, "%s is not a regular file of at most %d bytes",
					     path, RHV_SDMETA_MAX_BYTES);
		}
	}
	if (virStreamFinish(st) < 0)
		return cannot_read(err, host, path);
	data[n] = '\0';
	*buf = TAKE_PTR(data);
	*len = n;
	return 0;
}

/* ---- API ---- */

void rhv_sdprobe_data_clear(struct rhv_sdprobe_data *d)
{
	free(d->path);
	free(d->buf);
	memset(d, 0, sizeof(*d));
}

int rhv_sdprobe_read(struct rhv_virt_conn *c, const char *host_name, const char *root,
		     const char *domain_id, struct rhv_sdprobe_data *out, struct rhv_error *err)
{
	virConnectPtr conn = c->ptr;
	const char *host = host_name ? host_name : "?";
	_cleanup_free_ char *dir = NULL, *path = NULL, *buf = NULL;
	_cleanup_pool_ virStoragePoolPtr pool = NULL;
	_cleanup_vol_ virStorageVolPtr vol = NULL;
	virStorageVolInfo info;
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	if (check_root(root, err) < 0)
		return -1;
	if (!rhv_looks_like_uuid(domain_id))
		return rhv_error_set(err, RHV_EXIT_USAGE, "'%s' is not a storage domain id",
				     domain_id ? domain_id : "");
	dir = clean_path(root, "/" RHV_SDMETA_DIR);
	path = rhv_xasprintf("%s/%s", dir, RHV_SDMETA_FILE);

	pool = md_pool(conn, host, dir, path, domain_id, err);
	if (!pool)
		return -1;
	/* A transient pool whose refresh fails is dropped by libvirt. */
	if (virStoragePoolRefresh(pool, 0) < 0)
		return cannot_read(err, host, path);
	vol = virStorageVolLookupByName(pool, RHV_SDMETA_FILE);
	if (!vol || virStorageVolGetInfo(vol, &info) < 0)
		return cannot_read(err, host, path);
	/* As the refresh saw it; the download checks the size again. */
	if (info.type != VIR_STORAGE_VOL_FILE || info.capacity > RHV_SDMETA_MAX_BYTES)
		return rhv_error_set(err, RHV_EXIT_FAILED, "%s is not a regular file of at most %d bytes",
				     path, RHV_SDMETA_MAX_BYTES);
	if (download(conn, vol, host, path, &buf, &len, err) < 0)
		return -1;
	out->path = TAKE_PTR(path);
	out->buf = TAKE_PTR(buf);
	out->len = len;
	return 0;
}

int rhv_sdprobe_forget(struct rhv_virt_conn *c, const char *root, struct rhv_error *err)
{
	virConnectPtr conn = c->ptr;
	_cleanup_free_ char *dir = NULL;
	_cleanup_pool_ virStoragePoolPtr pool = NULL;
	int persistent;

	if (check_root(root, err) < 0)
		return -1;
	dir = clean_path(root, "/" RHV_SDMETA_DIR);
	pool = virStoragePoolLookupByTargetPath(conn, dir);
	if (!pool) {
		if (last_code() == VIR_ERR_NO_STORAGE_POOL) {
			virResetLastError();
			return 0;
		}
		return rhv_virt_error(err, "cannot stop watching storage domain at %s", root);
	}
	persistent = virStoragePoolIsPersistent(pool);
	if (persistent < 0)
		return rhv_virt_error(err, "cannot stop watching storage domain at %s", root);
	if (persistent)
		return 0;
	if (virStoragePoolDestroy(pool) < 0) {
		int code = last_code();

		/* Gone meanwhile (a failed refresh, a concurrent forget). */
		if (code == VIR_ERR_NO_STORAGE_POOL || code == VIR_ERR_OPERATION_INVALID) {
			virResetLastError();
			return 0;
		}
		return rhv_virt_error(err, "cannot stop watching storage domain at %s", root);
	}
	return 0;
}
