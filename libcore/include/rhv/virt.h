/*
 * The libvirt layer, as the flows see it: a connection to a host's daemon
 * opened with a bounded wait, and the domain operations the flows need.
 * No libvirt type shows here; libcore/virt/ alone includes libvirt.
 *
 * libvirt never prints: the first call of rhv_virt_init() (made by
 * rhv_virt_open() too) installs an error handler that discards libvirt's
 * own reports; errors reach the user only through struct rhv_error.
 *
 * Errors: a failing call that takes err and fmt fills err with fmt's text,
 * ": ", and libvirt's message on one line.  The exit class comes from
 * libvirt's error:
 *   3  the object does not exist (domain, pool, volume, device...)
 *   4  wrong state or busy: operation not valid now, already exists,
 *      resource busy, another job holding the domain's state-change lock
 *   5  the daemon, host or guest agent cannot be reached (system and RPC
 *      errors, lost connection or keepalive timeout, authentication)
 *   1  anything else: a migration or QEMU start that went wrong, a CPU
 *      the host cannot give, a job cancelled; and no libvirt error at all
 */
#pragma once

#include "rhv/cleanup.h"
#include "rhv/common.h"
#include "rhv/error.h"

/* Default bound on opening a connection, in milliseconds. */
#define RHV_VIRT_OPEN_TIMEOUT_MS 10000

/* A connection to one host's libvirt daemon. */
struct rhv_virt_conn;
/* A domain (guest) on a connection; keeps its connection's reference. */
struct rhv_virt_dom;

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
 * Returns the connection (caller closes it with rhv_virt_close(), or
 * declares it _cleanup_virt_conn_), or NULL with err filled:
 * RHV_EXIT_UNAVAILABLE "cannot connect to host at URI: <reason>".
 */
struct rhv_virt_conn *rhv_virt_open(const char *uri, int timeout_ms, struct rhv_error *err);
/*
 * The same in two steps, so the caller works meanwhile: start (never
 * fails; with timeout_ms > 0 the worker starts connecting now, the
 * deadline counts from now), then finish (waits, and returns what
 * rhv_virt_open() would) or abandon (the worker closes what it gets).
 * Either one frees the opening; abandon takes NULL.
 */
struct rhv_virt_opening;
struct rhv_virt_opening *rhv_virt_open_start(const char *uri, int timeout_ms);
struct rhv_virt_conn *rhv_virt_open_finish(struct rhv_virt_opening *o, struct rhv_error *err);
void rhv_virt_open_abandon(struct rhv_virt_opening *o);
/* Close c (NULL is fine). */
void rhv_virt_close(struct rhv_virt_conn *c);

/*
 * Whether the host still answers on c.  Returns 0 when it does, -1 with err
 * filled (fmt's text and libvirt's reason) when it does not.
 */
int rhv_virt_check_alive(struct rhv_virt_conn *c, struct rhv_error *err, const char *fmt, ...) RHV_PRINTF(3, 4);

/* ---- domains ---- */

/* Domain states, numbered as libvirt's virDomainState. */
enum rhv_virt_state {
	RHV_VIRT_NOSTATE = 0,
	RHV_VIRT_RUNNING = 1,
	RHV_VIRT_BLOCKED = 2,
	RHV_VIRT_PAUSED = 3,
	RHV_VIRT_SHUTDOWN = 4, /* being shut down */
	RHV_VIRT_SHUTOFF = 5,
	RHV_VIRT_CRASHED = 6,
	RHV_VIRT_PMSUSPENDED = 7,
};

/*
 * Start a transient domain from xml (virDomainCreateXML).  Returns the
 * running domain (caller frees it with rhv_virt_dom_free()), or NULL with
 * err filled.
 */
struct rhv_virt_dom *rhv_virt_dom_create(struct rhv_virt_conn *c, const char *xml, struct rhv_error *err,
					 const char *fmt, ...) RHV_PRINTF(4, 5);
/*
 * The domain of UUID uuid on c.  Returns it (caller frees), or NULL: with
 * err filled when err is given, silently when err is NULL.
 */
struct rhv_virt_dom *rhv_virt_dom_lookup(struct rhv_virt_conn *c, const char *uuid, struct rhv_error *err,
					 const char *fmt, ...) RHV_PRINTF(4, 5);
void rhv_virt_dom_free(struct rhv_virt_dom *d);

/* The domain's live XML (caller frees), or NULL when libvirt gives none. */
char *rhv_virt_dom_xml(struct rhv_virt_dom *d);
/*
 * The domain's state, and whether it is paused because its storage failed
 * (ENOSPC on a thin disk; paused_on_io_error may be NULL).  Returns 0, or
 * -1 when libvirt cannot tell (the domain gone, the host).
 */
int rhv_virt_dom_state(struct rhv_virt_dom *d, enum rhv_virt_state *state, bool *paused_on_io_error);
/* Ask the guest to shut down (ACPI).  Returns 0 when the request was sent, -1 otherwise. */
int rhv_virt_dom_shutdown(struct rhv_virt_dom *d);
/*
 * Power the domain off.  Returns 0 when it is off (also when the destroy
 * failed but the domain is no longer active), -1 with err filled when it
 * still runs.
 */
int rhv_virt_dom_destroy(struct rhv_virt_dom *d, struct rhv_error *err, const char *fmt, ...) RHV_PRINTF(3, 4);
/* Resume a paused domain.  Returns 0, or -1. */
int rhv_virt_dom_resume(struct rhv_virt_dom *d);

/*
 * Plug the device of xml into the running domain (attach), or change the
 * one it names (update: a CD-ROM's medium).  Live only.  libvirt reports
 * the guest's own refusals (a file QEMU cannot open) as system errors,
 * which would read as "host unreachable" (5): while the host answers, it
 * is the operation that failed (1).  Returns 0, or -1 with err filled.
 */
int rhv_virt_dom_attach(struct rhv_virt_dom *d, const char *xml, struct rhv_error *err, const char *fmt, ...)
	RHV_PRINTF(4, 5);
int rhv_virt_dom_update(struct rhv_virt_dom *d, const char *xml, struct rhv_error *err, const char *fmt, ...)
	RHV_PRINTF(4, 5);
/*
 * Ask the running domain to release the device of xml (a NIC: found by its
 * MAC).  The guest takes part: libvirt waits a few seconds for it and may
 * return 0 with the device still there, so the caller checks the live XML.
 * Errors as rhv_virt_dom_attach().
 */
int rhv_virt_dom_detach(struct rhv_virt_dom *d, const char *xml, struct rhv_error *err, const char *fmt, ...)
	RHV_PRINTF(4, 5);

/* Sizes of one disk of a running domain, in bytes, as QEMU sees it. */
struct rhv_virt_block_info {
	unsigned long long capacity;   /* what the guest sees */
	unsigned long long allocation; /* the guest's high-water mark */
	unsigned long long physical;   /* what the host file holds */
};
/* The sizes of the domain's disk whose source is path.  Returns 0, or -1. */
int rhv_virt_dom_block_info(struct rhv_virt_dom *d, const char *path, struct rhv_virt_block_info *out);

/* ---- live migration ---- */

struct rhv_virt_migration {
	const char *uri;              /* QEMU's stream: "tcp://HOST" */
	unsigned long long bandwidth; /* MiB/s; 0: libvirt's default */
	/*
	 * Migrate although libvirt calls it unsafe: the VM's disks are on
	 * storage shared by every host (a mount libvirt cannot tell from a
	 * local file system).
	 */
	bool unsafe;
};

/*
 * Live-migrate d to the host of dst (virDomainMigrate3, the flag VIR_MIGRATE_LIVE).
 * Blocks until the migration ends; another thread may watch it
 * with rhv_virt_dom_job() and cancel it with rhv_virt_dom_abort_job().
 * Returns 0, or -1 with err filled.
 */
int rhv_virt_dom_migrate(struct rhv_virt_dom *d, struct rhv_virt_conn *dst, const struct rhv_virt_migration *m,
			 struct rhv_error *err, const char *fmt, ...) RHV_PRINTF(5, 6);

/* Progress of the domain's job, in bytes of data to move. */
struct rhv_virt_job {
	unsigned long long data_total, data_remaining;
};
/* Returns 0 when the domain runs a job (out filled), -1 when none or unknown. */
int rhv_virt_dom_job(struct rhv_virt_dom *d, struct rhv_virt_job *out);
/* Cancel the domain's job (a migration). */
void rhv_virt_dom_abort_job(struct rhv_virt_dom *d);

/* ---- what a host runs ---- */

struct rhv_virt_node_stats {
	unsigned long long cpu_total, cpu_idle; /* ns since boot, all CPUs */
	unsigned long long mem_total, mem_used; /* bytes; used: not free, buffers or cache */
};
/* The host's CPU times and memory; fields stay 0 where the host does not tell. */
void rhv_virt_node_stats(struct rhv_virt_conn *c, struct rhv_virt_node_stats *out);

struct rhv_virt_guest {
	char uuid[37];
	char *name;
	enum rhv_virt_state state;
	unsigned long long cpu_time; /* ns */
	unsigned long long mem_used; /* bytes: the balloon's RSS, else its current size */
};
/*
 * Every domain of the host, in libvirt's order, into *out (caller frees
 * with rhv_virt_guests_free()) and *n.  Returns 0, or -1 (nothing
 * allocated) when the host does not list them.
 */
int rhv_virt_guests(struct rhv_virt_conn *c, struct rhv_virt_guest **out, size_t *n);
void rhv_virt_guests_free(struct rhv_virt_guest *g, size_t n);

RHV_DEFINE_CLEANUP(struct rhv_virt_conn *, rhv_virt_close)
RHV_DEFINE_CLEANUP(struct rhv_virt_dom *, rhv_virt_dom_free)
#define _cleanup_virt_conn_ _cleanup_(rhv_virt_close_cleanup)
#define _cleanup_virt_dom_ _cleanup_(rhv_virt_dom_free_cleanup)
