/* Shadows the real header for folders that may not use it (libcore/README). */
#error "json-c belongs to libcore/engine/, storage/ and ops/ only: see libcore/README, 'who may include what'"
