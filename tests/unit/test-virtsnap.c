/* The XML of snapshots: the <domainsnapshot> builder, the chain reader, the retarget edit. */
#include "rhv/common.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/virtsnap.h"
#include "virt/virt-priv.h"
#include "tap.h"

static const char *xp(xmlDocPtr doc, const char *expr)
{
	static char out[1024];
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	char e[512];
	xmlXPathObjectPtr o;

	snprintf(e, sizeof(e), "string(%s)", expr);
	o = xmlXPathEvalExpression((const xmlChar *)e, ctx);
	snprintf(out, sizeof(out), "%s", o && o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return out;
}

static int xp_count(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	char e[512];
	xmlXPathObjectPtr o;
	int n;

	snprintf(e, sizeof(e), "count(%s)", expr);
	o = xmlXPathEvalExpression((const xmlChar *)e, ctx);
	n = o ? (int)o->floatval : -1;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return n;
}

static xmlDocPtr parse(const char *xml)
{
	return xml ? xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL,
				   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
		   : NULL;
}

#define SD "/rhv/sd/0a1b/images/img1/"

/* A running domain's XML as libvirt 9.0 writes it: a chain of three on vda, a raw vdb, an empty CD-ROM. */
static const char live[] =
	"<domain type='qemu' id='3'>\n"
	"  <name>web01</name>\n"
	"  <uuid>6f1c3a52-0d6e-4d4e-9a7a-3f0c2b1e9a01</uuid>\n"
	"  <devices>\n"
	"    <disk type='file' device='disk'>\n"
	"      <driver name='qemu' type='qcow2'/>\n"
	"      <source file='" SD "v3' index='5'/>\n"
	"      <backingStore type='file' index='4'>\n"
	"        <format type='qcow2'/>\n"
	"        <source file='" SD "v2'/>\n"
	"        <backingStore type='file' index='3'>\n"
	"          <format type='raw'/>\n"
	"          <source file='" SD "v1'/>\n"
	"          <backingStore/>\n"
	"        </backingStore>\n"
	"      </backingStore>\n"
	"      <target dev='vda' bus='virtio'/>\n"
	"    </disk>\n"
	"    <disk type='file' device='disk'>\n"
	"      <driver name='qemu' type='raw'/>\n"
	"      <source file='/rhv/sd/0a1b/images/img2/w1' index='2'/>\n"
	"      <backingStore/>\n"
	"      <target dev='vdb' bus='virtio'/>\n"
	"    </disk>\n"
	"    <disk type='file' device='cdrom'>\n"
	"      <driver name='qemu'/>\n"
	"      <target dev='hdc' bus='ide'/>\n"
	"      <readonly/>\n"
	"    </disk>\n"
	"    <disk type='file' device='disk'>\n"
	"      <driver name='qemu' type='raw'/>\n"
	"      <source file='/iso/tools.img'/>\n"
	"      <target dev='vdc' bus='virtio'/>\n"
	"      <readonly/>\n"
	"    </disk>\n"
	"    <disk type='file' device='disk'>\n"
	"      <driver name='qemu' type='qcow2'/>\n"
	"      <source file='" SD "v3'/>\n"
	"      <mirror type='file' job='active-commit' ready='yes'/>\n"
	"      <target dev='vdd' bus='virtio'/>\n"
	"    </disk>\n"
	"  </devices>\n"
	"</domain>\n";

static void test_snapshot_xml(void)
{
	struct rhv_virt_snap_disk two[] = { { "vda", SD "v4" }, { "vdb", NULL } };
	struct rhv_virt_snap_disk odd[] = { { "vda", "/sd/it's a & b/v4" }, { "vdb", "/dev/vg0/lv-9" } };
	struct rhv_virt_snap_disk cd[] = { { "hdc", "/x/ov" } };
	struct rhv_virt_snap_disk ro[] = { { "vdc", "/x/ov" } };
	struct rhv_virt_snap_disk missing[] = { { "vdz", "/x/ov" } };
	struct rhv_virt_snap_disk twice[] = { { "vda", "/x/a" }, { "vda", "/x/b" } };
	struct rhv_error err = { 0 };
	char *out = NULL;
	xmlDocPtr doc;

	OK(rhv_virt_xml_snapshot(live, two, 2, NULL, &out, &err) == 0, "snapshot: two disks, one skipped");
	doc = parse(out);
	OK(doc != NULL, "snapshot: well-formed");
	IS_STR(xp(doc, "/domainsnapshot/memory/@snapshot"), "no", "snapshot: no memory");
	OK(xp_count(doc, "/domainsnapshot/disks/disk") == 5, "snapshot: every disk of the domain named");
	IS_STR(xp(doc, "//disk[@name='vda']/@snapshot"), "external", "snapshot: vda external");
	IS_STR(xp(doc, "//disk[@name='vda']/@type"), "file", "snapshot: vda a file");
	IS_STR(xp(doc, "//disk[@name='vda']/source/@file"), SD "v4", "snapshot: vda onto its overlay");
	IS_STR(xp(doc, "//disk[@name='vda']/driver/@type"), "qcow2", "snapshot: overlay is qcow2");
	IS_STR(xp(doc, "//disk[@name='vdb']/@snapshot"), "no", "snapshot: path NULL gets snapshot='no'");
	IS_STR(xp(doc, "//disk[@name='hdc']/@snapshot"), "no", "snapshot: CD-ROM gets snapshot='no'");
	IS_STR(xp(doc, "//disk[@name='vdc']/@snapshot"), "no", "snapshot: read-only disk gets snapshot='no'");
	IS_STR(xp(doc, "//disk[@name='vdd']/@snapshot"), "no", "snapshot: unlisted disk gets snapshot='no'");
	OK(xp_count(doc, "//disk[@snapshot='no']/source") == 0, "snapshot: skipped disks name no file");
	xmlFreeDoc(doc);
	free(out);

	OK(rhv_virt_xml_snapshot(live, odd, 2, "/sd/mem & 'state'", &out, &err) == 0, "snapshot: odd paths, memory");
	OK(out && strstr(out, "it&apos;s a &amp; b") && strstr(out, "mem &amp; &apos;state&apos;"),
	   "snapshot: & and ' escaped");
	doc = parse(out);
	IS_STR(xp(doc, "//disk[@name='vda']/source/@file"), "/sd/it's a & b/v4", "snapshot: path read back intact");
	IS_STR(xp(doc, "/domainsnapshot/memory/@snapshot"), "external", "snapshot: memory external");
	IS_STR(xp(doc, "/domainsnapshot/memory/@file"), "/sd/mem & 'state'", "snapshot: memory file");
	IS_STR(xp(doc, "//disk[@name='vdb']/@type"), "block", "snapshot: /dev/ path is a block device");
	IS_STR(xp(doc, "//disk[@name='vdb']/source/@dev"), "/dev/vg0/lv-9", "snapshot: block overlay as dev");
	xmlFreeDoc(doc);
	free(out);

	rhv_error_clear(&err);
	OK(rhv_virt_xml_snapshot(live, cd, 1, NULL, &out, &err) < 0 && err.code == RHV_EXIT_USAGE && !out,
	   "snapshot: a CD-ROM listed is refused (2)");
	rhv_error_clear(&err);
	OK(rhv_virt_xml_snapshot(live, ro, 1, NULL, &out, &err) < 0 && err.code == RHV_EXIT_USAGE,
	   "snapshot: a read-only disk listed is refused (2)");
	rhv_error_clear(&err);
	OK(rhv_virt_xml_snapshot(live, missing, 1, NULL, &out, &err) < 0 && err.code == RHV_EXIT_NOTFOUND,
	   "snapshot: unknown disk (3)");
	IS_STR(err.message, "cannot find disk 'vdz' in the domain", "snapshot: message names the disk");
	rhv_error_clear(&err);
	OK(rhv_virt_xml_snapshot(live, twice, 2, NULL, &out, &err) < 0 && err.code == RHV_EXIT_USAGE,
	   "snapshot: a disk listed twice (2)");
	rhv_error_clear(&err);
	OK(rhv_virt_xml_snapshot("<network/>", two, 2, NULL, &out, &err) < 0 && err.code == RHV_EXIT_FAILED,
	   "snapshot: not domain XML (1)");
	rhv_error_clear(&err);
	OK(rhv_virt_xml_snapshot("", two, 2, NULL, &out, &err) < 0 && err.code == RHV_EXIT_FAILED,
	   "snapshot: empty XML (1)");
}

static void test_chain(void)
{
	struct rhv_error err = { 0 };
	struct rhv_virt_layer *l;
	char **p = NULL;
	size_t n = 9;
	bool ready = true;

	OK(rhv_virt_xml_disk_chain(live, "vda", &p, &n, &err) == 0 && n == 3, "chain: nested backingStore, 3 layers");
	if (n == 3) {
		IS_STR(p[0], SD "v3", "chain: top first");
		IS_STR(p[1], SD "v2", "chain: then its backing file");
		IS_STR(p[2], SD "v1", "chain: base last");
	}
	rhv_virt_chain_free(p, n);

	OK(rhv_virt_xml_disk_chain(live, "vdb", &p, &n, &err) == 0 && n == 1, "chain: disk without backing");
	if (n == 1)
		IS_STR(p[0], "/rhv/sd/0a1b/images/img2/w1", "chain: its one volume");
	rhv_virt_chain_free(p, n);

	OK(rhv_virt_xml_disk_chain(live, "hdc", &p, &n, &err) == 0 && n == 0, "chain: empty CD-ROM has none");
	rhv_virt_chain_free(p, n);

	OK(rhv_virt_xml_disk_chain(live, "vdz", &p, &n, &err) < 0 && err.code == RHV_EXIT_NOTFOUND && n == 0,
	   "chain: unknown target (3)");
	rhv_error_clear(&err);
	OK(rhv_virt_xml_disk_chain("junk", "vda", &p, &n, &err) < 0 && err.code == RHV_EXIT_FAILED,
	   "chain: not XML (1)");
	rhv_error_clear(&err);

	OK(rhv_virt_xml_chain_layers(live, "vda", &l, &n, &ready, &err) == 0 && n == 3, "layers: 3");
	OK(n == 3 && l[0].index == 5 && l[1].index == 4 && l[2].index == 3,
	   "layers: libvirt's indexes, from <source> at the top and <backingStore> below");
	OK(!ready, "layers: no mirror, not ready");
	rhv_virt_layers_free(l, n);
	OK(rhv_virt_xml_chain_layers(live, "vdd", &l, &n, &ready, &err) == 0 && n == 1 && l[0].index == -1,
	   "layers: no index attribute gives -1");
	OK(ready, "layers: <mirror ready='yes'> read");
	rhv_virt_layers_free(l, n);
}

static void test_retarget(void)
{
	struct rhv_virt_snap_disk to[] = { { "vda", "/sd/p & 'q'/new" }, { "vdb", NULL }, { "vdd", "/dev/vg/lv1" } };
	struct rhv_virt_snap_disk missing[] = { { "vdz", "/x" } };
	struct rhv_error err = { 0 };
	char *out = NULL, *uuid;
	xmlDocPtr doc;

	OK(rhv_virt_xml_retarget_disks(live, to, 3, &out, &err) == 0, "retarget: ok");
	doc = parse(out);
	OK(doc != NULL, "retarget: well-formed");
	IS_STR(xp(doc, "/domain/name"), "web01", "retarget: the rest kept");
	IS_STR(xp(doc, "//disk[target/@dev='vda']/source/@file"), "/sd/p & 'q'/new", "retarget: vda on its overlay");
	OK(xp_count(doc, "//disk[target/@dev='vda']/source/@index") == 0, "retarget: old index dropped");
	OK(xp_count(doc, "//disk[target/@dev='vda']//backingStore") == 0, "retarget: vda's backingStore dropped");
	IS_STR(xp(doc, "//disk[target/@dev='vda']/driver/@type"), "qcow2", "retarget: qcow2");
	IS_STR(xp(doc, "//disk[target/@dev='vdb']/source/@file"), "/rhv/sd/0a1b/images/img2/w1",
	       "retarget: path NULL leaves the disk alone");
	IS_STR(xp(doc, "//disk[target/@dev='vdb']/driver/@type"), "raw", "retarget: its driver too");
	OK(xp_count(doc, "//disk[target/@dev='vdb']/backingStore") == 1, "retarget: and its backingStore");
	IS_STR(xp(doc, "//disk[target/@dev='vdd']/@type"), "block", "retarget: /dev/ path makes a block disk");
	IS_STR(xp(doc, "//disk[target/@dev='vdd']/source/@dev"), "/dev/vg/lv1", "retarget: source dev");
	OK(xp_count(doc, "//disk[target/@dev='vdd']/source/@file") == 0, "retarget: no source file left");
	xmlFreeDoc(doc);
	uuid = rhv_virt_xml_uuid(out);
	IS_STR(uuid, "6f1c3a52-0d6e-4d4e-9a7a-3f0c2b1e9a01", "retarget: uuid read back");
	free(uuid);
	free(out);
	out = NULL;

	OK(rhv_virt_xml_retarget_disks(live, missing, 1, &out, &err) < 0 && err.code == RHV_EXIT_NOTFOUND && !out,
	   "retarget: unknown disk (3)");
	rhv_error_clear(&err);
	OK(rhv_virt_xml_retarget_disks("<domainsnapshot/>", to, 1, &out, &err) < 0 && err.code == RHV_EXIT_FAILED,
	   "retarget: not a domain (1)");
}

/* Whether a quiesced snapshot is worth asking for: the agent channel and the state libvirt reports. */
static void test_agent(void)
{
#define DOM(dev) "<domain type='kvm'><name>g</name><devices>" dev "</devices></domain>"
#define AGENT(state) \
	"<channel type='unix'><source mode='bind'/>" \
	"<target type='virtio' name='org.qemu.guest_agent.0'" state "/></channel>"
	OK(!rhv_virt_xml_agent_may_answer(live), "agent: none in a domain without channels");
	OK(!rhv_virt_xml_agent_may_answer(DOM("<channel type='pty'><target type='virtio' name='org.other.0' "
					      "state='connected'/></channel>")),
	   "agent: another channel is not the agent's");
	OK(!rhv_virt_xml_agent_may_answer(DOM(AGENT(" state='disconnected'"))), "agent: disconnected");
	OK(rhv_virt_xml_agent_may_answer(DOM(AGENT(" state='connected'"))), "agent: connected");
	OK(rhv_virt_xml_agent_may_answer(DOM(AGENT(""))), "agent: no state reported, so it may");
	OK(rhv_virt_xml_agent_may_answer("<domainsnapshot/>"), "agent: not a domain, libvirt tells");
#undef AGENT
#undef DOM
}

int main(void)
{
	test_snapshot_xml();
	test_chain();
	test_retarget();
	test_agent();
	return tap_done();
}
