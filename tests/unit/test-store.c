/* Store plumbing that needs no server: error mapping, migrations, location. */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store-priv.h"
#include "rhv/store.h"
#include "tap.h"

static const struct {
	const char *in, *want, *what;
} redact_cases[] = {
	{ "host=db1,db2 user=rhv password=REAL target_session_attrs=read-write",
	  "user=rhv password=******** host=db1,db2 target_session_attrs=read-write", "keyword password" },
	{ "postgresql://rhv:REAL@db1:5432/rhv", "user=rhv password=******** dbname=rhv host=db1 port=5432",
	  "URI user info" },
	{ "host=db user=x password = 'a \\' REAL' dbname=rhv", "user=x password=******** dbname=rhv host=db",
	  "quoted password" },
	{ "postgresql:///rhv?host=/run/pg&password=REAL&sslmode=disable",
	  "password=******** dbname=rhv host=/run/pg sslmode=disable", "URI query password" },
	{ "host=/run/pg dbname=passwords", "dbname=passwords host=/run/pg", "nothing to hide" },
	{ "host=h password=x password=REAL", "password=******** host=h", "a repeated password (the last wins)" },
	{ "host=h\npassword=REAL", "password=******** host=h", "newline before password" },
	{ "host=h\rpassword=REAL", "password=******** host=h", "carriage return before password" },
	{ "host=h application_name=' password=d' password=REAL",
	  "password=******** host=h application_name=' password=d'", "a value that looks like a password" },
	{ "host=h sslpassword=REAL", "host=h sslpassword=********", "sslpassword" },
	{ "postgresql://u@h/d?%70assword=REAL", "user=u password=******** dbname=d host=h",
	  "percent-encoded key in a URI" },
	{ "postgresql://u@h/d?password=x&password=REAL", "user=u password=******** dbname=d host=h",
	  "repeated password in a URI" },
	{ "mydb", "dbname=mydb", "a single word: a database name" },
	{ "host=h port password=REAL", "(not a valid connection string)", "what libpq cannot parse: nothing of it" },
};

/* Write text to XDG_CONFIG_HOME's rhv.conf (dir must exist). */
static void write_conf(const char *dir, const char *text, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/rhv/rhv.conf", dir);
	f = fopen(path, "w");
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

/* Locate with only the config file at dir; the message of a failure into msg. */
static int locate_conf(const char *dir, struct rhv_store_loc *loc, char *msg, size_t len)
{
	struct rhv_error e = { 0 };
	int rc;

	setenv("XDG_CONFIG_HOME", dir, 1);
	rc = rhv_store_locate(NULL, loc, &e);
	snprintf(msg, len, "%s", e.message);
	return rc < 0 ? -(int)e.code : rc;
}

static void test_config(void)
{
	char dir[] = "/tmp/rhv-test-conf.XXXXXX", path[256], msg[512];
	static char big[8192];
	struct rhv_store_loc loc;
	int rc;

	if (!mkdtemp(dir)) {
		OK(0, "cannot make a temporary directory");
		return;
	}
	snprintf(path, sizeof(path), "%s/rhv", dir);
	mkdir(path, 0700);
	unsetenv("RHV_DB");

	/* a comment longer than any buffer stays a comment: its tail is no setting */
	memset(big, 'x', 4095);
	memcpy(big, "# ", 2);
	strcpy(big + 4095, "db = host=/evil\n");
	write_conf(dir, big, strlen(big));
	rc = locate_conf(dir, &loc, msg, sizeof(msg));
	OK(rc == 0 && loc.source == RHV_STORE_EMBEDDED,
	   "config: the tail of a 4,111-byte comment line is no db setting (%s)", rc == 0 ? loc.conninfo : msg);
	rhv_store_loc_clear(&loc);
	strcpy(big + 4095, "x\ndb = host=/good\n");
	write_conf(dir, big, strlen(big));
	rc = locate_conf(dir, &loc, msg, sizeof(msg));
	OK(rc == 0 && loc.source == RHV_STORE_CONFIG && !strcmp(loc.conninfo, "host=/good"),
	   "config: the db line after it counts (%s)", rc == 0 ? loc.conninfo : msg);
	rhv_store_loc_clear(&loc);

	write_conf(dir, "\xef\xbb\xbf" "db = host=/bom\n", 18);
	rc = locate_conf(dir, &loc, msg, sizeof(msg));
	OK(rc == 0 && loc.source == RHV_STORE_CONFIG && !strcmp(loc.conninfo, "host=/bom"),
	   "config: a UTF-8 byte order mark does not hide the db line");
	rhv_store_loc_clear(&loc);

	write_conf(dir, "db =\n", 5);
	OK(locate_conf(dir, &loc, msg, sizeof(msg)) == -RHV_EXIT_USAGE && strstr(msg, "'db' has no value"),
	   "config: an empty db value exits 2 (%s)", msg);
	rhv_store_loc_clear(&loc);

	write_conf(dir, "db = host=/x\0password=y\n", 25);
	OK(locate_conf(dir, &loc, msg, sizeof(msg)) == -RHV_EXIT_USAGE && strstr(msg, "NUL"),
	   "config: a NUL byte exits 2 (%s)", msg);
	rhv_store_loc_clear(&loc);

	snprintf(path, sizeof(path), "%s/rhv/rhv.conf", dir);
	unlink(path);
	mkdir(path, 0700);
	OK(locate_conf(dir, &loc, msg, sizeof(msg)) == -RHV_EXIT_USAGE && strstr(msg, "not a regular file"),
	   "config: a directory at the path exits 2 (%s)", msg);
	rhv_store_loc_clear(&loc);
	rmdir(path);

	OK(symlink("/dev/zero", path) == 0 && locate_conf(dir, &loc, msg, sizeof(msg)) == -RHV_EXIT_USAGE &&
		   strstr(msg, "not a regular file"),
	   "config: /dev/zero exits 2 at once (%s)", msg);
	rhv_store_loc_clear(&loc);
	unlink(path);

	OK(mkfifo(path, 0600) == 0 && locate_conf(dir, &loc, msg, sizeof(msg)) == -RHV_EXIT_USAGE,
	   "config: a FIFO exits 2 and does not hang (%s)", msg);
	rhv_store_loc_clear(&loc);
	unlink(path);

	write_conf(dir, "db = host=h port password=REAL\n", 31);
	OK(locate_conf(dir, &loc, msg, sizeof(msg)) == -RHV_EXIT_USAGE && !strstr(msg, "REAL"),
	   "config: a connection string libpq cannot parse exits 2 and is not quoted (%s)", msg);
	rhv_store_loc_clear(&loc);
	unlink(path);

	snprintf(path, sizeof(path), "%s/rhv", dir);
	rmdir(path);
	rmdir(dir);
	unsetenv("XDG_CONFIG_HOME");
}

int main(void)
{
	struct rhv_store_loc loc;
	struct rhv_error err = { 0 };
	char why[128] = "";
	char *s;

	OK(rhv_db_exit_for_sqlstate("23505") == RHV_EXIT_CONFLICT, "unique violation -> conflict (4)");
	OK(rhv_db_exit_for_sqlstate("23503") == RHV_EXIT_CONFLICT, "foreign key violation -> conflict (4)");
	OK(rhv_db_exit_for_sqlstate("40001") == RHV_EXIT_CONFLICT, "serialization failure -> conflict (4)");
	OK(rhv_db_exit_for_sqlstate("08006") == RHV_EXIT_UNAVAILABLE, "connection failure -> unavailable (5)");
	OK(rhv_db_exit_for_sqlstate("57P01") == RHV_EXIT_UNAVAILABLE, "admin shutdown -> unavailable (5)");
	OK(rhv_db_exit_for_sqlstate(NULL) == RHV_EXIT_UNAVAILABLE, "no answer -> unavailable (5)");
	OK(rhv_db_exit_for_sqlstate("22P02") == RHV_EXIT_USAGE, "invalid text representation -> usage (2)");
	OK(rhv_db_exit_for_sqlstate("42601") == RHV_EXIT_FAILED, "syntax error -> failed (1)");
	OK(rhv_db_migrations_check(why, sizeof(why)) == 0, "migrations numbered 1..n and described %s", why);
	OK(rhv_db_schema_latest() >= 2, "at least two migrations");

	/* redaction works on libpq's own parse: every form of a secret, displayed as keyword=value */
	for (size_t i = 0; i < RHV_ARRAY_SIZE(redact_cases); i++) {
		s = rhv_store_redact(redact_cases[i].in);
		IS_STR(s, redact_cases[i].want, "redact: %s", redact_cases[i].what);
		OK(s && !strstr(s, "REAL"), "redact: %s: no secret left", redact_cases[i].what);
		free(s);
	}
	OK(rhv_store_has_secret("host=x password=REAL") && rhv_store_has_secret("postgresql://u:REAL@h/d") &&
		   rhv_store_has_secret("host=x sslpassword=REAL") && rhv_store_has_secret("host=x port"),
	   "has_secret: passwords, URI user info, sslpassword, and what libpq cannot parse");
	OK(!rhv_store_has_secret("host=x dbname=passwords") && !rhv_store_has_secret("service=prod") &&
		   !rhv_store_has_secret("mydb"),
	   "has_secret: nothing secret in a plain string, a service or a database name");

	unsetenv("RHV_DB");
	setenv("XDG_CONFIG_HOME", "/nonexistent-conf", 1);
	setenv("XDG_DATA_HOME", "/srv/data", 1);
	OK(rhv_store_locate("service=prod", &loc, &err) == 0 && loc.source == RHV_STORE_FLAG &&
		   !strcmp(loc.conninfo, "service=prod"),
	   "--db wins");
	rhv_store_loc_clear(&loc);
	setenv("RHV_DB", "dbname=x", 1);
	OK(rhv_store_locate(NULL, &loc, &err) == 0 && loc.source == RHV_STORE_ENV, "then RHV_DB");
	rhv_store_loc_clear(&loc);
	unsetenv("RHV_DB");
	OK(rhv_store_locate(NULL, &loc, &err) == 0 && loc.source == RHV_STORE_EMBEDDED &&
		   !strcmp(loc.datadir, "/srv/data/rhv/pg") &&
		   !strcmp(loc.conninfo, "host='/srv/data/rhv/pg' dbname=rhv user=rhv"),
	   "else the embedded default under XDG_DATA_HOME");
	rhv_store_loc_clear(&loc);
	test_config();
	return tap_done();
}
