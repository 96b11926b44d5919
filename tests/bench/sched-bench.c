/*
 * How long one scheduling decision takes (target: under 1 ms for 200
 * hosts).  Builds a synthetic cluster snapshot (some hosts down, in other
 * clusters or full), then places VMs one after the other, committing each
 * placement as a VM start would, and times every rhv_sched_place() call.
 * The snapshot is restored whenever it fills up, outside the timing.
 *
 * Usage: sched-bench [DECISIONS [HOSTS...]]   (defaults: 20000 200 2000)
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rhv/sched.h"

#define GiB (1024ULL * 1024 * 1024)
#define NVMS 64

/* In the order of enum rhv_sched_policy_kind. */
static const char *const policy_names[] = { "none", "evenly_distributed", "power_saving", "vm_evenly_distributed" };

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state % n);
}

static void make_hosts(struct rhv_sched_host *h, size_t n)
{
	static char names[2000][16];

	for (size_t i = 0; i < n; i++) {
		if (i < RHV_ARRAY_SIZE(names))
			snprintf(names[i], sizeof(names[i]), "host%04zu", i);
		h[i] = (struct rhv_sched_host){
			.name = i < RHV_ARRAY_SIZE(names) ? names[i] : "host",
			.up = rnd(20) != 0,	    /* 5 % down or in maintenance */
			.in_cluster = rnd(10) != 0, /* 10 % in another cluster */
			.is_spm = i == n / 2,
			.cores = 16 << rnd(4), /* 16..128 */
			.mem_total = (64ULL << rnd(5)) * GiB,
			.cpu_pct = rnd(90),
			.vm_count = (int)rnd(40),
			.vcpus_pending = (int)rnd(8),
		};
		/* 0..100 % committed: some hosts are full */
		h[i].mem_committed = h[i].mem_total / 100 * rnd(101);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Time `decisions` placements; print median, p99 and max in microseconds. */
static void run(size_t n, int decisions, enum rhv_sched_policy_kind policy, bool with_verdicts)
{
	struct rhv_sched_host *pristine = calloc(n, sizeof(*pristine)), *h = calloc(n, sizeof(*h));
	struct rhv_sched_verdict *v = with_verdicts ? calloc(n, sizeof(*v)) : NULL;
	double *t = calloc((size_t)decisions, sizeof(*t));
	struct rhv_sched_vm vms[NVMS];
	int placed = 0, refused = 0;

	if (!pristine || !h || !t || (with_verdicts && !v)) {
		fprintf(stderr, "sched-bench: out of memory\n");
		exit(1);
	}
	make_hosts(pristine, n);
	memcpy(h, pristine, n * sizeof(*h));
	for (int i = 0; i < NVMS; i++)
		vms[i] = (struct rhv_sched_vm){ .memory = (1ULL << rnd(6)) * GiB, /* 1..32 GiB */
						.vcpus = 1 << rnd(5),		  /* 1..16 */
						.pinned_host = -1,
						.current_host = -1 };
	for (int i = -decisions / 10; i < decisions; i++) { /* the first tenth warms up */
		const struct rhv_sched_vm *vm = &vms[(i + decisions) % NVMS];
		double t0 = now_us();
		int chosen = rhv_sched_place(h, n, vm, policy, NULL, v);
		double dt = now_us() - t0;

		if (i >= 0)
			t[i] = dt;
		if (chosen >= 0) {
			placed++;
			rhv_sched_commit(h, n, chosen, vm);
		} else {
			refused++;
			memcpy(h, pristine, n * sizeof(*h));
		}
	}
	qsort(t, (size_t)decisions, sizeof(*t), cmp_double);
	printf("%5zu hosts  %-22s %-8s median %7.2f us  p99 %7.2f us  max %8.2f us  (%d placed, %d refused)\n", n,
	       policy_names[policy], with_verdicts ? "explain" : "choice", t[decisions / 2],
	       t[(size_t)decisions * 99 / 100], t[decisions - 1], placed, refused);
	free(pristine);
	free(h);
	free(v);
	free(t);
}

int main(int argc, char **argv)
{
	static const size_t default_hosts[] = { 200, 2000 };
	int decisions = argc > 1 ? atoi(argv[1]) : 20000;

	if (decisions < 100) {
		fprintf(stderr, "usage: sched-bench [DECISIONS>=100 [HOSTS...]]\n");
		return 2;
	}
	printf("== one scheduling decision, %d decisions per row (explain = with verdicts)\n", decisions);
	for (size_t k = 0; k < (argc > 2 ? (size_t)(argc - 2) : RHV_ARRAY_SIZE(default_hosts)); k++) {
		size_t n = argc > 2 ? (size_t)atol(argv[k + 2]) : default_hosts[k];

		if (n < 1 || n > 100000) {
			fprintf(stderr, "sched-bench: HOSTS must be 1..100000\n");
			return 2;
		}
		/* none weighs exactly like evenly_distributed */
		for (int p = RHV_SCHED_EVENLY; p <= RHV_SCHED_VM_EVENLY; p++)
			run(n, decisions, p, true);
		for (int p = RHV_SCHED_EVENLY; p <= RHV_SCHED_VM_EVENLY; p++)
			run(n, decisions, p, false);
	}
	return 0;
}
