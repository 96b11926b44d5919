/* rhv-fence: power management — fence agents of hosts, run through a proxy host (reference chapter 4). */
#include "rhv/common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/cli.h"
#include "rhv/fence-policy.h"
#include "rhv/fence.h"
#include "rhv/names.h"
#include "rhv/parse.h"
#include "rhv/store-session.h"

static struct {
	char *type, *address, *port, *user, *password_file, *options, *order, *concurrent, *proxies;
	char *ssh_address, *ssh_port, *ssh_user, *ssh_key, *ssh_known_hosts, *soft_fence_cmd;
	int concurrent_flag, no_password, enable, disable, dry_run;
} opt;

/* ---- agents ---- */

enum { A_HOST, A_IDX, A_ORDER, A_TYPE, A_ADDRESS, A_PORT, A_USER, A_OPTIONS, A_CONCURRENT, A_PASSWORD, A_ID };

static const struct rhv_column agent_columns[] = {
	[A_HOST] = { "host", "HOST", RHV_COL_STR, RHV_COL_DEFAULT, "host the agent powers" },
	[A_IDX] = { "idx", "IDX", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "the agent's number on its host" },
	[A_ORDER] = { "order", "ORDER", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
		      "agents of one order run together, lower orders first" },
	[A_TYPE] = { "type", "TYPE", RHV_COL_STR, RHV_COL_DEFAULT, "power management type (ipmilan, drac7, ...)" },
	[A_ADDRESS] = { "address", "ADDRESS", RHV_COL_STR, RHV_COL_DEFAULT, "address of the power device" },
	[A_PORT] = { "port", "PORT", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "its port; empty: the default" },
	[A_USER] = { "user", "USER", RHV_COL_STR, RHV_COL_DEFAULT, "user name on the device" },
	[A_OPTIONS] = { "options", "OPTIONS", RHV_COL_STR, RHV_COL_DEFAULT, "options passed to the agent" },
	[A_CONCURRENT] = { "concurrent", "CONCURRENT", RHV_COL_BOOL, 0, "added to run with the agents of its order" },
	[A_PASSWORD] = { "password_set", "PASSWORD", RHV_COL_BOOL, RHV_COL_DEFAULT,
			 "whether a password is stored (it is never shown)" },
	[A_ID] = { "id", "ID", RHV_COL_UUID, 0, "unique id" },
};

static void add_agent_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_fence_agent *a = item;

	rhv_table_add_row(t);
	rhv_cell_str(t, A_HOST, a->host);
	rhv_cell_int(t, A_IDX, a->idx);
	rhv_cell_int(t, A_ORDER, a->order);
	rhv_cell_str(t, A_TYPE, a->type);
	rhv_cell_str(t, A_ADDRESS, a->address);
	if (a->port)
		rhv_cell_int(t, A_PORT, a->port);
	rhv_cell_str(t, A_USER, a->user);
	rhv_cell_str(t, A_OPTIONS, a->options);
	rhv_cell_bool(t, A_CONCURRENT, a->concurrent);
	rhv_cell_bool(t, A_PASSWORD, a->has_password);
	rhv_cell_str(t, A_ID, a->id);
}

static const struct rhv_rows agent_rows = { "agents", "agent", sizeof(struct rhv_fence_agent), add_agent_row };

/* The password from a file or standard input ("-"): its first line.  Caller wipes and frees. */
static char *read_password(const char *file, struct rhv_error *err)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char buf[1100];
	size_t n;

	if (!f) {
		rhv_error_usage(err, "cannot read the password file '%s': %s", file, strerror(errno));
		return NULL;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	if (f != stdin)
		fclose(f);
	buf[n] = 0;
	buf[strcspn(buf, "\r\n")] = 0;
	{
		char *pw = rhv_xstrdup(buf);

		explicit_bzero(buf, sizeof(buf));
		return pw;
	}
}

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static int parse_idx(const char *s, int *idx, struct rhv_error *err)
{
	int64_t v;

	if (rhv_parse_int(s, 1, 1000, "agent number", &v, err) < 0)
		return -1;
	*idx = (int)v;
	return 0;
}

static int cmd_agent_add(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_fence_agent_spec s = {
		.host = ctx->argv[0], .type = opt.type, .address = opt.address, .port = opt.port, .user = opt.user,
		.options = opt.options, .order = opt.order, .concurrent = opt.concurrent_flag,
	};
	char *pw = NULL;
	int idx, rc;

	if (opt.password_file && !(pw = read_password(opt.password_file, err)))
		return -1;
	s.password = pw;
	rc = rhv_fence_agent_add(ctx->db, &s, &idx, err);
	wipe_free(pw);
	if (rc == 0)
		rhv_info(ctx, "agent %d added to host '%s'", idx, ctx->argv[0]);
	return rc;
}

static int cmd_agent_edit(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_fence_agent_spec s = {
		.host = ctx->argv[0], .type = opt.type, .address = opt.address, .port = opt.port, .user = opt.user,
		.options = opt.options, .order = opt.order, .concurrent = -1, .clear_password = opt.no_password,
	};
	char *pw = NULL;
	int rc;

	if (parse_idx(ctx->argv[1], &s.idx, err) < 0)
		return -1;
	if (opt.concurrent) {
		bool b;

		if (rhv_parse_bool(opt.concurrent, "--concurrent", &b, err) < 0)
			return -1;
		s.concurrent = b;
	}
	if (opt.password_file && opt.no_password)
		return rhv_error_usage(err, "options --password-file and --no-password are mutually exclusive");
	if (opt.password_file && !(pw = read_password(opt.password_file, err)))
		return -1;
	s.password = pw;
	rc = rhv_fence_agent_edit(ctx->db, &s, err);
	wipe_free(pw);
	if (rc == 0)
		rhv_info(ctx, "agent %d of host '%s' updated", s.idx, ctx->argv[0]);
	return rc;
}

static int cmd_agent_remove(struct rhv_ctx *ctx, struct rhv_error *err)
{
	bool disabled = false;
	int idx;

	if (parse_idx(ctx->argv[1], &idx, err) < 0 || rhv_fence_agent_remove(ctx->db, ctx->argv[0], idx, &disabled, err) < 0)
		return -1;
	rhv_info(ctx, "agent %d removed from host '%s'", idx, ctx->argv[0]);
	if (disabled)
		rhv_warn(ctx, "host '%s' has no agent left: its power management is disabled", ctx->argv[0]);
	return 0;
}

static int cmd_agent_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_fence_agent_list l;
	int rc;

	if (rhv_fence_agent_list(ctx->db, ctx->argc ? ctx->argv[0] : NULL, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &agent_rows, l.items, l.n, err);
	rhv_fence_agent_list_clear(&l);
	return rc;
}

/* ---- a host's settings ---- */

enum { P_HOST, P_CLUSTER, P_STATE, P_ENABLED, P_AGENTS, P_PROXIES, P_SSH_ADDRESS, P_SSH_PORT, P_SSH_USER, P_SSH_KEY,
       P_SSH_KNOWN_HOSTS, P_ID, P_SOFT_FENCE_CMD };

static const struct rhv_column pm_columns[] = {
	[P_HOST] = { "host", "HOST", RHV_COL_STR, RHV_COL_DEFAULT, "host name" },
	[P_CLUSTER] = { "cluster", "CLUSTER", RHV_COL_STR, RHV_COL_DEFAULT, "its cluster" },
	[P_STATE] = { "state", "STATE", RHV_COL_STR, RHV_COL_DEFAULT, "its state" },
	[P_ENABLED] = { "pm_enabled", "PM", RHV_COL_BOOL, RHV_COL_DEFAULT, "power management enabled" },
	[P_AGENTS] = { "agents", "AGENTS", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "fence agents" },
	[P_PROXIES] = { "proxies", "PROXIES", RHV_COL_STR, RHV_COL_DEFAULT,
			"where proxies are sought, in order: cluster, dc, local" },
	[P_SSH_ADDRESS] = { "ssh_address", "SSH ADDRESS", RHV_COL_STR, 0, "SSH address, when it serves as a proxy" },
	[P_SSH_PORT] = { "ssh_port", "SSH PORT", RHV_COL_INT, RHV_COL_RIGHT, "SSH port" },
	[P_SSH_USER] = { "ssh_user", "SSH USER", RHV_COL_STR, 0, "SSH user" },
	[P_SSH_KEY] = { "ssh_key", "SSH KEY", RHV_COL_STR, 0, "private key file used to reach it" },
	[P_SSH_KNOWN_HOSTS] = { "ssh_known_hosts", "KNOWN HOSTS", RHV_COL_STR, 0, "known_hosts file with its key" },
	[P_ID] = { "id", "ID", RHV_COL_UUID, 0, "host id" },
	[P_SOFT_FENCE_CMD] = { "soft_fence_command", "SOFT FENCE COMMAND", RHV_COL_STR, 0,
			       "run over SSH to restart its management daemon (soft fencing)" },
};

static void add_pm_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_fence_pm *p = item;

	rhv_table_add_row(t);
	rhv_cell_str(t, P_HOST, p->host);
	rhv_cell_str(t, P_CLUSTER, p->cluster);
	rhv_cell_str(t, P_STATE, p->state);
	rhv_cell_bool(t, P_ENABLED, p->enabled);
	rhv_cell_int(t, P_AGENTS, p->agents);
	rhv_cell_str(t, P_PROXIES, p->proxies);
	rhv_cell_str(t, P_SSH_ADDRESS, p->ssh_address);
	if (p->ssh_port)
		rhv_cell_int(t, P_SSH_PORT, p->ssh_port);
	rhv_cell_str(t, P_SSH_USER, p->ssh_user);
	rhv_cell_str(t, P_SSH_KEY, p->ssh_key);
	rhv_cell_str(t, P_SSH_KNOWN_HOSTS, p->ssh_known_hosts);
	rhv_cell_str(t, P_ID, p->host_id);
	rhv_cell_str(t, P_SOFT_FENCE_CMD, p->soft_fence_cmd ? p->soft_fence_cmd : RHV_SOFT_FENCE_DEFAULT_CMD);
}

static const struct rhv_rows pm_rows = { "hosts", "host", sizeof(struct rhv_fence_pm), add_pm_row };

static int cmd_setup(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_fence_pm_spec s = {
		.host = ctx->argv[0], .enabled = opt.enable ? 1 : opt.disable ? 0 : -1, .proxies = opt.proxies,
		.ssh_address = opt.ssh_address, .ssh_port = opt.ssh_port, .ssh_user = opt.ssh_user,
		.ssh_key = opt.ssh_key, .ssh_known_hosts = opt.ssh_known_hosts, .soft_fence_cmd = opt.soft_fence_cmd,
	};

	if (opt.enable && opt.disable)
		return rhv_error_usage(err, "options --enable and --disable are mutually exclusive");
	if (rhv_fence_pm_set(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "power management of host '%s' updated", ctx->argv[0]);
	return 0;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_fence_pm p;
	int rc;

	if (rhv_fence_pm_get(ctx->db, ctx->argv[0], &p, err) < 0)
		return -1;
	rc = rhv_ctx_print_item(ctx, &pm_rows, &p, err);
	rhv_fence_pm_clear(&p);
	return rc;
}

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_fence_pm_list l;
	int rc;

	if (rhv_fence_pm_list(ctx->db, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &pm_rows, l.items, l.n, err);
	rhv_fence_pm_list_clear(&l);
	return rc;
}

/* ---- power actions ---- */

enum { S_PROXY, S_AGENT, S_DESC, S_OPERATION, S_RESULT, S_RC, S_SECONDS, S_MESSAGE, S_COMMAND, S_INPUT };

static const struct rhv_column step_columns[] = {
	[S_PROXY] = { "proxy", "PROXY", RHV_COL_STR, RHV_COL_DEFAULT, "host that ran the agent, or local" },
	[S_AGENT] = { "agent", "AGENT", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "the agent's number" },
	[S_DESC] = { "device", "DEVICE", RHV_COL_STR, RHV_COL_DEFAULT, "its type and address" },
	[S_OPERATION] = { "operation", "OPERATION", RHV_COL_STR, RHV_COL_DEFAULT, "status, on or off" },
	[S_RESULT] = { "result", "RESULT", RHV_COL_STR, RHV_COL_DEFAULT,
		       "on, off, done, failed, unreachable (the proxy), planned (--dry-run)" },
	[S_RC] = { "rc", "RC", RHV_COL_INT, RHV_COL_RIGHT, "the agent's exit status" },
	[S_SECONDS] = { "seconds", "SECONDS", RHV_COL_FLOAT, RHV_COL_RIGHT, "how long it ran", 1 },
	[S_MESSAGE] = { "message", "MESSAGE", RHV_COL_STR, RHV_COL_DEFAULT, "what a failed agent said" },
	[S_COMMAND] = { "command", "COMMAND", RHV_COL_STR, 0, "--dry-run: the command that would run" },
	[S_INPUT] = { "input", "INPUT", RHV_COL_STR, 0, "--dry-run: its standard input, the password as ***" },
};

static void add_step_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_fence_step *s = item;

	rhv_table_add_row(t);
	rhv_cell_str(t, S_PROXY, s->proxy);
	rhv_cell_int(t, S_AGENT, s->agent);
	rhv_cell_str(t, S_DESC, s->agent_desc);
	rhv_cell_str(t, S_OPERATION, s->operation);
	rhv_cell_str(t, S_RESULT, s->result);
	if (s->rc >= 0)
		rhv_cell_int(t, S_RC, s->rc);
	if (s->rc >= 0 || s->seconds > 0)
		rhv_cell_float(t, S_SECONDS, s->seconds);
	rhv_cell_str(t, S_MESSAGE, s->message);
	rhv_cell_str(t, S_COMMAND, s->command);
	rhv_cell_str(t, S_INPUT, s->input);
}

static const struct rhv_rows step_rows = { "steps", "step", sizeof(struct rhv_fence_step), add_step_row };

static int power(struct rhv_ctx *ctx, enum rhv_fence_action a, unsigned flags, struct rhv_error *err)
{
	struct rhv_fence_report rep;
	int rc;

	if (opt.dry_run) {
		flags |= RHV_FENCE_DRY_RUN;
		if (!ctx->out.columns)
			ctx->out.columns = "proxy,agent,operation,message,command,input";
	}
	rc = rhv_fence_run(ctx->db, ctx->argv[0], a, flags, rhv_ctx_progress(ctx), &rep, err);
	/* what was tried is shown even when it failed */
	if (rep.n) {
		struct rhv_error e2 = { 0 };

		if (rhv_ctx_print_items(ctx, &step_rows, rep.steps, rep.n, rc < 0 ? &e2 : err) < 0 && rc == 0)
			rc = -1;
	}
	if (rc == 0 && !opt.dry_run && rep.power)
		rhv_info(ctx, "host '%s' power: %s", ctx->argv[0], rep.power);
	rhv_fence_report_clear(&rep);
	return rc;
}

static int cmd_status(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return power(ctx, RHV_FENCE_STATUS, 0, err);
}

static int cmd_test(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return power(ctx, RHV_FENCE_STATUS, RHV_FENCE_EVERY_AGENT, err);
}

static int cmd_start(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return power(ctx, RHV_FENCE_START, 0, err);
}

static int cmd_stop(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return power(ctx, RHV_FENCE_STOP, 0, err);
}

static int cmd_restart(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return power(ctx, RHV_FENCE_RESTART, 0, err);
}

/* ---- the table ---- */

#define AGENT_OPTS(req)                                                                                       \
	{ .name = "type", .kind = RHV_OPT_STRING, .target = &opt.type, .help = "power management type",           \
	  .arg = "type", .complete = &rhv_names_fence_type, .required = req },                                \
	{ .name = "address", .kind = RHV_OPT_STRING, .target = &opt.address,                                       \
	  .help = "address of the power device (BMC, switch)", .arg = "address", .complete = RHV_FREE,            \
	  .required = req },                                                                                  \
	{ .name = "port", .kind = RHV_OPT_STRING, .target = &opt.port,                                             \
	  .help = "its port (default: the agent's own)", .arg = "port", .complete = RHV_FREE },                    \
	{ .name = "user", .kind = RHV_OPT_STRING, .target = &opt.user, .help = "user name on the device",          \
	  .arg = "user", .complete = RHV_FREE },                                                                   \
	{ .name = "password-file", .kind = RHV_OPT_STRING, .target = &opt.password_file,                           \
	  .help = "read the password from the first line of this file (- for standard input)", .arg = "file",     \
	  .complete = RHV_FILE },                                                                                  \
	{ .name = "options", .kind = RHV_OPT_STRING, .target = &opt.options,                                       \
	  .help = "agent options k=v,k=v passed through as they are", .arg = "k=v,...", .complete = RHV_FREE },    \
	{ .name = "order", .kind = RHV_OPT_STRING, .target = &opt.order,                                           \
	  .help = "agents of one order run together, lower first (1-100)", .arg = "n", .complete = RHV_FREE }

static const struct rhv_opt agent_add_opts[] = {
	AGENT_OPTS(true),
	{ .name = "concurrent", .kind = RHV_OPT_FLAG, .target = &opt.concurrent_flag,
	  .help = "run with the last agent (same order) instead of after it" },
	RHV_OPT_END,
};
static const struct rhv_opt agent_edit_opts[] = {
	AGENT_OPTS(false),
	{ .name = "no-password", .kind = RHV_OPT_FLAG, .target = &opt.no_password,
	  .help = "forget the stored password" },
	{ .name = "concurrent", .kind = RHV_OPT_STRING, .target = &opt.concurrent,
	  .help = "mark it as running with its order's agents", .arg = "yes|no" },
	RHV_OPT_END,
};
static const struct rhv_opt setup_opts[] = {
	{ .name = "enable", .kind = RHV_OPT_FLAG, .target = &opt.enable, .help = "enable power management" },
	{ .name = "disable", .kind = RHV_OPT_FLAG, .target = &opt.disable, .help = "disable power management" },
	{ .name = "proxies", .kind = RHV_OPT_STRING, .target = &opt.proxies,
	  .help = "where to seek a proxy, in order (default cluster,dc)", .arg = "cluster,dc[,local]",
	  .complete = RHV_FREE },
	{ .name = "ssh-address", .kind = RHV_OPT_STRING, .target = &opt.ssh_address,
	  .help = "address to reach this host over SSH as a proxy (\"\" clears)", .arg = "address",
	  .complete = RHV_FREE },
	{ .name = "ssh-port", .kind = RHV_OPT_STRING, .target = &opt.ssh_port, .help = "its SSH port (default 22)",
	  .arg = "port", .complete = RHV_FREE },
	{ .name = "ssh-user", .kind = RHV_OPT_STRING, .target = &opt.ssh_user, .help = "SSH user (default root)",
	  .arg = "user", .complete = RHV_FREE },
	{ .name = "ssh-key", .kind = RHV_OPT_STRING, .target = &opt.ssh_key, .help = "private key file to log in",
	  .arg = "file", .complete = RHV_FILE },
	{ .name = "ssh-known-hosts", .kind = RHV_OPT_STRING, .target = &opt.ssh_known_hosts,
	  .help = "known_hosts file holding its host key", .arg = "file", .complete = RHV_FILE },
	{ .name = "soft-fence-command", .kind = RHV_OPT_STRING, .target = &opt.soft_fence_cmd,
	  .help = "run over SSH to restart its management daemon (\"\" resets to " RHV_SOFT_FENCE_DEFAULT_CMD ")",
	  .arg = "command", .complete = RHV_FREE },
	RHV_OPT_END,
};
static const struct rhv_opt power_opts[] = {
	{ .name = "dry-run", .kind = RHV_OPT_FLAG, .target = &opt.dry_run,
	  .help = "print the proxy and agent plan, run nothing" },
	RHV_OPT_END,
};

static const struct rhv_arg host_arg[] = { { .name = "host", .complete = &rhv_names_host }, RHV_ARG_END };
static const struct rhv_arg opt_host_arg[] = {
	{ .name = "host", .flags = RHV_ARG_OPTIONAL, .complete = &rhv_names_host },
	RHV_ARG_END,
};
static const struct rhv_arg agent_args[] = {
	{ .name = "host", .complete = &rhv_names_host },
	{ .name = "idx", .complete = RHV_FREE },
	RHV_ARG_END,
};

#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)
#define ACTS (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ .name = "agent-add", .handler = cmd_agent_add, .opts = agent_add_opts, .args = host_arg,
	  .summary = "add a fence agent to a host",
	  .description =
		"Add a fence agent: the power device of the host (a BMC, a power switch) and how to speak to "
		"it. The type picks the Debian fence agent (drac7, ilo3 and ilo4 speak IPMI with oVirt's "
		"defaults). Options are passed to the agent unparsed, except the keys rhv sets itself (ip, "
		"ipport, username, password, action, ...). The password is read from a file or standard "
		"input, never from the command line, and no listing or event shows it. A new agent runs after "
		"the others (the next order) unless --concurrent or --order says otherwise.",
	  .flags = WRITES },
	{ .name = "agent-edit", .handler = cmd_agent_edit, .opts = agent_edit_opts, .args = agent_args,
	  .summary = "change a fence agent",
	  .description = "Change an agent of a host, named by its number. Options left out are unchanged; an empty "
			 "--port, --user or --options clears it.",
	  .flags = WRITES },
	{ .name = "agent-remove", .handler = cmd_agent_remove, .args = agent_args,
	  .summary = "remove a fence agent",
	  .description = "Remove an agent of a host. Removing the last one disables the host's power management.",
	  .flags = WRITES },
	{ .name = "agent-list", .handler = cmd_agent_list, .args = opt_host_arg, RHV_COLUMNS(agent_columns),
	  .summary = "list fence agents",
	  .description = "List the agents of every host, or of one. A column says whether a password is stored; "
			 "the password itself is never shown.",
	  .flags = LISTS },
	{ .name = "setup", .handler = cmd_setup, .opts = setup_opts, .args = host_arg,
	  .summary = "enable power management, choose proxies",
	  .description =
		"Enable or disable a host's power management (enabling needs an agent), choose where a proxy "
		"is sought to run its agents (the hosts of its cluster, then of its data center; 'local', last, "
		"lets this machine run them), and tell how this host is reached over SSH when it serves as a "
		"proxy or is soft-fenced, and the command a soft fence runs on it.",
	  .flags = WRITES },
	{ .name = "show", .handler = cmd_show, .args = host_arg, RHV_COLUMNS(pm_columns),
	  .summary = "show a host's power management",
	  .description = "Show a host's power management settings. '-c all' shows its SSH access and soft fence "
			 "command too.",
	  .flags = LISTS },
	{ .name = "list", .handler = cmd_list, RHV_COLUMNS(pm_columns),
	  .summary = "list the power management of every host",
	  .description = "List every host with its power management state, agents and proxy preferences.",
	  .flags = LISTS },
	{ .name = "status", .handler = cmd_status, .opts = power_opts, .args = host_arg, RHV_COLUMNS(step_columns),
	  .summary = "ask a host's power state",
	  .description =
		"Ask the host's agents, on a proxy, whether it is powered on: on if any agent says on, off only "
		"if all say off. Any state; power management need not be enabled.",
	  .flags = ACTS },
	{ .name = "test", .handler = cmd_test, .opts = power_opts, .args = host_arg, RHV_COLUMNS(step_columns),
	  .summary = "check every fence agent of a host",
	  .description = "Ask the power state through every agent, each on its own, as the reference advises "
			 "after setting power management up. Exit 1 if any agent failed.",
	  .flags = ACTS },
	{ .name = "start", .handler = cmd_start, .opts = power_opts, .args = host_arg, RHV_COLUMNS(step_columns),
	  .summary = "power a host on",
	  .description = "Power the host on through its agents (one agent of an order suffices), then ask the "
			 "status until it says on (FenceStopStatusRetries x FenceStopStatusDelayMillis).",
	  .flags = ACTS },
	{ .name = "stop", .handler = cmd_stop, .opts = power_opts, .args = host_arg, RHV_COLUMNS(step_columns),
	  .summary = "power a host off",
	  .description =
		"Power the host off through its agents (every agent of an order must do it), then ask the status "
		"until it says off. Only a host in Maintenance, NonResponsive, NonOperational, Down or "
		"Connecting; a NonResponsive host confirmed off has its VMs marked Down. One action per host at "
		"a time: a second one fails (exit 4).",
	  .flags = ACTS },
	{ .name = "restart", .handler = cmd_restart, .opts = power_opts, .args = host_arg, RHV_COLUMNS(step_columns),
	  .summary = "power a host off and on again",
	  .description = "Stop, wait for off, start, wait for on (reference 4.3), with stop's conditions.",
	  .flags = ACTS },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-fence",
	.summary = "Manage power management and fencing of hosts",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
