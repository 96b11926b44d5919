/*
 * What the files of virt/ share and no other folder sees: the libvirt
 * handles behind the opaque types of rhv/virt.h, and libvirt's last error
 * turned into an rhv error.
 */
#pragma once

#include <stdarg.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "rhv/virt.h"

struct rhv_virt_conn {
	virConnectPtr ptr;
};

struct rhv_virt_dom {
	virDomainPtr ptr;
};

/*
 * Fill err from libvirt's last error of this thread, then reset it.  The
 * message is fmt's text, ": ", and libvirt's message on one line.  Exit
 * class from the libvirt error (rhv_virt_exit_class()); 1 when libvirt
 * recorded none.  Returns -1.
 */
int rhv_virt_error(struct rhv_error *err, const char *fmt, ...) RHV_PRINTF(2, 3);
/* The same with fmt's arguments in ap. */
int rhv_virt_verror(struct rhv_error *err, const char *fmt, va_list ap) RHV_PRINTF(2, 0);

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

/* A domain handle wrapped for the flows (takes ownership of p; NULL stays NULL). */
struct rhv_virt_dom *rhv_virt_dom_wrap(virDomainPtr p);

/* One layer of a disk's volume chain, as a domain's XML gives it (snapxml.c). */
struct rhv_virt_layer {
	char *path;
	int index; /* libvirt's index of the layer ("vda[3]"), -1 when the XML has none */
};
/*
 * The chain of disk target in xml, top first, into *out (caller frees with
 * rhv_virt_layers_free()) and *n; *mirror_ready (may be NULL): the disk's
 * block job says it is ready (<mirror ready='yes'>).  Returns 0, or -1
 * with err as rhv_virt_xml_disk_chain().
 */
int rhv_virt_xml_chain_layers(const char *xml, const char *target, struct rhv_virt_layer **out, size_t *n,
			      bool *mirror_ready, struct rhv_error *err);
void rhv_virt_layers_free(struct rhv_virt_layer *l, size_t n);
/* The <uuid> of a domain XML (caller frees), NULL when it has none (snapxml.c). */
char *rhv_virt_xml_uuid(const char *xml);
