/*
 * Power actions through fence agents run on a proxy (reference 4.2-4.6):
 * the flow behind rhv-fence status, start, stop, restart and test.  The
 * rules come from policy/fence.c, the rows from store/fence.c; the agents
 * run as children (util/spawn.c), locally or over ssh, and take their
 * options and password on standard input only.
 */
#include "rhv/common.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "store/fence.h"
#include "store/txn.h"
#include "rhv/event.h"
#include "rhv/fence-policy.h"
#include "rhv/fence.h"
#include "rhv/host.h"
#include "rhv/progress.h"
#include "rhv/settings.h"
#include "rhv/spawn.h"
#include "rhv/spmops.h"

#define SSH_UNREACHABLE 255 /* ssh's own exit status: it never reached the proxy */
#define INSTALLED_HELPERS "/usr/libexec/rhv"

struct run {
	struct rhv_db *db;
	const struct rhv_progress *p;
	unsigned flags;
	struct rhv_fence_pm pm;
	struct rhv_fence_agent_list agents;
	const struct rhv_fence_type **types;
	char **pw;
	struct rhv_fence_pm_list hosts; /* candidates for proxy, same index */
	size_t *proxies, nproxies, cur;
	size_t *idx, *gend, ngroups;
	struct rhv_settings st;
	char *helper;
	struct rhv_fence_report *rep;
	char *failure;   /* what the last failed agent run said, for the event */
	char *used;      /* the agents of the last group that succeeded */
	char *unreached; /* the proxies that could not be reached, with why */
};

void rhv_fence_report_clear(struct rhv_fence_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct rhv_fence_step *s = &r->steps[i];

		free(s->proxy);
		free(s->agent_desc);
		free(s->operation);
		free(s->result);
		free(s->message);
		free(s->command);
		free(s->input);
	}
	free(r->steps);
	free(r->power);
	memset(r, 0, sizeof(*r));
}

/* Where the helpers are: bin/helpers beside this binary (the build tree), else the installed place. */
static char *helpers_dir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat sb;

	if (n > 0) {
		char *dir;

		exe[n] = 0;
		dir = rhv_xasprintf("%s/helpers", dirname(exe));
		if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
			return dir;
		free(dir);
	}
	return rhv_xstrdup(INSTALLED_HELPERS);
}

static const char *op_name(enum rhv_fence_op op)
{
	return op == RHV_FENCE_OP_ON ? "on" : op == RHV_FENCE_OP_OFF ? "off" : "status";
}

static char *desc_of(const struct rhv_fence_agent *a)
{
	return a->port ? rhv_xasprintf("%s %s:%d", a->type, a->address, a->port)
		       : rhv_xasprintf("%s %s", a->type, a->address);
}

static const char *proxy_name(const struct run *r, size_t k)
{
	if (k >= r->nproxies)
		return "none";
	return r->proxies[k] == RHV_FENCE_PROXY_LOCAL ? "local" : r->hosts.items[r->proxies[k]].host;
}

/* A new step at the report's end; the array moves: hold its index, not the pointer, across calls. */
static size_t add_step(struct run *r, const char *proxy, const struct rhv_fence_agent *a, enum rhv_fence_op op)
{
	struct rhv_fence_step *s;

	r->rep->steps = rhv_xrealloc(r->rep->steps, (r->rep->n + 1) * sizeof(*s));
	s = &r->rep->steps[r->rep->n++];
	memset(s, 0, sizeof(*s));
	s->proxy = rhv_xstrdup(proxy);
	s->agent = a->idx;
	s->agent_desc = desc_of(a);
	s->operation = rhv_xstrdup(op_name(op));
	s->rc = -1;
	return r->rep->n - 1;
}

/* The argv running agent i on proxy k; NULL when the proxy cannot be reached at all (why in *why). */
static char **agent_argv(const struct run *r, size_t i, size_t k, char **why)
{
	_cleanup_free_ char *cmd = rhv_fence_shell_command(r->types[i]);
	const struct rhv_fence_pm *h;

	if (r->proxies[k] == RHV_FENCE_PROXY_LOCAL) {
		char **v = rhv_xcalloc(4, sizeof(char *));

		v[0] = rhv_xstrdup("/bin/sh");
		v[1] = rhv_xstrdup("-c");
		v[2] = TAKE_PTR(cmd);
		return v;
	}
	h = &r->hosts.items[r->proxies[k]];
	if (!h->ssh_address) {
		*why = rhv_xasprintf("proxy '%s' has no SSH address (rhv-fence setup %s --ssh-address ...)", h->host,
				     h->host);
		return NULL;
	}
	return rhv_fence_ssh_argv(&(struct rhv_fence_ssh){ .address = h->ssh_address, .port = h->ssh_port,
							   .user = h->ssh_user, .key = h->ssh_key,
							   .known_hosts = h->ssh_known_hosts, .connect_timeout = 10 },
				  cmd);
}

/* Agent i's standard input: the password line, then the options; masked for a dry run. */
static char *agent_input(const struct run *r, size_t i, enum rhv_fence_op op, bool mask)
{
	const struct rhv_fence_agent *a = &r->agents.items[i];
	const char *pw = mask ? (a->has_password ? "***" : NULL) : r->pw[i];
	_cleanup_free_ char *helper = rhv_xasprintf("%s/rhv-ipmitool", r->helper);
	struct rhv_fence_call c = {
		.type = r->types[i], .action = op_name(op), .address = a->address, .port = a->port, .user = a->user,
		.password = pw, .ipmitool_path = helper, .options = a->options,
	};
	_cleanup_free_ char *lines = rhv_fence_stdin_lines(&c, mask);

	return rhv_xasprintf("%s\n%s", pw ? pw : "", lines);
}

/* The last non-empty line of what an agent said, without the password, at most 300 bytes. */
static char *last_line(const char *text, const char *pw)
{
	const char *end = text + strlen(text), *start;
	char *line, *hit;

	while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	start = end;
	while (start > text && start[-1] != '\n')
		start--;
	if (start == end)
		return NULL;
	/* the agents' log prefix "2026-12-04 13:53:11,305 ": a time is not the message */
	if (end - start > 24 && start[4] == '-' && start[7] == '-' && start[10] == ' ' && start[13] == ':' &&
	    start[19] == ',' && start[23] == ' ')
		start += 24;
	line = rhv_xasprintf("%.*s", (int)(end - start > 300 ? 300 : end - start), start);
	while (pw && *pw && (hit = strstr(line, pw)))
		memset(hit, '*', strlen(pw));
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	return line;
}

enum group_result { GROUP_FAILED, GROUP_OK, GROUP_PROXY_DOWN };

/* Run the agents of group g for op on proxy k, concurrently. */
static enum group_result run_group(struct run *r, size_t g, enum rhv_fence_op op, size_t k,
				   enum rhv_fence_outcome *outcome)
{
	size_t from = g ? r->gend[g - 1] : 0, n = r->gend[g] - from, unreachable = 0;
	struct rhv_spawn sp[n];
	struct rhv_spawn *spp[n];
	char **argv[n];
	enum rhv_fence_result res[n];
	size_t step[n];
	size_t started = 0;
#define STEP(j) (&r->rep->steps[step[j]])

	memset(sp, 0, sizeof(sp));
	for (size_t j = 0; j < n; j++) {
		size_t i = r->idx[from + j];
		char *why = NULL;

		res[j] = RHV_FENCE_RES_FAILED;
		step[j] = add_step(r, proxy_name(r, k), &r->agents.items[i], op);
		argv[j] = agent_argv(r, i, k, &why);
		spp[j] = &sp[j];
		if (!argv[j]) {
			STEP(j)->result = rhv_xstrdup("unreachable");
			STEP(j)->message = why;
			unreachable++;
			continue;
		}
		sp[j].argv = argv[j];
		sp[j].input = agent_input(r, i, op, false);
		if (rhv_spawn_start(&sp[j], &(struct rhv_error){ 0 }) < 0) {
			STEP(j)->result = rhv_xstrdup("failed");
			STEP(j)->message = rhv_xstrdup("cannot start the agent");
		} else {
			started++;
		}
		free(sp[j].input); /* wiped by rhv_spawn_start */
		sp[j].input = NULL;
	}
	if (started) {
		struct rhv_spawn *running[n];
		size_t m = 0;

		for (size_t j = 0; j < n; j++)
			if (argv[j] && sp[j].running)
				running[m++] = &sp[j];
		rhv_spawn_wait(running, m, (int)r->st.v[RHV_SET_FENCE_AGENT_TIMEOUT] * 1000);
	}
	for (size_t j = 0; j < n; j++) {
		size_t i = r->idx[from + j];

		if (!argv[j])
			continue;
		if (!STEP(j)->result) {
			STEP(j)->rc = sp[j].status;
			STEP(j)->seconds = sp[j].seconds;
			if (sp[j].timed_out) {
				STEP(j)->result = rhv_xstrdup("failed");
				STEP(j)->message = rhv_xasprintf("no answer within %lld s: killed",
								  (long long)r->st.v[RHV_SET_FENCE_AGENT_TIMEOUT]);
			} else if (sp[j].status == SSH_UNREACHABLE && r->proxies[k] != RHV_FENCE_PROXY_LOCAL) {
				STEP(j)->result = rhv_xstrdup("unreachable");
				STEP(j)->message = last_line(sp[j].errout, r->pw[i]);
				unreachable++;
			} else {
				res[j] = rhv_fence_result_of(op, sp[j].status);
				STEP(j)->result = rhv_xstrdup(res[j] == RHV_FENCE_RES_ON	 ? "on"
							       : res[j] == RHV_FENCE_RES_OFF ? "off"
							       : res[j] == RHV_FENCE_RES_DONE ? "done"
											      : "failed");
				if (res[j] == RHV_FENCE_RES_FAILED) {
					STEP(j)->message = last_line(sp[j].errout, r->pw[i]);
					if (!STEP(j)->message)
						STEP(j)->message = last_line(sp[j].out, r->pw[i]);
					if (!STEP(j)->message)
						STEP(j)->message = rhv_xasprintf("exit status %d", sp[j].status);
				}
			}
		}
		rhv_spawn_clear(&sp[j]);
		rhv_fence_argv_free(argv[j]);
		if (res[j] == RHV_FENCE_RES_FAILED && STEP(j)->message) {
			free(r->failure);
			r->failure = rhv_xasprintf("agent %d (%s) via proxy '%s': %s", STEP(j)->agent, STEP(j)->agent_desc,
						   STEP(j)->proxy, STEP(j)->message);
		}
	}
	(void)spp;
	if (unreachable == n)
		return GROUP_PROXY_DOWN;
	*outcome = rhv_fence_combine(op, res, n);
	if (*outcome == RHV_FENCE_FAILED)
		return GROUP_FAILED;
	free(r->used);
	r->used = NULL;
	for (size_t j = 0; j < n; j++)
		if (res[j] != RHV_FENCE_RES_FAILED)
			rhv_xappendf(&r->used, " and ", "agent %d (%s)", STEP(j)->agent, STEP(j)->agent_desc);
	rhv_xappendf(&r->used, "", " via proxy '%s'", proxy_name(r, k));
	return GROUP_OK;
#undef STEP
}

/* The current proxy could not be reached (the report's last step says why): say so, move to the next. */
static void proxy_down(struct run *r)
{
	const struct rhv_fence_step *s = &r->rep->steps[r->rep->n - 1];
	const char *name = proxy_name(r, r->cur);
	const char *why = s->message ? s->message : "no answer";
	struct rhv_error e2 = { 0 };

	rhv_xappendf(&r->unreached, "; ", "%s: %s", name, why);
	r->cur++;
	if (rhv_event_add(r->db, RHV_SEV_WARNING, "host", r->pm.host_id, r->pm.host, "fence-proxy", &e2,
			  "fence of host '%s': proxy '%s' could not be reached, %s: %s", r->pm.host, name,
			  r->cur < r->nproxies ? "trying the next" : "no proxy left", why) < 0)
		rhv_progress_warn(r->p, "cannot record the event: %s", e2.message);
	rhv_progress_note(r->p, "proxy '%s' cannot be reached; %s", name,
			  r->cur < r->nproxies ? "trying the next" : "no proxy left");
}

/* One operation: groups in order, the next group when one fails, the next proxy when one is unreachable. */
static enum rhv_fence_outcome run_op(struct run *r, enum rhv_fence_op op)
{
	enum rhv_fence_outcome out = RHV_FENCE_FAILED;

	for (size_t g = 0; g < r->ngroups; g++) {
		enum group_result gr = GROUP_PROXY_DOWN;

		while (r->cur < r->nproxies && (gr = run_group(r, g, op, r->cur, &out)) == GROUP_PROXY_DOWN)
			proxy_down(r);
		if (gr == GROUP_OK)
			return out;
		if (r->cur >= r->nproxies) {
			free(r->failure);
			r->failure = rhv_xasprintf("%s", r->unreached ? r->unreached : "no proxy left");
			return RHV_FENCE_FAILED;
		}
	}
	return RHV_FENCE_FAILED;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		;
}

/* After a stop or start: status until it says want, FenceStopStatusRetries times. */
static bool wait_power(struct run *r, enum rhv_fence_outcome want)
{
	for (int64_t i = 0; i < r->st.v[RHV_SET_FENCE_STOP_STATUS_RETRIES]; i++) {
		if (i)
			sleep_ms(r->st.v[RHV_SET_FENCE_STOP_STATUS_DELAY_MS]);
		if (run_op(r, RHV_FENCE_OP_STATUS) == want)
			return true;
		if (r->cur >= r->nproxies)
			return false;
	}
	return false;
}

static const char *action_name(enum rhv_fence_action a)
{
	return a == RHV_FENCE_START ? "start" : a == RHV_FENCE_STOP ? "stop" : a == RHV_FENCE_RESTART ? "restart" : "status";
}

static int failed(struct run *r, enum rhv_fence_action a, const char *what, struct rhv_error *err)
{
	struct rhv_error e2 = { 0 };
	const char *why = r->failure ? r->failure : "no agent answered";
	bool no_proxy = r->cur >= r->nproxies;

	if (no_proxy)
		what = "(no proxy could be reached)";
	if (rhv_event_add(r->db, RHV_SEV_ERROR, "host", r->pm.host_id, r->pm.host, "fence-failed", &e2,
			  "fence %s of host '%s' failed%s%s: %s", action_name(a), r->pm.host, what ? " " : "",
			  what ? what : "", why) < 0)
		rhv_progress_warn(r->p, "cannot record the event: %s", e2.message);
	rhv_error_set(err, no_proxy ? RHV_EXIT_UNAVAILABLE : RHV_EXIT_FAILED, "fence %s of host '%s' failed%s%s",
		      action_name(a), r->pm.host, what ? " " : "", what ? what : "");
	rhv_error_detail(err, "%s", why);
	if (!no_proxy)
		rhv_error_hint(err, "check the agents' addresses, users and passwords: rhv-fence test %s", r->pm.host);
	else if (!strstr(r->pm.proxies, "local"))
		rhv_error_hint(err, "check the proxies' SSH access (rhv-fence list -c host,state,ssh_address,ssh_port), "
				    "or allow this machine as the last proxy: rhv-fence setup %s --proxies %s,local",
			       r->pm.host, r->pm.proxies);
	return -1;
}

static int done_event(struct run *r, const char *action, const char *what)
{
	struct rhv_error e2 = { 0 };

	if (rhv_event_add(r->db, RHV_SEV_WARNING, "host", r->pm.host_id, r->pm.host, action, &e2,
			  "host '%s' %s through %s", r->pm.host, what, r->used ? r->used : "its agents") < 0)
		rhv_progress_warn(r->p, "cannot record the event: %s", e2.message);
	rhv_progress_note(r->p, "host '%s' %s through %s", r->pm.host, what, r->used ? r->used : "its agents");
	return 0;
}

static int do_stop(struct run *r, struct rhv_error *err)
{
	if (run_op(r, RHV_FENCE_OP_OFF) != RHV_FENCE_DONE)
		return failed(r, RHV_FENCE_STOP, NULL, err);
	if (!wait_power(r, RHV_FENCE_OFF))
		return failed(r, RHV_FENCE_STOP, "(it never reported off)", err);
	free(r->rep->power);
	r->rep->power = rhv_xstrdup("off");
	done_event(r, "fence-stop", "powered off");
	if (!strcmp(r->pm.state, RHV_HOST_NONRESPONSIVE) || !strcmp(r->pm.state, RHV_HOST_CONNECTING) ||
	    !strcmp(r->pm.state, RHV_HOST_REBOOT))
		return rhv_host_fenced_off(r->db, r->pm.host, r->p, err);
	return 0;
}

static int do_start(struct run *r, struct rhv_error *err)
{
	if (run_op(r, RHV_FENCE_OP_ON) != RHV_FENCE_DONE)
		return failed(r, RHV_FENCE_START, NULL, err);
	if (!wait_power(r, RHV_FENCE_ON))
		return failed(r, RHV_FENCE_START, "(it never reported on)", err);
	free(r->rep->power);
	r->rep->power = rhv_xstrdup("on");
	done_event(r, "fence-start", "powered on");
	return 0;
}

static int do_status(struct run *r, struct rhv_error *err)
{
	enum rhv_fence_outcome o;

	if (!(r->flags & RHV_FENCE_EVERY_AGENT)) {
		o = run_op(r, RHV_FENCE_OP_STATUS);
		if (o == RHV_FENCE_FAILED)
			return failed(r, RHV_FENCE_STATUS, NULL, err);
		r->rep->power = rhv_xstrdup(o == RHV_FENCE_ON ? "on" : "off");
		return 0;
	}
	/* test: every agent on its own, each a group of one */
	{
		size_t ng = r->ngroups, *gend = r->gend, fails = 0;
		size_t one[r->agents.n];
		bool on = false, off = false;

		for (size_t i = 0; i < r->agents.n; i++)
			one[i] = i + 1;
		r->gend = one;
		r->ngroups = 1;
		for (size_t g = 0; g < r->agents.n; g++) {
			enum rhv_fence_outcome out = RHV_FENCE_FAILED;
			enum group_result gr = GROUP_PROXY_DOWN;

			while (r->cur < r->nproxies && (gr = run_group(r, g, RHV_FENCE_OP_STATUS, r->cur, &out)) ==
								  GROUP_PROXY_DOWN)
				proxy_down(r);
			if (gr != GROUP_OK)
				fails++;
			on = on || out == RHV_FENCE_ON;
			off = off || out == RHV_FENCE_OFF;
		}
		r->gend = gend;
		r->ngroups = ng;
		r->rep->power = rhv_xstrdup(on ? "on" : off && !fails ? "off" : "unknown");
		if (fails) {
			rhv_error_set(err, r->cur >= r->nproxies ? RHV_EXIT_UNAVAILABLE : RHV_EXIT_FAILED,
				      "power management test of host '%s': %zu of %zu agents failed", r->pm.host, fails,
				      r->agents.n);
			rhv_error_detail(err, "%s", r->cur >= r->nproxies && r->unreached ? r->unreached
							  : r->failure		       ? r->failure
										       : "");
			return -1;
		}
		return 0;
	}
}

/* The plan of a dry run: each operation through each agent on the first proxy, nothing run. */
static int plan(struct run *r, enum rhv_fence_action a)
{
	static const enum rhv_fence_op seq[][5] = {
		[RHV_FENCE_STATUS] = { RHV_FENCE_OP_STATUS, -1 },
		[RHV_FENCE_START] = { RHV_FENCE_OP_ON, RHV_FENCE_OP_STATUS, -1 },
		[RHV_FENCE_STOP] = { RHV_FENCE_OP_OFF, RHV_FENCE_OP_STATUS, -1 },
		[RHV_FENCE_RESTART] = { RHV_FENCE_OP_OFF, RHV_FENCE_OP_STATUS, RHV_FENCE_OP_ON, RHV_FENCE_OP_STATUS, -1 },
	};

	for (int o = 0; (int)seq[a][o] >= 0; o++)
		for (size_t pos = 0; pos < r->agents.n; pos++) {
			size_t i = r->idx[pos];
			size_t at = add_step(r, proxy_name(r, 0), &r->agents.items[i], seq[a][o]);
			struct rhv_fence_step *s = &r->rep->steps[at];
			char *why = NULL;
			char **v = r->nproxies ? agent_argv(r, i, 0, &why) : NULL;

			s->result = rhv_xstrdup("planned");
			s->message = why;
			if (v) {
				for (char **w = v; *w; w++)
					rhv_xappendf(&s->command, " ", strchr(*w, ' ') ? "'%s'" : "%s", *w);
				rhv_fence_argv_free(v);
			}
			s->input = agent_input(r, i, seq[a][o], true);
		}
	r->rep->power = rhv_xstrdup("planned");
	return 0;
}

static void run_clear(struct run *r)
{
	rhv_db_fence_passwords_free(r->pw, r->agents.n);
	rhv_fence_agent_list_clear(&r->agents);
	rhv_fence_pm_clear(&r->pm);
	rhv_fence_pm_list_clear(&r->hosts);
	free(r->types);
	free(r->proxies);
	free(r->idx);
	free(r->gend);
	free(r->helper);
	free(r->failure);
	free(r->used);
	free(r->unreached);
}

static bool may_stop(const char *state)
{
	static const char *const ok[] = { RHV_HOST_MAINTENANCE, RHV_HOST_NONRESPONSIVE, RHV_HOST_NONOPERATIONAL,
					  RHV_HOST_DOWN, RHV_HOST_CONNECTING, RHV_HOST_REBOOT, NULL };

	for (int i = 0; ok[i]; i++)
		if (!strcmp(state, ok[i]))
			return true;
	return false;
}

/* Load what the action needs and check it may run; the proxies in order. */
static int prepare(struct run *r, const char *host, enum rhv_fence_action a, struct rhv_error *err)
{
	struct rhv_fence_candidate *c;
	int *order;

	if (rhv_fence_pm_get(r->db, host, &r->pm, err) < 0 || rhv_fence_agent_list(r->db, r->pm.host_id, &r->agents, err) < 0 ||
	    rhv_settings_load(r->db, &r->st, err) < 0 || rhv_fence_pm_list(r->db, &r->hosts, err) < 0)
		return -1;
	if (!r->agents.n) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' has no power management agent", r->pm.host);
		return rhv_error_hint(err, "add one: rhv-fence agent-add %s --type ipmilan --address ...", r->pm.host), -1;
	}
	if (a != RHV_FENCE_STATUS && !r->pm.enabled) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "power management of host '%s' is disabled", r->pm.host);
		return rhv_error_hint(err, "enable it: rhv-fence setup %s --enable", r->pm.host), -1;
	}
	if ((a == RHV_FENCE_STOP || a == RHV_FENCE_RESTART) && !may_stop(r->pm.state)) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' is %s: only a host in Maintenance, NonResponsive, "
						      "NonOperational, Down or Connecting may be stopped",
			      r->pm.host, r->pm.state);
		return rhv_error_hint(err, "move its VMs away first: rhv-host maintenance %s", r->pm.host), -1;
	}
	r->types = rhv_xcalloc(r->agents.n, sizeof(*r->types));
	order = rhv_xcalloc(r->agents.n, sizeof(int));
	for (size_t i = 0; i < r->agents.n; i++) {
		r->types[i] = rhv_fence_type_find(r->agents.items[i].type, err);
		if (!r->types[i]) {
			free(order);
			return rhv_error_replace(err, RHV_EXIT_FAILED, "agent %d of host '%s' has an unknown type '%s'",
						 r->agents.items[i].idx, r->pm.host, r->agents.items[i].type);
		}
		order[i] = r->agents.items[i].order;
	}
	r->idx = rhv_xcalloc(r->agents.n, sizeof(size_t));
	r->gend = rhv_xcalloc(r->agents.n, sizeof(size_t));
	r->ngroups = rhv_fence_groups(order, r->agents.n, r->idx, r->gend);
	free(order);
	c = rhv_xcalloc(r->hosts.n + 1, sizeof(*c));
	for (size_t i = 0; i < r->hosts.n; i++) {
		const struct rhv_fence_pm *h = &r->hosts.items[i];

		c[i] = (struct rhv_fence_candidate){ .name = h->host, .same_cluster = !strcmp(h->cluster, r->pm.cluster),
						     .same_dc = !strcmp(h->dc, r->pm.dc), .state = h->state,
						     .is_target = !strcmp(h->host_id, r->pm.host_id) };
	}
	r->proxies = rhv_xcalloc(r->hosts.n + 1, sizeof(size_t));
	r->nproxies = rhv_fence_proxy_order(c, r->hosts.n, r->pm.proxies, r->proxies);
	free(c);
	r->helper = helpers_dir();
	return 0;
}

int rhv_fence_run(struct rhv_db *db, const char *host, enum rhv_fence_action action, unsigned flags,
		  const struct rhv_progress *p, struct rhv_fence_report *report, struct rhv_error *err)
{
	struct run r = { .db = db, .p = p, .flags = flags, .rep = report };
	bool got = false;
	int rc = -1;

	memset(report, 0, sizeof(*report));
	if (prepare(&r, host, action, err) < 0)
		goto out;
	/* before the plan too: a dry run fails as the action would */
	if (!r.nproxies) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "no proxy host can fence host '%s'", r.pm.host);
		rhv_error_detail(err, "proxies %s: no other host Up or in Maintenance there", r.pm.proxies);
		rhv_error_hint(err, "allow this machine as the last proxy: rhv-fence setup %s --proxies %s,local",
			       r.pm.host, r.pm.proxies);
		goto out;
	}
	if (flags & RHV_FENCE_DRY_RUN) {
		rc = plan(&r, action);
		goto out;
	}
	if (rhv_db_try_lock(db, "fence", r.pm.host_id, true, &got, err) < 0)
		goto out;
	if (!got) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "another fence action on host '%s' is running", r.pm.host);
		goto out;
	}
	if (rhv_db_fence_passwords(db, &r.agents, &r.pw, err) < 0)
		goto out;
	switch (action) {
	case RHV_FENCE_STATUS:
		rc = do_status(&r, err);
		break;
	case RHV_FENCE_STOP:
		rc = do_stop(&r, err);
		break;
	case RHV_FENCE_START:
		rc = do_start(&r, err);
		break;
	case RHV_FENCE_RESTART:
		rc = do_stop(&r, err);
		if (rc == 0) {
			/* the host is off now: its VMs went Down above if it was not answering */
			rc = do_start(&r, err);
		}
		break;
	}
out:
	if (got) {
		struct rhv_error e2 = { 0 };
		bool held;

		rhv_db_try_lock(db, "fence", r.pm.host_id, false, &held, &e2);
	}
	run_clear(&r);
	return rc;
}
