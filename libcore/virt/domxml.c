/*
 * Domain XML built (see rhv/domxml.h): with a small string builder that
 * escapes every value it did not write itself.  Reading a live domain's
 * XML back is in domxml-read.c.
 */
#include "rhv/common.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rhv/cleanup.h"
#include "rhv/domxml.h"
#include "util/util-priv.h"

/* ---- string builder ---- */

struct sb {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct sb *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 2048;

		while (b->len + n + 1 > cap)
			cap *= 2;
		b->s = rhv_xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* Formatted text: only for numbers and literals, never for user values. */
static RHV_PRINTF(2, 3) void sb_printf(struct sb *b, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_putn(b, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void sb_esc(struct sb *b, const char *s)
{
	static const char fffd[] = "\xef\xbf\xbd";

	while (s && *s) {
		uint32_t cp;
		size_t n = rhv_utf8_next(s, &cp);

		switch (cp) {
		case '&': sb_puts(b, "&amp;"); break;
		case '<': sb_puts(b, "&lt;"); break;
		case '>': sb_puts(b, "&gt;"); break;
		case '"': sb_puts(b, "&quot;"); break;
		case '\'': sb_puts(b, "&apos;"); break;
		case '\t':
		case '\n':
		case '\r': sb_putn(b, s, 1); break;
		default:
			if (cp < 0x20 || cp == 0xfffe || cp == 0xffff || cp == 0xfffd)
				sb_puts(b, fffd); /* also invalid bytes, decoded as U+FFFD */
			else
				sb_putn(b, s, n);
		}
		s += n;
	}
}

char *rhv_domxml_escape(const char *s)
{
	struct sb b = { 0 };

	sb_putn(&b, "", 0);
	sb_esc(&b, s);
	return b.s;
}

/* <name>text</name> on a line of its own. */
static void sb_elem(struct sb *b, const char *indent, const char *name, const char *text)
{
	sb_puts(b, indent);
	sb_printf(b, "<%s>", name);
	sb_esc(b, text);
	sb_printf(b, "</%s>\n", name);
}

/* ---- validation ---- */

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static bool valid_mac(const char *m)
{
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? m[i] != ':' : !isxdigit((unsigned char)m[i]))
			return false;
	}
	return m[17] == '\0';
}

static bool hexn(const char *s, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		int c = tolower((unsigned char)s[i]);

		*v = *v * 16 + (unsigned)(isdigit(c) ? c - '0' : c - 'a' + 10);
	}
	return true;
}

struct pci_addr {
	unsigned domain, bus, slot, function;
};

/* "0000:00:03.0" */
static bool parse_pci(const char *s, struct pci_addr *a)
{
	return s && strlen(s) == 12 && hexn(s, 4, &a->domain) && s[4] == ':' && hexn(s + 5, 2, &a->bus) &&
	       s[7] == ':' && hexn(s + 8, 2, &a->slot) && s[10] == '.' && hexn(s + 11, 1, &a->function) &&
	       a->slot <= 0x1f && a->function <= 7;
}

/* ---- building ---- */

struct build {
	struct sb b;
	const struct rhv_vm *vm;
	struct rhv_error *err;
};

static const struct rhv_vm_addr *find_addr(const struct rhv_vm *vm, const char *key)
{
	for (size_t i = 0; i < vm->naddrs; i++)
		if (vm->addrs[i].key && !strcasecmp(vm->addrs[i].key, key))
			return &vm->addrs[i];
	return NULL;
}

/* The stored address of key as an <address/> line, if there is one. */
static int put_addr(struct build *bd, const char *indent, const char *key)
{
	const struct rhv_vm_addr *a = find_addr(bd->vm, key);
	struct pci_addr p;

	if (!a)
		return 0;
	if (!parse_pci(a->address, &p))
		return rhv_error_set(bd->err, RHV_EXIT_FAILED,
				     "invalid stored PCI address '%s' of device '%s' of VM '%s'",
				     a->address ? a->address : "", key, bd->vm->name);
	sb_puts(&bd->b, indent);
	sb_printf(&bd->b, "<address type='pci' domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n",
		  p.domain, p.bus, p.slot, p.function);
	return 0;
}

/*
 * End the open tag of a device whose only child is its address: "/>" when
 * none is stored, else ">", the address and the closing tag.
 */
static int put_addr_body(struct build *bd, const char *key, const char *elem)
{
	if (!find_addr(bd->vm, key)) {
		sb_puts(&bd->b, "/>\n");
		return 0;
	}
	sb_puts(&bd->b, ">\n");
	if (put_addr(bd, "      ", key) < 0)
		return -1;
	sb_printf(&bd->b, "    </%s>\n", elem);
	return 0;
}

static bool word(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* Controllers have no place in the definition: only their stored addresses. */
static int put_controllers(struct build *bd)
{
	for (size_t i = 0; i < bd->vm->naddrs; i++) {
		const char *key = bd->vm->addrs[i].key, *type, *idx;
		size_t tlen;

		if (!key || strncmp(key, "controller:", 11))
			continue;
		type = key + 11;
		idx = strchr(type, ':');
		tlen = idx ? (size_t)(idx - type) : 0;
		if (!idx || !word(type, tlen) || !idx[1] || strspn(idx + 1, "0123456789") != strlen(idx + 1))
			return rhv_error_set(bd->err, RHV_EXIT_FAILED, "invalid stored device key '%s' of VM '%s'", key,
					     bd->vm->name);
		sb_puts(&bd->b, "    <controller type='");
		sb_putn(&bd->b, type, tlen);
		sb_puts(&bd->b, "' index='");
		sb_puts(&bd->b, idx + 1);
		sb_puts(&bd->b, "'");
		if (put_addr_body(bd, key, "controller") < 0)
			return -1;
	}
	return 0;
}

static const struct rhv_domxml_net *find_net(const struct rhv_domxml_opts *o, const char *network)
{
	for (size_t i = 0; i < o->nnets; i++) {
		const char *n = o->nets[i].network;

		if ((!n && !network) || (n && network && !strcmp(n, network)))
			return &o->nets[i];
	}
	return o->nic_default;
}

/* One direction of the profile's QoS, libvirt's units as stored; nothing without an average. */
static void put_qos(struct sb *b, const char *dir, const struct rhv_qos *q)
{
	if (q->average <= 0)
		return;
	sb_printf(b, "        <%s average='%" PRId64 "'", dir, q->average);
	if (q->peak > 0)
		sb_printf(b, " peak='%" PRId64 "'", q->peak);
	if (q->burst > 0)
		sb_printf(b, " burst='%" PRId64 "'", q->burst);
	sb_puts(b, "/>\n");
}

static void put_bandwidth(struct sb *b, const struct rhv_vm_nic *nic)
{
	if (nic->in.average <= 0 && nic->out.average <= 0)
		return;
	sb_puts(b, "      <bandwidth>\n");
	put_qos(b, "inbound", &nic->in);
	put_qos(b, "outbound", &nic->out);
	sb_puts(b, "      </bandwidth>\n");
}

static int put_nic(struct build *bd, const struct rhv_domxml_opts *o, const struct rhv_vm_nic *nic)
{
	const struct rhv_domxml_net *net = find_net(o, nic->network);
	const char *type;
	char key[32], mac[18];

	if (!valid_mac(nic->mac))
		return rhv_error_set(bd->err, RHV_EXIT_FAILED, "invalid MAC address '%s' in VM '%s'", nic->mac,
				     bd->vm->name);
	for (int i = 0; i < 18; i++)
		mac[i] = (char)tolower((unsigned char)nic->mac[i]);
	if (!in_list(rhv_nic_models, nic->model))
		return rhv_error_set(bd->err, RHV_EXIT_FAILED, "unknown NIC model '%s' in VM '%s'",
				     nic->model ? nic->model : "", bd->vm->name);
	if (!net) {
		return rhv_error_set(bd->err, RHV_EXIT_CONFLICT,
				     "network '%s' of NIC %s of VM '%s' is not available on the host",
				     nic->network ? nic->network : "(none)", mac, bd->vm->name);
	}
	type = net->type ? net->type : "bridge";
	if (strcmp(type, "bridge") && strcmp(type, "network") && strcmp(type, "direct") && strcmp(type, "user"))
		return rhv_error_set(bd->err, RHV_EXIT_FAILED, "unknown interface type '%s' for network '%s'", type,
				     nic->network ? nic->network : "(none)");
	if (strcmp(type, "user") && (!net->source || !*net->source))
		return rhv_error_set(bd->err, RHV_EXIT_FAILED, "no %s named for network '%s'", type,
				     nic->network ? nic->network : "(none)");

	sb_printf(&bd->b, "    <interface type='%s'>\n", type);
	sb_printf(&bd->b, "      <mac address='%s'/>\n", mac);
	if (!strcmp(type, "bridge") || !strcmp(type, "network")) {
		sb_printf(&bd->b, "      <source %s='", type);
		sb_esc(&bd->b, net->source);
		sb_puts(&bd->b, "'/>\n");
	} else if (!strcmp(type, "direct")) {
		sb_puts(&bd->b, "      <source dev='");
		sb_esc(&bd->b, net->source);
		sb_puts(&bd->b, "' mode='bridge'/>\n");
	}
	sb_printf(&bd->b, "      <model type='%s'/>\n", nic->model);
	/* user networking has no tap for libvirt to shape */
	if (strcmp(type, "user") && !o->no_bandwidth)
		put_bandwidth(&bd->b, nic);
	snprintf(key, sizeof(key), "interface:%s", mac);
	if (put_addr(bd, "      ", key) < 0)
		return -1;
	sb_puts(&bd->b, "    </interface>\n");
	return 0;
}

/* ---- disks and CD-ROM ---- */

#define RHV_IDE_MAX 4 /* two channels, master and slave (reference 9.7) */

/* How a disk is named in messages: its name, else its id, else its target. */
static const char *disk_label(const struct rhv_vm_disk *d)
{
	if (d->name && *d->name)
		return d->name;
	return d->id[0] ? d->id : d->target ? d->target : "";
}

static bool ide_target(const char *t)
{
	return t && t[0] == 'h' && t[1] == 'd' && t[2] >= 'a' && t[2] <= 'd' && !t[3];
}

/* "vd" and one to three letters: vda .. vdzzz, as libvirt counts them */
static bool virtio_target(const char *t)
{
	size_t n;

	if (!t || strncmp(t, "vd", 2))
		return false;
	n = strlen(t + 2);
	return n >= 1 && n <= 3 && strspn(t + 2, "abcdefghijklmnopqrstuvwxyz") == n;
}

static int check_disk(struct build *bd, const struct rhv_vm_disk *d)
{
	const char *vm = bd->vm->name, *label = disk_label(d);

	if (!d->format || (strcmp(d->format, "raw") && strcmp(d->format, "qcow2")))
		return rhv_error_set(bd->err, RHV_EXIT_FAILED,
				     "unknown format '%s' of disk '%s' of VM '%s': expected raw or qcow2",
				     d->format ? d->format : "", label, vm);
	if (!d->interface || (strcmp(d->interface, "virtio") && strcmp(d->interface, "ide")))
		return rhv_error_set(bd->err, RHV_EXIT_FAILED,
				     "unknown interface '%s' of disk '%s' of VM '%s': expected virtio or ide",
				     d->interface ? d->interface : "", label, vm);
	if (!strcmp(d->interface, "virtio") ? !virtio_target(d->target) : !ide_target(d->target))
		return rhv_error_set(bd->err, RHV_EXIT_FAILED,
				     "invalid target '%s' of %s disk '%s' of VM '%s': expected %s",
				     d->target ? d->target : "", d->interface, label, vm,
				     !strcmp(d->interface, "virtio") ? "vda, vdb, ..." : "hda, hdb, hdc or hdd");
	if (!d->path || !*d->path)
		return rhv_error_set(bd->err, RHV_EXIT_FAILED, "disk '%s' of VM '%s' has no path", label, vm);
	if (d->path[0] != '/')
		return rhv_error_set(bd->err, RHV_EXIT_FAILED, "path '%s' of disk '%s' of VM '%s' is not absolute",
				     d->path, label, vm);
	return 0;
}

/*
 * Everything about the disks and the CD-ROM that libvirt would refuse, or
 * worse accept: checked before any of them is written.
 */
static int check_disks(struct build *bd)
{
	const struct rhv_vm *vm = bd->vm;
	size_t nide = 0;

	for (size_t i = 0; i < vm->ndisks; i++) {
		if (check_disk(bd, &vm->disks[i]) < 0)
			return -1;
		nide += !strcmp(vm->disks[i].interface, "ide");
	}
	if (vm->cdrom) {
		if (!*vm->cdrom)
			return rhv_error_set(bd->err, RHV_EXIT_FAILED, "CD-ROM of VM '%s' has no ISO path", vm->name);
		if (vm->cdrom[0] != '/')
			return rhv_error_set(bd->err, RHV_EXIT_FAILED,
					     "ISO path '%s' of the CD-ROM of VM '%s' is not absolute", vm->cdrom,
					     vm->name);
		if (!vm->cdrom_target || !*vm->cdrom_target)
			return rhv_error_set(bd->err, RHV_EXIT_FAILED, "CD-ROM of VM '%s' has no target", vm->name);
		if (!ide_target(vm->cdrom_target))
			return rhv_error_set(bd->err, RHV_EXIT_FAILED,
					     "invalid CD-ROM target '%s' of VM '%s': expected hda, hdb, hdc or hdd",
					     vm->cdrom_target, vm->name);
		nide++;
	}
	/* before duplicates: five IDE devices always share a target, say why */
	if (nide > RHV_IDE_MAX) {
		rhv_error_set(bd->err, RHV_EXIT_FAILED,
			      "VM '%s' has %zu IDE devices: at most 4 IDE devices (disks and CD-ROM)", vm->name, nide);
		rhv_error_hint(bd->err, "attach further disks with interface virtio");
		return -1;
	}
	for (size_t i = 0; i < vm->ndisks; i++) {
		const struct rhv_vm_disk *d = &vm->disks[i];

		for (size_t j = 0; j < i; j++)
			if (!strcmp(vm->disks[j].target, d->target))
				return rhv_error_set(bd->err, RHV_EXIT_FAILED,
						     "disks '%s' and '%s' of VM '%s' have the same target '%s'",
						     disk_label(&vm->disks[j]), disk_label(d), vm->name, d->target);
		if (vm->cdrom && !strcmp(vm->cdrom_target, d->target))
			return rhv_error_set(bd->err, RHV_EXIT_FAILED,
					     "disk '%s' and the CD-ROM of VM '%s' have the same target '%s'",
					     disk_label(d), vm->name, d->target);
	}
	return 0;
}

/* Whether devices carry their own boot order (then <os> has no <boot dev/>). */
static bool device_boot(const struct rhv_vm *vm)
{
	return vm->ndisks || vm->cdrom;
}

static void put_boot(struct build *bd, int order)
{
	if (order)
		sb_printf(&bd->b, "      <boot order='%d'/>\n", order);
}

static int put_disk(struct build *bd, const struct rhv_vm_disk *d, int boot)
{
	struct sb *b = &bd->b;
	char serial[21], key[64];

	sb_puts(b, "    <disk type='file' device='disk'>\n");
	/*
	 * error_policy stop: a thin volume that runs out of space pauses the
	 * guest (ENOSPC) until it is extended, instead of handing it I/O
	 * errors; cache none: shared storage and live migration need it.
	 */
	sb_printf(b,
		  "      <driver name='qemu' type='%s' cache='none' io='threads' error_policy='stop'"
		  " rerror_policy='stop'/>\n",
		  d->format);
	sb_puts(b, "      <source file='");
	sb_esc(b, d->path);
	sb_puts(b, "'/>\n");
	sb_printf(b, "      <target dev='%s' bus='%s'/>\n", d->target, d->interface);
	/* the guest-visible serial is the disk id cut to 20 characters, as oVirt does */
	snprintf(serial, sizeof(serial), "%.20s", d->id);
	if (*serial)
		sb_elem(b, "      ", "serial", serial);
	put_boot(bd, boot);
	/* IDE disks sit on the IDE controller: no PCI address of their own */
	if (!strcmp(d->interface, "virtio")) {
		snprintf(key, sizeof(key), "disk:%s", d->target);
		if (put_addr(bd, "      ", key) < 0)
			return -1;
	}
	sb_puts(b, "    </disk>\n");
	return 0;
}

/* The CD-ROM drive on target (an IDE name), with iso in it or empty (iso NULL). */
static void put_cdrom(struct sb *b, const char *iso, const char *target, int boot)
{
	sb_puts(b, "    <disk type='file' device='cdrom'>\n");
	sb_puts(b, "      <driver name='qemu' type='raw'/>\n");
	if (iso) {
		sb_puts(b, "      <source file='");
		sb_esc(b, iso);
		sb_puts(b, "'/>\n");
	}
	sb_printf(b, "      <target dev='%s' bus='ide'/>\n", target);
	sb_puts(b, "      <readonly/>\n");
	if (boot)
		sb_printf(b, "      <boot order='%d'/>\n", boot);
	sb_puts(b, "    </disk>\n");
}

/*
 * Boot order: the CD-ROM first, then the bootable disks in their order;
 * with disks but none bootable, the first disk, so the VM can still boot.
 */
static int put_disks(struct build *bd)
{
	const struct rhv_vm *vm = bd->vm;
	struct sb *b = &bd->b;
	int order = vm->cdrom ? 1 : 0;
	bool any_bootable = false;

	for (size_t i = 0; i < vm->ndisks; i++)
		any_bootable |= vm->disks[i].bootable;
	for (size_t i = 0; i < vm->ndisks; i++) {
		bool boot = vm->disks[i].bootable || (!any_bootable && i == 0);

		if (put_disk(bd, &vm->disks[i], boot ? ++order : 0) < 0)
			return -1;
	}
	if (vm->cdrom)
		put_cdrom(b, vm->cdrom, vm->cdrom_target, 1);
	return 0;
}

static int put_devices(struct build *bd, const struct rhv_domxml_opts *o)
{
	const struct rhv_vm *vm = bd->vm;
	struct sb *b = &bd->b;
	char key[64];

	sb_puts(b, "  <devices>\n");
	if (put_disks(bd) < 0)
		return -1;
	if (put_controllers(bd) < 0)
		return -1;
	for (size_t i = 0; i < vm->nnics; i++)
		if (put_nic(bd, o, &vm->nics[i]) < 0)
			return -1;

	if (vm->graphics) {
		if (!in_list(rhv_graphics_kinds, vm->graphics))
			return rhv_error_set(bd->err, RHV_EXIT_FAILED, "unknown graphics '%s' in VM '%s'", vm->graphics,
					     vm->name);
		sb_printf(b, "    <graphics type='%s' autoport='yes'>\n", vm->graphics);
		sb_puts(b, "      <listen type='address' address='");
		sb_esc(b, o->graphics_listen ? o->graphics_listen : "127.0.0.1");
		sb_puts(b, "'/>\n");
		sb_puts(b, "    </graphics>\n");
	}

	sb_puts(b, "    <video>\n");
	if (vm->video) {
		if (!in_list(rhv_video_models, vm->video))
			return rhv_error_set(bd->err, RHV_EXIT_FAILED, "unknown video model '%s' in VM '%s'", vm->video,
					     vm->name);
		sb_printf(b, "      <model type='%s' heads='1' primary='yes'/>\n", vm->video);
		if (put_addr(bd, "      ", "video:0") < 0)
			return -1;
	} else {
		sb_puts(b, "      <model type='none'/>\n");
	}
	sb_puts(b, "    </video>\n");

	if (vm->sound) {
		if (!in_list(rhv_sound_models, vm->sound))
			return rhv_error_set(bd->err, RHV_EXIT_FAILED, "unknown sound model '%s' in VM '%s'", vm->sound,
					     vm->name);
		snprintf(key, sizeof(key), "sound:%s", vm->sound);
		sb_printf(b, "    <sound model='%s'", vm->sound);
		if (put_addr_body(bd, key, "sound") < 0)
			return -1;
	}

	if (vm->balloon) {
		sb_puts(b, "    <memballoon model='virtio'");
		if (put_addr_body(bd, "memballoon", "memballoon") < 0)
			return -1;
	} else {
		sb_puts(b, "    <memballoon model='none'/>\n");
	}
	/* an ISA serial port: the guest's ttyS0 needs no driver; `virsh console` reaches it */
	if (vm->serial_console)
		sb_puts(b, "    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n"
			   "    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n");
	sb_puts(b, "  </devices>\n");
	return 0;
}

char *rhv_domxml_build(const struct rhv_vm *vm, const struct rhv_domxml_opts *o, struct rhv_error *err)
{
	static const struct rhv_domxml_opts no_opts;
	struct build bd = { .vm = vm, .err = err };
	struct sb *b = &bd.b;
	const char *type;

	if (!o)
		o = &no_opts;
	type = o->domain_type ? o->domain_type : "kvm";
	if (strcmp(type, "kvm") && strcmp(type, "qemu")) {
		rhv_error_set(err, RHV_EXIT_FAILED, "unknown domain type '%s': expected kvm or qemu", type);
		return NULL;
	}
	if (!vm->name || !*vm->name || strlen(vm->id) != 36) {
		rhv_error_set(err, RHV_EXIT_FAILED, "cannot build domain XML: VM without a name or id");
		return NULL;
	}
	if (strchr(vm->name, '/')) {
		/* libvirt names files after the domain */
		rhv_error_set(err, RHV_EXIT_FAILED, "VM name '%s' cannot be a libvirt domain name: it contains '/'",
			      vm->name);
		rhv_error_hint(err, "rename the VM");
		return NULL;
	}
	if (!vm->memory || vm->vcpus < 1) {
		rhv_error_set(err, RHV_EXIT_FAILED, "cannot build domain XML of VM '%s': no memory or vCPUs", vm->name);
		return NULL;
	}
	if (check_disks(&bd) < 0)
		return NULL;

	sb_printf(b, "<domain type='%s'>\n", type);
	sb_elem(b, "  ", "name", vm->name);
	sb_elem(b, "  ", "uuid", vm->id);
	if (vm->description && *vm->description)
		sb_elem(b, "  ", "description", vm->description);
	sb_printf(b, "  <memory unit='KiB'>%" PRIu64 "</memory>\n", (vm->memory + 1023) / 1024);
	sb_printf(b, "  <currentMemory unit='KiB'>%" PRIu64 "</currentMemory>\n", (vm->memory + 1023) / 1024);
	sb_printf(b, "  <vcpu placement='static'>%d</vcpu>\n", vm->vcpus);
	sb_puts(b, "  <os>\n    <type arch='x86_64' machine='");
	sb_esc(b, o->machine ? o->machine : "pc");
	sb_puts(b, "'>hvm</type>\n");
	/* Linux boot options: QEMU loads them itself, before any boot device */
	if (vm->kernel) {
		sb_elem(b, "    ", "kernel", vm->kernel);
		if (vm->initrd)
			sb_elem(b, "    ", "initrd", vm->initrd);
		if (vm->kernel_params)
			sb_elem(b, "    ", "cmdline", vm->kernel_params);
	}
	if (!device_boot(vm))
		sb_puts(b, "    <boot dev='hd'/>\n"); /* libvirt refuses it beside per-device orders */
	sb_puts(b, "  </os>\n");
	sb_puts(b, "  <features>\n    <acpi/>\n    <apic/>\n  </features>\n");
	if (o->cpu_model && *o->cpu_model) {
		sb_puts(b, "  <cpu mode='custom' match='exact' check='partial'>\n");
		sb_puts(b, "    <model fallback='forbid'>");
		sb_esc(b, o->cpu_model);
		sb_puts(b, "</model>\n  </cpu>\n");
	}
	sb_puts(b, "  <clock offset='utc'/>\n");
	sb_puts(b, "  <on_poweroff>destroy</on_poweroff>\n");
	sb_puts(b, "  <on_reboot>restart</on_reboot>\n");
	sb_puts(b, "  <on_crash>destroy</on_crash>\n");
	if (put_devices(&bd, o) < 0) {
		free(b->s);
		return NULL;
	}
	sb_puts(b, "</domain>\n");
	return b->s;
}

char *rhv_domxml_disk(const struct rhv_vm *vm, const struct rhv_vm_disk *d, struct rhv_error *err)
{
	struct build bd = { .vm = vm, .err = err };

	if (check_disk(&bd, d) < 0)
		return NULL;
	if (strcmp(d->interface, "virtio")) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "an %s disk cannot be plugged into a running VM: only virtio",
			      d->interface);
		return NULL;
	}
	if (put_disk(&bd, d, 0) < 0) {
		free(bd.b.s);
		return NULL;
	}
	return bd.b.s;
}

char *rhv_domxml_nic(const struct rhv_vm *vm, const struct rhv_vm_nic *nic, const struct rhv_domxml_opts *o,
		     struct rhv_error *err)
{
	static const struct rhv_domxml_opts no_opts;
	struct build bd = { .vm = vm, .err = err };

	if (put_nic(&bd, o ? o : &no_opts, nic) < 0) {
		free(bd.b.s);
		return NULL;
	}
	return bd.b.s;
}

char *rhv_domxml_cdrom(const char *iso, const char *target, struct rhv_error *err)
{
	struct sb b = { 0 };

	if (!ide_target(target) || (iso && iso[0] != '/')) {
		rhv_error_set(err, RHV_EXIT_FAILED, "invalid CD-ROM: target '%s', ISO '%s'", target ? target : "",
			      iso ? iso : "");
		return NULL;
	}
	put_cdrom(&b, iso, target, 0);
	return b.s;
}
