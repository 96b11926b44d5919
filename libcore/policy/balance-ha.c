/* The HA reservation check: could the HA VMs of any one failed Up host restart elsewhere? */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "policy/balance-priv.h"

/*
 * A sum of doubles kept to twice a double's precision (Knuth's TwoSum), so
 * that terms may be added and taken away in any order: the total of all
 * hosts less one host gives the same figure as adding up the others.
 */
struct dsum {
	double hi, lo;
};

static void dsum_add(struct dsum *s, double x)
{
	double t = s->hi + x, b = t - s->hi;

	s->lo += (s->hi - (t - b)) + (x - b);
	s->hi = t;
}

static uint64_t mem_free(const struct rhv_sched_host *h)
{
	return h->mem_committed < h->mem_total ? h->mem_total - h->mem_committed : 0;
}

static double cores_free(const struct rhv_sched_host *h)
{
	return h->cpu_pct < 100 ? (100 - h->cpu_pct) * h->cores / 100 : 0;
}

/* What restarting the HA VMs of one failed host leaves. */
struct failure {
	int lost, unplaceable;
	uint64_t mem; /* wraps like any sum of bytes over many hosts; compared as it is */
	double cpu;
};

/*
 * Restart ha[k..] (the HA VMs of host f) on the other Up hosts of sh.  The
 * hosts that took one are listed in touched[] (*ntouched) for the caller to
 * reset; headroom is the total of the Up hosts before any failure, less f,
 * corrected by the hosts that took VMs: O(VMs x hosts), not O(hosts^2).
 */
static size_t restart(const struct rhv_bal_snapshot *s, const struct rhv_sched_host *base, struct rhv_sched_host *sh,
		      const struct keyed *ha, size_t nha, size_t k, size_t f, uint64_t mem_all,
		      const struct dsum *cpu_all, int *touched, size_t *ntouched, struct failure *out)
{
	size_t nh = s->nhosts;
	struct dsum cpu = *cpu_all;

	memset(out, 0, sizeof(*out));
	*ntouched = 0;
	for (; k < nha && s->vms[ha[k].i].host == (int)f; k++) {
		const struct rhv_bal_vm *vm = &s->vms[ha[k].i];
		struct rhv_sched_vm want = {
			.memory = vm->memory, .vcpus = vm->vcpus, .pinned_host = -1, .current_host = -1,
			.networks = vm->networks, .nnetworks = vm->nnetworks
		};
		int t;

		out->lost++;
		for (size_t i = 0; i < nh; i++)
			sh[i].up = base[i].up && i != f && sh[i].cpu_pct + vm_load(vm, sh[i].cores) <= 100;
		t = rhv_sched_place(sh, nh, &want, s->policy, &s->params, NULL);
		if (t < 0) {
			out->unplaceable++;
			continue;
		}
		if (sh[t].vm_count == base[t].vm_count)
			touched[(*ntouched)++] = t;
		sh[t].mem_committed += vm->memory;
		sh[t].cpu_pct += vm_load(vm, sh[t].cores);
		sh[t].vm_count++;
	}
	out->mem = mem_all - mem_free(&base[f]);
	dsum_add(&cpu, -cores_free(&base[f]));
	for (size_t i = 0; i < *ntouched; i++) {
		const struct rhv_sched_host *was = &base[touched[i]], *now = &sh[touched[i]];

		out->mem = out->mem - mem_free(was) + mem_free(now);
		dsum_add(&cpu, -cores_free(was));
		dsum_add(&cpu, cores_free(now));
	}
	out->cpu = cpu.hi + cpu.lo;
	return k;
}

int rhv_bal_ha_check(const struct rhv_bal_snapshot *s, struct rhv_ha_report *out, struct rhv_error *err)
{
	struct rhv_sched_host *base = NULL, *sh = NULL;
	struct keyed *ha = NULL;
	int *touched = NULL;
	size_t nha = 0, nh = s->nhosts;
	uint64_t mem_all = 0;
	struct dsum cpu_all = { 0, 0 };
	int parts = 0, rc = -1;
	bool any_ha = false;

	memset(out, 0, sizeof(*out));
	out->worst_host = -1;
	if ((unsigned)s->policy > RHV_SCHED_VM_EVENLY)
		return rhv_error_usage(err, "unknown scheduling policy %d", (int)s->policy);
	if (rhv_bal_check_snapshot(s, err) < 0)
		return -1;
	base = calloc(nh + 1, sizeof(*base));
	sh = calloc(nh + 1, sizeof(*sh));
	ha = calloc(s->nvms + 1, sizeof(*ha));
	touched = calloc(nh + 1, sizeof(*touched));
	if (!base || !sh || !ha || !touched) {
		rhv_error_oom(err);
		goto out;
	}
	rhv_bal_sched_hosts(s, base);
	for (size_t i = 0; i < nh; i++) {
		base[i].up = participates(&s->hosts[i]);
		parts += base[i].up;
		if (base[i].up) {
			mem_all += mem_free(&base[i]);
			dsum_add(&cpu_all, cores_free(&base[i]));
		}
	}
	memcpy(sh, base, nh * sizeof(*sh));
	/* HA VMs of Up hosts, by host, then largest memory first */
	for (size_t i = 0; i < s->nvms; i++) {
		const struct rhv_bal_vm *vm = &s->vms[i];

		any_ha = any_ha || vm->ha;
		if (vm->ha && base[vm->host].up)
			ha[nha++] = (struct keyed){ vm->host, -(double)vm->memory, (int)i };
	}
	qsort(ha, nha, sizeof(*ha), cmp_keyed);
	out->ha_vms = (int)nha;
	if (!parts) {
		/* nowhere to restart anything */
		out->at_risk = any_ha;
		rc = 0;
		goto out;
	}

	for (size_t f = 0, k = 0; f < nh; f++) {
		struct failure r;
		size_t ntouched;
		bool worse;

		if (!base[f].up)
			continue;
		k = restart(s, base, sh, ha, nha, k, f, mem_all, &cpu_all, touched, &ntouched, &r);
		/* the next failure starts from the hosts as they were */
		for (size_t i = 0; i < ntouched; i++)
			sh[touched[i]] = base[touched[i]];
		worse = out->worst_host < 0 || r.unplaceable > out->unplaceable ||
			(r.unplaceable == out->unplaceable &&
			 (r.mem < out->mem_headroom || (r.mem == out->mem_headroom && r.cpu < out->cpu_headroom)));
		if (worse) {
			out->worst_host = (int)f;
			out->ha_vms_on_worst = r.lost;
			out->unplaceable = r.unplaceable;
			out->mem_headroom = r.mem;
			out->cpu_headroom = r.cpu;
		}
		out->at_risk = out->at_risk || r.unplaceable > 0;
	}
	rc = 0;
out:
	free(base);
	free(sh);
	free(ha);
	free(touched);
	return rc;
}
