/* Power management rows as ops/fence.c needs them (store/fence.c): no libpq here. */
#pragma once

#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/fence.h"

/*
 * The passwords of a host's agents, aligned with agents->items (NULL where
 * an agent has none).  Only the store's owner may read them.  Free with
 * rhv_db_fence_passwords_free, which wipes them.
 */
int rhv_db_fence_passwords(struct rhv_db *db, const struct rhv_fence_agent_list *agents, char ***out,
			   struct rhv_error *err);
void rhv_db_fence_passwords_free(char **pw, size_t n);
