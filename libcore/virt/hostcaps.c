/*
 * What a host's libvirt daemon tells about the host (see rhv/hostcaps.h).
 */
#include "rhv/common.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/hostcaps.h"
#include "virt/virt-priv.h"

RHV_DEFINE_CLEANUP(xmlDocPtr, xmlFreeDoc)
RHV_DEFINE_CLEANUP(xmlXPathContextPtr, xmlXPathFreeContext)
RHV_DEFINE_CLEANUP(xmlXPathObjectPtr, xmlXPathFreeObject)

/* ---- small XML helpers ---- */

static xmlDocPtr parse_xml(const char *xml, const char *what, struct rhv_error *err)
{
	xmlDocPtr doc;

	if (!xml || !*xml) {
		rhv_error_set(err, RHV_EXIT_FAILED, "cannot parse %s: empty document", what);
		return NULL;
	}
	doc = xmlReadMemory(xml, (int)strlen(xml), "caps.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();

		rhv_error_set(err, RHV_EXIT_FAILED, "cannot parse %s: %s", what,
			      e && e->message ? e->message : "not well-formed XML");
		if (err) /* libxml2's messages end with a newline */
			err->message[strcspn(err->message, "\n")] = '\0';
		xmlResetLastError();
	}
	return doc;
}

/* The string value of expr, or NULL when empty.  Caller frees. */
static char *xp_str(xmlXPathContextPtr ctx, const char *expr)
{
	_cleanup_(xmlXPathFreeObject_cleanup) xmlXPathObjectPtr o = NULL;
	char expr2[256];

	snprintf(expr2, sizeof(expr2), "string(%s)", expr);
	o = xmlXPathEvalExpression((const xmlChar *)expr2, ctx);
	if (!o || o->type != XPATH_STRING || !o->stringval || !o->stringval[0])
		return NULL;
	return rhv_xstrdup((const char *)o->stringval);
}

static double xp_num(xmlXPathContextPtr ctx, const char *expr)
{
	_cleanup_(xmlXPathFreeObject_cleanup) xmlXPathObjectPtr o = NULL;
	char expr2[256];

	snprintf(expr2, sizeof(expr2), "number(%s)", expr);
	o = xmlXPathEvalExpression((const xmlChar *)expr2, ctx);
	if (!o || o->type != XPATH_NUMBER || o->floatval != o->floatval)
		return 0; /* NaN: absent */
	return o->floatval;
}

/* ---- string vectors ---- */

static size_t strv_len(char **v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates, in place. */
static void strv_sort_uniq(char **v)
{
	size_t n = strv_len(v), w = 0;

	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t r = 0; r < n; r++) {
		if (w && !strcmp(v[w - 1], v[r])) {
			free(v[r]);
			continue;
		}
		v[w++] = v[r];
	}
	v[w] = NULL;
}

/* Append the string values of the nodes expr selects to *v (NULL-terminated). */
static void strv_add_nodes(char ***v, xmlXPathContextPtr ctx, const char *expr)
{
	_cleanup_(xmlXPathFreeObject_cleanup) xmlXPathObjectPtr o = NULL;
	size_t n = strv_len(*v), add;

	o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	add = o && o->type == XPATH_NODESET && o->nodesetval ? (size_t)o->nodesetval->nodeNr : 0;
	*v = rhv_xrealloc(*v, (n + add + 1) * sizeof(**v));
	for (size_t i = 0; i < add; i++) {
		xmlChar *s = xmlNodeGetContent(o->nodesetval->nodeTab[i]);

		if (s && *s)
			(*v)[n++] = rhv_xstrdup((const char *)s);
		xmlFree(s);
	}
	(*v)[n] = NULL;
}

/* ---- public ---- */

void rhv_hostcaps_clear(struct rhv_hostcaps *caps)
{
	free(caps->arch);
	free(caps->vendor);
	free(caps->model);
	strv_free(caps->features);
	strv_free(caps->cpu_models);
	free(caps->hostname);
	memset(caps, 0, sizeof(*caps));
}

static bool strv_has(char **v, const char *s)
{
	for (size_t i = 0; s && v && v[i]; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

bool rhv_hostcaps_has(const struct rhv_hostcaps *caps, const char *feature)
{
	return strv_has(caps->features, feature);
}

bool rhv_hostcaps_model_usable(const struct rhv_hostcaps *caps, const char *model)
{
	return strv_has(caps->cpu_models, model);
}

int rhv_hostcaps_parse(const char *caps_xml, struct rhv_hostcaps *out, struct rhv_error *err)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	_cleanup_(xmlXPathFreeContext_cleanup) xmlXPathContextPtr ctx = NULL;
	_cleanup_free_ char *uuid = NULL;

	rhv_hostcaps_clear(out);
	doc = parse_xml(caps_xml, "host capabilities", err);
	if (!doc)
		return -1;
	if (!xmlDocGetRootElement(doc) || xmlStrcmp(xmlDocGetRootElement(doc)->name, (const xmlChar *)"capabilities"))
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot parse host capabilities: no <capabilities> element");
	ctx = xmlXPathNewContext(doc);
	if (!ctx)
		return rhv_error_oom(err);

	out->arch = xp_str(ctx, "/capabilities/host/cpu/arch");
	out->vendor = xp_str(ctx, "/capabilities/host/cpu/vendor");
	out->model = xp_str(ctx, "/capabilities/host/cpu/model");
	out->features = rhv_xcalloc(1, sizeof(char *));
	strv_add_nodes(&out->features, ctx, "/capabilities/host/cpu/feature/@name");
	strv_sort_uniq(out->features);
	out->sockets = (int)xp_num(ctx, "/capabilities/host/cpu/topology/@sockets");
	out->dies = (int)xp_num(ctx, "/capabilities/host/cpu/topology/@dies");
	out->cores = (int)xp_num(ctx, "/capabilities/host/cpu/topology/@cores");
	out->threads = (int)xp_num(ctx, "/capabilities/host/cpu/topology/@threads");
	out->cpus = (int)xp_num(ctx, "sum(/capabilities/host/topology/cells/cell/cpus/@num)");
	/* cell memory is in KiB (the only unit libvirt uses there) */
	out->memory = (uint64_t)xp_num(ctx, "sum(/capabilities/host/topology/cells/cell/memory)") * 1024;
	if (out->arch) {
		char **kvm_archs = rhv_xcalloc(1, sizeof(char *));

		/* no XPath built from the document's own strings */
		strv_add_nodes(&kvm_archs, ctx, "/capabilities/guest/arch[domain/@type='kvm']/@name");
		out->kvm = strv_has(kvm_archs, out->arch);
		strv_free(kvm_archs);
	}
	out->domain_type = out->kvm ? "kvm" : "qemu";
	uuid = xp_str(ctx, "/capabilities/host/uuid");
	if (uuid && strlen(uuid) < sizeof(out->uuid))
		strcpy(out->uuid, uuid);
	return 0;
}

int rhv_hostcaps_parse_domcaps(const char *domcaps_xml, struct rhv_hostcaps *out, struct rhv_error *err)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	_cleanup_(xmlXPathFreeContext_cleanup) xmlXPathContextPtr ctx = NULL;

	doc = parse_xml(domcaps_xml, "domain capabilities", err);
	if (!doc)
		return -1;
	ctx = xmlXPathNewContext(doc);
	if (!ctx)
		return rhv_error_oom(err);
	strv_free(out->cpu_models);
	out->cpu_models = rhv_xcalloc(1, sizeof(char *));
	strv_add_nodes(&out->cpu_models, ctx,
		       "/domainCapabilities/cpu/mode[@name='custom'][@supported='yes']/model[@usable='yes']");
	strv_sort_uniq(out->cpu_models);
	return 0;
}

/* The <cpu> element of the host in a capabilities document, serialized. */
static char *host_cpu_xml(const char *caps_xml)
{
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	_cleanup_(xmlXPathFreeContext_cleanup) xmlXPathContextPtr ctx = NULL;
	_cleanup_(xmlXPathFreeObject_cleanup) xmlXPathObjectPtr o = NULL;
	xmlBufferPtr buf;
	char *s = NULL;

	doc = parse_xml(caps_xml, "host capabilities", NULL);
	if (!doc || !(ctx = xmlXPathNewContext(doc)))
		return NULL;
	o = xmlXPathEvalExpression((const xmlChar *)"/capabilities/host/cpu", ctx);
	if (!o || !o->nodesetval || o->nodesetval->nodeNr != 1)
		return NULL;
	buf = xmlBufferCreate();
	if (!buf)
		return NULL;
	if (xmlNodeDump(buf, doc, o->nodesetval->nodeTab[0], 0, 0) > 0)
		s = rhv_xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return s;
}

/*
 * The full feature list: libvirt expands the host CPU (model plus extra
 * features) into every feature it implies.  Features whose policy is
 * 'disable' are those the model has but the host lacks.
 */
static void expand_features(virConnectPtr c, const char *caps_xml, struct rhv_hostcaps *out)
{
	_cleanup_free_ char *cpu = host_cpu_xml(caps_xml);
	_cleanup_free_ char *baseline = NULL;
	_cleanup_(xmlFreeDoc_cleanup) xmlDocPtr doc = NULL;
	_cleanup_(xmlXPathFreeContext_cleanup) xmlXPathContextPtr ctx = NULL;
	const char *cpus[1];

	if (!cpu || !out->model)
		return; /* nothing to expand (e.g. the test driver's bare CPU) */
	cpus[0] = cpu;
	baseline = virConnectBaselineCPU(c, cpus, 1, VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES);
	virResetLastError();
	if (!baseline)
		return;
	doc = parse_xml(baseline, "baseline CPU", NULL);
	if (!doc || !(ctx = xmlXPathNewContext(doc)))
		return;
	strv_add_nodes(&out->features, ctx, "/cpu/feature[not(@policy) or @policy='require']/@name");
	strv_sort_uniq(out->features);
	out->features_expanded = true;
}

static void version_str(char *buf, size_t len, unsigned long v)
{
	/* libvirt encodes major * 1000000 + minor * 1000 + micro */
	snprintf(buf, len, "%u.%u.%u", (unsigned)(v / 1000000 % 100000), (unsigned)(v / 1000 % 1000),
		 (unsigned)(v % 1000));
}

int rhv_hostcaps_read(struct rhv_virt_conn *conn, struct rhv_hostcaps *out, struct rhv_error *err)
{
	virConnectPtr c = conn->ptr;
	_cleanup_free_ char *caps = NULL;
	virNodeInfo info;
	unsigned long v;
	const char *type;

	rhv_hostcaps_clear(out);
	caps = virConnectGetCapabilities(c);
	if (!caps)
		return rhv_virt_error(err, "cannot read host capabilities");
	if (rhv_hostcaps_parse(caps, out, err) < 0)
		return -1;

	if (virNodeGetInfo(c, &info) < 0) {
		rhv_virt_error(err, "cannot read host node information");
		rhv_hostcaps_clear(out);
		return -1;
	}
	out->cpus = (int)info.cpus;
	out->memory = (uint64_t)info.memory * 1024;
	if (!out->sockets) {
		out->sockets = (int)info.sockets;
		out->cores = (int)info.cores;
		out->threads = (int)info.threads;
	}

	if (virConnectGetLibVersion(c, &v) == 0)
		version_str(out->libvirt_version, sizeof(out->libvirt_version), v);
	type = virConnectGetType(c);
	if (type && !strcmp(type, "QEMU") && virConnectGetVersion(c, &v) == 0)
		version_str(out->qemu_version, sizeof(out->qemu_version), v);
	out->hostname = virConnectGetHostname(c);
	virResetLastError();

	expand_features(c, caps, out);
	rhv_hostcaps_read_models(conn, out, out->domain_type);
	return 0;
}

void rhv_hostcaps_read_models(struct rhv_virt_conn *c, struct rhv_hostcaps *caps, const char *domain_type)
{
	_cleanup_free_ char *domcaps = NULL;

	strv_free(caps->cpu_models);
	caps->cpu_models = NULL;
	if (!caps->arch)
		return;
	domcaps = virConnectGetDomainCapabilities(c->ptr, NULL, caps->arch, NULL, domain_type, 0);
	virResetLastError();
	if (domcaps && rhv_hostcaps_parse_domcaps(domcaps, caps, NULL) < 0) {
		strv_free(caps->cpu_models);
		caps->cpu_models = NULL;
	}
}
