/* rhv-db: the state store — create, upgrade, inspect, start and stop it. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/cli.h"
#include "rhv/db.h"
#include "rhv/names.h"
#include "rhv/parse.h"
#include "rhv/settings.h"
#include "rhv/store-session.h"
#include "rhv/store.h"

static struct {
	char *version;
} opt;

static int target_version(int *target, struct rhv_error *err)
{
	int64_t v = 0;

	if (opt.version && rhv_parse_int(opt.version, 1, 1000000, "schema version", &v, err) < 0)
		return -1;
	*target = (int)v;
	return 0;
}

static int migrate(struct rhv_ctx *ctx, int target, struct rhv_error *err)
{
	struct rhv_db *db = rhv_db_open(ctx->db_conninfo, ctx->prog->name, RHV_DB_ANY_SCHEMA, err);
	int from, to, rc;

	if (!db)
		return -1;
	rc = rhv_db_migrate(db, target, &from, &to, err);
	rhv_db_close(db);
	if (rc < 0)
		return -1;
	if (from == to)
		rhv_info(ctx, "schema is at version %d, nothing to do", to);
	else if (from == 0)
		rhv_info(ctx, "schema created at version %d", to);
	else
		rhv_info(ctx, "schema upgraded from version %d to %d", from, to);
	return 0;
}

static int cmd_init(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_store_loc loc;
	int target, rc = 0;

	if (target_version(&target, err) < 0 || rhv_store_locate(ctx->db_conninfo, &loc, err) < 0)
		return -1;
	if (loc.source == RHV_STORE_EMBEDDED) {
		bool created;

		rc = rhv_store_embedded_init(&loc, &created, err);
		if (rc == 0 && created)
			rhv_info(ctx, "created the embedded store in '%s'", loc.datadir);
	}
	rhv_store_loc_clear(&loc);
	return rc < 0 ? -1 : migrate(ctx, target, err);
}

static int cmd_upgrade(struct rhv_ctx *ctx, struct rhv_error *err)
{
	int target;

	if (target_version(&target, err) < 0)
		return -1;
	return migrate(ctx, target, err);
}

enum { S_SOURCE, S_CONNINFO, S_CONFIG, S_DATADIR, S_REACHABLE, S_SERVER, S_SCHEMA, S_LATEST, S_STATE };

static const struct rhv_column status_columns[] = {
	[S_SOURCE] = { "source", "SOURCE", RHV_COL_STR, RHV_COL_DEFAULT, "--db, RHV_DB, config or embedded" },
	[S_CONNINFO] = { "conninfo", "CONNINFO", RHV_COL_STR, RHV_COL_DEFAULT,
			 "connection string, password hidden" },
	[S_CONFIG] = { "config_file", "CONFIG FILE", RHV_COL_STR, RHV_COL_DEFAULT, "config file it came from" },
	[S_DATADIR] = { "data_directory", "DATA DIRECTORY", RHV_COL_STR, RHV_COL_DEFAULT,
			"embedded cluster's directory" },
	[S_REACHABLE] = { "reachable", "REACHABLE", RHV_COL_BOOL, RHV_COL_DEFAULT, "whether a connection worked" },
	[S_SERVER] = { "server_version", "SERVER VERSION", RHV_COL_STR, RHV_COL_DEFAULT, "PostgreSQL version" },
	[S_SCHEMA] = { "schema_version", "SCHEMA VERSION", RHV_COL_INT, RHV_COL_DEFAULT,
		       "schema version in the store" },
	[S_LATEST] = { "program_schema_version", "PROGRAM SCHEMA", RHV_COL_INT, RHV_COL_DEFAULT,
		       "schema version this program expects" },
	[S_STATE] = { "schema_state", "SCHEMA STATE", RHV_COL_STR, RHV_COL_DEFAULT,
		      "current, missing, old or newer" },
};

static int cmd_status(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_error conn_err = { 0 };
	struct rhv_store_loc loc;
	struct rhv_table *t;
	struct rhv_db *db;
	_cleanup_free_ char *redacted = NULL;
	int latest = rhv_db_schema_latest(), rc;

	if (rhv_store_locate(ctx->db_conninfo, &loc, err) < 0)
		return -1;
	db = rhv_db_open(ctx->db_conninfo, ctx->prog->name, RHV_DB_ANY_SCHEMA | RHV_DB_NO_START, &conn_err);
	redacted = rhv_store_redact(loc.conninfo);
	t = rhv_ctx_table(ctx, "stores", "store");
	rhv_table_add_row(t);
	rhv_cell_str(t, S_SOURCE, rhv_store_source_name(loc.source));
	rhv_cell_str(t, S_CONNINFO, redacted);
	rhv_cell_str(t, S_CONFIG, loc.config_path);
	rhv_cell_str(t, S_DATADIR, loc.datadir);
	rhv_cell_bool(t, S_REACHABLE, db != NULL);
	rhv_cell_int(t, S_LATEST, latest);
	if (db) {
		int v = rhv_db_schema_version(db);

		rhv_cell_str(t, S_SERVER, rhv_db_server_version(db));
		rhv_cell_int(t, S_SCHEMA, v);
		rhv_cell_str(t, S_STATE, v == 0 ? "missing" : v < latest ? "old" : v > latest ? "newer" : "current");
	}
	rc = rhv_ctx_print_show(ctx, t, err);
	rhv_table_free(t);
	rhv_store_loc_clear(&loc);
	if (rc == 0 && !db) {
		*err = conn_err; /* exit 5, after printing what we know */
		rc = -1;
	}
	rhv_db_close(db);
	return rc;
}

static int embedded(struct rhv_ctx *ctx, struct rhv_store_loc *loc, struct rhv_error *err)
{
	if (rhv_store_locate(ctx->db_conninfo, loc, err) < 0)
		return -1;
	if (loc->source != RHV_STORE_EMBEDDED) {
		rhv_error_set(err, RHV_EXIT_CONFLICT, "the store is not the embedded default (it comes from %s)",
			      rhv_store_source_name(loc->source));
		rhv_error_hint(err, "start and stop that PostgreSQL server with its own tools");
		rhv_store_loc_clear(loc);
		return -1;
	}
	return 0;
}

static int cmd_start(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_store_loc loc;
	bool started;
	int rc;

	if (embedded(ctx, &loc, err) < 0)
		return -1;
	rc = rhv_store_embedded_start(&loc, &started, err);
	if (rc == 0)
		rhv_info(ctx, started ? "embedded store started" : "embedded store already running");
	rhv_store_loc_clear(&loc);
	return rc;
}

static int cmd_stop(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_store_loc loc;
	bool stopped;
	int rc;

	if (embedded(ctx, &loc, err) < 0)
		return -1;
	rc = rhv_store_embedded_stop(&loc, &stopped, err);
	if (rc == 0)
		rhv_info(ctx, stopped ? "embedded store stopped" : "embedded store not running");
	rhv_store_loc_clear(&loc);
	return rc;
}

enum { G_KEY, G_VALUE, G_DEFAULT, G_MIN, G_MAX, G_UNIT, G_SET, G_HELP };

static const struct rhv_column setting_columns[] = {
	[G_KEY] = { "key", "SETTING", RHV_COL_STR, RHV_COL_DEFAULT, "setting name" },
	[G_VALUE] = { "value", "VALUE", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "effective value" },
	[G_DEFAULT] = { "default", "DEFAULT", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "built-in default" },
	[G_MIN] = { "min", "MIN", RHV_COL_INT, RHV_COL_RIGHT, "smallest valid value" },
	[G_MAX] = { "max", "MAX", RHV_COL_INT, RHV_COL_RIGHT, "largest valid value" },
	[G_UNIT] = { "unit", "UNIT", RHV_COL_STR, RHV_COL_DEFAULT, "unit of the value" },
	[G_SET] = { "explicit", "SET", RHV_COL_BOOL, RHV_COL_DEFAULT, "set in the store, not defaulted" },
	[G_HELP] = { "description", "DESCRIPTION", RHV_COL_STR, RHV_COL_DEFAULT, "what it controls" },
};

static int cmd_settings(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_settings st;
	struct rhv_table *t;
	int rc;

	if (rhv_settings_load(ctx->db, &st, err) < 0)
		return -1;
	t = rhv_ctx_table(ctx, "settings", "setting");
	for (int i = 0; i < RHV_SET_COUNT; i++) {
		const struct rhv_setting_def *d = &rhv_setting_defs[i];

		if (ctx->argc && strcmp(ctx->argv[0], d->key))
			continue;
		rhv_table_add_row(t);
		rhv_cell_str(t, G_KEY, d->key);
		rhv_cell_int(t, G_VALUE, st.v[i]);
		rhv_cell_int(t, G_DEFAULT, d->def);
		rhv_cell_int(t, G_MIN, d->min);
		rhv_cell_int(t, G_MAX, d->max);
		rhv_cell_str(t, G_UNIT, d->unit);
		rhv_cell_bool(t, G_SET, st.explicit[i]);
		rhv_cell_str(t, G_HELP, d->help);
	}
	if (ctx->argc && rhv_table_rows(t) == 0) {
		rhv_table_free(t);
		return rhv_setting_find(ctx->argv[0], err);
	}
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	return rc;
}

static int cmd_set(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_setting_store(ctx->db, ctx->argv[0], ctx->argv[1], err) < 0)
		return -1;
	rhv_info(ctx, "setting %s set to %s", ctx->argv[0], ctx->argv[1]);
	return 0;
}

static int cmd_reset(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_setting_store(ctx->db, ctx->argv[0], NULL, err) < 0)
		return -1;
	rhv_info(ctx, "setting %s reset to its default", ctx->argv[0]);
	return 0;
}

static const struct rhv_arg setting_arg[] = {
	{ .name = "setting", .flags = RHV_ARG_OPTIONAL, .complete = &rhv_names_setting },
	RHV_ARG_END,
};
static const struct rhv_arg set_args[] = {
	{ .name = "setting", .complete = &rhv_names_setting },
	{ .name = "value", .complete = RHV_FREE },
	RHV_ARG_END,
};
static const struct rhv_arg reset_arg[] = {
	{ .name = "setting", .complete = &rhv_names_setting },
	RHV_ARG_END,
};

static const struct rhv_opt version_opts[] = {
	{ .name = "schema-version", .kind = RHV_OPT_STRING, .target = &opt.version,
	  .help = "stop at this schema version instead of the latest", .arg = "n", .complete = RHV_FREE },
	RHV_OPT_END,
};

static const struct rhv_cmd cmds[] = {
	{ .name = "init", .handler = cmd_init, .opts = version_opts,
	  .summary = "create or upgrade the store",
	  .description =
		"Create the schema in the configured store, or upgrade it. With no store configured, first "
		"create the embedded default: a private PostgreSQL cluster reached over a unix socket only. Safe "
		"to run again and from several places at once.",
	  .flags = RHV_CMD_ANY_SCHEMA },
	{ .name = "upgrade", .handler = cmd_upgrade, .opts = version_opts,
	  .summary = "apply pending schema migrations",
	  .description =
		"Apply the schema migrations the store lacks, each in its own transaction, keeping all data.",
	  .flags = RHV_CMD_ANY_SCHEMA },
	{ .name = "status", .handler = cmd_status, RHV_COLUMNS(status_columns),
	  .summary = "show which store is in use and its state",
	  .description =
		"Show where the store is, where that setting came from, whether it is reachable and its schema "
		"version. Exits 5 when the store cannot be reached.",
	  .flags = RHV_CMD_OUTPUT | RHV_CMD_ANY_SCHEMA },
	{ .name = "start", .handler = cmd_start,
	  .summary = "start the embedded store",
	  .description = "Start the embedded PostgreSQL cluster. Other commands start it on demand too.",
	  .flags = RHV_CMD_ANY_SCHEMA },
	{ .name = "stop", .handler = cmd_stop,
	  .summary = "stop the embedded store",
	  .description =
		"Stop the embedded PostgreSQL cluster (fast shutdown: open transactions are rolled back).",
	  .flags = RHV_CMD_ANY_SCHEMA },
	{ .name = "settings", .handler = cmd_settings, .args = setting_arg, RHV_COLUMNS(setting_columns),
	  .summary = "list engine settings",
	  .description =
		"List the settings every rhv tool obeys (grace times, migration limits, timeouts) with their "
		"values, defaults and ranges, or one of them.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT },
	{ .name = "set", .handler = cmd_set, .args = set_args,
	  .summary = "change a setting",
	  .description =
		"Change a setting for every rhv tool using this store. The value is checked against its range.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES },
	{ .name = "reset", .handler = cmd_reset, .args = reset_arg,
	  .summary = "reset a setting to its default",
	  .description = "Forget a changed setting so its built-in default applies again.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-db",
	.summary = "Manage the rhv state store",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
