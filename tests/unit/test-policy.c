/* Scheduling policy parameters: names, ranges and relations as oVirt. */
#include "rhv/common.h"

#include "rhv/cputype.h"
#include "rhv/policy.h"
#include "tap.h"

static int assign(const char *policy, const char *kv, int64_t *value)
{
	struct rhv_error err = { 0 };
	struct rhv_param_value v;
	int rc = rhv_policy_parse_assignment(rhv_policy_find(policy), kv, &v, &err);

	if (rc == 0 && value)
		*value = v.value;
	return rc;
}

int main(void)
{
	int64_t v = 0;
	const struct rhv_policy_param *p;

	OK(rhv_policy_find("none") && rhv_policy_find("power_saving") && rhv_policy_find("vm_evenly_distributed") &&
		   rhv_policy_find("evenly_distributed"),
	   "the four policies exist");
	OK(!rhv_policy_find("cluster_maintenance"), "unknown policy not found");
	p = rhv_policy_param_find("HighUtilization");
	OK(p && p->def == 80 && p->min == 50 && p->max == 99, "HighUtilization 80, 50..99");
	p = rhv_policy_param_find("LowUtilization");
	OK(p && p->def == 20 && p->min == 0 && p->max == 49, "LowUtilization 20, 0..49");
	p = rhv_policy_param_find("MigrationThreshold");
	OK(p && p->def == 5 && p->min == 2, "MigrationThreshold 5, at least 2");
	p = rhv_policy_param_find("CpuOverCommitDurationMinutes");
	OK(p && p->def == 2 && p->min == 1, "CpuOverCommitDurationMinutes 2, at least 1");
	p = rhv_policy_param_find("MaxFreeMemoryForOverUtilized");
	OK(p && !p->has_default, "memory thresholds have no default");

	OK(assign("power_saving", "HighUtilization=70", &v) == 0 && v == 70, "valid value accepted");
	OK(assign("power_saving", "HighUtilization=100", NULL) < 0, "above range rejected");
	OK(assign("power_saving", "HighUtilization=49", NULL) < 0, "below range rejected");
	OK(assign("power_saving", "HighUtilization=7x", NULL) < 0, "junk rejected");
	OK(assign("power_saving", "HighUtilization", NULL) < 0, "missing '=' rejected");
	OK(assign("power_saving", "=5", NULL) < 0, "missing key rejected");
	OK(assign("power_saving", "Bogus=1", NULL) < 0, "unknown key rejected");
	OK(assign("power_saving", "HighVmCount=3", NULL) < 0, "key of another policy rejected");
	OK(assign("none", "LowUtilization=10", NULL) < 0, "none has no LowUtilization");
	OK(assign("power_saving", "EnableAutomaticHostPowerManagement=true", &v) == 0 && v == 1, "bool parsed");
	OK(assign("power_saving", "EnableAutomaticHostPowerManagement=2", NULL) < 0, "bool junk rejected");
	OK(assign("vm_evenly_distributed", "MigrationThreshold=1", NULL) < 0, "MigrationThreshold 1 rejected");
	OK(assign("vm_evenly_distributed", "SpmVmGrace=0", &v) == 0 && v == 0, "SpmVmGrace 0 accepted");
	{
		struct rhv_error err = { 0 };
		struct rhv_param_value pv;

		OK(rhv_policy_parse_assignment(rhv_policy_find("power_saving"), "LowUtilization=", &pv, &err) == 0 &&
			   pv.unset,
		   "KEY= resets to the default");
	}
	{
		int64_t values[16] = { 0 };
		bool set[16] = { false };
		struct rhv_error err = { 0 };
		const struct rhv_policy *ps = rhv_policy_find("power_saving");
		size_t hi = (size_t)(rhv_policy_param_find("HighUtilization") - rhv_policy_params);
		size_t lo = (size_t)(rhv_policy_param_find("LowUtilization") - rhv_policy_params);

		values[hi] = 60, set[hi] = true;
		values[lo] = 40, set[lo] = true;
		OK(rhv_policy_check_values(ps, values, set, &err) == 0, "Low below High accepted");
		values[hi] = 50, values[lo] = 49;
		OK(rhv_policy_check_values(ps, values, set, &err) == 0, "Low 49 below High 50 accepted");
		OK(rhv_policy_check_values(ps, values, set, &err) == 0, "relation checked only when both set");
	}
	OK(rhv_cpu_type_find("nehalem") && !strcmp(rhv_cpu_type_find("nehalem")->vendor, "Intel"), "CPU id lookup");
	OK(rhv_cpu_type_find("amd opteron g5") && !strcmp(rhv_cpu_type_find("AMD Opteron G5")->vendor, "AMD"),
	   "CPU full name lookup, case-insensitive");
	OK(rhv_cpu_types_count == 12, "the 12 CPU types of reference 10.6");
	OK(!rhv_cpu_type_find("Skylake"), "unknown CPU type");
	return tap_done();
}
