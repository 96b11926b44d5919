/*
 * The load balancer: each policy on small clusters worked out by hand, the
 * edge cases, HA reservation with exact headroom, and (for every plan, and
 * for random clusters) the plan's own guarantees: it runs cleanly
 * (rhv_bal_plan_apply) and planning again finds nothing.
 *
 * Unless a test says otherwise a host has 8 CPUs and 16 GiB, so a VM's load
 * is cpu_pct x vcpus / 8 points of its host's CPU.
 */
#include "rhv/common.h"

#include <stdlib.h>

#include "rhv/balance.h"
#include "rhv/policy.h"
#include "tap.h"

#define MiB (1024ULL * 1024)
#define GiB (1024ULL * MiB)
#define MAXH 8
#define MAXV 64

struct cl {
	struct rhv_bal_snapshot s;
	struct rhv_bal_host h[MAXH];
	struct rhv_bal_vm v[MAXV];
	double hist[MAXH][8];
};

static const char *const hnames[MAXH] = { "a", "b", "c", "d", "e", "f", "g", "h" };
static char vnames[MAXV][16];
static struct rhv_bal_plan P;

static void cl_init(struct cl *c, enum rhv_sched_policy_kind policy, size_t nh)
{
	memset(c, 0, sizeof(*c));
	rhv_bal_params_default(&c->s);
	c->s.policy = policy;
	c->s.hosts = c->h;
	c->s.nhosts = nh;
	c->s.vms = c->v;
	for (size_t i = 0; i < nh; i++)
		c->h[i] = (struct rhv_bal_host){
			.name = hnames[i], .up = true, .power_management = true, .cores = 8, .mem_total = 16 * GiB,
		};
}

/* A VM on host h; the host's VM count and memory follow, its CPU is the test's to set. */
static int add(struct cl *c, int h, uint64_t mem, int vcpus, double cpu)
{
	int i = (int)c->s.nvms++;

	c->v[i] = (struct rhv_bal_vm){
		.name = vnames[i], .host = h, .memory = mem, .vcpus = vcpus, .cpu_pct = cpu, .migratable = true,
		.migrating_to = -1,
	};
	c->h[h].vm_count++;
	c->h[h].mem_used_by_vms += mem;
	return i;
}

/* n small VMs (1 GiB, 1 vCPU) whose CPU use rises with their index, so they leave in index order. */
static void add_n(struct cl *c, int h, int n)
{
	for (int i = 0; i < n; i++)
		add(c, h, GiB, 1, (double)c->s.nvms);
}

/* The host's CPU now and its last three samples (newest last). */
static void cpu(struct cl *c, int h, double now, double s1, double s2, double s3)
{
	c->h[h].cpu_pct = now;
	c->hist[h][0] = s1;
	c->hist[h][1] = s2;
	c->hist[h][2] = s3;
	c->h[h].cpu_history = c->hist[h];
	c->h[h].history_len = 3;
}

/* Plan into P; then, on a copy, run P and plan again: true when that is clean and finds nothing. */
static bool plan(const struct cl *c, size_t max_moves)
{
	struct rhv_error err = { 0 };
	struct rhv_bal_plan again;
	struct cl *copy;
	bool ok;

	rhv_bal_plan_clear(&P);
	if (rhv_bal_plan(&c->s, max_moves, &P, &err) < 0) {
		printf("# plan: %s\n", err.message);
		return false;
	}
	copy = malloc(sizeof(*copy));
	*copy = *c;
	copy->s.hosts = copy->h;
	copy->s.vms = copy->v;
	ok = rhv_bal_plan_apply(&copy->s, &P, &err) == 0;
	if (!ok)
		printf("# apply: %s\n", err.message);
	if (ok && max_moves == 0) {
		ok = rhv_bal_plan(&copy->s, 0, &again, &err) == 0 && again.n == 0;
		if (!ok)
			printf("# replanning found %zu more steps, the first: %s\n", again.n,
			       again.n ? again.moves[0].reason : err.message);
		rhv_bal_plan_clear(&again);
	}
	free(copy);
	return ok;
}

static bool is_move(size_t i, int vm, int from, int to)
{
	return i < P.n && P.moves[i].kind == RHV_BAL_MIGRATE && P.moves[i].vm == vm && P.moves[i].from == from &&
	       P.moves[i].to == to;
}

static bool is_power(size_t i, enum rhv_bal_kind kind, int host)
{
	return i < P.n && P.moves[i].kind == kind && P.moves[i].from == host && P.moves[i].to == host &&
	       P.moves[i].vm == -1;
}

static bool all_to(int to)
{
	for (size_t i = 0; i < P.n; i++)
		if (P.moves[i].kind != RHV_BAL_MIGRATE || P.moves[i].to != to)
			return false;
	return true;
}

static bool near(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

static void test_none(void)
{
	struct cl c;

	cl_init(&c, RHV_SCHED_NONE, 2);
	add_n(&c, 0, 20);
	cpu(&c, 0, 99, 99, 99, 99);
	OK(plan(&c, 0) && P.n == 0, "none: never migrates, whatever the load");
}

/*
 * a 14 VMs, b 2, c 6; HighVmCount 10, MigrationThreshold 5.
 *   a - b = 12 > 5: targets have at most min(14 - 5, 2 + 4) = 6 slots: b, c;
 *   EvenGuestDistribution prefers b (3 slots after vs 7).  Then 13/3, 12/4,
 *   11/5 and each time b; at 10/6 the spread is 4: balanced.
 */
static void test_vm_evenly(void)
{
	struct cl c;
	bool ok = true;

	cl_init(&c, RHV_SCHED_VM_EVENLY, 3);
	add_n(&c, 0, 14);
	add_n(&c, 1, 2);
	add_n(&c, 2, 6);
	OK(plan(&c, 0) && P.n == 4, "vm_evenly: 4 moves (got %zu)", P.n);
	for (int i = 0; i < 4; i++)
		ok = ok && is_move((size_t)i, i, 0, 1) && P.moves[i].why == RHV_BAL_VM_COUNT;
	OK(ok, "each from a to b, the VM with the lowest CPU use first");
	IS_STR(P.moves[0].reason,
	       "a has 14 VM slots (HighVmCount 10), b has 2: spread 12 > MigrationThreshold 5; b 2 -> 3 slots",
	       "reason with the figures");
	IS_STR(P.moves[3].reason,
	       "a has 11 VM slots (HighVmCount 10), b has 5: spread 6 > MigrationThreshold 5; b 5 -> 6 slots",
	       "the last move's figures");

	OK(plan(&c, 2) && P.n == 2 && is_move(0, 0, 0, 1) && is_move(1, 1, 0, 1), "--max-moves 2: the first two");

	/* spread 12 but a has 9 VMs < HighVmCount 10: not over-loaded */
	cl_init(&c, RHV_SCHED_VM_EVENLY, 2);
	add_n(&c, 0, 9);
	OK(plan(&c, 0) && P.n == 0, "under HighVmCount nothing moves, whatever the spread");
	/* 9/0 -> 8/1: then 8 < HighVmCount, however large the spread */
	c.s.params.high_vm_count = 9;
	OK(plan(&c, 0) && P.n == 1, "slots = HighVmCount counts as over-loaded (oVirt): one move, 9/0 -> 8/1");
}

/*
 * spm: 6 VMs + SpmVmGrace 5 = 11 slots, b 1.  11 - 1 = 10 > 5: targets at
 * most min(11 - 5, 1 + 4) = 5 slots: b.  Then 10/2 (spread 8): b again;
 * then 9 slots < HighVmCount 10: done.
 */
static void test_spm_grace(void)
{
	struct cl c;

	cl_init(&c, RHV_SCHED_VM_EVENLY, 2);
	c.h[0].name = "spm";
	c.h[0].is_spm = true;
	add_n(&c, 0, 6);
	add_n(&c, 1, 1);
	OK(plan(&c, 0) && P.n == 2 && is_move(0, 0, 0, 1) && is_move(1, 1, 0, 1), "the SPM sheds 2 VMs to b");
	IS_STR(P.moves[0].reason,
	       "spm has 11 VM slots (6 VMs + SpmVmGrace 5; HighVmCount 10), b has 1: spread 10 > MigrationThreshold 5;"
	       " b 1 -> 2 slots",
	       "the SPM's slots are explained");
	c.s.params.spm_vm_grace = 0;
	OK(plan(&c, 0) && P.n == 0, "SpmVmGrace 0: 6 slots, not over-loaded");

	/*
	 * As a target the grace counts too: a 14, spm 2 VMs (7 slots), c 8.
	 * Targets have at most min(14 - 5, 7 + 4) = 9 slots: spm and c; the
	 * weights prefer c (2 x 9/9 + 0.46 against 2 x 8/9 + 0 + 1 for the
	 * SPM).  Then a 13, c 9: at most min(8, 11) = 8 slots: only the SPM.
	 * Then 12/8/9: spread 4, done.
	 */
	cl_init(&c, RHV_SCHED_VM_EVENLY, 3);
	c.h[1].is_spm = true;
	add_n(&c, 0, 14);
	add_n(&c, 1, 2);
	add_n(&c, 2, 8);
	OK(plan(&c, 0) && P.n == 2 && is_move(0, 0, 0, 2) && is_move(1, 1, 0, 1),
	   "14/7/8: first to c (the weights avoid the SPM), then to the SPM, the only host low enough");
}

static void test_vm_evenly_edges(void)
{
	struct cl c;
	int mig;

	/* one host */
	cl_init(&c, RHV_SCHED_VM_EVENLY, 1);
	add_n(&c, 0, 30);
	OK(plan(&c, 0) && P.n == 0, "one host: nothing to do");

	/* no Up host */
	cl_init(&c, RHV_SCHED_VM_EVENLY, 2);
	add_n(&c, 0, 30);
	c.h[0].up = c.h[1].up = false;
	OK(plan(&c, 0) && P.n == 0, "no Up host: nothing to do");

	/* only pinned or non-migratable VMs */
	cl_init(&c, RHV_SCHED_VM_EVENLY, 2);
	add_n(&c, 0, 14);
	for (int i = 0; i < 14; i++) {
		c.v[i].pinned = i % 2;
		c.v[i].migratable = i % 2;
	}
	OK(plan(&c, 0) && P.n == 0, "only pinned and non-migratable VMs: nothing moves");

	/* a VM already migrating stays out of it: the next one moves */
	cl_init(&c, RHV_SCHED_VM_EVENLY, 2);
	add_n(&c, 0, 11);
	add_n(&c, 1, 4);
	mig = 0;
	c.v[mig].migrating = true;
	/* 11/4: spread 7 -> one move to 10/5 */
	OK(plan(&c, 0) && P.n == 1 && is_move(0, 1, 0, 1), "the migrating VM 0 is skipped: VM 1 moves");

	/*
	 * a Maintenance host neither counts as the least loaded nor takes VMs:
	 * a 14, m 0 (Maintenance), b 8: the spread is 6, to b; one move to 13/9.
	 */
	cl_init(&c, RHV_SCHED_VM_EVENLY, 3);
	c.h[1].up = false;
	c.h[1].maintenance = true;
	add_n(&c, 0, 14);
	add_n(&c, 2, 8);
	OK(plan(&c, 0) && P.n == 1 && is_move(0, 0, 0, 2), "Maintenance host skipped: one move to b, 13/9");

	/*
	 * a host that cannot take VMs (two incoming migrations in flight) is not
	 * the least loaded one: a 14, b 2 (+2 incoming), c 6 -> spread 8 to c:
	 * 13/7, 12/8, both to c.
	 */
	cl_init(&c, RHV_SCHED_VM_EVENLY, 3);
	add_n(&c, 0, 14);
	add_n(&c, 1, 2);
	add_n(&c, 2, 6);
	for (int i = 16; i < 18; i++) {
		c.v[i].migrating = true;
		c.v[i].migrating_to = 1;
	}
	OK(plan(&c, 0) && P.n == 2 && all_to(2), "incoming-migration limit: b is skipped, two moves to c");
	/* MigrationMaxIncoming 3: b may take one more at a time, and planned moves run one by one */
	c.s.params.max_incoming = 3;
	OK(plan(&c, 0) && P.n == 4 && all_to(1), "MigrationMaxIncoming 3: b takes all four, 14/2 -> 10/6");
}

/*
 * evenly_distributed, HighUtilization 80: targets under min(64, 70) = 64 %.
 * a 90 % (samples 85, 90, 92: 3 min over; the duration is 2) with four VMs
 * of 5 points (2 vCPUs at 20 %) and one of 10; b 30 %, c 50 %, d 70 %.
 * a sheds the 5-point VMs to b (the least loaded CPU) until under 80:
 * 90 -> 85 -> 80 (still over: at least High) -> 75.
 */
static void test_evenly(void)
{
	struct cl c;

	cl_init(&c, RHV_SCHED_EVENLY, 4);
	for (int i = 0; i < 4; i++)
		add(&c, 0, GiB, 2, 20);
	add(&c, 0, GiB, 2, 40);
	cpu(&c, 0, 90, 85, 90, 92);
	cpu(&c, 1, 30, 30, 30, 30);
	cpu(&c, 2, 50, 50, 50, 50);
	cpu(&c, 3, 70, 70, 70, 70);
	OK(plan(&c, 0) && P.n == 3, "evenly: 3 moves (got %zu)", P.n);
	OK(is_move(0, 0, 0, 1) && is_move(1, 1, 0, 1) && is_move(2, 2, 0, 1), "VMs 0, 1, 2 from a to b");
	IS_STR(P.moves[0].reason,
	       "a CPU 90.0% >= HighUtilization 80% for 3 min (CpuOverCommitDurationMinutes 2); b CPU 30.0% -> 35.0%",
	       "reason with the figures");
	IS_STR(P.moves[2].reason,
	       "a CPU 80.0% >= HighUtilization 80% for 3 min (CpuOverCommitDurationMinutes 2); b CPU 40.0% -> 45.0%",
	       "at exactly HighUtilization it is still over");
	OK(P.moves[1].why == RHV_BAL_CPU_OVER && !strcmp(rhv_bal_why_name(P.moves[1].why), "cpu-over"),
	   "why: cpu-over");

	/* CpuOverCommitDurationMinutes */
	c.s.cpu_overcommit_minutes = 3;
	cpu(&c, 0, 90, 70, 95, 90);
	OK(plan(&c, 0) && P.n == 0, "over for the last 2 samples only: with duration 3 nothing");
	cpu(&c, 0, 90, 85, 90, 92);
	OK(plan(&c, 0) && P.n == 3, "3 samples over, duration 3: it sheds");
	cpu(&c, 0, 90, 90, 70, 95);
	c.s.cpu_overcommit_minutes = 2;
	OK(plan(&c, 0) && P.n == 0, "over for 1 min only (70 a minute ago): duration 2 not reached");
	c.h[0].history_len = 1;
	OK(plan(&c, 0) && P.n == 0, "a history shorter than the duration is not enough");
	c.s.cpu_overcommit_minutes = 1;
	OK(plan(&c, 0) && P.n == 3, "duration 1: the newest sample is enough");
	cpu(&c, 0, 75, 90, 90, 90);
	OK(plan(&c, 0) && P.n == 0, "over in the past but 75 %% now: nothing");

	/* all hosts over-utilized */
	cl_init(&c, RHV_SCHED_EVENLY, 3);
	for (int h = 0; h < 3; h++) {
		add(&c, h, GiB, 2, 20);
		cpu(&c, h, 90, 90, 90, 90);
	}
	OK(plan(&c, 0) && P.n == 0, "every host over-utilized: nowhere to go");
}

/*
 * No bounce.  a 95 % sustained with a 5-point VM (key 40) and a 25-point
 * one (4 vCPUs at 50 %, key 200); b 60 % is the only target.  The small one
 * goes first: b 65.  Then b is no longer under 64 %: the big one stays
 * (it would also have pushed b to 90).
 */
static void test_no_bounce(void)
{
	struct cl c;

	cl_init(&c, RHV_SCHED_EVENLY, 2);
	add(&c, 0, GiB, 4, 50);
	add(&c, 0, GiB, 2, 20);
	cpu(&c, 0, 95, 95, 95, 95);
	cpu(&c, 1, 60, 60, 60, 60);
	OK(plan(&c, 0) && P.n == 1 && is_move(0, 1, 0, 1), "the small VM moves first, the big one stays");

	/* b at 55: the 25-point VM would make it 80 = HighUtilization, over: refused */
	c.v[1].migratable = false;
	cpu(&c, 1, 55, 55, 55, 55);
	OK(plan(&c, 0) && P.n == 0, "a move that would push the target to HighUtilization is not planned");
	cpu(&c, 1, 54, 54, 54, 54);
	OK(plan(&c, 0) && P.n == 1 && is_move(0, 0, 0, 1), "to 79 %% it is");

	/* MaxFreeMemoryForOverUtilized guards the target's memory in the CPU pass too: b has 16 GiB free */
	c.s.params.max_free_mem_over = 15 * 1024 + 1;
	OK(plan(&c, 0) && P.n == 0, "the target would keep less than MaxFreeMemoryForOverUtilized: refused");
	c.s.params.max_free_mem_over = 15 * 1024;
	OK(plan(&c, 0) && P.n == 1, "keeping exactly MaxFreeMemoryForOverUtilized is not over: allowed");
}

/*
 * Memory pass, MaxFreeMemoryForOverUtilized 2048 MiB and
 * MinFreeMemoryForUnderUtilized 4096 MiB: a has 1 GiB free (three 5 GiB
 * VMs), no host is over on CPU.  b has 12 GiB free, c 3 GiB (not more than
 * 4096 MiB: not a target).  One VM to b leaves a 6 GiB free: done.
 */
static void test_memory_pass(void)
{
	struct cl c;

	cl_init(&c, RHV_SCHED_EVENLY, 3);
	for (int i = 0; i < 3; i++)
		add(&c, 0, 5 * GiB, 1, 10);
	c.h[1].mem_used_by_vms = 4 * GiB;
	c.h[2].mem_used_by_vms = 13 * GiB;
	cpu(&c, 0, 30, 30, 30, 30);
	cpu(&c, 1, 20, 20, 20, 20);
	OK(plan(&c, 0) && P.n == 0, "memory thresholds unset: no memory pass");
	c.s.params.max_free_mem_over = 2048;
	c.s.params.min_free_mem_under = 4096;
	OK(plan(&c, 0) && P.n == 1 && is_move(0, 0, 0, 1), "memory pass: one VM from a to b");
	IS_STR(P.moves[0].reason,
	       "a has 1024 MiB free < MaxFreeMemoryForOverUtilized 2048 MiB; b 12288 -> 7168 MiB free",
	       "reason with the memory figures");
	c.h[1].mem_used_by_vms = 10 * GiB; /* 6 GiB free: 1 GiB left after a 5 GiB VM < 2048 MiB */
	OK(plan(&c, 0) && P.n == 0, "a target left under MaxFreeMemoryForOverUtilized: refused");
}

/*
 * power_saving, LowUtilization 20, duration 2, all with power management.
 *   a 10 % (two VMs of 4 points), b 50 % (four VMs), c 5 % (one VM of 3
 *   points), d empty.  c is the least loaded under-utilized host: its VM
 *   goes to b (PowerSavingCPU prefers the busier host: 2 x 0.229 + 0.76
 *   against a's 2 x 0.6875 + 0.9), then a's two VMs go to b too.
 */
static void power_cluster(struct cl *c)
{
	cl_init(c, RHV_SCHED_POWER_SAVING, 4);
	add(c, 0, GiB, 2, 16);
	add(c, 0, GiB, 2, 16);
	for (int i = 0; i < 4; i++)
		add(c, 1, GiB, 2, 20);
	add(c, 2, GiB, 2, 12);
	cpu(c, 0, 10, 10, 10, 10);
	cpu(c, 1, 50, 50, 50, 50);
	cpu(c, 2, 5, 5, 5, 5);
	cpu(c, 3, 1, 1, 1, 1);
}

static void test_power_saving(void)
{
	struct cl c;

	power_cluster(&c);
	OK(plan(&c, 0) && P.n == 3, "power_saving, no power management: 3 moves (got %zu)", P.n);
	OK(is_move(0, 6, 2, 1) && is_move(1, 0, 0, 1) && is_move(2, 1, 0, 1), "c emptied onto b, then a");
	IS_STR(P.moves[0].reason, "c CPU 5.0% < LowUtilization 20% for 3 min: emptying it; b CPU 50.0% -> 53.0%",
	       "reason with the figures");
	IS_STR(P.moves[2].reason, "a CPU 6.0% < LowUtilization 20% for 3 min: emptying it; b CPU 57.0% -> 61.0%",
	       "a's second VM: a at 6 %%, b 57 -> 61 %%");

	/* EnableAutomaticHostPowerManagement, HostsInReserve 1: a, c, d empty; a (lowest index) stays on */
	c.s.auto_power = true;
	c.s.hosts_in_reserve = 1;
	OK(plan(&c, 0) && P.n == 5 && is_power(3, RHV_BAL_POWER_OFF, 2) && is_power(4, RHV_BAL_POWER_OFF, 3),
	   "then power off c and d; a stays as the reserve");
	IS_STR(P.moves[3].reason, "c is empty: 3 empty Up hosts > HostsInReserve 1", "power-off reason");
	IS_STR(rhv_bal_kind_name(P.moves[4].kind), "power-off", "kind name");

	c.s.hosts_in_reserve = 0;
	OK(plan(&c, 0) && P.n == 6 && is_power(3, RHV_BAL_POWER_OFF, 0) && is_power(5, RHV_BAL_POWER_OFF, 3),
	   "HostsInReserve 0: all three powered off");

	/* hosts that cannot be powered off are the reserve first */
	c.s.hosts_in_reserve = 1;
	c.h[2].power_management = false;
	OK(plan(&c, 0) && P.n == 5 && is_power(3, RHV_BAL_POWER_OFF, 0) && is_power(4, RHV_BAL_POWER_OFF, 3),
	   "c has no power management: it is the reserve, a and d go off");
	c.h[2].power_management = true;
	c.h[3].is_spm = true;
	OK(plan(&c, 0) && P.n == 5 && is_power(3, RHV_BAL_POWER_OFF, 0) && is_power(4, RHV_BAL_POWER_OFF, 2),
	   "the SPM (d) is never powered off: it is the reserve");

	/* the SPM is not emptied either */
	power_cluster(&c);
	c.h[2].is_spm = true;
	OK(plan(&c, 0) && P.n == 2 && all_to(1), "an under-utilized SPM keeps its VMs: only a is emptied");

	/* a host under LowUtilization for less than the duration is not emptied */
	power_cluster(&c);
	cpu(&c, 2, 5, 5, 30, 5);
	OK(plan(&c, 0) && P.n == 2 && is_move(0, 0, 0, 1), "c was at 30 %% a minute ago: only a is emptied");

	/* all or nothing: b has room for one of a's VMs only, so a keeps both */
	power_cluster(&c);
	c.h[2].vm_count = 0;
	c.s.nvms = 6; /* c's VM is gone */
	c.h[2].mem_used_by_vms = 0;
	c.h[1].mem_total = 5 * GiB;
	OK(plan(&c, 0) && P.n == 0, "a host is emptied completely or not at all");

	/* MinFreeMemoryForUnderUtilized: a host with little free memory is not under-utilized */
	power_cluster(&c);
	c.s.params.min_free_mem_under = 15 * 1024; /* a has 14 GiB free, c 15 GiB: neither has more */
	OK(plan(&c, 0) && P.n == 0, "low CPU but not more free memory than MinFreeMemoryForUnderUtilized: kept");
}

/*
 * Relieving, then powering on.  a and b at 90 % (sustained) with four
 * 5-point VMs each; c is powered off with power management.  No Up host can
 * take anything, so c is powered on, then a and b, busiest first (a on
 * ties), shed to c in turn: a 85, b 85, a 80, b 80, a 75, b 75.
 */
static void test_power_on(void)
{
	struct cl c;
	bool ok = true;

	cl_init(&c, RHV_SCHED_POWER_SAVING, 3);
	for (int h = 0; h < 2; h++) {
		for (int i = 0; i < 4; i++)
			add(&c, h, GiB, 2, 20);
		cpu(&c, h, 90, 90, 90, 90);
	}
	c.h[2].up = false;
	c.h[2].powered_off = true;
	OK(plan(&c, 0) && P.n == 0, "without automatic power management: nowhere to shed, nothing planned");
	c.s.auto_power = true;
	OK(plan(&c, 0) && P.n == 7 && is_power(0, RHV_BAL_POWER_ON, 2), "power on c, then 6 moves (got %zu)", P.n);
	IS_STR(P.moves[0].reason, "a CPU 90.0% >= HighUtilization 80% and no Up host can take its VMs",
	       "power-on reason");
	for (int i = 0; i < 6; i++)
		ok = ok && is_move((size_t)i + 1, (i % 2) * 4 + i / 2, i % 2, 2);
	OK(ok, "a and b take turns, each its lowest VMs first, to c");
	IS_STR(P.moves[6].reason,
	       "b CPU 80.0% >= HighUtilization 80% for 3 min (CpuOverCommitDurationMinutes 2); c CPU 25.0% -> 30.0%",
	       "the last move's figures");
	c.h[2].power_management = false;
	OK(plan(&c, 0) && P.n == 0, "a powered-off host without power management stays off");

	/* HostsInReserve 1 and no empty host: power one on */
	cl_init(&c, RHV_SCHED_POWER_SAVING, 3);
	add_n(&c, 0, 4);
	cpu(&c, 0, 50, 50, 50, 50);
	c.h[1].up = c.h[2].up = false;
	c.h[1].powered_off = c.h[2].powered_off = true;
	c.h[1].power_management = false;
	c.s.auto_power = true;
	c.s.hosts_in_reserve = 1;
	OK(plan(&c, 0) && P.n == 1 && is_power(0, RHV_BAL_POWER_ON, 2), "reserve: c (with power management) on");
	IS_STR(P.moves[0].reason, "0 empty Up hosts < HostsInReserve 1", "reserve reason");
	c.h[2].maintenance = true;
	OK(plan(&c, 0) && P.n == 0, "a host in Maintenance is never powered on");
}

/* power_saving relieves onto busy hosts before under-utilized and empty ones. */
static void test_power_relief_tiers(void)
{
	struct cl c;

	cl_init(&c, RHV_SCHED_POWER_SAVING, 4);
	add(&c, 0, GiB, 2, 20);
	cpu(&c, 0, 90, 90, 90, 90);
	add(&c, 1, GiB, 2, 20);
	cpu(&c, 1, 10, 10, 10, 10); /* under-utilized */
	cpu(&c, 2, 0, 0, 0, 0);	    /* empty */
	add(&c, 3, GiB, 2, 20);
	cpu(&c, 3, 40, 40, 40, 40);
	OK(plan(&c, 1) && P.n == 1 && is_move(0, 0, 0, 3), "an over-utilized host sheds to the busy host d first");
	cpu(&c, 3, 78, 78, 78, 78); /* d would reach 83 */
	OK(plan(&c, 1) && P.n == 1 && is_move(0, 0, 0, 1), "then to the under-utilized b (which is then kept)");
	OK(plan(&c, 0) && P.n == 1, "b is not emptied afterwards: no busy host has room for its VMs");
	c.h[1].mem_total = GiB; /* b is full */
	OK(plan(&c, 1) && P.n == 1 && is_move(0, 0, 0, 2), "then to the empty c");
	/* b (10 %, not a receiver) is then emptied onto c, now busy: 10 -> 15 % */
	OK(plan(&c, 0) && P.n == 2 && is_move(1, 1, 1, 2), "and b, not having received anything, is emptied onto c");
}

/*
 * A VM relieved onto an under-utilized host that is emptied later is
 * listed once, from where it ran to where it ends.
 *   a 95 % (v: 4 vCPUs at 32 % = 16 points, and a pinned VM), b 90 % (w: 8
 *   vCPUs at 30 % = 30 points, 4 GiB, and a pinned VM), c 2 % with 3 GiB
 *   (u: 2 points), d empty.  a is busiest: v fits on no busy host, so it
 *   goes to c (18 %, still under).  b's w fits nowhere but on d (c lacks
 *   the memory): b 60 %.  Then c is emptied: u and v to b, the busier
 *   host (62 %, then 78 %).  Listed: w b->d, u c->b, v a->b.
 */
static void test_pass_through(void)
{
	struct cl c;

	cl_init(&c, RHV_SCHED_POWER_SAVING, 4);
	add(&c, 0, GiB, 4, 32);
	add(&c, 0, GiB, 1, 0);
	add(&c, 1, 4 * GiB, 8, 30);
	add(&c, 1, 4 * GiB, 1, 0);
	add(&c, 2, GiB, 2, 8);
	c.v[1].pinned = c.v[3].pinned = true;
	c.h[2].mem_total = 3 * GiB;
	cpu(&c, 0, 95, 95, 95, 95);
	cpu(&c, 1, 90, 90, 90, 90);
	cpu(&c, 2, 2, 2, 2, 2);
	cpu(&c, 3, 0, 0, 0, 0);
	OK(plan(&c, 0) && P.n == 3 && is_move(0, 2, 1, 3) && is_move(1, 4, 2, 1) && is_move(2, 0, 0, 1),
	   "w b->d, u c->b, then v a->b: v listed once, not through c (got %zu steps)", P.n);
	IS_STR(P.moves[2].reason,
	       "a CPU 95.0% >= HighUtilization 80% for 3 min (CpuOverCommitDurationMinutes 2); b CPU 62.0% -> 78.0%",
	       "why it left a, and where it ends");
}

static void test_maintenance_and_down(void)
{
	struct cl c;

	/* evenly: the idle host in Maintenance is no target, its VMs do not move */
	cl_init(&c, RHV_SCHED_EVENLY, 3);
	add(&c, 0, GiB, 2, 20);
	cpu(&c, 0, 90, 90, 90, 90);
	c.h[1].maintenance = true;
	add(&c, 1, GiB, 2, 20);
	cpu(&c, 1, 95, 95, 95, 95);
	cpu(&c, 2, 70, 70, 70, 70);
	OK(plan(&c, 0) && P.n == 0, "Maintenance host: neither target nor source");
	cpu(&c, 2, 30, 30, 30, 30);
	OK(plan(&c, 0) && P.n == 1 && is_move(0, 0, 0, 2), "a sheds to c, never to the Maintenance host");

	/* no Up host, one host: for every policy */
	for (int p = RHV_SCHED_NONE; p <= RHV_SCHED_VM_EVENLY; p++) {
		cl_init(&c, p, 2);
		add_n(&c, 0, 20);
		cpu(&c, 0, 99, 99, 99, 99);
		c.h[0].up = c.h[1].up = false;
		OK(plan(&c, 0) && P.n == 0, "policy %d: no Up host, no step", p);
		cl_init(&c, p, 1);
		add_n(&c, 0, 20);
		cpu(&c, 0, 3, 3, 3, 3);
		c.s.auto_power = true;
		OK(plan(&c, 0) && P.n == 0, "policy %d: one host, no step", p);
	}

	/* evenly: only pinned VMs on the over-utilized host */
	cl_init(&c, RHV_SCHED_EVENLY, 2);
	add(&c, 0, GiB, 2, 20);
	add(&c, 0, GiB, 2, 30);
	c.v[0].pinned = true;
	c.v[1].pinned = true;
	cpu(&c, 0, 90, 90, 90, 90);
	OK(plan(&c, 0) && P.n == 0, "evenly: pinned VMs stay");
	c.v[1].pinned = false;
	c.v[1].migrating = true;
	OK(plan(&c, 0) && P.n == 0, "evenly: a migrating VM stays");
	c.v[1].migrating = false;
	OK(plan(&c, 0) && P.n == 1 && is_move(0, 1, 0, 1), "evenly: the movable one goes");
}

/*
 * HA reservation.  a 50 % with 8 GiB used, b 25 % with 4 GiB, c 10 % idle
 * (8 CPUs, 16 GiB each).  HA VMs: on a, 4 GiB x 2 vCPUs at 50 % (1 core)
 * and 2 GiB x 1 vCPU at 100 % (1 core); on b, 4 GiB x 4 vCPUs at 50 %
 * (2 cores).  Free cores: a 4, b 6, c 7.2.
 *   lose a: 12 + 16 - 6 = 22 GiB, 6 + 7.2 - 2 = 11.2 cores;
 *   lose b: 8 + 16 - 4 = 20 GiB, 4 + 7.2 - 2 = 9.2 cores;
 *   lose c: 8 + 12 = 20 GiB, 4 + 6 = 10 cores.
 * Worst: b (20 GiB like c, fewer cores).
 */
static void ha_cluster(struct cl *c)
{
	cl_init(c, RHV_SCHED_EVENLY, 3);
	c->h[0].cpu_pct = 50;
	c->h[0].mem_used_by_vms = 2 * GiB; /* + the HA VMs: 8 GiB */
	c->h[1].cpu_pct = 25;
	c->h[2].cpu_pct = 10;
	add(c, 0, 4 * GiB, 2, 50);
	add(c, 0, 2 * GiB, 1, 100);
	add(c, 1, 4 * GiB, 4, 50);
	for (int i = 0; i < 3; i++)
		c->v[i].ha = true;
}

static void test_ha(void)
{
	struct rhv_error err = { 0 };
	struct rhv_ha_report r;
	struct cl c;

	ha_cluster(&c);
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0, "ha_check runs");
	OK(r.worst_host == 1 && !r.at_risk && r.unplaceable == 0 && r.ha_vms == 3 && r.ha_vms_on_worst == 1,
	   "worst host to lose: b, not at risk");
	OK(r.mem_headroom == 20 * GiB, "memory headroom after losing b: 20 GiB (got %llu MiB)",
	   (unsigned long long)(r.mem_headroom / MiB));
	OK(near(r.cpu_headroom, 9.2), "CPU headroom after losing b: 9.2 cores (got %.3f)", r.cpu_headroom);

	/* b's HA VM grows to 10 GiB: a has 8 free, c 16 - 10 (filled) = 6 */
	ha_cluster(&c);
	c.v[2].memory = 10 * GiB;
	c.h[1].mem_used_by_vms = 10 * GiB;
	c.h[2].mem_used_by_vms = 10 * GiB;
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0 && r.at_risk && r.worst_host == 1 && r.unplaceable == 1,
	   "an HA VM that fits nowhere: at risk, b is the worst");
	OK(r.mem_headroom == 14 * GiB && near(r.cpu_headroom, 11.2), "headroom 8 + 6 GiB, 4 + 7.2 cores (not placed)");

	/* CPU: an 8-vCPU VM at 100 % needs a whole idle host */
	ha_cluster(&c);
	c.v[2].vcpus = 8;
	c.v[2].cpu_pct = 100;
	c.h[2].cpu_pct = 0.5;
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0 && r.at_risk && r.worst_host == 1 && r.unplaceable == 1,
	   "an HA VM no host has the CPU for: at risk");
	c.h[2].cpu_pct = 0;
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0 && !r.at_risk, "a fully idle host takes it (100 %% allowed)");

	/* one Up host with HA VMs: nowhere to restart them */
	ha_cluster(&c);
	c.h[1].up = c.h[2].up = false;
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0 && r.at_risk && r.worst_host == 0 && r.unplaceable == 2 &&
		   r.mem_headroom == 0 && r.ha_vms == 2,
	   "one Up host: its 2 HA VMs have nowhere to go (b's is not counted: b is down)");

	/* no Up host */
	c.h[0].up = false;
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0 && r.at_risk && r.worst_host == -1, "no Up host: at risk");

	/* no HA VM: never at risk; the worst host is still the one whose loss hurts most */
	ha_cluster(&c);
	for (int i = 0; i < 3; i++)
		c.v[i].ha = false;
	/* lose a: 12 + 16 = 28; lose b: 8 + 16 = 24; lose c: 8 + 12 = 20 GiB */
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0 && !r.at_risk && r.worst_host == 2 && r.mem_headroom == 20 * GiB,
	   "no HA VM: not at risk; losing c leaves the least (20 GiB)");
}

/*
 * The scheduler's network filter holds for the balancer too: a host whose
 * network data lacks a VM's network (or has it out of sync) is never a
 * target, so no planned move is one the migration refuses.
 */
static void test_networks(void)
{
	static const char *const red[] = { "red" };
	const struct rhv_host_net with_red = { .network = "red", .bridge = "red", .in_sync = true };
	const struct rhv_host_net red_out = { .network = "red", .bridge = "red", .in_sync = false,
					      .sync_reason = "VLAN 20 on the host, 30 defined" };
	const struct rhv_host_nets b_none = { .known = true }, b_out = { .known = true, .nets = &red_out, .n = 1 },
				   c_red = { .known = true, .nets = &with_red, .n = 1 }, unknown = { .known = false };
	struct rhv_error err = { 0 };
	struct rhv_ha_report r;
	struct cl c, copy;
	bool ok = true;

	/* test_vm_evenly's cluster (a 14, b 2, c 6), every VM on 'red', which b lacks */
	cl_init(&c, RHV_SCHED_VM_EVENLY, 3);
	add_n(&c, 0, 14);
	add_n(&c, 1, 2);
	add_n(&c, 2, 6);
	for (size_t i = 0; i < c.s.nvms; i++) {
		c.v[i].networks = red;
		c.v[i].nnetworks = 1;
	}
	c.h[1].nets = &b_none;
	c.h[2].nets = &c_red;
	/* targets have at most min(14 - 5, 2 + 4) = 6 slots: c (6) alone, once; then it has 7 */
	OK(plan(&c, 0) && P.n == 1 && is_move(0, 0, 0, 2), "a host lacking the VM's network is no target: one move, to c "
	   "(got %zu)", P.n);
	c.h[1].nets = &b_out;
	OK(plan(&c, 0) && P.n == 1 && is_move(0, 0, 0, 2), "nor one that has it out of sync");
	c.h[1].nets = &unknown;
	OK(plan(&c, 0) && P.n == 4, "a host without network data is not filtered: 4 moves as before (got %zu)", P.n);
	for (int i = 0; i < 4; i++)
		ok = ok && is_move((size_t)i, i, 0, 1);
	OK(ok, "all to b");
	c.h[1].nets = NULL;
	OK(plan(&c, 0) && P.n == 4, "nor one with none at all (NULL)");

	/* running a plan that sends a VM where its network is missing fails, naming it */
	c.h[1].nets = &b_none;
	copy = c;
	copy.s.hosts = copy.h;
	copy.s.vms = copy.v;
	OK(rhv_bal_plan_apply(&copy.s, &(struct rhv_bal_plan){ &(struct rhv_bal_move){ RHV_BAL_MIGRATE, RHV_BAL_VM_COUNT, 0,
										       0, 1, "" },
							       1, 1 },
			      &err) < 0,
	   "plan_apply refuses a move to a host lacking the VM's network");
	IS_STR(err.message, "step 1: 'b' cannot take VM 'v0': network 'red' is not set up on the host", "and says why");

	/* HA: b's HA VM on 'red', which a lacks and c has out of sync: nowhere to restart it */
	ha_cluster(&c);
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0 && !r.at_risk, "HA: not at risk without networks");
	c.v[2].networks = red;
	c.v[2].nnetworks = 1;
	c.h[0].nets = &b_none;
	c.h[2].nets = &b_out;
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0 && r.at_risk && r.worst_host == 1 && r.unplaceable == 1,
	   "HA: b's VM on 'red' has no host with 'red' in sync: at risk");
	c.h[2].nets = &c_red;
	OK(rhv_bal_ha_check(&c.s, &r, &err) == 0 && !r.at_risk, "HA: c has 'red': not at risk");
}

static void test_api(void)
{
	struct rhv_error err = { 0 };
	struct cl c;

	cl_init(&c, RHV_SCHED_VM_EVENLY, 2);
	OK(c.s.params.high_vm_count == 10 && c.s.params.migration_threshold == 5 && c.s.params.spm_vm_grace == 5 &&
		   c.s.params.high_utilization == 80 && c.s.params.low_utilization == 20 &&
		   c.s.cpu_overcommit_minutes == 2 && c.s.hosts_in_reserve == 0 && !c.s.auto_power &&
		   c.s.params.max_free_mem_over == -1,
	   "defaults from the policy table");
	add_n(&c, 0, 3);
	c.v[1].host = 5;
	rhv_bal_plan_clear(&P); /* rhv_bal_plan() overwrites it */
	OK(rhv_bal_plan(&c.s, 0, &P, &err) < 0 && err.code == RHV_EXIT_FAILED && P.n == 0,
	   "a VM on a host outside the snapshot is an error");
	IS_STR(err.message, "VM 'v1' is on a host outside the snapshot", "with its name");
	c.v[1].host = 0;
	c.s.policy = (enum rhv_sched_policy_kind)7;
	rhv_error_clear(&err);
	OK(rhv_bal_plan(&c.s, 0, &P, &err) < 0 && err.code == RHV_EXIT_USAGE, "unknown policy: usage error");
	c.s.policy = RHV_SCHED_VM_EVENLY;
	c.s.params.migration_threshold = -1;
	rhv_error_clear(&err);
	OK(rhv_bal_plan(&c.s, 0, &P, &err) < 0 && err.code == RHV_EXIT_USAGE, "negative parameter: usage error");
	OK(!strcmp(rhv_bal_kind_name(RHV_BAL_POWER_ON), "power-on") && !rhv_bal_kind_name(3) &&
		   !strcmp(rhv_bal_why_name(RHV_BAL_CAPACITY), "capacity") && !rhv_bal_why_name(7),
	   "kind and why names");

	/* the checker refuses what the planner never does */
	cl_init(&c, RHV_SCHED_EVENLY, 3);
	add(&c, 0, GiB, 2, 20);
	add(&c, 1, GiB, 2, 20);
	P.moves = calloc(2, sizeof(*P.moves));
	P.n = P.cap = 2;
	P.moves[0] = (struct rhv_bal_move){ .kind = RHV_BAL_MIGRATE, .vm = 0, .from = 0, .to = 1 };
	P.moves[1] = (struct rhv_bal_move){ .kind = RHV_BAL_MIGRATE, .vm = 1, .from = 1, .to = 2 };
	rhv_error_clear(&err);
	OK(rhv_bal_plan_apply(&c.s, &P, &err) < 0, "apply: a host that received a VM may not send one");
	IS_STR(err.message, "step 2: 'b' sends a VM after receiving one", "and says which step");
	rhv_bal_plan_clear(&P);
}

/* The run's last check before a power action (rhv_bal_power_refusal). */
static void test_power_refusal(void)
{
	struct rhv_bal_power_host up = { "Up", false, 0, true, 1, false };
	struct rhv_bal_power_host h;
	char buf[64];

	OK(!rhv_bal_power_refusal(RHV_BAL_POWER_OFF, &up, buf, sizeof(buf)), "power-off: an empty Up host with PM");
	h = up;
	h.is_spm = true;
	IS_STR(rhv_bal_power_refusal(RHV_BAL_POWER_OFF, &h, buf, sizeof(buf)), "it is the SPM", "never the SPM");
	h.state = "Down";
	IS_STR(rhv_bal_power_refusal(RHV_BAL_POWER_OFF, &h, buf, sizeof(buf)), "it is the SPM",
	       "the SPM first, whatever its state");
	h = up;
	h.state = "Maintenance";
	IS_STR(rhv_bal_power_refusal(RHV_BAL_POWER_OFF, &h, buf, sizeof(buf)), "it is Maintenance, not Up",
	       "power-off: only an Up host");
	h = up;
	h.vms = 1;
	IS_STR(rhv_bal_power_refusal(RHV_BAL_POWER_OFF, &h, buf, sizeof(buf)), "it has 1 VM", "power-off: no VM");
	h = up;
	h.agents = 0;
	h.pm_enabled = false;
	IS_STR(rhv_bal_power_refusal(RHV_BAL_POWER_OFF, &h, buf, sizeof(buf)), "it has no power management agent",
	       "power-off: an agent");
	h.agents = 2;
	IS_STR(rhv_bal_power_refusal(RHV_BAL_POWER_OFF, &h, buf, sizeof(buf)), "its power management is disabled",
	       "power-off: PM enabled");
	h = up;
	h.state = "Down";
	h.power_saving_off = true;
	OK(!rhv_bal_power_refusal(RHV_BAL_POWER_ON, &h, buf, sizeof(buf)), "power-on: a host power saving powered off");
	h.power_saving_off = false;
	IS_STR(rhv_bal_power_refusal(RHV_BAL_POWER_ON, &h, buf, sizeof(buf)), "it was not powered off for power saving",
	       "power-on: not a host Down for another reason");
	h.power_saving_off = true;
	h.pm_enabled = false;
	IS_STR(rhv_bal_power_refusal(RHV_BAL_POWER_ON, &h, buf, sizeof(buf)), "its power management is disabled",
	       "power-on: PM enabled");
	h = up;
	h.power_saving_off = true;
	IS_STR(rhv_bal_power_refusal(RHV_BAL_POWER_ON, &h, buf, sizeof(buf)), "it is Up, not Down",
	       "power-on: only a Down host");
	OK(rhv_bal_power_refusal(RHV_BAL_MIGRATE, &up, buf, sizeof(buf)) != NULL, "a migration is no power action");
}

/* A small deterministic generator for the property test. */
static uint32_t rnd_state = 2463534242u;

static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state % n;
}

/*
 * Random clusters for every policy: every plan runs cleanly (no VM twice,
 * no host sending after receiving, every step within limits) and reaches a
 * state where planning again finds nothing; and a bounded plan is the
 * start of the full one.
 */
static void test_random(void)
{
	int rounds = 0, bad = 0, bad_prefix = 0, moves = 0;
	struct cl *c = malloc(sizeof(*c));

	for (int round = 0; round < 2000; round++) {
		size_t nh = 1 + rnd(MAXH), max;
		struct rhv_bal_plan full;

		cl_init(c, (enum rhv_sched_policy_kind)rnd(4), nh);
		c->s.params.high_vm_count = (int)rnd(12);
		c->s.params.migration_threshold = 1 + (int)rnd(4);
		c->s.params.spm_vm_grace = (int)rnd(4);
		c->s.params.high_utilization = 50 + (int)rnd(40);
		c->s.params.low_utilization = (int)rnd(40);
		c->s.params.max_free_mem_over = rnd(3) ? -1 : 512 * (int)rnd(4);
		c->s.params.min_free_mem_under = rnd(3) ? -1 : 4096 + 1024 * (int)rnd(8);
		c->s.cpu_overcommit_minutes = 1 + (int)rnd(3);
		c->s.hosts_in_reserve = (int)rnd(3);
		c->s.auto_power = rnd(2);
		for (size_t h = 0; h < nh; h++) {
			double now = rnd(101);

			c->h[h].cores = 2 << rnd(3);
			c->h[h].mem_total = (4 + rnd(16)) * GiB;
			c->h[h].is_spm = h == 1;
			c->h[h].power_management = rnd(4) != 0;
			if (!rnd(8)) {
				c->h[h].up = false;
				c->h[h].powered_off = rnd(2);
				c->h[h].maintenance = !c->h[h].powered_off;
				continue;
			}
			cpu(c, (int)h, now, rnd(101), rnd(4) ? now : rnd(101), now);
		}
		for (int i = 0, n = (int)rnd(MAXV); i < n; i++) {
			int h = (int)rnd((uint32_t)nh), v;

			if (!c->h[h].up)
				continue;
			v = add(c, h, (1 + rnd(4)) * 512 * MiB, 1 + (int)rnd(4), rnd(101));
			c->v[v].pinned = !rnd(20);
			c->v[v].migratable = rnd(20) != 0;
			if (!rnd(30)) {
				c->v[v].migrating = true;
				c->v[v].migrating_to = (int)rnd((uint32_t)nh);
			}
		}
		rounds++;
		if (!plan(c, 0)) {
			bad++;
			continue;
		}
		moves += (int)P.n;
		if (P.n < 2)
			continue;
		full = P;
		P = (struct rhv_bal_plan){ NULL, 0, 0 };
		max = 1 + rnd((uint32_t)full.n - 1);
		if (!plan(c, max) || P.n != max || memcmp(P.moves, full.moves, max * sizeof(*P.moves)))
			bad_prefix++;
		rhv_bal_plan_clear(&full);
	}
	OK(!bad, "%d random clusters (%d steps): every plan runs cleanly and leaves nothing to do (%d did not)",
	   rounds, moves, bad);
	OK(!bad_prefix, "--max-moves N gives the first N steps of the full plan (%d did not)", bad_prefix);
	free(c);
}

int main(void)
{
	for (int i = 0; i < MAXV; i++)
		snprintf(vnames[i], sizeof(vnames[i]), "v%d", i);
	test_none();
	test_vm_evenly();
	test_spm_grace();
	test_vm_evenly_edges();
	test_evenly();
	test_no_bounce();
	test_memory_pass();
	test_power_saving();
	test_power_on();
	test_power_relief_tiers();
	test_pass_through();
	test_maintenance_and_down();
	test_ha();
	test_networks();
	test_api();
	test_power_refusal();
	test_random();
	rhv_bal_plan_clear(&P);
	return tap_done();
}
