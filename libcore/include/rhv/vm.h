/*
 * Virtual machines as the store holds them.  The definition (memory,
 * devices, stable PCI addresses) is ours; libvirt only ever sees domain XML
 * built from it by domxml.h.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

extern const char *const rhv_nic_models[];     /* virtio, e1000, rtl8139 */
extern const char *const rhv_graphics_kinds[]; /* spice, vnc */
extern const char *const rhv_video_models[];   /* qxl, cirrus, vga */
extern const char *const rhv_sound_models[];   /* ac97, es1370 */

struct rhv_vm_nic {
	char *network; /* logical network name */
	char *model;   /* virtio, e1000, rtl8139 */
	char mac[18];  /* 00:1a:4a:16:01:51, from the data center's MAC pool */
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
	bool ha;
	char *pin_host; /* NULL: may run anywhere in its cluster */
	char *state;    /* Down, WaitForLaunch, PoweringUp, Up, MigratingFrom, PoweringDown, Paused, ... */
	char *host;     /* where it runs; NULL when Down */
	struct rhv_vm_addr *addrs;
	size_t naddrs;
	int64_t created, updated;
};

void rhv_vm_clear(struct rhv_vm *vm);
