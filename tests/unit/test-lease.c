/*
 * The SPM delta lease: takeover rules and fencing tokens on a fake clock
 * (sanlock's default timing, worked by hand), then mutual exclusion with
 * forked candidates on the real clock.
 */
#include "rhv/common.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "rhv/lease.h"
#include "tap.h"

/* ---- a fake clock: sleeping advances it ---- */

struct fake_clock {
	int64_t now;
	void (*on_sleep)(struct fake_clock *fc); /* runs once, during the next sleep */
	const char *path;
	int nested_rc;
	struct rhv_error nested_err;
};

static int64_t fake_now(void *data)
{
	return ((struct fake_clock *)data)->now;
}

static void fake_sleep(void *data, int64_t ms)
{
	struct fake_clock *fc = data;
	void (*fn)(struct fake_clock *) = fc->on_sleep;

	fc->on_sleep = NULL;
	if (fn)
		fn(fc);
	fc->now += ms;
}

static struct fake_clock fc = { .now = 1700000000000 };
static const struct rhv_lease_timing ft = {
	.now_ms = fake_now, .sleep_ms = fake_sleep, .clock_data = &fc,
};

#define SEC 1000

static int acq(const char *path, int host, bool force, uint64_t *gen, struct rhv_error *err)
{
	char name[32];

	rhv_error_clear(err);
	snprintf(name, sizeof(name), "host%d", host);
	return rhv_lease_acquire(path, host, name, &ft, force, gen, err);
}

static int renew(const char *path, int host, uint64_t gen, struct rhv_error *err)
{
	rhv_error_clear(err);
	return rhv_lease_renew(path, host, gen, &ft, err);
}

static int check(const char *path, int host, uint64_t gen, struct rhv_error *err)
{
	rhv_error_clear(err);
	return rhv_lease_check(path, host, gen, &ft, err);
}

/* While host 1 waits in its election, host 2 tries and must see the claim. */
static void compete(struct fake_clock *c)
{
	uint64_t g = 0;

	rhv_error_clear(&c->nested_err);
	c->nested_rc = rhv_lease_acquire(c->path, 2, "host2", &ft, false, &g, &c->nested_err);
}

static void patch(const char *path, off_t off, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || pwrite(fd, data, len, off) != (ssize_t)len)
		printf("# cannot patch %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void test_limits(void)
{
	struct rhv_lease_limits l;
	struct rhv_lease_timing small = { .io_timeout_ms = 5 };

	rhv_lease_limits(NULL, &l);
	OK(l.io_timeout == 10000 && l.renewal == 20000 && l.expiry == 80000 && l.dead == 140000 &&
		   l.election_delay == 20000,
	   "defaults: io 10 s, renew 20 s, expiry 80 s, dead 140 s, election wait 20 s");
	rhv_lease_limits(&small, &l);
	OK(l.renewal == 10 && l.expiry == 40 && l.dead == 70, "io 5 ms: renew 10, expiry 40, dead 70");
}

static void test_rules(const char *dir)
{
	char path[512];
	struct rhv_error err = { 0 };
	struct rhv_lease_state st;
	uint64_t g1 = 0, g2 = 0, g3 = 0, g = 0;
	int64_t t0;
	int rc, n;

	snprintf(path, sizeof(path), "%s/leases", dir);
	rc = rhv_lease_read(path, &st, &ft, &err);
	OK(rc < 0 && err.code == RHV_EXIT_UNAVAILABLE, "missing lease file: unavailable (%s)",
	   err.message);
	rhv_error_clear(&err);
	OK(rhv_lease_init(path, 0, &err) == 0, "init creates the lease file");
	OK(rhv_lease_read(path, &st, &ft, &err) == 0 && !st.held && st.generation == 0,
	   "a fresh lease is free, generation 0");
	OK(acq(path, 0, false, &g, &err) < 0 && err.code == RHV_EXIT_USAGE, "host id 0 refused");
	OK(acq(path, 2001, false, &g, &err) < 0 && err.code == RHV_EXIT_USAGE, "host id 2001 refused");

	/* Free -> host 1, generation 1; the election costs 2N = 20 s. */
	t0 = fc.now;
	OK(acq(path, 1, false, &g1, &err) == 0 && g1 == 1, "host 1 takes the free lease: generation 1 (%s)",
	   err.message);
	OK(fc.now - t0 == 20 * SEC, "the election waited 2N = 20 s");
	OK(rhv_lease_read(path, &st, &ft, &err) == 0 && st.held && st.owner == 1 &&
		   !strcmp(st.owner_name, "host1") && st.generation == 1 && st.renewed_ms == fc.now &&
		   st.expires_ms == fc.now + 80 * SEC && st.dead_ms == fc.now + 140 * SEC,
	   "record: owner 1 'host1', generation 1, expires +80 s, dead +140 s");
	OK(check(path, 1, 1, &err) == 0, "check: host 1 holds generation 1");
	OK(acq(path, 1, false, &g, &err) == 0 && g == 1, "acquire again by the holder: same generation");

	/* Host 1 renews every 20 s for 200 s: host 2 never gets it. */
	n = 0;
	for (int i = 0; i < 10; i++) {
		fc.now += 20 * SEC;
		n += renew(path, 1, g1, &err) == 0;
		rc = acq(path, 2, false, &g, &err);
		n += rc < 0 && err.code == RHV_EXIT_CONFLICT && !err.retryable &&
		     strstr(err.message, "held by host 1 'host1'") != NULL;
	}
	OK(n == 20, "10 renewals, 10 refusals to host 2 (%s)", err.message);
	OK(strstr(err.detail, "takeover is allowed from") != NULL, "the refusal says when: %s",
	   err.detail);

	/* Host 1 stops renewing.  At +81 s expired, not dead: still refused. */
	fc.now += 81 * SEC;
	OK(rhv_lease_read(path, &st, &ft, &err) == 0 && st.expired && !st.dead,
	   "81 s after the renewal: expired, not dead");
	OK(acq(path, 2, false, &g, &err) < 0 && err.code == RHV_EXIT_CONFLICT &&
		   strstr(err.detail, "not known to be down"),
	   "expired but not known down: host 2 refused (%s)", err.detail);
	OK(renew(path, 1, g1, &err) < 0 && err.code == RHV_EXIT_CONFLICT &&
		   strstr(err.message, "expired"),
	   "host 1 cannot renew an expired lease (%s)", err.message);
	OK(check(path, 1, g1, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "host 1's fencing check fails once expired");

	/* At +140 s dead: host 2 takes over, generation 2. */
	fc.now += 59 * SEC;
	OK(rhv_lease_read(path, &st, &ft, &err) == 0 && st.dead, "140 s after the renewal: dead");
	OK(acq(path, 2, false, &g2, &err) == 0 && g2 == 2, "host 2 takes over: generation 2 (%s)",
	   err.message);
	OK(check(path, 1, g1, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "host 1's token 1 is refused after the takeover");
	IS_STR(err.message, "the SPM generation moved on (1 -> 2): host 2 'host2' holds the lease",
	       "the refusal names both generations");
	OK(renew(path, 1, g1, &err) < 0 && err.code == RHV_EXIT_CONFLICT, "host 1 cannot renew");
	OK(rhv_lease_release(path, 1, g1, &ft, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "host 1 cannot release host 2's lease");
	rhv_error_clear(&err);
	OK(check(path, 2, g2, &err) == 0, "host 2's token 2 passes");

	/* Host 2 is live; an admin confirms it is down: host 3 forces, generation 3. */
	fc.now += 5 * SEC;
	OK(acq(path, 3, false, &g, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "host 3 without force: refused");
	OK(acq(path, 3, true, &g3, &err) == 0 && g3 == 3,
	   "host 3 with force (admin confirmed host 2 down): generation 3");
	OK(check(path, 2, g2, &err) < 0 && err.code == RHV_EXIT_CONFLICT, "host 2's token refused");
	OK(check(path, 3, g3, &err) == 0, "host 3's token passes");

	/* Release keeps the generation; the next holder bumps it. */
	rhv_error_clear(&err);
	OK(rhv_lease_release(path, 3, 2, &ft, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "release under a wrong generation refused");
	rhv_error_clear(&err);
	OK(rhv_lease_release(path, 3, g3, &ft, &err) == 0, "host 3 releases");
	OK(rhv_lease_read(path, &st, &ft, &err) == 0 && !st.held && st.generation == 3,
	   "released: free, generation still 3");
	OK(check(path, 3, g3, &err) < 0 && err.code == RHV_EXIT_CONFLICT &&
		   strstr(err.message, "released"),
	   "a released token fails the check");
	OK(acq(path, 1, false, &g, &err) == 0 && g == 4, "host 1 takes the released lease: generation 4");

	/* Idempotent init: the held record survives. */
	rhv_error_clear(&err);
	OK(rhv_lease_init(path, 0, &err) == 0 && rhv_lease_read(path, &st, &ft, &err) == 0 &&
		   st.owner == 1 && st.generation == 4,
	   "init again leaves owner 1, generation 4");

	/* An election in progress blocks a second candidate. */
	OK(rhv_lease_release(path, 1, 4, &ft, &err) == 0, "host 1 releases");
	fc.path = path;
	fc.on_sleep = compete;
	OK(acq(path, 1, false, &g, &err) == 0 && g == 5, "host 1 elected: generation 5");
	OK(fc.nested_rc < 0 && fc.nested_err.code == RHV_EXIT_CONFLICT && fc.nested_err.retryable &&
		   strstr(fc.nested_err.message, "host 1 'host1' is running an election"),
	   "host 2, arriving during host 1's wait, backs off (%s)", fc.nested_err.message);
	OK(acq(path, 2, false, &g, &err) < 0 && err.code == RHV_EXIT_CONFLICT && !err.retryable,
	   "after the election host 2 sees the holder");
}

static void test_corrupt(const char *dir)
{
	char path[512];
	struct rhv_error err = { 0 };
	struct rhv_lease_state st;
	uint64_t g = 0;
	unsigned char ff[200], zero[256] = { 0 };

	snprintf(path, sizeof(path), "%s/torn", dir);
	OK(rhv_lease_init(path, 0, &err) == 0 && acq(path, 1, false, &g, &err) == 0 && g == 1,
	   "a second lease file, taken by host 1");
	fc.now += 200 * SEC; /* long dead: only the damage can stop a takeover */

	/* A torn write: the tail of the sector is garbage. */
	memset(ff, 0xff, sizeof(ff));
	patch(path, 300, ff, sizeof(ff));
	rhv_error_clear(&err);
	OK(rhv_lease_read(path, &st, &ft, &err) < 0 && err.code == RHV_EXIT_UNAVAILABLE &&
		   strstr(err.message, "corrupt"),
	   "torn record: unavailable (%s)", err.message);
	OK(acq(path, 2, false, &g, &err) < 0 && err.code == RHV_EXIT_UNAVAILABLE,
	   "torn record is not free: host 2 refused");
	OK(acq(path, 2, true, &g, &err) < 0 && err.code == RHV_EXIT_UNAVAILABLE,
	   "not even with force");
	OK(check(path, 1, 1, &err) < 0 && err.code == RHV_EXIT_UNAVAILABLE,
	   "the holder's check fails too");
	rhv_error_clear(&err);
	OK(rhv_lease_init(path, 0, &err) < 0 && err.code == RHV_EXIT_UNAVAILABLE,
	   "init does not format over it");

	/* The head of the sector lost: magic gone. */
	patch(path, 0, zero, sizeof(zero));
	rhv_error_clear(&err);
	OK(rhv_lease_read(path, &st, &ft, &err) < 0 && err.code == RHV_EXIT_UNAVAILABLE,
	   "record without magic: unavailable (%s)", err.message);

	/* A corrupt intent slot of another host blocks elections, not the holder. */
	snprintf(path, sizeof(path), "%s/intent", dir);
	rhv_error_clear(&err);
	OK(rhv_lease_init(path, 0, &err) == 0, "a third lease file");
	patch(path, 7 * RHV_LEASE_SECTOR + 10, ff, 20);
	OK(acq(path, 1, false, &g, &err) < 0 && err.code == RHV_EXIT_UNAVAILABLE &&
		   strstr(err.message, "host 7"),
	   "corrupt intent slot of host 7: unknown claim (%s)", err.message);
	OK(acq(path, 7, false, &g, &err) == 0 && g == 1, "host 7 itself rewrites its slot and wins");

	OK(rhv_lease_release(path, 7, g, &ft, &err) == 0 &&
		   acq(path, 1, false, &g, &err) == 0 && g == 2,
	   "then host 1 can be elected: generation 2");

	/* A lease moved to a new master domain continues the old generations. */
	snprintf(path, sizeof(path), "%s/moved", dir);
	rhv_error_clear(&err);
	OK(rhv_lease_init(path, 41, &err) == 0 && rhv_lease_read(path, &st, &ft, &err) == 0 && !st.held &&
		   st.generation == 41,
	   "init at generation 41: free, generation 41");
	OK(acq(path, 3, false, &g, &err) == 0 && g == 42, "the first holder after the move gets 42");
	/* The role went elsewhere and comes back: the old lease is raised past what was handed out. */
	OK(rhv_lease_init(path, 50, &err) == 0 && rhv_lease_read(path, &st, &ft, &err) == 0 && !st.held &&
		   st.generation == 50,
	   "init at 50 over a lease at 42: free at 50");
	OK(rhv_lease_check(path, 3, 42, &ft, &err) < 0 && err.code == RHV_EXIT_CONFLICT,
	   "its old holder's token 42 is refused (%s)", err.message);
	rhv_error_clear(&err);
	OK(rhv_lease_init(path, 7, &err) == 0 && rhv_lease_read(path, &st, &ft, &err) == 0 && st.generation == 50,
	   "init never lowers a generation");
	OK(acq(path, 4, false, &g, &err) == 0 && g == 51, "the next holder gets 51");
}

/* ---- mutual exclusion: forked candidates, all at once, many rounds ---- */

#define NPROC 8
#define ROUNDS 200
#define SLOW_TRIES 20      /* slow attempts before a candidate gives a round up */
#define IO_TIMEOUT_MAX 1280 /* ms: the most the race raises io_timeout to */

/*
 * What the parent sends each candidate to start a round: its number and
 * the io_timeout every candidate uses in it.
 */
struct go {
	int round;
	int64_t io_timeout_ms;
};

struct report {
	int host;
	int won;
	uint64_t gen;
	int attempts;
	int slow;    /* attempts given up as slower than io_timeout */
	int busy;    /* backed off: another election was running */
	int outrank; /* passed step 1 with others and lost on rank at read-back */
	int changed; /* lost because the record changed during the election */
	int expired; /* the winner's lease expired before its own check: slow, not unsafe */
	int bad;     /* devcount or fencing-check failure */
	int errcode; /* an unexpected error */
};

/*
 * io_timeout starts at 5 ms (an election costs 10 ms) and doubles whenever
 * a round ends without a winner because every candidate found the storage
 * slower than that (a loaded machine): the timing argument needs N above
 * the storage's latency, as sanlock's io_timeout does, and being slow is
 * never a reason to accept a second holder.  The watchdog margin is long
 * (30 s) so that a holder which never renews during a slow round cannot go
 * dead and be legitimately taken over by a straggler: a second winner in a
 * round is then always a bug.
 */
static struct rhv_lease_timing race_timing(int64_t io_timeout_ms)
{
	return (struct rhv_lease_timing){ .io_timeout_ms = io_timeout_ms, .watchdog_ms = 30000 };
}

/* The winner's critical section: our counter must survive untouched while we hold the lease. */
static void hold(const char *path, const char *counter, const struct rhv_lease_timing *rt,
		 struct report *rep)
{
	int fd = open(counter, O_RDWR);
	uint64_t v[2] = { 0, 0 }, back[2] = { 0, 0 };
	struct rhv_error err = { 0 };

	if (fd < 0 || pread(fd, v, sizeof(v), 0) != (ssize_t)sizeof(v))
		rep->bad = 1;
	v[0]++;
	v[1] = (uint64_t)rep->host;
	if (fd < 0 || pwrite(fd, v, sizeof(v), 0) != (ssize_t)sizeof(v))
		rep->bad = 1;
	usleep(300);
	if (fd < 0 || pread(fd, back, sizeof(back), 0) != (ssize_t)sizeof(back) ||
	    back[0] != v[0] || back[1] != v[1])
		rep->bad = 1;
	/* Expired is our own slowness (nobody may take over before dead); anything else is not. */
	if (rhv_lease_check(path, rep->host, rep->gen, rt, &err) < 0) {
		if (err.code == RHV_EXIT_CONFLICT && strstr(err.message, "expired"))
			rep->expired = 1;
		else
			rep->bad = 1;
	}
	if (fd >= 0)
		close(fd);
}

/* One round for one candidate: until it wins, sees the holder, or finds the storage too slow. */
static void contend(const char *path, const char *counter, const struct go *g, struct report *rep)
{
	struct rhv_lease_timing rt = race_timing(g->io_timeout_ms);
	char name[32];

	snprintf(name, sizeof(name), "cand%d", rep->host);
	/* Odd rounds start together; even rounds spread arrivals over the window. */
	if (g->round % 2 == 0)
		usleep((useconds_t)(rand() % 3000));
	while (rep->attempts < 1000 && rep->slow < SLOW_TRIES) {
		struct rhv_error err = { 0 };
		uint64_t gen = 0;

		rep->attempts++;
		if (rhv_lease_acquire(path, rep->host, name, &rt, false, &gen, &err) == 0) {
			rep->won = 1;
			rep->gen = gen;
			hold(path, counter, &rt, rep);
			return;
		}
		if (!err.retryable) {
			if (err.code != RHV_EXIT_CONFLICT)
				rep->errcode = err.code;
			return; /* held by the round's winner */
		}
		rep->slow += err.code == RHV_EXIT_UNAVAILABLE;
		rep->busy += strstr(err.message, "is running an election") != NULL;
		rep->outrank += strstr(err.message, "won the election") != NULL;
		rep->changed += strstr(err.message, "changed during") != NULL;
		usleep((useconds_t)(rand() % 4000));
	}
}

static void child(int host, const char *path, const char *counter, int go, int res)
{
	struct go g;

	srand((unsigned)getpid());
	while (read(go, &g, sizeof(g)) == (ssize_t)sizeof(g)) {
		struct report rep = { .host = host };

		contend(path, counter, &g, &rep);
		if (write(res, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			_exit(2);
	}
	_exit(0);
}

/* What the parent learns from all rounds. */
struct race {
	int rounds, retries, max_winners, gen_ok, bad, expired, errors, slow, attempts;
	int busy, outrank, contested, changed, expired_releases, stuck;
	int64_t io_timeout_ms;
};

/*
 * Release for the winner.  A release slower than io_timeout is refused:
 * retry, and if the storage stays that slow, raise io_timeout.  A round
 * slower than the expiry (8 N) leaves the lease expired, so the release is
 * refused; the holder then re-elects itself next round (everyone else sees
 * it expired but not dead), still one winner and one generation more.
 */
static void release_round(const char *path, int r, int winner, uint64_t wgen, struct race *race)
{
	struct rhv_error err = { 0 };

	for (int k = 0;; k++) {
		struct rhv_lease_timing rt = race_timing(race->io_timeout_ms);

		rhv_error_clear(&err);
		if (rhv_lease_release(path, winner, wgen, &rt, &err) == 0 ||
		    err.code != RHV_EXIT_UNAVAILABLE)
			break;
		if (k % SLOW_TRIES == SLOW_TRIES - 1) {
			if (race->io_timeout_ms >= IO_TIMEOUT_MAX)
				break;
			race->io_timeout_ms *= 2;
		}
	}
	if (err.code == RHV_EXIT_CONFLICT && strstr(err.message, "expired"))
		race->expired_releases++;
	else if (err.code)
		printf("# round %d: release failed: %s\n", r, err.message);
}

/*
 * Start round r on every candidate and collect the reports; 1 when the
 * round must be run again with a longer io_timeout (nobody won and the
 * storage was too slow), 0 otherwise.
 */
static int run_round(const char *path, int r, int go[][2], int res, struct race *race)
{
	struct go g = { .round = r, .io_timeout_ms = race->io_timeout_ms };
	struct rhv_lease_timing rt = race_timing(race->io_timeout_ms);
	struct rhv_lease_state before, after;
	struct rhv_error err = { 0 };
	int winners = 0, winner = 0, round_outrank = 0, round_slow = 0;
	uint64_t wgen = 0;

	if (rhv_lease_read(path, &before, &rt, &err) < 0) {
		printf("# round %d: %s\n", r, err.message);
		race->errors++;
		return 0;
	}
	for (int i = 0; i < NPROC; i++)
		if (write(go[i][1], &g, sizeof(g)) != (ssize_t)sizeof(g))
			break;
	for (int i = 0; i < NPROC; i++) {
		struct report rep;

		if (read(res, &rep, sizeof(rep)) != (ssize_t)sizeof(rep)) {
			race->errors++;
			break;
		}
		race->attempts += rep.attempts;
		race->slow += rep.slow;
		race->busy += rep.busy;
		race->outrank += rep.outrank;
		race->changed += rep.changed;
		race->bad += rep.bad;
		race->expired += rep.expired;
		race->errors += rep.errcode != 0;
		round_outrank += rep.outrank;
		round_slow += rep.slow;
		if (rep.won) {
			if (winners)
				printf("# round %d: host %d won generation %llu after host %d "
				       "generation %llu\n", r, rep.host, (unsigned long long)rep.gen,
				       winner, (unsigned long long)wgen);
			winners++;
			winner = rep.host;
			wgen = rep.gen;
		}
	}
	race->contested += round_outrank > 0;
	if (winners > race->max_winners)
		race->max_winners = winners;
	if (winners == 0 && round_slow > 0 && race->io_timeout_ms < IO_TIMEOUT_MAX) {
		race->retries++;
		race->io_timeout_ms *= 2;
		printf("# round %d: no winner, storage slower than io_timeout: again at %lld ms\n", r,
		       (long long)race->io_timeout_ms);
		return 1;
	}
	race->rounds++;
	if (winners != 1) {
		printf("# round %d: %d winners\n", r, winners);
		race->stuck += winners == 0;
		return 0;
	}
	/* The generation grows by one per takeover, from what the record held before the round. */
	rhv_error_clear(&err);
	if (wgen == before.generation + 1 && rhv_lease_read(path, &after, &rt, &err) == 0 &&
	    after.owner == winner && after.generation == wgen)
		race->gen_ok++;
	else
		printf("# round %d: host %d won generation %llu, the record held %llu before\n", r,
		       winner, (unsigned long long)wgen, (unsigned long long)before.generation);
	release_round(path, r, winner, wgen, race);
	return 0;
}

static void test_exclusion(const char *dir)
{
	char path[512], counter[512];
	int go[NPROC][2], res[2];
	pid_t pids[NPROC];
	struct rhv_error err = { 0 };
	struct race race = { .io_timeout_ms = 5 };
	uint64_t zero[2] = { 0, 0 }, v[2] = { 0, 0 };
	struct timespec a, b;
	int fd;

	snprintf(path, sizeof(path), "%s/race", dir);
	snprintf(counter, sizeof(counter), "%s/devcount", dir);
	OK(rhv_lease_init(path, 0, &err) == 0, "race lease file");
	fd = open(counter, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, zero, sizeof(zero)) != (ssize_t)sizeof(zero))
		printf("# cannot create %s\n", counter);
	if (fd >= 0)
		close(fd);

	if (pipe(res) < 0) {
		OK(0, "race: result pipe: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	for (int i = 0; i < NPROC; i++) {
		if (pipe(go[i]) < 0) {
			OK(0, "race: pipe for candidate %d: %s", i + 1, strerror(errno));
			return;
		}
		pids[i] = fork();
		if (pids[i] == 0) {
			close(res[0]);
			close(go[i][1]);
			child(i + 1, path, counter, go[i][0], res[1]);
		}
		close(go[i][0]);
	}
	close(res[1]);

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 1; r <= ROUNDS; r++)
		while (run_round(path, r, go, res[0], &race))
			;
	clock_gettime(CLOCK_MONOTONIC, &b);
	for (int i = 0; i < NPROC; i++)
		close(go[i][1]);
	for (int i = 0; i < NPROC; i++)
		waitpid(pids[i], NULL, 0);
	close(res[0]);

	fd = open(counter, O_RDONLY);
	if (fd < 0 || pread(fd, v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v[0] = 0;
	if (fd >= 0)
		close(fd);

	printf("# %d rounds x %d candidates in %.2f s: %d attempts, %d given up as slow; "
	       "%d rounds run again, io_timeout ended at %lld ms\n",
	       race.rounds, NPROC,
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, race.attempts,
	       race.slow, race.retries, (long long)race.io_timeout_ms);
	printf("# backed off (election running) %d, outranked at read-back %d in %d rounds, "
	       "record changed %d, expired before the holder's check %d, before release %d\n",
	       race.busy, race.outrank, race.contested, race.changed, race.expired,
	       race.expired_releases);
	/* Safety: never two holders. */
	OK(race.max_winners <= 1, "never two winners in a round (most in a round: %d)",
	   race.max_winners);
	OK(race.bad == 0 && v[0] == (uint64_t)(race.rounds - race.stuck),
	   "devcount: no interleaved holder, no fencing-check failure, counter %llu of %d",
	   (unsigned long long)v[0], race.rounds - race.stuck);
	OK(race.gen_ok == race.rounds - race.stuck,
	   "the generation grew by exactly one per takeover (%d of %d)", race.gen_ok,
	   race.rounds - race.stuck);
	/* Liveness, with io_timeout raised to what this machine's storage needs. */
	OK(race.rounds == ROUNDS && race.stuck == 0,
	   "every one of %d rounds elected a holder (%d without one, io_timeout %lld ms)", ROUNDS,
	   race.stuck, (long long)race.io_timeout_ms);
	OK(race.errors == 0, "no unexpected errors (%d)", race.errors);
}

int main(void)
{
	char dir[] = "/tmp/rhv-lease.XXXXXX";
	/*
	 * The race runs where the rules do (ext4 under /tmp here, O_DIRECT): its
	 * slower I/O interleaves candidates far more than tmpfs, and it caught
	 * an ordering bug tmpfs never showed.  RHV_TEST_LEASE_DIR moves it to
	 * another file system (the lab's NFS share).
	 */
	const char *race = getenv("RHV_TEST_LEASE_DIR");
	char cmd[128];

	if (!mkdtemp(dir)) {
		printf("not ok 1 - cannot create %s\n", dir);
		return 1;
	}
	test_limits();
	test_rules(dir);
	test_corrupt(dir);
	test_exclusion(race ? race : dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", dir);
	return tap_done();
}
