/* vNICs of VMs on a host's networks, shared by start (vmops.c) and hot-plug (vmnics.c). */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/netfit.h"
#include "rhv/vm.h"

/*
 * The <interface> of nic of vm on the host at uri with networks hn, backed
 * as a start backs it (a host without network data: user networking in a
 * session daemon, the ovirtmgmt bridge otherwise).  Returns the XML (caller
 * frees), or NULL with err (4 when the host lacks the network).
 */
char *rhv_ops_nic_xml(const struct rhv_vm *vm, const struct rhv_vm_nic *nic, const char *uri,
		      const struct rhv_host_nets *hn, struct rhv_error *err);
