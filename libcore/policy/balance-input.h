/*
 * Filling a balancer snapshot (struct rhv_bal_input of rhv/balance-io.h),
 * for the store's reader and the snapshot file's reader alike.
 */
#pragma once

#include "rhv/balance-io.h"

/* Room for n hosts (names, states, histories) and n VMs, zeroed. */
void rhv_bal_input_alloc_hosts(struct rhv_bal_input *in, size_t n);
void rhv_bal_input_alloc_vms(struct rhv_bal_input *in, size_t n);
/* Host i's state, with what the planner reads from it (up, maintenance, powered off). */
void rhv_bal_input_set_host_state(struct rhv_bal_input *in, size_t i, const char *state);
/* One policy parameter onto the snapshot; false for a key it does not know. */
bool rhv_bal_input_set_param(struct rhv_bal_snapshot *s, const char *key, int64_t v);
/*
 * Host i's network data is known (its NICs were read): networks it lacks
 * are missing.  Then each network set up on it, and each network of VM v.
 */
void rhv_bal_input_host_nets_known(struct rhv_bal_input *in, size_t i);
void rhv_bal_input_add_host_net(struct rhv_bal_input *in, size_t i, const char *network, const char *bridge,
				bool in_sync, const char *sync_reason);
void rhv_bal_input_add_vm_network(struct rhv_bal_input *in, size_t v, const char *network);
