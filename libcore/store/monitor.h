/*
 * What a monitoring pass (ops/monitor.c) reads and writes: a host's usage
 * and samples, its VMs as the store places them, guests it runs that the
 * store does not place there.  Each runs in the pass's transaction for the
 * host.  No libpq here.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"
#include "rhv/host.h"

/* How long the host has been unreachable, in ms (0 when it was not). */
int rhv_db_host_unreachable_ms(struct rhv_db *db, const char *host_id, int64_t *ms, struct rhv_error *err);
/* The host is NonResponsive: its running VMs become Unknown, each with an event saying why. */
int rhv_db_host_vms_unknown(struct rhv_db *db, const struct rhv_host *h, struct rhv_error *err);

/*
 * Record the host's CPU counters (ns since boot, all CPUs) and memory in
 * use, and that it answered.  cpu_pct gets its CPU use since the previous
 * reading as the store keeps it, "" when there is none yet.
 */
int rhv_db_host_usage(struct rhv_db *db, const char *host_id, unsigned long long cpu_total,
		      unsigned long long cpu_idle, unsigned long long mem_used, char cpu_pct[64], struct rhv_error *err);
/* A sample for the host's history, with the number of VMs it runs now. */
int rhv_db_host_sample(struct rhv_db *db, const char *host_id, const char *cpu_pct, unsigned long long mem_used,
		       struct rhv_error *err);

/* A VM the store places on a host or migrates to it. */
struct rhv_mon_vm {
	char id[37];
	char *name, *state;
	int vcpus;
	bool here;         /* it runs on the host */
	bool ha;           /* highly available */
	bool incoming;     /* it migrates to the host */
	long long cpu_time; /* guest CPU time at the last sample, ns; -1: none */
	long long since_ns; /* time since the last sample, ns; 0: none */
	int64_t gib;       /* memory, whole GiB rounded up */
	int64_t age;       /* seconds in its state */
	bool mirroring;    /* a vNIC on a port-mirroring profile */
};
/* The VMs on the host or migrating to it, by name, locked (FOR UPDATE). */
int rhv_db_host_mon_vms(struct rhv_db *db, const char *host_id, struct rhv_mon_vm **vms, size_t *n,
			struct rhv_error *err);
void rhv_mon_vms_free(struct rhv_mon_vm *vms, size_t n);
/*
 * Record a VM's usage: memory, CPU time, and its CPU use when pct is not
 * "" (then also a sample for its history on the host).
 */
int rhv_db_vm_usage(struct rhv_db *db, const char *vm_id, const char *host_id, const char *pct,
		    unsigned long long mem_used, unsigned long long cpu_time, struct rhv_error *err);

/*
 * A guest running on h that the store does not place there, reported the
 * first time it is seen and never touched.  When it is one of rhv's own VMs
 * placed elsewhere (say, a host that came back after confirm-down while the
 * VM was started again), one VM runs twice on shared disks: an ERROR naming
 * both hosts, for the admin to act on.
 */
int rhv_db_host_stray_guest(struct rhv_db *db, const struct rhv_host *h, const char *uuid, const char *name,
			    struct rhv_error *err);
/* Forget the stray guests of h not seen by this pass. */
int rhv_db_host_strays_gone(struct rhv_db *db, const char *host_id, struct rhv_error *err);

/* Drop host and VM samples older than hours. */
int rhv_db_samples_expire(struct rhv_db *db, int64_t hours, struct rhv_error *err);
