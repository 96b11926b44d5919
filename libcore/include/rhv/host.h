/*
 * Hosts: libvirt daemons reached by URI, each in one cluster (reference
 * 1.2, 10.3, 10.6).  The store keeps what was learned from each host and
 * its state; host.c talks to the hosts, db-host.c to the store.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;

/* Host states, oVirt's names. */
#define RHV_HOST_UP "Up"
#define RHV_HOST_MAINTENANCE "Maintenance"
#define RHV_HOST_PREPARING "PreparingForMaintenance"
#define RHV_HOST_CONNECTING "Connecting"
#define RHV_HOST_NONRESPONSIVE "NonResponsive"
#define RHV_HOST_NONOPERATIONAL "NonOperational"
#define RHV_HOST_DOWN "Down"
#define RHV_HOST_REBOOT "Reboot" /* being restarted through power management */

#define RHV_HOSTS_PER_DC_MAX 200 /* reference 10.2 */
#define RHV_SPM_PRIORITY_DEFAULT 5

/* What a host told us about itself (libvirt capabilities, node info). */
struct rhv_host_facts {
	char *hostname;
	char libvirt_uuid[37];
	char *arch;
	char *cpu_vendor; /* "Intel", "AMD" */
	char *cpu_model;  /* libvirt's model name of the host CPU */
	char **cpu_flags; /* NULL-terminated, expanded feature list */
	int sockets, cores, threads, cpus;
	uint64_t memory; /* bytes */
	bool kvm;        /* hardware virtualization usable by the daemon */
	/*
	 * The ids of the CPU types of its own vendor whose model its guests can
	 * be given (under KVM, or TCG when emulated), NULL-terminated, lowest
	 * level first.
	 */
	char **cpu_types;
	char libvirt_version[16], qemu_version[16];
};

struct rhv_host {
	char id[37];
	char *name, *cluster, *dc, *uri;
	int spm_priority;
	uint64_t memory_limit; /* 0: none */
	bool emulated;         /* accepted without hardware virtualization (guests run on TCG) */
	char *state, *state_reason;
	int64_t state_since;
	int64_t unreachable_since; /* 0 when reachable */
	bool is_spm;
	char *hostname, *cpu_vendor, *cpu_model, *cpu_flags; /* flags comma-separated */
	char *cpu_types; /* the CPU types it can run, comma-separated; NULL until read */
	int sockets, cores, threads, cpus;
	uint64_t memory;
	bool kvm, has_facts;
	char *libvirt_version, *qemu_version;
	bool has_usage;
	double cpu_pct;
	uint64_t mem_used;
	int64_t last_seen;
	int vms;                /* VMs placed on it (running, starting, leaving) */
	uint64_t mem_committed; /* their memory plus incoming migrations */
	/* its current outage, as the monitor tracks it (0 / NULL: none) */
	int failed_checks;
	int64_t soft_fenced_at, nonresponsive_at, fence_attempt_at;
	char *recovery_note;    /* why the monitor holds back */
	bool power_saving_off;  /* powered off by power saving, not by a failure */
};

struct rhv_host_list {
	struct rhv_host *items;
	size_t n;
};

struct rhv_host_spec {
	const char *name;
	const char *new_name;
	const char *cluster;
	const char *uri;
	const char *spm_priority; /* -1..10, text as given */
	const char *memory_limit; /* size, or "none" */
	int emulated;             /* -1 unchanged */
};

void rhv_host_facts_clear(struct rhv_host_facts *f);
void rhv_host_clear(struct rhv_host *h);
void rhv_host_list_clear(struct rhv_host_list *l);

/*
 * Whether a host fits its cluster (reference 10.3, 10.6): the CPU vendor
 * of the cluster's type, the cluster's CPU model (one of f->cpu_types),
 * virtualization extensions (unless emulated) and NX.  Pure.  Returns NULL
 * when it fits, else the reason, written into buf.
 */
const char *rhv_host_misfit(const char *cluster_cpu_type, const struct rhv_host_facts *f, bool emulated, char *buf,
			    size_t len);

/* Store layer (db-host.c). */
int rhv_host_get(struct rhv_db *db, const char *name, struct rhv_host *out, struct rhv_error *err);
/* cluster NULL: all; state NULL: any. */
int rhv_host_list(struct rhv_db *db, const char *cluster, struct rhv_host_list *out, struct rhv_error *err);
int rhv_host_edit(struct rhv_db *db, const struct rhv_host_spec *spec, struct rhv_error *err);
/* Only in Maintenance and with no VMs. */
int rhv_host_remove(struct rhv_db *db, const char *name, struct rhv_error *err);

/* Operations that talk to the host (host.c). */
int rhv_host_add(struct rhv_db *db, const struct rhv_host_spec *spec, struct rhv_error *err);
/* Re-read the host and leave Maintenance/NonOperational: Up, or NonOperational with the reason. */
int rhv_host_activate(struct rhv_db *db, const char *name, struct rhv_error *err);
/* Re-read the host's facts without changing its state (unless it no longer fits). */
int rhv_host_refresh(struct rhv_db *db, const char *name, struct rhv_error *err);

struct rhv_progress;
struct rhv_batch;

/*
 * Move every VM off the host by live migration (the scheduler picks each
 * target), then put it into Maintenance.  A VM that cannot move is in the
 * batch with the reason; the host then stays PreparingForMaintenance.
 * Returns: 0 (check the batch), or -1 for the host itself.
 */
int rhv_host_maintenance(struct rhv_db *db, const char *name, const struct rhv_progress *p, struct rhv_batch *out,
			 struct rhv_error *err);

/*
 * One monitoring pass over every host (monitor.c): samples, reconciling
 * guests with the store, Up -> Connecting -> NonResponsive after the grace
 * time.  Hosts another pass is working on are skipped.  The batch has one
 * line per host.
 */
int rhv_monitor_pass(struct rhv_db *db, const struct rhv_progress *p, struct rhv_batch *out, struct rhv_error *err);
