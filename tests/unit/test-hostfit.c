/* A host fits its cluster: vendor, virtualization, NX, CPU model. */
#include "rhv/common.h"

#include "rhv/host.h"
#include "tap.h"

static const char *fit(const char *type, const char *vendor, char **flags, bool kvm, bool model_ok, bool emulated,
		       char *buf)
{
	struct rhv_host_facts f = { .cpu_vendor = (char *)vendor, .cpu_model = (char *)"Skylake-Client",
				    .cpu_flags = flags, .kvm = kvm, .cluster_model_ok = model_ok };

	return rhv_host_misfit(type, &f, emulated, buf, 160);
}

int main(void)
{
	char buf[160];
	char *good[] = { "vmx", "nx", "sse2", NULL };
	char *no_vmx[] = { "nx", "sse2", NULL };
	char *no_nx[] = { "vmx", "sse2", NULL };

	OK(fit("haswell", "Intel", good, true, true, false, buf) == NULL, "an Intel host fits an Intel cluster");
	IS_STR(fit("opteron_g5", "Intel", good, true, true, false, buf),
	       "its CPU vendor Intel does not match the cluster's AMD (AMD Opteron G5)",
	       "an Intel host never joins an AMD cluster");
	IS_STR(fit("haswell", "AMD", good, true, true, false, buf),
	       "its CPU vendor AMD does not match the cluster's Intel (Intel Haswell Family)",
	       "an AMD host never joins an Intel cluster");
	IS_STR(fit("nehalem", "Intel", no_vmx, false, true, false, buf),
	       "it has no hardware virtualization (vmx or svm, and no usable KVM)", "no vmx, no KVM: refused");
	OK(fit("nehalem", "Intel", no_vmx, true, true, false, buf) == NULL,
	   "no vmx flag shown but KVM usable: accepted (nested guests hide the flag)");
	OK(fit("nehalem", "Intel", no_vmx, false, true, true, buf) == NULL, "emulated host accepted without KVM");
	IS_STR(fit("nehalem", "Intel", no_nx, true, true, false, buf), "its CPU lacks the NX flag", "NX required");
	IS_STR(fit("haswell", "Intel", good, true, false, false, buf),
	       "its CPU (Skylake-Client) cannot run the cluster's CPU type Intel Haswell Family under KVM (--emulated "
	       "would run its guests on TCG)",
	       "the cluster's CPU model must run on the host");
	IS_STR(fit("pentium", "Intel", good, true, true, false, buf), "the cluster's CPU type 'pentium' is unknown",
	       "unknown cluster CPU type");
	return tap_done();
}
