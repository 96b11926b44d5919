/*
 * The storage-held SPM lease: a delta lease in a regular file on a shared
 * file storage domain (no sanlock daemon, no device-mapper).
 *
 * The file is RHV_LEASE_SLOTS sectors of RHV_LEASE_SECTOR bytes.  Sector 0
 * is the lease record (holder's host id and name, generation, renewal time,
 * per-write counter, the holder's timing, checksum); sector h (1..2000) is
 * host h's "intent" slot, where a candidate writes its claim during an
 * election.  Every record carries a CRC-32C: a torn or corrupted record is
 * reported as unknown (RHV_EXIT_UNAVAILABLE), never read as free.
 *
 * The generation grows by one on every takeover and is the fencing token:
 * a metadata change is made only after rhv_lease_check() says the token it
 * was decided under is still current.
 *
 * Timing follows sanlock, derived from io_timeout N (default 10 s):
 * renewal every 2N (20 s), expired 8N after the last renewal (80 s: the
 * holder must stop acting as SPM), dead 8N + watchdog after it (140 s with
 * a 60 s watchdog): only then, or with an admin's confirmation that the
 * holder is down (force), may another host take over.  Expiry is judged on
 * the wall clock the holder wrote, so hosts' clocks must agree to well
 * within the watchdog margin (NTP).
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

#define RHV_LEASE_SECTOR 512
#define RHV_LEASE_MAX_HOSTS 2000
#define RHV_LEASE_SLOTS (RHV_LEASE_MAX_HOSTS + 1)
#define RHV_LEASE_NAME_MAX 64

struct rhv_lease_timing {
	int64_t io_timeout_ms; /* sanlock's N; 0 = 10000 */
	int64_t watchdog_ms;   /* margin after expiry; 0 = 6 N (60 s at N = 10 s) */
	/* Wall clock in ms since the epoch; NULL = CLOCK_REALTIME.  For tests. */
	int64_t (*now_ms)(void *clock_data);
	/* Sleep ms milliseconds; NULL = nanosleep.  A test clock advances itself. */
	void (*sleep_ms)(void *clock_data, int64_t ms);
	void *clock_data;
};

/* The derived limits, all in ms. */
struct rhv_lease_limits {
	int64_t io_timeout;     /* N */
	int64_t renewal;        /* 2 N: how often the holder should renew */
	int64_t expiry;         /* 8 N: the holder stops acting after this */
	int64_t dead;           /* 8 N + watchdog: others may take over after this */
	int64_t election_delay; /* 2 N: the wait between writing a claim and reading back */
};

struct rhv_lease_state {
	bool held;       /* an owner is recorded (not free, not released) */
	int owner;       /* host id, 0 when free */
	char owner_name[RHV_LEASE_NAME_MAX];
	uint64_t generation; /* 0 = never taken */
	uint64_t seq;        /* per-write counter of the record */
	int64_t renewed_ms;  /* the holder's last renewal, epoch ms */
	int64_t expires_ms;  /* renewed + expiry (by the holder's timing) */
	int64_t dead_ms;     /* renewed + dead: takeover allowed from here */
	bool expired;        /* now >= expires_ms */
	bool dead;           /* now >= dead_ms */
};

/* Fill out from t (NULL = defaults). */
void rhv_lease_limits(const struct rhv_lease_timing *t, struct rhv_lease_limits *out);

/*
 * Create and format the lease file at path if it is absent or empty, free
 * at generation (0 for a new data center; when the lease moves to a new
 * master domain, the last generation known, so tokens never go back).
 * Leave a formatted file alone (safe to repeat; two first inits racing
 * write the same free record, but run the first init before any host
 * elects).  A formatted file whose generation is below generation (a
 * former master's lease in use again) is raised to it, free: its old
 * holder's token no longer matches.
 * Returns: 0 on success; -1 with err RHV_EXIT_UNAVAILABLE when the file
 * cannot be created, written or synced, or exists with a corrupt or foreign
 * lease record.
 */
int rhv_lease_init(const char *path, uint64_t generation, struct rhv_error *err);

/*
 * Read the lease record into out; t gives the clock (NULL = defaults).
 * Returns: 0 on success; -1 with err RHV_EXIT_UNAVAILABLE on an I/O error,
 * a missing or unformatted file, or a corrupt (torn) record.
 */
int rhv_lease_read(const char *path, struct rhv_lease_state *out, const struct rhv_lease_timing *t,
		   struct rhv_error *err);

/*
 * Take the lease for host_id (1..2000), named name, by election: read the
 * record and every intent slot, write our claim, wait election_delay, read
 * everything back and win only if nothing changed and no other fresh claim
 * ranks above ours.  Succeeds when the lease is free, released, dead (8N +
 * watchdog after the last renewal) or already ours and live; on a takeover
 * the generation grows by one.  force: an admin confirmed the holder is
 * down, so its liveness is not waited for (the election still runs and the
 * generation still grows; if the "down" holder renews meanwhile, the
 * election is lost with a retryable conflict).  The caller retries
 * retryable errors after a short random pause.  Safety needs each
 * candidate's read-then-claim to land within io_timeout (checked, else
 * given up) and no process stalled for 3N + watchdog between its last
 * check and its write landing (sanlock's watchdog guarantees that; here
 * nothing does, see lease.c).  *generation receives the token to pass to
 * renew, release and check.
 * Returns: 0 on success; -1 with err
 *   RHV_EXIT_USAGE for a host id out of range;
 *   RHV_EXIT_CONFLICT when another live (or expired but not yet dead)
 *     host holds it: the message names the holder and when takeover is
 *     allowed; with err->retryable when another election is running, was
 *     lost, or the record changed under us;
 *   RHV_EXIT_UNAVAILABLE on I/O errors, corrupt records, or storage slower
 *     than io_timeout (err->retryable), which voids the timing argument.
 */
int rhv_lease_acquire(const char *path, int host_id, const char *name,
		      const struct rhv_lease_timing *t, bool force, uint64_t *generation,
		      struct rhv_error *err);

/*
 * Renew host_id's lease taken under generation: record a new renewal time.
 * Returns: 0 on success; -1 with err RHV_EXIT_CONFLICT if the generation
 * moved on, the lease was released or it already expired (the holder must
 * stop and re-acquire); RHV_EXIT_UNAVAILABLE on I/O errors, a corrupt
 * record or a renewal slower than io_timeout.
 */
int rhv_lease_renew(const char *path, int host_id, uint64_t generation,
		    const struct rhv_lease_timing *t, struct rhv_error *err);

/*
 * Give the lease up; the generation is kept, so the next holder bumps it.
 * Returns: 0 on success; -1 with err RHV_EXIT_CONFLICT if host_id does not
 * hold it under generation; RHV_EXIT_UNAVAILABLE on I/O errors or a
 * corrupt record.
 */
int rhv_lease_release(const char *path, int host_id, uint64_t generation,
		      const struct rhv_lease_timing *t, struct rhv_error *err);

/*
 * The fencing-token check every metadata change makes first.
 * Returns: 0 if host_id holds the lease under generation and it has not
 * expired; -1 with err RHV_EXIT_CONFLICT ("the SPM generation moved on
 * (N -> M)", "... was released", "... expired"); RHV_EXIT_UNAVAILABLE on
 * I/O errors or a corrupt record.
 */
int rhv_lease_check(const char *path, int host_id, uint64_t generation,
		    const struct rhv_lease_timing *t, struct rhv_error *err);
