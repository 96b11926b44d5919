/* The host script's configuration lines: rendered for apply, read back from the host's confirmed setup. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "ops/hostnet-priv.h"
#include "rhv/hostnet.h"
#include "rhv/netsetup.h"
#include "tap.h"

int main(void)
{
	struct rhv_ns_state s = { .ndev = 4, .natt = 3 }, back;
	struct rhv_host_nic nic = { .name = "eth3", .kind = "nic", .addresses = "192.0.2.5/24" };
	struct rhv_host_nic_list nics = { .items = &nic, .n = 1 };
	char *text;

	strcpy(s.dev[0].name, "eth0");
	strcpy(s.dev[1].name, "eth1");
	strcpy(s.dev[1].master, "bond0");
	strcpy(s.dev[1].labels, "fast,slow");
	strcpy(s.dev[2].name, "eth2");
	strcpy(s.dev[2].master, "bond0");
	strcpy(s.dev[3].name, "bond0");
	s.dev[3].bond = true;
	s.dev[3].mode = 1;
	s.att[0] = (struct rhv_ns_att){ .net = "ovirtmgmt", .dev = "eth0", .vm = true, .vlan = -1, .mtu = 1500,
					.address = "10.0.0.1/24" };
	s.att[1] = (struct rhv_ns_att){ .net = "red", .dev = "bond0", .vm = true, .vlan = 10, .mtu = 1500 };
	s.att[2] = (struct rhv_ns_att){ .net = "storage", .dev = "bond0", .vlan = 30, .mtu = 1400,
					.address = "10.9.0.1/24" };
	text = rhv_hostnet_config_render(&s, &nics);
	OK(strstr(text, "dev bond0 1500 bond 1 eth1,eth2\n") != NULL, "a bond with its NICs");
	OK(strstr(text, "bridge ovirtmgmt eth0 - 1500 10.0.0.1/24\n") != NULL, "a VM network is a bridge");
	OK(strstr(text, "port bond0 30 1400 10.9.0.1/24 storage\n") != NULL, "a non-VM network names itself");
	OK(strstr(text, "label eth1 fast,slow\n") != NULL, "labels travel with the setup");
	OK(strstr(text, "addr eth3 192.0.2.5/24\n") != NULL, "the host's own address stays");

	rhv_hostnet_config_parse(text, &back);
	OK(back.natt == 3, "read back: three networks");
	OK(!strcmp(back.att[0].net, "ovirtmgmt") && back.att[0].vm && back.att[0].vlan == -1 &&
		   !strcmp(back.att[0].address, "10.0.0.1/24"),
	   "the bridge with its address");
	OK(!strcmp(back.att[1].net, "red") && back.att[1].vlan == 10 && !back.att[1].address[0], "a VLAN, no address");
	OK(!strcmp(back.att[2].net, "storage") && !back.att[2].vm && back.att[2].mtu == 1400 &&
		   !strcmp(back.att[2].dev, "bond0"),
	   "the non-VM network on its bond");
	OK(back.ndev == 1 && !strcmp(back.dev[0].name, "eth1") && !strcmp(back.dev[0].labels, "fast,slow"),
	   "the labels, on their NIC");
	free(text);

	rhv_hostnet_config_parse("port eth1 - 1500 -\nbridge x\naddr eth0 1.2.3.4/8\nlabel eth1\n"
				 "bridge x abcdefghijklmnopq - 1500 -\n",
				 &back);
	OK(back.natt == 0 && back.ndev == 0, "an older host's port line, junk and a name too long: nothing taken");
	return tap_done();
}
