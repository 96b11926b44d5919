/* rhv-disk: virtual disks — images of volumes on storage domains — and their place in VMs. */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>

#include "rhv/cli.h"
#include "rhv/disk.h"
#include "rhv/parse.h"

static struct {
	char *domain, *size, *format, *allocation, *description, *vm, *interface, *bootable;
} opt;

enum { K_NAME, K_ID, K_DOMAIN, K_SIZE, K_ACTUAL, K_FORMAT, K_ALLOCATION, K_STATUS, K_OPERATION, K_VM,
       K_INTERFACE, K_TARGET, K_BOOTABLE, K_PATH, K_VOLUME, K_DESCRIPTION, K_CREATED, K_HIGHWATER, K_CHAIN };

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
	[K_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, 0, "free text" },
	[K_CREATED] = { "created", "CREATED", RHV_COL_TIME, 0, "when it was created" },
	[K_HIGHWATER] = { "highwater", "HIGH WATER", RHV_COL_BYTES, RHV_COL_RIGHT,
			  "highest offset the running guest wrote, as its host last reported (monitor)" },
	[K_CHAIN] = { "chain", "CHAIN", RHV_COL_STR, RHV_COL_DEFAULT, "volume ids, base first, from the metadata" },
};

static void add_row(struct rhv_table *t, const struct rhv_disk *d, bool show)
{
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
	rhv_cell_str(t, K_DESCRIPTION, d->description && *d->description ? d->description : NULL);
	rhv_cell_time(t, K_CREATED, d->created);
	if (d->has_highwater)
		rhv_cell_bytes(t, K_HIGHWATER, d->highwater);
	if (show)
		rhv_cell_str(t, K_CHAIN, d->chain);
}

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_disk_list l;
	struct rhv_table *t;
	int rc;

	if ((opt.domain && rhv_check_name(opt.domain, 1024, "storage domain name", err) < 0) ||
	    (opt.vm && rhv_check_name(opt.vm, 1024, "VM name", err) < 0))
		return -1;
	if (rhv_disk_list(ctx->db, opt.domain, opt.vm, &l, err) < 0)
		return -1;
	t = rhv_ctx_table(ctx, "disks", "disk");
	for (size_t i = 0; i < l.n; i++)
		add_row(t, &l.items[i], false);
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	rhv_disk_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_disk d;
	struct rhv_table *t;
	int rc;

	if (rhv_check_name(ctx->argv[0], 1024, "disk name", err) < 0 || rhv_disk_get(ctx->db, ctx->argv[0], &d, err) < 0)
		return -1;
	t = rhv_ctx_table(ctx, "disks", "disk");
	add_row(t, &d, true);
	rc = rhv_ctx_print_show(ctx, t, err);
	rhv_table_free(t);
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

static const struct poptOption create_opts[] = {
	{ "domain", '\0', POPT_ARG_STRING, &opt.domain, 0, "storage domain to create it on (Active)", "domain" },
	{ "size", '\0', POPT_ARG_STRING, &opt.size, 0, "virtual size, e.g. 10G (a multiple of 512 bytes)", "size" },
	{ "format", '\0', POPT_ARG_STRING, &opt.format, 0, "image format (default qcow2)", "qcow2|raw" },
	{ "allocation", '\0', POPT_ARG_STRING, &opt.allocation, 0,
	  "sparse (thin) or all space at once (default sparse; qcow2 is always sparse)", "sparse|preallocated" },
	{ "description", '\0', POPT_ARG_STRING, &opt.description, 0, "free text", "text" },
	POPT_TABLEEND,
};
static const struct poptOption list_opts[] = {
	{ "domain", '\0', POPT_ARG_STRING, &opt.domain, 0, "only disks on this storage domain", "domain" },
	{ "vm", '\0', POPT_ARG_STRING, &opt.vm, 0, "only disks attached to this VM", "vm" },
	POPT_TABLEEND,
};
static const struct poptOption resize_opts[] = {
	{ "size", '\0', POPT_ARG_STRING, &opt.size, 0, "the new, larger virtual size", "size" },
	POPT_TABLEEND,
};
static const struct poptOption copy_opts[] = {
	{ "domain", '\0', POPT_ARG_STRING, &opt.domain, 0, "storage domain of the copy (default: the same)",
	  "domain" },
	POPT_TABLEEND,
};
static const struct poptOption move_opts[] = {
	{ "domain", '\0', POPT_ARG_STRING, &opt.domain, 0, "storage domain to move it to", "domain" },
	POPT_TABLEEND,
};
static const struct poptOption attach_opts[] = {
	{ "vm", '\0', POPT_ARG_STRING, &opt.vm, 0, "the VM (Down)", "vm" },
	{ "interface", '\0', POPT_ARG_STRING, &opt.interface, 0, "disk bus (default virtio)", "virtio|ide" },
	{ "bootable", '\0', POPT_ARG_STRING, &opt.bootable, 0,
	  "boot from it (default: yes for the VM's first disk)", "yes|no" },
	POPT_TABLEEND,
};

static const struct rhv_optinfo disk_info[] = {
	{ "domain", RHV_COMP_SD, 0 },
	{ "vm", RHV_COMP_VM, 0 },
	{ "description", RHV_COMP_FREE, 0 },
	{ NULL, 0, 0 },
};
static const struct rhv_optinfo create_info[] = {
	{ "domain", RHV_COMP_SD, RHV_OPT_REQUIRED },
	{ "size", RHV_COMP_FREE, RHV_OPT_REQUIRED },
	{ "description", RHV_COMP_FREE, 0 },
	{ NULL, 0, 0 },
};
static const struct rhv_optinfo resize_info[] = { { "size", RHV_COMP_FREE, RHV_OPT_REQUIRED }, { NULL, 0, 0 } };
static const struct rhv_optinfo move_info[] = { { "domain", RHV_COMP_SD, RHV_OPT_REQUIRED }, { NULL, 0, 0 } };
static const struct rhv_optinfo attach_info[] = { { "vm", RHV_COMP_VM, RHV_OPT_REQUIRED }, { NULL, 0, 0 } };

static const struct rhv_arg new_arg[] = { { "name", 0, RHV_COMP_FREE }, { NULL, 0, 0 } };
static const struct rhv_arg disk_arg[] = { { "disk", 0, RHV_COMP_DISK }, { NULL, 0, 0 } };
static const struct rhv_arg copy_args[] = { { "disk", 0, RHV_COMP_DISK }, { "new-name", 0, RHV_COMP_FREE },
					    { NULL, 0, 0 } };

#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ "create", cmd_create, create_opts, create_info, new_arg, NULL, 0, "create a disk on a storage domain",
	  "Create a disk: a volume made by the SPM of the domain's data center, with qemu-img, in the layout the "
	  "domain's metadata describes. RAW preallocated anywhere, RAW sparse on file domains only, QCOW2 sparse "
	  "anywhere; QCOW2 preallocated is refused. A preallocated disk takes its whole size at once. The domain "
	  "must be Active and above its critical free space.",
	  WRITES },
	{ "list", cmd_list, list_opts, disk_info, NULL, disk_columns, RHV_ARRAY_SIZE(disk_columns) - 1, "list disks",
	  "List disks, all or those of one storage domain or one VM.", LISTS },
	{ "show", cmd_show, NULL, NULL, disk_arg, disk_columns, RHV_ARRAY_SIZE(disk_columns), "show one disk",
	  "Show one disk, named by name or id, with its volume chain read from the domain's metadata.", LISTS },
	{ "resize", cmd_resize, resize_opts, resize_info, disk_arg, NULL, 0, "grow a disk",
	  "Grow a disk's virtual size (never shrink). The VM using it must be Down.", WRITES },
	{ "copy", cmd_copy, copy_opts, disk_info, copy_args, NULL, 0, "copy a disk to a new disk",
	  "Copy a disk's contents, its volume chain flattened, to a new disk on the same or another Active domain "
	  "of the data center. Progress on a terminal.",
	  WRITES },
	{ "move", cmd_move, move_opts, move_info, disk_arg, NULL, 0, "move a disk to another storage domain",
	  "Move a disk to another Active domain of the same data center. The VM using it must be Down. Progress "
	  "on a terminal.",
	  WRITES },
	{ "remove", cmd_remove, NULL, NULL, disk_arg, NULL, 0, "remove a disk and its volumes",
	  "Remove a disk that is not attached to a VM: its metadata, its volumes and its row in the store.",
	  WRITES },
	{ "attach", cmd_attach, attach_opts, attach_info, disk_arg, NULL, 0, "attach a disk to a VM",
	  "Attach a disk to a Down VM of the disk's data center, as virtio (vda, vdb, ...) or IDE (at most 4 IDE "
	  "devices, the CD-ROM included). The VM's first disk is bootable unless --bootable no.",
	  WRITES },
	{ "detach", cmd_detach, NULL, NULL, disk_arg, NULL, 0, "detach a disk from its VM",
	  "Detach a disk from its VM, which must be Down. The disk stays.", WRITES },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0 },
};

static const struct rhv_program prog = { "rhv-disk", "Manage virtual disks", cmds };

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
