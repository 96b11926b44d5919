/* rhv-balance: the load-balancing policies as an auditable plan, HA reservation checks. */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/balance-explain.h"
#include "rhv/balance-io.h"
#include "rhv/balance-run.h"
#include "rhv/balance.h"
#include "rhv/cleanup.h"
#include "rhv/cli.h"
#include "rhv/explain.h"
#include "rhv/names.h"
#include "rhv/parse.h"
#include "rhv/store-session.h"

#define HISTORY_MINUTES RHV_BAL_HISTORY_MINUTES

static struct {
	char *cluster, *policy, *from, *max_moves, *cooldown;
	const char **params;
	int dry_run;
} opt;

enum { P_CLUSTER, P_STEP, P_KIND, P_VM, P_FROM, P_TO, P_WHY, P_REASON, P_RESULT };

static const struct rhv_column plan_columns[] = {
	[P_CLUSTER] = { "cluster", "CLUSTER", RHV_COL_STR, RHV_COL_DEFAULT, "cluster balanced" },
	[P_STEP] = { "step", "STEP", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "order of the step" },
	[P_KIND] = { "kind", "KIND", RHV_COL_STR, RHV_COL_DEFAULT, "migrate, power-off or power-on" },
	[P_VM] = { "vm", "VM", RHV_COL_STR, RHV_COL_DEFAULT, "VM moved" },
	[P_FROM] = { "from", "FROM", RHV_COL_STR, RHV_COL_DEFAULT, "host it leaves (or the host powered)" },
	[P_TO] = { "to", "TO", RHV_COL_STR, RHV_COL_DEFAULT, "host it goes to" },
	[P_WHY] = { "trigger", "TRIGGER", RHV_COL_STR, 0, "vm-count, cpu-over, memory-over, cpu-under, ..." },
	[P_REASON] = { "reason", "REASON", RHV_COL_STR, RHV_COL_DEFAULT, "the figures that triggered it" },
	[P_RESULT] = { "result", "RESULT", RHV_COL_STR, 0, "what run did (run only)" },
};

/* run shows what it did by default */
static const struct rhv_column run_columns[] = {
	[P_CLUSTER] = { "cluster", "CLUSTER", RHV_COL_STR, RHV_COL_DEFAULT, "cluster balanced" },
	[P_STEP] = { "step", "STEP", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "order of the step" },
	[P_KIND] = { "kind", "KIND", RHV_COL_STR, RHV_COL_DEFAULT, "migrate, power-off or power-on" },
	[P_VM] = { "vm", "VM", RHV_COL_STR, RHV_COL_DEFAULT, "VM moved" },
	[P_FROM] = { "from", "FROM", RHV_COL_STR, RHV_COL_DEFAULT, "host it leaves (or the host powered)" },
	[P_TO] = { "to", "TO", RHV_COL_STR, RHV_COL_DEFAULT, "host it goes to" },
	[P_WHY] = { "trigger", "TRIGGER", RHV_COL_STR, 0, "vm-count, cpu-over, memory-over, cpu-under, ..." },
	[P_REASON] = { "reason", "REASON", RHV_COL_STR, 0, "the figures that triggered it" },
	[P_RESULT] = { "result", "RESULT", RHV_COL_STR, RHV_COL_DEFAULT,
		       "migrated, powered off, powered on, failed: ..., skipped: ..., dry run" },
};

static int parse_max_moves(int64_t def, size_t *out, struct rhv_error *err)
{
	int64_t v = def;

	if (opt.max_moves && rhv_parse_int(opt.max_moves, 0, 1000000, "--max-moves", &v, err) < 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

static void add_move(struct rhv_table *t, const struct rhv_bal_input *in, const struct rhv_bal_move *m, size_t step,
		     const char *result)
{
	rhv_table_add_row(t);
	rhv_cell_str(t, P_CLUSTER, in->cluster);
	rhv_cell_int(t, P_STEP, (int64_t)step);
	rhv_cell_str(t, P_KIND, rhv_bal_kind_name(m->kind));
	rhv_cell_str(t, P_VM, m->vm >= 0 ? in->vm_names[m->vm] : NULL);
	rhv_cell_str(t, P_FROM, m->from >= 0 ? in->host_names[m->from] : NULL);
	rhv_cell_str(t, P_TO, m->kind == RHV_BAL_MIGRATE && m->to >= 0 ? in->host_names[m->to] : NULL);
	rhv_cell_str(t, P_WHY, rhv_bal_why_name(m->why));
	rhv_cell_str(t, P_REASON, m->reason);
	rhv_cell_str(t, P_RESULT, result);
}

/* Every cluster asked for, read from the store (or the one snapshot file). */
static int for_each_cluster(struct rhv_ctx *ctx, int (*fn)(struct rhv_ctx *, struct rhv_bal_input *, void *),
			    void *arg, struct rhv_error *err)
{
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (opt.from) {
		struct rhv_bal_input in;

		if (rhv_bal_read_json(opt.from, &in, err) < 0)
			return -1;
		rc = fn(ctx, &in, arg);
		rhv_bal_input_clear(&in);
		return rc;
	}
	if (!rhv_ctx_db(ctx, err))
		return -1;
	if (opt.cluster && rhv_check_name(opt.cluster, 1024, "cluster name", err) < 0)
		return -1;
	if (rhv_bal_clusters(ctx->db, opt.cluster, &names, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct rhv_bal_input in;

		if (rhv_bal_load(ctx->db, names[i], HISTORY_MINUTES, &in, err) < 0)
			rc = -1;
		else
			rc = fn(ctx, &in, arg);
		rhv_bal_input_clear(&in);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

struct plan_arg {
	struct rhv_table *t;
	size_t max_moves;
	struct rhv_error *err;
};

static int plan_one(struct rhv_ctx *ctx, struct rhv_bal_input *in, void *arg)
{
	struct plan_arg *a = arg;
	struct rhv_bal_plan plan = { 0 };

	(void)ctx;
	if (rhv_bal_override(in, opt.policy, opt.params, a->err) < 0 ||
	    rhv_bal_plan(&in->s, a->max_moves, &plan, a->err) < 0) {
		rhv_bal_plan_clear(&plan);
		return -1;
	}
	for (size_t i = 0; i < plan.n; i++)
		add_move(a->t, in, &plan.moves[i], i + 1, NULL);
	rhv_bal_plan_clear(&plan);
	return 0;
}

static int cmd_plan(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct plan_arg a = { rhv_ctx_table(ctx, "moves", "move"), 1, err };
	int rc;

	if (parse_max_moves(1, &a.max_moves, err) < 0 || (opt.from && opt.cluster && !err->code &&
							   rhv_error_usage(err, "--from and --cluster exclude each other"))) {
		rhv_table_free(a.t);
		return -1;
	}
	rc = for_each_cluster(ctx, plan_one, &a, err);
	if (rc == 0)
		rc = rhv_ctx_print_list(ctx, a.t, err);
	rhv_table_free(a.t);
	return rc;
}

/* Each cluster in turn: the run reads it again under its lock. */
static int cmd_run(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_bal_run_opts o = { 1, RHV_BAL_COOLDOWN_DEFAULT, opt.dry_run };
	struct rhv_table *t = rhv_ctx_table(ctx, "moves", "move");
	char **names = NULL;
	size_t n = 0, done = 0, failed = 0;
	int rc = -1;

	if (parse_max_moves(1, &o.max_moves, err) < 0 ||
	    (opt.cooldown && rhv_parse_int(opt.cooldown, 0, 10080, "--cooldown", &o.cooldown_minutes, err) < 0))
		goto out;
	if (opt.cluster && rhv_check_name(opt.cluster, 1024, "cluster name", err) < 0)
		goto out;
	if (rhv_bal_clusters(ctx->db, opt.cluster, &names, &n, err) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct rhv_bal_run_report r;

		rc = rhv_bal_run(ctx->db, names[i], &o, rhv_ctx_progress(ctx), &r, err);
		if (r.skipped)
			rhv_info(ctx, "cluster '%s' skipped: another balancing run is at work on it", names[i]);
		for (size_t k = 0; k < r.n; k++)
			add_move(t, &r.in, &r.steps[k].move, r.steps[k].step, r.steps[k].result);
		done += r.done + r.powered;
		failed += r.failed;
		rhv_bal_run_report_clear(&r);
	}
	if (rc == 0)
		rc = rhv_ctx_print_list(ctx, t, err);
	if (rc == 0 && failed)
		rc = rhv_error_set(err, RHV_EXIT_PARTIAL, "%zu of %zu steps failed", failed, failed + done);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	rhv_table_free(t);
	return rc;
}

enum { A_CLUSTER, A_RISK, A_WORST, A_HA_VMS, A_ON_WORST, A_UNPLACEABLE, A_MEM, A_CPU };

static const struct rhv_column ha_columns[] = {
	[A_CLUSTER] = { "cluster", "CLUSTER", RHV_COL_STR, RHV_COL_DEFAULT, "cluster checked" },
	[A_RISK] = { "at_risk", "AT RISK", RHV_COL_BOOL, RHV_COL_DEFAULT,
		     "losing some host leaves an HA VM without a host" },
	[A_WORST] = { "worst_host", "WORST HOST", RHV_COL_STR, RHV_COL_DEFAULT, "the host whose loss hurts most" },
	[A_HA_VMS] = { "ha_vms", "HA VMS", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "HA VMs on Up hosts" },
	[A_ON_WORST] = { "ha_vms_on_worst", "ON WORST", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
			 "HA VMs on the worst host" },
	[A_UNPLACEABLE] = { "unplaceable", "NO ROOM", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
			    "of those, VMs no other host could take" },
	[A_MEM] = { "memory_headroom", "MEM HEADROOM", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT,
		    "memory free on the other hosts after the restarts" },
	[A_CPU] = { "cpu_headroom", "CPU HEADROOM", RHV_COL_FLOAT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
		    "cores free on the other hosts after the restarts" },
};

struct ha_arg {
	struct rhv_table *t;
	size_t at_risk;
	struct rhv_error *err;
};

static int ha_one(struct rhv_ctx *ctx, struct rhv_bal_input *in, void *arg)
{
	struct ha_arg *a = arg;
	struct rhv_ha_report r;

	if (rhv_bal_ha_check(&in->s, &r, a->err) < 0)
		return -1;
	rhv_table_add_row(a->t);
	rhv_cell_str(a->t, A_CLUSTER, in->cluster);
	rhv_cell_bool(a->t, A_RISK, r.at_risk);
	rhv_cell_str(a->t, A_WORST, r.worst_host >= 0 ? in->host_names[r.worst_host] : NULL);
	rhv_cell_int(a->t, A_HA_VMS, r.ha_vms);
	rhv_cell_int(a->t, A_ON_WORST, r.ha_vms_on_worst);
	rhv_cell_int(a->t, A_UNPLACEABLE, r.unplaceable);
	rhv_cell_bytes(a->t, A_MEM, r.mem_headroom);
	rhv_cell_float(a->t, A_CPU, r.cpu_headroom);
	if (r.at_risk) {
		_cleanup_free_ char *msg = rhv_xasprintf(
			"HA reservation: cluster '%s' cannot restart %d HA VM%s if host '%s' fails", in->cluster,
			r.unplaceable, r.unplaceable == 1 ? "" : "s", r.worst_host >= 0 ? in->host_names[r.worst_host] : "?");

		a->at_risk++;
		if (ctx->db && !opt.from && rhv_bal_event(ctx->db, in->cluster, true, "ha-check", msg, a->err) < 0)
			return -1;
	}
	return 0;
}

static int cmd_ha_check(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct ha_arg a = { rhv_ctx_table(ctx, "clusters", "cluster"), 0, err };
	int rc = for_each_cluster(ctx, ha_one, &a, err);

	if (rc == 0)
		rc = rhv_ctx_print_list(ctx, a.t, err);
	rhv_table_free(a.t);
	/* cron: 1 means at risk (the ALERT event says which) */
	if (rc == 0 && a.at_risk)
		rc = rhv_error_set(err, RHV_EXIT_FAILED, "%zu cluster%s at risk: an HA VM could not be restarted",
				   a.at_risk, a.at_risk == 1 ? "" : "s");
	return rc;
}

/* Why this VM would (not) move: the scheduler's verdicts for it, and the policy's plan. */
static int cmd_explain(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_bal_explain x;
	struct rhv_table *t;
	enum rhv_format fmt = RHV_FMT_TABLE;
	bool prose;
	int rc;

	if (rhv_bal_explain(ctx->db, ctx->argv[0], opt.policy, opt.params, &x, err) < 0)
		return -1;
	/* a person reads the VM, the policy and the verdict as sentences; scripts get them as columns */
	prose = rhv_format_parse(ctx->out.format, &fmt, err) == 0 && fmt == RHV_FMT_TABLE;
	t = rhv_ctx_table(ctx, "hosts", "host");
	rhv_bal_explain_rows(&x, t);
	if (prose)
		printf("VM %s on host %s, cluster %s\npolicy: %s\n", x.vm, x.host, x.cluster, x.pl.policy);
	rc = rhv_ctx_print_list(ctx, t, err);
	if (rc == 0 && prose)
		printf("%s\n", x.verdict);
	rhv_table_free(t);
	rhv_bal_explain_clear(&x);
	return rc;
}

static int cmd_save(struct rhv_ctx *ctx, struct rhv_error *err)
{
	char **names = NULL;
	size_t n = 0;
	struct rhv_bal_input in;
	const char *path = ctx->argv[0];
	FILE *f;
	int rc;

	if (opt.cluster && rhv_check_name(opt.cluster, 1024, "cluster name", err) < 0)
		return -1;
	if (rhv_bal_clusters(ctx->db, opt.cluster, &names, &n, err) < 0)
		return -1;
	if (n != 1) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return rhv_error_usage(err, "name the cluster to save with --cluster (the store has %zu)", n);
	}
	rc = rhv_bal_load(ctx->db, names[0], HISTORY_MINUTES, &in, err);
	free(names[0]);
	free(names);
	if (rc < 0)
		return -1;
	f = strcmp(path, "-") ? fopen(path, "we") : stdout;
	if (!f) {
		rhv_bal_input_clear(&in);
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot write '%s': %m", path);
	}
	rc = rhv_bal_write_json(&in, f, err);
	if (f != stdout && fclose(f) != 0 && rc == 0)
		rc = rhv_error_set(err, RHV_EXIT_FAILED, "cannot write '%s': %m", path);
	if (rc == 0 && f != stdout)
		rhv_info(ctx, "cluster '%s' saved to '%s' (%zu host%s, %zu VM%s)", in.cluster, path, in.s.nhosts,
			 in.s.nhosts == 1 ? "" : "s", in.s.nvms, in.s.nvms == 1 ? "" : "s");
	rhv_bal_input_clear(&in);
	return rc;
}

static const struct rhv_opt plan_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster, .help = "only this cluster",
	  .arg = "cluster", .complete = &rhv_names_cluster },
	{ .name = "policy", .kind = RHV_OPT_STRING, .target = &opt.policy,
	  .help = "what if the cluster had this policy",
	  .arg = "none|evenly_distributed|power_saving|vm_evenly_distributed" },
	{ .name = "param", .kind = RHV_OPT_LIST, .target = &opt.params,
	  .help = "what if this parameter had this value", .arg = "key=value",
	  .complete = &rhv_names_policy_param },
	{ .name = "from", .kind = RHV_OPT_STRING, .target = &opt.from,
	  .help = "plan a saved snapshot instead of the store ('-': stdin)", .arg = "file",
	  .complete = RHV_FILE },
	{ .name = "max-moves", .kind = RHV_OPT_STRING, .target = &opt.max_moves,
	  .help = "steps to plan per cluster (default 1, 0: all)", .arg = "n", .complete = RHV_FREE },
	RHV_OPT_END,
};
static const struct rhv_opt run_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster, .help = "only this cluster",
	  .arg = "cluster", .complete = &rhv_names_cluster },
	{ .name = "max-moves", .kind = RHV_OPT_STRING, .target = &opt.max_moves,
	  .help = "migrations per cluster (default 1, 0: all)", .arg = "n", .complete = RHV_FREE },
	{ .name = "cooldown", .kind = RHV_OPT_STRING, .target = &opt.cooldown,
	  .help = "minutes a VM stays put after it moved (default 10)", .arg = "minutes", .complete = RHV_FREE },
	{ .name = "dry-run", .kind = RHV_OPT_FLAG, .target = &opt.dry_run,
	  .help = "plan and report, migrate and power nothing" },
	RHV_OPT_END,
};
static const struct rhv_opt cluster_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster, .help = "only this cluster",
	  .arg = "cluster", .complete = &rhv_names_cluster },
	RHV_OPT_END,
};
static const struct rhv_opt ha_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster, .help = "only this cluster",
	  .arg = "cluster", .complete = &rhv_names_cluster },
	{ .name = "from", .kind = RHV_OPT_STRING, .target = &opt.from,
	  .help = "check a saved snapshot instead of the store", .arg = "file", .complete = RHV_FILE },
	RHV_OPT_END,
};
static const struct rhv_arg file_arg[] = { { .name = "file", .complete = RHV_FILE }, RHV_ARG_END };
static const struct rhv_arg vm_arg[] = { { .name = "vm", .complete = &rhv_names_vm }, RHV_ARG_END };
static const struct rhv_opt explain_opts[] = {
	{ .name = "policy", .kind = RHV_OPT_STRING, .target = &opt.policy,
	  .help = "what if the cluster had this policy",
	  .arg = "none|evenly_distributed|power_saving|vm_evenly_distributed" },
	{ .name = "param", .kind = RHV_OPT_LIST, .target = &opt.params,
	  .help = "what if this parameter had this value", .arg = "key=value",
	  .complete = &rhv_names_policy_param },
	RHV_OPT_END,
};

static const struct rhv_cmd cmds[] = {
	{ .name = "plan", .handler = cmd_plan, .opts = plan_opts, RHV_COLUMNS(plan_columns),
	  .summary = "show the moves the policy would make",
	  .description =
		"Print the numbered steps the cluster's load-balancing policy would take now -- VM, from, to, "
		"and the figures that triggered it -- and change nothing. --policy and --param ask what if; "
		"--from plans a snapshot saved with 'save' (format rhv-balance-snapshot/1, see rhv-balance(1)); "
		"--max-moves 0 prints the whole sequence that brings the cluster to the policy's balanced state.",
	  .flags = RHV_CMD_OUTPUT },
	{ .name = "run", .handler = cmd_run, .opts = run_opts, RHV_COLUMNS(run_columns),
	  .summary = "balance: plan and migrate",
	  .description =
		"Plan as 'plan' does and execute the migrations through rhv-vm's machinery: one move per cluster "
		"per run unless --max-moves says otherwise (oVirt's one-a-minute balancer), VMs that moved "
		"within the cool-down stay put. Runs that overlap (cron and an admin) take turns per cluster: a "
		"run that finds a cluster held skips it. Under power_saving, power-off and power-on steps go through "
		"power management: an idle host goes to Maintenance and is stopped by its fence agents (then Down, "
		"\"powered off for power saving\"), and is started and activated again when the policy asks. "
		"Exit 6 when a step failed.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES | RHV_CMD_OUTPUT },
	{ .name = "ha-check", .handler = cmd_ha_check, .opts = ha_opts, RHV_COLUMNS(ha_columns),
	  .summary = "check HA reservation: can every HA VM restart if a host fails",
	  .description =
		"For each cluster, find the host whose failure hurts most and whether every HA VM it runs could "
		"be restarted on the other Up hosts, with the memory and CPU headroom left afterwards. Writes an "
		"ALERT event for each cluster at risk. Cron-friendly: exit 0 when all is well, 1 when some "
		"cluster is at risk.",
	  .flags = RHV_CMD_OUTPUT | RHV_CMD_MUTATES },
	{ .name = "explain", .handler = cmd_explain, .opts = explain_opts, .args = vm_arg,
	  .columns = rhv_explain_columns, .ncolumns = RHV_EXPLAIN_COLS,
	  .summary = "explain where a VM could go and whether it would move",
	  .description =
		"Show, for one running VM, every host's filter verdict and weight as the scheduler sees them "
		"now, and whether the cluster's policy would move it now and why. A table comes with the VM, the "
		"policy and the verdict as sentences; for -o json and tsv they are the columns vm, cluster, "
		"policy, current, move and verdict (-c).",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT },
	{ .name = "save", .handler = cmd_save, .opts = cluster_opts, .args = file_arg,
	  .summary = "save a cluster's snapshot for offline plans",
	  .description =
		"Write the cluster's hosts, VMs, CPU history, policy and parameters as JSON "
		"(rhv-balance-snapshot/1) to FILE ('-': standard output), for 'plan --from'.",
	  .flags = RHV_CMD_NEEDS_DB },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-balance",
	.summary = "Balance clusters by their scheduling policies",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
