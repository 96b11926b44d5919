/* rhv-cluster: clusters, their CPU type and their scheduling policy. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/cli.h"
#include "rhv/cluster.h"
#include "rhv/cputype.h"
#include "rhv/host.h"
#include "rhv/names.h"
#include "rhv/parse.h"
#include "rhv/policy.h"
#include "rhv/store-session.h"

static struct {
	char *dc, *cpu_type, *description, *compat_version, *name, *policy, *ha, *host;
	char *fencing, *skip_percent, *skip_lease, *grace;
	const char **params;
} opt;

enum { C_NAME, C_ID, C_DC, C_CPU, C_CPU_NAME, C_VENDOR, C_COMPAT, C_POLICY, C_HA, C_PARAMS, C_DESCRIPTION, C_CREATED,
       C_UPDATED, C_FENCING, C_SKIP_PERCENT, C_SKIP_LEASE, C_GRACE };

static const struct rhv_column cluster_columns[] = {
	[C_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "cluster name" },
	[C_ID] = { "id", "ID", RHV_COL_UUID, 0, "unique id" },
	[C_DC] = { "data_center", "DATA CENTER", RHV_COL_STR, RHV_COL_DEFAULT, "data center it belongs to" },
	[C_CPU] = { "cpu_type", "CPU TYPE", RHV_COL_STR, RHV_COL_DEFAULT, "CPU type of its hosts (as --cpu-type)" },
	[C_CPU_NAME] = { "cpu_name", "CPU NAME", RHV_COL_STR, 0, "full name of the CPU type" },
	[C_VENDOR] = { "cpu_vendor", "VENDOR", RHV_COL_STR, 0, "Intel, AMD or IBM" },
	[C_COMPAT] = { "compat_version", "VERSION", RHV_COL_STR, RHV_COL_DEFAULT, "compatibility version" },
	[C_POLICY] = { "policy", "POLICY", RHV_COL_STR, RHV_COL_DEFAULT, "scheduling policy" },
	[C_HA] = { "ha_reservation", "HA RESERVATION", RHV_COL_BOOL, RHV_COL_DEFAULT,
		   "whether HA capacity is monitored" },
	[C_PARAMS] = { "policy_params", "POLICY PARAMETERS", RHV_COL_STR, 0, "KEY=VALUE, effective values" },
	[C_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, 0, "free text" },
	[C_CREATED] = { "created", "CREATED", RHV_COL_TIME, 0, "when it was created" },
	[C_UPDATED] = { "updated", "UPDATED", RHV_COL_TIME, 0, "when it last changed" },
	[C_FENCING] = { "fencing", "FENCING", RHV_COL_BOOL, 0, "whether its hosts may be fenced" },
	[C_SKIP_PERCENT] = { "fencing_skip_percent", "FENCE SKIP %", RHV_COL_INT, RHV_COL_RIGHT,
			     "no fencing while this share of its hosts is unreachable (0: never skip)" },
	[C_SKIP_LEASE] = { "fencing_skip_lease", "FENCE SKIP LEASE", RHV_COL_BOOL, 0,
			   "no fencing of a host whose storage lease is still renewed" },
	[C_GRACE] = { "fencing_startup_grace", "FENCE GRACE", RHV_COL_INT, RHV_COL_RIGHT,
		      "seconds after the monitor starts without fencing" },
};

static void add_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_cluster *c = item;
	const struct rhv_cpu_type *cpu = rhv_cpu_type_find(c->cpu_type);
	_cleanup_free_ char *params = NULL;

	for (size_t i = 0; i < c->nparams; i++)
		if (c->params[i].value)
			rhv_xappendf(&params, ",", "%s=%s", c->params[i].key, c->params[i].value);
	rhv_table_add_row(t);
	rhv_cell_str(t, C_NAME, c->name);
	rhv_cell_str(t, C_ID, c->id);
	rhv_cell_str(t, C_DC, c->dc);
	rhv_cell_str(t, C_CPU, c->cpu_type);
	rhv_cell_str(t, C_CPU_NAME, cpu ? cpu->name : NULL);
	rhv_cell_str(t, C_VENDOR, cpu ? cpu->vendor : NULL);
	rhv_cell_str(t, C_COMPAT, c->compat_version);
	rhv_cell_str(t, C_POLICY, c->policy);
	rhv_cell_bool(t, C_HA, c->ha_reservation);
	rhv_cell_str(t, C_PARAMS, params);
	rhv_cell_str(t, C_DESCRIPTION, c->description);
	rhv_cell_time(t, C_CREATED, c->created);
	rhv_cell_time(t, C_UPDATED, c->updated);
	rhv_cell_bool(t, C_FENCING, c->fencing_enabled);
	rhv_cell_int(t, C_SKIP_PERCENT, c->fencing_skip_percent);
	rhv_cell_bool(t, C_SKIP_LEASE, c->fencing_skip_lease);
	rhv_cell_int(t, C_GRACE, c->fencing_startup_grace);
}

static const struct rhv_rows rows = { "clusters", "cluster", sizeof(struct rhv_cluster), add_row };

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_cluster_list l;
	int rc;

	if (opt.dc && rhv_check_name(opt.dc, 1024, "data center name", err) < 0)
		return -1;
	if (rhv_cluster_list(ctx->db, opt.dc, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &rows, l.items, l.n, err);
	rhv_cluster_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_cluster c;
	int rc;

	if (rhv_cluster_get(ctx->db, ctx->argv[0], &c, err) < 0) {
		rhv_cluster_clear(&c);
		return -1;
	}
	rc = rhv_ctx_print_item(ctx, &rows, &c, err);
	rhv_cluster_clear(&c);
	return rc;
}

static int cmd_create(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_cluster_spec s = {
		.name = ctx->argv[0],
		.dc = opt.dc,
		.cpu_type = opt.cpu_type,
		.description = opt.description,
		.compat_version = opt.compat_version,
		.fencing = opt.fencing,
		.fencing_skip_percent = opt.skip_percent,
		.fencing_skip_lease = opt.skip_lease,
		.fencing_startup_grace = opt.grace,
	};

	if (rhv_cluster_create(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "cluster '%s' created", s.name);
	return 0;
}

static int cmd_edit(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_cluster_spec s = {
		.name = ctx->argv[0],
		.new_name = opt.name,
		.cpu_type = opt.cpu_type,
		.description = opt.description,
		.compat_version = opt.compat_version,
		.fencing = opt.fencing,
		.fencing_skip_percent = opt.skip_percent,
		.fencing_skip_lease = opt.skip_lease,
		.fencing_startup_grace = opt.grace,
	};

	if (rhv_cluster_edit(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "cluster '%s' updated", s.new_name ? s.new_name : s.name);
	return 0;
}

static int cmd_remove(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_cluster_remove(ctx->db, ctx->argv[0], err) < 0)
		return -1;
	rhv_info(ctx, "cluster '%s' removed", ctx->argv[0]);
	return 0;
}

static int cmd_policy(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_cluster_policy_spec s = {
		.cluster = ctx->argv[0],
		.policy = opt.policy,
		.params = opt.params,
		.ha_reservation = -1,
	};

	if (opt.ha) {
		bool on;

		if (rhv_parse_bool(opt.ha, "--ha-reservation", &on, err) < 0)
			return -1;
		s.ha_reservation = on;
	}
	if (rhv_cluster_set_policy(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "cluster '%s' policy updated", s.cluster);
	return 0;
}

enum { P_CLUSTER, P_KEY, P_VALUE, P_SET, P_DEFAULT, P_MIN, P_MAX, P_HELP };

static const struct rhv_column param_columns[] = {
	[P_CLUSTER] = { "policy", "POLICY", RHV_COL_STR, RHV_COL_DEFAULT, "policy the parameter belongs to" },
	[P_KEY] = { "parameter", "PARAMETER", RHV_COL_STR, RHV_COL_DEFAULT, "oVirt's parameter name" },
	[P_VALUE] = { "value", "VALUE", RHV_COL_ANY, RHV_COL_DEFAULT, "effective value (null: off)" },
	[P_SET] = { "explicit", "SET", RHV_COL_BOOL, RHV_COL_DEFAULT, "set on the cluster, not defaulted" },
	[P_DEFAULT] = { "default", "DEFAULT", RHV_COL_ANY, RHV_COL_DEFAULT, "policy default (null: none)" },
	[P_MIN] = { "min", "MIN", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "smallest valid value" },
	[P_MAX] = { "max", "MAX", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "largest valid value" },
	[P_HELP] = { "description", "DESCRIPTION", RHV_COL_STR, 0, "what it controls" },
};

static void param_row(struct rhv_table *t, const char *policy, const struct rhv_policy_param *pp,
		      const struct rhv_cluster_param *cp)
{
	/* cp: the cluster's value (NULL value: unset, no default) */
	enum rhv_coltype type = pp->kind == RHV_PARAM_BOOL ? RHV_COL_BOOL : RHV_COL_INT;

	rhv_table_add_row(t);
	rhv_cell_str(t, P_CLUSTER, policy);
	rhv_cell_str(t, P_KEY, pp->key);
	if (cp->value)
		rhv_cell_typed(t, P_VALUE, type, NULL, rhv_policy_stored_value(pp->key, cp->value));
	rhv_cell_bool(t, P_SET, cp->explicit);
	if (pp->has_default)
		rhv_cell_typed(t, P_DEFAULT, type, NULL, pp->def);
	rhv_cell_int(t, P_MIN, pp->min);
	rhv_cell_int(t, P_MAX, pp->max);
	rhv_cell_str(t, P_HELP, pp->help);
}

static int cmd_params(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_cluster c;
	struct rhv_table *t;
	int rc;

	if (rhv_cluster_get(ctx->db, ctx->argv[0], &c, err) < 0) {
		rhv_cluster_clear(&c);
		return -1;
	}
	t = rhv_ctx_table(ctx, "parameters", "parameter");
	for (size_t i = 0; i < c.nparams; i++)
		param_row(t, c.policy, rhv_policy_param_find(c.params[i].key), &c.params[i]);
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	rhv_cluster_clear(&c);
	return rc;
}

enum { L_POLICY, L_KEY, L_DEFAULT, L_MIN, L_MAX, L_HELP, L_SUMMARY };

static const struct rhv_column policy_columns[] = {
	[L_POLICY] = { "policy", "POLICY", RHV_COL_STR, RHV_COL_DEFAULT, "scheduling policy" },
	[L_KEY] = { "parameter", "PARAMETER", RHV_COL_STR, RHV_COL_DEFAULT, "oVirt's parameter name" },
	[L_DEFAULT] = { "default", "DEFAULT", RHV_COL_ANY, RHV_COL_DEFAULT, "value unless set (null: off)" },
	[L_MIN] = { "min", "MIN", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "smallest valid value" },
	[L_MAX] = { "max", "MAX", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "largest valid value" },
	[L_HELP] = { "description", "DESCRIPTION", RHV_COL_STR, RHV_COL_DEFAULT, "what it controls" },
	[L_SUMMARY] = { "policy_summary", "POLICY SUMMARY", RHV_COL_STR, 0, "what the policy does" },
};

static int cmd_policies(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_table *t = rhv_ctx_table(ctx, "parameters", "parameter");
	int rc;

	for (size_t i = 0; i < rhv_policies_count; i++)
		for (const char *const *k = rhv_policies[i].params; *k; k++) {
			const struct rhv_policy_param *pp = rhv_policy_param_find(*k);
			enum rhv_coltype type = pp->kind == RHV_PARAM_BOOL ? RHV_COL_BOOL : RHV_COL_INT;

			rhv_table_add_row(t);
			rhv_cell_str(t, L_POLICY, rhv_policies[i].name);
			rhv_cell_str(t, L_KEY, pp->key);
			if (pp->has_default)
				rhv_cell_typed(t, L_DEFAULT, type, NULL, pp->def);
			rhv_cell_int(t, L_MIN, pp->min);
			rhv_cell_int(t, L_MAX, pp->max);
			rhv_cell_str(t, L_HELP, pp->help);
			rhv_cell_str(t, L_SUMMARY, rhv_policies[i].summary);
		}
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	return rc;
}

enum { T_ID, T_NAME, T_VENDOR, T_LEVEL, T_MODEL };

static const struct rhv_column cpu_columns[] = {
	[T_ID] = { "id", "ID", RHV_COL_STR, RHV_COL_DEFAULT, "what --cpu-type takes" },
	[T_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "full name (also accepted)" },
	[T_VENDOR] = { "vendor", "VENDOR", RHV_COL_STR, RHV_COL_DEFAULT, "Intel, AMD or IBM" },
	[T_LEVEL] = { "level", "LEVEL", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
		      "generation within the vendor" },
	[T_MODEL] = { "libvirt_model", "LIBVIRT MODEL", RHV_COL_STR, 0, "libvirt's CPU model name" },
};

/* Whether id is one of the host's comma-separated types. */
static bool host_runs(const char *types, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = types; p && *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, id, n) && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

static int cmd_cpu_types(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_host h = { 0 };
	struct rhv_table *t;
	int rc;

	if (opt.host) {
		struct rhv_db *db = rhv_ctx_db(ctx, err);

		if (!db || rhv_host_get(db, opt.host, &h, err) < 0)
			return -1;
		if (!h.cpu_types) {
			rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' has not told which CPU types it can run", h.name);
			rhv_error_hint(err, "'rhv-host refresh %s' reads it again", h.name);
			rhv_host_clear(&h);
			return -1;
		}
	}
	t = rhv_ctx_table(ctx, "cpu_types", "cpu_type");
	for (size_t i = 0; i < rhv_cpu_types_count; i++) {
		if (opt.host && !host_runs(h.cpu_types, rhv_cpu_types[i].id))
			continue;
		rhv_table_add_row(t);
		rhv_cell_str(t, T_ID, rhv_cpu_types[i].id);
		rhv_cell_str(t, T_NAME, rhv_cpu_types[i].name);
		rhv_cell_str(t, T_VENDOR, rhv_cpu_types[i].vendor);
		rhv_cell_int(t, T_LEVEL, rhv_cpu_types[i].level);
		rhv_cell_str(t, T_MODEL, rhv_cpu_types[i].libvirt_model);
	}
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	rhv_host_clear(&h);
	return rc;
}

#define OPT_DESCRIPTION \
	{ .name = "description", .kind = RHV_OPT_STRING, .target = &opt.description, .help = "free text", \
	  .arg = "text", .complete = RHV_FREE }
#define OPT_CPU \
	{ .name = "cpu-type", .kind = RHV_OPT_STRING, .target = &opt.cpu_type, .help = "CPU type of the hosts", \
	  .arg = "type", .complete = &rhv_names_cpu_type }
#define OPT_COMPAT(text) \
	{ .name = "compat-version", .kind = RHV_OPT_STRING, .target = &opt.compat_version, .help = text, \
	  .arg = "3.6|4.0|4.1" }
#define OPT_FENCING \
	{ .name = "fencing", .kind = RHV_OPT_STRING, .target = &opt.fencing, \
	  .help = "let the monitor fence its unreachable hosts (default yes)", .arg = "yes|no" }, \
	{ .name = "fencing-skip-percent", .kind = RHV_OPT_STRING, .target = &opt.skip_percent, \
	  .help = "no fencing while this share of its hosts is unreachable, 0-100 (default 50; 0: never skip)", \
	  .arg = "percent", .complete = RHV_FREE }, \
	{ .name = "fencing-skip-lease", .kind = RHV_OPT_STRING, .target = &opt.skip_lease, \
	  .help = "no fencing of a host whose storage lease is still renewed (default yes)", .arg = "yes|no" }, \
	{ .name = "fencing-startup-grace", .kind = RHV_OPT_STRING, .target = &opt.grace, \
	  .help = "no fencing this long after the monitor starts, 0-86400 (default 300)", .arg = "seconds", \
	  .complete = RHV_FREE }

static const struct rhv_opt create_opts[] = {
	{ .name = "dc", .kind = RHV_OPT_STRING, .target = &opt.dc, .help = "data center to create it in",
	  .arg = "dc", .complete = &rhv_names_dc, .required = true },
	OPT_CPU,
	OPT_DESCRIPTION,
	OPT_COMPAT("compatibility version (default: the data center's)"),
	OPT_FENCING,
	RHV_OPT_END,
};
static const struct rhv_opt edit_opts[] = {
	{ .name = "name", .kind = RHV_OPT_STRING, .target = &opt.name, .help = "rename the cluster",
	  .arg = "new-name", .complete = RHV_FREE },
	OPT_CPU,
	OPT_DESCRIPTION,
	OPT_COMPAT("raise the compatibility version"),
	OPT_FENCING,
	RHV_OPT_END,
};
static const struct rhv_opt list_opts[] = {
	{ .name = "dc", .kind = RHV_OPT_STRING, .target = &opt.dc, .help = "only clusters of this data center",
	  .arg = "dc", .complete = &rhv_names_dc },
	RHV_OPT_END,
};
static const struct rhv_opt policy_opts[] = {
	{ .name = "policy", .kind = RHV_OPT_STRING, .target = &opt.policy, .help = "scheduling policy",
	  .arg = "none|evenly_distributed|power_saving|vm_evenly_distributed" },
	{ .name = "param", .kind = RHV_OPT_LIST, .target = &opt.params,
	  .help = "set a policy parameter; KEY= resets it", .arg = "key=value",
	  .complete = &rhv_names_policy_param },
	{ .name = "ha-reservation", .kind = RHV_OPT_STRING, .target = &opt.ha,
	  .help = "monitor capacity for HA VMs", .arg = "on|off" },
	RHV_OPT_END,
};
static const struct rhv_opt cpu_types_opts[] = {
	{ .name = "host", .kind = RHV_OPT_STRING, .target = &opt.host,
	  .help = "only the types this host can run", .arg = "host", .complete = &rhv_names_host },
	RHV_OPT_END,
};
static const struct rhv_arg new_arg[] = { { .name = "name", .complete = RHV_FREE }, RHV_ARG_END };
static const struct rhv_arg cluster_arg[] = {
	{ .name = "cluster", .complete = &rhv_names_cluster },
	RHV_ARG_END,
};

#define NEEDS_DB RHV_CMD_NEEDS_DB
#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ .name = "create", .handler = cmd_create, .opts = create_opts, .args = new_arg,
	  .summary = "create a cluster",
	  .description =
		"Create a cluster in a data center. All its hosts share one CPU type; the vendor follows from "
		"the type, and Intel and AMD hosts never mix. Without --cpu-type the cluster takes the newest "
		"type its first host can run (of that host's vendor; on TCG for a host added with --emulated). "
		"'rhv-cluster cpu-types' lists the types. The fencing policy says whether and when the monitor "
		"may fence its unreachable hosts (reference 4.4).",
	  .flags = WRITES },
	{ .name = "list", .handler = cmd_list, .opts = list_opts, RHV_COLUMNS(cluster_columns),
	  .summary = "list clusters",
	  .description = "List clusters, of every data center or of one.",
	  .flags = LISTS },
	{ .name = "show", .handler = cmd_show, .args = cluster_arg, RHV_COLUMNS(cluster_columns),
	  .summary = "show one cluster",
	  .description =
		"Show one cluster, named by name or id. '-c +policy_params' adds its policy parameters; 'params' "
		"lists them in full. '-c all' adds its fencing policy too.",
	  .flags = LISTS },
	{ .name = "edit", .handler = cmd_edit, .opts = edit_opts, .args = cluster_arg,
	  .summary = "change a cluster",
	  .description =
		"Rename a cluster or change its description, CPU type, compatibility version or fencing "
		"policy. The compatibility version can only be raised. A CPU type that a host of the cluster (other than "
		"those in Maintenance) cannot run is refused. Options left out are unchanged.",
	  .flags = WRITES },
	{ .name = "remove", .handler = cmd_remove, .args = cluster_arg,
	  .summary = "remove an empty cluster",
	  .description = "Remove a cluster and its policy settings.",
	  .flags = WRITES },
	{ .name = "policy", .handler = cmd_policy, .opts = policy_opts, .args = cluster_arg,
	  .summary = "set the scheduling policy",
	  .description =
		"Set a cluster's scheduling policy, its parameters and HA reservation. Parameters use oVirt's "
		"names and ranges ('rhv-cluster policies' lists them) and are checked against the policy; "
		"changing the policy keeps the explicit values of parameters the new policy also has and drops "
		"the others. Parallel changes of different parameters are all kept.",
	  .flags = WRITES },
	{ .name = "params", .handler = cmd_params, .args = cluster_arg, RHV_COLUMNS(param_columns),
	  .summary = "show a cluster's policy parameters",
	  .description =
		"List every parameter of the cluster's policy with its effective value, whether it was set on "
		"the cluster, its default and its valid range.",
	  .flags = LISTS },
	{ .name = "policies", .handler = cmd_policies, RHV_COLUMNS(policy_columns),
	  .summary = "list scheduling policies and their parameters",
	  .description = "List each scheduling policy with its parameters, defaults and valid ranges.",
	  .flags = RHV_CMD_OUTPUT },
	{ .name = "cpu-types", .handler = cmd_cpu_types, .opts = cpu_types_opts, RHV_COLUMNS(cpu_columns),
	  .summary = "list the CPU types a cluster may have",
	  .description =
		"List the CPU types of the reference, with their vendors, oldest first within a vendor. With "
		"--host, only those the host can run, as it told when it was added, activated or refreshed: the "
		"last line is the newest.",
	  .flags = RHV_CMD_OUTPUT },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-cluster",
	.summary = "Manage clusters and their scheduling policies",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
