/* Whether a host may serve its cluster (reference 10.3 and 10.6).  Pure. */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rhv/cputype.h"
#include "rhv/host.h"

static bool has_flag(const struct rhv_host_facts *f, const char *flag)
{
	for (char *const *p = f->cpu_flags; p && *p; p++)
		if (!strcmp(*p, flag))
			return true;
	return false;
}

const char *rhv_host_misfit(const char *cluster_cpu_type, const struct rhv_host_facts *f, bool emulated, char *buf,
			    size_t len)
{
	const struct rhv_cpu_type *cpu = rhv_cpu_type_find(cluster_cpu_type);
	const char *vendor = f->cpu_vendor ? f->cpu_vendor : "unknown";

	if (!cpu) {
		snprintf(buf, len, "the cluster's CPU type '%s' is unknown", cluster_cpu_type);
		return buf;
	}
	/* Intel and AMD never share a cluster */
	if (strcasecmp(vendor, cpu->vendor)) {
		snprintf(buf, len, "its CPU vendor %s does not match the cluster's %s (%s)", vendor, cpu->vendor,
			 cpu->name);
		return buf;
	}
	if (!emulated && !f->kvm && !has_flag(f, "vmx") && !has_flag(f, "svm")) {
		snprintf(buf, len, "it has no hardware virtualization (vmx or svm, and no usable KVM)");
		return buf;
	}
	if (!has_flag(f, "nx")) {
		snprintf(buf, len, "its CPU lacks the NX flag");
		return buf;
	}
	if (!f->cluster_model_ok) {
		snprintf(buf, len, "its CPU (%s) cannot run the cluster's CPU type %s%s", f->cpu_model ? f->cpu_model : "?",
			 cpu->name, f->kvm && !emulated ? " under KVM (--emulated would run its guests on TCG)" : "");
		return buf;
	}
	return NULL;
}
