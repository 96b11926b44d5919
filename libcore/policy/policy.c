#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/parse.h"
#include "rhv/policy.h"

/* Names, defaults and ranges as oVirt 4.1 (peers.md 2.1). */
const struct rhv_policy_param rhv_policy_params[] = {
	{ "HighUtilization", RHV_PARAM_INT, true, 80, 50, 99,
	  "CPU % above which a host is over-utilized" },
	{ "LowUtilization", RHV_PARAM_INT, true, 20, 0, 49,
	  "CPU % below which a host is under-utilized" },
	{ "CpuOverCommitDurationMinutes", RHV_PARAM_INT, true, 2, 1, 1440,
	  "minutes a host must stay over the threshold before VMs move" },
	{ "HighVmCount", RHV_PARAM_INT, true, 10, 0, 100000,
	  "VM slots at which a host counts as over-loaded" },
	{ "MigrationThreshold", RHV_PARAM_INT, true, 5, 2, 100000,
	  "largest allowed VM-count spread between hosts" },
	{ "SpmVmGrace", RHV_PARAM_INT, true, 5, 0, 100000,
	  "VM slots the SPM host counts as occupied" },
	{ "HostsInReserve", RHV_PARAM_INT, true, 0, 0, 10000,
	  "empty hosts kept running for sudden load" },
	{ "EnableAutomaticHostPowerManagement", RHV_PARAM_BOOL, true, 0, 0, 1,
	  "power emptied hosts down and up through power management" },
	{ "MaxFreeMemoryForOverUtilized", RHV_PARAM_INT, false, 0, 0, INT32_MAX,
	  "MiB of free memory below which a host is over-utilized" },
	{ "MinFreeMemoryForUnderUtilized", RHV_PARAM_INT, false, 0, 0, INT32_MAX,
	  "MiB of free memory above which a host is under-utilized" },
};
const size_t rhv_policy_params_count = RHV_ARRAY_SIZE(rhv_policy_params);

static const char *const none_params[] = { "HighUtilization", "CpuOverCommitDurationMinutes", NULL };
static const char *const even_params[] = { "HighUtilization", "CpuOverCommitDurationMinutes",
					   "MaxFreeMemoryForOverUtilized", "MinFreeMemoryForUnderUtilized", NULL };
static const char *const power_params[] = { "HighUtilization",
					    "LowUtilization",
					    "CpuOverCommitDurationMinutes",
					    "HostsInReserve",
					    "EnableAutomaticHostPowerManagement",
					    "MaxFreeMemoryForOverUtilized",
					    "MinFreeMemoryForUnderUtilized",
					    NULL };
static const char *const vm_even_params[] = { "HighVmCount", "MigrationThreshold", "SpmVmGrace", NULL };

const struct rhv_policy rhv_policies[] = {
	{ "none", "place VMs at start only; never migrate to balance", none_params },
	{ "evenly_distributed", "spread CPU and memory load evenly", even_params },
	{ "power_saving", "pack VMs onto few hosts so idle ones can power off", power_params },
	{ "vm_evenly_distributed", "spread the number of VMs evenly", vm_even_params },
};
const size_t rhv_policies_count = RHV_ARRAY_SIZE(rhv_policies);

const struct rhv_policy *rhv_policy_find(const char *name)
{
	for (size_t i = 0; name && i < rhv_policies_count; i++)
		if (!strcmp(name, rhv_policies[i].name))
			return &rhv_policies[i];
	return NULL;
}

const struct rhv_policy_param *rhv_policy_param_find(const char *key)
{
	for (size_t i = 0; key && i < rhv_policy_params_count; i++)
		if (!strcmp(key, rhv_policy_params[i].key))
			return &rhv_policy_params[i];
	return NULL;
}

bool rhv_policy_has_param(const struct rhv_policy *p, const char *key)
{
	for (const char *const *k = p->params; *k; k++)
		if (!strcmp(*k, key))
			return true;
	return false;
}

int rhv_policy_parse_assignment(const struct rhv_policy *p, const char *kv, struct rhv_param_value *out,
				struct rhv_error *err)
{
	const char *eq = strchr(kv, '=');
	char key[64];
	char what[96];

	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
		return rhv_error_usage(err, "invalid parameter '%s': expected KEY=VALUE", kv);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
	out->param = rhv_policy_param_find(key);
	out->unset = false;
	out->value = 0;
	if (!out->param) {
		rhv_error_usage(err, "unknown policy parameter '%s'", key);
		rhv_error_hint(err, "'rhv-cluster policies' lists the parameters of each policy");
		return -1;
	}
	if (!rhv_policy_has_param(p, key))
		return rhv_error_usage(err, "parameter '%s' does not apply to policy '%s'", key, p->name);
	if (!eq[1]) {
		out->unset = true;
		return 0;
	}
	snprintf(what, sizeof(what), "value for %s", key);
	if (out->param->kind == RHV_PARAM_BOOL) {
		bool b;

		if (rhv_parse_bool(eq + 1, what, &b, err) < 0)
			return -1;
		out->value = b;
		return 0;
	}
	return rhv_parse_int(eq + 1, out->param->min, out->param->max, what, &out->value, err);
}

static int index_of(const char *key)
{
	const struct rhv_policy_param *pp = rhv_policy_param_find(key);

	return pp ? (int)(pp - rhv_policy_params) : -1;
}

int rhv_policy_check_values(const struct rhv_policy *p, const int64_t *values, const bool *set,
			    struct rhv_error *err)
{
	int hi = index_of("HighUtilization"), lo = index_of("LowUtilization");
	int maxfree = index_of("MaxFreeMemoryForOverUtilized"), minfree = index_of("MinFreeMemoryForUnderUtilized");

	if (rhv_policy_has_param(p, "LowUtilization") && set[hi] && set[lo] && values[lo] >= values[hi])
		return rhv_error_usage(err, "LowUtilization (%lld) must be below HighUtilization (%lld)",
				       (long long)values[lo], (long long)values[hi]);
	/* a host cannot be both over- and under-utilized on memory */
	if (rhv_policy_has_param(p, "MaxFreeMemoryForOverUtilized") && set[maxfree] && set[minfree] &&
	    values[minfree] <= values[maxfree])
		return rhv_error_usage(err,
				       "MinFreeMemoryForUnderUtilized (%lld) must be above MaxFreeMemoryForOverUtilized (%lld)",
				       (long long)values[minfree], (long long)values[maxfree]);
	return 0;
}

int64_t rhv_policy_stored_value(const char *key, const char *text)
{
	const struct rhv_policy_param *pp = rhv_policy_param_find(key);

	if (pp && pp->kind == RHV_PARAM_BOOL)
		return !strcmp(text, "true");
	return strtoll(text, NULL, 10);
}
