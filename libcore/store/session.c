/*
 * The store as the command engine sees it (struct rhv_session): the engine
 * opens and closes it for a verb without knowing what it is.
 */
#include "rhv/common.h"

#include "rhv/db.h"
#include "rhv/store-session.h"
#include "rhv/store.h"

static struct rhv_db *open_for_verb(const char *conninfo, const char *prog, bool write, bool any_schema,
				    struct rhv_error *err)
{
	return rhv_db_open(conninfo, prog, (write ? RHV_DB_WRITE : 0) | (any_schema ? RHV_DB_ANY_SCHEMA : 0), err);
}

/* completion stays silent: no server started, any schema, no error shown */
static struct rhv_db *open_quiet(const char *conninfo)
{
	struct rhv_error err = { 0 };

	return rhv_db_open(conninfo, "rhv-complete", RHV_DB_ANY_SCHEMA | RHV_DB_NO_START, &err);
}

const struct rhv_session rhv_store_session = {
	.open = open_for_verb,
	.open_quiet = open_quiet,
	.close = rhv_db_close,
	.set_debug = rhv_db_set_debug,
	.has_secret = rhv_store_has_secret,
};
