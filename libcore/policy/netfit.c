/* Whether a host has the networks a VM or its cluster needs (rhv/netfit.h).  Pure. */
#include "rhv/common.h"

#include <stdio.h>
#include <string.h>

#include "rhv/netfit.h"

#define REQUIRED_PREFIX "required network '"

const struct rhv_host_net *rhv_netfit_find(const struct rhv_host_nets *h, const char *network)
{
	for (size_t i = 0; h && network && i < h->n; i++)
		if (h->nets[i].network && !strcmp(h->nets[i].network, network))
			return &h->nets[i];
	return NULL;
}

const char *rhv_netfit_missing(const struct rhv_host_nets *h, const char *const *networks, size_t n, bool vm,
			       bool required, char *buf, size_t len)
{
	const char *what = required ? "required network" : "network";

	if (!h || !h->known)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct rhv_host_net *hn;

		if (!networks[i])
			continue;
		hn = rhv_netfit_find(h, networks[i]);
		if (!hn)
			snprintf(buf, len, "%s '%s' is not set up on the host", what, networks[i]);
		else if (!hn->in_sync)
			snprintf(buf, len, "%s '%s' is out of sync on the host: %s", what, networks[i],
				 hn->sync_reason && *hn->sync_reason ? hn->sync_reason : "differs from its definition");
		else if (vm && !hn->bridge)
			snprintf(buf, len, "%s '%s' carries no VMs on the host (no bridge)", what, networks[i]);
		else
			continue;
		return buf;
	}
	return NULL;
}

bool rhv_netfit_is_required_reason(const char *reason)
{
	return reason && !strncmp(reason, REQUIRED_PREFIX, strlen(REQUIRED_PREFIX));
}
