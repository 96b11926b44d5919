/*
 * The host script's configuration lines (see hostnet-host.sh), both ways:
 * rendered from a planned state for apply, and read back from the setup
 * the host last confirmed (its "current" file) when a store that knows
 * none of the host's networks takes them over.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/hostnet-priv.h"
#include "rhv/cleanup.h"
#include "rhv/hostnet.h"
#include "rhv/netsetup.h"

static bool carries(const struct rhv_ns_state *s, const char *dev)
{
	for (size_t i = 0; i < s->natt; i++)
		if (!strcmp(s->att[i].dev, dev))
			return true;
	return false;
}

char *rhv_hostnet_config_render(const struct rhv_ns_state *s, const struct rhv_host_nic_list *nics)
{
	char *c = NULL;

	for (size_t i = 0; i < s->ndev; i++) {
		const struct rhv_ns_dev *d = &s->dev[i];
		char slaves[RHV_NS_LABELS] = "";

		if (d->labels[0])
			rhv_xappendf(&c, "", "label %s %s\n", d->name, d->labels);
		if (d->master[0])
			continue;
		if (d->bond) {
			for (size_t k = 0; k < s->ndev; k++)
				if (!strcmp(s->dev[k].master, d->name))
					snprintf(slaves + strlen(slaves), sizeof(slaves) - strlen(slaves), "%s%s",
						 slaves[0] ? "," : "", s->dev[k].name);
			rhv_xappendf(&c, "", "dev %s %d bond %d %s\n", d->name, rhv_ns_dev_mtu(s, d->name), d->mode,
				     slaves);
			continue;
		}
		rhv_xappendf(&c, "", "dev %s %d%s\n", d->name, rhv_ns_dev_mtu(s, d->name),
			     rhv_ns_dev_uses_ovs(s, d->name) ? " ovs" : "");
	}
	for (size_t i = 0; i < s->natt; i++) {
		const struct rhv_ns_att *a = &s->att[i];
		char vlan[16] = "-";

		if (a->vlan >= 0)
			snprintf(vlan, sizeof(vlan), "%d", a->vlan);
		if (a->vm)
			rhv_xappendf(&c, "", "bridge %s %s %s %d %s\n", a->net, a->dev, vlan, a->mtu,
				     a->address[0] ? a->address : "-");
		else
			rhv_xappendf(&c, "", "port %s %s %d %s %s\n", a->dev, vlan, a->mtu,
				     a->address[0] ? a->address : "-", a->net);
	}
	/* addresses the host has on NICs that carry no network stay where they are */
	for (size_t k = 0; k < nics->n; k++) {
		const struct rhv_host_nic *x = &nics->items[k];
		_cleanup_free_ char *list = rhv_xstrdup(x->addresses ? x->addresses : "");

		if (strcmp(x->kind, "nic") || x->bond || carries(s, x->name))
			continue;
		for (char *p = strtok(list, ","); p; p = strtok(NULL, ","))
			rhv_xappendf(&c, "", "addr %s %s\n", x->name, p);
	}
	return c ? c : rhv_xstrdup("");
}

/* a field of a line, "-" for none; one too long for its place is none */
static void field(char *dst, size_t size, const char *src)
{
	size_t n = strcmp(src, "-") ? strlen(src) : 0;

	if (n >= size)
		n = 0;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void rhv_hostnet_config_parse(const char *text, struct rhv_ns_state *out)
{
	_cleanup_free_ char *copy = rhv_xstrdup(text ? text : "");
	char *save = NULL;

	memset(out, 0, sizeof(*out));
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char kind[16], a[64], b[64], c[64], d[64], e[64], f[64];
		int n = sscanf(line, "%15s %63s %63s %63s %63s %63s %63s", kind, a, b, c, d, e, f);
		struct rhv_ns_att *x = &out->att[out->natt];

		if (!strcmp(kind, "label") && n == 3 && out->ndev < RHV_NS_MAX) {
			field(out->dev[out->ndev].name, sizeof(out->dev[0].name), a);
			field(out->dev[out->ndev++].labels, sizeof(out->dev[0].labels), b);
			continue;
		}
		if (out->natt >= RHV_NS_MAX)
			continue;
		/* bridge NET DEV VLAN MTU ADDR; port DEV VLAN MTU ADDR NET (older hosts: no NET, not taken) */
		if (!strcmp(kind, "bridge") && n == 6) {
			field(x->net, sizeof(x->net), a);
			field(x->dev, sizeof(x->dev), b);
			x->vm = true;
			x->vlan = strcmp(c, "-") ? atoi(c) : -1;
			x->mtu = atoi(d);
			field(x->address, sizeof(x->address), e);
		} else if (!strcmp(kind, "port") && n == 6) {
			field(x->net, sizeof(x->net), e);
			field(x->dev, sizeof(x->dev), a);
			x->vlan = strcmp(b, "-") ? atoi(b) : -1;
			x->mtu = atoi(c);
			field(x->address, sizeof(x->address), d);
		} else {
			continue;
		}
		if (x->net[0] && x->dev[0] && x->mtu > 0)
			out->natt++;
	}
}
