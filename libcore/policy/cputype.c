#include "rhv/common.h"

#include <strings.h>

#include "rhv/cputype.h"

/* Reference 10.6; libvirt model names as libvirt's CPU map spells them. */
const struct rhv_cpu_type rhv_cpu_types[] = {
	{ "opteron_g1", "AMD Opteron G1", "AMD", 1, "Opteron_G1" },
	{ "opteron_g2", "AMD Opteron G2", "AMD", 2, "Opteron_G2" },
	{ "opteron_g3", "AMD Opteron G3", "AMD", 3, "Opteron_G3" },
	{ "opteron_g4", "AMD Opteron G4", "AMD", 4, "Opteron_G4" },
	{ "opteron_g5", "AMD Opteron G5", "AMD", 5, "Opteron_G5" },
	{ "conroe", "Intel Conroe Family", "Intel", 1, "Conroe" },
	{ "penryn", "Intel Penryn Family", "Intel", 2, "Penryn" },
	{ "nehalem", "Intel Nehalem Family", "Intel", 3, "Nehalem" },
	{ "westmere", "Intel Westmere Family", "Intel", 4, "Westmere" },
	{ "sandybridge", "Intel SandyBridge Family", "Intel", 5, "SandyBridge" },
	{ "haswell", "Intel Haswell Family", "Intel", 6, "Haswell-noTSX" },
	{ "power8", "IBM POWER 8", "IBM", 1, "POWER8" },
};
const size_t rhv_cpu_types_count = RHV_ARRAY_SIZE(rhv_cpu_types);

const struct rhv_cpu_type *rhv_cpu_type_find(const char *s)
{
	for (size_t i = 0; s && i < rhv_cpu_types_count; i++)
		if (!strcasecmp(s, rhv_cpu_types[i].id) || !strcasecmp(s, rhv_cpu_types[i].name))
			return &rhv_cpu_types[i];
	return NULL;
}

const struct rhv_cpu_type *rhv_cpu_type_highest(const char *vendor, char *const *ids)
{
	const struct rhv_cpu_type *best = NULL;

	for (char *const *p = ids; vendor && p && *p; p++) {
		const struct rhv_cpu_type *t = rhv_cpu_type_find(*p);

		if (t && !strcasecmp(t->vendor, vendor) && (!best || t->level > best->level))
			best = t;
	}
	return best;
}
