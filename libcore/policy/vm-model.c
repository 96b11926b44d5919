/* The VM's vocabulary (states, device models) and the lifetime of its struct. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rhv/parse.h"
#include "rhv/vm.h"

const char *const rhv_nic_models[] = { "virtio", "e1000", "rtl8139", NULL };
const char *const rhv_graphics_kinds[] = { "spice", "vnc", NULL };
const char *const rhv_video_models[] = { "qxl", "cirrus", "vga", NULL };
const char *const rhv_sound_models[] = { "ac97", "es1370", NULL };
const char *const rhv_vm_states[] = { RHV_VM_DOWN, RHV_VM_LAUNCHING, RHV_VM_UP, RHV_VM_MIGRATING,
				      RHV_VM_POWERING_DOWN, RHV_VM_PAUSED, RHV_VM_UNKNOWN, NULL };

int rhv_vm_ha_priority_parse(const char *s, const char *what, int *out, struct rhv_error *err)
{
	static const struct {
		const char *name;
		int value;
	} named[] = {
		{ "low", RHV_HA_PRIORITY_LOW },
		{ "medium", RHV_HA_PRIORITY_MEDIUM },
		{ "high", RHV_HA_PRIORITY_HIGH },
	};
	char *end = NULL;
	long v;

	for (size_t i = 0; s && i < RHV_ARRAY_SIZE(named); i++)
		if (!strcasecmp(s, named[i].name))
			return *out = named[i].value, 0;
	v = s && *s >= '0' && *s <= '9' ? strtol(s, &end, 10) : 0;
	if (!v || *end || v < RHV_HA_PRIORITY_LOW || v > RHV_HA_PRIORITY_HIGH)
		return rhv_error_usage(err, "invalid %s '%s': expected low, medium, high or a whole number between %d and %d",
				       what, s ? s : "", RHV_HA_PRIORITY_LOW, RHV_HA_PRIORITY_HIGH);
	*out = (int)v;
	return 0;
}

void rhv_vm_clear(struct rhv_vm *vm)
{
	free(vm->name);
	free(vm->cluster);
	free(vm->description);
	for (size_t i = 0; i < vm->nnics; i++) {
		free(vm->nics[i].network);
		free(vm->nics[i].model);
		free(vm->nics[i].profile);
	}
	free(vm->nics);
	free(vm->graphics);
	free(vm->video);
	free(vm->sound);
	free(vm->kernel);
	free(vm->initrd);
	free(vm->kernel_params);
	free(vm->ha_last_error);
	free(vm->pin_host);
	free(vm->state);
	free(vm->host);
	free(vm->migrating_to);
	for (size_t i = 0; i < vm->naddrs; i++) {
		free(vm->addrs[i].key);
		free(vm->addrs[i].address);
	}
	free(vm->addrs);
	for (size_t i = 0; i < vm->ndisks; i++) {
		free(vm->disks[i].name);
		free(vm->disks[i].path);
		free(vm->disks[i].format);
		free(vm->disks[i].interface);
		free(vm->disks[i].target);
	}
	free(vm->disks);
	free(vm->cdrom);
	free(vm->cdrom_target);
	free(vm->cdrom_iso);
	memset(vm, 0, sizeof(*vm));
}
