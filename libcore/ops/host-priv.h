/*
 * Kept for the files that still include it: the host's store access is
 * store/host.h, the transactions store/txn.h.  New code includes those.
 */
#pragma once

#include "store/host.h"
#include "store/txn.h"
