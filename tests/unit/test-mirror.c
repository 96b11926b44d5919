/* Port mirroring: which bridge goes to which tap (policy/mirror.c). */
#include "rhv/common.h"

#include "rhv/mirror.h"
#include "tap.h"

int main(void)
{
	struct rhv_vm_nic nics[] = {
		{ .network = "red", .mac = "00:1a:4a:16:01:51", .port_mirroring = true },
		{ .network = "red", .mac = "00:1a:4a:16:01:52" },
		{ .network = "blue", .mac = "00:1a:4a:16:01:53", .port_mirroring = true },
		{ .network = "storage", .mac = "00:1a:4a:16:01:54", .port_mirroring = true },
	};
	struct rhv_vm vm = { .name = "m", .nics = nics, .nnics = 4 };
	struct rhv_vm plain = { .name = "p", .nics = &nics[1], .nnics = 1 };
	const struct rhv_host_net nets[] = {
		{ "red", "red", NULL, true, NULL },
		{ "blue", "br-blue", NULL, true, NULL },
		{ "storage", NULL, "10.0.0.1/24", true, NULL },
	};
	struct rhv_host_nets known = { true, nets, 3 }, unread = { false, NULL, 0 };
	struct rhv_mirror_tap taps[] = {
		{ "00:1A:4A:16:01:51", "vnet0" }, { "00:1a:4a:16:01:52", "vnet1" }, { "00:1a:4a:16:01:53", "vnet2" },
		{ "00:1a:4a:16:01:54", "vnet3" },
	};
	struct rhv_mirror_port out[4];
	char why[200];
	size_t n;

	OK(rhv_mirror_wanted(&vm) && !rhv_mirror_wanted(&plain) && !rhv_mirror_wanted(NULL),
	   "wanted: only a VM with a NIC on a mirroring profile");

	n = rhv_mirror_ports(&vm, &known, taps, 4, out, why, sizeof(why));
	OK(n == 2, "ports: one per mirroring NIC whose network has a bridge (%zu)", n);
	OK(n == 2 && !strcmp(out[0].bridge, "red") && !strcmp(out[0].tap, "vnet0") && !strcmp(out[0].network, "red"),
	   "ports: red's bridge to the tap of the NIC with that MAC, whatever its case");
	OK(n == 2 && !strcmp(out[1].bridge, "br-blue") && !strcmp(out[1].tap, "vnet2"),
	   "ports: the network's bridge on the host, not its name");
	IS_STR(why, "network 'storage' has no bridge on the host for NIC 00:1a:4a:16:01:54",
	       "ports: a network without a bridge there is said, the others still mirrored");

	n = rhv_mirror_ports(&vm, &known, taps, 1, out, why, sizeof(why));
	OK(n == 1 && !strcmp(out[0].tap, "vnet0"), "ports: NICs without a tap are left out");
	IS_STR(why, "NIC 00:1a:4a:16:01:53 has no tap in the running domain", "ports: the first reason is kept");

	taps[0].dev = NULL;
	n = rhv_mirror_ports(&vm, &known, taps, 1, out, why, sizeof(why));
	OK(n == 0, "ports: a NIC shown without a target dev has no tap");
	taps[0].dev = "vnet0";

	n = rhv_mirror_ports(&vm, &unread, taps, 4, out, why, sizeof(why));
	OK(n == 0 && !why[0], "ports: a host whose networks were never read: none, silently");
	n = rhv_mirror_ports(&vm, NULL, taps, 4, out, why, sizeof(why));
	OK(n == 0 && !why[0], "ports: no host networks at all: none, silently");
	n = rhv_mirror_ports(&plain, &known, taps, 4, out, why, sizeof(why));
	OK(n == 0 && !why[0], "ports: a VM without mirroring: none");
	return tap_done();
}
