/* A host fits its cluster: vendor, virtualization, NX, CPU model; the type a cluster takes from it. */
#include "rhv/common.h"

#include "rhv/cputype.h"
#include "rhv/host.h"
#include "tap.h"

static char *intel_upto_haswell[] = { "conroe", "penryn", "nehalem", "westmere", "sandybridge", "haswell", NULL };
static char *intel_upto_westmere[] = { "conroe", "penryn", "nehalem", "westmere", NULL };
static char *none[] = { NULL };

static const char *fit(const char *type, const char *vendor, char **flags, bool kvm, char **types, bool emulated,
		       char *buf)
{
	struct rhv_host_facts f = { .cpu_vendor = (char *)vendor, .cpu_model = (char *)"Skylake-Client",
				    .cpu_flags = flags, .kvm = kvm, .cpu_types = types };

	return rhv_host_misfit(type, &f, emulated, buf, 200);
}

int main(void)
{
	char buf[200];
	char *good[] = { "vmx", "nx", "sse2", NULL };
	char *no_vmx[] = { "nx", "sse2", NULL };
	char *no_nx[] = { "vmx", "sse2", NULL };
	char *amd_g2[] = { "opteron_g1", "opteron_g2", NULL };
	char *mixed[] = { "opteron_g3", "haswell", "bogus", "conroe", NULL };

	OK(fit("haswell", "Intel", good, true, intel_upto_haswell, false, buf) == NULL,
	   "an Intel host fits an Intel cluster");
	IS_STR(fit("opteron_g5", "Intel", good, true, intel_upto_haswell, false, buf),
	       "its CPU vendor Intel does not match the cluster's AMD (AMD Opteron G5)",
	       "an Intel host never joins an AMD cluster");
	IS_STR(fit("haswell", "AMD", good, true, amd_g2, false, buf),
	       "its CPU vendor AMD does not match the cluster's Intel (Intel Haswell Family)",
	       "an AMD host never joins an Intel cluster");
	IS_STR(fit("nehalem", "Intel", no_vmx, false, intel_upto_haswell, false, buf),
	       "it has no hardware virtualization (vmx or svm, and no usable KVM)", "no vmx, no KVM: refused");
	OK(fit("nehalem", "Intel", no_vmx, true, intel_upto_haswell, false, buf) == NULL,
	   "no vmx flag shown but KVM usable: accepted (nested guests hide the flag)");
	OK(fit("nehalem", "Intel", no_vmx, false, intel_upto_haswell, true, buf) == NULL,
	   "emulated host accepted without KVM");
	IS_STR(fit("nehalem", "Intel", no_nx, true, intel_upto_haswell, false, buf), "its CPU lacks the NX flag",
	       "NX required");
	IS_STR(fit("haswell", "Intel", good, true, intel_upto_westmere, false, buf),
	       "its CPU (Skylake-Client) cannot run the cluster's CPU type Intel Haswell Family under KVM (--emulated "
	       "would run its guests on TCG); the newest type it can run is Intel Westmere Family (westmere)",
	       "the cluster's CPU model must run on the host, and the message says what it can run");
	IS_STR(fit("opteron_g3", "AMD", good, false, amd_g2, true, buf),
	       "its CPU (Skylake-Client) cannot run the cluster's CPU type AMD Opteron G3; the newest type it can run "
	       "is AMD Opteron G2 (opteron_g2)",
	       "an emulated host is judged by what TCG can give its guests");
	IS_STR(fit("pentium", "Intel", good, true, intel_upto_haswell, false, buf),
	       "the cluster's CPU type 'pentium' is unknown", "unknown cluster CPU type");
	OK(fit(NULL, "AMD", good, false, amd_g2, true, buf) == NULL, "a cluster without a type takes any fitting host");
	IS_STR(fit(NULL, "AMD", good, true, none, false, buf),
	       "its CPU (Skylake-Client) can run no AMD CPU type under KVM (--emulated would run its guests on TCG)",
	       "a host that can run no type of its vendor gives a cluster none");

	IS_STR(rhv_cpu_type_highest("AMD", amd_g2)->id, "opteron_g2", "the newest AMD type among the host's");
	IS_STR(rhv_cpu_type_highest("Intel", mixed)->id, "haswell", "other vendors' and unknown ids are skipped");
	IS_STR(rhv_cpu_type_highest("intel", mixed)->id, "haswell", "vendors compare without letter case");
	OK(rhv_cpu_type_highest("AMD", none) == NULL, "no type: none");
	OK(rhv_cpu_type_highest("IBM", mixed) == NULL, "no type of the vendor: none");
	OK(rhv_cpu_type_highest(NULL, mixed) == NULL, "no vendor: none");
	return tap_done();
}
