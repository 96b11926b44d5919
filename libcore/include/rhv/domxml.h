/*
 * Domain XML: the one place it is built from a stored VM definition, and
 * where the PCI addresses libvirt assigned are read back (reference 9.2:
 * an address, once assigned, is given again at every start).
 *
 * Every value taken from the definition or the options is escaped; names,
 * descriptions and network names may hold any Unicode.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/vm.h"

/* How a logical network reaches guests on the host the XML is built for. */
struct rhv_domxml_net {
	const char *network; /* logical network name; NULL matches NICs without one */
	const char *type;    /* libvirt interface type: "bridge", "network", "direct" or "user" */
	const char *source;  /* bridge, libvirt network or host device; NULL for "user" */
};

struct rhv_domxml_opts {
	const char *domain_type; /* "kvm" or "qemu" (TCG); NULL: "kvm" */
	/*
	 * The cluster's CPU model as libvirt names it ("Haswell-noTSX"), given
	 * as <cpu mode='custom' match='exact' check='partial'> with
	 * fallback='forbid': a host that cannot provide it makes the start
	 * fail at once with libvirt's "guest CPU doesn't match" error (exit
	 * class 1), never a guest with another CPU.  NULL: no <cpu> element,
	 * QEMU's default model.
	 */
	const char *cpu_model;
	const char *machine; /* NULL: "pc" (i440fx) */
	/* NIC backing by logical network, and for networks not listed */
	const struct rhv_domxml_net *nets;
	size_t nnets;
	const struct rhv_domxml_net *nic_default; /* NULL: an unlisted network is an error (4) */
	const char *graphics_listen;              /* NULL: "127.0.0.1" */
	bool no_bandwidth; /* leave out the profiles' QoS (a daemon that cannot shape its taps) */
};

/*
 * Build the domain XML of vm for a host.  Name, UUID (vm->id), memory (KiB,
 * rounded up), vCPUs, i440fx machine with ACPI, the CPU model, one <disk>
 * per attached disk, the CD-ROM, one <interface> per NIC (MAC and model
 * from the definition, backing from opts, and the profile's QoS as
 * <bandwidth><inbound/><outbound/></bandwidth> except on user networking), graphics listening on
 * opts->graphics_listen only, video (model 'none' when vm->video is NULL),
 * sound, a virtio memballoon (model 'none' without balloon),
 * on_poweroff/on_crash destroy, on_reboot restart.
 *
 * Disks are files with cache='none' (shared storage, live migration) and
 * error_policy/rerror_policy 'stop' (a thin volume out of space pauses the
 * guest instead of failing its I/O), target and bus from the definition,
 * and the first 20 characters of the disk id as <serial>, as oVirt does.
 * The CD-ROM (vm->cdrom) is a read-only raw IDE disk on vm->cdrom_target.
 * Boot order: without disks and CD-ROM, <boot dev='hd'/>; otherwise
 * per-device <boot order/> instead: the CD-ROM first, then the bootable
 * disks in their order, or the first disk when none is bootable.
 *
 * Every device whose key (see struct rhv_vm_addr) has a stored address
 * gets it (IDE disks never: they sit on the IDE controller); stored
 * controller addresses become <controller> elements; other devices get
 * none and libvirt assigns one.
 *
 * Returns the XML (caller frees), or NULL with err filled: 1 for a
 * definition that cannot be expressed (bad model, MAC, stored address;
 * a disk format other than raw/qcow2, interface other than virtio/ide, a
 * target that does not fit the interface (vd[a-z]{1,3}, hda..hdd) or is
 * used twice, a path that is not absolute, more than 4 IDE devices
 * counting the CD-ROM, a CD-ROM without target), 4 when a NIC's network
 * is not available on the host.
 */
char *rhv_domxml_build(const struct rhv_vm *vm, const struct rhv_domxml_opts *o, struct rhv_error *err);

/*
 * One <disk> element of vm (its stored address, if any, included) for
 * plugging into the running guest: virtio only, checked as the domain
 * build checks disks.  Returns the XML (caller frees), or NULL with err
 * (1 for a disk that cannot be expressed, 4 for an IDE disk).
 */
char *rhv_domxml_disk(const struct rhv_vm *vm, const struct rhv_vm_disk *d, struct rhv_error *err);
/*
 * One <interface> of vm (its stored address, if any, included) as the
 * domain build writes it, for plugging into or out of the running guest
 * (libvirt finds the device to unplug by its MAC).  Returns the XML (caller
 * frees), or NULL with err as rhv_domxml_build() for a NIC.
 */
char *rhv_domxml_nic(const struct rhv_vm *vm, const struct rhv_vm_nic *nic, const struct rhv_domxml_opts *o,
		     struct rhv_error *err);

/*
 * The CD-ROM drive on target (hda..hdd) with iso (an absolute path) in it,
 * or empty for iso NULL: for changing the CD of a running guest.  Returns
 * the XML (caller frees), or NULL with err (1).
 */
char *rhv_domxml_cdrom(const char *iso, const char *target, struct rhv_error *err);

/*
 * Every PCI address in a domain's XML (a running domain's, from
 * virDomainGetXMLDesc), keyed as struct rhv_vm_addr documents:
 *   interface:<mac>  video:<n>  sound:<model>  memballoon
 *   controller:<type>:<index>  disk:<target>
 * and <element>:<n> for any other device (n counts devices of that kind
 * in document order).  Addresses read "0000:00:03.0".  *out (caller
 * frees with rhv_domxml_addrs_free()) holds *n entries in document order.
 * Returns 0, or -1 with err filled (1) for XML that is not a domain.
 */
int rhv_domxml_addresses(const char *live_xml, struct rhv_vm_addr **out, size_t *n, struct rhv_error *err);
void rhv_domxml_addrs_free(struct rhv_vm_addr *a, size_t n);

/* A NIC of a running domain: its MAC and the tap the host gave it. */
struct rhv_domxml_tap {
	char *mac; /* lower case */
	char *dev; /* <target dev>; NULL when the XML has none */
};

/*
 * The <interface>s of a running domain's live XML, each with its MAC
 * (those without one are left out), in document order.  *out (caller frees
 * with rhv_domxml_taps_free()) holds *n entries.  Returns 0, or -1 with err
 * filled (1) for XML that is not a domain.
 */
int rhv_domxml_taps(const char *live_xml, struct rhv_domxml_tap **out, size_t *n, struct rhv_error *err);
void rhv_domxml_taps_free(struct rhv_domxml_tap *t, size_t n);

/*
 * The features the CPU model of a running domain lacks: those its live XML
 * lists with policy 'disable'.  libvirt's check='partial' lets a guest
 * start without features the hypervisor cannot give and records them so
 * (seen on nested KVM, where the host CPU looks like Broadwell but KVM
 * cannot pass SSE3 on); the builder never asks for a disabled feature,
 * so any is a CPU model the host cannot really run.  *missing: "pni, ssse3"
 * (caller frees), or NULL when none or no <cpu>.  Returns 0, or -1 with
 * err filled (1) for XML that is not a domain.
 */
int rhv_domxml_cpu_missing(const char *live_xml, char **missing, struct rhv_error *err);

/*
 * s escaped for XML text and attribute values: & < > " ' as entities;
 * bytes that are not valid UTF-8, and characters XML 1.0 cannot carry
 * (controls other than tab, newline, carriage return; U+FFFE, U+FFFF),
 * become U+FFFD.  Caller frees.
 */
char *rhv_domxml_escape(const char *s);
