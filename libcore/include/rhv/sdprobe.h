/*
 * Storage-domain probe: can a host read a file storage domain's metadata?
 *
 * Every host of a data center monitors every storage domain of it
 * (reference 2.7: a domain no host can reach becomes Inactive).  The
 * question is asked of the host itself, through its libvirt connection;
 * the file is never read locally, since this machine's view of the
 * storage says nothing of the host's.
 *
 * How: a libvirt storage pool of type dir whose target is <root>/dom_md
 * makes the host's daemon list and read that directory.  An active pool
 * with that target is used whatever its name; if none is active, a
 * transient pool named "rhv-md-<domain id>" is created (the prefix
 * "rhv-md-" is reserved: a pool of that name with another target is
 * taken for a stale one of ours and removed).  A transient pool outlives
 * a restart of the daemon (libvirt keeps its state in the daemon's run
 * directory) but not a reboot of the host, and libvirt itself drops one
 * whose refresh fails (directory gone or unreadable): the next probe
 * creates it again.  While it is active, libvirt refuses to define another
 * pool on the same directory ("Storage source conflict").
 * Each probe refreshes the pool (a metadata file replaced by rename is
 * then seen), looks up the volume metadata.json and downloads it through
 * a stream, at most RHV_SDMETA_MAX_BYTES.  What the bytes say is not read
 * here: rhv_sdmeta_probe() (storage/) parses and checks them.
 *
 * How long it may take: a daemon that dies or is cut off fails the call in
 * flight after the connection's keepalive (see rhv_virt_open()); a daemon
 * that is alive but stuck on its storage (a hung NFS mount) answers
 * keepalives and is not bounded here: a monitor runs probes in workers
 * with its own deadline.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/sdmeta.h"
#include "rhv/virt.h"

/* Name prefix of the transient pools the probe creates: "rhv-md-<domain id>". */
#define RHV_SDPROBE_POOL_PREFIX "rhv-md-"

/* The metadata file as a host gave it. */
struct rhv_sdprobe_data {
	char *path; /* <root>/dom_md/metadata.json, as the host sees it */
	char *buf;  /* its bytes, NUL-terminated */
	size_t len;
};

/*
 * Read the metadata file of the file storage domain domain_id at root (an
 * absolute path as the host sees it) through host_name's libvirt
 * connection conn, into out (cleared first; rhv_sdprobe_data_clear() it
 * afterwards, also after a failure).  host_name only names the host in
 * messages.  Leaves a pool on the host (see above) for the next probe.
 * Returns: 0 on success; -1 with err
 *   RHV_EXIT_USAGE for a root that is not absolute or a domain_id that is
 *     not a UUID;
 *   RHV_EXIT_UNAVAILABLE when the host cannot be asked (connection lost,
 *     daemon dead: libvirt's classes), and when it cannot read the
 *     metadata: "host H cannot read storage domain metadata at PATH:
 *     <libvirt's reason>" (directory missing or unreadable, no
 *     metadata.json, read failing; a metadata.json the daemon may not open
 *     is skipped by libvirt's refresh, so it reads "no storage vol with
 *     matching name");
 *   RHV_EXIT_FAILED when the file is not a regular file of at most
 *     RHV_SDMETA_MAX_BYTES, and when looking pools up fails for another
 *     reason than the host (libvirt's class 1: no storage driver).
 */
int rhv_sdprobe_read(struct rhv_virt_conn *conn, const char *host_name, const char *root,
		     const char *domain_id, struct rhv_sdprobe_data *out, struct rhv_error *err);
void rhv_sdprobe_data_clear(struct rhv_sdprobe_data *d);

/*
 * Stop watching the domain at root from this host (domain removed or
 * detached): destroy the active transient pool whose target is
 * <root>/dom_md, whatever its name.  No such pool is success; a
 * persistent pool (defined by an administrator) is left alone.
 * Returns: 0 on success; -1 with err
 *   RHV_EXIT_USAGE for a root that is not absolute;
 *   RHV_EXIT_UNAVAILABLE when the host cannot be asked;
 *   other libvirt failures by libvirt's class (a pool busy: 4).
 */
int rhv_sdprobe_forget(struct rhv_virt_conn *conn, const char *root, struct rhv_error *err);
