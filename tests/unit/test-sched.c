/* The scheduler: filters and their reasons, weights per policy, ties, sequential placement. */
#include "rhv/common.h"

#include "rhv/policy.h"
#include "rhv/sched.h"
#include "tap.h"

#define MiB (1024ULL * 1024)
#define GiB (1024ULL * MiB)
#define N 8

static struct rhv_sched_verdict v[64];

/* An idle Up host of the cluster: 8 CPUs, 16 GiB, nothing on it. */
static struct rhv_sched_host host(const char *name)
{
	return (struct rhv_sched_host){
		.name = name, .up = true, .in_cluster = true, .cores = 8, .mem_total = 16 * GiB,
	};
}

static struct rhv_sched_vm vm_new(uint64_t memory, int vcpus)
{
	return (struct rhv_sched_vm){ .memory = memory, .vcpus = vcpus, .pinned_host = -1, .current_host = -1 };
}

static bool near(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

static int place(const struct rhv_sched_host *h, size_t n, const struct rhv_sched_vm *vm,
		 enum rhv_sched_policy_kind policy)
{
	return rhv_sched_place(h, n, vm, policy, NULL, v);
}

static void test_filters(void)
{
	struct rhv_sched_host h[N];
	struct rhv_sched_vm vm = vm_new(512 * MiB, 2);

	for (int i = 0; i < N; i++)
		h[i] = host("h");
	h[0].up = false;
	h[1].in_cluster = false;
	h[2].mem_total = GiB;
	h[2].mem_committed = 724 * MiB; /* 300 MiB free */
	h[3].cores = 1;
	h[4].cores = 0;
	h[5].mem_committed = 17 * GiB; /* overcommitted: nothing free */
	h[6].mem_committed = 16 * GiB - 512 * MiB; /* exactly enough */
	h[7].migrations_in = 2; /* only matters for migrations */
	OK(place(h, N, &vm, RHV_SCHED_EVENLY) == 7, "a start ignores incoming migrations: the emptier host 7 wins");
	IS_STR(v[0].reason, "host is not Up", "reason: not Up");
	IS_STR(v[1].reason, "host is not in the VM's cluster", "reason: other cluster");
	IS_STR(v[2].reason, "not enough free memory: needs 512 MiB, 300 MiB free", "reason: memory, with figures");
	IS_STR(v[3].reason, "not enough CPUs: VM has 2 vCPUs, host has 1", "reason: CPUs, with figures");
	IS_STR(v[4].reason, "host reports no CPUs", "reason: no CPUs");
	IS_STR(v[5].reason, "not enough free memory: needs 512 MiB, 0 MiB free", "overcommitted host shows 0 free");
	OK(v[6].eligible && !v[6].reason[0], "memory that fits exactly passes");
	OK(!v[0].eligible && v[0].weight == 0 && v[0].unit_scores[0] == 0, "a filtered host has no weight");

	vm.memory = 300 * MiB + 1;
	place(h, N, &vm, RHV_SCHED_EVENLY);
	IS_STR(v[2].reason, "not enough free memory: needs 301 MiB, 300 MiB free",
	       "figures are rounded so the VM never looks as if it fits");

	/* a migration from host 6 */
	vm = vm_new(512 * MiB, 2);
	vm.current_host = 6;
	OK(place(h, N, &vm, RHV_SCHED_EVENLY) == -1, "migration: no host left");
	IS_STR(v[6].reason, "the VM runs here now", "reason: source host");
	IS_STR(v[7].reason, "too many incoming migrations: 2 in flight, limit 2", "reason: incoming migrations");
	h[7].migrations_in = 1;
	OK(place(h, N, &vm, RHV_SCHED_EVENLY) == 7, "one incoming migration is fine");
}

static void test_pinning(void)
{
	struct rhv_sched_host h[3] = { host("a"), host("b"), host("c") };
	struct rhv_sched_vm vm = vm_new(GiB, 1);

	vm.pinned_host = 2;
	h[2].cpu_pct = 90; /* the worst host, but the only one allowed */
	OK(place(h, 3, &vm, RHV_SCHED_EVENLY) == 2, "pinned VM goes to its host");
	IS_STR(v[0].reason, "VM is pinned to host 'c'", "reason names the pinned host");
	h[2].up = false;
	OK(place(h, 3, &vm, RHV_SCHED_EVENLY) == -1, "pinned host down: nowhere to go");
	IS_STR(v[2].reason, "host is not Up", "the pinned host says why");
	vm.pinned_host = 7;
	OK(place(h, 3, &vm, RHV_SCHED_EVENLY) == -1, "pinned to a host outside the snapshot: nowhere");
	IS_STR(v[0].reason, "VM is pinned to another host", "reason without a name");
}

static void test_edges(void)
{
	struct rhv_sched_host h[3] = { host("a"), host("b"), host("c") };
	struct rhv_sched_vm vm = vm_new(GiB, 1);

	for (int i = 0; i < 3; i++)
		h[i].up = false;
	OK(place(h, 3, &vm, RHV_SCHED_EVENLY) == -1, "no Up host: -1");
	OK(!v[0].eligible && !v[1].eligible && !v[2].eligible, "no Up host: none eligible");
	IS_STR(v[2].reason, "host is not Up", "no Up host: each says why");
	h[1].up = true;
	OK(place(h, 3, &vm, RHV_SCHED_POWER_SAVING) == 1, "the one Up host is chosen");
	OK(place(h, 1, &vm, RHV_SCHED_EVENLY) == -1, "one host, down: -1");
	h[0].up = true;
	OK(place(h, 1, &vm, RHV_SCHED_VM_EVENLY) == 0, "one host: it");
	OK(rhv_sched_place(h, 0, &vm, RHV_SCHED_EVENLY, NULL, v) == -1, "no hosts: -1");
	OK(rhv_sched_place(h, 3, NULL, RHV_SCHED_EVENLY, NULL, v) == -1, "no VM: -1");
	OK(rhv_sched_place(h, 3, &vm, (enum rhv_sched_policy_kind)9, NULL, v) == -1, "unknown policy: -1");
}

static void test_spm(void)
{
	struct rhv_sched_host h[2] = { host("spm"), host("b") };
	struct rhv_sched_vm vm = vm_new(GiB, 1);

	h[0].is_spm = true;
	for (int p = RHV_SCHED_NONE; p <= RHV_SCHED_VM_EVENLY; p++)
		OK(place(h, 2, &vm, p) == 1, "policy %d: SPM avoided when another host is as good", p);
	OK(v[0].unit_scores[2] == 1 && v[1].unit_scores[2] == 0, "PreferNonSpm scores 1 on the SPM only");
	h[1].mem_committed = 16 * GiB - 512 * MiB;
	for (int p = RHV_SCHED_NONE; p <= RHV_SCHED_VM_EVENLY; p++)
		OK(place(h, 2, &vm, p) == 0, "policy %d: SPM used when it is the only one with room", p);
}

static void test_sequential_memory(void)
{
	struct rhv_sched_host h[2] = { host("a"), host("b") };
	struct rhv_sched_vm vm = vm_new(GiB, 1);
	int t;

	h[0].mem_committed = 15 * GiB;		 /* 1 GiB free */
	h[1].mem_committed = 14 * GiB + 512 * MiB; /* 1.5 GiB free */
	t = place(h, 2, &vm, RHV_SCHED_EVENLY);
	OK(t == 1, "first VM: the host with more free memory");
	rhv_sched_commit(h, 2, t, &vm);
	OK(h[1].mem_committed == 15 * GiB + 512 * MiB && h[1].vm_count == 1 && h[1].vcpus_pending == 1,
	   "commit records memory, VM slot and pending vCPUs");
	t = place(h, 2, &vm, RHV_SCHED_EVENLY);
	OK(t == 0, "second VM: the placed one counts, so the other host");
	IS_STR(v[1].reason, "not enough free memory: needs 1024 MiB, 512 MiB free", "b is now full");
	rhv_sched_commit(h, 2, t, &vm);
	OK(place(h, 2, &vm, RHV_SCHED_EVENLY) == -1, "third VM: no room anywhere, no overcommit");
	IS_STR(v[0].reason, "not enough free memory: needs 1024 MiB, 0 MiB free", "a is now full");
}

static void test_evenly(void)
{
	struct rhv_sched_host h[3] = { host("a"), host("b"), host("c") };
	struct rhv_sched_vm vm = vm_new(GiB, 2); /* 2 x 10 % / 8 CPUs = 2.5 % */

	h[0].cpu_pct = 50;
	h[1].cpu_pct = 10;
	h[2].cpu_pct = 30;
	OK(place(h, 3, &vm, RHV_SCHED_EVENLY) == 1, "evenly_distributed: the least loaded CPU");
	OK(near(v[1].unit_scores[0], 0.125) && near(v[0].unit_scores[0], 0.525) && near(v[1].weight, 0.25),
	   "CPU score is the load after placement: 12.5 %% -> 0.125, weight 0.25");
	OK(place(h, 3, &vm, RHV_SCHED_NONE) == 1, "none weighs like evenly_distributed");

	h[1].vcpus_pending = 32; /* + 40 %: pending VMs count */
	OK(place(h, 3, &vm, RHV_SCHED_EVENLY) == 2, "pending vCPUs count towards the load");
	OK(near(v[1].unit_scores[0], 0.525), "10 %% + (32 + 2) x 10 %% / 8 = 52.5 %%");

	h[1].vcpus_pending = 0;
	h[0].cpu_pct = h[1].cpu_pct = h[2].cpu_pct = 20;
	h[0].mem_committed = 8 * GiB;
	h[1].mem_committed = 2 * GiB;
	h[2].mem_committed = 4 * GiB;
	OK(place(h, 3, &vm, RHV_SCHED_EVENLY) == 1, "equal CPU: the most free memory");
	/* free after: 7, 13, 11 GiB; 1 - free / 13 */
	OK(near(v[1].unit_scores[1], 0) && near(v[0].unit_scores[1], 6.0 / 13), "memory score 1 - free / most free");
	OK(near(v[0].weight, 2 * v[0].unit_scores[0] + v[0].unit_scores[1] + v[0].unit_scores[2]),
	   "weight = 2 x CPU + memory + SPM");
}

static void test_power_saving(void)
{
	struct rhv_sched_host h[3] = { host("a"), host("b"), host("c") };
	struct rhv_sched_vm vm = vm_new(GiB, 2);
	struct rhv_sched_params p;
	int t, on_b = 0;

	for (int i = 0; i < 3; i++)
		h[i].cores = 4; /* the VM adds 5 % */
	h[0].cpu_pct = 10; /* 15 after: under LowUtilization 20 */
	h[1].cpu_pct = 60; /* 65: normal */
	h[2].cpu_pct = 78; /* 83: over HighUtilization 80 */
	OK(place(h, 3, &vm, RHV_SCHED_POWER_SAVING) == 1, "power_saving: the busiest host that stays below High");
	OK(near(v[1].unit_scores[0], 0.125), "normal band: 0.5 x (80 - 65) / (80 - 20) = 0.125");
	OK(near(v[0].unit_scores[0], 0.625), "under Low: 0.5 + 0.5 x (20 - 15) / 20 = 0.625");
	OK(v[2].unit_scores[0] == RHV_SCHED_OVER_HIGH, "over High: the last-resort score");
	h[1].cpu_pct = 40;
	h[0].cpu_pct = 70;
	OK(place(h, 3, &vm, RHV_SCHED_POWER_SAVING) == 0, "of two normal hosts, the busier (70 %%) one");

	/* the over-High host loses even with little free memory against an idle SPM */
	h[0].cpu_pct = 0;
	h[0].is_spm = true;
	h[0].mem_total = 64 * GiB;
	h[1].up = false;
	h[2].mem_committed = 15 * GiB;
	OK(place(h, 3, &vm, RHV_SCHED_POWER_SAVING) == 0, "over High is a last resort");
	h[0].cpu_pct = 79;
	OK(place(h, 3, &vm, RHV_SCHED_POWER_SAVING) == 2, "but still used when every host would exceed High");

	/* packing: 8 cores, 4 vCPUs = 5 % per VM */
	h[0] = host("a");
	h[1] = host("b");
	h[0].mem_total = h[1].mem_total = 64 * GiB;
	h[0].cpu_pct = 30;
	h[1].cpu_pct = 40;
	vm = vm_new(GiB, 4);
	for (int i = 0; i < 9; i++) {
		t = place(h, 2, &vm, RHV_SCHED_POWER_SAVING);
		if (i < 8)
			on_b += t == 1;
		rhv_sched_commit(h, 2, t, &vm);
	}
	OK(on_b == 8, "packs 8 VMs onto the busier host, up to High exactly (40 + 8 x 5 = 80 %%)");
	OK(t == 0 && h[0].vm_count == 1, "the 9th would push it to 85 %%: it goes to the other host");

	/* MaxFreeMemoryForOverUtilized: a host left below it is worst on memory */
	h[0] = host("a");
	h[1] = host("b");
	h[0].mem_committed = 14 * GiB; /* 1 GiB free after */
	h[1].mem_committed = 11 * GiB; /* 4 GiB free after */
	rhv_sched_params_default(&p);
	OK(rhv_sched_place(h, 2, &vm, RHV_SCHED_POWER_SAVING, &p, v) == 0, "memory packs: less free memory wins");
	OK(near(v[0].unit_scores[1], 0.225) && near(v[1].unit_scores[1], 0.9), "0.9 x free / most free");
	p.max_free_mem_over = 2048;
	OK(rhv_sched_place(h, 2, &vm, RHV_SCHED_POWER_SAVING, &p, v) == 1,
	   "but not below MaxFreeMemoryForOverUtilized (2048 MiB)");
	OK(v[0].unit_scores[1] == 1, "over-utilized on memory scores 1");
}

static void test_vm_evenly(void)
{
	struct rhv_sched_host h[3] = { host("a"), host("b"), host("c") };
	struct rhv_sched_vm vm = vm_new(GiB, 1);
	struct rhv_sched_params p;

	h[0].vm_count = 3;
	h[1].vm_count = 1;
	h[2].vm_count = 2;
	h[1].cpu_pct = 95; /* CPU does not matter to this policy */
	OK(place(h, 3, &vm, RHV_SCHED_VM_EVENLY) == 1, "vm_evenly_distributed: fewest VMs");
	OK(near(v[1].unit_scores[0], 0.5) && near(v[0].unit_scores[0], 1), "slots after / most slots: 2/4, 4/4");

	/* SPM with 1 VM against a host with 4 */
	h[0].is_spm = true;
	h[0].vm_count = 1;
	h[1].vm_count = 4;
	h[2].up = false;
	rhv_sched_params_default(&p);
	OK(p.spm_vm_grace == 5, "SpmVmGrace defaults to 5");
	OK(rhv_sched_place(h, 3, &vm, RHV_SCHED_VM_EVENLY, &p, v) == 1, "SpmVmGrace 5: the SPM counts 7 slots, b 5");
	p.spm_vm_grace = 0;
	/* SPM: 2/5 x 2 + 1 = 1.8; b: 5/5 x 2 = 2 */
	OK(rhv_sched_place(h, 3, &vm, RHV_SCHED_VM_EVENLY, &p, v) == 0, "SpmVmGrace 0: the SPM's 2 slots win");
	OK(near(v[0].weight, 1.8) && near(v[1].weight, 2), "weights 1.8 and 2");
}

static void test_ties(void)
{
	struct rhv_sched_host h[3] = { host("a"), host("b"), host("c") };
	struct rhv_sched_vm vm = vm_new(GiB, 1);
	bool same = true;

	for (int p = RHV_SCHED_NONE; p <= RHV_SCHED_VM_EVENLY; p++)
		OK(place(h, 3, &vm, p) == 0, "policy %d: identical hosts, the first wins", p);
	h[0].cpu_pct = 50;
	for (int i = 0; i < 100; i++)
		same = same && place(h, 3, &vm, RHV_SCHED_EVENLY) == 1;
	OK(same, "equal b and c: b, every time");
	OK(v[1].weight == v[2].weight, "b and c weigh the same");
}

static void test_thirty_vms(void)
{
	struct rhv_sched_host h[3] = { host("a"), host("b"), host("c") };
	struct rhv_sched_vm vm = vm_new(256 * MiB, 1);
	int placed = 0, refused_memory = 0;

	for (int i = 0; i < 3; i++)
		h[i].mem_total = 2 * GiB;
	h[1].is_spm = true;
	for (int i = 0; i < 30; i++) {
		int t = place(h, 3, &vm, RHV_SCHED_EVENLY);

		if (t >= 0) {
			placed++;
			rhv_sched_commit(h, 3, t, &vm);
		} else if (!strcmp(v[0].reason, "not enough free memory: needs 256 MiB, 0 MiB free") &&
			   !strcmp(v[1].reason, v[0].reason) && !strcmp(v[2].reason, v[0].reason)) {
			refused_memory++;
		}
	}
	OK(placed == 24, "30 VMs of 256 MiB on 3 x 2 GiB: 24 placed (got %d)", placed);
	OK(refused_memory == 6, "the other 6 refused for memory on every host (got %d)", refused_memory);
	OK(h[0].vm_count == 8 && h[1].vm_count == 8 && h[2].vm_count == 8, "8 on each host");
	OK(h[0].mem_committed == 2 * GiB, "committed memory reaches the limit exactly");
}

static void test_migration_commit(void)
{
	struct rhv_sched_host h[3] = { host("a"), host("b"), host("c") };
	struct rhv_sched_vm vm = vm_new(GiB, 1);

	h[1].cpu_pct = 50;
	vm.current_host = 2;
	for (int i = 0; i < 2; i++)
		rhv_sched_commit(h, 3, place(h, 3, &vm, RHV_SCHED_EVENLY), &vm);
	OK(h[0].migrations_in == 2 && h[2].migrations_out == 2, "commit counts migrations in and out");
	OK(place(h, 3, &vm, RHV_SCHED_EVENLY) == 1, "the third migration goes elsewhere");
	IS_STR(v[0].reason, "too many incoming migrations: 2 in flight, limit 2", "a has two incoming");
}

/* A small deterministic generator for the invariant test. */
static uint32_t rnd_state = 12345;

static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state % n;
}

static void test_invariants(void)
{
	struct rhv_sched_host h[40];
	struct rhv_sched_vm vm;
	int bad_choice = 0, bad_nullv = 0, bad_weight = 0;

	for (int round = 0; round < 500; round++) {
		size_t n = 1 + rnd(40);
		int pol = (int)rnd(4), t;

		for (size_t i = 0; i < n; i++) {
			h[i] = host("x");
			h[i].up = rnd(10) != 0;
			h[i].is_spm = i == 3;
			h[i].cores = 1 + (int)rnd(16);
			h[i].mem_committed = rnd(18) * GiB;
			h[i].cpu_pct = rnd(101);
			h[i].vm_count = (int)rnd(20);
			h[i].vcpus_pending = (int)rnd(8);
		}
		vm = vm_new((1 + rnd(4)) * GiB, 1 + (int)rnd(8));
		vm.current_host = rnd(3) ? -1 : (int)rnd((uint32_t)n);
		t = place(h, n, &vm, pol);
		bad_nullv += rhv_sched_place(h, n, &vm, pol, NULL, NULL) != t;
		for (size_t i = 0; i < n; i++) {
			double w = 0;

			for (int u = 0; u < RHV_SCHED_UNITS_MAX && rhv_sched_unit(pol, u); u++)
				w += rhv_sched_unit(pol, u)->factor * v[i].unit_scores[u];
			bad_weight += !near(w, v[i].weight);
			if (!v[i].eligible)
				continue;
			/* nothing lighter anywhere, nothing as light before the choice */
			bad_choice += t < 0 || v[i].weight < v[t].weight || ((int)i < t && v[i].weight == v[t].weight);
		}
		if (t >= 0)
			bad_choice += !v[t].eligible;
	}
	OK(!bad_choice, "500 random snapshots: the choice is the lightest eligible host, lowest index on ties");
	OK(!bad_nullv, "without verdicts the choice is the same");
	OK(!bad_weight, "every weight is the sum of factor x unit score");
}

static void test_api(void)
{
	static const char *const want[4][3] = {
		{ "EvenDistributionCPU", "EvenDistributionMemory", "PreferNonSpm" },
		{ "EvenDistributionCPU", "EvenDistributionMemory", "PreferNonSpm" },
		{ "PowerSavingCPU", "PowerSavingMemory", "PreferNonSpm" },
		{ "EvenGuestDistribution", "EvenDistributionMemory", "PreferNonSpm" },
	};
	struct rhv_sched_params p;
	bool names = true;

	for (int pol = 0; pol < 4; pol++) {
		for (int u = 0; u < 3; u++) {
			const struct rhv_sched_unit *unit = rhv_sched_unit(pol, u);

			names = names && unit && !strcmp(unit->name, want[pol][u]) && unit->factor == (u == 0 ? 2 : 1);
		}
		names = names && !rhv_sched_unit(pol, 3);
	}
	OK(names, "weight units and factors of the four policies");
	OK(!rhv_sched_unit(4, 0) && !rhv_sched_unit(0, -1), "no unit out of range");
	OK(rhv_sched_policy_find("none") == RHV_SCHED_NONE &&
		   rhv_sched_policy_find("evenly_distributed") == RHV_SCHED_EVENLY &&
		   rhv_sched_policy_find("power_saving") == RHV_SCHED_POWER_SAVING &&
		   rhv_sched_policy_find("vm_evenly_distributed") == RHV_SCHED_VM_EVENLY,
	   "policy names map to kinds");
	for (size_t i = 0; i < rhv_policies_count; i++)
		names = names && rhv_sched_policy_find(rhv_policies[i].name) >= 0;
	OK(names, "every policy of rhv_policies[] has a kind");
	OK(rhv_sched_policy_find("cluster_maintenance") == -1 && rhv_sched_policy_find(NULL) == -1,
	   "unknown policy name: -1");
	rhv_sched_params_default(&p);
	OK(p.high_utilization == 80 && p.low_utilization == 20 && p.high_vm_count == 10 && p.migration_threshold == 5 &&
		   p.spm_vm_grace == 5 && p.max_free_mem_over == -1 && p.min_free_mem_under == -1,
	   "defaults as oVirt: 80, 20, 10, 5, 5, memory thresholds unset");
}

/* The network filter: only hosts with network data are judged, and say which network fails. */
static void test_networks(void)
{
	static const struct rhv_host_net full[] = {
		{ "ovirtmgmt", "ovirtmgmt", "10.0.0.1", true, NULL },
		{ "blue", "blue", NULL, true, NULL },
	};
	static const struct rhv_host_net drifted[] = {
		{ "ovirtmgmt", "ovirtmgmt", NULL, true, NULL },
		{ "blue", "blue", NULL, false, "VLAN 20 on the host, 30 defined" },
	};
	static const struct rhv_host_net nobridge[] = {
		{ "ovirtmgmt", "ovirtmgmt", NULL, true, NULL },
		{ "blue", NULL, NULL, true, NULL },
	};
	static const struct rhv_host_net mgmt_only[] = { { "ovirtmgmt", "ovirtmgmt", NULL, true, NULL } };
	const struct rhv_host_nets nets[] = {
		{ true, full, 2 },     { true, drifted, 2 }, { true, nobridge, 2 },
		{ true, mgmt_only, 1 }, { false, NULL, 0 },   { true, NULL, 0 },
	};
	static const char *const vmnets[] = { "ovirtmgmt", "blue", "blue" };
	struct rhv_sched_host h[7];
	struct rhv_sched_vm vm = vm_new(512 * MiB, 1);
	char buf[RHV_SCHED_REASON_MAX];

	for (int i = 0; i < 7; i++)
		h[i] = host("h");
	for (int i = 0; i < 6; i++)
		h[i].nets = &nets[i];
	/* host 6 has no nets pointer at all */
	vm.networks = vmnets;
	vm.nnetworks = 3;
	h[0].cpu_pct = 90; /* busy, so an unfiltered host wins when there is one */
	OK(place(h, 7, &vm, RHV_SCHED_EVENLY) == 4, "networks: a host without network data takes the VM");
	OK(v[0].eligible && !v[0].reason[0], "networks: every network set up and in sync passes");
	IS_STR(v[1].reason, "network 'blue' is out of sync on the host: VLAN 20 on the host, 30 defined",
	       "networks: out of sync, with the host's reason");
	IS_STR(v[2].reason, "network 'blue' carries no VMs on the host (no bridge)", "networks: no bridge");
	IS_STR(v[3].reason, "network 'blue' is not set up on the host", "networks: missing network named");
	OK(v[4].eligible, "networks: known=false passes");
	IS_STR(v[5].reason, "network 'ovirtmgmt' is not set up on the host",
	       "networks: data read but nothing set up: the first network fails");
	OK(v[6].eligible, "networks: no nets pointer passes");
	vm.nnetworks = 0;
	OK(place(h, 6, &vm, RHV_SCHED_EVENLY) >= 0 && v[3].eligible && v[5].eligible,
	   "networks: a VM without NICs fits any host");
	IS_STR(rhv_netfit_missing(&nets[3], vmnets, 3, true, true, buf, sizeof(buf)),
	       "required network 'blue' is not set up on the host", "netfit: required wording");
	OK(rhv_netfit_is_required_reason(buf), "netfit: a required-network reason is recognised");
	OK(!rhv_netfit_is_required_reason("the cluster's CPU type 'x' is unknown") &&
		   !rhv_netfit_is_required_reason(NULL),
	   "netfit: other reasons are not");
	OK(rhv_netfit_missing(&nets[2], vmnets, 3, false, true, buf, sizeof(buf)) == NULL,
	   "netfit: a required network needs no bridge");
	OK(rhv_netfit_find(&nets[0], "blue") == &full[1] && !rhv_netfit_find(&nets[0], "red") &&
		   !rhv_netfit_find(NULL, "blue"),
	   "netfit: find");
}

int main(void)
{
	test_filters();
	test_pinning();
	test_edges();
	test_spm();
	test_sequential_memory();
	test_evenly();
	test_power_saving();
	test_vm_evenly();
	test_ties();
	test_thirty_vms();
	test_migration_commit();
	test_invariants();
	test_api();
	test_networks();
	return tap_done();
}
