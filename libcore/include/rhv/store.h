/*
 * Where the store is: --db, else RHV_DB, else a config file
 * ($XDG_CONFIG_HOME/rhv/rhv.conf, then /etc/rhv/rhv.conf), else the
 * embedded default, a private PostgreSQL cluster reached over a unix socket
 * in its data directory.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

enum rhv_store_source {
	RHV_STORE_FLAG,
	RHV_STORE_ENV,
	RHV_STORE_CONFIG,
	RHV_STORE_EMBEDDED,
};

struct rhv_store_loc {
	enum rhv_store_source source;
	char *conninfo;    /* what libpq gets */
	char *config_path; /* RHV_STORE_CONFIG: the file it came from */
	char *datadir;     /* RHV_STORE_EMBEDDED: the cluster's data directory */
};

/*
 * Returns: 0, or -1 (RHV_EXIT_USAGE: unreadable or malformed config file,
 * or a connection string libpq cannot parse).
 */
int rhv_store_locate(const char *flag_conninfo, struct rhv_store_loc *loc, struct rhv_error *err);
void rhv_store_loc_clear(struct rhv_store_loc *loc);
const char *rhv_store_source_name(enum rhv_store_source s);
/*
 * The conninfo for display: rebuilt from libpq's own parse as
 * "keyword=value ...", every secret option (password, sslpassword: those
 * libpq marks never to display) shown as "********", whatever form gave
 * it (repeated, quoted, in a URI, percent-encoded).  Caller frees.
 */
char *rhv_store_redact(const char *conninfo);
/* Does conninfo set a secret option (or fail to parse, so that it might)? */
bool rhv_store_has_secret(const char *conninfo);

/* Embedded cluster management. */
bool rhv_store_embedded_exists(const struct rhv_store_loc *loc);
bool rhv_store_embedded_running(const struct rhv_store_loc *loc);
/* Create the cluster (initdb) and its database; idempotent. */
int rhv_store_embedded_init(const struct rhv_store_loc *loc, bool *created, struct rhv_error *err);
/* Start (waiting until it accepts connections) or stop; idempotent. */
int rhv_store_embedded_start(const struct rhv_store_loc *loc, bool *started, struct rhv_error *err);
int rhv_store_embedded_stop(const struct rhv_store_loc *loc, bool *stopped, struct rhv_error *err);
