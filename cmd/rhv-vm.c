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
#include "rhv/parse.h"
#include "rhv/vm.h"
#include "rhv/vmops.h"

static struct {
	char *cluster, *memory, *vcpus, *graphics, *video, *sound, *pin_host, *description, *name, *host, *state,
		*timeout, *balloon, *ha, *cdrom;
	const char **nics, **remove_nics;
	int balloon_flag, ha_flag, explain, eject;
} opt;

enum { V_NAME, V_ID, V_CLUSTER, V_STATE, V_HOST, V_MEMORY, V_VCPUS, V_NICS, V_HA, V_PIN, V_GRAPHICS, V_VIDEO,
       V_SOUND, V_BALLOON, V_CPU_PCT, V_MEM_USED, V_MIGRATING_TO, V_DESCRIPTION, V_SINCE, V_CREATED, V_DISKS,
       V_CDROM };

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
	[V_CDROM] = { "cdrom", "CD-ROM", RHV_COL_STR, 0, "ISO in its CD-ROM, DOMAIN:FILE" },
};

static void add_row(struct rhv_table *t, const struct rhv_vm *v)
{
	char *nics = NULL;

	for (size_t i = 0; i < v->nnics; i++)
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
	rhv_cell_str(t, V_CDROM, v->cdrom_iso);
	free(nics);
}

static int cmd_list(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vm_filter f = { opt.cluster, opt.host, opt.state };
	struct rhv_vm_list l;
	struct rhv_table *t;
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
	t = rhv_ctx_table(ctx, "vms", "vm");
	for (size_t i = 0; i < l.n; i++)
		add_row(t, &l.items[i]);
	rc = rhv_ctx_print_list(ctx, t, err);
	rhv_table_free(t);
	rhv_vm_list_clear(&l);
	return rc;
}

static int cmd_show(struct rhv_ctx *ctx, struct rhv_error *err)
{
	struct rhv_vm v;
	struct rhv_table *t;
	int rc;

	if (rhv_vm_get(ctx->db, ctx->argv[0], &v, err) < 0)
		return -1;
	t = rhv_ctx_table(ctx, "vms", "vm");
	add_row(t, &v);
	rc = rhv_ctx_print_show(ctx, t, err);
	rhv_table_free(t);
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
		.sound = opt.sound, .balloon = opt.balloon_flag, .ha = opt.ha_flag, .pin_host = opt.pin_host,
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
		.video = opt.video, .sound = opt.sound, .balloon = -1, .ha = -1, .pin_host = opt.pin_host,
	};
	bool fields;

	if (bool_opt(opt.balloon, "--balloon", &s.balloon, err) < 0 || bool_opt(opt.ha, "--ha", &s.ha, err) < 0)
		return -1;
	if (opt.cdrom && opt.eject)
		return rhv_error_usage(err, "options --cdrom and --eject are mutually exclusive");
	/* the fields rhv_vm_edit looks at; the CD-ROM has a transaction of its own */
	fields = s.new_name || s.description || s.memory || s.vcpus || s.add_nics || s.remove_nics || s.graphics ||
		 s.video || s.sound || s.balloon >= 0 || s.ha >= 0 || s.pin_host;
	/* the CD-ROM alone is a change too; with nothing at all, rhv_vm_edit says so */
	if (fields || (!opt.cdrom && !opt.eject)) {
		if (rhv_vm_edit(ctx->db, &s, err) < 0)
			return -1;
		rhv_info(ctx, "VM '%s' updated", s.new_name ? s.new_name : s.name);
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

#define OPT_MEMORY(help) { "memory", '\0', POPT_ARG_STRING, &opt.memory, 0, help, "size" }
#define OPT_VCPUS(help) { "vcpus", '\0', POPT_ARG_STRING, &opt.vcpus, 0, help, "n" }
#define OPT_NIC                                                                                                \
	{ "nic", '\0', POPT_ARG_ARGV, &opt.nics, 0, "add a NIC (repeatable); model virtio unless given",        \
	  "network[,model=M]" }
#define OPT_DEVICES(none)                                                                                      \
	{ "graphics", '\0', POPT_ARG_STRING, &opt.graphics, 0, "graphics console", "spice|vnc" none },          \
		{ "video", '\0', POPT_ARG_STRING, &opt.video, 0, "video card", "qxl|cirrus|vga" none },         \
		{ "sound", '\0', POPT_ARG_STRING, &opt.sound, 0, "sound card", "ac97|es1370" none }
#define OPT_DESCRIPTION { "description", '\0', POPT_ARG_STRING, &opt.description, 0, "free text", "text" }

static const struct poptOption create_opts[] = {
	{ "cluster", '\0', POPT_ARG_STRING, &opt.cluster, 0, "cluster it belongs to", "cluster" },
	OPT_MEMORY("guest memory, e.g. 512M or 4G"),
	OPT_VCPUS("virtual CPUs, 1 to 288"),
	OPT_NIC,
	OPT_DEVICES(""),
	{ "balloon", '\0', POPT_ARG_NONE, &opt.balloon_flag, 0, "add a memory balloon device", NULL },
	{ "ha", '\0', POPT_ARG_NONE, &opt.ha_flag, 0, "mark it highly available (counted by HA reservation)",
	  NULL },
	{ "pin-host", '\0', POPT_ARG_STRING, &opt.pin_host, 0, "run only on this host, never migrate", "host" },
	OPT_DESCRIPTION,
	POPT_TABLEEND,
};
static const struct poptOption edit_opts[] = {
	{ "name", '\0', POPT_ARG_STRING, &opt.name, 0, "rename the VM", "new-name" },
	OPT_MEMORY("guest memory (while Down)"),
	OPT_VCPUS("virtual CPUs (while Down)"),
	OPT_NIC,
	{ "remove-nic", '\0', POPT_ARG_ARGV, &opt.remove_nics, 0, "remove the NIC with this MAC (repeatable)", "mac" },
	OPT_DEVICES("|none"),
	{ "balloon", '\0', POPT_ARG_STRING, &opt.balloon, 0, "memory balloon device", "on|off" },
	{ "ha", '\0', POPT_ARG_STRING, &opt.ha, 0, "highly available", "on|off" },
	{ "pin-host", '\0', POPT_ARG_STRING, &opt.pin_host, 0, "run only on this host, or none", "host" },
	{ "cdrom", '\0', POPT_ARG_STRING, &opt.cdrom, 0,
	  "put this ISO (FILE or DOMAIN:FILE) in the CD-ROM (while Down)", "iso" },
	{ "eject", '\0', POPT_ARG_NONE, &opt.eject, 0, "empty the CD-ROM (while Down)", NULL },
	OPT_DESCRIPTION,
	POPT_TABLEEND,
};
static const struct poptOption list_opts[] = {
	{ "cluster", '\0', POPT_ARG_STRING, &opt.cluster, 0, "only VMs of this cluster", "cluster" },
	{ "host", '\0', POPT_ARG_STRING, &opt.host, 0, "only VMs on this host", "host" },
	{ "state", '\0', POPT_ARG_STRING, &opt.state, 0, "only VMs in this state", "state" },
	POPT_TABLEEND,
};
static const struct poptOption start_opts[] = {
	{ "host", '\0', POPT_ARG_STRING, &opt.host, 0, "start it on this host (it must pass the filters)", "host" },
	{ "explain", '\0', POPT_ARG_NONE, &opt.explain, 0, "print every host's verdict and weight", NULL },
	POPT_TABLEEND,
};
static const struct poptOption migrate_opts[] = {
	{ "host", '\0', POPT_ARG_STRING, &opt.host, 0, "migrate it to this host (it must pass the filters)", "host" },
	{ "explain", '\0', POPT_ARG_NONE, &opt.explain, 0, "print every host's verdict and weight", NULL },
	POPT_TABLEEND,
};
static const struct poptOption shutdown_opts[] = {
	{ "timeout", '\0', POPT_ARG_STRING, &opt.timeout, 0,
	  "seconds to wait for ACPI shutdown before powering off (default: VmShutdownTimeoutSeconds)", "seconds" },
	POPT_TABLEEND,
};
static const struct rhv_optinfo vm_info[] = {
	{ "cluster", RHV_COMP_CLUSTER, 0 },
	{ "memory", RHV_COMP_FREE, 0 },
	{ "vcpus", RHV_COMP_FREE, 0 },
	{ "nic", RHV_COMP_NETWORK, 0 },
	{ "remove-nic", RHV_COMP_FREE, 0 },
	{ "pin-host", RHV_COMP_HOST, 0 },
	{ "description", RHV_COMP_FREE, 0 },
	{ "name", RHV_COMP_FREE, 0 },
	{ "host", RHV_COMP_HOST, 0 },
	{ "state", RHV_COMP_FREE, 0 },
	{ "timeout", RHV_COMP_FREE, 0 },
	{ "cdrom", RHV_COMP_ISO, 0 },
	{ NULL, 0, 0 },
};
static const struct rhv_optinfo create_info[] = {
	{ "cluster", RHV_COMP_CLUSTER, RHV_OPT_REQUIRED },
	{ "memory", RHV_COMP_FREE, RHV_OPT_REQUIRED },
	{ "vcpus", RHV_COMP_FREE, RHV_OPT_REQUIRED },
	{ "nic", RHV_COMP_NETWORK, 0 },
	{ "pin-host", RHV_COMP_HOST, 0 },
	{ "description", RHV_COMP_FREE, 0 },
	{ NULL, 0, 0 },
};
static const struct rhv_arg new_arg[] = { { "name", 0, RHV_COMP_FREE }, { NULL, 0, 0 } };
static const struct rhv_arg vm_arg[] = { { "vm", 0, RHV_COMP_VM }, { NULL, 0, 0 } };

#define WRITES (RHV_CMD_NEEDS_DB | RHV_CMD_MUTATES)
#define LISTS (RHV_CMD_NEEDS_DB | RHV_CMD_OUTPUT)

static const struct rhv_cmd cmds[] = {
	{ "create", cmd_create, create_opts, create_info, new_arg, NULL, 0, "define a VM",
	  "Define a VM in a cluster. NICs attach to the management network, ovirtmgmt, until logical networks "
	  "exist; their MAC addresses come from the pool 00:1a:4a:16:01:51 onwards. Names are up to 64 characters.",
	  WRITES },
	{ "list", cmd_list, list_opts, vm_info, NULL, vm_columns, RHV_ARRAY_SIZE(vm_columns), "list VMs",
	  "List VMs, of every cluster, one cluster, one host or one state.", LISTS },
	{ "show", cmd_show, NULL, NULL, vm_arg, vm_columns, RHV_ARRAY_SIZE(vm_columns), "show one VM",
	  "Show one VM, named by name or id.", LISTS },
	{ "devices", cmd_devices, NULL, NULL, vm_arg, device_columns, RHV_ARRAY_SIZE(device_columns),
	  "list a VM's stable device addresses",
	  "List the PCI addresses libvirt gave the VM's devices at their first start. They are given back at every "
	  "later start and migration, so they never change while the device exists; removing a device drops its "
	  "address (reference 9.2).",
	  LISTS },
	{ "edit", cmd_edit, edit_opts, vm_info, vm_arg, NULL, 0, "change a VM",
	  "Change a VM. Memory, vCPUs, devices and the CD-ROM change only while it is Down; name, description, HA "
	  "and pinning any time. Options left out are unchanged.",
	  WRITES },
	{ "remove", cmd_remove, NULL, NULL, vm_arg, NULL, 0, "remove a Down VM", "Remove a VM that is Down.",
	  WRITES },
	{ "start", cmd_start, start_opts, vm_info, vm_arg, rhv_explain_columns, RHV_EXPLAIN_PLACEMENT_COLS,
	  "start a VM where the scheduler says",
	  "Start a Down VM. The scheduler filters the cluster's hosts (Up, enough free memory counting VMs placed "
	  "or starting, enough CPUs, pinning) and weighs the rest by the cluster's policy, preferring hosts that "
	  "are not the SPM. --explain prints every host's verdict and weight (-o, -c and -H shape it). Two starts "
	  "of one VM at once: one wins, the other exits 4.",
	  WRITES | RHV_CMD_OUTPUT },
	{ "stop", cmd_stop, NULL, NULL, vm_arg, NULL, 0, "power a VM off",
	  "Power a VM off at once, like pulling the plug.", WRITES },
	{ "shutdown", cmd_shutdown, shutdown_opts, vm_info, vm_arg, NULL, 0, "shut a VM down, then power it off",
	  "Ask the guest to shut down (ACPI) and power it off if it has not after the timeout.", WRITES },
	{ "migrate", cmd_migrate, migrate_opts, vm_info, vm_arg, rhv_explain_columns, RHV_EXPLAIN_PLACEMENT_COLS,
	  "live-migrate a VM",
	  "Live-migrate a running VM to another Up host of its cluster (the scheduler picks unless --host says). "
	  "Limits of reference 5.9, all settings: 52 MiB/s, abort after 64 s per GiB of guest memory or 240 s "
	  "without progress, at most min(2, CPU cores) outgoing migrations per host. Progress on a terminal. "
	  "--explain prints every host's verdict and weight (-o, -c and -H shape it).",
	  WRITES | RHV_CMD_OUTPUT },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0 },
};

static const struct rhv_program prog = { "rhv-vm", "Manage virtual machines", cmds };

int main(int argc, char **argv)
{
	return rhv_main(argc, argv, &prog);
}
