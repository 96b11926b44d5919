/* rhv-vm: virtual machines — definitions in the store, guests on the hosts. */
#include "rhv/common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rhv/cli.h"
#include "rhv/disk.h"
#include "rhv/explain.h"
#include "rhv/names.h"
#include "rhv/parse.h"
#include "rhv/store-session.h"
#include "rhv/vm.h"
#include "rhv/vmops.h"

static struct {
	char *cluster, *memory, *vcpus, *graphics, *video, *sound, *pin_host, *description, *name, *host, *state,
		*timeout, *balloon, *ha, *cdrom, *ha_priority, *kernel, *initrd, *kernel_params,
		*serial_console;
	const char **nics, **remove_nics;
	int balloon_flag, ha_flag, serial_console_flag, explain, eject;
} opt;

enum { V_NAME, V_ID, V_CLUSTER, V_STATE, V_HOST, V_MEMORY, V_VCPUS, V_NICS, V_HA, V_PIN, V_GRAPHICS, V_VIDEO,
       V_SOUND, V_BALLOON, V_CPU_PCT, V_MEM_USED, V_MIGRATING_TO, V_DESCRIPTION, V_SINCE, V_CREATED, V_DISKS, V_SNAPSHOTS,
       V_CDROM, V_HA_PRIORITY, V_HA_PENDING, V_HA_TRIES, V_HA_ERROR, V_KERNEL, V_INITRD, V_KERNEL_PARAMS,
       V_SERIAL_CONSOLE };

static const struct rhv_column vm_columns[] = {
	[V_NAME] = { "name", "NAME", RHV_COL_STR, RHV_COL_DEFAULT, "VM name" },
	[V_ID] = { "id", "ID", RHV_COL_UUID, 0, "unique id (the guest's UUID)" },
	[V_CLUSTER] = { "cluster", "CLUSTER", RHV_COL_STR, RHV_COL_DEFAULT, "cluster it belongs to" },
	[V_STATE] = { "state", "STATE", RHV_COL_STR, RHV_COL_DEFAULT, "Down, WaitForLaunch, Up, MigratingFrom, ..." },
	[V_HOST] = { "host", "HOST", RHV_COL_STR, RHV_COL_DEFAULT, "host it runs on" },
	[V_MEMORY] = { "memory", "MEMORY", RHV_COL_BYTES, RHV_COL_DEFAULT | RHV_COL_RIGHT, "guest memory" },
	[V_VCPUS] = { "vcpus", "VCPUS", RHV_COL_INT, RHV_COL_DEFAULT | RHV_COL_RIGHT, "virtual CPUs" },
	[V_NICS] = { "nics", "NICS", RHV_COL_STR, 0, "network:model:MAC, comma-separated" },
	[V_HA] = { "ha", "HA", RHV_COL_BOOL, RHV_COL_DEFAULT, "highly available" },
	[V_PIN] = { "pinned_host", "PINNED TO", RHV_COL_STR, 0, "the only host it may run on" },
	[V_GRAPHICS] = { "graphics", "GRAPHICS", RHV_COL_STR, 0, "spice or vnc" },
	[V_VIDEO] = { "video", "VIDEO", RHV_COL_STR, 0, "qxl, cirrus or vga" },
	[V_SOUND] = { "sound", "SOUND", RHV_COL_STR, 0, "ac97 or es1370" },
	[V_BALLOON] = { "balloon", "BALLOON", RHV_COL_BOOL, 0, "memory balloon device" },
	[V_CPU_PCT] = { "cpu_pct", "CPU%", RHV_COL_FLOAT, RHV_COL_RIGHT, "CPU use, last sample" },
	[V_MEM_USED] = { "memory_used", "MEM USED", RHV_COL_BYTES, RHV_COL_RIGHT, "memory in use, last sample" },
	[V_MIGRATING_TO] = { "migrating_to", "MIGRATING TO", RHV_COL_STR, 0, "target of a migration in flight" },
	[V_DESCRIPTION] = { "description", "DESCRIPTION", RHV_COL_STR, 0, "free text" },
	[V_SINCE] = { "state_since", "SINCE", RHV_COL_TIME, 0, "when it entered its state" },
	[V_CREATED] = { "created", "CREATED", RHV_COL_TIME, 0, "when it was created" },
	[V_DISKS] = { "disks", "DISKS", RHV_COL_INT, RHV_COL_RIGHT, "disks attached (rhv-disk list --vm VM)" },
	[V_SNAPSHOTS] = { "snapshots", "SNAPSHOTS", RHV_COL_INT, RHV_COL_RIGHT, "snapshots of it (rhv-snap list VM)" },
	[V_CDROM] = { "cdrom", "CD-ROM", RHV_COL_STR, 0, "ISO in its CD-ROM, DOMAIN:FILE" },
	[V_HA_PRIORITY] = { "ha_priority", "HA PRIO", RHV_COL_INT, RHV_COL_RIGHT,
			    "1-100, higher restarts first (low 1, medium 50, high 100)" },
	[V_HA_PENDING] = { "ha_pending_since", "HA PENDING SINCE", RHV_COL_TIME, 0,
			   "waiting since then to be restarted elsewhere (HA)" },
	[V_HA_TRIES] = { "ha_tries", "HA TRIES", RHV_COL_INT, RHV_COL_RIGHT, "HA restart attempts so far" },
	[V_HA_ERROR] = { "ha_last_error", "HA LAST ERROR", RHV_COL_STR, 0, "why the last HA restart attempt failed" },
	[V_KERNEL] = { "kernel", "KERNEL", RHV_COL_STR, 0, "Linux kernel it boots, a path on the host" },
	[V_INITRD] = { "initrd", "INITRD", RHV_COL_STR, 0, "initrd with the kernel, a path on the host" },
	[V_KERNEL_PARAMS] = { "kernel_params", "KERNEL PARAMS", RHV_COL_STR, 0, "the kernel's command line" },
	[V_SERIAL_CONSOLE] = { "serial_console", "SERIAL CONSOLE", RHV_COL_BOOL, 0,
			       "a serial console (virsh console) on its host" },
};

static void add_row(struct rhv_table *t, const void *item, bool one RHV_UNUSED)
{
	const struct rhv_vm *v = item;
	char *nics = NULL;

	for (size_t i = 0; i < v->nnics; i++)
		if (v->nics[i].profile && strcmp(v->nics[i].profile, v->nics[i].network))
			rhv_xappendf(&nics, ",", "%s/%s:%s:%s", v->nics[i].network, v->nics[i].profile, v->nics[i].model,
				     v->nics[i].mac);
		else
			rhv_xappendf(&nics, ",", "%s:%s:%s", v->nics[i].network, v->nics[i].model, v->nics[i].mac);
	rhv_table_add_row(t);
	rhv_cell_str(t, V_NAME, v->name);
	rhv_cell_str(t, V_ID, v->id);
	rhv_cell_str(t, V_CLUSTER, v->cluster);
	rhv_cell_str(t, V_STATE, v->state);
	rhv_cell_str(t, V_HOST, v->host);
	rhv_cell_bytes(t, V_MEMORY, v->memory);
	rhv_cell_int(t, V_VCPUS, v->vcpus);
	rhv_cell_str(t, V_NICS, nics);
	rhv_cell_bool(t, V_HA, v->ha);
	rhv_cell_str(t, V_PIN, v->pin_host);
	rhv_cell_str(t, V_GRAPHICS, v->graphics);
	rhv_cell_str(t, V_VIDEO, v->video);
	rhv_cell_str(t, V_SOUND, v->sound);
	rhv_cell_bool(t, V_BALLOON, v->balloon);
	if (v->has_usage)
		rhv_cell_float(t, V_CPU_PCT, v->cpu_pct);
	if (v->mem_used)
		rhv_cell_bytes(t, V_MEM_USED, v->mem_used);
	rhv_cell_str(t, V_MIGRATING_TO, v->migrating_to);
	rhv_cell_str(t, V_DESCRIPTION, v->description);
	rhv_cell_time(t, V_SINCE, v->state_since);
	rhv_cell_time(t, V_CREATED, v->created);
	rhv_cell_int(t, V_DISKS, v->disk_count);
	rhv_cell_int(t, V_SNAPSHOTS, v->snapshot_count);
	rhv_cell_str(t, V_CDROM, v->cdrom_iso);
	rhv_cell_int(t, V_HA_PRIORITY, v->ha_priority);
	if (v->ha_pending_since)
		rhv_cell_time(t, V_HA_PENDING, v->ha_pending_since);
	rhv_cell_int(t, V_HA_TRIES, v->ha_tries);
	rhv_cell_str(t, V_HA_ERROR, v->ha_last_error);
	rhv_cell_str(t, V_KERNEL, v->kernel);
	rhv_cell_str(t, V_INITRD, v->initrd);
	rhv_cell_str(t, V_KERNEL_PARAMS, v->kernel_params);
	rhv_cell_bool(t, V_SERIAL_CONSOLE, v->serial_console);
	free(nics);
}

static const struct rhv_rows rows = { "vms", "vm", sizeof(struct rhv_vm), add_row };

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vm_filter f = { opt.cluster, opt.host, opt.state };
	struct rhv_vm_list l;
	int rc;

	if ((f.cluster && rhv_check_name(f.cluster, 1024, "cluster name", err) < 0) ||
	    (f.host && rhv_check_name(f.host, 1024, "host name", err) < 0))
		return -1;
	if (f.state) { /* up and Up alike */
		int i;

		for (i = 0; rhv_vm_states[i] && strcasecmp(f.state, rhv_vm_states[i]); i++)
			;
		if (!rhv_vm_states[i] && rhv_parse_enum(f.state, rhv_vm_states, "VM state", err) < 0)
			return -1;
		f.state = rhv_vm_states[i];
	}
	if (rhv_vm_list(ctx->db, &f, &l, err) < 0)
		return -1;
	rc = rhv_ctx_print_items(ctx, &rows, l.items, l.n, err);
	rhv_vm_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vm v;
	int rc;

	if (rhv_vm_get(ctx->db, ctx->argv[0], &v, err) < 0)
		return -1;
	rc = rhv_ctx_print_item(ctx, &rows, &v, err);
	rhv_vm_clear(&v);
	return rc;
}

enum { D_KEY, D_ADDRESS };

static const struct rhv_column device_columns[] = {
	[D_KEY] = { "device", "DEVICE", RHV_COL_STR, RHV_COL_DEFAULT, "interface:MAC, video:N, sound:MODEL, ..." },
	[D_ADDRESS] = { "address", "PCI ADDRESS", RHV_COL_STR, RHV_COL_DEFAULT, "domain:bus:slot.function" },
};

static int cmd_devices(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vm v;
	struct rhv_table *t;
	int rc;

	if (rhv_vm_get(ctx->db, ctx->argv[0], &v, err) < 0)
		return -1;
	t = rhv_ctx_table(ctx, "devices", "device");
	for (size_t i = 0; i < v.naddrs; i++) {
		rhv_table_add_row(t);
		rhv_cell_str(t, D_KEY, v.addrs[i].key);
		rhv_cell_str(t, D_ADDRESS, v.addrs[i].address);
	}
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	rhv_vm_clear(&v);
	return rc;
}

static int bool_opt(const char *s, const char *what, int *out, struct rhv_error *err)
{
	bool b;

	if (!s)
		return 0;
	if (rhv_parse_bool(s, what, &b, err) < 0)
		return -1;
	*out = b;
	return 0;
}

static int cmd_create(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vm_spec s = {
		.name = ctx->argv[0], .cluster = opt.cluster, .description = opt.description, .memory = opt.memory,
		.vcpus = opt.vcpus, .add_nics = opt.nics, .graphics = opt.graphics, .video = opt.video,
		.sound = opt.sound, .balloon = opt.balloon_flag, .ha = opt.ha_flag, .ha_priority = opt.ha_priority,
		.pin_host = opt.pin_host, .kernel = opt.kernel, .initrd = opt.initrd, .kernel_params = opt.kernel_params,
		.serial_console = opt.serial_console_flag,
	};

	if (rhv_vm_create(ctx->db, &s, err) < 0)
		return -1;
	rhv_info(ctx, "VM '%s' created", s.name);
	return 0;
}

static int cmd_edit(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vm_spec s = {
		.name = ctx->argv[0], .new_name = opt.name, .description = opt.description, .memory = opt.memory,
		.vcpus = opt.vcpus, .add_nics = opt.nics, .remove_nics = opt.remove_nics, .graphics = opt.graphics,
		.video = opt.video, .sound = opt.sound, .balloon = -1, .ha = -1, .ha_priority = opt.ha_priority,
		.pin_host = opt.pin_host, .kernel = opt.kernel, .initrd = opt.initrd, .kernel_params = opt.kernel_params,
		.serial_console = -1,
	};
	bool fields;

	if (bool_opt(opt.balloon, "--balloon", &s.balloon, err) < 0 || bool_opt(opt.ha, "--ha", &s.ha, err) < 0 ||
	    bool_opt(opt.serial_console, "--serial-console", &s.serial_console, err) < 0)
		return -1;
	if (opt.cdrom && opt.eject)
		return rhv_error_usage(err, "options --cdrom and --eject are mutually exclusive");
	/* the fields rhv_vm_edit looks at; the CD-ROM has a transaction of its own */
	fields = s.new_name || s.description || s.memory || s.vcpus || s.add_nics || s.remove_nics || s.graphics ||
		 s.video || s.sound || s.balloon >= 0 || s.ha >= 0 || s.ha_priority || s.pin_host || s.kernel ||
		 s.initrd || s.kernel_params || s.serial_console >= 0;
	/* the CD-ROM alone is a change too; with nothing at all, rhv_vm_edit says so */
	if (fields || (!opt.cdrom && !opt.eject)) {
		bool plugged;

		if (rhv_vm_edit_live(ctx->db, &s, &plugged, err) < 0)
			return -1;
		rhv_info(ctx, "VM '%s' updated", s.new_name ? s.new_name : s.name);
		if (plugged)
			rhv_info(ctx, "VM '%s' has its NICs changed in the running guest", s.new_name ? s.new_name : s.name);
	}
	if (opt.cdrom || opt.eject) {
		const char *vm = s.new_name ? s.new_name : s.name;

		if (rhv_vm_set_cdrom(ctx->db, vm, opt.cdrom, err) < 0)
			return -1;
		if (opt.cdrom)
			rhv_info(ctx, "VM '%s' has ISO '%s' in its CD-ROM", vm, opt.cdrom);
		else
			rhv_info(ctx, "VM '%s' has its CD-ROM ejected", vm);
	}
	return 0;
}

static int cmd_remove(struct rhv_ctx *ctx, struct rhv_error *err)
{
	if (rhv_vm_remove(ctx->db, ctx->argv[0], err) < 0)
		return -1;
	rhv_info(ctx, "VM '%s' removed", ctx->argv[0]);
	return 0;
}

/* --explain: every host's verdict, shown whether or not a host took the VM (rc: the action's). */
static int print_explain(struct rhv_ctx *ctx, struct rhv_placement *pl, int rc, struct rhv_error *err)
{
	struct rhv_error ignored = { 0 };

	if (opt.explain && pl->n && rhv_explain_print(pl, &ctx->out, stdout, rc < 0 ? &ignored : err) < 0)
		rc = -1;
	rhv_placement_clear(pl);
	return rc;
}

static int cmd_start(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_placement pl = { 0 };
	int rc = rhv_vm_start(ctx->db, ctx->argv[0], opt.host, opt.explain ? &pl : NULL, rhv_ctx_progress(ctx), err);

	return print_explain(ctx, &pl, rc, err);
}

static int cmd_migrate(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_placement pl = { 0 };
	int rc = rhv_vm_migrate(ctx->db, ctx->argv[0], opt.host, opt.explain ? &pl : NULL, rhv_ctx_progress(ctx), err);

	return print_explain(ctx, &pl, rc, err);
}

static int cmd_stop(struct rhv_ctx *ctx, struct rhv_error *err)
{
	return rhv_vm_stop(ctx->db, ctx->argv[0], rhv_ctx_progress(ctx), err);
}

static int cmd_shutdown(struct rhv_ctx *ctx, struct rhv_error *err)
{
	int64_t timeout = -1;

	if (opt.timeout && rhv_parse_int(opt.timeout, 0, 3600, "--timeout", &timeout, err) < 0)
		return -1;
	return rhv_vm_shutdown(ctx->db, ctx->argv[0], (int)timeout, rhv_ctx_progress(ctx), err);
}

/* after the help, more fields for one verb (.required = true) */
#define OPT_MEMORY(text, ...) \
	{ .name = "memory", .kind = RHV_OPT_STRING, .target = &opt.memory, .help = text, .arg = "size", \
	  .complete = RHV_FREE, __VA_ARGS__ }
#define OPT_VCPUS(text, ...) \
	{ .name = "vcpus", .kind = RHV_OPT_STRING, .target = &opt.vcpus, .help = text, .arg = "n", \
	  .complete = RHV_FREE, __VA_ARGS__ }
#define OPT_NIC \
	{ .name = "nic", .kind = RHV_OPT_LIST, .target = &opt.nics, \
	  .help = "add a NIC on a vNIC profile (repeatable); model virtio unless given", \
	  .arg = "network[/profile][,model=M][,mac=MAC]", .complete = &rhv_names_nic_profile }
#define OPT_DEVICES(none) \
	{ .name = "graphics", .kind = RHV_OPT_STRING, .target = &opt.graphics, .help = "graphics console", \
	  .arg = "spice|vnc" none }, \
	{ .name = "video", .kind = RHV_OPT_STRING, .target = &opt.video, .help = "video card", \
	  .arg = "qxl|cirrus|vga" none }, \
	{ .name = "sound", .kind = RHV_OPT_STRING, .target = &opt.sound, .help = "sound card", \
	  .arg = "ac97|es1370" none }
#define OPT_DESCRIPTION \
	{ .name = "description", .kind = RHV_OPT_STRING, .target = &opt.description, .help = "free text", \
	  .arg = "text", .complete = RHV_FREE }
/* RHV's Linux boot options: QEMU loads the kernel itself (paths on the hosts) */
#define OPT_BOOT(none) \
	{ .name = "kernel", .kind = RHV_OPT_STRING, .target = &opt.kernel, \
	  .help = "boot this Linux kernel, an absolute path on the hosts" none, .arg = "path", .complete = RHV_FILE }, \
	{ .name = "initrd", .kind = RHV_OPT_STRING, .target = &opt.initrd, \
	  .help = "with this initrd (needs a kernel)" none, .arg = "path", .complete = RHV_FILE }, \
	{ .name = "kernel-params", .kind = RHV_OPT_STRING, .target = &opt.kernel_params, \
	  .help = "the kernel's command line (needs a kernel)" none, .arg = "text", .complete = RHV_FREE }
#define OPT_HA_PRIORITY(text) \
	{ .name = "ha-priority", .kind = RHV_OPT_STRING, .target = &opt.ha_priority, .help = text, \
	  .arg = "low|medium|high|1-100", .complete = &rhv_names_ha_priority }

static const struct rhv_opt create_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster, .help = "cluster it belongs to",
	  .arg = "cluster", .complete = &rhv_names_cluster, .required = true },
	OPT_MEMORY("guest memory, e.g. 512M or 4G", .required = true),
	OPT_VCPUS("virtual CPUs, 1 to 288", .required = true),
	OPT_NIC,
	OPT_DEVICES(""),
	{ .name = "balloon", .kind = RHV_OPT_FLAG, .target = &opt.balloon_flag,
	  .help = "add a memory balloon device" },
	{ .name = "ha", .kind = RHV_OPT_FLAG, .target = &opt.ha_flag,
	  .help = "mark it highly available (counted by HA reservation)" },
	OPT_HA_PRIORITY("restart order after a host failure, higher first (default low)"),
	{ .name = "pin-host", .kind = RHV_OPT_STRING, .target = &opt.pin_host,
	  .help = "run only on this host, never migrate", .arg = "host", .complete = &rhv_names_host },
	OPT_BOOT(""),
	{ .name = "serial-console", .kind = RHV_OPT_FLAG, .target = &opt.serial_console_flag,
	  .help = "add a serial console (the guest's ttyS0; virsh console on its host)" },
	OPT_DESCRIPTION,
	RHV_OPT_END,
};
static const struct rhv_opt edit_opts[] = {
	{ .name = "name", .kind = RHV_OPT_STRING, .target = &opt.name, .help = "rename the VM",
	  .arg = "new-name", .complete = RHV_FREE },
	OPT_MEMORY("guest memory (while Down)"),
	OPT_VCPUS("virtual CPUs (while Down)"),
	OPT_NIC,
	{ .name = "remove-nic", .kind = RHV_OPT_LIST, .target = &opt.remove_nics,
	  .help = "remove the NIC with this MAC (repeatable)", .arg = "mac", .complete = RHV_FREE },
	OPT_DEVICES("|none"),
	{ .name = "balloon", .kind = RHV_OPT_STRING, .target = &opt.balloon, .help = "memory balloon device",
	  .arg = "on|off" },
	{ .name = "ha", .kind = RHV_OPT_STRING, .target = &opt.ha, .help = "highly available", .arg = "on|off" },
	OPT_HA_PRIORITY("restart order after a host failure, higher first"),
	{ .name = "pin-host", .kind = RHV_OPT_STRING, .target = &opt.pin_host,
	  .help = "run only on this host, or none", .arg = "host", .complete = &rhv_names_host },
	{ .name = "cdrom", .kind = RHV_OPT_STRING, .target = &opt.cdrom,
	  .help = "put this ISO (FILE or DOMAIN:FILE) in the CD-ROM (while Down)", .arg = "iso",
	  .complete = &rhv_names_iso },
	{ .name = "eject", .kind = RHV_OPT_FLAG, .target = &opt.eject, .help = "empty the CD-ROM (while Down)" },
	OPT_BOOT("; '' removes it (while Down)"),
	{ .name = "serial-console", .kind = RHV_OPT_STRING, .target = &opt.serial_console,
	  .help = "serial console (while Down)", .arg = "on|off" },
	OPT_DESCRIPTION,
	RHV_OPT_END,
};
static const struct rhv_opt list_opts[] = {
	{ .name = "cluster", .kind = RHV_OPT_STRING, .target = &opt.cluster,
	  .help = "only VMs of this cluster", .arg = "cluster", .complete = &rhv_names_cluster },
	{ .name = "host", .kind = RHV_OPT_STRING, .target = &opt.host, .help = "only VMs on this host",
	  .arg = "host", .complete = &rhv_names_host },
	{ .name = "state", .kind = RHV_OPT_STRING, .target = &opt.state, .help = "only VMs in this state",
	  .arg = "state", .complete = RHV_FREE },
	RHV_OPT_END,
};
static const struct rhv_opt start_opts[] = {
	{ .name = "host", .kind = RHV_OPT_STRING, .target = &opt.host,
	  .help = "start it on this host (it must pass the filters)", .arg = "host",
	  .complete = &rhv_names_host },
	{ .name = "explain", .kind = RHV_OPT_FLAG, .target = &opt.explain,
	  .help = "print every host's verdict and weight" },
	RHV_OPT_END,
};
static const struct rhv_opt migrate_opts[] = {
	{ .name = "host", .kind = RHV_OPT_STRING, .target = &opt.host,
	  .help = "migrate it to this host (it must pass the filters)", .arg = "host",
	  .complete = &rhv_names_host },
	{ .name = "explain", .kind = RHV_OPT_FLAG, .target = &opt.explain,
	  .help = "print every host's verdict and weight" },
	RHV_OPT_END,
};
static const struct rhv_opt shutdown_opts[] = {
	{ .name = "timeout", .kind = RHV_OPT_STRING, .target = &opt.timeout,
	  .help = "seconds to wait for ACPI shutdown before powering off (default: VmShutdownTimeoutSeconds)",
	  .arg = "seconds", .complete = RHV_FREE },
	RHV_OPT_END,
};
static const struct rhv_arg new_arg[] = { { .name = "name", .complete = RHV_FREE }, RHV_ARG_END };
static const struct rhv_arg vm_arg[] = { { .name = "vm", .complete = &rhv_names_vm }, RHV_ARG_END };

#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ .name = "create", .handler = cmd_create, .opts = create_opts, .args = new_arg,
	  .summary = "define a VM",
	  .description =
		"Define a VM in a cluster. NICs attach to the management network, ovirtmgmt, until logical "
		"networks exist; their MAC addresses come from the pool 00:1a:4a:16:01:51 onwards. Names are up "
		"to 64 characters. The HA priority (low 1, medium 50, high 100, or any number between) orders "
		"the restarts of highly available VMs after a host failure.",
	  .flags = WRITES },
	{ .name = "list", .handler = cmd_list, .opts = list_opts, RHV_COLUMNS(vm_columns),
	  .summary = "list VMs",
	  .description = "List VMs, of every cluster, one cluster, one host or one state.",
	  .flags = LISTS },
	{ .name = "show", .handler = cmd_show, .args = vm_arg, RHV_COLUMNS(vm_columns),
	  .summary = "show one VM",
	  .description = "Show one VM, named by name or id.",
	  .flags = LISTS },
	{ .name = "devices", .handler = cmd_devices, .args = vm_arg, RHV_COLUMNS(device_columns),
	  .summary = "list a VM's stable device addresses",
	  .description =
		"List the PCI addresses libvirt gave the VM's devices at their first start. They are given back "
		"at every later start and migration, so they never change while the device exists; removing a "
		"device drops its address (reference 9.2).",
	  .flags = LISTS },
	{ .name = "edit", .handler = cmd_edit, .opts = edit_opts, .args = vm_arg,
	  .summary = "change a VM",
	  .description =
		"Change a VM. Memory, vCPUs and devices change only while it is Down, except NICs, which are "
		"also plugged into and out of a VM that is Up (not on a port-mirroring profile); the CD any "
		"time; name, description, HA, HA priority and pinning any time. Options left out are unchanged.",
	  .flags = WRITES },
	{ .name = "remove", .handler = cmd_remove, .args = vm_arg,
	  .summary = "remove a Down VM",
	  .description = "Remove a VM that is Down.",
	  .flags = WRITES },
	{ .name = "start", .handler = cmd_start, .opts = start_opts, .args = vm_arg,
	  .columns = rhv_explain_columns, .ncolumns = RHV_EXPLAIN_PLACEMENT_COLS,
	  .summary = "start a VM where the scheduler says",
	  .description =
		"Start a Down VM. The scheduler filters the cluster's hosts (Up, enough free memory counting VMs "
		"placed or starting, enough CPUs, pinning, the VM's networks set up and in sync) and weighs the rest by the cluster's policy, "
		"preferring hosts that are not the SPM. --explain prints every host's verdict and weight (-o, -c "
		"and -H shape it). Two starts of one VM at once: one wins, the other exits 4.",
	  .flags = WRITES | RHV_CMD_OUTPUT },
	{ .name = "stop", .handler = cmd_stop, .args = vm_arg,
	  .summary = "power a VM off",
	  .description = "Power a VM off at once, like pulling the plug.",
	  .flags = WRITES },
	{ .name = "shutdown", .handler = cmd_shutdown, .opts = shutdown_opts, .args = vm_arg,
	  .summary = "shut a VM down, then power it off",
	  .description = "Ask the guest to shut down (ACPI) and power it off if it has not after the timeout.",
	  .flags = WRITES },
	{ .name = "migrate", .handler = cmd_migrate, .opts = migrate_opts, .args = vm_arg,
	  .columns = rhv_explain_columns, .ncolumns = RHV_EXPLAIN_PLACEMENT_COLS,
	  .summary = "live-migrate a VM",
	  .description =
		"Live-migrate a running VM to another Up host of its cluster (the scheduler picks unless --host "
		"says). Limits of reference 5.9, all settings: 52 MiB/s, abort after 64 s per GiB of guest "
		"memory or 240 s without progress, at most min(2, CPU cores) outgoing migrations per host. "
		"Progress on a terminal. --explain prints every host's verdict and weight (-o, -c and -H shape "
		"it).",
	  .flags = WRITES | RHV_CMD_OUTPUT },
	RHV_CMD_END,
};

static const struct rhv_program prog = {
	.name = "rhv-vm",
	.summary = "Manage virtual machines",
	.cmds = cmds,
	.session = &rhv_store_session,
};

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
