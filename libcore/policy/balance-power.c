/* The last word on a power action of power_saving, as a run reads the host just before acting. */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>

#include "rhv/balance.h"
#include "rhv/host.h"

const char *rhv_bal_power_refusal(enum rhv_bal_kind kind, const struct rhv_bal_power_host *h, char *buf,
				  size_t len)
{
	if (kind == RHV_BAL_POWER_OFF) {
		if (h->is_spm)
			return "it is the SPM";
		if (strcmp(h->state, RHV_HOST_UP))
			return snprintf(buf, len, "it is %s, not Up", h->state), buf;
		if (h->vms)
			return snprintf(buf, len, "it has %d VM%s", h->vms, h->vms == 1 ? "" : "s"), buf;
	} else if (kind == RHV_BAL_POWER_ON) {
		if (strcmp(h->state, RHV_HOST_DOWN))
			return snprintf(buf, len, "it is %s, not Down", h->state), buf;
		if (!h->power_saving_off)
			return "it was not powered off for power saving";
	} else {
		return "not a power action";
	}
	if (!h->agents)
		return "it has no power management agent";
	if (!h->pm_enabled)
		return "its power management is disabled";
	return NULL;
}
