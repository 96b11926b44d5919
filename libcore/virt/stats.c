/*
 * What a host runs: its CPU and memory counters and its guests with their
 * state, CPU time and memory, for the monitor (see rhv/virt.h).
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virt/virt-priv.h"

void rhv_virt_node_stats(struct rhv_virt_conn *conn, struct rhv_virt_node_stats *out)
{
	virConnectPtr c = conn->ptr;
	int n = 0;

	memset(out, 0, sizeof(*out));
	if (virNodeGetCPUStats(c, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &n, 0) == 0 && n > 0) {
		virNodeCPUStatsPtr s = rhv_xcalloc((size_t)n, sizeof(*s));

		if (virNodeGetCPUStats(c, VIR_NODE_CPU_STATS_ALL_CPUS, s, &n, 0) == 0)
			for (int i = 0; i < n; i++) {
				out->cpu_total += s[i].value;
				if (!strcmp(s[i].field, VIR_NODE_CPU_STATS_IDLE))
					out->cpu_idle += s[i].value;
			}
		free(s);
	}
	n = 0;
	if (virNodeGetMemoryStats(c, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &n, 0) == 0 && n > 0) {
		virNodeMemoryStatsPtr s = rhv_xcalloc((size_t)n, sizeof(*s));
		unsigned long long total = 0, avail = 0;

		if (virNodeGetMemoryStats(c, VIR_NODE_MEMORY_STATS_ALL_CELLS, s, &n, 0) == 0)
			for (int i = 0; i < n; i++) {
				if (!strcmp(s[i].field, VIR_NODE_MEMORY_STATS_TOTAL))
					total = s[i].value;
				else if (!strcmp(s[i].field, VIR_NODE_MEMORY_STATS_FREE) ||
					 !strcmp(s[i].field, VIR_NODE_MEMORY_STATS_BUFFERS) ||
					 !strcmp(s[i].field, VIR_NODE_MEMORY_STATS_CACHED))
					avail += s[i].value;
			}
		out->mem_total = total * 1024;
		out->mem_used = total > avail ? (total - avail) * 1024 : 0;
		free(s);
	}
}

int rhv_virt_guests(struct rhv_virt_conn *c, struct rhv_virt_guest **out, size_t *nout)
{
	virDomainStatsRecordPtr *recs = NULL;
	int n = virConnectGetAllDomainStats(c->ptr, VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL |
							    VIR_DOMAIN_STATS_BALLOON,
					    &recs, 0);
	struct rhv_virt_guest *g;

	*out = NULL;
	*nout = 0;
	if (n < 0)
		return -1;
	g = rhv_xcalloc((size_t)n + 1, sizeof(*g));
	for (int i = 0; i < n; i++) {
		unsigned long long rss = 0, cur = 0;
		int st = 0;

		virDomainGetUUIDString(recs[i]->dom, g[i].uuid);
		g[i].name = rhv_xstrdup(virDomainGetName(recs[i]->dom));
		virTypedParamsGetInt(recs[i]->params, recs[i]->nparams, "state.state", &st);
		g[i].state = (enum rhv_virt_state)st;
		virTypedParamsGetULLong(recs[i]->params, recs[i]->nparams, "cpu.time", &g[i].cpu_time);
		virTypedParamsGetULLong(recs[i]->params, recs[i]->nparams, "balloon.rss", &rss);
		virTypedParamsGetULLong(recs[i]->params, recs[i]->nparams, "balloon.current", &cur);
		g[i].mem_used = (rss ? rss : cur) * 1024;
	}
	virDomainStatsRecordListFree(recs);
	*out = g;
	*nout = (size_t)n;
	return 0;
}

void rhv_virt_guests_free(struct rhv_virt_guest *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].name);
	free(g);
}
