/*
 * Whether a host's hypervisor can give guests a CPU model: the <cpu> asked
 * for, compared by libvirt (see rhv_hostcaps_model_runs() in rhv/hostcaps.h).
 */
#include "rhv/common.h"

#include <stdlib.h>

#include "rhv/cleanup.h"
#include "rhv/domxml.h"
#include "rhv/hostcaps.h"
#include "virt/virt-priv.h"

bool rhv_hostcaps_model_runs(struct rhv_virt_conn *c, const struct rhv_hostcaps *caps, const char *model,
			     const char *virttype)
{
	_cleanup_free_ char *emodel = rhv_domxml_escape(model);
	_cleanup_free_ char *xml = rhv_xasprintf("<cpu mode='custom' match='exact'><model fallback='forbid'>%s</model>"
						 "</cpu>",
						 emodel);
	int r = virConnectCompareHypervisorCPU(c->ptr, NULL, caps->arch, NULL, virttype, xml, 0);

	if (r == VIR_CPU_COMPARE_ERROR) { /* drivers without the comparison: the model list decides */
		virResetLastError();
		return !caps->cpu_models || rhv_hostcaps_model_usable(caps, model);
	}
	return r == VIR_CPU_COMPARE_IDENTICAL || r == VIR_CPU_COMPARE_SUPERSET;
}
