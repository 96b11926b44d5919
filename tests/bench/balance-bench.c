/*
 * How long a full balancing plan takes (targets: 200 hosts x 10,000 VMs
 * under 0.5 s, 2,000 x 100,000 under 10 s, peak memory under 200 MB), and
 * whether it is right: the plan is run on the snapshot with
 * rhv_bal_plan_apply() (no VM moves twice, no host sends after receiving,
 * every step within limits) and planned again, which must find nothing.
 *
 * The clusters are skewed (balance-gen.h).
 *
 * Each run is a child process, so that its peak RSS (ru_maxrss) is its own.
 *
 * Usage: balance-bench [HOSTSxVMS...]   (default: 200x10000 2000x100000)
 */
#include "rhv/common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rhv/balance.h"
#include "balance-gen.h"

static const char *const policy_names[] = { "none", "evenly_distributed", "power_saving", "vm_evenly_distributed" };

/* Each policy with its defaults; then the two CPU policies with the memory thresholds set. */
static const struct config {
	enum rhv_sched_policy_kind policy;
	bool mem;
} configs[] = {
	{ RHV_SCHED_NONE, false },	   { RHV_SCHED_EVENLY, false }, { RHV_SCHED_POWER_SAVING, false },
	{ RHV_SCHED_VM_EVENLY, false }, { RHV_SCHED_EVENLY, true },  { RHV_SCHED_POWER_SAVING, true },
};
#define MAX_FREE_OVER (32 * 1024)  /* MiB: MaxFreeMemoryForOverUtilized in the "+mem" rows */
#define MIN_FREE_UNDER (256 * 1024) /* MiB: MinFreeMemoryForUnderUtilized */

struct spread {
	double min, max, sd;
};

static struct spread spread_of(const double *x, size_t n)
{
	struct spread r = { 0, 0, 0 };
	double sum = 0, sq = 0;

	for (size_t i = 0; i < n; i++) {
		if (!i || x[i] < r.min)
			r.min = x[i];
		if (!i || x[i] > r.max)
			r.max = x[i];
		sum += x[i];
	}
	for (size_t i = 0; i < n; i++)
		sq += (x[i] - sum / n) * (x[i] - sum / n);
	r.sd = n ? sqrt(sq / n) : 0;
	return r;
}

/* VM count, CPU % and memory use % over the hosts that take part. */
static void describe(const struct rhv_bal_snapshot *s, char *buf, size_t len)
{
	double *vms = xcalloc(s->nhosts, sizeof(double)), *cpu = xcalloc(s->nhosts, sizeof(double)),
	       *mem = xcalloc(s->nhosts, sizeof(double));
	struct spread a, b, c;
	size_t n = 0;

	for (size_t i = 0; i < s->nhosts; i++) {
		const struct rhv_bal_host *h = &s->hosts[i];

		if (!h->up || h->maintenance)
			continue;
		vms[n] = h->vm_count;
		cpu[n] = h->cpu_pct;
		mem[n] = 100.0 * (double)h->mem_used_by_vms / (double)h->mem_total;
		n++;
	}
	a = spread_of(vms, n);
	b = spread_of(cpu, n);
	c = spread_of(mem, n);
	snprintf(buf, len, "%4zu up | VMs %3.0f-%3.0f sd %5.1f | CPU %5.1f-%5.1f sd %4.1f | mem %4.1f-%4.1f sd %4.1f", n,
		 a.min, a.max, a.sd, b.min, b.max, b.sd, c.min, c.max, c.sd);
	free(vms);
	free(cpu);
	free(mem);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(size_t nh, size_t nv, const struct config *cf)
{
	struct gen g;
	struct rhv_bal_snapshot *s = &g.s;
	struct rhv_bal_plan plan, again;
	struct rhv_error err = { 0 };
	struct rusage ru;
	size_t counts[3] = { 0, 0, 0 };
	char after[640], name[40];
	double t0, t;
	int bad = 0;

	generate(&g, nh, nv);
	s->policy = cf->policy;
	if (cf->mem) {
		s->params.max_free_mem_over = MAX_FREE_OVER;
		s->params.min_free_mem_under = MIN_FREE_UNDER;
	}
	snprintf(name, sizeof(name), "%s%s", policy_names[cf->policy], cf->mem ? "+mem" : "");
	t0 = now_s();
	if (rhv_bal_plan(s, 0, &plan, &err) < 0) {
		fprintf(stderr, "balance-bench: %s\n", err.message);
		return 1;
	}
	t = now_s() - t0;
	getrusage(RUSAGE_SELF, &ru);
	for (size_t i = 0; i < plan.n; i++)
		counts[plan.moves[i].kind]++;

	/* run it, then plan again: a balanced cluster needs nothing more */
	if (rhv_bal_plan_apply(s, &plan, &err) < 0) {
		snprintf(after, sizeof(after), "CHECK FAILED: %s", err.message);
		bad = 1;
	} else if (rhv_bal_plan(s, 0, &again, &err) < 0) {
		snprintf(after, sizeof(after), "REPLAN FAILED: %s", err.message);
		bad = 1;
	} else {
		describe(s, after, sizeof(after));
		if (again.n) {
			printf("  replanning found %zu more steps, the first: %s\n", again.n, again.moves[0].reason);
			bad = 1;
		}
		rhv_bal_plan_clear(&again);
	}
	printf("  %-26s %6.3f s %6.1f MB %6zu migrations %4zu off %3zu on | %s%s\n", name, t,
	       ru.ru_maxrss / 1024.0, counts[RHV_BAL_MIGRATE], counts[RHV_BAL_POWER_OFF], counts[RHV_BAL_POWER_ON],
	       after, bad ? "" : " | checked, replan 0");
	rhv_bal_plan_clear(&plan);
	gen_free(&g);
	return bad;
}

int main(int argc, char **argv)
{
	static const char *const defaults[] = { "200x10000", "2000x100000" };
	int nsizes = argc > 1 ? argc - 1 : (int)RHV_ARRAY_SIZE(defaults), failed = 0;

	for (int k = 0; k < nsizes; k++) {
		const char *arg = argc > 1 ? argv[k + 1] : defaults[k];
		struct gen g;
		size_t nh = 0, nv = 0;
		char before[160];

		if (sscanf(arg, "%zux%zu", &nh, &nv) != 2 || nh < 10 || nv < 10 || nh > 1000000) {
			fprintf(stderr, "usage: balance-bench [HOSTSxVMS...]   (at least 10x10)\n");
			return 2;
		}
		generate(&g, nh, nv);
		describe(&g.s, before, sizeof(before));
		printf("== %zu hosts, %zu VMs: full plan (max-moves 0), then check and replan\n", nh, nv);
		printf("   (+mem: MaxFreeMemoryForOverUtilized %d MiB, MinFreeMemoryForUnderUtilized %d MiB)\n",
		       MAX_FREE_OVER, MIN_FREE_UNDER);
		printf("  %-26s %6s   %6s    %s\n", "before", "", "", before);
		gen_free(&g);
		fflush(stdout);
		for (size_t c = 0; c < RHV_ARRAY_SIZE(configs); c++) {
			pid_t pid = fork();
			int status;

			if (pid < 0) {
				perror("balance-bench: fork");
				return 1;
			}
			if (!pid) {
				int rc = run(nh, nv, &configs[c]);

				fflush(stdout);
				_exit(rc);
			}
			if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
				failed++;
		}
	}
	return failed ? 1 : 0;
}
