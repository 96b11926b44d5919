/*
 * How the scheduler saw each host for one VM, as rows a person can read:
 * the verdicts of rhv_sched_place() with host names, the reasons and each
 * weight unit's score.  Pure (libcore/policy/): start, migrate and the
 * balancer's explain build it, the output layer shows it (rhv/explain.h).
 */
#pragma once

#include "rhv/common.h"

struct rhv_sched_host;
struct rhv_sched_vm;
struct rhv_sched_params;
struct rhv_sched_verdict;

/* How the scheduler saw one host, for --explain. */
struct rhv_placement_row {
	char *host;
	bool eligible, chosen;
	char *reason; /* why it was filtered out; NULL if eligible */
	double weight;
	char *scores; /* "EvenDistributionCPU 0.12x2, ..." */
};

struct rhv_placement {
	char *policy;
	struct rhv_placement_row *rows;
	size_t n;
};

void rhv_placement_clear(struct rhv_placement *p);
/*
 * Verdicts into rows (out is cleared first): names from hosts[0..n-1],
 * scores as "Unit 0.123x2, ...", chosen the index picked or -1.
 */
void rhv_placement_fill(struct rhv_placement *out, int policy, const struct rhv_sched_host *hosts,
			const struct rhv_sched_verdict *v, size_t n, int chosen);
/*
 * The placement of a VM over a snapshot already built (rhv-balance explain):
 * the same filters and weights start and migrate use.
 * Returns: the index of the chosen host, or -1.
 */
int rhv_placement_compute(const struct rhv_sched_host *hosts, size_t n, const struct rhv_sched_vm *vm, int policy,
			  const struct rhv_sched_params *params, struct rhv_placement *out);
