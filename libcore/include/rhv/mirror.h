/*
 * Port mirroring (reference 3.14): which bridge's traffic goes to which tap
 * on the host where a VM with a mirroring vNIC runs.  Pure: the caller
 * brings the VM, the host's networks (store) and the taps of the running
 * domain (its live XML), and sends the answer to the host.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/netfit.h"
#include "rhv/vm.h"

/* A NIC of a running guest as its host shows it. */
struct rhv_mirror_tap {
	const char *mac; /* any case */
	const char *dev; /* its tap on the host; NULL: none shown */
};

/* One copy: every frame crossing bridge on the host also goes out of tap, to the guest. */
struct rhv_mirror_port {
	const char *network;
	const char *bridge;
	const char *tap;
	const char *mac; /* the vNIC's */
};

/* Whether vm has a vNIC on a profile with port mirroring. */
bool rhv_mirror_wanted(const struct rhv_vm *vm);

/*
 * The copies vm's mirroring vNICs take on a host: each NIC on a profile
 * with port mirroring gets its network's bridge there (hn) through its tap
 * (taps[], matched by MAC).  out has room for vm->nnics entries; its
 * strings are borrowed from the arguments.  A host without network data
 * (hn NULL or not known) gets none and no complaint: rhv-net set up no
 * bridge there.  A NIC left out for a reason writes the first reason into
 * why ("" when none):
 *   network 'red' has no bridge on the host for NIC 00:1a:4a:16:01:51
 *   NIC 00:1a:4a:16:01:51 has no tap in the running domain
 * Returns: the number of entries in out.
 */
size_t rhv_mirror_ports(const struct rhv_vm *vm, const struct rhv_host_nets *hn, const struct rhv_mirror_tap *taps,
			size_t ntaps, struct rhv_mirror_port *out, char *why, size_t len);
