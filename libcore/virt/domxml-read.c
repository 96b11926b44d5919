/*
 * Domain XML read back (see rhv/domxml.h): the PCI addresses libvirt gave
 * a running domain's devices, its NICs' taps, and the CPU features it
 * could not give.
 * Parsed with libxml2.
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

RHV_DEFINE_CLEANUP(xmlDocPtr, xmlFreeDoc)

/* ---- reading addresses back ---- */

void rhv_domxml_addrs_free(struct rhv_vm_addr *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++) {
		free(a[i].key);
		free(a[i].address);
	}
	free(a);
}

static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = v ? rhv_xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, (const xmlChar *)name))
			return c;
	return NULL;
}

static bool hex_attr(xmlNodePtr a, const char *name, unsigned max, unsigned *v)
{
	_cleanup_free_ char *s = attr(a, name);
	char *end;
	unsigned long x;

	if (!s || !*s)
		return false;
	x = strtoul(s, &end, 0);
	if (*end || x > max)
		return false;
	*v = (unsigned)x;
	return true;
}

/* The key of a device element with a PCI address; count is per element name. */
static char *device_key(xmlNodePtr dev, int count)
{
	const char *kind = (const char *)dev->name;
	_cleanup_free_ char *a = NULL, *b = NULL;
	xmlNodePtr c;

	if (!strcmp(kind, "interface") && (c = child(dev, "mac")) && (a = attr(c, "address"))) {
		for (char *p = a; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		return rhv_xasprintf("interface:%s", a);
	}
	if (!strcmp(kind, "sound") && (a = attr(dev, "model")))
		return rhv_xasprintf("sound:%s", a);
	if (!strcmp(kind, "memballoon"))
		return rhv_xstrdup("memballoon");
	if (!strcmp(kind, "controller") && (a = attr(dev, "type")) && (b = attr(dev, "index")))
		return rhv_xasprintf("controller:%s:%s", a, b);
	if (!strcmp(kind, "disk") && (c = child(dev, "target")) && (a = attr(c, "dev")))
		return rhv_xasprintf("disk:%s", a);
	return rhv_xasprintf("%s:%d", kind, count);
}

struct kind_count {
	const xmlChar *name;
	int n;
};

/* The root <domain> of a domain XML document, or NULL (err filled). */
static xmlNodePtr domain_root(const char *xml, xmlDocPtr *doc, const char *what, struct rhv_error *err)
{
	xmlNodePtr root;

	*doc = NULL;
	if (xml && *xml)
		*doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
				     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlResetLastError();
	root = *doc ? xmlDocGetRootElement(*doc) : NULL;
	if (!root || xmlStrcmp(root->name, (const xmlChar *)"domain")) {
		rhv_error_set(err, RHV_EXIT_FAILED, "cannot read %s: not domain XML", what);
		return NULL;
	}
	return root;
}

int rhv_domxml_cpu_missing(const char *live_xml, char **missing, struct rhv_error *err)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	xmlNodePtr root, cpu;
	char *list = NULL;

	*missing = NULL;
	root = domain_root(live_xml, &doc, "the guest CPU", err);
	if (!root)
		return -1;
	cpu = child(root, "cpu");
	for (xmlNodePtr f = cpu ? cpu->children : NULL; f; f = f->next) {
		_cleanup_free_ char *policy = NULL, *name = NULL;

		if (f->type != XML_ELEMENT_NODE || xmlStrcmp(f->name, (const xmlChar *)"feature"))
			continue;
		policy = attr(f, "policy");
		name = attr(f, "name");
		if (!policy || strcmp(policy, "disable") || !name)
			continue;
		rhv_xappendf(&list, ", ", "%s", name);
	}
	*missing = list;
	return 0;
}

int rhv_domxml_addresses(const char *live_xml, struct rhv_vm_addr **out, size_t *n, struct rhv_error *err)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	struct kind_count kinds[32];
	size_t nkinds = 0, cap = 0;
	xmlNodePtr root, devices;

	*out = NULL;
	*n = 0;
	root = domain_root(live_xml, &doc, "device addresses", err);
	if (!root)
		return -1;
	devices = child(root, "devices");
	if (!devices)
		return 0;

	for (xmlNodePtr d = devices->children; d; d = d->next) {
		struct {
			unsigned domain, bus, slot, function;
		} p;
		xmlNodePtr a;
		_cleanup_free_ char *type = NULL;
		size_t k;

		if (d->type != XML_ELEMENT_NODE)
			continue;
		for (k = 0; k < nkinds && xmlStrcmp(kinds[k].name, d->name); k++)
			;
		if (k == nkinds && nkinds < RHV_ARRAY_SIZE(kinds))
			kinds[nkinds++] = (struct kind_count){ d->name, 0 };
		if (k < nkinds)
			kinds[k].n++;

		a = child(d, "address");
		if (!a || !(type = attr(a, "type")) || strcmp(type, "pci"))
			continue;
		if (!hex_attr(a, "domain", 0xffff, &p.domain) || !hex_attr(a, "bus", 0xff, &p.bus) ||
		    !hex_attr(a, "slot", 0x1f, &p.slot) || !hex_attr(a, "function", 7, &p.function))
			continue; /* libvirt never writes such an address */
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = rhv_xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[*n].key = device_key(d, k < nkinds ? kinds[k].n - 1 : 0);
		(*out)[*n].address = rhv_xasprintf("%04x:%02x:%02x.%x", p.domain, p.bus, p.slot, p.function);
		(*n)++;
	}
	return 0;
}

/* ---- the taps of NICs ---- */

void rhv_domxml_taps_free(struct rhv_domxml_tap *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].mac);
		free(t[i].dev);
	}
	free(t);
}

int rhv_domxml_taps(const char *live_xml, struct rhv_domxml_tap **out, size_t *n, struct rhv_error *err)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	xmlNodePtr root, devices;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	root = domain_root(live_xml, &doc, "the NICs' taps", err);
	if (!root)
		return -1;
	devices = child(root, "devices");
	for (xmlNodePtr d = devices ? devices->children : NULL; d; d = d->next) {
		xmlNodePtr mac, target;
		char *addr;

		if (d->type != XML_ELEMENT_NODE || xmlStrcmp(d->name, (const xmlChar *)"interface") ||
		    !(mac = child(d, "mac")) || !(addr = attr(mac, "address")))
			continue;
		for (char *p = addr; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*out = rhv_xrealloc(*out, cap * sizeof(**out));
		}
		target = child(d, "target");
		(*out)[*n].mac = addr;
		(*out)[*n].dev = target ? attr(target, "dev") : NULL;
		(*n)++;
	}
	return 0;
}
