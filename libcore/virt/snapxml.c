/*
 * The XML of snapshots (see rhv/virtsnap.h): the <domainsnapshot> that
 * switches disks to overlays, a disk's volume chain read from a domain's
 * XML, and a saved domain's disks moved onto new overlays.  Pure: libxml2
 * only, no libvirt call, so all of it is unit-tested.
 */
#include "rhv/common.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/domxml.h"
#include "rhv/virtsnap.h"
#include "virt/virt-priv.h"

RHV_DEFINE_CLEANUP(xmlDocPtr, xmlFreeDoc)

static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = v ? rhv_xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static bool is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, (const xmlChar *)name);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* The <devices> of a domain XML document (NULL when it has none), or -1 with err when it is not a domain. */
static int devices_of(const char *xml, xmlDocPtr *doc, xmlNodePtr *devices, const char *what, struct rhv_error *err)
{
	xmlNodePtr root;

	*doc = NULL;
	if (xml && *xml)
		*doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
				     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlResetLastError();
	root = *doc ? xmlDocGetRootElement(*doc) : NULL;
	if (!root || xmlStrcmp(root->name, (const xmlChar *)"domain"))
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot read %s: not domain XML", what);
	*devices = child(root, "devices");
	return 0;
}

/* The disk's target name ("vda"; caller frees), NULL for a disk without one. */
static char *disk_target(xmlNodePtr disk)
{
	return attr(child(disk, "target"), "dev");
}

static xmlNodePtr find_disk(xmlNodePtr devices, const char *target)
{
	for (xmlNodePtr d = devices ? devices->children : NULL; d; d = d->next) {
		_cleanup_free_ char *t = NULL;

		if (is(d, "disk") && (t = disk_target(d)) && !strcmp(t, target))
			return d;
	}
	return NULL;
}

static bool is_block_path(const char *path)
{
	return !strncmp(path, "/dev/", 5);
}

/* ---- the snapshot ---- */

/* A disk no overlay can be put on: removable media, read-only disks. */
static bool not_snapshottable(xmlNodePtr disk)
{
	_cleanup_free_ char *device = attr(disk, "device");

	return (device && (!strcmp(device, "cdrom") || !strcmp(device, "floppy"))) || child(disk, "readonly");
}

int rhv_virt_xml_snapshot(const char *live_xml, const struct rhv_virt_snap_disk *disks, size_t n,
			  const char *memory_path, char **out, struct rhv_error *err)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	_cleanup_free_ char *s = NULL;
	xmlNodePtr devices;

	*out = NULL;
	if (devices_of(live_xml, &doc, &devices, "the disks to snapshot", err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr d;

		if (!disks[i].path)
			continue;
		for (size_t j = 0; j < i; j++)
			if (disks[j].path && !strcmp(disks[j].target, disks[i].target))
				return rhv_error_set(err, RHV_EXIT_USAGE, "disk '%s' is listed twice in the snapshot",
						     disks[i].target);
		d = find_disk(devices, disks[i].target);
		if (!d)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find disk '%s' in the domain",
					     disks[i].target);
		if (not_snapshottable(d))
			return rhv_error_set(err, RHV_EXIT_USAGE,
					     "disk '%s' cannot be snapshot: it is a CD-ROM, floppy or read-only disk",
					     disks[i].target);
	}

	rhv_xappendf(&s, "", "<domainsnapshot>\n");
	if (memory_path) {
		_cleanup_free_ char *e = rhv_domxml_escape(memory_path);

		rhv_xappendf(&s, "", "  <memory snapshot='external' file='%s'/>\n", e);
	} else {
		rhv_xappendf(&s, "", "  <memory snapshot='no'/>\n");
	}
	rhv_xappendf(&s, "", "  <disks>\n");
	for (xmlNodePtr d = devices ? devices->children : NULL; d; d = d->next) {
		_cleanup_free_ char *t = NULL, *et = NULL, *ep = NULL;
		const char *path = NULL;

		if (!is(d, "disk") || !(t = disk_target(d)))
			continue;
		for (size_t i = 0; i < n && !path; i++)
			if (!strcmp(disks[i].target, t))
				path = disks[i].path;
		et = rhv_domxml_escape(t);
		if (!path || not_snapshottable(d)) {
			rhv_xappendf(&s, "", "    <disk name='%s' snapshot='no'/>\n", et);
			continue;
		}
		ep = rhv_domxml_escape(path);
		if (is_block_path(path))
			rhv_xappendf(&s, "",
				     "    <disk name='%s' snapshot='external' type='block'>\n"
				     "      <driver type='qcow2'/>\n      <source dev='%s'/>\n    </disk>\n",
				     et, ep);
		else
			rhv_xappendf(&s, "",
				     "    <disk name='%s' snapshot='external' type='file'>\n"
				     "      <driver type='qcow2'/>\n      <source file='%s'/>\n    </disk>\n",
				     et, ep);
	}
	rhv_xappendf(&s, "", "  </disks>\n</domainsnapshot>\n");
	*out = TAKE_PTR(s);
	return 0;
}

/* ---- the chain ---- */

void rhv_virt_layers_free(struct rhv_virt_layer *l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		free(l[i].path);
	free(l);
}

void rhv_virt_chain_free(char **paths, size_t n)
{
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}

/* libvirt's index of a layer (an attribute of <source>, or of <backingStore>), -1 when absent. */
static int layer_index(xmlNodePtr n)
{
	_cleanup_free_ char *s = attr(n, "index");
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < 0 || v > 1000000 ? -1 : (int)v;
}

int rhv_virt_xml_chain_layers(const char *xml, const char *target, struct rhv_virt_layer **out, size_t *n,
			      bool *mirror_ready, struct rhv_error *err)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	xmlNodePtr devices, disk, mirror;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (mirror_ready)
		*mirror_ready = false;
	if (devices_of(xml, &doc, &devices, "the disk chain", err) < 0)
		return -1;
	disk = find_disk(devices, target);
	if (!disk)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find disk '%s' in the domain", target);
	if (mirror_ready && (mirror = child(disk, "mirror"))) {
		_cleanup_free_ char *ready = attr(mirror, "ready");

		*mirror_ready = ready && !strcmp(ready, "yes");
	}

	/* the disk itself is the top layer; each <backingStore> holds the next one and its own <backingStore> */
	for (xmlNodePtr layer = disk; layer; layer = child(layer, "backingStore")) {
		xmlNodePtr src = child(layer, "source");
		char *path = src ? attr(src, "file") : NULL;

		if (src && !path)
			path = attr(src, "dev");
		if (!path)
			break; /* <backingStore/>: the end of the chain; or an empty CD-ROM */
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*out = rhv_xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[*n].path = path;
		(*out)[*n].index = layer == disk ? layer_index(src) : layer_index(layer);
		(*n)++;
	}
	return 0;
}

int rhv_virt_xml_disk_chain(const char *xml, const char *target, char ***paths, size_t *n, struct rhv_error *err)
{
	struct rhv_virt_layer *l;
	size_t nl;

	*paths = NULL;
	*n = 0;
	if (rhv_virt_xml_chain_layers(xml, target, &l, &nl, NULL, err) < 0)
		return -1;
	*paths = rhv_xcalloc(nl ? nl : 1, sizeof(**paths));
	for (size_t i = 0; i < nl; i++)
		(*paths)[i] = TAKE_PTR(l[i].path);
	*n = nl;
	rhv_virt_layers_free(l, nl);
	return 0;
}

/* ---- a saved domain moved onto new overlays ---- */

static void retarget(xmlNodePtr disk, const char *path)
{
	bool block = is_block_path(path);
	xmlNodePtr src = child(disk, "source"), drv = child(disk, "driver"), c, next;

	xmlSetProp(disk, (const xmlChar *)"type", (const xmlChar *)(block ? "block" : "file"));
	if (!src)
		src = xmlNewChild(disk, NULL, (const xmlChar *)"source", NULL);
	xmlUnsetProp(src, (const xmlChar *)(block ? "file" : "dev"));
	xmlUnsetProp(src, (const xmlChar *)"index"); /* libvirt's number of the old image */
	xmlSetProp(src, (const xmlChar *)(block ? "dev" : "file"), (const xmlChar *)path);
	/* the overlay is qcow2 even where the snapshot's volume is the raw base */
	if (!drv) {
		drv = xmlNewChild(disk, NULL, (const xmlChar *)"driver", NULL);
		xmlSetProp(drv, (const xmlChar *)"name", (const xmlChar *)"qemu");
	}
	xmlSetProp(drv, (const xmlChar *)"type", (const xmlChar *)"qcow2");
	/* libvirt reads the new chain from the images; the old one would contradict it */
	for (c = disk->children; c; c = next) {
		next = c->next;
		if (is(c, "backingStore")) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
}

int rhv_virt_xml_retarget_disks(const char *xml, const struct rhv_virt_snap_disk *disks, size_t n, char **out,
				struct rhv_error *err)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	xmlNodePtr devices;
	xmlBufferPtr buf;

	*out = NULL;
	if (devices_of(xml, &doc, &devices, "the saved domain", err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr d;

		if (!disks[i].path)
			continue;
		d = find_disk(devices, disks[i].target);
		if (!d)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find disk '%s' in the saved domain",
					     disks[i].target);
		retarget(d, disks[i].path);
	}
	buf = xmlBufferCreate();
	if (!buf || xmlNodeDump(buf, doc, xmlDocGetRootElement(doc), 0, 0) < 0) {
		xmlBufferFree(buf);
		return rhv_error_oom(err);
	}
	*out = rhv_xasprintf("%s\n", (const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return 0;
}

char *rhv_virt_xml_uuid(const char *xml)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	xmlNodePtr devices, uuid;
	xmlChar *text;
	char *s;

	if (devices_of(xml, &doc, &devices, "the domain", NULL) < 0)
		return NULL;
	uuid = child(xmlDocGetRootElement(doc), "uuid");
	text = uuid ? xmlNodeGetContent(uuid) : NULL;
	s = text && *text ? rhv_xstrdup((const char *)text) : NULL;
	xmlFree(text);
	return s;
}

bool rhv_virt_xml_agent_may_answer(const char *xml)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	xmlNodePtr devices;

	if (devices_of(xml, &doc, &devices, "the domain", NULL) < 0)
		return true; /* cannot tell: libvirt will */
	for (xmlNodePtr c = devices ? devices->children : NULL; c; c = c->next) {
		xmlNodePtr t = is(c, "channel") ? child(c, "target") : NULL;
		_cleanup_free_ char *name = t ? attr(t, "name") : NULL;
		_cleanup_free_ char *state = NULL;

		if (!name || strcmp(name, RHV_VIRT_AGENT_CHANNEL))
			continue;
		state = attr(t, "state");
		/* no state written: an older libvirt that does not say, so it may */
		return !state || strcmp(state, "disconnected");
	}
	return false;
}
