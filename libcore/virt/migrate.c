/*
 * Live migration: the call that moves a domain, and the job it runs for
 * a watcher in another thread (see rhv/virt.h).
 */
#include "rhv/common.h"

#include <stdarg.h>

#include "virt/virt-priv.h"

int rhv_virt_dom_migrate(struct rhv_virt_dom *d, struct rhv_virt_conn *dst, const struct rhv_virt_migration *m,
			 struct rhv_error *err, const char *fmt, ...)
{
	virTypedParameterPtr params = NULL;
	int nparams = 0, maxparams = 0;
	unsigned flags = VIR_MIGRATE_LIVE | (m->unsafe ? VIR_MIGRATE_UNSAFE : 0);
	virDomainPtr moved;
	va_list ap;

	virTypedParamsAddString(&params, &nparams, &maxparams, VIR_MIGRATE_PARAM_URI, m->uri);
	virTypedParamsAddULLong(&params, &nparams, &maxparams, VIR_MIGRATE_PARAM_BANDWIDTH, m->bandwidth);
	moved = virDomainMigrate3(d->ptr, dst->ptr, params, (unsigned)nparams, flags);
	if (!moved) {
		va_start(ap, fmt);
		rhv_virt_verror(err, fmt, ap);
		va_end(ap);
	} else {
		virDomainFree(moved);
	}
	virTypedParamsFree(params, nparams);
	return moved ? 0 : -1;
}

int rhv_virt_dom_job(struct rhv_virt_dom *d, struct rhv_virt_job *out)
{
	virDomainJobInfo info;

	if (virDomainGetJobInfo(d->ptr, &info) < 0 || info.type != VIR_DOMAIN_JOB_UNBOUNDED)
		return -1;
	out->data_total = info.dataTotal;
	out->data_remaining = info.dataRemaining;
	return 0;
}

void rhv_virt_dom_abort_job(struct rhv_virt_dom *d)
{
	virDomainAbortJob(d->ptr);
}
