/*
 * The skewed cluster of the balancer benchmarks, generated in memory: every
 * tenth host is "hot" and holds half of the VMs (about 90 % CPU, sustained);
 * the others share the rest (12-22 %).  A few hosts are powered off or in
 * Maintenance, one is the SPM; 1 % of the VMs are pinned, 1 % not
 * migratable, 0.5 % migrating, 10 % HA.  The same sizes give the same
 * cluster, so the in-process benchmark (balance-bench.c) and the command-line
 * one (snapshot files written by snapshot-gen.c) plan the same thing.
 * Included by both; not part of libcore.
 */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/balance.h"

#define GiB (1024ULL * 1024 * 1024)
#define SAMPLES 5
#define NAME_LEN 32

static uint64_t rnd_state;

static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state % n);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return p;
}

static double clamp(double x)
{
	return x < 0 ? 0 : x > 100 ? 100 : x;
}

/* A generated cluster and what it owns. */
struct gen {
	struct rhv_bal_snapshot s;
	double *hist;
	char *names;
};

static void gen_free(struct gen *g)
{
	free(g->s.hosts);
	free(g->s.vms);
	free(g->hist);
	free(g->names);
}

/* A skewed cluster; the same one for every policy of a size. */
static void generate(struct gen *g, size_t nh, size_t nv)
{
	struct rhv_bal_snapshot *s = &g->s;
	struct rhv_bal_host *h = xcalloc(nh, sizeof(*h));
	struct rhv_bal_vm *v = xcalloc(nv, sizeof(*v));
	double *hist = xcalloc(nh * SAMPLES, sizeof(*hist));
	char *names = xcalloc(nh + nv, NAME_LEN);
	size_t *hot = xcalloc(nh, sizeof(*hot)), *cold = xcalloc(nh, sizeof(*cold)), nhot = 0, ncold = 0;

	rnd_state = 0x9e3779b97f4a7c15ULL ^ nh ^ (nv << 20);
	memset(s, 0, sizeof(*s));
	rhv_bal_params_default(s);
	s->hosts_in_reserve = 2;
	s->auto_power = true;
	for (size_t i = 0; i < nh; i++) {
		bool is_hot = i % 10 == 0;

		snprintf(names + NAME_LEN * i, NAME_LEN, "host%05zu", i);
		h[i] = (struct rhv_bal_host){
			.name = names + NAME_LEN * i,
			.up = true,
			.is_spm = i == 1,
			.power_management = i % 10 != 3,
			.cores = is_hot || i % 2 == 0 ? 128 : 64,
			.cpu_history = hist + SAMPLES * i,
			.history_len = SAMPLES,
		};
		h[i].mem_total = (h[i].cores == 128 ? 1024 : 512) * GiB;
		if (!is_hot && i % 50 == 7) {
			h[i].up = false;
			h[i].powered_off = true;
		} else if (!is_hot && i % 50 == 23) {
			h[i].up = false;
			h[i].maintenance = true;
		}
		if (h[i].up) {
			if (is_hot)
				hot[nhot++] = i;
			else
				cold[ncold++] = i;
		}
	}
	for (size_t i = 0; i < nv; i++) {
		size_t host = i % 2 ? hot[rnd((uint32_t)nhot)] : cold[rnd((uint32_t)ncold)];

		snprintf(names + NAME_LEN * (nh + i), NAME_LEN, "vm%06zu", i);
		v[i] = (struct rhv_bal_vm){
			.name = names + NAME_LEN * (nh + i),
			.host = (int)host,
			.memory = (1ULL << rnd(3)) * GiB, /* 1, 2, 4 GiB */
			.vcpus = 1 + (int)rnd(4),
			.cpu_pct = rnd(37),
			.ha = rnd(10) == 0,
			.pinned = rnd(100) == 0,
			.migratable = rnd(100) != 0,
			.migrating_to = -1,
		};
		h[host].vm_count++;
		h[host].mem_used_by_vms += v[i].memory;
		h[host].cpu_pct += v[i].cpu_pct * v[i].vcpus / h[host].cores;
		if (rnd(200) == 0) {
			size_t to = cold[rnd((uint32_t)ncold)];

			if (to != host) {
				v[i].migrating = true;
				v[i].migrating_to = (int)to;
				h[to].mem_used_by_vms += v[i].memory; /* incoming memory is committed */
			}
		}
	}
	for (size_t i = 0; i < nh; i++) {
		if (!h[i].up) {
			h[i].cpu_pct = 0;
			h[i].history_len = 0;
			continue;
		}
		h[i].cpu_pct = clamp(h[i].cpu_pct + 2);
		for (int k = 0; k < SAMPLES; k++)
			hist[SAMPLES * i + k] = clamp(h[i].cpu_pct - 3 + rnd(7));
		/* one hot host in ten dipped a minute ago: not over for long enough */
		if (i % 100 == 50)
			hist[SAMPLES * i + SAMPLES - 2] = 50;
		hist[SAMPLES * i + SAMPLES - 1] = h[i].cpu_pct;
	}
	free(hot);
	free(cold);
	g->hist = hist;
	g->names = names;
	s->hosts = h;
	s->nhosts = nh;
	s->vms = v;
	s->nvms = nv;
}

