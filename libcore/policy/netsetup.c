/*
 * Host network setup: the desired state of a host's networks from its
 * current state and the changes asked for, and the rules of reference
 * 3.5 checked on the result, so that a refused setup touches no host.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>

#include "rhv/netsetup.h"

#define RULE(err, rule, ...) rhv_error_set(err, RHV_EXIT_USAGE, "rule " rule ": " __VA_ARGS__)

bool rhv_ns_list_has(const char *list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, item, n))
			return true;
		p = e ? e + 1 : p + len;
	}
	return false;
}

static void list_add(char *list, size_t size, const char *item)
{
	size_t len = strlen(list);

	if (!rhv_ns_list_has(list, item))
		snprintf(list + len, size - len, "%s%s", len ? "," : "", item);
}

static void list_del(char *list, const char *item)
{
	char out[RHV_NS_LABELS] = "";

	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char one[RHV_NS_LABELS];

		snprintf(one, sizeof(one), "%.*s", (int)len, p);
		if (strcmp(one, item))
			list_add(out, sizeof(out), one);
		p = e ? e + 1 : p + len;
	}
	strcpy(list, out);
}

/* A Linux interface name: 1-15 characters, no '/', ':', blank or control, not "." or "..". */
static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= RHV_NS_IFNAME || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || (unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

int rhv_ns_change_parse(enum rhv_ns_op op, const char *text, struct rhv_ns_change *out, struct rhv_error *err)
{
	const char *colon;

	memset(out, 0, sizeof(*out));
	out->op = op;
	out->mode = RHV_NS_DEFAULT_BOND_MODE;
	if (op == RHV_NS_DETACH || op == RHV_NS_UNBOND || op == RHV_NS_SYNC) {
		if (op != RHV_NS_SYNC && (!*text || strlen(text) >= RHV_NS_NAME))
			return rhv_error_usage(err, "invalid name '%s'", text);
		copy(out->a, sizeof(out->a), text);
		return 0;
	}
	/* a network name may hold ':', a device name may not: NET:DEV splits at the last */
	colon = op == RHV_NS_ATTACH ? strrchr(text, ':') : strchr(text, ':');
	if (!colon || colon == text || !colon[1])
		return rhv_error_usage(err, "invalid value '%s': expected %s", text,
				       op == RHV_NS_ATTACH ? "NETWORK:DEVICE"
				       : op == RHV_NS_BOND ? "BOND:NIC,NIC[:MODE]"
							   : "DEVICE:LABEL");
	if ((size_t)(colon - text) >= RHV_NS_NAME)
		return rhv_error_usage(err, "invalid value '%s': name too long", text);
	snprintf(out->a, sizeof(out->a), "%.*s", (int)(colon - text), text);
	if (op == RHV_NS_BOND) {
		const char *m = strchr(colon + 1, ':');

		snprintf(out->slaves, sizeof(out->slaves), "%.*s", (int)(m ? (size_t)(m - colon - 1) : strlen(colon + 1)),
			 colon + 1);
		if (m) {
			if (m[1] < '0' || m[1] > '6' || m[2])
				return rhv_error_usage(err, "invalid bond mode '%s': 0-6 (default 4)", m + 1);
			out->mode = m[1] - '0';
		}
		return 0;
	}
	if (strlen(colon + 1) >= RHV_NS_NAME)
		return rhv_error_usage(err, "invalid value '%s': name too long", text);
	copy(out->b, sizeof(out->b), colon + 1);
	return 0;
}

static struct rhv_ns_dev *find_dev(struct rhv_ns_state *s, const char *name)
{
	for (size_t i = 0; i < s->ndev; i++)
		if (!strcmp(s->dev[i].name, name))
			return &s->dev[i];
	return NULL;
}

static struct rhv_ns_att *find_att(struct rhv_ns_state *s, const char *net)
{
	for (size_t i = 0; i < s->natt; i++)
		if (!strcmp(s->att[i].net, net))
			return &s->att[i];
	return NULL;
}

static const struct rhv_ns_def *find_def(const struct rhv_ns_def *defs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}

static void from_def(struct rhv_ns_att *a, const struct rhv_ns_def *d)
{
	a->vm = d->vm;
	a->vlan = d->vlan;
	a->mtu = d->mtu > 0 ? d->mtu : RHV_NS_DEFAULT_MTU;
	a->out_of_sync = false;
}

static int on_device(struct rhv_ns_state *s, const char *dev, struct rhv_error *err)
{
	const struct rhv_ns_dev *d = find_dev(s, dev);

	if (!d)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "host has no NIC or bond '%s'", dev);
	if (d->master[0])
		return RULE(err, "device", "NIC '%s' is in bond '%s': attach networks to the bond", dev, d->master);
	return 0;
}

static int attach(struct rhv_ns_state *s, const struct rhv_ns_def *d, const char *dev, struct rhv_error *err)
{
	struct rhv_ns_att *a = find_att(s, d->name);

	if (!d->attached)
		return RULE(err, "cluster", "network '%s' is not attached to the host's cluster", d->name);
	if (on_device(s, dev, err) < 0)
		return -1;
	if (!a) {
		if (s->natt >= RHV_NS_MAX)
			return rhv_error_set(err, RHV_EXIT_USAGE, "too many networks on one host");
		a = &s->att[s->natt++];
		memset(a, 0, sizeof(*a));
		copy(a->net, sizeof(a->net), d->name);
		from_def(a, d);
	}
	/* a management network that moves keeps its address (reference 3.4) */
	copy(a->dev, sizeof(a->dev), dev);
	return 0;
}

static void detach(struct rhv_ns_state *s, struct rhv_ns_att *a)
{
	size_t i = (size_t)(a - s->att);

	memmove(&s->att[i], &s->att[i + 1], (s->natt - i - 1) * sizeof(*a));
	s->natt--;
}

static bool dev_has_networks(const struct rhv_ns_state *s, const char *dev)
{
	for (size_t i = 0; i < s->natt; i++)
		if (!strcmp(s->att[i].dev, dev))
			return true;
	return false;
}

static int bond(struct rhv_ns_state *s, const struct rhv_ns_change *c, struct rhv_error *err)
{
	struct rhv_ns_dev *b = find_dev(s, c->a);
	char slaves[RHV_NS_LABELS];
	int n = 0;

	if (!ifname_ok(c->a))
		return RULE(err, "name", "bond name '%s' is not a valid interface name (1-15 characters)", c->a);
	if (b && !b->bond)
		return RULE(err, "bond", "'%s' is a NIC, not a bond", c->a);
	copy(slaves, sizeof(slaves), c->slaves);
	for (char *p = strtok(slaves, ","); p; p = strtok(NULL, ",")) {
		struct rhv_ns_dev *nic = find_dev(s, p);

		if (!nic)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "host has no NIC '%s'", p);
		if (nic->bond)
			return RULE(err, "bond", "'%s' is a bond: a bond is made of NICs", p);
		if (nic->master[0] && strcmp(nic->master, c->a))
			return RULE(err, "bond", "NIC '%s' is in bond '%s' already", p, nic->master);
		if (dev_has_networks(s, p))
			return RULE(err, "bond", "NIC '%s' carries networks: detach them before bonding it", p);
		n++;
	}
	if (n < 2)
		return RULE(err, "bond", "bond '%s' needs at least two NICs", c->a);
	if (!b) {
		if (s->ndev >= RHV_NS_MAX)
			return rhv_error_set(err, RHV_EXIT_USAGE, "too many devices on one host");
		b = &s->dev[s->ndev++];
		memset(b, 0, sizeof(*b));
		copy(b->name, sizeof(b->name), c->a);
		b->bond = true;
	}
	b->mode = c->mode;
	/* the bond's NICs are the ones given now */
	for (size_t i = 0; i < s->ndev; i++)
		if (!strcmp(s->dev[i].master, c->a))
			s->dev[i].master[0] = '\0';
	for (size_t i = 0; i < s->ndev; i++)
		if (!s->dev[i].bond && rhv_ns_list_has(c->slaves, s->dev[i].name))
			copy(s->dev[i].master, sizeof(s->dev[i].master), c->a);
	return 0;
}

static int unbond(struct rhv_ns_state *s, const char *name, struct rhv_error *err)
{
	struct rhv_ns_dev *b = find_dev(s, name);

	if (!b || !b->bond)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "host has no bond '%s'", name);
	if (dev_has_networks(s, name))
		return RULE(err, "bond", "bond '%s' carries networks: detach them before removing it", name);
	for (size_t i = 0; i < s->ndev; i++)
		if (!strcmp(s->dev[i].master, name))
			s->dev[i].master[0] = '\0';
	memmove(b, b + 1, (s->ndev - (size_t)(b - s->dev) - 1) * sizeof(*b));
	s->ndev--;
	return 0;
}

static int label(struct rhv_ns_state *s, const struct rhv_ns_change *c, struct rhv_error *err)
{
	struct rhv_ns_dev *d = find_dev(s, c->a);

	if (!d)
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "host has no NIC or bond '%s'", c->a);
	if (c->op == RHV_NS_UNLABEL) {
		if (!rhv_ns_list_has(d->labels, c->b))
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "'%s' has no label '%s'", c->a, c->b);
		list_del(d->labels, c->b);
		return 0;
	}
	if (strchr(c->b, ',') || !ifname_ok(c->b) || strlen(c->b) >= RHV_NS_NAME)
		return rhv_error_usage(err, "invalid label '%s': letters, digits, '-', '_', '.'", c->b);
	for (size_t i = 0; i < s->ndev; i++)
		if (&s->dev[i] != d && rhv_ns_list_has(s->dev[i].labels, c->b))
			return RULE(err, "label", "label '%s' is on '%s' already: one device per host carries a label",
				    c->b, s->dev[i].name);
	if (strlen(d->labels) + strlen(c->b) + 2 > sizeof(d->labels))
		return rhv_error_set(err, RHV_EXIT_USAGE, "too many labels on '%s'", c->a);
	list_add(d->labels, sizeof(d->labels), c->b);
	return 0;
}

static const struct rhv_ns_dev *label_dev(const struct rhv_ns_state *s, const char *lab)
{
	for (size_t i = 0; i < s->ndev; i++)
		if (rhv_ns_list_has(s->dev[i].labels, lab))
			return &s->dev[i];
	return NULL;
}

/* Reference 3.9: a labelled network is on the device with its label; it goes when the label goes. */
static int follow_labels(const struct rhv_ns_state *cur, struct rhv_ns_state *s, const struct rhv_ns_def *defs,
			 size_t ndefs, struct rhv_error *err)
{
	for (size_t i = 0; i < ndefs; i++) {
		const struct rhv_ns_def *d = &defs[i];
		const struct rhv_ns_dev *now, *before;
		struct rhv_ns_att *a;

		if (!d->label[0] || !d->attached)
			continue;
		now = label_dev(s, d->label);
		a = find_att(s, d->name);
		if (now) {
			if (!a || strcmp(a->dev, now->name))
				if (attach(s, d, now->name, err) < 0)
					return -1;
			continue;
		}
		before = label_dev(cur, d->label);
		if (a && before && !strcmp(a->dev, before->name))
			detach(s, a);
	}
	return 0;
}

bool rhv_ns_dev_uses_ovs(const struct rhv_ns_state *s, const char *dev)
{
	for (size_t i = 0; i < s->ndev; i++)
		if (!strcmp(s->dev[i].name, dev) && s->dev[i].bond)
			return true;
	for (size_t i = 0; i < s->natt; i++)
		if (!strcmp(s->att[i].dev, dev) && s->att[i].vlan >= 0)
			return true;
	return false;
}

int rhv_ns_dev_mtu(const struct rhv_ns_state *s, const char *dev)
{
	int mtu = 0;

	for (size_t i = 0; i < s->natt; i++)
		if (!strcmp(s->att[i].dev, dev) && s->att[i].mtu > mtu)
			mtu = s->att[i].mtu;
	return mtu ? mtu : RHV_NS_DEFAULT_MTU;
}

static int check(const struct rhv_ns_state *s, struct rhv_error *err)
{
	for (size_t i = 0; i < s->natt; i++) {
		const struct rhv_ns_att *a = &s->att[i];
		const struct rhv_ns_dev *d = NULL;
		char port[32];

		for (size_t k = 0; k < s->ndev; k++)
			if (!strcmp(s->dev[k].name, a->dev))
				d = &s->dev[k];
		if (!d)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "network '%s' is on '%s', which the host lacks",
					     a->net, a->dev);
		if (d->master[0])
			return RULE(err, "device", "network '%s' is on NIC '%s', which is in bond '%s'", a->net, a->dev,
				    d->master);
		if (a->vm && !ifname_ok(a->net))
			return RULE(err, "name",
				    "VM network '%s' needs a bridge of its name, and that is not a valid interface "
				    "name (1-15 characters, no '/', ':' or blank)",
				    a->net);
		snprintf(port, sizeof(port), "ob-%s", a->dev);
		if (rhv_ns_dev_uses_ovs(s, a->dev) && strlen(port) >= RHV_NS_IFNAME)
			return RULE(err, "name", "device name '%s' is too long for its Open vSwitch bridge '%s'", a->dev,
				    port);
		snprintf(port, sizeof(port), "%s.%d", a->dev, a->vlan >= 0 ? a->vlan : 0);
		if (rhv_ns_dev_uses_ovs(s, a->dev) && strlen(port) + 1 >= RHV_NS_IFNAME)
			return RULE(err, "name", "device name '%s' is too long for its VLAN port '%s'", a->dev, port);
		if (d->bond && a->vm && (d->mode == 0 || d->mode == 5 || d->mode == 6))
			return RULE(err, "bond-mode",
				    "bond '%s' has mode %d, which VM networks cannot use (modes 0, 5 and 6 are for "
				    "non-VM networks only): '%s' is a VM network",
				    d->name, d->mode, a->net);
		for (size_t k = 0; k < s->natt; k++) {
			const struct rhv_ns_att *b = &s->att[k];

			if (k == i || strcmp(b->dev, a->dev))
				continue;
			if (k > i && a->vlan < 0 && b->vlan < 0)
				return RULE(err, "one-untagged",
					    "'%s' would carry two networks without a VLAN, '%s' and '%s'", a->dev,
					    a->net, b->net);
			if (k > i && a->vlan >= 0 && a->vlan == b->vlan)
				return RULE(err, "one-vlan", "'%s' would carry VLAN %d twice, for '%s' and '%s'", a->dev,
					    a->vlan, a->net, b->net);
			if (a->vlan < 0 && b->vlan >= 0 && b->mtu > a->mtu)
				return RULE(err, "mtu",
					    "VLAN network '%s' (MTU %d) is above the MTU of '%s' (%d), the untagged "
					    "network of its device '%s'",
					    b->net, b->mtu, a->net, a->mtu, a->dev);
		}
	}
	return 0;
}

size_t rhv_ns_adopt(const struct rhv_ns_state *cur, const struct rhv_ns_state *host, const struct rhv_ns_def *defs,
		    size_t ndefs, struct rhv_ns_state *out)
{
	size_t n = 0;

	*out = *cur;
	if (cur->natt)
		return 0;
	for (size_t i = 0; i < host->natt; i++) {
		const struct rhv_ns_att *a = &host->att[i];
		const struct rhv_ns_def *d = find_def(defs, ndefs, a->net);

		if (d && d->attached && find_dev(out, a->dev) && !find_att(out, a->net) && out->natt < RHV_NS_MAX)
			out->att[out->natt++] = *a, n++;
	}
	for (size_t i = 0; i < host->ndev; i++) {
		struct rhv_ns_dev *d = find_dev(out, host->dev[i].name);

		if (d && !d->labels[0] && host->dev[i].labels[0])
			snprintf(d->labels, sizeof(d->labels), "%s", host->dev[i].labels), n++;
	}
	return n;
}

int rhv_ns_plan(const struct rhv_ns_state *cur, const struct rhv_ns_def *defs, size_t ndefs,
		const struct rhv_ns_change *ch, size_t nch, struct rhv_ns_state *out, struct rhv_error *err)
{
	*out = *cur;
	for (size_t i = 0; i < nch; i++) {
		const struct rhv_ns_change *c = &ch[i];
		const struct rhv_ns_def *d;
		struct rhv_ns_att *a;
		int rc = 0;

		switch (c->op) {
		case RHV_NS_ATTACH:
			d = find_def(defs, ndefs, c->a);
			rc = d ? attach(out, d, c->b, err)
			       : rhv_error_set(err, RHV_EXIT_NOTFOUND, "cannot find network '%s'", c->a);
			break;
		case RHV_NS_DETACH:
			a = find_att(out, c->a);
			if (a)
				detach(out, a);
			else
				rc = rhv_error_set(err, RHV_EXIT_NOTFOUND, "network '%s' is not on the host", c->a);
			break;
		case RHV_NS_BOND:
			rc = bond(out, c, err);
			break;
		case RHV_NS_UNBOND:
			rc = unbond(out, c->a, err);
			break;
		case RHV_NS_LABEL:
		case RHV_NS_UNLABEL:
			rc = label(out, c, err);
			break;
		case RHV_NS_SYNC:
			for (size_t k = 0; k < out->natt; k++)
				if ((d = find_def(defs, ndefs, out->att[k].net)))
					from_def(&out->att[k], d);
			break;
		}
		if (rc < 0)
			return -1;
	}
	if (follow_labels(cur, out, defs, ndefs, err) < 0)
		return -1;
	return check(out, err);
}
