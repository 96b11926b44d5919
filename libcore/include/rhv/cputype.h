/* The CPU types a cluster may have (reference 10.6). */
#pragma once

#include "rhv/common.h"

struct rhv_cpu_type {
	const char *id;     /* what the CLI and the store use: "nehalem" */
	const char *name;   /* "Intel Nehalem Family" */
	const char *vendor; /* "Intel", "AMD", "IBM" */
	int level;          /* higher = newer within a vendor */
	const char *libvirt_model; /* the model libvirt knows it by */
};

extern const struct rhv_cpu_type rhv_cpu_types[];
extern const size_t rhv_cpu_types_count;

/* By id or full name, case-insensitive; NULL if unknown. */
const struct rhv_cpu_type *rhv_cpu_type_find(const char *s);

/*
 * The newest type of vendor among ids (type ids, NULL-terminated, may be
 * NULL): what a cluster without a CPU type takes from its first host.
 * NULL when ids holds no type of that vendor.
 */
const struct rhv_cpu_type *rhv_cpu_type_highest(const char *vendor, char *const *ids);
