/* rhv-event: the audit log. */
#include "rhv/common.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rhv/cli.h"
#include "rhv/event.h"
#include "rhv/names.h"
#include "rhv/parse.h"
#include "rhv/store-session.h"

static struct {
	char *since, *severity, *object, *limit, *days;
} opt;

enum { E_ID, E_TIME, E_SEVERITY, E_USER, E_DB_USER, E_TYPE, E_OBJ_ID, E_OBJECT, E_ACTION, E_MESSAGE };

static const struct rhv_column event_columns[] = {
	[E_ID] = { "id", "ID", RHV_COL_INT, RHV_COL_RIGHT, "event number, increasing" },
	[E_TIME] = { "time", "TIME", RHV_COL_TIME, RHV_COL_DEFAULT, "when it happened" },
	[E_SEVERITY] = { "severity", "SEVERITY", RHV_COL_STR, RHV_COL_DEFAULT, "NORMAL, WARNING, ERROR or ALERT" },
	[E_USER] = { "user", "USER", RHV_COL_STR, RHV_COL_DEFAULT, "OS user who acted" },
	[E_DB_USER] = { "db_user", "DB USER", RHV_COL_STR, 0, "store role the change was made as" },
	[E_TYPE] = { "object_type", "TYPE", RHV_COL_STR, RHV_COL_DEFAULT, "kind of object" },
	[E_OBJ_ID] = { "object_id", "OBJECT ID", RHV_COL_UUID, 0, "id of the object" },
	[E_OBJECT] = { "object", "OBJECT", RHV_COL_STR, RHV_COL_DEFAULT, "name of the object at the time" },
	[E_ACTION] = { "action", "ACTION", RHV_COL_STR, 0, "what was done" },
	[E_MESSAGE] = { "message", "MESSAGE", RHV_COL_STR, RHV_COL_DEFAULT, "what happened" },
};

static int parse_filter(struct rhv_event_filter *f, struct rhv_error *err)
{
	memset(f, 0, sizeof(*f));
	if (opt.since) {
		if (rhv_parse_time(opt.since, "--since", (int64_t)time(NULL), &f->since, err) < 0)
			return -1;
		f->has_since = true;
	}
	if (opt.severity) {
		int s;

		for (char *p = opt.severity; *p; p++) /* warning, Warning and WARNING alike */
			*p = (char)toupper((unsigned char)*p);
		s = rhv_parse_enum(opt.severity, rhv_severity_names, "severity", err);

		if (s < 0)
			return -1;
		f->min_severity = s;
	}
	if (opt.object) {
		static char type[64];
		const char *colon = strchr(opt.object, ':');
		size_t len = colon ? (size_t)(colon - opt.object) : strlen(opt.object);

		snprintf(type, sizeof(type), "%.*s", (int)(len < sizeof(type) ? len : sizeof(type) - 1), opt.object);
		for (char *p = type; *p; p++) /* CLUSTER and cluster alike */
			*p = (char)tolower((unsigned char)*p);
		if (rhv_parse_enum(type, rhv_object_types, "object type", err) < 0)
			return -1;
		f->object_type = type;
		f->object_name = colon ? colon + 1 : NULL;
		if (f->object_name && rhv_check_name(f->object_name, 1024, "object name", err) < 0)
			return -1;
	}
	if (opt.limit && rhv_parse_int(opt.limit, 1, INT64_MAX, "--limit", &f->limit, err) < 0)
		return -1;
	return 0;
}

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_event_filter f;
	struct rhv_event_list l;
	struct rhv_table *t;
	int rc;

	if (parse_filter(&f, err) < 0 || rhv_event_list(ctx->db, &f, &l, err) < 0)
		return -1;
	t = rhv_ctx_table(ctx, "events", "event");
	for (size_t i = 0; i < l.n; i++) {
		const struct rhv_event *e = &l.items[i];

		rhv_table_add_row(t);
		rhv_cell_int(t, E_ID, e->id);
		rhv_cell_time(t, E_TIME, e->time);
		rhv_cell_str(t, E_SEVERITY, e->severity);
		rhv_cell_str(t, E_USER, e->actor);
		rhv_cell_str(t, E_DB_USER, e->db_user);
		rhv_cell_str(t, E_TYPE, e->object_type);
		rhv_cell_str(t, E_OBJ_ID, e->object_id);
		rhv_cell_str(t, E_OBJECT, e->object_name);
		rhv_cell_str(t, E_ACTION, e->action);
		rhv_cell_str(t, E_MESSAGE, e->message);
	}
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	rhv_event_list_clear(&l);
	return rc;
}

static int cmd_prune(struct rhv_ctx *ctx, struct rhv_error *err)
{
	int64_t days = RHV_EVENT_RETENTION_DAYS, removed;

	if (opt.days && rhv_parse_int(opt.days, 0, 36500, "--older-than", &days, err) < 0)
		return -1;
	if (rhv_event_prune(ctx->db, days, &removed, err) < 0)
		return -1;
	rhv_info(ctx, "%lld events older than %lld days removed", (long long)removed, (long long)days);
	return 0;
}

static const struct rhv_opt list_opts[] = {
	{ .name = "since", .kind = RHV_OPT_STRING, .target = &opt.since,
	  .help = "only events since TIME (local time, or with Z or an offset; or 2h, 7d ago)", .arg = "time",
	  .complete = RHV_FREE },
	{ .name = "severity", .kind = RHV_OPT_STRING, .target = &opt.severity,
	  .help = "only events of this severity or worse", .arg = "NORMAL|WARNING|ERROR|ALERT" },
	{ .name = "object", .kind = RHV_OPT_STRING, .target = &opt.object,
	  .help = "only events about this kind of object, or one object", .arg = "type[:name]",
	  .complete = &rhv_names_object_type },
	{ .name = "limit", .kind = RHV_OPT_STRING, .target = &opt.limit, .help = "only the newest N events",
	  .arg = "n", .complete = RHV_FREE },
	RHV_OPT_END,
};
static const struct rhv_opt prune_opts[] = {
	{ .name = "older-than", .kind = RHV_OPT_STRING, .target = &opt.days,
	  .help = "remove events older than DAYS (default 30)", .arg = "days", .complete = RHV_FREE },
	RHV_OPT_END,
};

static const struct rhv_cmd cmds[] = {
	{ .name = "list", .handler = cmd_list, .opts = list_opts, RHV_COLUMNS(event_columns),
	  .summary = "list audit events",
	  .description =
		"List audit events, oldest first. Every change any rhv tool makes writes one, in the same "
		"transaction as the change.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT },
	{ .name = "prune", .handler = cmd_prune, .opts = prune_opts,
	  .summary = "remove old audit events",
	  .description =
		"Remove events older than the retention period (30 days unless --older-than says otherwise). "
		"Meant for cron; the pruning is itself recorded as an event.",
	  .flags = RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-event",
	.summary = "Read and prune the rhv audit log",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
