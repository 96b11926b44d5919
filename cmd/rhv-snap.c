/* rhv-snap: VM snapshots — create (live), list, preview, commit, undo, delete with merge, and their jobs. */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/cleanup.h"
#include "rhv/cli.h"
#include "rhv/names.h"
#include "rhv/output.h"
#include "rhv/parse.h"
#include "rhv/sd.h"
#include "rhv/snap.h"
#include "rhv/store-session.h"

static struct {
	char *description;
	char **disks;
	int memory;
	char *restore_memory;
	char *vm;
} opt;

/* ---- snapshots ---- */

enum { K_ID, K_VM, K_CREATED, K_DESCRIPTION, K_STATUS, K_LIVE, K_QUIESCED, K_SAVED, K_DISKS, K_OPERATION, K_ERROR,
       K_MEMORY, K_VCPUS, K_NICS, K_MEMORY_SIZE, K_MEMORY_IMAGE, K_RESTORE, K_TREE, K_CHAIN };

/* show has the chain column more than list: the same array, list stops before it */
static const struct rhv_column snap_columns[] = {
	[K_ID] = { "id", "ID", RHV_COL_UUID, RHV_COL_DEFAULT, "snapshot id (what the other verbs take)" },
	[K_VM] = { "vm", "VM", RHV_COL_STR, RHV_COL_DEFAULT, "the VM" },
	[K_CREATED] = { "created", "CREATED", RHV_COL_TIME, RHV_COL_DEFAULT, "when it was taken" },
	[K_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, RHV_COL_DEFAULT, "free text" },
	[K_STATUS] = { "status", "STATUS", RHV_COL_STR, RHV_COL_DEFAULT,
		       "OK; Locked while an operation runs (or was interrupted); InPreview; Broken" },
	[K_LIVE] = { "live", "LIVE", RHV_COL_BOOL, RHV_COL_DEFAULT, "taken while the VM ran" },
	[K_QUIESCED] = { "quiesced", "QUIESCED", RHV_COL_BOOL, RHV_COL_DEFAULT,
			 "the guest's file systems were frozen (needs a guest agent)" },
	[K_SAVED] = { "memory_saved", "MEMORY_SAVED", RHV_COL_BOOL, RHV_COL_DEFAULT,
		      "the running guest's memory was saved with it (create --memory)" },
	[K_DISKS] = { "disks", "DISKS", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "disks in it" },
	[K_OPERATION] = { "operation", "OPERATION", RHV_COL_STR, 0, "what holds it Locked" },
	[K_ERROR] = { "error", "ERROR", RHV_COL_STR, 0, "why its last operation stopped" },
	[K_MEMORY] = { "memory", "MEMORY", RHV_COL_BYTES, RHV_COL_RIGHT, "the VM's memory then" },
	[K_VCPUS] = { "vcpus", "VCPUS", RHV_COL_INT, RHV_COL_RIGHT, "the VM's vCPUs then" },
	[K_NICS] = { "nics", "NICS", RHV_COL_STR, 0, "the VM's NICs then: MAC, network, model" },
	[K_MEMORY_SIZE] = { "memory_size", "MEMORY_SIZE", RHV_COL_BYTES, RHV_COL_RIGHT, "size of the saved memory image" },
	[K_MEMORY_IMAGE] = { "memory_image", "MEMORY_IMAGE", RHV_COL_STR, 0,
			     "where the saved memory is: storage domain, image id / volume id" },
	[K_RESTORE] = { "restore_memory", "RESTORE_MEMORY", RHV_COL_BOOL, 0,
			"the VM's next start resumes the guest from this memory (preview)" },
	[K_TREE] = { "volumes", "VOLUMES", RHV_COL_JSON, RHV_COL_TREE,
		     "per disk the volume chain, base first, each volume with the snapshot it holds (JSON)" },
	[K_CHAIN] = { "chain", "CHAIN", RHV_COL_STR, RHV_COL_DEFAULT,
		      "per disk the volume chain, base first: short ids, * the snapshot's own volume" },
};

static void add_row(struct rhv_table *t, const void *item, bool show)
{
	const struct rhv_snap *s = item;

	rhv_table_add_row(t);
	rhv_cell_str(t, K_ID, s->id);
	rhv_cell_str(t, K_VM, s->vm);
	rhv_cell_time(t, K_CREATED, s->created);
	rhv_cell_str(t, K_DESCRIPTION, *s->description ? s->description : NULL);
	rhv_cell_str(t, K_STATUS, s->status);
	rhv_cell_bool(t, K_LIVE, s->live);
	rhv_cell_bool(t, K_QUIESCED, s->quiesced);
	rhv_cell_bool(t, K_SAVED, s->memory_image_id[0] != '\0');
	rhv_cell_int(t, K_DISKS, (int64_t)s->ndisks);
	rhv_cell_str(t, K_OPERATION, s->operation);
	rhv_cell_str(t, K_ERROR, s->error);
	rhv_cell_bytes(t, K_MEMORY, s->memory);
	rhv_cell_int(t, K_VCPUS, s->vcpus);
	rhv_cell_str(t, K_NICS, s->nics && *s->nics ? s->nics : NULL);
	if (s->memory_image_id[0]) {
		_cleanup_free_ char *where = rhv_xasprintf("%s: %s/%s", s->memory_domain ? s->memory_domain : "(domain removed)",
							   s->memory_image_id, s->memory_volume_id);

		if (strcmp(s->status, "Locked") || s->memory_bytes)
			rhv_cell_bytes(t, K_MEMORY_SIZE, s->memory_bytes);
		rhv_cell_str(t, K_MEMORY_IMAGE, where);
	}
	rhv_cell_bool(t, K_RESTORE, s->restore_memory);
	{
		_cleanup_free_ char *json = rhv_snap_disks_json(s);

		rhv_cell_json(t, K_TREE, json);
	}
	if (show) {
		_cleanup_free_ char *text = rhv_snap_disks_text(s);

		rhv_cell_str(t, K_CHAIN, text);
	}
}

static const struct rhv_rows rows = { "snapshots", "snapshot", sizeof(struct rhv_snap), add_row };

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_snap_list l;
	bool json = ctx->out.format && !strcmp(ctx->out.format, "json");
	int rc;

	/* the chains cost a metadata read per disk: only JSON shows them in a listing */
	if (rhv_snap_list(ctx->db, ctx->argc ? ctx->argv[0] : NULL, json || ctx->out.columns, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &rows, l.items, l.n, err);
	rhv_snap_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_snap s;
	int rc;

	if (rhv_snap_get(ctx->db, ctx->argv[0], &s, err) < 0) {
		rhv_snap_clear(&s);
		return -1;
	}
	rc = rhv_ctx_print_item(ctx, &rows, &s, err);
	rhv_snap_clear(&s);
	return rc;
}

/* ---- changes: they say what they did through the progress sink ---- */

static int cmd_create(struct rhv_ctx *ctx, struct rhv_error *err)
{
	size_t n = 0;
	char id[37];

	while (opt.disks && opt.disks[n])
		n++;
	{
		struct rhv_snap_spec s = { .vm = ctx->argv[0], .description = opt.description, .memory = opt.memory,
					   .disks = (const char *const *)opt.disks, .ndisks = n };

		if (rhv_snap_create(ctx->db, &s, rhv_ctx_progress(ctx), id, err) < 0)
			return -1;
	}
	/* the id on stdout, for scripts: rhv-snap delete "$(rhv-snap create vm1)" */
	printf("%s\n", id);
	return 0;
}

static int cmd_delete(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return rhv_snap_delete(ctx->db, ctx->argv[0], rhv_ctx_progress(ctx), err);
}

static int cmd_preview(struct rhv_ctx *ctx, struct rhv_error *err)
{
	bool restore = false;

	if (opt.restore_memory && rhv_parse_bool(opt.restore_memory, "--restore-memory", &restore, err) < 0)
		return -1;
	return rhv_snap_preview(ctx->db, ctx->argv[0], opt.restore_memory ? restore : -1, rhv_ctx_progress(ctx), err);
}

static int cmd_commit(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return rhv_snap_commit(ctx->db, ctx->argv[0], rhv_ctx_progress(ctx), err);
}

static int cmd_undo(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return rhv_snap_undo(ctx->db, ctx->argv[0], rhv_ctx_progress(ctx), err);
}

/* ---- jobs ---- */

enum { J_SNAPSHOT, J_VM, J_DISK, J_DESCRIPTION, J_PHASE, J_LIVE, J_PROGRESS, J_RUNNING, J_ERROR, J_STARTED,
       J_UPDATED, J_DONE, J_TOTAL };

static const struct rhv_column job_columns[] = {
	[J_SNAPSHOT] = { "snapshot", "SNAPSHOT", RHV_COL_UUID, RHV_COL_DEFAULT, "the snapshot being deleted" },
	[J_VM] = { "vm", "VM", RHV_COL_STR, RHV_COL_DEFAULT, "its VM" },
	[J_DISK] = { "disk", "DISK", RHV_COL_STR, RHV_COL_DEFAULT, "the disk whose layers merge" },
	[J_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, 0, "the snapshot's description" },
	[J_PHASE] = { "phase", "PHASE", RHV_COL_STR, RHV_COL_DEFAULT,
		      "merge (data going down), pivot (the guest switching), cleanup (metadata and files)" },
	[J_LIVE] = { "live", "LIVE", RHV_COL_BOOL, RHV_COL_DEFAULT, "merged by the running guest" },
	[J_PROGRESS] = { "progress", "PROGRESS", RHV_COL_FLOAT, RHV_COL_DEFAULT | RHV_COL_RIGHT,
			 "percent of the merge, as last recorded" },
	[J_RUNNING] = { "running", "RUNNING", RHV_COL_BOOL, RHV_COL_DEFAULT,
			"a process carries it now (no: interrupted, rhv-snap resume carries it on)" },
	[J_ERROR] = { "error", "ERROR", RHV_COL_STR, RHV_COL_DEFAULT, "why it last stopped" },
	[J_STARTED] = { "started", "STARTED", RHV_COL_TIME, 0, "when the delete began" },
	[J_UPDATED] = { "updated", "UPDATED", RHV_COL_TIME, 0, "when progress was last recorded" },
	[J_DONE] = { "done", "DONE", RHV_COL_INT, 0, "units done (bytes for live merges)" },
	[J_TOTAL] = { "total", "TOTAL", RHV_COL_INT, 0, "units in all" },
};

static void add_job(struct rhv_table *t, const void *item, bool one)
{
	const struct rhv_snap_job *j = item;

	(void)one;
	rhv_table_add_row(t);
	rhv_cell_str(t, J_SNAPSHOT, j->snapshot_id);
	rhv_cell_str(t, J_VM, j->vm);
	rhv_cell_str(t, J_DISK, j->disk);
	rhv_cell_str(t, J_DESCRIPTION, j->description && *j->description ? j->description : NULL);
	rhv_cell_str(t, J_PHASE, j->phase);
	rhv_cell_bool(t, J_LIVE, j->live);
	if (j->total)
		rhv_cell_float(t, J_PROGRESS, 100.0 * (double)j->done / (double)j->total);
	rhv_cell_bool(t, J_RUNNING, j->running);
	rhv_cell_str(t, J_ERROR, j->error);
	rhv_cell_time(t, J_STARTED, j->started);
	rhv_cell_time(t, J_UPDATED, j->updated);
	rhv_cell_int(t, J_DONE, (int64_t)j->done);
	rhv_cell_int(t, J_TOTAL, (int64_t)j->total);
}

static const struct rhv_rows job_rows = { "jobs", "job", sizeof(struct rhv_snap_job), add_job };

static int cmd_jobs(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_snap_job_list l;
	int rc;

	if (rhv_snap_jobs(ctx->db, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &job_rows, l.items, l.n, err);
	rhv_snap_job_list_clear(&l);
	return rc;
}

/* ---- resume ---- */

enum { R_SNAPSHOT, R_ACTION, R_OPERATION };

static const struct rhv_column resume_columns[] = {
	[R_SNAPSHOT] = { "snapshot", "SNAPSHOT", RHV_COL_UUID, RHV_COL_DEFAULT, "the snapshot" },
	[R_ACTION] = { "action", "ACTION", RHV_COL_STR, RHV_COL_DEFAULT, "rolled back, completed, or kept" },
	[R_OPERATION] = { "reason", "REASON", RHV_COL_STR, RHV_COL_DEFAULT,
			  "the operation settled, or why it was kept" },
};

static int cmd_resume(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_scrub_report r = { 0 };
	struct rhv_table *t;
	int rc = rhv_snap_resume(ctx->db, ctx->argc ? ctx->argv[0] : NULL, rhv_ctx_progress(ctx), &r, err);

	t = rhv_ctx_table(ctx, "items", "item");
	for (size_t i = 0; i < r.n; i++) {
		rhv_table_add_row(t);
		rhv_cell_str(t, R_SNAPSHOT, r.items[i].object);
		rhv_cell_str(t, R_ACTION, r.items[i].action);
		rhv_cell_str(t, R_OPERATION, r.items[i].reason);
	}
	if (rc == 0)
		rc = rhv_ctx_print_list(ctx, t, err);
	if (rc == 0 && r.n == 0)
		rhv_info(ctx, "no interrupted snapshot operation");
	rhv_table_free(t);
	rhv_scrub_report_clear(&r);
	return rc;
}

/* ---- the table ---- */

static const struct rhv_opt create_opts[] = {
	{ .name = "description", .kind = RHV_OPT_STRING, .target = &opt.description, .help = "free text",
	  .arg = "text", .complete = RHV_FREE },
	{ .name = "disk", .kind = RHV_OPT_LIST, .target = &opt.disks,
	  .help = "only this disk of the VM (repeatable; default: all its disks)", .arg = "disk",
	  .complete = &rhv_names_disk },
	{ .name = "memory", .kind = RHV_OPT_FLAG, .target = &opt.memory,
	  .help = "also save the running guest's memory, so a preview resumes it where it was" },
	RHV_OPT_END,
};

static const struct rhv_opt preview_opts[] = {
	{ .name = "restore-memory", .kind = RHV_OPT_STRING, .target = &opt.restore_memory,
	  .help = "resume the guest from the snapshot's saved memory at its next start (default: yes when saved)",
	  .arg = "yes|no" },
	RHV_OPT_END,
};

static const struct rhv_arg vm_arg[] = { { .name = "vm", .complete = &rhv_names_vm }, RHV_ARG_END };
static const struct rhv_arg opt_vm_arg[] = { { .name = "vm", .flags = RHV_ARG_OPTIONAL, .complete = &rhv_names_vm },
					     RHV_ARG_END };
static const struct rhv_arg snap_arg[] = { { .name = "snapshot", .complete = &rhv_names_snap }, RHV_ARG_END };

#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ .name = "create", .handler = cmd_create, .opts = create_opts, .args = vm_arg,
	  .summary = "take a snapshot of a VM",
	  .description =
		"Take a snapshot of a VM's disks (all, or those named) and of its configuration. The SPM puts a "
		"new qcow2 layer on each disk; a running VM switches to the layers in one atomic step, with its "
		"file systems frozen when a guest agent allows it, else without (recorded as not quiesced). "
		"With --memory the running guest's memory is saved too, at the same instant as its disks, into "
		"an image of its own on the first disk's storage domain. "
		"Prints the new snapshot's id. A failed snapshot leaves nothing behind. The VM must be Down, Up "
		"or Paused, not in a preview; disks on block domains are refused.",
	  .flags = WRITES },
	{ .name = "list", .handler = cmd_list, .args = opt_vm_arg, .columns = snap_columns,
	  .ncolumns = RHV_ARRAY_SIZE(snap_columns) - 1,
	  .summary = "list snapshots",
	  .description = "List the snapshots of every VM, or of one, oldest first. -o json adds each disk's "
			 "volume chain.",
	  .flags = LISTS },
	{ .name = "show", .handler = cmd_show, .args = snap_arg, RHV_COLUMNS(snap_columns),
	  .summary = "show one snapshot with its volume chains",
	  .description =
		"Show a snapshot, named by its id (or by its description when no other snapshot has it), with "
		"each disk's volume chain as the domain's metadata describes it; -o json gives the whole tree.",
	  .flags = LISTS },
	{ .name = "delete", .handler = cmd_delete, .args = snap_arg,
	  .summary = "delete a snapshot, merging its layer",
	  .description =
		"Delete a snapshot: on each disk the layer above the snapshot's volume is merged into it and "
		"goes, so the chain gets shorter and space comes back. With the VM down qemu-img merges; while "
		"it runs the guest does (a block commit, or an active commit and pivot of the top layer). The "
		"merge is a job in the store from its first step: it is never undone, and if the command is "
		"stopped, resume (or the monitor) carries it on. Waits for the merge.",
	  .flags = WRITES },
	{ .name = "preview", .handler = cmd_preview, .opts = preview_opts, .args = snap_arg,
	  .summary = "boot a Down VM from a snapshot, keeping its current state aside",
	  .description =
		"Preview a snapshot: the VM (Down) gets a new layer on each of the snapshot's volumes and the "
		"snapshot's memory, vCPUs and NICs; its current layers and configuration are kept aside. When the "
		"snapshot saved the guest's memory, the VM's next start resumes the guest from it instead of "
		"booting (once: later starts boot). Then commit or undo.",
	  .flags = WRITES },
	{ .name = "commit", .handler = cmd_commit, .args = vm_arg,
	  .summary = "keep the previewed state",
	  .description =
		"Keep the state the VM previews: the layers kept aside go, and so do the snapshots taken after "
		"the previewed one. The VM must be Down.",
	  .flags = WRITES },
	{ .name = "undo", .handler = cmd_undo, .args = vm_arg,
	  .summary = "return to the state before the preview",
	  .description = "Drop the preview layers; the VM's layers and configuration kept aside return. The VM "
			 "must be Down.",
	  .flags = WRITES },
	{ .name = "jobs", .handler = cmd_jobs, RHV_COLUMNS(job_columns),
	  .summary = "list the merges of snapshots being deleted",
	  .description = "List the merge jobs of snapshots being deleted, one per disk, with their progress and "
			 "whether a process carries them now.",
	  .flags = LISTS },
	{ .name = "resume", .handler = cmd_resume, .args = opt_vm_arg, RHV_COLUMNS(resume_columns),
	  .summary = "settle interrupted snapshot operations",
	  .description =
		"Settle the snapshot operations (of every VM, or of one) whose process is gone: a create or a "
		"preview is rolled back (a live create is completed when the guest already writes to its "
		"layers), a commit, an undo or a delete is carried to its end; files a removal left behind are "
		"removed. Operations still running are left alone. Lists what it did.",
	  .flags = WRITES | RHV_CMD_OUTPUT },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-snap",
	.summary = "Manage VM snapshots",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
