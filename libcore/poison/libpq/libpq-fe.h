/* Shadows the real header for folders that may not use it (libcore/README). */
#error "libpq belongs to libcore/store/ only: see libcore/README, 'who may include what'"
