/* rhv-dc: data centers, the top of the inventory. */
#include "rhv/common.h"

#include "rhv/cli.h"
#include "rhv/dc.h"
#include "rhv/names.h"
#include "rhv/store-session.h"

static struct {
	char *description, *storage_type, *compat_version, *name;
} opt;

enum { C_NAME, C_ID, C_STATUS, C_STORAGE, C_COMPAT, C_CLUSTERS, C_DESCRIPTION, C_CREATED, C_UPDATED };

static const struct rhv_column dc_columns[] = {
	[C_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "data center name" },
	[C_ID] = { "id", "ID", RHV_COL_UUID, 0, "unique id" },
	[C_STATUS] = { "status", "STATUS", RHV_COL_STR, RHV_COL_DEFAULT, "Uninitialized, Up, Maintenance, ..." },
	[C_STORAGE] = { "storage_type", "STORAGE", RHV_COL_STR, RHV_COL_DEFAULT, "shared or local storage" },
	[C_COMPAT] = { "compat_version", "VERSION", RHV_COL_STR, RHV_COL_DEFAULT, "compatibility version" },
	[C_CLUSTERS] = { "clusters", "CLUSTERS", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
			 "number of clusters" },
	[C_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, RHV_COL_DEFAULT, "free text" },
	[C_CREATED] = { "created", "CREATED", RHV_COL_TIME, 0, "when it was created" },
	[C_UPDATED] = { "updated", "UPDATED", RHV_COL_TIME, 0, "when it last changed" },
};

static void add_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_dc *d = item;
	rhv_table_add_row(t);
	rhv_cell_str(t, C_NAME, d->name);
	rhv_cell_str(t, C_ID, d->id);
	rhv_cell_str(t, C_STATUS, d->status);
	rhv_cell_str(t, C_STORAGE, d->storage_type);
	rhv_cell_str(t, C_COMPAT, d->compat_version);
	rhv_cell_int(t, C_CLUSTERS, d->clusters);
	rhv_cell_str(t, C_DESCRIPTION, d->description);
	rhv_cell_time(t, C_CREATED, d->created);
	rhv_cell_time(t, C_UPDATED, d->updated);
}

static const struct rhv_rows rows = { "data_centers", "data_center", sizeof(struct rhv_dc), add_row };

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_dc_list l;
	int rc;

	if (rhv_dc_list(ctx->db, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &rows, l.items, l.n, err);
	rhv_dc_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_dc d;
	int rc;

	if (rhv_dc_get(ctx->db, ctx->argv[0], &d, err) < 0)
		return -1;
	rc = rhv_ctx_print_item(ctx, &rows, &d, err);
	rhv_dc_clear(&d);
	return rc;
}

static int cmd_create(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_dc_spec s = {
		.name = ctx->argv[0],
		.description = opt.description,
		.storage_type = opt.storage_type,
		.compat_version = opt.compat_version,
	};

	if (rhv_dc_create(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "data center '%s' created", s.name);
	return 0;
}

static int cmd_edit(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_dc_spec s = {
		.name = ctx->argv[0],
		.new_name = opt.name,
		.description = opt.description,
		.storage_type = opt.storage_type,
		.compat_version = opt.compat_version,
	};

	if (rhv_dc_edit(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "data center '%s' updated", s.new_name ? s.new_name : s.name);
	return 0;
}

static int cmd_remove(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_dc_remove(ctx->db, ctx->argv[0], err) < 0)
		return -1;
	rhv_info(ctx, "data center '%s' removed", ctx->argv[0]);
	return 0;
}

#define OPT_DESCRIPTION \
	{ .name = "description", .kind = RHV_OPT_STRING, .target = &opt.description, .help = "free text", \
	  .arg = "text", .complete = RHV_FREE }
#define OPT_STORAGE(text) \
	{ .name = "storage-type", .kind = RHV_OPT_STRING, .target = &opt.storage_type, .help = text, \
	  .arg = "shared|local" }
#define OPT_COMPAT(text) \
	{ .name = "compat-version", .kind = RHV_OPT_STRING, .target = &opt.compat_version, .help = text, \
	  .arg = "3.6|4.0|4.1" }

static const struct rhv_opt create_opts[] = {
	OPT_DESCRIPTION,
	OPT_STORAGE("shared (default) or local storage"),
	OPT_COMPAT("compatibility version (default " RHV_COMPAT_DEFAULT ")"),
	RHV_OPT_END,
};
static const struct rhv_opt edit_opts[] = {
	{ .name = "name", .kind = RHV_OPT_STRING, .target = &opt.name, .help = "rename the data center",
	  .arg = "new-name", .complete = RHV_FREE },
	OPT_DESCRIPTION,
	OPT_STORAGE("change the storage type (only while it holds no clusters)"),
	OPT_COMPAT("raise the compatibility version"),
	RHV_OPT_END,
};
static const struct rhv_arg new_dc_arg[] = { { .name = "name", .complete = RHV_FREE }, RHV_ARG_END };
static const struct rhv_arg dc_arg[] = { { .name = "dc", .complete = &rhv_names_dc }, RHV_ARG_END };

static const struct rhv_cmd cmds[] = {
	{ .name = "create", .handler = cmd_create, .opts = create_opts, .args = new_dc_arg,
	  .summary = "create a data center",
	  .description =
		"Create a data center: the container of clusters, logical networks and storage domains. Names "
		"are up to 40 characters and unique.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES },
	{ .name = "list", .handler = cmd_list, RHV_COLUMNS(dc_columns),
	  .summary = "list data centers",
	  .description = "List every data center with its status and number of clusters.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT },
	{ .name = "show", .handler = cmd_show, .args = dc_arg, RHV_COLUMNS(dc_columns),
	  .summary = "show one data center",
	  .description = "Show one data center, named by name or id.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT },
	{ .name = "edit", .handler = cmd_edit, .opts = edit_opts, .args = dc_arg,
	  .summary = "change a data center",
	  .description =
		"Rename a data center or change its description, storage type or compatibility version. The "
		"storage type changes only while the data center holds no clusters; the compatibility version "
		"can only be raised, and not above that of any of its clusters. Options left out are unchanged.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES },
	{ .name = "remove", .handler = cmd_remove, .args = dc_arg,
	  .summary = "remove an empty data center",
	  .description =
		"Remove a data center. Refused while it still holds clusters (and so hosts) or storage domains.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-dc",
	.summary = "Manage data centers",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
