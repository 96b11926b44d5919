/*
 * The pure decisions of fencing (reference 4.2-4.6, peers.md 2.1.6 and
 * 2.5): which Debian fence agent speaks a type and with which defaults,
 * which options a user may pass, the agent's standard input, the order of
 * proxy hosts, how the results of several agents combine, and when the
 * monitor must not fence at all.  libc only; ops/fence.c runs what this
 * decides.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/completer.h"
#include "rhv/error.h"

/* A power management type of the reference (4.3) and the agent that speaks it. */
struct rhv_fence_type {
	const char *name;     /* "ipmilan", as the user names it */
	const char *agent;    /* "fence_ipmilan", in /usr/sbin on the proxy */
	const char *defaults; /* "k=v,k=v" oVirt passes for it, or NULL */
	bool ipmitool;        /* the agent runs ipmitool: its password goes through the environment */
};

/* Every type, NULL-name-terminated, in the reference's order. */
extern const struct rhv_fence_type rhv_fence_types[];
/* Their names, NULL-terminated (for messages and completion). */
extern const char *const rhv_fence_type_names[];

/* Completion of --type: the names above. */
extern const struct rhv_completer rhv_names_fence_type;

/* The type named name, or NULL with a usage error listing the types. */
const struct rhv_fence_type *rhv_fence_type_find(const char *name, struct rhv_error *err);

/*
 * Check a user's "k=v,k=v" options: keys of letters, digits, '_' and '-',
 * values without newlines or other control characters, and none of the
 * keys the toolkit sets itself (action, ip, ipport, username, password,
 * ipmitool_path, ... with '-' and '_' alike).  NULL or "" is no options.
 * Returns: 0, or -1 with RHV_EXIT_USAGE naming the offending key.
 */
int rhv_fence_options_check(const char *options, struct rhv_error *err);

/* One run of an agent, as its standard input describes it. */
struct rhv_fence_call {
	const struct rhv_fence_type *type;
	const char *action;   /* "on", "off", "status" */
	const char *address;
	int port;             /* 0: the agent's default */
	const char *user;     /* NULL: none */
	const char *password; /* NULL: none */
	const char *ipmitool_path; /* for ipmitool types: the wrapper that takes the password from the environment */
	const char *options;  /* the user's "k=v,k=v", checked */
};

/*
 * The option lines of the agent's standard input, one key=value a line:
 * action, ip, ipport, username, password (left out for ipmitool types,
 * whose password travels in the environment), ipmitool_path, the type's
 * defaults that the user did not set, then the user's options.  mask shows
 * the password as "***".  Caller frees.
 */
char *rhv_fence_stdin_lines(const struct rhv_fence_call *c, bool mask);

/*
 * The shell command that runs the agent on a proxy: it reads the password
 * from the first line of its standard input into IPMI_PASSWORD, exports it
 * and execs the agent, which reads the rest.  Caller frees.
 */
char *rhv_fence_shell_command(const struct rhv_fence_type *t);

/* How a proxy host is reached over SSH (the host's ssh_* columns). */
struct rhv_fence_ssh {
	const char *address;     /* required */
	int port;                /* 0: 22 */
	const char *user;        /* NULL: root */
	const char *key;         /* private key file, or NULL */
	const char *known_hosts; /* known_hosts file, or NULL for ssh's own */
	int connect_timeout;     /* seconds; 0: 10 */
};

/*
 * ssh's argv for running command on the proxy: batch mode, a connect
 * timeout, strict host key checking.  NULL-terminated; free with
 * rhv_fence_argv_free.
 */
char **rhv_fence_ssh_argv(const struct rhv_fence_ssh *s, const char *command);
void rhv_fence_argv_free(char **argv);

/* ---- proxies (4.2) ---- */

/* A host that might run the agent for the target. */
struct rhv_fence_candidate {
	const char *name;
	bool same_cluster; /* as the target */
	bool same_dc;
	const char *state; /* only Up and Maintenance may serve */
	bool is_target;
};

#define RHV_FENCE_PROXY_LOCAL ((size_t)-1) /* this machine runs the agent */
#define RHV_FENCE_PROXIES_DEFAULT "cluster,dc"

/*
 * Check a preference list: "cluster", "dc" and "local", each at most once,
 * "local" only last.  Returns: 0, or -1 with RHV_EXIT_USAGE.
 */
int rhv_fence_proxies_check(const char *prefs, struct rhv_error *err);

/*
 * The proxies to try, in order, into out (room for n + 1): for each
 * preference, the candidates it names (the target's cluster; its data
 * center, hosts not already listed), Up before Maintenance, then by name;
 * "local" adds RHV_FENCE_PROXY_LOCAL.  Never the target, never a host in
 * another state.  prefs NULL: the default.  Returns how many.
 */
size_t rhv_fence_proxy_order(const struct rhv_fence_candidate *c, size_t n, const char *prefs, size_t *out);

/* ---- several agents (4.6) ---- */

enum rhv_fence_op { RHV_FENCE_OP_STATUS, RHV_FENCE_OP_ON, RHV_FENCE_OP_OFF };

/* What one agent run reported. */
enum rhv_fence_result {
	RHV_FENCE_RES_FAILED, /* an error, a timeout, an agent that could not run */
	RHV_FENCE_RES_DONE,   /* on/off: exit 0 */
	RHV_FENCE_RES_ON,     /* status: exit 0 */
	RHV_FENCE_RES_OFF,    /* status: exit 2 */
};

/* An agent's exit status read for the operation (peers.md 2.5: status 0 on, 2 off, else error). */
enum rhv_fence_result rhv_fence_result_of(enum rhv_fence_op op, int exit_status);

/* What a group of concurrent agents achieved together. */
enum rhv_fence_outcome {
	RHV_FENCE_FAILED, /* try the next group */
	RHV_FENCE_DONE,   /* on/off done */
	RHV_FENCE_ON,     /* status */
	RHV_FENCE_OFF,
};

/*
 * Combine the results of agents sharing one order: off succeeds only when
 * every agent did it; on when any did; status is on if any says on, off
 * only when all say off, else failed.
 */
enum rhv_fence_outcome rhv_fence_combine(enum rhv_fence_op op, const enum rhv_fence_result *r, size_t n);

/*
 * Sort agents into groups: idx_out gets the agents' indexes, lowest order
 * first, in their given order within one order; group_end[g] is one past
 * the last position of group g.  Both have room for n.  Returns the number
 * of groups.
 */
size_t rhv_fence_groups(const int *order, size_t n, size_t *idx_out, size_t *group_end);

/* ---- the monitor (4.4, peers.md 2.1.6) ---- */

#define RHV_FENCE_SKIP_PERCENT_DEFAULT 50

/*
 * Whether fencing must be skipped because too many hosts of the cluster
 * are unreachable at once (then the manager is the one cut off): when
 * unreachable is at least pct % of hosts.  No hosts: skip.
 */
bool rhv_fence_skip_connectivity(int hosts, int unreachable, int pct);
