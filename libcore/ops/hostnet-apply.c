/*
 * Host network setup (rhv-net host-setup): the plan (policy/netsetup.c)
 * from what the host shows and the store knows, then on the host as one
 * transaction, as vdsm's setupNetworks with rollback: the host script
 * applies it and waits for a confirmation that must come over a new SSH
 * connection to the management address; without it the host restores its
 * previous configuration by itself.  The store changes only once the
 * host confirmed.
 */
#include "rhv/common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ops/hostnet-priv.h"
#include "rhv/cleanup.h"
#include "rhv/event.h"
#include "rhv/settings.h"
#include "store/hostnet.h"
#include "store/txn.h"

static void token(char out[33])
{
	unsigned char b[16] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, b, sizeof(b)) != (ssize_t)sizeof(b)) {
		unsigned v = (unsigned)time(NULL) ^ (unsigned)getpid();

		memcpy(b, &v, sizeof(v));
	}
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* The management network's address, the first time it is set up: where the host has its SSH address now. */
static void mgmt_address(struct rhv_ns_state *s, const struct rhv_ns_def *defs, size_t ndefs,
			 const struct rhv_host_nic_list *nics, const char *ssh_address)
{
	size_t len = ssh_address ? strlen(ssh_address) : 0;

	for (size_t i = 0; i < s->natt; i++) {
		struct rhv_ns_att *a = &s->att[i];
		bool mgmt = false;

		for (size_t k = 0; k < ndefs; k++)
			mgmt |= defs[k].mgmt && !strcmp(defs[k].name, a->net);
		if (!mgmt || a->address[0] || !len)
			continue;
		for (size_t k = 0; k < nics->n; k++)
			for (char *p = nics->items[k].addresses; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : "")
				if (!strncmp(p, ssh_address, len) && p[len] == '/')
					snprintf(a->address, sizeof(a->address), "%.*s",
						 (int)(strchr(p, ',') ? (size_t)(strchr(p, ',') - p) : strlen(p)), p);
	}
}

struct save_txn {
	const struct rhv_hostnet_host *h;
	const struct rhv_ns_state *st;
	const char *summary;
};

static int save_txn(struct rhv_db *db, void *arg, struct rhv_error *err)
{
	struct save_txn *t = arg;
	struct rhv_hostnet_host locked;

	if (rhv_db_hostnet_host(db, t->h->id, true, &locked, err) < 0 || rhv_db_hostnet_save(db, t->h->id, t->st, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_NORMAL, "host", t->h->id, t->h->name, "network-setup", err,
			     "network setup of host '%s' applied and confirmed: %s", t->h->name, t->summary);
}

static char *last_line(const char *s)
{
	const char *end = s ? s + strlen(s) : NULL, *b;
	char *l;

	if (!s)
		return rhv_xstrdup("");
	while (end > s && end[-1] == '\n')
		end--;
	for (b = end; b > s && b[-1] != '\n'; b--)
		;
	l = rhv_xmalloc((size_t)(end - b) + 1);
	memcpy(l, b, (size_t)(end - b));
	l[end - b] = '\0';
	return l;
}

static char *first_line(const char *s)
{
	size_t n = s ? strcspn(s, "\n") : 0;
	char *l = rhv_xmalloc(n + 1);

	memcpy(l, s ? s : "", n);
	l[n] = '\0';
	return l;
}

/* Confirm over new connections until the deadline: 1 confirmed, 0 refused (rolled back), -1 never reached. */
static int confirm(const struct rhv_fence_pm *pm, const char *tok, time_t deadline, char **why)
{
	do {
		struct rhv_hostnet_run run;
		struct rhv_error e2 = { 0 };
		int rc = -1;

		if (rhv_hostnet_ssh(pm, "confirm", tok, 0, NULL, 30, &run, &e2) < 0)
			return *why = rhv_xstrdup(e2.message), -1;
		if (run.status == 0 && run.out && !strncmp(run.out, "committed", 9))
			rc = 1;
		else if (run.status != 255 && !run.timed_out)
			rc = 0;
		free(*why);
		*why = last_line(rc == 0 ? run.out : run.errout);
		rhv_hostnet_run_clear(&run);
		if (rc >= 0)
			return rc;
		sleep(1);
	} while (time(NULL) < deadline);
	return -1;
}

static int setup(struct rhv_db *db, const struct rhv_hostnet_setup *s, const struct rhv_hostnet_host *h,
		 const struct rhv_fence_pm *pm, char **config, struct rhv_error *err)
{
	_cleanup_free_ struct rhv_ns_def *defs = NULL;
	_cleanup_free_ char *why = NULL;
	_cleanup_free_ char *summary = NULL;
	struct rhv_host_nic_list nics = { 0 };
	struct rhv_ns_state cur, want;
	struct rhv_settings st;
	struct rhv_hostnet_run run = { 0 };
	size_t ndefs;
	char tok[33];
	int timeout = s->timeout, rc = -1;
	time_t start;

	if (rhv_hostnet_read(pm, h, db, err) < 0 || rhv_host_nic_list(db, h->id, &nics, err) < 0 ||
	    rhv_db_hostnet_defs(db, h->id, &defs, &ndefs, err) < 0 || rhv_db_hostnet_state(db, h->id, &cur, err) < 0 ||
	    rhv_ns_plan(&cur, defs, ndefs, s->changes, s->n, &want, err) < 0)
		goto out;
	mgmt_address(&want, defs, ndefs, &nics, pm->ssh_address);
	*config = rhv_hostnet_config_render(&want, &nics);
	if (s->dry_run) {
		rc = 0;
		goto out;
	}
	if (!timeout) {
		if (rhv_settings_load(db, &st, err) < 0)
			goto out;
		timeout = (int)st.v[RHV_SET_NETWORK_CHECK_TIMEOUT];
	}
	token(tok);
	start = time(NULL);
	if (rhv_hostnet_ssh(pm, "apply", tok, timeout, *config, timeout + 30, &run, err) < 0)
		goto out;
	if (run.out && !strncmp(run.out, "failed", 6)) {
		_cleanup_free_ char *l = first_line(run.out);

		rhv_error_set(err, RHV_EXIT_FAILED, "host '%s' could not apply the network setup (%s); it is back to its "
			      "previous configuration", h->name, l);
		goto out;
	}
	if (run.status == 0 && !run.out) {
		rhv_error_set(err, RHV_EXIT_FAILED, "host '%s' did not run the network setup", h->name);
		goto out;
	}
	/* a cut session is no answer: the confirmation on a new connection decides */
	switch (confirm(pm, tok, start + timeout, &why)) {
	case 1:
		break;
	case 0:
		/* reached again only after the host gave up waiting: it was cut off */
		if (why && strstr(why, "no confirmation"))
			rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
				      "host '%s' did not answer on its management address %s within %d s of the network "
				      "setup: it has rolled back to its previous configuration",
				      h->name, pm->ssh_address, timeout);
		else
			rhv_error_set(err, RHV_EXIT_FAILED, "network setup of host '%s' was rolled back on the host: %s",
				      h->name, why ? why : "");
		goto out;
	default:
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
			      "host '%s' did not answer on its management address %s within %d s of the network setup; "
			      "it restores its previous configuration by itself",
			      h->name, pm->ssh_address, timeout);
		if (why && *why)
			rhv_error_detail(err, "last SSH error: %s", why);
		goto out;
	}
	for (size_t i = 0; i < s->n; i++)
		rhv_xappendf(&summary, ", ", "%s %s%s%s",
			     (const char *[]){ "attach", "detach", "bond", "unbond", "label", "unlabel",
					       "sync" }[s->changes[i].op],
			     s->changes[i].a, s->changes[i].b[0] || s->changes[i].slaves[0] ? " " : "",
			     s->changes[i].op == RHV_NS_BOND ? s->changes[i].slaves : s->changes[i].b);
	if (rhv_db_txn(db, save_txn, &(struct save_txn){ h, &want, summary ? summary : "labels followed" }, err) < 0)
		goto out;
	/* the store now says what the host shows: read it back */
	rc = rhv_hostnet_read(pm, h, db, err);
out:
	rhv_hostnet_run_clear(&run);
	rhv_host_nic_list_clear(&nics);
	return rc;
}

int rhv_hostnet_setup(struct rhv_db *db, const struct rhv_hostnet_setup *s, char **config, struct rhv_error *err)
{
	struct rhv_hostnet_host h;
	struct rhv_fence_pm pm;
	struct rhv_error e2 = { 0 };
	bool got = false;
	int rc;

	*config = NULL;
	memset(&pm, 0, sizeof(pm));
	if (rhv_db_hostnet_host(db, s->host, false, &h, err) < 0 || rhv_fence_pm_get(db, h.name, &pm, err) < 0) {
		rhv_fence_pm_clear(&pm);
		return -1;
	}
	/* one setup per host at a time */
	if (rhv_db_try_lock(db, "hostnet", h.id, true, &got, err) < 0) {
		rhv_fence_pm_clear(&pm);
		return -1;
	}
	if (!got) {
		rhv_fence_pm_clear(&pm);
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "another network setup of host '%s' is running", h.name);
	}
	rc = setup(db, s, &h, &pm, config, err);
	rhv_db_try_lock(db, "hostnet", h.id, false, &got, &e2);
	rhv_fence_pm_clear(&pm);
	return rc;
}
