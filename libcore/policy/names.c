/* Completers for the vocabularies of the pure cores (rhv/names.h): CPU types, policies, HA priorities. */
#include "rhv/common.h"

#include <stdlib.h>

#include "rhv/cputype.h"
#include "rhv/names.h"
#include "rhv/policy.h"
#include "rhv/vm.h"

static void complete_cpu_type(struct rhv_completion *c)
{
	for (size_t i = 0; i < rhv_cpu_types_count; i++)
		rhv_offer(c, rhv_cpu_types[i].id);
}

static void complete_policy(struct rhv_completion *c)
{
	for (size_t i = 0; i < rhv_policies_count; i++)
		rhv_offer(c, rhv_policies[i].name);
}

/* "KEY=": the value follows */
static void complete_policy_param(struct rhv_completion *c)
{
	for (size_t i = 0; i < rhv_policy_params_count; i++) {
		char *kv = rhv_xasprintf("%s=", rhv_policy_params[i].key);

		rhv_offer(c, kv);
		free(kv);
	}
}

/* the named HA priorities; a number 1..100 is typed */
static void complete_ha_priority(struct rhv_completion *c)
{
	rhv_offer(c, "low");
	rhv_offer(c, "medium");
	rhv_offer(c, "high");
}

const struct rhv_completer rhv_names_cpu_type = { .complete = complete_cpu_type };
const struct rhv_completer rhv_names_policy = { .complete = complete_policy };
const struct rhv_completer rhv_names_policy_param = { .complete = complete_policy_param };
const struct rhv_completer rhv_names_ha_priority = { .complete = complete_ha_priority };
