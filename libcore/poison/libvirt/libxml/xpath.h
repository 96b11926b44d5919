/* Shadows the real header for folders that may not use it (libcore/README). */
#error "libxml2 (libvirt's XML) belongs to libcore/virt/ only: see libcore/README, 'who may include what'"
