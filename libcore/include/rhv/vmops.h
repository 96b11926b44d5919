/*
 * What VMs do on their hosts: start (placed by the scheduler), stop,
 * shutdown, live migration.  Each claims its VM in a short transaction,
 * talks to libvirt outside any transaction, then records the outcome, so a
 * slow host never holds a lock and two admins never act on one VM at once.
 */
#pragma once

#include <stdio.h>
#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;
struct rhv_progress;

/* How the scheduler saw one host, for --explain. */
struct rhv_placement_row {
	char *host;
	bool eligible, chosen;
	char *reason; /* why it was filtered out; NULL if eligible */
	double weight;
	char *scores; /* "EvenDistributionCPU 0.12x2, ..." */
};

struct rhv_placement {
	char *policy;
	struct rhv_placement_row *rows;
	size_t n;
};

void rhv_placement_clear(struct rhv_placement *p);
/* Print the scheduler's reasoning as a table: every host, its verdict and weight. */
void rhv_placement_print(const struct rhv_placement *p, FILE *out);
/*
 * The placement of a VM over a snapshot already built (rhv-balance explain):
 * the same filters and weights start and migrate use.
 */
struct rhv_sched_host;
struct rhv_sched_vm;
struct rhv_sched_params;
int rhv_placement_compute(const struct rhv_sched_host *hosts, size_t n, const struct rhv_sched_vm *vm, int policy,
			  const struct rhv_sched_params *params, struct rhv_placement *out);

/*
 * Start a Down VM on host (NULL: the scheduler picks).  explain, if not
 * NULL, receives every host's verdict and weight.
 * Returns: 0; or -1 with RHV_EXIT_NOTFOUND, RHV_EXIT_CONFLICT (not Down,
 * no host can take it: the detail says why), RHV_EXIT_UNAVAILABLE (the
 * host did not answer), RHV_EXIT_FAILED (QEMU would not start).
 */
int rhv_vm_start(struct rhv_db *db, const char *name, const char *host, struct rhv_placement *explain,
		 const struct rhv_progress *p, struct rhv_error *err);
/* Power off at once. */
int rhv_vm_stop(struct rhv_db *db, const char *name, const struct rhv_progress *p, struct rhv_error *err);
/* ACPI shutdown, then power off after timeout seconds (< 0: the VmShutdownTimeoutSeconds setting). */
int rhv_vm_shutdown(struct rhv_db *db, const char *name, int timeout, const struct rhv_progress *p,
		    struct rhv_error *err);
/* Live-migrate to host (NULL: the scheduler picks), within reference 5.9's limits. */
int rhv_vm_migrate(struct rhv_db *db, const char *name, const char *host, struct rhv_placement *explain,
		   const struct rhv_progress *p, struct rhv_error *err);
