/* Domain XML: building, escaping, stable addresses, reading them back. */
#include "rhv/common.h"

#include <libgen.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rhv/domxml.h"
#include "rhv/virt.h"
#include "virt/virt-priv.h"
#include "tap.h"

/* XPath string value in a document, "" when absent; static buffer. */
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
	return xml ? xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
									       XML_PARSE_NOWARNING)
		   : NULL;
}

static const char *addr_of(struct rhv_vm_addr *a, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(a[i].key, key))
			return a[i].address;
	return NULL;
}

static struct rhv_vm_nic nics[] = {
	{ .network = "ovirtmgmt", .model = "virtio", .mac = "00:1A:4A:16:01:51" },
	{ .network = "storage", .model = "e1000", .mac = "00:1a:4a:16:01:52" },
	{ .network = "display", .model = "rtl8139", .mac = "00:1a:4a:16:01:53" },
};

static struct rhv_vm full_vm(void)
{
	struct rhv_vm vm = {
		.id = "6f1c3a52-0d6e-4d4e-9a7a-3f0c2b1e9a01",
		.name = "web01",
		.description = "front end",
		.memory = (32 << 20) + 1, /* rounds up to 32769 KiB */
		.vcpus = 2,
		.nics = nics,
		.nnics = 3,
		.graphics = "spice",
		.video = "qxl",
		.sound = "ac97",
		.balloon = true,
	};
	return vm;
}

static const struct rhv_domxml_net nets[] = {
	{ .network = "ovirtmgmt", .type = "bridge", .source = "ovirtmgmt" },
	{ .network = "storage", .type = "network", .source = "stor<&>" },
};
static const struct rhv_domxml_net user_net = { .type = "user" };

static void test_full(void)
{
	struct rhv_vm vm = full_vm();
	struct rhv_domxml_opts o = { .domain_type = "qemu", .cpu_model = "Nehalem", .nets = nets, .nnets = 2,
				     .nic_default = &user_net };
	struct rhv_error err = { 0 };
	char *xml = rhv_domxml_build(&vm, &o, &err);
	xmlDocPtr doc = parse(xml);

	OK(xml && err.code == 0, "build: a VM with every option builds");
	OK(doc != NULL, "build: the XML is well-formed");
	if (!doc)
		return;
	IS_STR(xp(doc, "/domain/@type"), "qemu", "build: domain type from opts");
	IS_STR(xp(doc, "/domain/name"), "web01", "build: name");
	IS_STR(xp(doc, "/domain/uuid"), vm.id, "build: uuid is the VM id");
	IS_STR(xp(doc, "/domain/description"), "front end", "build: description");
	IS_STR(xp(doc, "/domain/memory[@unit='KiB']"), "32769", "build: memory in KiB, rounded up");
	IS_STR(xp(doc, "/domain/currentMemory[@unit='KiB']"), "32769", "build: currentMemory");
	IS_STR(xp(doc, "/domain/vcpu"), "2", "build: vcpus");
	IS_STR(xp(doc, "/domain/os/type"), "hvm", "build: os type hvm");
	IS_STR(xp(doc, "/domain/os/type/@arch"), "x86_64", "build: arch");
	IS_STR(xp(doc, "/domain/os/type/@machine"), "pc", "build: machine pc");
	IS_STR(xp(doc, "/domain/os/boot/@dev"), "hd", "build: boots from disk");
	OK(xp_count(doc, "/domain/features/acpi") == 1, "build: ACPI (graceful shutdown)");
	IS_STR(xp(doc, "/domain/cpu/model"), "Nehalem", "build: CPU model");
	IS_STR(xp(doc, "/domain/cpu/model/@fallback"), "forbid", "build: CPU model without fallback");
	IS_STR(xp(doc, "/domain/cpu/@match"), "exact", "build: CPU match exact");
	IS_STR(xp(doc, "/domain/on_poweroff"), "destroy", "build: on_poweroff destroy");
	IS_STR(xp(doc, "/domain/on_reboot"), "restart", "build: on_reboot restart");
	IS_STR(xp(doc, "/domain/on_crash"), "destroy", "build: on_crash destroy");
	OK(xp_count(doc, "/domain/devices/interface") == 3, "build: one interface per NIC");
	IS_STR(xp(doc, "/domain/devices/interface[1]/@type"), "bridge", "build: mapped network becomes a bridge");
	IS_STR(xp(doc, "/domain/devices/interface[1]/source/@bridge"), "ovirtmgmt", "build: bridge name");
	IS_STR(xp(doc, "/domain/devices/interface[1]/mac/@address"), "00:1a:4a:16:01:51", "build: MAC, lowercase");
	IS_STR(xp(doc, "/domain/devices/interface[1]/model/@type"), "virtio", "build: NIC model virtio");
	IS_STR(xp(doc, "/domain/devices/interface[2]/@type"), "network", "build: libvirt network type");
	IS_STR(xp(doc, "/domain/devices/interface[2]/source/@network"), "stor<&>", "build: source escaped");
	IS_STR(xp(doc, "/domain/devices/interface[2]/model/@type"), "e1000", "build: NIC model e1000");
	IS_STR(xp(doc, "/domain/devices/interface[3]/@type"), "user", "build: unmapped network uses the default");
	OK(xp_count(doc, "/domain/devices/interface[3]/source") == 0, "build: user networking has no source");
	IS_STR(xp(doc, "/domain/devices/graphics/@type"), "spice", "build: graphics kind");
	IS_STR(xp(doc, "/domain/devices/graphics/listen/@address"), "127.0.0.1", "build: graphics on loopback only");
	IS_STR(xp(doc, "/domain/devices/video/model/@type"), "qxl", "build: video model");
	IS_STR(xp(doc, "/domain/devices/sound/@model"), "ac97", "build: sound model");
	IS_STR(xp(doc, "/domain/devices/memballoon/@model"), "virtio", "build: balloon");
	OK(xp_count(doc, "//address") == 0, "build: no stored addresses, none given");
	xmlFreeDoc(doc);
	free(xml);
}

static void test_minimal(void)
{
	struct rhv_vm vm = {
		.id = "6f1c3a52-0d6e-4d4e-9a7a-3f0c2b1e9a02", .name = "tiny", .memory = 1 << 20, .vcpus = 1
	};
	struct rhv_error err = { 0 };
	char *xml = rhv_domxml_build(&vm, NULL, &err);
	xmlDocPtr doc = parse(xml);

	OK(doc != NULL, "minimal: builds without options");
	if (!doc)
		return;
	IS_STR(xp(doc, "/domain/@type"), "kvm", "minimal: kvm by default");
	OK(xp_count(doc, "/domain/cpu") == 0, "minimal: no cpu model, no <cpu>");
	IS_STR(xp(doc, "/domain/devices/memballoon/@model"), "none", "minimal: balloon off is model none");
	IS_STR(xp(doc, "/domain/devices/video/model/@type"), "none", "minimal: no video is model none");
	OK(xp_count(doc, "/domain/devices/graphics") == 0, "minimal: no graphics");
	OK(xp_count(doc, "/domain/devices/sound") == 0, "minimal: no sound");
	OK(xp_count(doc, "/domain/description") == 0, "minimal: no description");
	IS_STR(xp(doc, "/domain/memory"), "1024", "minimal: 1 MiB is 1024 KiB");
	xmlFreeDoc(doc);
	free(xml);
}

static void test_addresses_built(void)
{
	struct rhv_vm_addr addrs[] = {
		{ "interface:00:1a:4a:16:01:51", "0000:00:04.0" },
		{ "interface:00:1a:4a:16:01:52", "0000:00:03.0" },
		{ "video:0", "0000:00:02.0" },
		{ "sound:ac97", "0000:00:05.0" },
		{ "memballoon", "0000:00:06.0" },
		{ "controller:usb:0", "0000:00:01.2" },
		{ "disk:vda", "0000:00:07.0" }, /* no disks in the definition: ignored */
		{ "sound:es1370", "0000:00:09.0" }, /* not this VM's sound: ignored */
	};
	struct rhv_vm vm = full_vm();
	struct rhv_domxml_opts o = { .domain_type = "qemu", .nic_default = &user_net };
	struct rhv_error err = { 0 };
	char *xml;
	xmlDocPtr doc;
	struct rhv_vm_addr *back = NULL;
	size_t nback = 0;

	vm.addrs = addrs;
	vm.naddrs = RHV_ARRAY_SIZE(addrs);
	xml = rhv_domxml_build(&vm, &o, &err);
	doc = parse(xml);
	OK(doc != NULL, "addresses: XML with stored addresses is well-formed");
	if (!doc)
		return;
	IS_STR(xp(doc, "/domain/devices/interface[mac/@address='00:1a:4a:16:01:51']/address/@slot"), "0x04",
	       "addresses: NIC by MAC gets its slot");
	IS_STR(xp(doc, "/domain/devices/interface[mac/@address='00:1a:4a:16:01:52']/address/@slot"), "0x03",
	       "addresses: second NIC gets its slot");
	OK(xp_count(doc, "/domain/devices/interface[mac/@address='00:1a:4a:16:01:53']/address") == 0,
	   "addresses: NIC without a stored address gets none");
	IS_STR(xp(doc, "/domain/devices/interface[1]/address/@type"), "pci", "addresses: type pci");
	IS_STR(xp(doc, "/domain/devices/interface[1]/address/@domain"), "0x0000", "addresses: domain 0x0000");
	IS_STR(xp(doc, "/domain/devices/interface[1]/address/@bus"), "0x00", "addresses: bus 0x00");
	IS_STR(xp(doc, "/domain/devices/interface[1]/address/@function"), "0x0", "addresses: function 0x0");
	IS_STR(xp(doc, "/domain/devices/video/address/@slot"), "0x02", "addresses: video");
	IS_STR(xp(doc, "/domain/devices/sound/address/@slot"), "0x05", "addresses: sound");
	IS_STR(xp(doc, "/domain/devices/memballoon/address/@slot"), "0x06", "addresses: memballoon");
	IS_STR(xp(doc, "/domain/devices/controller[@type='usb'][@index='0']/address/@function"), "0x2",
	       "addresses: stored controller address becomes a <controller>");
	OK(xp_count(doc, "//address") == 6, "addresses: keys of absent devices are ignored");

	OK(rhv_domxml_addresses(xml, &back, &nback, &err) == 0 && nback == 6, "addresses: read back from built XML");
	IS_STR(addr_of(back, nback, "interface:00:1a:4a:16:01:51"), "0000:00:04.0", "addresses: round trip NIC");
	IS_STR(addr_of(back, nback, "controller:usb:0"), "0000:00:01.2", "addresses: round trip controller");
	rhv_domxml_addrs_free(back, nback);
	xmlFreeDoc(doc);
	free(xml);

	/* a corrupt stored address is an error, not a guess */
	struct rhv_vm_addr bad[] = { { "video:0", "0000:00:2.0" } };
	vm.addrs = bad;
	vm.naddrs = 1;
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err) && err.code == RHV_EXIT_FAILED,
	   "addresses: malformed stored address refused");
	IS_STR(err.message, "invalid stored PCI address '0000:00:2.0' of device 'video:0' of VM 'web01'",
	       "addresses: message names device and VM");
	struct rhv_vm_addr badslot[] = { { "video:0", "0000:00:20.0" } };
	vm.addrs = badslot;
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err), "addresses: slot above 0x1f refused");
	struct rhv_vm_addr badkey[] = { { "controller:usb'/><evil:0", "0000:00:01.2" } };
	vm.addrs = badkey;
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err) && err.code == RHV_EXIT_FAILED,
	   "addresses: malformed controller key refused");
}

static void test_hostile(void)
{
	struct rhv_vm vm = full_vm();
	struct rhv_domxml_opts o = { .nic_default = &user_net, .graphics_listen = "::1' evil='1" };
	struct rhv_error err = { 0 };
	const char *name = "<vm> & \"quoted\" 'x' ]]> caf\xc3\xa9";
	char *xml, *e;
	xmlDocPtr doc;

	vm.name = (char *)name;
	vm.description = "line1\nline2 \x01\x1b ctl \xff\xfe bad utf8 & <tag>";
	vm.nics = &(struct rhv_vm_nic){ .network = "<net & 'work'>", .model = "virtio", .mac = "00:1a:4a:16:01:51" };
	vm.nnics = 1;
	xml = rhv_domxml_build(&vm, &o, &err);
	doc = parse(xml);
	OK(doc != NULL, "hostile: names with markup still give well-formed XML");
	if (!doc)
		return;
	IS_STR(xp(doc, "/domain/name"), name, "hostile: the name survives byte for byte");
	IS_STR(xp(doc, "/domain/description"),
	       "line1\nline2 \xef\xbf\xbd\xef\xbf\xbd ctl \xef\xbf\xbd\xef\xbf\xbd bad utf8 & <tag>",
	       "hostile: control characters and bad UTF-8 become U+FFFD");
	IS_STR(xp(doc, "/domain/devices/graphics/listen/@address"), "::1' evil='1",
	       "hostile: attribute values escaped");
	OK(xp_count(doc, "//@evil") == 0, "hostile: no attribute injected");
	OK(xp_count(doc, "/domain/*") == 13 && xp_count(doc, "/domain/devices/*") == 5,
	   "hostile: no element injected");
	xmlFreeDoc(doc);
	free(xml);

	e = rhv_domxml_escape("a<b>&\"c\"'d'");
	IS_STR(e, "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;", "escape: the five entities");
	free(e);
	e = rhv_domxml_escape("tab\tnl\ncr\r");
	IS_STR(e, "tab\tnl\ncr\r", "escape: tab, newline, CR kept");
	free(e);
	e = rhv_domxml_escape("\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x96\xa5");
	IS_STR(e, "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x96\xa5", "escape: valid UTF-8 kept");
	free(e);
	e = rhv_domxml_escape("\xc0\xaf\xed\xa0\x80");
	IS_STR(e, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	       "escape: overlong and surrogate bytes become U+FFFD each");
	free(e);
	e = rhv_domxml_escape(NULL);
	IS_STR(e, "", "escape: NULL is empty");
	free(e);
}

static void test_errors(void)
{
	struct rhv_vm vm = full_vm();
	struct rhv_domxml_opts o = { .nets = nets, .nnets = 2 };
	struct rhv_error err = { 0 };

	OK(!rhv_domxml_build(&vm, &o, &err) && err.code == RHV_EXIT_CONFLICT,
	   "errors: network missing on the host is a conflict");
	IS_STR(err.message, "network 'display' of NIC 00:1a:4a:16:01:53 of VM 'web01' is not available on the host",
	       "errors: message names network, NIC and VM");

	o.nic_default = &user_net;
	vm.name = "a/b";
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err) && err.code == RHV_EXIT_FAILED, "errors: '/' in the name refused");
	vm = full_vm();
	vm.nics = &(struct rhv_vm_nic){ .network = "ovirtmgmt", .model = "ne2k", .mac = "00:1a:4a:16:01:51" };
	vm.nnics = 1;
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err), "errors: unknown NIC model refused");
	vm.nics = &(struct rhv_vm_nic){ .network = "ovirtmgmt", .model = "virtio", .mac = "00:1a:4a:16:01:5" };
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err), "errors: short MAC refused");
	vm.nics = &(struct rhv_vm_nic){ .network = "ovirtmgmt", .model = "virtio", .mac = "00:1a:4a:16:01:5g" };
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err), "errors: non-hex MAC refused");
	vm = full_vm();
	vm.graphics = "rdp";
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err), "errors: unknown graphics refused");
	vm = full_vm();
	vm.memory = 0;
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err), "errors: no memory refused");
	vm = full_vm();
	o.domain_type = "xen";
	rhv_error_clear(&err);
	OK(!rhv_domxml_build(&vm, &o, &err), "errors: unknown domain type refused");
}

static void test_live_fixtures(void)
{
	char *disk = tap_fixture("domain-live-disk.xml"), *kvm = tap_fixture("domain-live-kvm.xml");
	struct rhv_error err = { 0 };
	struct rhv_vm_addr *a = NULL;
	size_t n = 0;
	char *missing = NULL;

	OK(disk && kvm, "fixtures: found in tests/unit/data");
	if (!disk || !kvm)
		return;
	OK(rhv_domxml_addresses(disk, &a, &n, &err) == 0, "live: addresses of a lab guest parse");
	OK(n == 9, "live: every PCI device found (the IDE cdrom has a drive address)");
	IS_STR(addr_of(a, n, "interface:00:1a:4a:16:01:51"), "0000:00:03.0", "live: interface by MAC");
	IS_STR(addr_of(a, n, "interface:00:1a:4a:16:01:52"), "0000:00:04.0", "live: second interface");
	IS_STR(addr_of(a, n, "video:0"), "0000:00:02.0", "live: video:0");
	IS_STR(addr_of(a, n, "sound:ac97"), "0000:00:05.0", "live: sound by model");
	IS_STR(addr_of(a, n, "memballoon"), "0000:00:06.0", "live: memballoon");
	IS_STR(addr_of(a, n, "controller:usb:0"), "0000:00:01.2", "live: USB controller");
	IS_STR(addr_of(a, n, "controller:ide:0"), "0000:00:01.1", "live: IDE controller");
	IS_STR(addr_of(a, n, "disk:vda"), "0000:00:07.0", "live: disk by target");
	IS_STR(addr_of(a, n, "rng:0"), "0000:00:08.0", "live: other devices keyed by kind and count");
	OK(!addr_of(a, n, "disk:hdc") && !addr_of(a, n, "controller:pci:0"), "live: non-PCI and address-less skipped");
	rhv_domxml_addrs_free(a, n);

	OK(rhv_domxml_addresses(kvm, &a, &n, &err) == 0 && n == 6, "live: KVM guest with spice has 6 addresses");
	rhv_domxml_addrs_free(a, n);

	OK(rhv_domxml_cpu_missing(kvm, &missing, &err) == 0 && missing, "cpu: disabled features of a live guest found");
	OK(missing && !strncmp(missing, "pni, pclmuldq, ssse3, fma,", 26) && strstr(missing, ", abm") &&
		   !strstr(missing, "vme") && !strstr(missing, "hypervisor"),
	   "cpu: only the disabled ones, in order");
	free(missing);
	OK(rhv_domxml_cpu_missing("<domain><name>x</name></domain>", &missing, &err) == 0 && !missing,
	   "cpu: none without <cpu>");
	OK(rhv_domxml_cpu_missing("<domain><cpu><model>Nehalem</model><feature policy='require' name='vme'/></cpu>"
				  "</domain>",
				  &missing, &err) == 0 &&
		   !missing,
	   "cpu: none when nothing is disabled");

	rhv_error_clear(&err);
	OK(rhv_domxml_addresses("<capabilities/>", &a, &n, &err) < 0 && err.code == RHV_EXIT_FAILED && !a && !n,
	   "live: not domain XML is an error");
	rhv_error_clear(&err);
	OK(rhv_domxml_addresses("<domain><devices>", &a, &n, &err) < 0, "live: truncated XML is an error");
	OK(rhv_domxml_addresses("<domain/>", &a, &n, &err) == 0 && n == 0, "live: no devices, no addresses");
	{
		struct rhv_domxml_tap *t = NULL;
		size_t nt = 0;

		OK(rhv_domxml_taps(disk, &t, &nt, &err) == 0 && nt == 2 && !strcmp(t[0].mac, "00:1a:4a:16:01:52") &&
			   !t[0].dev && !t[1].dev,
		   "taps: user networking NICs have none");
		rhv_domxml_taps_free(t, nt);
		OK(rhv_domxml_taps("<domain><devices><interface type='bridge'><mac address='00:1A:4A:16:01:5A'/>"
				   "<source bridge='red'/><target dev='vnet7'/></interface><interface type='user'/>"
				   "<disk><target dev='vda'/></disk></devices></domain>",
				   &t, &nt, &err) == 0 &&
			   nt == 1 && !strcmp(t[0].mac, "00:1a:4a:16:01:5a") && t[0].dev && !strcmp(t[0].dev, "vnet7"),
		   "taps: a bridged NIC's target dev, by lower-case MAC; no MAC, no entry");
		rhv_domxml_taps_free(t, nt);
		rhv_error_clear(&err);
		OK(rhv_domxml_taps("<capabilities/>", &t, &nt, &err) < 0 && !t && !nt, "taps: not domain XML is an error");
		rhv_error_clear(&err);
	}
	free(disk);
	free(kvm);
}

/* libvirt's own parser (the test driver, in process) takes what we build. */
static void test_libvirt_accepts(void)
{
	struct rhv_vm_addr addrs[] = {
		{ "interface:00:1a:4a:16:01:51", "0000:00:04.0" },
		{ "video:0", "0000:00:02.0" },
		{ "memballoon", "0000:00:09.0" },
	};
	struct rhv_vm vm = full_vm();
	struct rhv_domxml_opts o = { .cpu_model = "Haswell-noTSX", .nic_default = &user_net };
	struct rhv_error err = { 0 };
	const char *name = "<vm> & \"q\" 'x' caf\xc3\xa9";
	struct rhv_virt_conn *vc = rhv_virt_open("test:///default", 2000, &err);
	virConnectPtr c = vc ? vc->ptr : NULL;
	virDomainPtr d;
	char *xml, *live;
	struct rhv_vm_addr *a = NULL;
	size_t n = 0;

	OK(c != NULL, "libvirt: test driver opens");
	if (!c)
		return;
	vm.name = (char *)name;
	vm.addrs = addrs;
	vm.naddrs = RHV_ARRAY_SIZE(addrs);
	xml = rhv_domxml_build(&vm, &o, &err);
	d = xml ? virDomainDefineXML(c, xml) : NULL;
	OK(d != NULL, "libvirt: defines the built XML");
	if (d) {
		IS_STR(virDomainGetName(d), name, "libvirt: hostile name arrives intact");
		live = virDomainGetXMLDesc(d, 0);
		OK(rhv_domxml_addresses(live, &a, &n, &err) == 0, "libvirt: reads back");
		IS_STR(addr_of(a, n, "interface:00:1a:4a:16:01:51"), "0000:00:04.0", "libvirt: keeps the NIC address");
		IS_STR(addr_of(a, n, "memballoon"), "0000:00:09.0", "libvirt: keeps the balloon address");
		rhv_domxml_addrs_free(a, n);
		free(live);
		virDomainUndefine(d);
		virDomainFree(d);
	}
	free(xml);
	rhv_virt_close(vc);
}

/* ---- disks and CD-ROM ---- */

static struct rhv_vm_disk disks[] = {
	{ .id = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", .name = "system", .path = "/rhv/data/sd1/images/0a1b/vol1",
	  .format = "qcow2", .interface = "virtio", .target = "vda", .bootable = true },
	{ .id = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", .name = "donn\xc3\xa9" "es \xe2\x98\x83",
	  .path = "/rhv/data/a&b/d\xc3\xafsk 'x'.raw", .format = "raw", .interface = "ide", .target = "hdb" },
};

static struct rhv_vm disk_vm(void)
{
	struct rhv_vm vm = full_vm();

	vm.disks = disks;
	vm.ndisks = RHV_ARRAY_SIZE(disks);
	vm.cdrom = "/rhv/iso/install & go.iso";
	vm.cdrom_target = "hdc";
	return vm;
}

static void test_disks(void)
{
	struct rhv_vm_addr addrs[] = {
		{ "disk:vda", "0000:00:07.0" },
		{ "disk:hdb", "0000:00:08.0" }, /* IDE: never given back */
		{ "video:0", "0000:00:02.0" },
	};
	struct rhv_vm vm = disk_vm();
	struct rhv_domxml_opts o = { .nic_default = &user_net };
	struct rhv_error err = { 0 };
	char *xml;
	xmlDocPtr doc;
	struct rhv_vm_addr *back = NULL;
	size_t nback = 0;

	vm.addrs = addrs;
	vm.naddrs = RHV_ARRAY_SIZE(addrs);
	xml = rhv_domxml_build(&vm, &o, &err);
	doc = parse(xml);
	OK(xml && err.code == 0, "disks: a VM with disks and a CD-ROM builds");
	OK(doc != NULL, "disks: the XML is well-formed");
	if (!doc) {
		free(xml);
		return;
	}
	OK(!strstr(xml, "<boot dev="), "disks: no <boot dev='hd'/> beside per-device boot orders");
	OK(xp_count(doc, "/domain/os/*") == 1, "disks: <os> holds only its type");
	OK(xp_count(doc, "/domain/devices/disk") == 3, "disks: two disks and the CD-ROM");
	OK(strstr(xml, "    <disk type='file' device='disk'>\n"
		       "      <driver name='qemu' type='qcow2' cache='none' io='threads' error_policy='stop'"
		       " rerror_policy='stop'/>\n"
		       "      <source file='/rhv/data/sd1/images/0a1b/vol1'/>\n"
		       "      <target dev='vda' bus='virtio'/>\n"
		       "      <serial>0a1b2c3d-4e5f-4a6b-8</serial>\n"
		       "      <boot order='2'/>\n"
		       "      <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>\n"
		       "    </disk>\n") != NULL,
	   "disks: virtio qcow2 disk, exactly");
	OK(strstr(xml, "    <disk type='file' device='disk'>\n"
		       "      <driver name='qemu' type='raw' cache='none' io='threads' error_policy='stop'"
		       " rerror_policy='stop'/>\n"
		       "      <source file='/rhv/data/a&amp;b/d\xc3\xafsk &apos;x&apos;.raw'/>\n"
		       "      <target dev='hdb' bus='ide'/>\n"
		       "      <serial>1b2c3d4e-5f6a-4b7c-8</serial>\n"
		       "    </disk>\n") != NULL,
	   "disks: IDE raw disk, exactly: escaped path, no boot order, no address");
	OK(strstr(xml, "    <disk type='file' device='cdrom'>\n"
		       "      <driver name='qemu' type='raw'/>\n"
		       "      <source file='/rhv/iso/install &amp; go.iso'/>\n"
		       "      <target dev='hdc' bus='ide'/>\n"
		       "      <readonly/>\n"
		       "      <boot order='1'/>\n"
		       "    </disk>\n") != NULL,
	   "disks: CD-ROM, exactly");
	IS_STR(xp(doc, "/domain/devices/disk[target/@dev='vda']/driver/@type"), "qcow2", "disks: format qcow2");
	IS_STR(xp(doc, "/domain/devices/disk[target/@dev='hdb']/driver/@type"), "raw", "disks: format raw");
	IS_STR(xp(doc, "/domain/devices/disk[target/@dev='vda']/driver/@cache"), "none", "disks: cache none");
	IS_STR(xp(doc, "/domain/devices/disk[target/@dev='vda']/driver/@error_policy"), "stop",
	       "disks: ENOSPC pauses the guest");
	IS_STR(xp(doc, "/domain/devices/disk[target/@dev='hdb']/source/@file"), "/rhv/data/a&b/d\xc3\xafsk 'x'.raw",
	       "disks: path with '&', quote and Unicode survives byte for byte");
	IS_STR(xp(doc, "/domain/devices/disk[target/@dev='hdb']/target/@bus"), "ide", "disks: IDE bus");
	IS_STR(xp(doc, "/domain/devices/disk[target/@dev='vda']/serial"), "0a1b2c3d-4e5f-4a6b-8",
	       "disks: serial is the first 20 characters of the id");
	IS_STR(xp(doc, "/domain/devices/disk[@device='cdrom']/boot/@order"), "1", "disks: CD-ROM boots first");
	IS_STR(xp(doc, "/domain/devices/disk[target/@dev='vda']/boot/@order"), "2", "disks: bootable disk second");
	OK(xp_count(doc, "/domain/devices/disk[target/@dev='hdb']/boot") == 0, "disks: non-bootable disk, no order");
	OK(xp_count(doc, "/domain/devices/disk[@device='cdrom']/readonly") == 1, "disks: CD-ROM read-only");
	IS_STR(xp(doc, "/domain/devices/disk[@device='cdrom']/target/@bus"), "ide", "disks: CD-ROM on IDE");
	IS_STR(xp(doc, "/domain/devices/disk[target/@dev='vda']/address/@slot"), "0x07",
	       "disks: stored address 'disk:vda' given back to the virtio disk");
	OK(xp_count(doc, "/domain/devices/disk[target/@dev='hdb']/address") == 0 &&
		   xp_count(doc, "/domain/devices/disk[@device='cdrom']/address") == 0,
	   "disks: no PCI address for IDE devices, stored or not");
	OK(!strstr(xml, "donn"), "disks: the disk name is not part of the XML");
	IS_STR(xp(doc, "name(/domain/devices/*[1])"), "disk", "disks: disks come first among the devices");
	OK(rhv_domxml_addresses(xml, &back, &nback, &err) == 0 && nback == 2, "disks: addresses read back");
	IS_STR(addr_of(back, nback, "disk:vda"), "0000:00:07.0", "disks: round trip disk address");
	rhv_domxml_addrs_free(back, nback);
	xmlFreeDoc(doc);
	free(xml);

	/* disks without CD-ROM; none bootable: the first still boots */
	struct rhv_vm_disk two[] = {
		{ .id = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", .path = "/a", .format = "raw", .interface = "virtio",
		  .target = "vdb" },
		{ .id = "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a", .path = "/b", .format = "raw", .interface = "virtio",
		  .target = "vda" },
	};
	vm = full_vm();
	vm.disks = two;
	vm.ndisks = 2;
	xml = rhv_domxml_build(&vm, &o, &err);
	doc = parse(xml);
	OK(doc && xp_count(doc, "//boot") == 1, "boot: none bootable, one boot order");
	IS_STR(doc ? xp(doc, "/domain/devices/disk[target/@dev='vdb']/boot/@order") : NULL, "1",
	       "boot: none bootable, the first disk given gets order 1");
	xmlFreeDoc(doc);
	free(xml);

	vm.cdrom = "/iso/x.iso";
	vm.cdrom_target = "hda";
	xml = rhv_domxml_build(&vm, &o, &err);
	doc = parse(xml);
	IS_STR(doc ? xp(doc, "/domain/devices/disk[target/@dev='vdb']/boot/@order") : NULL, "2",
	       "boot: none bootable behind a CD-ROM, the first disk gets order 2");
	xmlFreeDoc(doc);
	free(xml);

	two[0].bootable = two[1].bootable = true;
	vm.cdrom = NULL;
	xml = rhv_domxml_build(&vm, &o, &err);
	doc = parse(xml);
	OK(doc && !strcmp(xp(doc, "/domain/devices/disk[target/@dev='vdb']/boot/@order"), "1") &&
		   !strcmp(xp(doc, "/domain/devices/disk[target/@dev='vda']/boot/@order"), "2"),
	   "boot: bootable disks in the order given, not by target");
	xmlFreeDoc(doc);
	free(xml);

	/* only a CD-ROM */
	vm = full_vm();
	vm.cdrom = "/iso/x.iso";
	vm.cdrom_target = "hdd";
	xml = rhv_domxml_build(&vm, &o, &err);
	OK(xml && !strstr(xml, "<boot dev=") && strstr(xml, "<boot order='1'/>"),
	   "boot: a CD-ROM alone boots by device order");
	free(xml);

	/* without disks and CD-ROM, exactly as before */
	vm = full_vm();
	xml = rhv_domxml_build(&vm, &o, &err);
	OK(xml && strstr(xml, "'>hvm</type>\n    <boot dev='hd'/>\n  </os>\n") && !strstr(xml, "<disk") &&
		   !strstr(xml, "boot order"),
	   "boot: a VM without disks keeps <boot dev='hd'/>");
	free(xml);
}

/* Build vm and expect a refusal of class 1; the message when want is set. */
static void refused(struct rhv_vm *vm, const char *want, const char *what)
{
	struct rhv_domxml_opts o = { .nic_default = &user_net };
	struct rhv_error err = { 0 };
	char *xml = rhv_domxml_build(vm, &o, &err);

	OK(!xml && err.code == RHV_EXIT_FAILED, "disk errors: %s", what);
	if (want)
		IS_STR(err.message, want, "disk errors: %s, message", what);
	free(xml);
}

static void test_disk_errors(void)
{
	struct rhv_vm_disk d[5], good = { .id = "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b", .name = "d0", .path = "/x",
					  .format = "raw", .interface = "virtio", .target = "vda" };
	struct rhv_vm vm = full_vm();

	vm.disks = d;
	vm.ndisks = 1;
	d[0] = good;
	d[0].format = "vmdk";
	refused(&vm, "unknown format 'vmdk' of disk 'd0' of VM 'web01': expected raw or qcow2", "format vmdk");
	d[0].format = NULL;
	refused(&vm, NULL, "no format");
	d[0] = good;
	d[0].interface = "scsi";
	refused(&vm, "unknown interface 'scsi' of disk 'd0' of VM 'web01': expected virtio or ide", "interface scsi");
	d[0] = good;
	d[0].target = "hda";
	refused(&vm, "invalid target 'hda' of virtio disk 'd0' of VM 'web01': expected vda, vdb, ...",
		"virtio disk on an IDE target");
	d[0].target = "vd";
	refused(&vm, NULL, "virtio target without letter");
	d[0].target = "vdA";
	refused(&vm, NULL, "virtio target in capitals");
	d[0].target = "vda1";
	refused(&vm, NULL, "virtio target with a digit");
	d[0].target = "sda";
	refused(&vm, NULL, "SCSI target");
	d[0].target = NULL;
	refused(&vm, NULL, "no target");
	d[0] = good;
	d[0].interface = "ide";
	refused(&vm, "invalid target 'vda' of ide disk 'd0' of VM 'web01': expected hda, hdb, hdc or hdd",
		"IDE disk on a virtio target");
	d[0].target = "hde";
	refused(&vm, NULL, "IDE target past hdd");
	d[0] = good;
	d[0].path = "images/x.qcow2";
	refused(&vm, "path 'images/x.qcow2' of disk 'd0' of VM 'web01' is not absolute", "relative path");
	d[0].path = "";
	refused(&vm, "disk 'd0' of VM 'web01' has no path", "empty path");
	d[0].path = NULL;
	d[0].name = NULL;
	refused(&vm, "disk '4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b' of VM 'web01' has no path",
		"no path; a disk without name is named by id");

	d[0] = d[1] = good;
	d[1].name = "d1";
	vm.ndisks = 2;
	refused(&vm, "disks 'd0' and 'd1' of VM 'web01' have the same target 'vda'", "duplicate target");
	vm.ndisks = 1;
	vm.cdrom = "/iso/x.iso";
	vm.cdrom_target = NULL;
	refused(&vm, "CD-ROM of VM 'web01' has no target", "CD-ROM without target");
	vm.cdrom_target = "vdb";
	refused(&vm, "invalid CD-ROM target 'vdb' of VM 'web01': expected hda, hdb, hdc or hdd",
		"CD-ROM on a virtio target");
	vm.cdrom_target = "hda";
	vm.cdrom = "x.iso";
	refused(&vm, "ISO path 'x.iso' of the CD-ROM of VM 'web01' is not absolute", "relative ISO path");
	vm.cdrom = "";
	refused(&vm, NULL, "empty ISO path");
	vm.cdrom = "/iso/x.iso";
	d[0].interface = "ide";
	d[0].target = "hda";
	refused(&vm, "disk 'd0' and the CD-ROM of VM 'web01' have the same target 'hda'",
		"duplicate target between a disk and the CD-ROM");

	/* four IDE disks and a CD-ROM: five IDE devices */
	for (int i = 0; i < 4; i++) {
		static const char *const t[] = { "hda", "hdb", "hdc", "hdd" };

		d[i] = good;
		d[i].interface = "ide";
		d[i].target = (char *)t[i];
	}
	vm.ndisks = 4;
	vm.cdrom_target = "hdc";
	{
		struct rhv_domxml_opts o = { .nic_default = &user_net };
		struct rhv_error err = { 0 };
		char *xml = rhv_domxml_build(&vm, &o, &err);

		OK(!xml && err.code == RHV_EXIT_FAILED, "disk errors: five IDE devices refused");
		OK(strstr(err.message, "at most 4 IDE devices (disks and CD-ROM)") != NULL,
		   "disk errors: five IDE devices, the limit is named, not a duplicate target");
		OK(err.hint[0] != '\0', "disk errors: five IDE devices, hint given");
		free(xml);
	}
	vm.cdrom = NULL;
	{
		struct rhv_domxml_opts o = { .nic_default = &user_net };
		struct rhv_error err = { 0 };
		char *xml = rhv_domxml_build(&vm, &o, &err);

		OK(xml != NULL, "disks: four IDE disks without CD-ROM are fine");
		free(xml);
	}
}

/* libvirt's own schema, when virt-xml-validate (libvirt-clients) is installed. */
static void test_schema(void)
{
	struct rhv_vm vm = disk_vm();
	struct rhv_vm_addr addrs[] = { { "disk:vda", "0000:00:07.0" } };
	struct rhv_domxml_opts o = { .cpu_model = "Nehalem", .nic_default = &user_net };
	struct rhv_error err = { 0 };
	char path[] = "/tmp/rhv-test-domxml-XXXXXX", cmd[128];
	char *xml;
	FILE *f;
	int fd;

	if (system("command -v virt-xml-validate >/dev/null 2>&1") != 0) {
		SKIP("schema: virt-xml-validate not installed");
		return;
	}
	vm.addrs = addrs;
	vm.naddrs = 1;
	xml = rhv_domxml_build(&vm, &o, &err);
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	OK(xml && f && fputs(xml, f) >= 0 && fclose(f) == 0, "schema: XML with disks written");
	snprintf(cmd, sizeof(cmd), "virt-xml-validate %s domain >/dev/null 2>&1", path);
	OK(system(cmd) == 0, "schema: virt-xml-validate accepts a domain with disks and a CD-ROM");
	unlink(path);
	free(xml);
}

/* The test driver parses disks like the QEMU driver: boot orders, targets, addresses. */
static void test_libvirt_disks(void)
{
	struct rhv_vm_addr addrs[] = { { "disk:vda", "0000:00:07.0" } };
	struct rhv_vm vm = disk_vm();
	struct rhv_domxml_opts o = { .nic_default = &user_net };
	struct rhv_error err = { 0 };
	struct rhv_virt_conn *vc = rhv_virt_open("test:///default", 2000, &err);
	virConnectPtr c = vc ? vc->ptr : NULL;
	virDomainPtr d;
	char *xml, *live;
	struct rhv_vm_addr *a = NULL;
	size_t n = 0;

	if (!c) {
		OK(0, "libvirt disks: test driver opens");
		return;
	}
	vm.addrs = addrs;
	vm.naddrs = 1;
	xml = rhv_domxml_build(&vm, &o, &err);
	d = xml ? virDomainDefineXML(c, xml) : NULL;
	OK(d != NULL, "libvirt disks: defines the XML with disks and per-device boot order");
	if (d) {
		live = virDomainGetXMLDesc(d, 0);
		OK(rhv_domxml_addresses(live, &a, &n, &err) == 0, "libvirt disks: reads back");
		IS_STR(addr_of(a, n, "disk:vda"), "0000:00:07.0", "libvirt disks: keeps the virtio disk address");
		rhv_domxml_addrs_free(a, n);
		free(live);
		virDomainUndefine(d);
		virDomainFree(d);
	}
	free(xml);
	rhv_virt_close(vc);
}

/* Each NIC on its network's bridge with the profile's QoS; one <interface> alone for hot-plug. */
static void test_bandwidth(void)
{
	struct rhv_vm_nic qnics[] = {
		{ .network = "blue", .model = "virtio", .mac = "00:1a:4a:16:01:61",
		  .in = { 1250, 2500, 1024 }, .out = { 625, 1250, 512 } },
		{ .network = "blue", .model = "e1000", .mac = "00:1a:4a:16:01:62", .out = { 125, 250, 0 } },
		{ .network = "ovirtmgmt", .model = "virtio", .mac = "00:1a:4a:16:01:63" },
		{ .network = "red", .model = "virtio", .mac = "00:1a:4a:16:01:64", .in = { 1250, 2500, 1024 } },
	};
	const struct rhv_domxml_net bridges[] = {
		{ .network = "blue", .type = "bridge", .source = "blue" },
		{ .network = "ovirtmgmt", .type = "bridge", .source = "ovirtmgmt" },
	};
	struct rhv_vm vm = full_vm();
	struct rhv_domxml_opts o = { .domain_type = "qemu", .nets = bridges, .nnets = 2, .nic_default = &user_net };
	struct rhv_error err = { 0 };
	struct rhv_virt_conn *vc;
	char *xml, *one;
	xmlDocPtr doc;

	vm.nics = qnics;
	vm.nnics = 4;
	xml = rhv_domxml_build(&vm, &o, &err);
	doc = parse(xml);
	OK(doc != NULL, "bandwidth: builds");
	if (!doc)
		return;
	IS_STR(xp(doc, "/domain/devices/interface[1]/source/@bridge"), "blue", "bandwidth: on its network's bridge");
	IS_STR(xp(doc, "/domain/devices/interface[1]/bandwidth/inbound/@average"), "1250", "bandwidth: in average");
	IS_STR(xp(doc, "/domain/devices/interface[1]/bandwidth/inbound/@peak"), "2500", "bandwidth: in peak");
	IS_STR(xp(doc, "/domain/devices/interface[1]/bandwidth/inbound/@burst"), "1024", "bandwidth: in burst");
	IS_STR(xp(doc, "/domain/devices/interface[1]/bandwidth/outbound/@average"), "625", "bandwidth: out average");
	IS_STR(xp(doc, "/domain/devices/interface[1]/bandwidth/outbound/@burst"), "512", "bandwidth: out burst");
	OK(xp_count(doc, "/domain/devices/interface[2]/bandwidth/inbound") == 0 &&
		   xp_count(doc, "/domain/devices/interface[2]/bandwidth/outbound") == 1,
	   "bandwidth: one direction only");
	OK(xp_count(doc, "/domain/devices/interface[2]/bandwidth/outbound/@burst") == 0, "bandwidth: no burst 0");
	OK(xp_count(doc, "/domain/devices/interface[3]/bandwidth") == 0, "bandwidth: none without QoS");
	IS_STR(xp(doc, "/domain/devices/interface[4]/@type"), "user", "bandwidth: unmapped network on the default");
	OK(xp_count(doc, "/domain/devices/interface[4]/bandwidth") == 0, "bandwidth: never on user networking");
	xmlFreeDoc(doc);
	free(xml);
	o.no_bandwidth = true;
	xml = rhv_domxml_build(&vm, &o, &err);
	OK(xml && !strstr(xml, "<bandwidth>"), "bandwidth: left out when the host cannot shape");
	free(xml);
	o.no_bandwidth = false;

	one = rhv_domxml_nic(&vm, &qnics[0], &o, &err);
	doc = parse(one);
	OK(doc != NULL, "nic: one interface alone is well-formed");
	if (doc) {
		IS_STR(xp(doc, "/interface/mac/@address"), "00:1a:4a:16:01:61", "nic: its MAC");
		IS_STR(xp(doc, "/interface/source/@bridge"), "blue", "nic: its bridge");
		IS_STR(xp(doc, "/interface/bandwidth/inbound/@average"), "1250", "nic: its QoS");
		xmlFreeDoc(doc);
	}
	free(one);
	o.nic_default = NULL;
	err = (struct rhv_error){ 0 };
	OK(rhv_domxml_nic(&vm, &qnics[3], &o, &err) == NULL && err.code == RHV_EXIT_CONFLICT,
	   "nic: a network the host lacks is a conflict (4)");

	/* libvirt takes the <bandwidth> element as written */
	o.nic_default = &user_net;
	vc = rhv_virt_open("test:///default", 2000, &err);
	if (vc) {
		virDomainPtr d;

		xml = rhv_domxml_build(&vm, &o, &err);
		d = xml ? virDomainDefineXML(vc->ptr, xml) : NULL;
		OK(d != NULL, "bandwidth: libvirt defines it");
		if (d) {
			char *live = virDomainGetXMLDesc(d, 0);

			OK(live && strstr(live, "<inbound average='1250' peak='2500' burst='1024'/>"),
			   "bandwidth: libvirt keeps the figures");
			free(live);
			virDomainUndefine(d);
			virDomainFree(d);
		}
		free(xml);
		rhv_virt_close(vc);
	}
}

int main(void)
{
	test_full();
	test_minimal();
	test_addresses_built();
	test_hostile();
	test_errors();
	test_live_fixtures();
	test_libvirt_accepts();
	test_disks();
	test_disk_errors();
	test_schema();
	test_libvirt_disks();
	test_bandwidth();
	return tap_done();
}
