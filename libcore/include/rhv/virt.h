/*
 * The libvirt connection layer: opening a host's daemon with a bounded
 * wait, and turning libvirt's errors into rhv errors.
 *
 * libvirt never prints here: the first call of rhv_virt_init() (made by
 * rhv_virt_open() too) installs an error handler that discards libvirt's
 * own reports; errors reach the user only through struct rhv_error.
 */
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "rhv/cleanup.h"
#include "rhv/common.h"
#include "rhv/error.h"

/* Default bound on opening a connection, in milliseconds. */
#define RHV_VIRT_OPEN_TIMEOUT_MS 10000

/*
 * Set libvirt up for this process, once (thread-safe, idempotent):
 * virInitialize(), a silent error handler, and libvirt's default event loop
 * running in a detached background thread (keepalive needs it).  Returns 0,
 * or -1 with err filled when libvirt cannot be initialized.
 */
int rhv_virt_init(struct rhv_error *err);

/*
 * Open a read-write connection to the libvirt daemon at uri.  Credentials
 * are never prompted for: an authentication callback refuses every request.
 *
 * How long it may take: libvirt's own open has no deadline (a dead TCP
 * peer keeps connect() waiting for minutes, a stopped daemon or a wedged
 * SSH keeps the handshake waiting forever).  With timeout_ms > 0 the open
 * runs in a worker thread that is abandoned after timeout_ms: the call
 * returns then, and the worker closes whatever it eventually gets.  Once
 * open, the connection gets libvirt keepalive (interval = timeout rounded
 * up to whole seconds, at most 5 s; 3 missed answers), so a host that dies
 * later fails the RPC in flight after a few intervals instead of hanging
 * it.  timeout_ms <= 0: no bound and no keepalive.
 *
 * Returns the connection (caller closes it with virConnectClose(), or
 * declares it _cleanup_virconn_), or NULL with err filled:
 * RHV_EXIT_UNAVAILABLE "cannot connect to host at URI: <reason>".
 */
virConnectPtr rhv_virt_open(const char *uri, int timeout_ms, struct rhv_error *err);

/*
 * Fill err from libvirt's last error of this thread, then reset it.  The
 * message is fmt's text, ": ", and libvirt's message on one line.  Exit
 * class from the libvirt error (rhv_virt_exit_class()); 1 when libvirt
 * recorded none.  Returns -1.
 */
int rhv_virt_error(struct rhv_error *err, const char *fmt, ...) RHV_PRINTF(2, 3);

/*
 * The exit class of a libvirt error (virError's code and domain):
 *   3  the object does not exist (domain, network, pool, volume, snapshot,
 *      device)
 *   4  wrong state or busy: operation not valid now (VIR_ERR_OPERATION_INVALID),
 *      already exists, resource busy, and VIR_ERR_OPERATION_TIMEOUT, which
 *      libvirt reports when another job holds the domain's state-change lock
 *   5  the daemon, host or guest agent cannot be reached: system errors
 *      (socket, I/O), RPC failures, no or lost connection (keepalive
 *      timeout included: any other error of domain VIR_FROM_RPC),
 *      authentication failures, guest agent unresponsive
 *   1  anything else, including VIR_ERR_OPERATION_FAILED (a real failure,
 *      such as a migration or a QEMU start that went wrong),
 *      VIR_ERR_CPU_INCOMPATIBLE (the host cannot give the CPU model) and
 *      VIR_ERR_OPERATION_ABORTED (a job cancelled)
 */
enum rhv_exit rhv_virt_exit_class(int code, int domain);

RHV_DEFINE_CLEANUP(virConnectPtr, virConnectClose)
RHV_DEFINE_CLEANUP(virDomainPtr, virDomainFree)
#define _cleanup_virconn_ _cleanup_(virConnectClose_cleanup)
#define _cleanup_virdomain_ _cleanup_(virDomainFree_cleanup)
