/*
 * Scheduling policies and their parameters, with oVirt's names, defaults
 * and ranges (peers.md 2.1).  Pure: no I/O.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

enum rhv_param_kind { RHV_PARAM_INT, RHV_PARAM_BOOL };

struct rhv_policy_param {
	const char *key;
	enum rhv_param_kind kind;
	bool has_default; /* the memory thresholds have none: unset means off */
	int64_t def;
	int64_t min, max;
	const char *help;
};

struct rhv_policy {
	const char *name;
	const char *summary;
	const char *const *params; /* keys, NULL-terminated */
};

extern const struct rhv_policy rhv_policies[];
extern const size_t rhv_policies_count;
extern const struct rhv_policy_param rhv_policy_params[];
extern const size_t rhv_policy_params_count;
#define RHV_POLICY_DEFAULT "none"

const struct rhv_policy *rhv_policy_find(const char *name);
const struct rhv_policy_param *rhv_policy_param_find(const char *key);
bool rhv_policy_has_param(const struct rhv_policy *p, const char *key);
/*
 * A parameter's value as the store keeps it ("80", "true") read back as
 * a number: a boolean parameter is 1 for "true", else 0; the rest are
 * whole numbers.  Every reader of stored parameters goes through here.
 */
int64_t rhv_policy_stored_value(const char *key, const char *text);

/* One KEY=VALUE assignment, parsed and checked against the policy. */
struct rhv_param_value {
	const struct rhv_policy_param *param;
	int64_t value;
	bool unset; /* "KEY=" resets to the default */
};

/*
 * Parse "KEY=VALUE" for policy p.  Returns: 0, or -1 with RHV_EXIT_USAGE
 * (malformed, unknown key, not a parameter of p, junk or out of range).
 */
int rhv_policy_parse_assignment(const struct rhv_policy *p, const char *kv, struct rhv_param_value *out,
				struct rhv_error *err);
/*
 * Check the relations between the effective values of p's parameters
 * (values[i] for rhv_policy_params[i]; set[i] false = unset).
 */
int rhv_policy_check_values(const struct rhv_policy *p, const int64_t *values, const bool *set,
			    struct rhv_error *err);
