/* The scheduler's verdicts as rows: names, reasons, the chosen host and each unit's score. */
#include "rhv/common.h"

#include <string.h>

#include "rhv/placement.h"
#include "rhv/sched.h"
#include "tap.h"

#define GiB (1024ULL * 1024 * 1024)

int main(void)
{
	struct rhv_sched_host h[3] = {
		{ .name = "h1", .up = false, .in_cluster = true, .cores = 8, .mem_total = 16 * GiB },
		{ .name = "h2", .up = true, .in_cluster = true, .cores = 8, .mem_total = 16 * GiB, .cpu_pct = 50 },
		{ .name = "h3", .up = true, .in_cluster = true, .cores = 8, .mem_total = 16 * GiB },
	};
	struct rhv_sched_vm vm = { .memory = GiB, .vcpus = 1, .pinned_host = -1, .current_host = -1 };
	struct rhv_placement pl = { 0 };
	int chosen = rhv_placement_compute(h, 3, &vm, RHV_SCHED_EVENLY, NULL, &pl);

	OK(chosen == 2, "the idle host is chosen (got %d)", chosen);
	IS_STR(pl.policy, "evenly_distributed", "the policy by its name");
	OK(pl.n == 3, "a row per host");
	IS_STR(pl.rows[0].host, "h1", "rows keep the hosts' order");
	OK(!pl.rows[0].eligible && pl.rows[0].reason && !pl.rows[0].scores, "a filtered host has a reason, no scores");
	OK(pl.rows[1].eligible && !pl.rows[1].chosen && !pl.rows[1].reason, "an eligible host has no reason");
	OK(pl.rows[2].chosen && pl.rows[2].weight < pl.rows[1].weight, "the chosen host weighs least");
	OK(pl.rows[2].scores && !strncmp(pl.rows[2].scores, "EvenDistributionCPU ", 20),
	   "scores name the policy's units: %s", pl.rows[2].scores ? pl.rows[2].scores : "(null)");
	rhv_placement_clear(&pl);
	OK(pl.n == 0 && !pl.rows && !pl.policy, "clear leaves an empty placement");
	rhv_placement_clear(&pl);
	OK(1, "clearing twice is harmless");
	return tap_done();
}
