/* Required networks and a host's state (ops/netstate.h). */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/netstate.h"
#include "rhv/netfit.h"
#include "rhv/progress.h"
#include "rhv/vmops.h"
#include "store/host.h"
#include "store/txn.h"
#include "store/vmnet.h"

int rhv_host_net_misfit(struct rhv_db *db, const char *host_id, const char **why, char *buf, size_t len,
			struct rhv_error *err)
{
	struct rhv_db_host_nets hn;
	char **req = NULL;
	size_t n = 0;
	int rc = -1;

	*why = NULL;
	if (rhv_db_host_nets(db, host_id, &hn, err) < 0)
		return -1;
	if (hn.pub.known && rhv_db_host_required_nets(db, host_id, &req, &n, err) < 0)
		goto out;
	*why = rhv_netfit_missing(&hn.pub, (const char *const *)req, n, false, true, buf, len);
	rc = 0;
out:
	rhv_db_names_free(req, n);
	rhv_db_host_nets_clear(&hn);
	return rc;
}

struct judge {
	const char *host_id;
	char name[256];
	char why[512];   /* out: the reason, "" when it has its networks */
	const char *now; /* out: the state it was moved to, NULL when unchanged */
	bool evict;      /* out: NonOperational for a network */
};

static int judge_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct judge *j = arg;
	struct rhv_host h;
	char buf[512];
	const char *why;
	int rc = -1;

	j->evict = false;
	j->now = NULL;
	j->why[0] = '\0';
	if (rhv_db_host_lock(db, j->host_id, &h, err) < 0)
		return -1;
	snprintf(j->name, sizeof(j->name), "%s", h.name);
	if (rhv_host_net_misfit(db, h.id, &why, buf, sizeof(buf), err) < 0)
		goto out;
	if (why)
		snprintf(j->why, sizeof(j->why), "%s", why);
	rc = 0;
	if (why && !strcmp(h.state, RHV_HOST_UP)) {
		j->now = RHV_HOST_NONOPERATIONAL;
		j->evict = true;
	} else if (why && !strcmp(h.state, RHV_HOST_NONOPERATIONAL) && rhv_netfit_is_required_reason(h.state_reason)) {
		j->now = strcmp(h.state_reason, why) ? RHV_HOST_NONOPERATIONAL : NULL; /* another network now */
		j->evict = true;
	} else if (!why && !strcmp(h.state, RHV_HOST_NONOPERATIONAL) && rhv_netfit_is_required_reason(h.state_reason)) {
		/* only a network put it there: its CPU fitted then, and facts change only on activate */
		j->now = RHV_HOST_UP;
		snprintf(j->why, sizeof(j->why), "it has its cluster's required networks again");
	}
	if (j->now)
		rc = rhv_db_host_set_state(db, &h, j->now, j->why, err);
out:
	rhv_host_clear(&h);
	return rc;
}

int rhv_host_net_enforce(struct rhv_db *db, const struct rhv_host *h, const struct rhv_progress *p,
			 struct rhv_error *err)
{
	struct judge j = { .host_id = h->id };
	const char *host_id = h->id;
	char **vms = NULL, buf[512];
	const char *why;
	size_t n = 0;

	/* most hosts, most of the time: nothing to judge, and no lock taken for it */
	if (rhv_host_net_misfit(db, h->id, &why, buf, sizeof(buf), err) < 0)
		return -1;
	if (!why && !(h->state && !strcmp(h->state, RHV_HOST_NONOPERATIONAL) &&
		      rhv_netfit_is_required_reason(h->state_reason)))
		return 0;

	if (rhv_db_txn(db, judge_txn, &j, err) < 0)
		return -1;
	if (j.now && !strcmp(j.now, RHV_HOST_UP))
		rhv_progress_note(p, "host '%s' is Up: %s", j.name, j.why);
	else if (j.now)
		rhv_progress_warn(p, "host '%s' is NonOperational: %s", j.name, j.why);
	if (!j.evict)
		return 0;
	if (rhv_db_host_vm_names(db, host_id, &vms, &n, err) < 0)
		return -1;
	/* one at a time, the lowest CPU use first, as maintenance moves them (reference 3.12, 5.9) */
	for (size_t i = 0; i < n; i++) {
		struct rhv_error e = { 0 };

		if (rhv_vm_migrate(db, vms[i], NULL, NULL, p, &e) < 0 && e.detail[0])
			rhv_progress_warn(p, "VM '%s' cannot leave NonOperational host '%s': %s (%s)", vms[i], j.name,
					  e.message, e.detail);
		else if (e.code)
			rhv_progress_warn(p, "VM '%s' cannot leave NonOperational host '%s': %s", vms[i], j.name,
					  e.message);
	}
	rhv_db_names_free(vms, n);
	return 0;
}
