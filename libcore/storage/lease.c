/*
 * The SPM delta lease in a shared file.  See rhv/lease.h for the layout and
 * the timing rule.
 *
 * Why two simultaneous candidates cannot both win.  A candidate
 *   1. reads the record (sector 0) and every intent slot at time r, and
 *      backs off if another host's claim is fresh;
 *   2. writes its own claim; if that write completed later than r + N it
 *      gives up (the bound below would not hold);
 *   3. waits D = 2N, then reads every intent slot and then the record;
 *   4. wins only if no other fresh claim ranks above its own (ticket,
 *      nonce, host id) and the record is unchanged;
 *   5. writes the record (owner, generation = ticket), then withdraws its
 *      claim.
 * Take two candidates A and B that both passed step 1.  Each read before
 * the other's claim was on storage (otherwise it would have backed off), so
 * B's claim landed by r_B + N < w_A + N <= w_A + D, before A's read-back,
 * and symmetrically; both see both claims and only the higher ranked one
 * proceeds.  A latecomer that read after a claim landed backs off at step
 * 1; one that read the record before a winner wrote it and the slots after
 * the winner withdrew its claim sees the record changed at step 4.  That
 * is why step 4 reads the slots before the record: a winner writes the
 * record, then withdraws, so a reader sees its claim or its record (the
 * record-first order missed both; the ext4 race test caught it).
 * A claim stays fresh for 8N + watchdog, far longer than a winner may take
 * from r to its record write (checked: 5N, plus the write itself), so a
 * slow winner's claim is never mistaken for an abandoned one; the price is
 * that a candidate that crashed mid-election blocks others that long, as a
 * crashed holder does.  What no user-space code
 * can check is a process stopped between that check and its write landing;
 * sanlock kills the host with a watchdog there, we have none, and the
 * fencing token (owner and generation, checked by rhv_lease_check) is what
 * limits the damage: after any write only one host passes the check.
 *
 * The sectors and the file's I/O are in lease-disk.c; this file holds the
 * timing and the protocol.
 */
#include "rhv/common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rhv/lease.h"

#include "storage/lease-priv.h"

/* ---- clock ---- */

static int64_t clock_now(const struct rhv_lease_timing *t)
{
	struct timespec ts;

	if (t && t->now_ms)
		return t->now_ms(t->clock_data);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void clock_sleep(const struct rhv_lease_timing *t, int64_t ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	if (t && t->sleep_ms) {
		t->sleep_ms(t->clock_data, ms);
		return;
	}
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void fmt_time(int64_t ms, char *buf, size_t len)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&s, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld ms", (long long)ms);
}

void rhv_lease_limits(const struct rhv_lease_timing *t, struct rhv_lease_limits *out)
{
	int64_t n = t && t->io_timeout_ms > 0 ? t->io_timeout_ms : 10000;
	int64_t wd = t && t->watchdog_ms > 0 ? t->watchdog_ms : 6 * n;

	out->io_timeout = n;
	out->renewal = 2 * n;
	out->expiry = 8 * n;
	out->dead = 8 * n + wd;
	out->election_delay = 2 * n;
}

/* Limits for judging a record: the longer of the holder's and ours. */
static void record_limits(const struct lease_disk *d, const struct rhv_lease_timing *t,
			  struct rhv_lease_limits *lim)
{
	struct rhv_lease_timing rec = { .io_timeout_ms = d->io_timeout_ms,
					.watchdog_ms = d->watchdog_ms };
	struct rhv_lease_limits mine;

	rhv_lease_limits(&rec, lim);
	rhv_lease_limits(t, &mine);
	if (mine.expiry > lim->expiry)
		lim->expiry = mine.expiry;
	if (mine.dead > lim->dead)
		lim->dead = mine.dead;
}

static void fill_state(const struct lease_disk *d, const struct rhv_lease_timing *t, int64_t now,
		       struct rhv_lease_state *out)
{
	struct rhv_lease_limits lim;

	record_limits(d, t, &lim);
	memset(out, 0, sizeof(*out));
	out->held = d->owner != 0;
	out->owner = (int)d->owner;
	snprintf(out->owner_name, sizeof(out->owner_name), "%s", d->owner ? d->owner_name : "");
	out->generation = d->generation;
	out->seq = d->seq;
	out->renewed_ms = d->renewed_ms;
	out->expires_ms = d->renewed_ms + lim.expiry;
	out->dead_ms = d->renewed_ms + lim.dead;
	out->expired = out->held && now >= out->expires_ms;
	out->dead = out->held && now >= out->dead_ms;
}

static int check_host(int host_id, struct rhv_error *err)
{
	if (host_id < 1 || host_id > RHV_LEASE_MAX_HOSTS)
		return rhv_error_usage(err, "invalid host id %d: expected 1..%d", host_id,
				       RHV_LEASE_MAX_HOSTS);
	return 0;
}

/* ---- public ---- */

int rhv_lease_read(const char *path, struct rhv_lease_state *out, const struct rhv_lease_timing *t,
		   struct rhv_error *err)
{
	struct lease_file lf;
	struct lease_disk d;
	int rc;

	if (rhv_lease_file_open(&lf, path, 0, err) < 0)
		return -1;
	rc = rhv_lease_record_read(&lf, &d, err);
	if (rc == 0)
		fill_state(&d, t, clock_now(t), out);
	rhv_lease_file_close(&lf);
	return rc;
}

static uint64_t random_nonce(void)
{
	uint64_t v = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
			v = 0;
		close(fd);
	}
	if (!v) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
	}
	return v;
}

/* Does claim a rank above claim b?  Tickets first, then nonce, then host id. */
static bool ranks_above(const struct intent_disk *a, const struct intent_disk *b)
{
	if (a->ticket != b->ticket)
		return a->ticket > b->ticket;
	if (a->nonce != b->nonce)
		return a->nonce > b->nonce;
	return a->host_id > b->host_id;
}

/*
 * Look at every other host's intent slot in lf->buf (sectors 1..).  With
 * mine NULL (before our claim): a fresh claim for a generation beyond the
 * record's means an election is running.  With mine: a fresh claim that
 * ranks above ours means we lost.  A corrupt slot is an unknown claim.
 */
static int scan_intents(struct lease_file *lf, int host_id, const struct lease_disk *rec,
			const struct intent_disk *mine, int64_t now, int64_t stale_ms,
			struct rhv_error *err)
{
	for (int h = 1; h <= RHV_LEASE_MAX_HOSTS; h++) {
		struct intent_disk in;

		if (h == host_id)
			continue;
		if (rhv_lease_intent_decode(lf->buf + (size_t)(h - 1) * RHV_LEASE_SECTOR, &in) < 0) {
			rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
				      "intent slot of host %d in '%s' is corrupt: an election may be "
				      "running", h, lf->path);
			rhv_error_hint(err, "host %d clears it when it next runs an election", h);
			return -1;
		}
		if (in.state != INTENT_CLAIM || in.ticket <= rec->generation ||
		    now - in.ts_ms >= stale_ms)
			continue;
		if (!mine) {
			rhv_error_set(err, RHV_EXIT_CONFLICT,
				      "host %d '%.*s' is running an election for the lease in '%s'", h,
				      RHV_LEASE_NAME_MAX, in.name, lf->path);
			err->retryable = true;
			return -1;
		}
		if (ranks_above(&in, mine)) {
			rhv_error_set(err, RHV_EXIT_CONFLICT,
				      "host %d '%.*s' won the election for the lease in '%s'", h,
				      RHV_LEASE_NAME_MAX, in.name, lf->path);
			err->retryable = true;
			return -1;
		}
	}
	return 0;
}

static void withdraw(struct lease_file *lf, struct intent_disk *mine)
{
	uint8_t s[RHV_LEASE_SECTOR];

	/* Best effort: a claim left behind only delays others until it is stale. */
	mine->state = INTENT_NONE;
	rhv_lease_intent_encode(mine, s);
	rhv_lease_file_write(lf, mine->host_id, s, NULL);
}

static int held_conflict(const struct lease_file *lf, const struct lease_disk *d,
			 const struct rhv_lease_state *st, struct rhv_error *err)
{
	char renewed[32], dead[32];

	fmt_time(st->renewed_ms, renewed, sizeof(renewed));
	fmt_time(st->dead_ms, dead, sizeof(dead));
	rhv_error_set(err, RHV_EXIT_CONFLICT,
		      "the lease in '%s' is held by host %u '%s' (generation %llu, renewed at %s)",
		      lf->path, d->owner, d->owner_name, (unsigned long long)d->generation, renewed);
	if (st->expired)
		rhv_error_detail(err, "its lease expired but the host is not known to be down; "
				      "takeover is allowed from %s", dead);
	else
		rhv_error_detail(err, "takeover is allowed from %s if it stops renewing", dead);
	rhv_error_hint(err, "confirm that host %u is down (fenced or rebooted) to take over now",
		       d->owner);
	return -1;
}

int rhv_lease_acquire(const char *path, int host_id, const char *name,
		      const struct rhv_lease_timing *t, bool force, uint64_t *generation,
		      struct rhv_error *err)
{
	struct lease_file lf;
	struct lease_disk rec, again;
	struct intent_disk mine = { 0 };
	struct rhv_lease_limits lim;
	struct rhv_lease_state st;
	uint8_t s[RHV_LEASE_SECTOR];
	int64_t r, now;

	if (check_host(host_id, err) < 0)
		return -1;
	rhv_lease_limits(t, &lim);
	if (rhv_lease_file_open(&lf, path, 0, err) < 0)
		return -1;

	/* Step 1: the record, then every intent slot. */
	r = clock_now(t);
	if (rhv_lease_record_read(&lf, &rec, err) < 0)
		goto fail;
	fill_state(&rec, t, r, &st);
	if (rec.owner == (uint32_t)host_id && !st.expired) {
		/* Already ours and live: just renew it, under the renewal's rule. */
		if (clock_now(t) - r > lim.io_timeout) {
			rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
				      "lease storage '%s' too slow: renewal read took %lld ms, "
				      "io_timeout %lld ms", path, (long long)(clock_now(t) - r),
				      (long long)lim.io_timeout);
			err->retryable = true;
			goto fail;
		}
		rec.renewed_ms = r;
		rec.seq++;
		if (rhv_lease_record_write(&lf, &rec, err) < 0)
			goto fail;
		*generation = rec.generation;
		rhv_lease_file_close(&lf);
		return 0;
	}
	if (rec.owner && rec.owner != (uint32_t)host_id && !st.dead && !force) {
		held_conflict(&lf, &rec, &st, err);
		goto fail;
	}
	if (rhv_lease_file_read(&lf, 1, RHV_LEASE_MAX_HOSTS, err) < 0)
		goto fail;
	if (scan_intents(&lf, host_id, &rec, NULL, clock_now(t), lim.dead, err) < 0)
		goto fail;

	/* Step 2: our claim, on storage within N of the read. */
	mine.host_id = (uint32_t)host_id;
	mine.state = INTENT_CLAIM;
	mine.ticket = rec.generation + 1;
	mine.nonce = random_nonce();
	mine.ts_ms = r;
	snprintf(mine.name, sizeof(mine.name), "%s", name ? name : "");
	rhv_lease_intent_encode(&mine, s);
	if (rhv_lease_file_write(&lf, host_id, s, err) < 0)
		goto fail;
	now = clock_now(t);
	if (now - r > lim.io_timeout) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
			      "lease storage '%s' too slow: %lld ms to read and claim, io_timeout %lld ms",
			      path, (long long)(now - r), (long long)lim.io_timeout);
		err->retryable = true;
		goto withdraw;
	}

	/* Step 3: every claim that could compete with ours is now on storage. */
	clock_sleep(t, lim.election_delay);

	/*
	 * Step 4: read back, the claims before the record.  A winner writes the
	 * record before it withdraws its claim, so we either still see its
	 * claim or see the record it wrote; the other order can miss both.
	 */
	if (rhv_lease_file_read(&lf, 1, RHV_LEASE_MAX_HOSTS, err) < 0)
		goto withdraw;
	if (scan_intents(&lf, host_id, &rec, &mine, clock_now(t), lim.dead, err) < 0)
		goto withdraw;
	if (rhv_lease_record_read(&lf, &again, err) < 0)
		goto withdraw;
	if (again.generation != rec.generation || again.owner != rec.owner ||
	    again.seq != rec.seq) {
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "the lease in '%s' changed during the election (host %u, generation "
			      "%llu)", path, again.owner, (unsigned long long)again.generation);
		err->retryable = true;
		goto withdraw;
	}
	now = clock_now(t);
	if (now - r > 5 * lim.io_timeout) {
		/* Others would soon treat our claim as abandoned. */
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
			      "lease storage '%s' too slow: election took %lld ms, limit %lld ms", path,
			      (long long)(now - r), (long long)(5 * lim.io_timeout));
		err->retryable = true;
		goto withdraw;
	}

	/* Step 5: won; the record names us under the next generation. */
	rec.owner = (uint32_t)host_id;
	rec.generation = mine.ticket;
	rec.seq++;
	rec.renewed_ms = now;
	rec.io_timeout_ms = lim.io_timeout;
	rec.watchdog_ms = lim.dead - lim.expiry;
	rec.nonce = mine.nonce;
	snprintf(rec.owner_name, sizeof(rec.owner_name), "%s", name ? name : "");
	if (rhv_lease_record_write(&lf, &rec, err) < 0)
		goto withdraw; /* unknown outcome: the record may or may not name us */
	withdraw(&lf, &mine);
	*generation = rec.generation;
	rhv_lease_file_close(&lf);
	return 0;

withdraw:
	withdraw(&lf, &mine);
fail:
	rhv_lease_file_close(&lf);
	return -1;
}

/* The record, if host_id holds it under generation and it is live. */
static int holder_check(struct lease_file *lf, int host_id, uint64_t generation,
			const struct rhv_lease_timing *t, struct lease_disk *d,
			int64_t *now, struct rhv_error *err)
{
	struct rhv_lease_state st;

	if (check_host(host_id, err) < 0)
		return -1;
	*now = clock_now(t);
	if (rhv_lease_record_read(lf, d, err) < 0)
		return -1;
	fill_state(d, t, *now, &st);
	if (d->generation != generation && !d->owner)
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "the SPM generation moved on (%llu -> %llu): the lease is free",
				     (unsigned long long)generation, (unsigned long long)d->generation);
	if (d->generation != generation)
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "the SPM generation moved on (%llu -> %llu): host %u '%s' holds "
				     "the lease", (unsigned long long)generation,
				     (unsigned long long)d->generation, d->owner, d->owner_name);
	if (d->owner != (uint32_t)host_id)
		return rhv_error_set(err, RHV_EXIT_CONFLICT,
				     "the SPM lease of generation %llu was released",
				     (unsigned long long)generation);
	if (st.expired) {
		char when[32];

		fmt_time(st.expires_ms, when, sizeof(when));
		rhv_error_set(err, RHV_EXIT_CONFLICT,
			      "the SPM lease of generation %llu expired at %s",
			      (unsigned long long)generation, when);
		rhv_error_hint(err, "stop acting as SPM and acquire the lease again");
		return -1;
	}
	return 0;
}

int rhv_lease_renew(const char *path, int host_id, uint64_t generation,
		    const struct rhv_lease_timing *t, struct rhv_error *err)
{
	struct lease_file lf;
	struct lease_disk d;
	struct rhv_lease_limits lim;
	int64_t r, now;
	int rc = -1;

	rhv_lease_limits(t, &lim);
	if (rhv_lease_file_open(&lf, path, 0, err) < 0)
		return -1;
	if (holder_check(&lf, host_id, generation, t, &d, &r, err) < 0)
		goto out;
	/*
	 * A renewal read long ago could land after a takeover: only write it
	 * while it is still within io_timeout of the read.
	 */
	now = clock_now(t);
	if (now - r > lim.io_timeout) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
			      "lease storage '%s' too slow: renewal read took %lld ms, io_timeout %lld "
			      "ms", path, (long long)(now - r), (long long)lim.io_timeout);
		goto out;
	}
	d.renewed_ms = now;
	d.seq++;
	rc = rhv_lease_record_write(&lf, &d, err);
out:
	rhv_lease_file_close(&lf);
	return rc;
}

int rhv_lease_release(const char *path, int host_id, uint64_t generation,
		      const struct rhv_lease_timing *t, struct rhv_error *err)
{
	struct lease_file lf;
	struct lease_disk d;
	struct rhv_lease_limits lim;
	int64_t now;
	int rc = -1;

	rhv_lease_limits(t, &lim);
	if (rhv_lease_file_open(&lf, path, 0, err) < 0)
		return -1;
	/* Not once expired: a takeover may be racing with our write. */
	if (holder_check(&lf, host_id, generation, t, &d, &now, err) < 0)
		goto out;
	if (clock_now(t) - now > lim.io_timeout) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
			      "lease storage '%s' too slow to release, io_timeout %lld ms", path,
			      (long long)lim.io_timeout);
		goto out;
	}
	d.owner = 0;
	d.renewed_ms = now;
	d.seq++;
	memset(d.owner_name, 0, sizeof(d.owner_name));
	rc = rhv_lease_record_write(&lf, &d, err);
out:
	rhv_lease_file_close(&lf);
	return rc;
}

int rhv_lease_check(const char *path, int host_id, uint64_t generation,
		    const struct rhv_lease_timing *t, struct rhv_error *err)
{
	struct lease_file lf;
	struct lease_disk d;
	int64_t now;
	int rc;

	if (rhv_lease_file_open(&lf, path, 0, err) < 0)
		return -1;
	rc = holder_check(&lf, host_id, generation, t, &d, &now, err);
	rhv_lease_file_close(&lf);
	return rc;
}
