/* Helpers shared between libcore modules, not part of the public API. */
#pragma once

#include "rhv/common.h"

/* Decode one UTF-8 character (invalid bytes decode as U+FFFD, length 1). */
size_t rhv_utf8_next(const char *s, uint32_t *cp);
