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
	for (size_t i = 0; i < in->s.nvms; i++)
		free(in->vm_names[i]);
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
}

void rhv_bal_input_alloc_vms(struct rhv_bal_input *in, size_t n)
{
	in->s.nvms = n;
	in->s.vms = rhv_xcalloc(n + 1, sizeof(*in->s.vms));
	in->vm_names = rhv_xcalloc(n + 1, sizeof(char *));
	in->vm_last_migration = rhv_xcalloc(n + 1, sizeof(int64_t));
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
