/*
 * Network labels applied at once (rhv/netlabel.h, reference 3.9): the
 * hosts a label change concerns, each brought to what its labels say by a
 * host network setup of its own (ops/hostnet-apply.c), so that one host
 * that fails rolls back alone and the others keep what they confirmed.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/hostnet.h"
#include "rhv/netlabel.h"
#include "store/netlabel.h"

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/*
 * What host h needs: 1 set up on *dev (its labels followed by the plan), 2
 * taken off *dev (an explicit detach), 0 nothing.
 */
static int need(const struct rhv_net_follow *f, const struct rhv_db_label_host *h, const char **dev)
{
	bool labelled = f->label && *f->label;

	if (f->detach) {
		*dev = h->cur_dev;
		return labelled && same(h->cur_dev, h->label_dev) ? 2 : 0;
	}
	if (labelled && h->label_dev) {
		*dev = h->label_dev;
		return same(h->cur_dev, h->label_dev) ? 0 : 1;
	}
	*dev = h->cur_dev;
	return f->old_label && *f->old_label && same(h->cur_dev, h->old_dev) ? 2 : 0;
}

int rhv_net_follow_label(struct rhv_db *db, const struct rhv_net_follow *f, struct rhv_net_follow_result *out,
			 struct rhv_error *err)
{
	struct rhv_db_label_hosts hosts;

	memset(out, 0, sizeof(*out));
	if (rhv_db_label_hosts(db, f->network_id, f->label, f->old_label, f->cluster, &hosts, err) < 0)
		return -1;
	out->items = rhv_xcalloc(hosts.n + 1, sizeof(*out->items));
	for (size_t i = 0; i < hosts.n; i++) {
		const struct rhv_db_label_host *h = &hosts.items[i];
		struct rhv_net_follow_host *r = &out->items[out->n];
		struct rhv_ns_change ch = { .op = RHV_NS_DETACH };
		struct rhv_hostnet_setup s = { .host = h->id, .changes = &ch };
		struct rhv_error e = { 0 };
		_cleanup_free_ char *config = NULL;
		const char *dev = NULL;
		int what = need(f, h, &dev);

		if (!what)
			continue;
		snprintf(ch.a, sizeof(ch.a), "%s", f->network);
		s.n = what == 2;
		r->host = rhv_xstrdup(h->name);
		r->device = rhv_xstrdup(dev ? dev : "");
		r->attached = what == 1;
		r->ok = rhv_hostnet_setup(db, &s, &config, &e) == 0;
		if (!r->ok) {
			size_t len = strlen(e.message);

			/* ssh's own line end (\r\n) says nothing */
			while (len && strchr("\r\n ", e.message[len - 1]))
				len--;
			e.message[len] = '\0';
			r->error = rhv_xstrdup(e.message);
			out->failed++;
		}
		out->n++;
	}
	rhv_db_label_hosts_clear(&hosts);
	if (!out->failed)
		return 0;
	rhv_error_set(err, RHV_EXIT_PARTIAL, "network '%s' did not follow its label on %zu of %zu hosts", f->network,
		      out->failed, out->n);
	{
		_cleanup_free_ char *detail = NULL;

		for (size_t i = 0; i < out->n; i++)
			if (!out->items[i].ok)
				rhv_xappendf(&detail, "; ", "host '%s': %s", out->items[i].host, out->items[i].error);
		rhv_error_detail(err, "%s", detail);
	}
	rhv_error_hint(err, "the hosts that failed kept their previous configuration; fix them and run rhv-net "
			    "host-setup HOST, which follows the labels");
	return -1;
}

void rhv_net_follow_result_clear(struct rhv_net_follow_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].host);
		free(r->items[i].device);
		free(r->items[i].error);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}
