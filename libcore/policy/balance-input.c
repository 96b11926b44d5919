/*
 * The balancer's snapshot with the storage behind its pointers (struct
 * rhv_bal_input): allocated and filled alike from the store
 * (store/balance.c) and from a snapshot file (ops/balance-io.c).
 */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "policy/balance-input.h"
#include "rhv/host.h"

void rhv_bal_input_clear(struct rhv_bal_input *in)
{
	for (size_t i = 0; i < in->s.nhosts; i++) {
		free(in->host_names[i]);
		free(in->host_states[i]);
		free(in->histories[i]);
	}
	for (size_t i = 0; i < in->s.nhosts && in->host_nets; i++) {
		for (size_t k = 0; k < in->host_nets[i].n; k++) {
			free((char *)in->host_net_rows[i][k].network);
			free((char *)in->host_net_rows[i][k].bridge);
			free((char *)in->host_net_rows[i][k].sync_reason);
		}
		free(in->host_net_rows[i]);
	}
	for (size_t i = 0; i < in->s.nvms; i++) {
		free(in->vm_names[i]);
		for (char **n = in->vm_networks ? in->vm_networks[i] : NULL; n && *n; n++)
			free(*n);
		free(in->vm_networks ? in->vm_networks[i] : NULL);
	}
	free(in->host_nets);
	free(in->host_net_rows);
	free(in->vm_networks);
	free(in->host_names);
	free(in->host_states);
	free(in->histories);
	free(in->vm_names);
	free(in->vm_last_migration);
	free(in->s.hosts);
	free(in->s.vms);
	free(in->cluster);
	free(in->policy);
	memset(in, 0, sizeof(*in));
}

void rhv_bal_input_alloc_hosts(struct rhv_bal_input *in, size_t n)
{
	in->s.nhosts = n;
	in->s.hosts = rhv_xcalloc(n + 1, sizeof(*in->s.hosts));
	in->host_names = rhv_xcalloc(n + 1, sizeof(char *));
	in->host_states = rhv_xcalloc(n + 1, sizeof(char *));
	in->histories = rhv_xcalloc(n + 1, sizeof(double *));
	in->host_nets = rhv_xcalloc(n + 1, sizeof(*in->host_nets));
	in->host_net_rows = rhv_xcalloc(n + 1, sizeof(*in->host_net_rows));
}

void rhv_bal_input_alloc_vms(struct rhv_bal_input *in, size_t n)
{
	in->s.nvms = n;
	in->s.vms = rhv_xcalloc(n + 1, sizeof(*in->s.vms));
	in->vm_names = rhv_xcalloc(n + 1, sizeof(char *));
	in->vm_last_migration = rhv_xcalloc(n + 1, sizeof(int64_t));
	in->vm_networks = rhv_xcalloc(n + 1, sizeof(*in->vm_networks));
}

void rhv_bal_input_set_host_state(struct rhv_bal_input *in, size_t i, const char *state)
{
	in->host_states[i] = rhv_xstrdup(state);
	in->s.hosts[i].up = !strcmp(state, RHV_HOST_UP);
	in->s.hosts[i].maintenance = !strcmp(state, RHV_HOST_MAINTENANCE) || !strcmp(state, RHV_HOST_PREPARING);
	in->s.hosts[i].powered_off = !strcmp(state, RHV_HOST_DOWN);
}

bool rhv_bal_input_set_param(struct rhv_bal_snapshot *s, const char *key, int64_t v)
{
	if (rhv_sched_params_set(&s->params, key, v))
		return true;
	if (!strcmp(key, "CpuOverCommitDurationMinutes"))
		s->cpu_overcommit_minutes = (int)v;
	else if (!strcmp(key, "HostsInReserve"))
		s->hosts_in_reserve = (int)v;
	else if (!strcmp(key, "EnableAutomaticHostPowerManagement"))
		s->auto_power = v != 0;
	else
		return false;
	return true;
}

void rhv_bal_input_host_nets_known(struct rhv_bal_input *in, size_t i)
{
	in->host_nets[i].known = true;
	in->s.hosts[i].nets = &in->host_nets[i];
}

void rhv_bal_input_add_host_net(struct rhv_bal_input *in, size_t i, const char *network, const char *bridge,
				bool in_sync, const char *sync_reason)
{
	struct rhv_host_nets *h = &in->host_nets[i];
	struct rhv_host_net *r;

	in->host_net_rows[i] = rhv_xrealloc(in->host_net_rows[i], (h->n + 1) * sizeof(**in->host_net_rows));
	r = &in->host_net_rows[i][h->n++];
	r->network = rhv_xstrdup(network);
	r->bridge = bridge ? rhv_xstrdup(bridge) : NULL;
	r->address = NULL;
	r->in_sync = in_sync;
	r->sync_reason = sync_reason ? rhv_xstrdup(sync_reason) : NULL;
	h->nets = in->host_net_rows[i];
}

void rhv_bal_input_add_vm_network(struct rhv_bal_input *in, size_t v, const char *network)
{
	size_t n = in->s.vms[v].nnetworks;

	for (size_t k = 0; k < n; k++)
		if (!strcmp(in->vm_networks[v][k], network))
			return;
	in->vm_networks[v] = rhv_xrealloc(in->vm_networks[v], (n + 2) * sizeof(**in->vm_networks));
	in->vm_networks[v][n] = rhv_xstrdup(network);
	in->vm_networks[v][n + 1] = NULL;
	in->s.vms[v].networks = (const char *const *)in->vm_networks[v];
	in->s.vms[v].nnetworks = n + 1;
}
