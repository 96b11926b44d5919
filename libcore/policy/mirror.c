/* Which bridge goes to which tap for port mirroring (rhv/mirror.h).  Pure. */
#include "rhv/common.h"

#include <stdio.h>
#include <strings.h>

#include "rhv/mirror.h"

bool rhv_mirror_wanted(const struct rhv_vm *vm)
{
	for (size_t i = 0; vm && i < vm->nnics; i++)
		if (vm->nics[i].port_mirroring)
			return true;
	return false;
}

static const char *tap_of(const struct rhv_mirror_tap *taps, size_t ntaps, const char *mac)
{
	for (size_t i = 0; i < ntaps; i++)
		if (taps[i].mac && !strcasecmp(taps[i].mac, mac))
			return taps[i].dev && *taps[i].dev ? taps[i].dev : NULL;
	return NULL;
}

size_t rhv_mirror_ports(const struct rhv_vm *vm, const struct rhv_host_nets *hn, const struct rhv_mirror_tap *taps,
			size_t ntaps, struct rhv_mirror_port *out, char *why, size_t len)
{
	size_t n = 0;

	if (len)
		why[0] = '\0';
	if (!hn || !hn->known)
		return 0;
	for (size_t i = 0; i < vm->nnics; i++) {
		const struct rhv_vm_nic *nic = &vm->nics[i];
		const struct rhv_host_net *net;
		const char *tap;

		if (!nic->port_mirroring)
			continue;
		net = rhv_netfit_find(hn, nic->network);
		tap = tap_of(taps, ntaps, nic->mac);
		if (!net || !net->bridge) {
			if (len && !why[0])
				snprintf(why, len, "network '%s' has no bridge on the host for NIC %s", nic->network,
					 nic->mac);
			continue;
		}
		if (!tap) {
			if (len && !why[0])
				snprintf(why, len, "NIC %s has no tap in the running domain", nic->mac);
			continue;
		}
		out[n++] = (struct rhv_mirror_port){ nic->network, net->bridge, tap, nic->mac };
	}
	return n;
}
