/* Store plumbing that needs no server: error mapping, migrations, location. */
#include "rhv/common.h"

#include <stdlib.h>

#include "db-priv.h"
#include "rhv/store.h"
#include "tap.h"

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

	s = rhv_store_redact("host=db1,db2 user=rhv password=s3cret target_session_attrs=read-write");
	IS_STR(s, "host=db1,db2 user=rhv password=******** target_session_attrs=read-write",
	       "redact: keyword password hidden");
	free(s);
	s = rhv_store_redact("postgresql://rhv:s3cret@db1:5432/rhv");
	IS_STR(s, "postgresql://rhv:********@db1:5432/rhv", "redact: URI password hidden");
	free(s);
	s = rhv_store_redact("host=db user=x password = 'a \\' b' dbname=rhv");
	IS_STR(s, "host=db user=x password = ******** dbname=rhv", "redact: quoted password hidden");
	free(s);
	s = rhv_store_redact("postgresql:///rhv?host=/run/pg&password=top&sslmode=disable");
	IS_STR(s, "postgresql:///rhv?host=/run/pg&password=********&sslmode=disable", "redact: URI query password hidden");
	free(s);
	s = rhv_store_redact("host=/run/pg dbname=passwords");
	IS_STR(s, "host=/run/pg dbname=passwords", "redact: nothing to hide");
	free(s);

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
	return tap_done();
}
