/*
 * The libvirt connection: opening, keepalive, closing, and libvirt's
 * errors turned into rhv errors (see rhv/virt.h).
 *
 * Opening is bounded by running virConnectOpenAuth() in a worker thread:
 * the caller waits on a condition variable until the worker is done or the
 * deadline passes.  The job is reference-counted by the caller and the
 * worker, so whichever finishes last frees it; a worker that finishes after
 * its caller gave up closes the connection it got.  libvirt's last error is
 * per thread, so the worker hands over a copy of it.
 */
#include "rhv/common.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "virt/virt-priv.h"

#define KEEPALIVE_MAX_S 5
#define KEEPALIVE_COUNT 3

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_failed;
static bool event_loop;

static void quiet_error(void *opaque RHV_UNUSED, virErrorPtr e RHV_UNUSED)
{
	/* libvirt's default handler prints to stderr: we report errors ourselves */
}

static void *event_loop_main(void *arg RHV_UNUSED)
{
	for (;;)
		if (virEventRunDefaultImpl() < 0)
			return NULL;
}

static void init_once_fn(void)
{
	pthread_attr_t attr;
	pthread_t t;

	if (virInitialize() < 0) {
		init_failed = 1;
		return;
	}
	virSetErrorFunc(NULL, quiet_error);
	if (virEventRegisterDefaultImpl() < 0) {
		virResetLastError();
		return; /* no keepalive; everything else works */
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	event_loop = pthread_create(&t, &attr, event_loop_main, NULL) == 0;
	pthread_attr_destroy(&attr);
}

int rhv_virt_init(struct rhv_error *err)
{
	pthread_once(&init_once, init_once_fn);
	if (init_failed)
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot initialize libvirt");
	return 0;
}

/* ---- errors ---- */

enum rhv_exit rhv_virt_exit_class(int code, int domain)
{
	switch (code) {
	case VIR_ERR_NO_DOMAIN:
	case VIR_ERR_NO_NETWORK:
	case VIR_ERR_NO_STORAGE_POOL:
	case VIR_ERR_NO_STORAGE_VOL:
	case VIR_ERR_NO_DOMAIN_SNAPSHOT:
	case VIR_ERR_NO_DOMAIN_CHECKPOINT:
	case VIR_ERR_NO_DOMAIN_BACKUP:
	case VIR_ERR_NO_NODE_DEVICE:
	case VIR_ERR_NO_INTERFACE:
	case VIR_ERR_NO_SECRET:
	case VIR_ERR_NO_NWFILTER:
	case VIR_ERR_NO_NETWORK_PORT:
	case VIR_ERR_DEVICE_MISSING:
		return RHV_EXIT_NOTFOUND;
	case VIR_ERR_OPERATION_INVALID:
	case VIR_ERR_DOM_EXIST:
	case VIR_ERR_RESOURCE_BUSY:
	case VIR_ERR_BLOCK_COPY_ACTIVE:
	case VIR_ERR_OPERATION_TIMEOUT: /* "cannot acquire state change lock": busy */
		return RHV_EXIT_CONFLICT;
	case VIR_ERR_SYSTEM_ERROR:
	case VIR_ERR_RPC:
	case VIR_ERR_NO_CONNECT:
	case VIR_ERR_INVALID_CONN:
	case VIR_ERR_AUTH_FAILED:
	case VIR_ERR_AUTH_CANCELLED:
	case VIR_ERR_AUTH_UNAVAILABLE:
	case VIR_ERR_AGENT_UNRESPONSIVE:
	case VIR_ERR_AGENT_UNSYNCED:
		return RHV_EXIT_UNAVAILABLE;
	default:
		/*
		 * The client's RPC layer: "connection closed due to keepalive
		 * timeout", "client socket is closed" are internal errors there.
		 */
		return domain == VIR_FROM_RPC ? RHV_EXIT_UNAVAILABLE : RHV_EXIT_FAILED;
	}
}

/* libvirt's message on one line, without trailing blanks. */
static void one_line(char *s)
{
	char *w = s;
	bool blank = false;

	for (char *r = s; *r; r++) {
		if (*r == '\n' || *r == '\r' || *r == '\t') {
			blank = true;
			continue;
		}
		if (blank && w > s)
			*w++ = ' ';
		blank = false;
		*w++ = *r;
	}
	*w = '\0';
}

static int fill_error(struct rhv_error *err, const virError *e, enum rhv_exit force, const char *prefix)
{
	char msg[sizeof(err->message)];
	enum rhv_exit code;

	snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "unknown libvirt error");
	one_line(msg);
	code = force ? force : e ? rhv_virt_exit_class(e->code, e->domain) : RHV_EXIT_FAILED;
	return rhv_error_set(err, code, "%s: %s", prefix, msg);
}

int rhv_virt_verror(struct rhv_error *err, const char *fmt, va_list ap)
{
	char prefix[sizeof(err->message)];

	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	fill_error(err, virGetLastError(), RHV_EXIT_OK, prefix);
	virResetLastError();
	return -1;
}

int rhv_virt_error(struct rhv_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rhv_virt_verror(err, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- open ---- */

static int refuse_credentials(virConnectCredentialPtr cred RHV_UNUSED, unsigned int ncred RHV_UNUSED,
			      void *cbdata RHV_UNUSED)
{
	return -1; /* never prompt: a host needing credentials is misconfigured */
}

static int cred_types[] = {
	VIR_CRED_USERNAME, VIR_CRED_AUTHNAME,	  VIR_CRED_LANGUAGE, VIR_CRED_CNONCE,
	VIR_CRED_PASSPHRASE, VIR_CRED_ECHOPROMPT, VIR_CRED_NOECHOPROMPT, VIR_CRED_REALM,
	VIR_CRED_EXTERNAL,
};

static virConnectAuth no_prompt_auth = {
	.credtype = cred_types,
	.ncredtype = RHV_ARRAY_SIZE(cred_types),
	.cb = refuse_credentials,
};

struct open_job {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs; /* the caller and the worker */
	bool done;
	char *uri;
	virConnectPtr conn;
	virErrorPtr error; /* the worker's libvirt error, copied */
};

static void job_unref(struct open_job *j)
{
	bool last;

	pthread_mutex_lock(&j->lock);
	last = --j->refs == 0;
	pthread_mutex_unlock(&j->lock);
	if (!last)
		return;
	if (j->conn)
		virConnectClose(j->conn); /* opened after its caller gave up */
	virFreeError(j->error);
	free(j->uri);
	pthread_cond_destroy(&j->cond);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

static void *open_worker(void *arg)
{
	struct open_job *j = arg;
	virConnectPtr c;
	virErrorPtr e = NULL;

	c = virConnectOpenAuth(j->uri, &no_prompt_auth, 0);
	if (!c)
		e = virSaveLastError();
	virResetLastError();
	pthread_mutex_lock(&j->lock);
	j->conn = c;
	j->error = e;
	j->done = true;
	pthread_cond_signal(&j->cond);
	pthread_mutex_unlock(&j->lock);
	job_unref(j);
	return NULL;
}

/* An open under way: the worker's job (NULL: no worker, finish opens itself). */
struct rhv_virt_opening {
	char *uri;
	int timeout_ms;
	struct timespec deadline;
	struct open_job *job;
};

/* A worker opening j->uri (refs taken for it), or false when no thread could start. */
static bool start_worker(struct open_job *j)
{
	pthread_attr_t attr;
	pthread_t t;
	bool ok;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ok = pthread_create(&t, &attr, open_worker, j) == 0;
	pthread_attr_destroy(&attr);
	return ok;
}

static struct open_job *job_new(const char *uri)
{
	struct open_job *j = rhv_xcalloc(1, sizeof(*j));
	pthread_condattr_t ca;

	pthread_mutex_init(&j->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->cond, &ca);
	pthread_condattr_destroy(&ca);
	j->uri = rhv_xstrdup(uri);
	j->refs = 2;
	return j;
}

struct rhv_virt_opening *rhv_virt_open_start(const char *uri, int timeout_ms)
{
	struct rhv_virt_opening *o = rhv_xcalloc(1, sizeof(*o));

	o->uri = uri ? rhv_xstrdup(uri) : NULL;
	o->timeout_ms = timeout_ms;
	if (timeout_ms <= 0 || rhv_virt_init(NULL) < 0)
		return o; /* unbounded, or nothing to start: finish opens (and reports) */
	clock_gettime(CLOCK_MONOTONIC, &o->deadline);
	o->deadline.tv_sec += timeout_ms / 1000;
	o->deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (o->deadline.tv_nsec >= 1000000000L) {
		o->deadline.tv_sec++;
		o->deadline.tv_nsec -= 1000000000L;
	}
	o->job = job_new(uri);
	if (!start_worker(o->job)) {
		o->job->refs = 1;
		job_unref(o->job);
		o->job = NULL; /* no thread to spare: finish opens without a bound rather than not at all */
	}
	return o;
}

/* Wait for o's worker until its deadline. */
static virConnectPtr wait_worker(struct rhv_virt_opening *o, virErrorPtr *errp, bool *timed_out)
{
	struct open_job *j = o->job;
	virConnectPtr c = NULL;
	int rc = 0;

	pthread_mutex_lock(&j->lock);
	while (!j->done && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&j->cond, &j->lock, &o->deadline);
	if (j->done) {
		c = TAKE_PTR(j->conn);
		*errp = TAKE_PTR(j->error);
	} else {
		*timed_out = true;
	}
	pthread_mutex_unlock(&j->lock);
	job_unref(j);
	o->job = NULL;
	return c;
}

static void opening_free(struct rhv_virt_opening *o)
{
	free(o->uri);
	free(o);
}

struct rhv_virt_conn *rhv_virt_open_finish(struct rhv_virt_opening *o, struct rhv_error *err)
{
	struct rhv_virt_conn *conn = NULL;
	virErrorPtr e = NULL;
	bool timed_out = false;
	virConnectPtr c;
	char prefix[sizeof(err->message)];

	if (rhv_virt_init(err) < 0)
		goto out;
	snprintf(prefix, sizeof(prefix), "cannot connect to host at %s", o->uri ? o->uri : "(default)");
	if (o->job) {
		c = wait_worker(o, &e, &timed_out);
	} else {
		c = virConnectOpenAuth(o->uri, &no_prompt_auth, 0);
		if (!c)
			e = virSaveLastError();
		virResetLastError();
	}
	if (timed_out) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "%s: no answer within %d ms", prefix, o->timeout_ms);
		goto out;
	}
	if (!c) {
		fill_error(err, e, RHV_EXIT_UNAVAILABLE, prefix);
		virFreeError(e);
		goto out;
	}
	if (o->timeout_ms > 0 && event_loop) {
		int interval = (o->timeout_ms + 999) / 1000;

		if (interval > KEEPALIVE_MAX_S)
			interval = KEEPALIVE_MAX_S;
		/* -1 for drivers without keepalive (test:///, local ones): fine */
		virConnectSetKeepAlive(c, interval, KEEPALIVE_COUNT);
		virResetLastError();
	}
	conn = rhv_xcalloc(1, sizeof(*conn));
	conn->ptr = c;
out:
	opening_free(o);
	return conn;
}

void rhv_virt_open_abandon(struct rhv_virt_opening *o)
{
	if (!o)
		return;
	if (o->job)
		job_unref(o->job); /* the worker closes what it gets */
	opening_free(o);
}

struct rhv_virt_conn *rhv_virt_open(const char *uri, int timeout_ms, struct rhv_error *err)
{
	return rhv_virt_open_finish(rhv_virt_open_start(uri, timeout_ms), err);
}

void rhv_virt_close(struct rhv_virt_conn *c)
{
	if (!c)
		return;
	virConnectClose(c->ptr);
	free(c);
}

int rhv_virt_check_alive(struct rhv_virt_conn *c, struct rhv_error *err, const char *fmt, ...)
{
	va_list ap;

	if (virConnectIsAlive(c->ptr) == 1)
		return 0;
	va_start(ap, fmt);
	rhv_virt_verror(err, fmt, ap);
	va_end(ap);
	return -1;
}
