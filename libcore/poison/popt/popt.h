/* Shadows the real header for folders that may not use it (libcore/README). */
#error "popt belongs to libcore/engine/ (and cmd/, through rhv/cli.h) only: see libcore/README, 'who may include what'"
