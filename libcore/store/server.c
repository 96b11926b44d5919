/*
 * Locating the store, and the embedded default: a private PostgreSQL
 * cluster reached only over a unix socket inside its data directory.
 * PostgreSQL refuses to run as root, so when root runs the tools the
 * cluster belongs to the unprivileged system user "rhv".
 */
#include "rhv/common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/store.h"

#define EMBEDDED_DB "rhv"
#define EMBEDDED_ROLE "rhv"
#define SERVICE_USER "rhv"
#define SOCKET_PATH_MAX 107

const char *rhv_store_source_name(enum rhv_store_source s)
{
	switch (s) {
	case RHV_STORE_FLAG: return "--db";
	case RHV_STORE_ENV: return "RHV_DB";
	case RHV_STORE_CONFIG: return "config";
	case RHV_STORE_EMBEDDED: return "embedded";
	}
	return "?";
}

void rhv_store_loc_clear(struct rhv_store_loc *loc)
{
	free(loc->conninfo);
	free(loc->config_path);
	free(loc->datadir);
	memset(loc, 0, sizeof(*loc));
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* A config file is a few lines: anything larger is not one (and /dev/zero never ends). */
#define CONFIG_MAX_BYTES (1024 * 1024)

/* Open a config file that must be a regular file.  The stream, or NULL: absent, or *refused with err set. */
static FILE *open_config(const char *path, bool *refused, struct rhv_error *err)
{
	/* O_NONBLOCK: a FIFO put there must not hang us; cleared below for reading */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st = { 0 };
	FILE *f;

	*refused = false;
	if (fd < 0) {
		*refused = errno != ENOENT && errno != ENOTDIR;
		if (*refused)
			rhv_error_set(err, RHV_EXIT_USAGE, "cannot read config file '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > CONFIG_MAX_BYTES) {
		if (st.st_size > CONFIG_MAX_BYTES && S_ISREG(st.st_mode))
			rhv_error_set(err, RHV_EXIT_USAGE, "config file '%s' is larger than %d bytes", path,
				      CONFIG_MAX_BYTES);
		else
			rhv_error_set(err, RHV_EXIT_USAGE, "config file '%s' is not a regular file", path);
		*refused = true;
		close(fd);
		return NULL;
	}
	if (fcntl(fd, F_SETFL, 0) < 0 || !(f = fdopen(fd, "r"))) {
		rhv_error_set(err, RHV_EXIT_USAGE, "cannot read config file '%s': %s", path, strerror(errno));
		*refused = true;
		close(fd);
		return NULL;
	}
	return f;
}

/* Read "db = CONNINFO" from a config file.  1 found, 0 absent, -1 error. */
static int read_config(const char *path, char **conninfo, struct rhv_error *err)
{
	bool refused;
	_cleanup_fclose_ FILE *f = open_config(path, &refused, err);
	_cleanup_free_ char *line = NULL;
	size_t cap = 0, total = 0;
	ssize_t len;
	int lineno = 0;

	if (!f)
		return refused ? -1 : 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *s = line, *eq;

		lineno++;
		total += (size_t)len; /* again: a file may grow, or lie about its size (procfs) */
		if (total > CONFIG_MAX_BYTES)
			return rhv_error_set(err, RHV_EXIT_USAGE, "config file '%s' is larger than %d bytes", path,
					     CONFIG_MAX_BYTES);
		if (memchr(line, '\0', (size_t)len))
			return rhv_error_set(err, RHV_EXIT_USAGE, "config file '%s' line %d: contains a NUL byte", path,
					     lineno);
		if (lineno == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
			s += 3; /* a UTF-8 byte order mark, as some editors write */
		s = trim(s);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq)
			return rhv_error_set(err, RHV_EXIT_USAGE, "config file '%s' line %d: expected 'key = value'", path, lineno);
		*eq = '\0';
		if (strcmp(trim(s), "db"))
			continue; /* keys of newer tools: ignored, as git does */
		if (!*trim(eq + 1))
			return rhv_error_set(err, RHV_EXIT_USAGE, "config file '%s' line %d: 'db' has no value", path,
					     lineno);
		free(*conninfo);
		*conninfo = rhv_xstrdup(trim(eq + 1));
	}
	if (ferror(f))
		return rhv_error_set(err, RHV_EXIT_USAGE, "cannot read config file '%s': %s", path, strerror(errno));
	return *conninfo ? 1 : 0;
}

/* Quote a value for a conninfo string. */
static char *conninfo_quote(const char *v)
{
	char *out = rhv_xmalloc(strlen(v) * 2 + 3), *o = out;

	*o++ = '\'';
	for (; *v; v++) {
		if (*v == '\'' || *v == '\\')
			*o++ = '\\';
		*o++ = *v;
	}
	*o++ = '\'';
	*o = '\0';
	return out;
}

static char *embedded_datadir(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return rhv_xasprintf("%s/rhv/pg", xdg);
	/* root's home is not traversable by the unprivileged server user */
	if (geteuid() == 0 || !home || home[0] != '/')
		return rhv_xstrdup("/var/lib/rhv/pg");
	return rhv_xasprintf("%s/.local/share/rhv/pg", home);
}

/* Does libpq read conninfo as keyword=value pairs or a URI (else: a database name)? */
static bool is_connection_string(const char *conninfo)
{
	return strchr(conninfo, '=') || !strncmp(conninfo, "postgresql://", 13) || !strncmp(conninfo, "postgres://", 11);
}

/*
 * libpq's own parse of conninfo as PQconnectdbParams reads it (a single
 * word is a database name), or NULL if it cannot parse it.  Free with
 * PQconninfoFree.
 */
static PQconninfoOption *parse_conninfo(const char *conninfo)
{
	_cleanup_free_ char *quoted = conninfo_quote(conninfo);
	_cleanup_free_ char *as_dbname = rhv_xasprintf("dbname=%s", quoted);
	char *errmsg = NULL;
	PQconninfoOption *opts = PQconninfoParse(is_connection_string(conninfo) ? conninfo : as_dbname, &errmsg);

	PQfreemem(errmsg); /* it may quote the string, password and all */
	return opts;
}

/* A secret: libpq's own mark for options never to display (password, sslpassword, ...). */
static bool is_secret(const PQconninfoOption *o)
{
	return o->dispchar && strchr(o->dispchar, '*');
}

/* A value as conninfo writes it: quoted when empty or when it holds blanks, quotes or backslashes. */
static char *display_value(const char *v)
{
	for (const char *c = v; *c; c++)
		if (isspace((unsigned char)*c) || *c == '\'' || *c == '\\')
			return conninfo_quote(v);
	return *v ? rhv_xstrdup(v) : conninfo_quote(v);
}

char *rhv_store_redact(const char *conninfo)
{
	PQconninfoOption *opts = parse_conninfo(conninfo);
	char *out = NULL;

	if (!opts)
		return rhv_xstrdup("(not a valid connection string)");
	for (const PQconninfoOption *o = opts; o->keyword; o++) {
		_cleanup_free_ char *v = NULL;

		if (!o->val)
			continue;
		v = is_secret(o) ? rhv_xstrdup("********") : display_value(o->val);
		rhv_xappendf(&out, " ", "%s=%s", o->keyword, v);
	}
	PQconninfoFree(opts);
	return out ? out : rhv_xstrdup("");
}

bool rhv_store_has_secret(const char *conninfo)
{
	PQconninfoOption *opts = parse_conninfo(conninfo);
	bool secret = !opts; /* unparsed: it might hold one */

	for (const PQconninfoOption *o = opts; o && o->keyword; o++)
		secret |= is_secret(o) && o->val && *o->val;
	PQconninfoFree(opts);
	return secret;
}

/* A conninfo libpq cannot parse is refused before any connection (whose error could quote it). */
static int check_conninfo(struct rhv_store_loc *loc, struct rhv_error *err)
{
	PQconninfoOption *opts = parse_conninfo(loc->conninfo);

	if (opts) {
		PQconninfoFree(opts);
		return 0;
	}
	if (loc->source == RHV_STORE_CONFIG)
		rhv_error_set(err, RHV_EXIT_USAGE, "invalid connection string in config file '%s'", loc->config_path);
	else
		rhv_error_set(err, RHV_EXIT_USAGE, "invalid connection string from %s", rhv_store_source_name(loc->source));
	rhv_error_hint(err, "give keyword=value pairs ('host=db1 dbname=rhv'), a postgresql:// URI or service=NAME");
	rhv_store_loc_clear(loc); /* callers clear only what they got */
	return -1;
}

int rhv_store_locate(const char *flag_conninfo, struct rhv_store_loc *loc, struct rhv_error *err)
{
	const char *env = getenv("RHV_DB");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	_cleanup_free_ char *user_conf = NULL;
	const char *const *p;
	const char *paths[3] = { NULL, "/etc/rhv/rhv.conf", NULL };

	memset(loc, 0, sizeof(*loc));
	if (flag_conninfo && *flag_conninfo) {
		loc->source = RHV_STORE_FLAG;
		loc->conninfo = rhv_xstrdup(flag_conninfo);
		return check_conninfo(loc, err);
	}
	if (env && *env) {
		loc->source = RHV_STORE_ENV;
		loc->conninfo = rhv_xstrdup(env);
		return check_conninfo(loc, err);
	}
	if (xdg && xdg[0] == '/')
		user_conf = rhv_xasprintf("%s/rhv/rhv.conf", xdg);
	else if (home && home[0] == '/')
		user_conf = rhv_xasprintf("%s/.config/rhv/rhv.conf", home);
	paths[0] = user_conf ? user_conf : paths[1];
	for (p = paths; *p; p++) {
		int r = read_config(*p, &loc->conninfo, err);

		if (r < 0)
			return -1;
		if (r > 0) {
			loc->source = RHV_STORE_CONFIG;
			loc->config_path = rhv_xstrdup(*p);
			return check_conninfo(loc, err);
		}
	}
	loc->source = RHV_STORE_EMBEDDED;
	loc->datadir = embedded_datadir();
	{
		_cleanup_free_ char *q = conninfo_quote(loc->datadir);

		loc->conninfo = rhv_xasprintf("host=%s dbname=" EMBEDDED_DB " user=" EMBEDDED_ROLE, q);
	}
	return 0;
}

/* ---- the embedded cluster ---- */

static bool file_exists(const char *dir, const char *name)
{
	_cleanup_free_ char *p = rhv_xasprintf("%s/%s", dir, name);

	return access(p, F_OK) == 0;
}

bool rhv_store_embedded_exists(const struct rhv_store_loc *loc)
{
	return loc->datadir && file_exists(loc->datadir, "PG_VERSION");
}

bool rhv_store_embedded_running(const struct rhv_store_loc *loc)
{
	_cleanup_free_ char *q = conninfo_quote(loc->datadir);
	_cleanup_free_ char *ci = rhv_xasprintf("host=%s dbname=postgres user=" EMBEDDED_ROLE, q);
	PGPing p = PQping(ci);

	return p == PQPING_OK || p == PQPING_REJECT;
}

/* Directory with the newest PostgreSQL server binaries. */
static char *pg_bindir(void)
{
	const char *env = getenv("RHV_PG_BINDIR");
	DIR *d;
	struct dirent *e;
	long best = -1;

	if (env && *env)
		return rhv_xstrdup(env);
	d = opendir("/usr/lib/postgresql");
	while (d && (e = readdir(d))) {
		char *end;
		long v = strtol(e->d_name, &end, 10);
		_cleanup_free_ char *p = rhv_xasprintf("/usr/lib/postgresql/%s/bin/initdb", e->d_name);

		if (*end == '\0' && v > best && access(p, X_OK) == 0)
			best = v;
	}
	if (d)
		closedir(d);
	return best >= 0 ? rhv_xasprintf("/usr/lib/postgresql/%ld/bin", best) : rhv_xstrdup("/usr/bin");
}

struct owner {
	uid_t uid;
	gid_t gid;
	bool switch_user;
};

/* Who runs the server: ourselves, or the service user when we are root. */
static int server_owner(struct owner *o, bool create, struct rhv_error *err)
{
	struct passwd *pw;

	o->switch_user = geteuid() == 0;
	o->uid = geteuid();
	o->gid = getegid();
	if (!o->switch_user)
		return 0;
	pw = getpwnam(SERVICE_USER);
	if (!pw && create) {
		int st = system("useradd --system --user-group --no-create-home --home-dir /var/lib/rhv "
				"--shell /usr/sbin/nologin " SERVICE_USER " >/dev/null 2>&1");

		(void)st;
		pw = getpwnam(SERVICE_USER);
	}
	if (!pw) {
		rhv_error_set(err, RHV_EXIT_FAILED,
			      "PostgreSQL will not run as root and the system user '" SERVICE_USER "' does not exist");
		rhv_error_hint(err, "create it with 'useradd --system --user-group " SERVICE_USER "' (make deps does)");
		return -1;
	}
	o->uid = pw->pw_uid;
	o->gid = pw->pw_gid;
	return 0;
}

/*
 * Run a PostgreSQL program as the owner, its output appended to logpath.
 * The log is opened before switching user when the owner cannot create it
 * there (initdb's log sits beside the data directory).  Returns the exit status.
 */
static int run_pg(const struct owner *o, const char *logpath, bool open_log_first, char *const argv[])
{
	pid_t pid = fork();
	int st, fd = -1;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (open_log_first)
			fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (o->switch_user &&
		    (setgroups(0, NULL) < 0 || setgid(o->gid) < 0 || setuid(o->uid) < 0))
			_exit(126);
		if (!open_log_first)
			fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (null >= 0)
			dup2(null, 0);
		if (chdir("/") < 0)
			_exit(126);
		setsid(); /* the server must not die with our terminal */
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int mkdir_owned(const char *path, mode_t mode, const struct owner *o, struct rhv_error *err)
{
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot create '%s': %s", path, strerror(errno));
	if (o && chown(path, o->uid, o->gid) < 0)
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot hand '%s' to the server user: %s", path,
				     strerror(errno));
	return 0;
}

static int mkdir_parents(const char *path, struct rhv_error *err)
{
	_cleanup_free_ char *p = rhv_xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir_owned(p, 0755, NULL, err) < 0)
			return -1;
		*s = '/';
	}
	return 0;
}

/* An exclusive lock so two processes never initdb or start at once. */
static int lock_store(const struct rhv_store_loc *loc, struct rhv_error *err)
{
	_cleanup_free_ char *path = rhv_xasprintf("%s.lock", loc->datadir);
	int fd;

	if (mkdir_parents(path, err) < 0)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		rhv_error_set(err, RHV_EXIT_FAILED, "cannot lock '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static char *logfile(const struct rhv_store_loc *loc)
{
	return rhv_xasprintf("%s/server.log", loc->datadir);
}

static int start_locked(const struct rhv_store_loc *loc, const struct owner *o, bool *started,
			struct rhv_error *err)
{
	_cleanup_free_ char *bindir = pg_bindir();
	_cleanup_free_ char *pg_ctl = rhv_xasprintf("%s/pg_ctl", bindir);
	_cleanup_free_ char *log = logfile(loc);
	char *argv[] = { pg_ctl, "-D", loc->datadir, "-l", log, "-w", "-t", "60", "-s", "start", NULL };

	*started = false;
	if (rhv_store_embedded_running(loc))
		return 0;
	if (run_pg(o, log, false, argv) != 0) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot start the embedded store in '%s'", loc->datadir);
		rhv_error_hint(err, "see '%s'", log);
		return -1;
	}
	*started = true;
	return 0;
}

static int create_database(const struct rhv_store_loc *loc, struct rhv_error *err)
{
	_cleanup_free_ char *q = conninfo_quote(loc->datadir);
	_cleanup_free_ char *ci = rhv_xasprintf("host=%s dbname=postgres user=" EMBEDDED_ROLE, q);
	PGconn *c = PQconnectdb(ci);
	PGresult *r;
	int rc = 0;

	if (PQstatus(c) != CONNECTION_OK) {
		rc = rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot connect to the embedded store: %s",
				   PQerrorMessage(c));
		PQfinish(c);
		return rc;
	}
	r = PQexecParams(c, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL,
			 (const char *const[]){ EMBEDDED_DB }, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 0) {
		PQclear(r);
		/* the name is a constant identifier, not a value */
		r = PQexec(c, "CREATE DATABASE " EMBEDDED_DB);
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = rhv_error_set(err, RHV_EXIT_FAILED, "cannot create the database: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return rc;
}

static int write_server_config(const struct rhv_store_loc *loc, struct rhv_error *err)
{
	_cleanup_free_ char *path = rhv_xasprintf("%s/postgresql.conf", loc->datadir);
	_cleanup_fclose_ FILE *f = fopen(path, "ae");

	if (!f)
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot write '%s': %s", path, strerror(errno));
	/* unix socket only, readable by the owner (and root) alone */
	fprintf(f, "listen_addresses = ''\nunix_socket_directories = '%s'\nunix_socket_permissions = 0700\n",
		loc->datadir);
	return 0;
}

/* The server user must be able to walk down to its data directory. */
static int check_reachable(const char *datadir, const struct owner *o, struct rhv_error *err)
{
	_cleanup_free_ char *p = rhv_xstrdup(datadir);
	char *slash;

	if (!o->switch_user)
		return 0;
	while ((slash = strrchr(p, '/')) && slash != p) {
		struct stat st;

		*slash = '\0';
		if (stat(p, &st) < 0)
			continue; /* created later, world-traversable */
		if (st.st_uid != o->uid && !(st.st_mode & S_IXOTH)) {
			rhv_error_set(err, RHV_EXIT_FAILED, "the server user '" SERVICE_USER "' cannot reach '%s'",
				      datadir);
			rhv_error_detail(err, "'%s' is mode %03o and not open to other users", p,
					 (unsigned)(st.st_mode & 0777));
			rhv_error_hint(err, "unset XDG_DATA_HOME to use /var/lib/rhv, or point it outside that directory");
			return -1;
		}
	}
	return 0;
}

int rhv_store_embedded_init(const struct rhv_store_loc *loc, bool *created, struct rhv_error *err)
{
	struct owner o;
	_cleanup_close_ int lock = -1;
	bool started;

	*created = false;
	if (strlen(loc->datadir) + strlen("/.s.PGSQL.5432") > SOCKET_PATH_MAX) {
		rhv_error_set(err, RHV_EXIT_USAGE, "the path '%s' is too long for a unix socket", loc->datadir);
		rhv_error_hint(err, "set XDG_DATA_HOME to a shorter directory");
		return -1;
	}
	if (server_owner(&o, true, err) < 0 || check_reachable(loc->datadir, &o, err) < 0 ||
	    (lock = lock_store(loc, err)) < 0)
		return -1;
	if (!rhv_store_embedded_exists(loc)) {
		_cleanup_free_ char *bindir = pg_bindir();
		_cleanup_free_ char *initdb = rhv_xasprintf("%s/initdb", bindir);
		_cleanup_free_ char *log = rhv_xasprintf("%s.initdb.log", loc->datadir);
		char *argv[] = { initdb, "-D", loc->datadir, "-U", EMBEDDED_ROLE, "-A", "trust", "-E", "UTF8",
				 "--no-locale", "--no-instructions", NULL };

		if (mkdir_parents(loc->datadir, err) < 0 || mkdir_owned(loc->datadir, 0700, &o, err) < 0)
			return -1;
		if (run_pg(&o, log, true, argv) != 0) {
			rhv_error_set(err, RHV_EXIT_FAILED, "initdb failed for '%s'", loc->datadir);
			rhv_error_hint(err, "see '%s'", log);
			return -1;
		}
		unlink(log);
		if (write_server_config(loc, err) < 0)
			return -1;
		*created = true;
	}
	if (start_locked(loc, &o, &started, err) < 0)
		return -1;
	return create_database(loc, err);
}

int rhv_store_embedded_start(const struct rhv_store_loc *loc, bool *started, struct rhv_error *err)
{
	struct owner o;
	_cleanup_close_ int lock = -1;

	*started = false;
	if (!rhv_store_embedded_exists(loc)) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "the embedded store in '%s' does not exist", loc->datadir);
		rhv_error_hint(err, "run 'rhv-db init' to create it");
		return -1;
	}
	if (server_owner(&o, false, err) < 0 || (lock = lock_store(loc, err)) < 0)
		return -1;
	return start_locked(loc, &o, started, err);
}

int rhv_store_embedded_stop(const struct rhv_store_loc *loc, bool *stopped, struct rhv_error *err)
{
	struct owner o;
	_cleanup_close_ int lock = -1;
	_cleanup_free_ char *bindir = pg_bindir();
	_cleanup_free_ char *pg_ctl = rhv_xasprintf("%s/pg_ctl", bindir);
	_cleanup_free_ char *log = NULL;
	char *argv[] = { pg_ctl, "-D", loc->datadir, "-m", "fast", "-w", "-t", "60", "-s", "stop", NULL };

	*stopped = false;
	if (!rhv_store_embedded_exists(loc))
		return 0;
	if (server_owner(&o, false, err) < 0 || (lock = lock_store(loc, err)) < 0)
		return -1;
	if (!rhv_store_embedded_running(loc))
		return 0;
	log = logfile(loc);
	if (run_pg(&o, log, false, argv) != 0)
		return rhv_error_set(err, RHV_EXIT_FAILED, "cannot stop the embedded store in '%s'", loc->datadir);
	*stopped = true;
	return 0;
}
