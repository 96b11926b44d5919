/* rhv-host: hosts — libvirt daemons reached by URI — their states and monitoring. */
#include "rhv/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/cli.h"
#include "rhv/db.h"
#include "rhv/host.h"
#include "rhv/names.h"
#include "rhv/parse.h"
#include "rhv/spmops.h"
#include "rhv/store-session.h"

static struct {
	char *cluster, *uri, *spm_priority, *memory_limit, *name, *every, *emulated;
	int emulated_flag;
} opt;

enum { H_NAME, H_ID, H_CLUSTER, H_DC, H_STATE, H_REASON, H_URI, H_SPM_PRIO, H_SPM, H_VMS, H_CPUS, H_SOCKETS,
       H_CORES, H_THREADS, H_VENDOR, H_MODEL, H_FLAGS, H_KVM, H_EMULATED, H_MEMORY, H_LIMIT, H_COMMITTED, H_CPU_PCT,
       H_MEM_USED, H_HOSTNAME, H_LIBVIRT, H_QEMU, H_LAST_SEEN, H_STATE_SINCE, H_CPU_TYPES, H_FAILED_CHECKS,
       H_SOFT_FENCED_AT, H_NONRESPONSIVE_AT, H_FENCE_ATTEMPT_AT, H_RECOVERY_NOTE, H_POWER_SAVING_OFF };

static const struct rhv_column host_columns[] = {
	[H_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "host name" },
	[H_ID] = { "id", "ID", RHV_COL_UUID, 0, "unique id" },
	[H_CLUSTER] = { "cluster", "CLUSTER", RHV_COL_STR, RHV_COL_DEFAULT, "cluster it serves" },
	[H_DC] = { "data_center", "DATA CENTER", RHV_COL_STR, 0, "data center of its cluster" },
	[H_STATE] = { "state", "STATE", RHV_COL_STR, RHV_COL_DEFAULT, "Up, Maintenance, NonOperational, ..." },
	[H_REASON] = { "reason", "REASON", RHV_COL_STR, 0, "why it is in its state" },
	[H_URI] = { "uri", "URI", RHV_COL_STR, 0, "libvirt URI" },
	[H_SPM_PRIO] = { "spm_priority", "SPM PRIO", RHV_COL_INT, 0, "-1 never SPM, else higher first" },
	[H_SPM] = { "spm", "SPM", RHV_COL_BOOL, 0, "whether it is the SPM" },
	[H_VMS] = { "vms", "VMS", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "VMs placed on it" },
	[H_CPUS] = { "cpus", "CPUS", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "logical CPUs" },
	[H_SOCKETS] = { "sockets", "SOCKETS", RHV_COL_INT, 0, "CPU sockets" },
	[H_CORES] = { "cores", "CORES", RHV_COL_INT, 0, "cores per socket" },
	[H_THREADS] = { "threads", "THREADS", RHV_COL_INT, 0, "threads per core" },
	[H_VENDOR] = { "cpu_vendor", "VENDOR", RHV_COL_STR, 0, "CPU vendor" },
	[H_MODEL] = { "cpu_model", "CPU MODEL", RHV_COL_STR, 0, "libvirt's model of its CPU" },
	[H_FLAGS] = { "cpu_flags", "CPU FLAGS", RHV_COL_STR, 0, "CPU features, comma-separated" },
	[H_KVM] = { "kvm", "KVM", RHV_COL_BOOL, 0, "hardware virtualization usable" },
	[H_EMULATED] = { "emulated", "EMULATED", RHV_COL_BOOL, 0, "accepted without KVM (guests on TCG)" },
	[H_MEMORY] = { "memory", "MEMORY", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT, "physical memory" },
	[H_LIMIT] = { "memory_limit", "MEM LIMIT", RHV_COL_BYTES, RHV_COL_RIGHT, "memory the scheduler may use" },
	[H_COMMITTED] = { "memory_committed", "COMMITTED", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT,
			  "memory of VMs placed or arriving" },
	[H_CPU_PCT] = { "cpu_pct", "CPU%", RHV_COL_FLOAT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "CPU use, last sample" },
	[H_MEM_USED] = { "memory_used", "MEM USED", RHV_COL_BYTES, RHV_COL_RIGHT, "memory in use, last sample" },
	[H_HOSTNAME] = { "hostname", "HOSTNAME", RHV_COL_STR, 0, "its own host name" },
	[H_LIBVIRT] = { "libvirt_version", "LIBVIRT", RHV_COL_STR, 0, "libvirt daemon version" },
	[H_QEMU] = { "qemu_version", "QEMU", RHV_COL_STR, 0, "QEMU version" },
	[H_LAST_SEEN] = { "last_seen", "LAST SEEN", RHV_COL_TIME, 0, "when it last answered" },
	[H_STATE_SINCE] = { "state_since", "SINCE", RHV_COL_TIME, 0, "when it entered its state" },
	[H_CPU_TYPES] = { "cpu_types", "CPU TYPES", RHV_COL_STR, 0, "cluster CPU types it can run, comma-separated" },
	[H_FAILED_CHECKS] = { "failed_checks", "FAILED CHECKS", RHV_COL_INT, RHV_COL_RIGHT,
			      "monitor checks it failed in a row" },
	[H_SOFT_FENCED_AT] = { "soft_fenced_at", "SOFT FENCED", RHV_COL_TIME, 0,
			       "when its management daemon was restarted over SSH in this outage" },
	[H_NONRESPONSIVE_AT] = { "nonresponsive_at", "NONRESPONSIVE", RHV_COL_TIME, 0,
				 "when it went NonResponsive in this outage" },
	[H_FENCE_ATTEMPT_AT] = { "fence_attempt_at", "FENCE ATTEMPT", RHV_COL_TIME, 0,
				 "when the monitor last tried to fence it" },
	[H_RECOVERY_NOTE] = { "recovery_note", "RECOVERY NOTE", RHV_COL_STR, 0,
			      "why the monitor holds back from fencing it" },
	[H_POWER_SAVING_OFF] = { "power_saving_off", "POWER SAVING OFF", RHV_COL_BOOL, 0,
				 "powered off by power saving, not by a failure" },
};

static void add_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_host *h = item;
	rhv_table_add_row(t);
	rhv_cell_str(t, H_NAME, h->name);
	rhv_cell_str(t, H_ID, h->id);
	rhv_cell_str(t, H_CLUSTER, h->cluster);
	rhv_cell_str(t, H_DC, h->dc);
	rhv_cell_str(t, H_STATE, h->state);
	rhv_cell_str(t, H_REASON, h->state_reason);
	rhv_cell_str(t, H_URI, h->uri);
	rhv_cell_int(t, H_SPM_PRIO, h->spm_priority);
	rhv_cell_bool(t, H_SPM, h->is_spm);
	rhv_cell_int(t, H_VMS, h->vms);
	if (h->has_facts) {
		rhv_cell_int(t, H_CPUS, h->cpus);
		rhv_cell_int(t, H_SOCKETS, h->sockets);
		rhv_cell_int(t, H_CORES, h->cores);
		rhv_cell_int(t, H_THREADS, h->threads);
		rhv_cell_bytes(t, H_MEMORY, h->memory);
		rhv_cell_bool(t, H_KVM, h->kvm);
	}
	rhv_cell_str(t, H_VENDOR, h->cpu_vendor);
	rhv_cell_str(t, H_MODEL, h->cpu_model);
	rhv_cell_str(t, H_FLAGS, h->cpu_flags);
	rhv_cell_bool(t, H_EMULATED, h->emulated);
	if (h->memory_limit)
		rhv_cell_bytes(t, H_LIMIT, h->memory_limit);
	rhv_cell_bytes(t, H_COMMITTED, h->mem_committed);
	if (h->has_usage) {
		rhv_cell_float(t, H_CPU_PCT, h->cpu_pct);
		rhv_cell_bytes(t, H_MEM_USED, h->mem_used);
	}
	rhv_cell_str(t, H_HOSTNAME, h->hostname);
	rhv_cell_str(t, H_LIBVIRT, h->libvirt_version);
	rhv_cell_str(t, H_QEMU, h->qemu_version);
	if (h->last_seen)
		rhv_cell_time(t, H_LAST_SEEN, h->last_seen);
	rhv_cell_time(t, H_STATE_SINCE, h->state_since);
	rhv_cell_str(t, H_CPU_TYPES, h->cpu_types);
	rhv_cell_int(t, H_FAILED_CHECKS, h->failed_checks);
	if (h->soft_fenced_at)
		rhv_cell_time(t, H_SOFT_FENCED_AT, h->soft_fenced_at);
	if (h->nonresponsive_at)
		rhv_cell_time(t, H_NONRESPONSIVE_AT, h->nonresponsive_at);
	if (h->fence_attempt_at)
		rhv_cell_time(t, H_FENCE_ATTEMPT_AT, h->fence_attempt_at);
	rhv_cell_str(t, H_RECOVERY_NOTE, h->recovery_note);
	rhv_cell_bool(t, H_POWER_SAVING_OFF, h->power_saving_off);
}

static const struct rhv_rows rows = { "hosts", "host", sizeof(struct rhv_host), add_row };

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_host_list l;
	int rc;

	if (opt.cluster && rhv_check_name(opt.cluster, 1024, "cluster name", err) < 0)
		return -1;
	if (rhv_host_list(ctx->db, opt.cluster, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &rows, l.items, l.n, err);
	rhv_host_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_host h;
	int rc;

	if (rhv_check_name(ctx->argv[0], 1024, "host name", err) < 0 || rhv_host_get(ctx->db, ctx->argv[0], &h, err) < 0)
		return -1;
	rc = rhv_ctx_print_item(ctx, &rows, &h, err);
	rhv_host_clear(&h);
	return rc;
}

static struct rhv_host_spec spec_from_opts(struct rhv_ctx *ctx)
{
	return (struct rhv_host_spec){
		.name = ctx->argv[0],
		.new_name = opt.name,
		.cluster = opt.cluster,
		.uri = opt.uri,
		.spm_priority = opt.spm_priority,
		.memory_limit = opt.memory_limit,
		.emulated = -1,
	};
}

static int cmd_add(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_host_spec s = spec_from_opts(ctx);
	struct rhv_host h;

	s.emulated = opt.emulated_flag;
	if (rhv_host_add(ctx->db, &s, err) < 0)
		return -1;
	if (rhv_host_get(ctx->db, s.name, &h, err) < 0)
		return -1;
	if (!strcmp(h.state, RHV_HOST_UP))
		rhv_info(ctx, "host '%s' added, Up", h.name);
	else
		rhv_warn(ctx, "host '%s' added but %s: %s", h.name, h.state, h.state_reason ? h.state_reason : "");
	rhv_host_clear(&h);
	return 0;
}

static int cmd_edit(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_host_spec s = spec_from_opts(ctx);

	if (opt.emulated) {
		bool on;

		if (rhv_parse_bool(opt.emulated, "--emulated", &on, err) < 0)
			return -1;
		s.emulated = on;
	}
	if (rhv_host_edit(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "host '%s' updated", s.new_name ? s.new_name : s.name);
	return 0;
}

static int cmd_remove(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_host_remove(ctx->db, ctx->argv[0], err) < 0)
		return -1;
	rhv_info(ctx, "host '%s' removed", ctx->argv[0]);
	return 0;
}

static int cmd_activate(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_host_activate(ctx->db, ctx->argv[0], err) < 0)
		return -1;
	rhv_info(ctx, "host '%s' is Up", ctx->argv[0]);
	return 0;
}

static int cmd_refresh(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_host_refresh(ctx->db, ctx->argv[0], err) < 0)
		return -1;
	rhv_info(ctx, "host '%s' refreshed", ctx->argv[0]);
	return 0;
}

static int cmd_confirm_down(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_host h;
	bool unreachable;

	/* warn only when it will be done: an unknown or answering host is refused below */
	if (rhv_check_name(ctx->argv[0], 1024, "host name", err) < 0 || rhv_host_get(ctx->db, ctx->argv[0], &h, err) < 0)
		return -1;
	unreachable = !strcmp(h.state, RHV_HOST_CONNECTING) || !strcmp(h.state, RHV_HOST_NONRESPONSIVE);
	if (unreachable)
		rhv_warn(ctx,
			 "confirming host '%s' is down: its VMs are marked Down and it may lose the SPM role; if it is "
			 "still running, its VMs may run twice",
			 h.name);
	rhv_host_clear(&h);
	/* the confirmation itself ("host 'X' confirmed down; ...") comes through the progress sink */
	return rhv_host_confirm_down(ctx->db, ctx->argv[0], rhv_ctx_progress(ctx), err);
}

/* A multi-object outcome: each failure on stderr, exit 6 if any. */
static int batch_result(struct rhv_ctx *ctx, struct rhv_batch *b, const char *what, struct rhv_error *err)
{
	size_t failed = rhv_batch_failed(b);

	for (size_t i = 0; i < b->n; i++)
		if (b->items[i].code != RHV_EXIT_OK)
			rhv_warn(ctx, "%s", b->items[i].message);
	if (failed)
		rhv_error_set(err, RHV_EXIT_PARTIAL, "%s: %zu of %zu failed", what, failed, b->n);
	rhv_batch_clear(b);
	return failed ? -1 : 0;
}

static int cmd_maintenance(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_batch b = { 0 };
	_cleanup_free_ char *what = rhv_xasprintf("host '%s' stays PreparingForMaintenance: VMs that could not move",
						  ctx->argv[0]);

	if (rhv_host_maintenance(ctx->db, ctx->argv[0], rhv_ctx_progress(ctx), &b, err) < 0) {
		rhv_batch_clear(&b);
		return -1;
	}
	if (batch_result(ctx, &b, what, err) < 0)
		return -1;
	rhv_info(ctx, "host '%s' is in Maintenance", ctx->argv[0]);
	return 0;
}

static int cmd_monitor(struct rhv_ctx *ctx, struct rhv_error *err)
{
	int64_t every = 0;

	if (opt.every && rhv_parse_int(opt.every, 1, 86400, "--every", &every, err) < 0)
		return -1;
	for (;;) {
		struct rhv_batch b = { 0 };
		time_t start = time(NULL);
		size_t hosts;
		int rc;

		/* a service outlives store restarts: reconnect after a failed pass */
		rc = rhv_ctx_db(ctx, err) ? rhv_monitor_pass(ctx->db, rhv_ctx_progress(ctx), &b, err) : -1;
		if (rc < 0 && err->code == RHV_EXIT_UNAVAILABLE) {
			rhv_db_close(ctx->db);
			ctx->db = NULL;
		}
		hosts = b.n;
		if (rc == 0 && rhv_batch_failed(&b) == hosts && hosts > 0) {
			/* no host answered: the backend, not a part of it, is unavailable */
			rc = batch_result(ctx, &b, "monitoring: no host answered", err);
			err->code = RHV_EXIT_UNAVAILABLE;
		} else if (rc == 0) {
			rc = batch_result(ctx, &b, "monitoring: hosts unreachable", err);
		}
		rhv_batch_clear(&b);
		if (!every)
			return rc;
		if (rc < 0) { /* a service keeps going, store outages included; the events tell the story */
			rhv_warn(ctx, "%s", err->message);
			rhv_error_clear(err);
		}
		while (time(NULL) - start < every)
			sleep(1);
	}
}

static const struct rhv_opt add_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster, .help = "cluster the host serves",
	  .arg = "cluster", .complete = &rhv_names_cluster, .required = true },
	{ .name = "uri", .kind = RHV_OPT_STRING, .target = &opt.uri, .help = "libvirt URI of the host",
	  .arg = "uri", .complete = RHV_FREE, .required = true },
	{ .name = "spm-priority", .kind = RHV_OPT_STRING, .target = &opt.spm_priority,
	  .help = "-1 (never SPM) to 10; default 5", .arg = "n", .complete = RHV_FREE },
	{ .name = "memory-limit", .kind = RHV_OPT_STRING, .target = &opt.memory_limit,
	  .help = "memory the scheduler may use on it", .arg = "size", .complete = RHV_FREE },
	{ .name = "emulated", .kind = RHV_OPT_FLAG, .target = &opt.emulated_flag,
	  .help = "accept it without hardware virtualization (guests on TCG, for labs)" },
	RHV_OPT_END,
};
static const struct rhv_opt edit_opts[] = {
	{ .name = "name", .kind = RHV_OPT_STRING, .target = &opt.name, .help = "rename the host",
	  .arg = "new-name", .complete = RHV_FREE },
	{ .name = "spm-priority", .kind = RHV_OPT_STRING, .target = &opt.spm_priority,
	  .help = "-1 (never SPM) to 10", .arg = "n", .complete = RHV_FREE },
	{ .name = "memory-limit", .kind = RHV_OPT_STRING, .target = &opt.memory_limit,
	  .help = "memory the scheduler may use, or none", .arg = "size", .complete = RHV_FREE },
	{ .name = "emulated", .kind = RHV_OPT_STRING, .target = &opt.emulated,
	  .help = "accept it without hardware virtualization", .arg = "on|off" },
	RHV_OPT_END,
};
static const struct rhv_opt list_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster,
	  .help = "only hosts of this cluster", .arg = "cluster", .complete = &rhv_names_cluster },
	RHV_OPT_END,
};
static const struct rhv_opt monitor_opts[] = {
	{ .name = "every", .kind = RHV_OPT_STRING, .target = &opt.every,
	  .help = "run a pass every N seconds, as a service", .arg = "seconds", .complete = RHV_FREE },
	RHV_OPT_END,
};
static const struct rhv_arg new_arg[] = { { .name = "name", .complete = RHV_FREE }, RHV_ARG_END };
static const struct rhv_arg host_arg[] = { { .name = "host", .complete = &rhv_names_host }, RHV_ARG_END };

#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ .name = "add", .handler = cmd_add, .opts = add_opts, .args = new_arg,
	  .summary = "add a host to a cluster",
	  .description =
		"Add a host: a libvirt daemon reached at its URI (qemu+ssh://root@h1/system in a data center). "
		"The host is read through libvirt: CPU vendor, model and flags, topology, memory, libvirt and "
		"QEMU versions. A host whose CPU vendor or model does not fit the cluster, or that lacks "
		"virtualization extensions or NX, is added NonOperational with the reason; one that does not "
		"answer is not added (exit 5). At most 200 hosts per data center.",
	  .flags = WRITES },
	{ .name = "list", .handler = cmd_list, .opts = list_opts, RHV_COLUMNS(host_columns),
	  .summary = "list hosts",
	  .description = "List hosts, of every cluster or of one, with their state, VMs and use.",
	  .flags = LISTS },
	{ .name = "show", .handler = cmd_show, .args = host_arg, RHV_COLUMNS(host_columns),
	  .summary = "show one host",
	  .description = "Show one host, named by name or id. '-c all' shows everything learned from it.",
	  .flags = LISTS },
	{ .name = "edit", .handler = cmd_edit, .opts = edit_opts, .args = host_arg,
	  .summary = "change a host",
	  .description =
		"Rename a host or change its SPM priority, memory limit or emulation flag. Options left out are "
		"unchanged.",
	  .flags = WRITES },
	{ .name = "remove", .handler = cmd_remove, .args = host_arg,
	  .summary = "remove a host in maintenance",
	  .description =
		"Remove a host. Only a host in Maintenance with no VMs running on or pinned to it can be removed.",
	  .flags = WRITES },
	{ .name = "activate", .handler = cmd_activate, .args = host_arg,
	  .summary = "bring a host back into service",
	  .description =
		"Read the host again and bring it Up, from Maintenance, NonOperational or NonResponsive. If it "
		"still does not fit its cluster it becomes NonOperational with the reason (exit 4); if it does "
		"not answer, exit 5.",
	  .flags = WRITES },
	{ .name = "maintenance", .handler = cmd_maintenance, .args = host_arg,
	  .summary = "empty a host and take it out of service",
	  .description =
		"Put a host into maintenance: it becomes PreparingForMaintenance, every VM on it is "
		"live-migrated to another Up host of the cluster chosen by the scheduler, and then it is in "
		"Maintenance. A VM that cannot move is named with the reason, and the host stays "
		"PreparingForMaintenance (exit 6) until the admin acts.",
	  .flags = WRITES },
	{ .name = "refresh", .handler = cmd_refresh, .args = host_arg,
	  .summary = "read a host's facts again",
	  .description =
		"Read the host's CPU, memory and versions again. Its state changes only if it no longer fits its "
		"cluster (NonOperational) or fits again.",
	  .flags = WRITES },
	{ .name = "monitor", .handler = cmd_monitor, .opts = monitor_opts,
	  .summary = "one monitoring pass over every host",
	  .description =
		"Contact every host once, each contact bounded by HostTimeoutSeconds: record CPU and memory "
		"samples of hosts and VMs, mark VMs that died behind our back Down, report guests the store does "
		"not know (never destroying them), and move unreachable hosts Up -> Connecting -> NonResponsive "
		"after the grace time (60 s + 0.5 s per VM + 20 s for the SPM; see rhv-db settings). "
		"Cron-friendly; --every loops as a service. Overlapping passes skip the hosts another pass "
		"holds. Exit 6 when some host did not answer.",
	  .flags = WRITES },
	{ .name = "confirm-down", .handler = cmd_confirm_down, .args = host_arg,
	  .summary = "confirm that an unreachable host is down",
	  .description =
		"Tell rhv that a Connecting or NonResponsive host is really down (powered off, fenced by hand). "
		"Its VMs are marked Down so they can start elsewhere, and if it was the SPM its role is freed "
		"and a new SPM is elected at once, without waiting for its lease to expire. Only confirm what "
		"you checked: a host that still runs would then run its VMs twice and two hosts could write "
		"storage metadata.",
	  .flags = WRITES },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-host",
	.summary = "Manage hosts",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
