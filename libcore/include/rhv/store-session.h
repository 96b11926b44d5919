/* The store as the command engine reaches it: a program names &rhv_store_session in its table. */
#pragma once

#include "rhv/cli.h"

extern const struct rhv_session rhv_store_session;
