/*
 * Domains: start, look up, state, power off, device plugging, disk sizes
 * (see rhv/virt.h).  Each failing call fills the caller's error from
 * libvirt's last error at once, before another libvirt call resets it.
 */
#include "rhv/common.h"

#include <stdarg.h>
#include <stdlib.h>

#include "virt/virt-priv.h"

struct rhv_virt_dom *rhv_virt_dom_wrap(virDomainPtr p)
{
	struct rhv_virt_dom *d;

	if (!p)
		return NULL;
	d = rhv_xcalloc(1, sizeof(*d));
	d->ptr = p;
	return d;
}

void rhv_virt_dom_free(struct rhv_virt_dom *d)
{
	if (!d)
		return;
	virDomainFree(d->ptr);
	free(d);
}

struct rhv_virt_dom *rhv_virt_dom_create(struct rhv_virt_conn *c, const char *xml, struct rhv_error *err,
					 const char *fmt, ...)
{
	virDomainPtr p = virDomainCreateXML(c->ptr, xml, 0);
	va_list ap;

	if (p)
		return rhv_virt_dom_wrap(p);
	va_start(ap, fmt);
	rhv_virt_verror(err, fmt, ap);
	va_end(ap);
	return NULL;
}

struct rhv_virt_dom *rhv_virt_dom_lookup(struct rhv_virt_conn *c, const char *uuid, struct rhv_error *err,
					 const char *fmt, ...)
{
	virDomainPtr p = virDomainLookupByUUIDString(c->ptr, uuid);
	va_list ap;

	if (p)
		return rhv_virt_dom_wrap(p);
	if (!err) {
		virResetLastError();
		return NULL;
	}
	va_start(ap, fmt);
	rhv_virt_verror(err, fmt, ap);
	va_end(ap);
	return NULL;
}

char *rhv_virt_dom_xml(struct rhv_virt_dom *d)
{
	return virDomainGetXMLDesc(d->ptr, 0);
}

int rhv_virt_dom_state(struct rhv_virt_dom *d, enum rhv_virt_state *state, bool *paused_on_io_error)
{
	int st = 0, reason = 0;

	if (virDomainGetState(d->ptr, &st, &reason, 0) < 0)
		return -1;
	*state = (enum rhv_virt_state)st;
	if (paused_on_io_error)
		*paused_on_io_error = st == VIR_DOMAIN_PAUSED && reason == VIR_DOMAIN_PAUSED_IOERROR;
	return 0;
}

int rhv_virt_dom_shutdown(struct rhv_virt_dom *d)
{
	return virDomainShutdown(d->ptr) == 0 ? 0 : -1;
}

int rhv_virt_dom_destroy(struct rhv_virt_dom *d, struct rhv_error *err, const char *fmt, ...)
{
	va_list ap;

	/* a guest that went away by itself meanwhile is off all the same */
	if (virDomainDestroy(d->ptr) == 0 || virDomainIsActive(d->ptr) != 1)
		return 0;
	va_start(ap, fmt);
	rhv_virt_verror(err, fmt, ap);
	va_end(ap);
	return -1;
}

int rhv_virt_dom_resume(struct rhv_virt_dom *d)
{
	return virDomainResume(d->ptr) == 0 ? 0 : -1;
}

/* The error of a failed device change, its class corrected for what the guest refused. */
static int device_error(struct rhv_virt_dom *d, struct rhv_error *err, const char *fmt, va_list ap)
{
	rhv_virt_verror(err, fmt, ap);
	if (err->code == RHV_EXIT_UNAVAILABLE && virConnectIsAlive(virDomainGetConnect(d->ptr)) == 1)
		err->code = RHV_EXIT_FAILED;
	return -1;
}

int rhv_virt_dom_attach(struct rhv_virt_dom *d, const char *xml, struct rhv_error *err, const char *fmt, ...)
{
	va_list ap;

	if (virDomainAttachDeviceFlags(d->ptr, xml, VIR_DOMAIN_AFFECT_LIVE) == 0)
		return 0;
	va_start(ap, fmt);
	device_error(d, err, fmt, ap);
	va_end(ap);
	return -1;
}

int rhv_virt_dom_detach(struct rhv_virt_dom *d, const char *xml, struct rhv_error *err, const char *fmt, ...)
{
	va_list ap;

	if (virDomainDetachDeviceFlags(d->ptr, xml, VIR_DOMAIN_AFFECT_LIVE) == 0)
		return 0;
	va_start(ap, fmt);
	device_error(d, err, fmt, ap);
	va_end(ap);
	return -1;
}

int rhv_virt_dom_update(struct rhv_virt_dom *d, const char *xml, struct rhv_error *err, const char *fmt, ...)
{
	va_list ap;

	if (virDomainUpdateDeviceFlags(d->ptr, xml, VIR_DOMAIN_AFFECT_LIVE) == 0)
		return 0;
	va_start(ap, fmt);
	device_error(d, err, fmt, ap);
	va_end(ap);
	return -1;
}

int rhv_virt_dom_block_info(struct rhv_virt_dom *d, const char *path, struct rhv_virt_block_info *out)
{
	virDomainBlockInfo bi;

	if (virDomainGetBlockInfo(d->ptr, path, &bi, 0) < 0)
		return -1;
	out->capacity = bi.capacity;
	out->allocation = bi.allocation;
	out->physical = bi.physical;
	return 0;
}
