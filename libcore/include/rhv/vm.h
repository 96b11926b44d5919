/*
 * Virtual machines as the store holds them.  The definition (memory,
 * devices, stable PCI addresses) is ours; libvirt only ever sees domain XML
 * built from it by domxml.h.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/net.h"

struct rhv_db;

extern const char *const rhv_nic_models[];     /* virtio, e1000, rtl8139 */
extern const char *const rhv_graphics_kinds[]; /* spice, vnc */
extern const char *const rhv_video_models[];   /* qxl, cirrus, vga */
extern const char *const rhv_sound_models[];   /* ac97, es1370 */
extern const char *const rhv_vm_states[];      /* every RHV_VM_* state */

struct rhv_vm_nic {
	char *network; /* logical network name */
	char *profile; /* its vNIC profile (the network's default one has the network's name) */
	char *model;   /* virtio, e1000, rtl8139 */
	char mac[18];  /* 00:1a:4a:16:01:51, from the data center's MAC pool */
	struct rhv_qos in, out; /* the profile's QoS, libvirt's <bandwidth> units; average 0: none */
	bool port_mirroring;    /* the profile mirrors the network's traffic to it */
};

/*
 * A device's PCI address as libvirt assigned it at the first start, kept so
 * it never changes while the device exists (reference 9.2).
 *   key: "interface:<mac>", "video:0", "sound:<model>", "memballoon",
 *        "controller:<type>:<index>", "disk:<target>" ...
 *   address: "0000:00:03.0" (domain:bus:slot.function)
 */
struct rhv_vm_addr {
	char *key;
	char *address;
};

/*
 * A disk attached to a VM, as the domain XML needs it.  target is fixed at
 * attach time ("vda", "hdb") and kept while the disk stays attached, so
 * the guest sees the same device name and PCI address at every start.
 */
struct rhv_vm_disk {
	char id[37];     /* the disk (image) id; also the guest-visible serial */
	char *name;
	char *path;      /* absolute path of the top volume */
	char *format;    /* raw, qcow2 */
	char *interface; /* virtio, ide */
	char *target;    /* vda.., hda..hdd */
	bool bootable;
};

struct rhv_vm {
	char id[37];
	char *name;
	char *cluster;
	char *description;
	uint64_t memory; /* bytes */
	int vcpus;
	struct rhv_vm_nic *nics;
	size_t nnics;
	char *graphics; /* NULL: none */
	char *video;    /* NULL: none */
	char *sound;    /* NULL: none */
	bool balloon;
	bool serial_console; /* a serial port (the guest's ttyS0) on a pty of its host */
	bool ha;
	int ha_priority;         /* 1..100: who restarts first after a host failure */
	int64_t ha_pending_since; /* waiting to be restarted since; 0: not waiting */
	int ha_tries;            /* restart attempts so far */
	char *ha_last_error;     /* why the last attempt failed; NULL: none */
	char *pin_host; /* NULL: may run anywhere in its cluster */
	char *state;    /* Down, WaitForLaunch, Up, MigratingFrom, PoweringDown, Paused, Unknown */
	char *host;     /* where it runs; NULL when Down */
	char *migrating_to;
	int64_t state_since;
	bool has_usage;
	double cpu_pct;
	uint64_t mem_used;
	struct rhv_vm_addr *addrs;
	size_t naddrs;
	struct rhv_vm_disk *disks; /* attached disks, by target */
	size_t ndisks;
	char *cdrom;        /* absolute path of the ISO in the CD-ROM; NULL: no CD-ROM */
	char *cdrom_target; /* its IDE target (hda..hdd) when cdrom is set */
	char *cdrom_iso;    /* "DOMAIN:FILE" in its CD-ROM, for display; NULL: none */
	char *kernel, *initrd, *kernel_params; /* Linux boot options (paths on the host); NULL: none */
	int disk_count;     /* disks attached */
	int snapshot_count; /* snapshots of it (rhv-snap list VM) */
	int64_t created, updated;
};

struct rhv_vm_list {
	struct rhv_vm *items;
	size_t n;
};

/* VM states, oVirt's names. */
#define RHV_VM_DOWN "Down"
#define RHV_VM_LAUNCHING "WaitForLaunch"
#define RHV_VM_UP "Up"
#define RHV_VM_MIGRATING "MigratingFrom"
#define RHV_VM_POWERING_DOWN "PoweringDown"
#define RHV_VM_PAUSED "Paused"
#define RHV_VM_UNKNOWN "Unknown" /* its host stopped answering */

/* Until logical networks land, the one network is the management network. */
#define RHV_MGMT_NETWORK "ovirtmgmt"
#define RHV_VM_NAME_MAX 64
#define RHV_VM_VCPUS_MAX 288               /* oVirt 4.1 */
#define RHV_VM_MEMORY_MAX (4ULL << 40)     /* 4 TiB */
#define RHV_VM_MEMORY_MIN (16ULL << 20)
/* HA priorities, oVirt's names: a number 1..100, these three named */
#define RHV_HA_PRIORITY_LOW 1
#define RHV_HA_PRIORITY_MEDIUM 50
#define RHV_HA_PRIORITY_HIGH 100

/* NULL fields are unchanged on edit and defaulted on create. */
struct rhv_vm_spec {
	const char *name, *new_name, *cluster, *description;
	const char *memory, *vcpus;          /* as given: "2G", "4" */
	const char *const *add_nics;         /* "NETWORK[,model=MODEL]" */
	const char *const *remove_nics;      /* MAC address */
	const char *graphics, *video, *sound; /* "none" removes the device */
	int balloon, ha;                     /* -1 unchanged */
	int serial_console;                  /* -1 unchanged */
	const char *ha_priority;             /* low, medium, high or 1..100 */
	const char *pin_host;                /* "none" unpins */
	const char *kernel, *initrd, *kernel_params; /* "" removes */
};

struct rhv_vm_filter {
	const char *cluster, *host, *state;
};

void rhv_vm_clear(struct rhv_vm *vm);
/*
 * An HA priority as given: low, medium, high (any case) or 1..100; what
 * names it in messages ("--ha-priority").  Returns: 0, or -1 with RHV_EXIT_USAGE.
 */
int rhv_vm_ha_priority_parse(const char *s, const char *what, int *out, struct rhv_error *err);
void rhv_vm_list_clear(struct rhv_vm_list *l);

/* Store layer (db-vm.c).  Returns: 0, or -1 with the usual exit classes. */
int rhv_vm_create(struct rhv_db *db, const struct rhv_vm_spec *spec, struct rhv_error *err);
int rhv_vm_edit(struct rhv_db *db, const struct rhv_vm_spec *spec, struct rhv_error *err);
int rhv_vm_remove(struct rhv_db *db, const char *name, struct rhv_error *err);
int rhv_vm_get(struct rhv_db *db, const char *name, struct rhv_vm *out, struct rhv_error *err);
int rhv_vm_list(struct rhv_db *db, const struct rhv_vm_filter *f, struct rhv_vm_list *out, struct rhv_error *err);
