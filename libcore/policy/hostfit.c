/* Whether a host may serve its cluster (reference 10.3 and 10.6).  Pure. */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rhv/cputype.h"
#include "rhv/host.h"

static bool strv_has(char *const *v, const char *s)
{
	for (char *const *p = v; p && *p; p++)
		if (!strcmp(*p, s))
			return true;
	return false;
}

/* ", the newest it can run is X" or ", it can run no X type": what to choose instead. */
static void what_it_runs(const struct rhv_host_facts *f, const char *vendor, char *buf, size_t len)
{
	const struct rhv_cpu_type *best = rhv_cpu_type_highest(vendor, f->cpu_types);

	if (best)
		snprintf(buf, len, "; the newest type it can run is %s (%s)", best->name, best->id);
	else
		snprintf(buf, len, "; it can run no %s CPU type", vendor);
}

const char *rhv_host_misfit(const char *cluster_cpu_type, const struct rhv_host_facts *f, bool emulated, char *buf,
			    size_t len)
{
	const struct rhv_cpu_type *cpu = cluster_cpu_type ? rhv_cpu_type_find(cluster_cpu_type) : NULL;
	const char *vendor = f->cpu_vendor ? f->cpu_vendor : "unknown";
	char runs[96];

	if (cluster_cpu_type && !cpu) {
		snprintf(buf, len, "the cluster's CPU type '%s' is unknown", cluster_cpu_type);
		return buf;
	}
	/* Intel and AMD never share a cluster */
	if (cpu && strcasecmp(vendor, cpu->vendor)) {
		snprintf(buf, len, "its CPU vendor %s does not match the cluster's %s (%s)", vendor, cpu->vendor,
			 cpu->name);
		return buf;
	}
	if (!emulated && !f->kvm && !strv_has(f->cpu_flags, "vmx") && !strv_has(f->cpu_flags, "svm")) {
		snprintf(buf, len, "it has no hardware virtualization (vmx or svm, and no usable KVM)");
		return buf;
	}
	if (!strv_has(f->cpu_flags, "nx")) {
		snprintf(buf, len, "its CPU lacks the NX flag");
		return buf;
	}
	what_it_runs(f, vendor, runs, sizeof(runs));
	if (!cpu && !rhv_cpu_type_highest(vendor, f->cpu_types)) {
		snprintf(buf, len, "its CPU (%s) can run no %s CPU type%s", f->cpu_model ? f->cpu_model : "?", vendor,
			 f->kvm && !emulated ? " under KVM (--emulated would run its guests on TCG)" : "");
		return buf;
	}
	if (cpu && !strv_has(f->cpu_types, cpu->id)) {
		snprintf(buf, len, "its CPU (%s) cannot run the cluster's CPU type %s%s%s",
			 f->cpu_model ? f->cpu_model : "?", cpu->name,
			 f->kvm && !emulated ? " under KVM (--emulated would run its guests on TCG)" : "", runs);
		return buf;
	}
	return NULL;
}
