/*
 * Kept for the files that still include it: the VM's store access is
 * store/vm.h, the transactions store/txn.h.  New code includes those.
 */
#pragma once

#include "store/txn.h"
#include "store/vm.h"
