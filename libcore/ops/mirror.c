/*
 * Port mirroring on the hosts (ops/mirror.h): which bridge to which tap is
 * policy/mirror.c's answer from the store and the running domain's live
 * XML; the host script sets it with tc.  The host script also drops the
 * filters of every tap that is gone, so a release needs no tap names (the
 * domain, and its taps, are gone by then).
 */
#include "rhv/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/hostnet-priv.h"
#include "ops/mirror.h"
#include "rhv/cleanup.h"
#include "rhv/domxml.h"
#include "rhv/event.h"
#include "rhv/fence.h"
#include "rhv/mirror.h"
#include "store/vmnet.h"

/* The host script's "mirror" action over SSH; config NULL: only drop what is gone. */
static int on_host(struct rhv_db *db, const char *host_name, const char *config, struct rhv_error *err)
{
	struct rhv_fence_pm pm;
	struct rhv_hostnet_run run;
	int rc = -1;

	memset(&pm, 0, sizeof(pm));
	if (rhv_fence_pm_get(db, host_name, &pm, err) < 0)
		goto out;
	if (rhv_hostnet_ssh(&pm, "mirror", NULL, 0, config, 60, &run, err) < 0)
		goto out;
	if (run.status == 0) {
		rc = 0;
	} else {
		_cleanup_free_ char *why = NULL;

		/* what the script said, its lines joined */
		for (char *save = NULL, *line = run.errout ? strtok_r(run.errout, "\r\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\r\n", &save))
			rhv_xappendf(&why, "; ", "%s", line);
		rhv_error_set(err, run.status == 255 ? RHV_EXIT_UNAVAILABLE : RHV_EXIT_FAILED, "%s",
			      run.timed_out ? "the host did not answer within 60 s"
			      : why	    ? why
					    : "the host script failed");
	}
	rhv_hostnet_run_clear(&run);
out:
	rhv_fence_pm_clear(&pm);
	return rc;
}

static void warn(struct rhv_db *db, const struct rhv_vm *vm, const struct rhv_progress *p, const char *fmt, ...)
	RHV_PRINTF(4, 5);
static void warn(struct rhv_db *db, const struct rhv_vm *vm, const struct rhv_progress *p, const char *fmt, ...)
{
	struct rhv_error ignored = { 0 };
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		return;
	rhv_progress_warn(p, "%s", msg);
	rhv_event_add(db, RHV_SEV_WARNING, "vm", vm->id, vm->name, "port-mirroring", &ignored, "%s", msg);
}

void rhv_ops_mirror_apply(struct rhv_db *db, const struct rhv_vm *vm, const char *host_name,
			  const struct rhv_host_nets *hn, struct rhv_virt_dom *dom, const struct rhv_progress *p)
{
	_cleanup_free_ char *live = NULL, *config = NULL;
	_cleanup_free_ struct rhv_mirror_tap *taps = NULL;
	_cleanup_free_ struct rhv_mirror_port *ports = NULL;
	struct rhv_domxml_tap *t = NULL;
	struct rhv_error err = { 0 };
	size_t nt = 0, n;
	char why[256];

	if (!rhv_mirror_wanted(vm) || !hn || !hn->known)
		return;
	live = dom ? rhv_virt_dom_xml(dom) : NULL;
	if (!live || rhv_domxml_taps(live, &t, &nt, &err) < 0) {
		warn(db, vm, p, "port mirroring of VM '%s' not set up on host '%s': %s", vm->name, host_name,
		     err.code ? err.message : "cannot read the running domain");
		return;
	}
	taps = rhv_xcalloc(nt + 1, sizeof(*taps));
	for (size_t i = 0; i < nt; i++)
		taps[i] = (struct rhv_mirror_tap){ t[i].mac, t[i].dev };
	ports = rhv_xcalloc(vm->nnics + 1, sizeof(*ports));
	n = rhv_mirror_ports(vm, hn, taps, nt, ports, why, sizeof(why));
	if (why[0])
		warn(db, vm, p, "port mirroring of VM '%s' not set up on host '%s': %s", vm->name, host_name, why);
	for (size_t i = 0; i < n; i++)
		rhv_xappendf(&config, "\n", "tap %s %s", ports[i].bridge, ports[i].tap);
	if (n && on_host(db, host_name, config, &err) < 0)
		warn(db, vm, p, "port mirroring of VM '%s' not set up on host '%s': %s", vm->name, host_name,
		     err.message);
	else
		for (size_t i = 0; i < n; i++)
			rhv_progress_note(p, "VM '%s' gets a copy of the traffic of network '%s' on host '%s' (NIC %s)",
					  vm->name, ports[i].network, host_name, ports[i].mac);
	rhv_domxml_taps_free(t, nt);
}

static void sweep(struct rhv_db *db, const struct rhv_vm *vm, const char *host_id, const char *host_name,
		  const struct rhv_progress *p)
{
	struct rhv_db_host_nets nets = { 0 };
	struct rhv_error err = { 0 };

	if (!host_id || !host_name)
		return;
	if (rhv_db_host_nets(db, host_id, &nets, &err) < 0)
		warn(db, vm, p, "port mirroring of VM '%s' not removed from host '%s': %s", vm->name, host_name,
		     err.message);
	else if (nets.pub.known && on_host(db, host_name, NULL, &err) < 0)
		warn(db, vm, p, "port mirroring of VM '%s' not removed from host '%s': %s", vm->name, host_name,
		     err.message);
	rhv_db_host_nets_clear(&nets);
}

void rhv_ops_mirror_release(struct rhv_db *db, const struct rhv_vm *vm, const char *host_id, const char *host_name,
			    const struct rhv_progress *p)
{
	if (rhv_mirror_wanted(vm))
		sweep(db, vm, host_id, host_name, p);
}

void rhv_ops_mirror_sweep(struct rhv_db *db, const char *vm_id, const char *vm_name, const char *host_id,
			  const char *host_name, const struct rhv_progress *p)
{
	struct rhv_vm vm = { 0 };

	snprintf(vm.id, sizeof(vm.id), "%s", vm_id);
	vm.name = (char *)vm_name;
	sweep(db, &vm, host_id, host_name, p);
}
