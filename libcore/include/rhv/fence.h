/*
 * Power management and fencing (reference chapter 4): each host's fence
 * agents and settings in the store (store/fence.c), and the power actions
 * run through a proxy host (ops/fence.c).  The pure rules are in
 * rhv/fence-policy.h.  A password is written, never read back by a listing.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_progress;

/* What a soft fence runs over SSH on the host when none is set (reference 4.5: VDSM's restart). */
#define RHV_SOFT_FENCE_DEFAULT_CMD "systemctl restart libvirtd"
#define RHV_SOFT_FENCE_CMD_MAX 1024 /* characters */

/* One fence agent of a host. */
struct rhv_fence_agent {
	char id[37];
	char *host;
	int idx;   /* 1, 2, ... per host: how the user names it */
	int order; /* agents of one order run together; lower orders first */
	char *type, *address;
	int port; /* 0: the agent's default */
	char *user, *options;
	bool concurrent; /* added to run with the agents of its order */
	bool has_password;
};

struct rhv_fence_agent_list {
	struct rhv_fence_agent *items;
	size_t n;
};

/* What agent-add and agent-edit change; NULL: unchanged (edit) or none (add). */
struct rhv_fence_agent_spec {
	const char *host;
	int idx;              /* edit: the agent */
	const char *type;
	const char *address;
	const char *port;     /* 1..65535, or "" for the agent's default */
	const char *user;     /* "" clears */
	const char *options;  /* "" clears */
	const char *order;    /* 1..100 */
	int concurrent;       /* -1 unchanged; add: join the order of the last agent */
	const char *password; /* NULL unchanged */
	bool clear_password;
};

/* A host's power management settings. */
struct rhv_fence_pm {
	char host_id[37];
	char *host, *cluster, *dc, *state;
	bool enabled;
	char *proxies; /* "cluster,dc[,local]" */
	int agents;
	char *ssh_address; /* how a proxy is reached; NULL: not set */
	int ssh_port;
	char *ssh_user, *ssh_key, *ssh_known_hosts;
	char *soft_fence_cmd; /* run over SSH to restart its management daemon; NULL: the default */
};

struct rhv_fence_pm_list {
	struct rhv_fence_pm *items;
	size_t n;
};

/* What setup changes; NULL / -1: unchanged; "" clears an ssh value or resets the soft fence command. */
struct rhv_fence_pm_spec {
	const char *host;
	int enabled;
	const char *proxies;
	const char *ssh_address, *ssh_port, *ssh_user, *ssh_key, *ssh_known_hosts;
	const char *soft_fence_cmd; /* 1..RHV_SOFT_FENCE_CMD_MAX characters, one line */
};

void rhv_fence_agent_clear(struct rhv_fence_agent *a);
void rhv_fence_agent_list_clear(struct rhv_fence_agent_list *l);
void rhv_fence_pm_clear(struct rhv_fence_pm *p);
void rhv_fence_pm_list_clear(struct rhv_fence_pm_list *l);

/*
 * Add an agent to a host (its row locked meanwhile); *idx gets its number.
 * Returns: 0, or -1 (RHV_EXIT_USAGE for bad values, RHV_EXIT_NOTFOUND).
 */
int rhv_fence_agent_add(struct rhv_db *db, const struct rhv_fence_agent_spec *s, int *idx, struct rhv_error *err);
int rhv_fence_agent_edit(struct rhv_db *db, const struct rhv_fence_agent_spec *s, struct rhv_error *err);
/* Remove an agent; removing the last one disables power management (*pm_disabled). */
int rhv_fence_agent_remove(struct rhv_db *db, const char *host, int idx, bool *pm_disabled, struct rhv_error *err);
/* host NULL: every host's. */
int rhv_fence_agent_list(struct rhv_db *db, const char *host, struct rhv_fence_agent_list *out,
			 struct rhv_error *err);

int rhv_fence_pm_get(struct rhv_db *db, const char *host, struct rhv_fence_pm *out, struct rhv_error *err);
int rhv_fence_pm_list(struct rhv_db *db, struct rhv_fence_pm_list *out, struct rhv_error *err);
/* Enabling with no agent: RHV_EXIT_CONFLICT. */
int rhv_fence_pm_set(struct rhv_db *db, const struct rhv_fence_pm_spec *s, struct rhv_error *err);

/* ---- power actions (ops/fence.c) ---- */

enum rhv_fence_action {
	RHV_FENCE_STATUS,
	RHV_FENCE_START,
	RHV_FENCE_STOP,
	RHV_FENCE_RESTART,
};

enum rhv_fence_flag {
	RHV_FENCE_DRY_RUN = 1 << 0,     /* the plan only: nothing runs */
	RHV_FENCE_EVERY_AGENT = 1 << 1, /* status through every agent, each on its own (test) */
};

/* One agent run, or one planned (dry run). */
struct rhv_fence_step {
	char *proxy;     /* host name, or "local" */
	int agent;       /* idx */
	char *agent_desc; /* "ipmilan 127.0.0.1:47001" */
	char *operation; /* status, on, off */
	int rc;          /* the agent's exit status; -1 when it did not run to the end */
	char *result;    /* on, off, done, failed, unreachable, planned */
	double seconds;
	char *message;   /* the agent's last line of errors, when it failed */
	char *command;   /* dry run: the command line */
	char *input;     /* dry run: the standard input, the password as *** */
};

struct rhv_fence_report {
	struct rhv_fence_step *steps;
	size_t n;
	char *power; /* status: on, off, unknown; actions: the state reached */
};

void rhv_fence_report_clear(struct rhv_fence_report *r);

/*
 * Run a power action on a host through its agents on a proxy.  stop and
 * restart need the host in Maintenance, NonResponsive, NonOperational,
 * Down or Connecting; status any state.  One action per host at a time: a
 * second one fails at once with RHV_EXIT_CONFLICT.  After a confirmed off
 * of a NonResponsive host its VMs go Down (rhv_host_confirm_down).  Events
 * fence-stop, fence-start and fence-failed; no password in any of them.
 * The report lists each agent run.
 * Returns: 0, or -1: RHV_EXIT_CONFLICT (state, power management disabled,
 * another action running), RHV_EXIT_UNAVAILABLE (no proxy reachable),
 * RHV_EXIT_FAILED (the agents failed).
 */
int rhv_fence_run(struct rhv_db *db, const char *host, enum rhv_fence_action action, unsigned flags,
		  const struct rhv_progress *p, struct rhv_fence_report *report, struct rhv_error *err);
