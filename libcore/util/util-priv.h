/* Helpers shared between libcore modules, not part of the public API. */
#pragma once

#include "rhv/common.h"

/* Decode one UTF-8 character (invalid bytes decode as U+FFFD, length 1). */
size_t rhv_utf8_next(const char *s, uint32_t *cp);
/* C0, DEL, C1, U+2028 and U+2029: never in a name, escaped in output. */
bool rhv_char_is_control(uint32_t cp);
