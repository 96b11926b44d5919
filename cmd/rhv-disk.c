/* rhv-disk: virtual disks — images of volumes on storage domains — and their place in VMs. */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>

#include "rhv/cli.h"
#include "rhv/disk.h"
#include "rhv/names.h"
#include "rhv/parse.h"
#include "rhv/store-session.h"

static struct {
	char *domain, *size, *format, *allocation, *description, *vm, *interface, *bootable;
} opt;

enum { K_NAME, K_ID, K_DOMAIN, K_SIZE, K_ACTUAL, K_FORMAT, K_ALLOCATION, K_STATUS, K_OPERATION, K_VM,
       K_INTERFACE, K_TARGET, K_BOOTABLE, K_PATH, K_VOLUME, K_ASIDE, K_DESCRIPTION, K_CREATED, K_HIGHWATER, K_CHAIN };

/* show has one column more than list, the volume chain: the same array, list stops before it */
static const struct rhv_column disk_columns[] = {
	[K_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "disk name" },
	[K_ID] = { "id", "ID", RHV_COL_UUID, 0, "unique id, also the image id on storage" },
	[K_DOMAIN] = { "domain", "DOMAIN", RHV_COL_STR, RHV_COL_DEFAULT, "storage domain holding it" },
	[K_SIZE] = { "size", "SIZE", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT, "virtual size, as the guest sees it" },
	[K_ACTUAL] = { "actual", "ACTUAL", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT,
		       "space it takes on storage, last measured" },
	[K_FORMAT] = { "format", "FORMAT", RHV_COL_STR, RHV_COL_DEFAULT, "raw or qcow2" },
	[K_ALLOCATION] = { "allocation", "ALLOCATION", RHV_COL_STR, RHV_COL_DEFAULT, "sparse or preallocated" },
	[K_STATUS] = { "status", "STATUS", RHV_COL_STR, RHV_COL_DEFAULT, "OK; Locked while an operation runs; Illegal when a volume is missing" },
	[K_OPERATION] = { "operation", "OPERATION", RHV_COL_STR, 0, "the operation holding it Locked" },
	[K_VM] = { "vm", "VM", RHV_COL_STR, RHV_COL_DEFAULT, "VM it is attached to" },
	[K_INTERFACE] = { "interface", "INTERFACE", RHV_COL_STR, 0, "virtio or ide, when attached" },
	[K_TARGET] = { "target", "TARGET", RHV_COL_STR, 0, "device name in the guest (vda, hdb, ...)" },
	[K_BOOTABLE] = { "bootable", "BOOTABLE", RHV_COL_BOOL, 0, "the VM boots from it" },
	[K_PATH] = { "path", "PATH", RHV_COL_STR, 0, "file of its top volume (file domains)" },
	[K_VOLUME] = { "volume_id", "VOLUME ID", RHV_COL_UUID, 0, "id of its top volume" },
	[K_ASIDE] = { "aside_volume_id", "ASIDE VOLUME ID", RHV_COL_UUID, 0,
		      "while its VM previews a snapshot: the top volume kept aside (rhv-snap)" },
	[K_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, 0, "free text" },
	[K_CREATED] = { "created", "CREATED", RHV_COL_TIME, 0, "when it was created" },
	[K_HIGHWATER] = { "highwater", "HIGH WATER", RHV_COL_BYTES, RHV_COL_RIGHT,
			  "highest offset the running guest wrote, as its host last reported (monitor)" },
	[K_CHAIN] = { "chain", "CHAIN", RHV_COL_STR, RHV_COL_DEFAULT, "volume ids, base first, from the metadata" },
};

static void add_row(struct rhv_table *t, const void *item, bool show)
{
	const struct rhv_disk *d = item;
	rhv_table_add_row(t);
	rhv_cell_str(t, K_NAME, d->name);
	rhv_cell_str(t, K_ID, d->id);
	rhv_cell_str(t, K_DOMAIN, d->domain);
	rhv_cell_bytes(t, K_SIZE, d->size);
	if (d->has_actual)
		rhv_cell_bytes(t, K_ACTUAL, d->actual);
	rhv_cell_str(t, K_FORMAT, d->format);
	rhv_cell_str(t, K_ALLOCATION, d->allocation);
	rhv_cell_str(t, K_STATUS, d->status);
	rhv_cell_str(t, K_OPERATION, d->operation);
	rhv_cell_str(t, K_VM, d->vm);
	rhv_cell_str(t, K_INTERFACE, d->interface);
	rhv_cell_str(t, K_TARGET, d->target);
	if (d->vm)
		rhv_cell_bool(t, K_BOOTABLE, d->bootable);
	rhv_cell_str(t, K_PATH, d->path);
	rhv_cell_str(t, K_VOLUME, d->volume_id[0] ? d->volume_id : NULL);
	rhv_cell_str(t, K_ASIDE, d->aside_volume_id[0] ? d->aside_volume_id : NULL);
	rhv_cell_str(t, K_DESCRIPTION, d->description && *d->description ? d->description : NULL);
	rhv_cell_time(t, K_CREATED, d->created);
	if (d->has_highwater)
		rhv_cell_bytes(t, K_HIGHWATER, d->highwater);
	if (show)
		rhv_cell_str(t, K_CHAIN, d->chain);
}

static const struct rhv_rows rows = { "disks", "disk", sizeof(struct rhv_disk), add_row };

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_disk_list l;
	int rc;

	if ((opt.domain && rhv_check_name(opt.domain, 1024, "storage domain name", err) < 0) ||
	    (opt.vm && rhv_check_name(opt.vm, 1024, "VM name", err) < 0))
		return -1;
	if (rhv_disk_list(ctx->db, opt.domain, opt.vm, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &rows, l.items, l.n, err);
	rhv_disk_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_disk d;
	int rc;

	if (rhv_check_name(ctx->argv[0], 1024, "disk name", err) < 0 || rhv_disk_get(ctx->db, ctx->argv[0], &d, err) < 0)
		return -1;
	rc = rhv_ctx_print_item(ctx, &rows, &d, err);
	rhv_disk_clear(&d);
	return rc;
}

/* create, resize, copy, move and remove say what they did through the progress sink */
static int cmd_create(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_disk_spec s = {
		.name = ctx->argv[0], .description = opt.description, .domain = opt.domain, .size = opt.size,
		.format = opt.format, .allocation = opt.allocation,
	};

	return rhv_disk_create(ctx->db, &s, rhv_ctx_progress(ctx), err);
}

static int cmd_resize(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return rhv_disk_resize(ctx->db, ctx->argv[0], opt.size, rhv_ctx_progress(ctx), err);
}

static int cmd_copy(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return rhv_disk_copy(ctx->db, ctx->argv[0], ctx->argv[1], opt.domain, rhv_ctx_progress(ctx), err);
}

static int cmd_move(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return rhv_disk_move(ctx->db, ctx->argv[0], opt.domain, rhv_ctx_progress(ctx), err);
}

static int cmd_remove(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return rhv_disk_remove(ctx->db, ctx->argv[0], rhv_ctx_progress(ctx), err);
}

static int cmd_attach(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_disk d;
	int bootable = -1;
	bool plugged;

	if (opt.bootable) {
		bool b;

		if (rhv_parse_bool(opt.bootable, "--bootable", &b, err) < 0)
			return -1;
		bootable = b;
	}
	if (rhv_disk_attach(ctx->db, ctx->argv[0], opt.vm, opt.interface, bootable, &plugged, err) < 0)
		return -1;
	if (rhv_disk_get(ctx->db, ctx->argv[0], &d, err) < 0)
		return -1;
	rhv_info(ctx, "disk '%s' attached to VM '%s' as %s (%s%s)%s", d.name, d.vm ? d.vm : opt.vm,
		 d.target ? d.target : "?", d.interface ? d.interface : "?", d.bootable ? ", bootable" : "",
		 plugged ? " and plugged into the running guest" : "");
	rhv_disk_clear(&d);
	return 0;
}

static int cmd_detach(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_disk d;
	int rc;

	/* read first, to name the VM it leaves */
	if (rhv_check_name(ctx->argv[0], 1024, "disk name", err) < 0 || rhv_disk_get(ctx->db, ctx->argv[0], &d, err) < 0)
		return -1;
	rc = rhv_disk_detach(ctx->db, d.id, err);
	if (rc == 0 && d.vm)
		rhv_info(ctx, "disk '%s' detached from VM '%s'", d.name, d.vm);
	else if (rc == 0)
		rhv_info(ctx, "disk '%s' detached", d.name);
	rhv_disk_clear(&d);
	return rc;
}

static const struct rhv_opt create_opts[] = {
	{ .name = "domain", .kind = RHV_OPT_STRING, .target = &opt.domain,
	  .help = "storage domain to create it on (Active)", .arg = "domain", .complete = &rhv_names_sd,
	  .required = true },
	{ .name = "size", .kind = RHV_OPT_STRING, .target = &opt.size,
	  .help = "virtual size, e.g. 10G (a multiple of 512 bytes)", .arg = "size", .complete = RHV_FREE,
	  .required = true },
	{ .name = "format", .kind = RHV_OPT_STRING, .target = &opt.format,
	  .help = "image format (default qcow2)", .arg = "qcow2|raw" },
	{ .name = "allocation", .kind = RHV_OPT_STRING, .target = &opt.allocation,
	  .help = "sparse (thin) or all space at once (default sparse; qcow2 is always sparse)",
	  .arg = "sparse|preallocated" },
	{ .name = "description", .kind = RHV_OPT_STRING, .target = &opt.description, .help = "free text",
	  .arg = "text", .complete = RHV_FREE },
	RHV_OPT_END,
};
static const struct rhv_opt list_opts[] = {
	{ .name = "domain", .kind = RHV_OPT_STRING, .target = &opt.domain,
	  .help = "only disks on this storage domain", .arg = "domain", .complete = &rhv_names_sd },
	{ .name = "vm", .kind = RHV_OPT_STRING, .target = &opt.vm, .help = "only disks attached to this VM",
	  .arg = "vm", .complete = &rhv_names_vm },
	RHV_OPT_END,
};
static const struct rhv_opt resize_opts[] = {
	{ .name = "size", .kind = RHV_OPT_STRING, .target = &opt.size, .help = "the new, larger virtual size",
	  .arg = "size", .complete = RHV_FREE, .required = true },
	RHV_OPT_END,
};
static const struct rhv_opt copy_opts[] = {
	{ .name = "domain", .kind = RHV_OPT_STRING, .target = &opt.domain,
	  .help = "storage domain of the copy (default: the same)", .arg = "domain", .complete = &rhv_names_sd },
	RHV_OPT_END,
};
static const struct rhv_opt move_opts[] = {
	{ .name = "domain", .kind = RHV_OPT_STRING, .target = &opt.domain,
	  .help = "storage domain to move it to", .arg = "domain", .complete = &rhv_names_sd, .required = true },
	RHV_OPT_END,
};
static const struct rhv_opt attach_opts[] = {
	{ .name = "vm", .kind = RHV_OPT_STRING, .target = &opt.vm, .help = "the VM (Down)", .arg = "vm",
	  .complete = &rhv_names_vm, .required = true },
	{ .name = "interface", .kind = RHV_OPT_STRING, .target = &opt.interface,
	  .help = "disk bus (default virtio)", .arg = "virtio|ide" },
	{ .name = "bootable", .kind = RHV_OPT_STRING, .target = &opt.bootable,
	  .help = "boot from it (default: yes for the VM's first disk)", .arg = "yes|no" },
	RHV_OPT_END,
};


static const struct rhv_arg new_arg[] = { { .name = "name", .complete = RHV_FREE }, RHV_ARG_END };
static const struct rhv_arg disk_arg[] = { { .name = "disk", .complete = &rhv_names_disk }, RHV_ARG_END };
static const struct rhv_arg copy_args[] = {
	{ .name = "disk", .complete = &rhv_names_disk },
	{ .name = "new-name", .complete = RHV_FREE },
	RHV_ARG_END,
};

#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ .name = "create", .handler = cmd_create, .opts = create_opts, .args = new_arg,
	  .summary = "create a disk on a storage domain",
	  .description =
		"Create a disk: a volume made by the SPM of the domain's data center, with qemu-img, in the "
		"layout the domain's metadata describes. RAW preallocated anywhere, RAW sparse on file domains "
		"only, QCOW2 sparse anywhere; QCOW2 preallocated is refused. A preallocated disk takes its whole "
		"size at once. The domain must be Active and above its critical free space.",
	  .flags = WRITES },
	{ .name = "list", .handler = cmd_list, .opts = list_opts, .columns = disk_columns,
	  .ncolumns = RHV_ARRAY_SIZE(disk_columns) - 1,
	  .summary = "list disks",
	  .description = "List disks, all or those of one storage domain or one VM.",
	  .flags = LISTS },
	{ .name = "show", .handler = cmd_show, .args = disk_arg, RHV_COLUMNS(disk_columns),
	  .summary = "show one disk",
	  .description =
		"Show one disk, named by name or id, with its volume chain read from the domain's metadata.",
	  .flags = LISTS },
	{ .name = "resize", .handler = cmd_resize, .opts = resize_opts, .args = disk_arg,
	  .summary = "grow a disk",
	  .description = "Grow a disk's virtual size (never shrink). The VM using it must be Down.",
	  .flags = WRITES },
	{ .name = "copy", .handler = cmd_copy, .opts = copy_opts, .args = copy_args,
	  .summary = "copy a disk to a new disk",
	  .description =
		"Copy a disk's contents, its volume chain flattened, to a new disk on the same or another Active "
		"domain of the data center. Progress on a terminal.",
	  .flags = WRITES },
	{ .name = "move", .handler = cmd_move, .opts = move_opts, .args = disk_arg,
	  .summary = "move a disk to another storage domain",
	  .description =
		"Move a disk to another Active domain of the same data center. The VM using it must be Down. "
		"Progress on a terminal.",
	  .flags = WRITES },
	{ .name = "remove", .handler = cmd_remove, .args = disk_arg,
	  .summary = "remove a disk and its volumes",
	  .description =
		"Remove a disk that is not attached to a VM: its metadata, its volumes and its row in the store.",
	  .flags = WRITES },
	{ .name = "attach", .handler = cmd_attach, .opts = attach_opts, .args = disk_arg,
	  .summary = "attach a disk to a VM",
	  .description =
		"Attach a disk to a Down VM of the disk's data center, as virtio (vda, vdb, ...) or IDE (at most "
		"4 IDE devices, the CD-ROM included). The VM's first disk is bootable unless --bootable no.",
	  .flags = WRITES },
	{ .name = "detach", .handler = cmd_detach, .args = disk_arg,
	  .summary = "detach a disk from its VM",
	  .description = "Detach a disk from its VM, which must be Down. The disk stays.",
	  .flags = WRITES },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-disk",
	.summary = "Manage virtual disks",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
