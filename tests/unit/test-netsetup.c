/* Host network setup as a pure decision: changes, labels and the rules of reference 3.5. */
#include "rhv/common.h"

#include <string.h>

#include "rhv/netsetup.h"
#include "tap.h"

static const struct rhv_ns_def defs[] = {
	{ .name = "ovirtmgmt", .vm = true, .vlan = -1, .mgmt = true, .attached = true },
	{ .name = "red", .vm = true, .vlan = 10, .attached = true },
	{ .name = "blue", .vm = true, .vlan = 20, .mtu = 9000, .attached = true },
	{ .name = "storage", .vm = false, .vlan = -1, .mtu = 1400, .attached = true },
	{ .name = "away", .vm = true, .vlan = 30, .attached = false },
	{ .name = "a-very-long-vm-net", .vm = true, .vlan = 40, .attached = true },
	{ .name = "lab", .vm = true, .vlan = 50, .attached = true, .label = "fast" },
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

static struct rhv_ns_state host(void)
{
	struct rhv_ns_state s = { .ndev = 3, .natt = 1 };

	strcpy(s.dev[0].name, "eth0");
	strcpy(s.dev[1].name, "eth1");
	strcpy(s.dev[2].name, "eth2");
	s.att[0] = (struct rhv_ns_att){ .net = "ovirtmgmt", .dev = "eth0", .vm = true, .vlan = -1, .mtu = 1500,
					.address = "10.0.0.1/24" };
	return s;
}

/* plan with changes written as the CLI takes them: "attach red:eth1" ... */
static int plan(struct rhv_ns_state *cur, struct rhv_ns_state *out, struct rhv_error *err, const char *const *ch)
{
	struct rhv_ns_change c[16];
	size_t n = 0;

	for (; ch[n]; n++) {
		static const char *const ops[] = { "attach", "detach", "bond", "unbond", "label", "unlabel", "sync" };
		char op[16];
		const char *sp = strchr(ch[n], ' ');
		int k;

		snprintf(op, sizeof(op), "%.*s", sp ? (int)(sp - ch[n]) : (int)strlen(ch[n]), ch[n]);
		for (k = 0; k < 7 && strcmp(ops[k], op); k++)
			;
		if (rhv_ns_change_parse((enum rhv_ns_op)k, sp ? sp + 1 : "", &c[n], err) < 0)
			return -1;
	}
	return rhv_ns_plan(cur, defs, NDEFS, c, n, out, err);
}

#define PLAN(...) (rhv_error_clear(&err), plan(&cur, &out, &err, (const char *const[]){ __VA_ARGS__, NULL }))

static const struct rhv_ns_att *att(const struct rhv_ns_state *s, const char *net)
{
	for (size_t i = 0; i < s->natt; i++)
		if (!strcmp(s->att[i].net, net))
			return &s->att[i];
	return NULL;
}

int main(void)
{
	struct rhv_ns_state cur = host(), out;
	struct rhv_error err = { 0 };

	OK(PLAN("bond bond0:eth1,eth2", "attach red:bond0", "attach blue:bond0") == 0, "bond + two VLANs: accepted");
	OK(out.ndev == 4 && out.dev[3].bond && out.dev[3].mode == 4, "a new bond is mode 4 by default");
	OK(!strcmp(out.dev[1].master, "bond0") && !strcmp(out.dev[2].master, "bond0"), "its NICs are in it");
	OK(att(&out, "blue") && att(&out, "blue")->mtu == 9000 && att(&out, "red")->mtu == 1500,
	   "MTUs from the definitions");
	OK(rhv_ns_dev_uses_ovs(&out, "bond0") && !rhv_ns_dev_uses_ovs(&out, "eth0"), "bonds and VLANs go on OVS");
	OK(rhv_ns_dev_mtu(&out, "bond0") == 9000, "a device takes its largest MTU");
	OK(cur.natt == 1 && cur.ndev == 3, "the current state is left alone");

	OK(PLAN("bond bond0:eth1,eth2:6", "attach red:bond0") < 0 && err.code == RHV_EXIT_USAGE, "mode 6 + VM network");
	IS_STR(strstr(err.message, "rule bond-mode") ? "yes" : err.message, "yes", "named: bond-mode");
	OK(PLAN("bond bond0:eth1,eth2:5", "attach storage:bond0") == 0, "mode 5 with a non-VM network: fine");
	OK(PLAN("bond bond0:eth1,eth2:0", "attach storage:bond0") == 0, "mode 0 with a non-VM network: fine");
	OK(PLAN("bond bond0:eth1,eth2:7") < 0 && err.code == RHV_EXIT_USAGE, "mode 7: no such mode");

	OK(PLAN("attach storage:eth0") < 0 && strstr(err.message, "rule one-untagged"),
	   "two untagged networks on one NIC: one-untagged");
	OK(PLAN("attach red:eth0", "attach blue:eth0") < 0 && strstr(err.message, "rule mtu"),
	   "a VLAN above its device's untagged MTU: mtu");
	OK(PLAN("attach red:eth0") == 0, "a VLAN beside the untagged management network: fine");
	OK(PLAN("attach away:eth1") < 0 && strstr(err.message, "rule cluster"), "not in the cluster: cluster");
	OK(PLAN("attach a-very-long-vm-net:eth1") < 0 && strstr(err.message, "rule name"),
	   "a bridge name over 15 characters: name");
	OK(PLAN("bond bond0:eth1,eth2", "attach red:eth1") < 0 && strstr(err.message, "rule device"),
	   "a bond's NIC carries nothing itself: device");
	OK(PLAN("bond bond0:eth1") < 0 && strstr(err.message, "rule bond"), "a bond of one NIC: bond");
	OK(PLAN("bond bond0:eth0,eth1") < 0 && strstr(err.message, "rule bond"), "a NIC with networks: bond");
	OK(PLAN("attach nowhere:eth1") < 0 && err.code == RHV_EXIT_NOTFOUND, "unknown network: not found");
	OK(PLAN("attach red:eth9") < 0 && err.code == RHV_EXIT_NOTFOUND, "unknown device: not found");

	OK(PLAN("attach ovirtmgmt:eth1") == 0 && !strcmp(att(&out, "ovirtmgmt")->address, "10.0.0.1/24") &&
		   !strcmp(att(&out, "ovirtmgmt")->dev, "eth1"),
	   "the management network moves with its address");
	OK(PLAN("detach ovirtmgmt") == 0 && out.natt == 0, "detach");

	OK(PLAN("label eth2:fast") == 0 && att(&out, "lab") && !strcmp(att(&out, "lab")->dev, "eth2"),
	   "a label on a NIC brings the network with that label");
	cur = out;
	OK(PLAN("unlabel eth2:fast") == 0 && !att(&out, "lab"), "and its removal takes it away");
	OK(PLAN("label eth1:fast") < 0 && strstr(err.message, "rule label"), "one device per host carries a label");
	cur = host();

	cur.att[0].mtu = 9000;
	cur.att[0].out_of_sync = true;
	OK(PLAN("sync") == 0 && out.att[0].mtu == 1500 && !out.att[0].out_of_sync, "sync takes the definition");
	OK(PLAN("attach red:bond9:x") < 0, "junk");

	/* a store that knows no networks of the host takes what the host confirmed last */
	struct rhv_ns_state fresh = host(), seen = { .ndev = 2, .natt = 3 };

	fresh.natt = 0;
	strcpy(seen.dev[0].name, "eth1");
	strcpy(seen.dev[0].labels, "fast");
	strcpy(seen.dev[1].name, "eth7");
	strcpy(seen.dev[1].labels, "slow");
	seen.att[0] = (struct rhv_ns_att){ .net = "ovirtmgmt", .dev = "eth0", .vm = true, .vlan = -1, .mtu = 1500,
					   .address = "10.0.0.9/24" };
	seen.att[1] = (struct rhv_ns_att){ .net = "away", .dev = "eth1", .vm = true, .vlan = 30, .mtu = 1500 };
	seen.att[2] = (struct rhv_ns_att){ .net = "red", .dev = "eth9", .vm = true, .vlan = 10, .mtu = 1500 };
	OK(rhv_ns_adopt(&fresh, &seen, defs, NDEFS, &out) == 2, "adopt: one network and one label taken");
	OK(out.natt == 1 && !strcmp(out.att[0].address, "10.0.0.9/24"), "the management network keeps its address");
	OK(!strcmp(out.dev[1].labels, "fast") && !out.dev[2].labels[0], "labels on the devices that are there");
	OK(rhv_ns_adopt(&cur, &seen, defs, NDEFS, &out) == 0 && out.natt == 1 &&
		   !strcmp(out.att[0].address, "10.0.0.1/24"),
	   "adopt: nothing once the store knows a network of the host");
	return tap_done();
}
