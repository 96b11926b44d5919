/* The rows scrub reads and settles (store/scrub.h). */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-priv.h"
#include "store/scrub.h"
#include "rhv/event.h"

int rhv_db_scrub_locked(struct rhv_db *db, const char *domain_id, struct rhv_db_scrub_disk **disks, size_t *n,
			struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*disks = NULL;
	*n = 0;
	if (rhv_db_exec(db,
			"SELECT k.id, k.name, k.operation, k.domain_id = $1 AS here, t.path AS target_path"
			" FROM disks k LEFT JOIN storage_domains t ON t.id = k.target_domain_id"
			" WHERE k.status = 'Locked' AND (k.domain_id = $1 OR k.target_domain_id = $1) ORDER BY k.name",
			RHV_PARAMS(domain_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*disks = rhv_xcalloc(*n ? *n : 1, sizeof(**disks));
	for (size_t i = 0; i < *n; i++) {
		struct rhv_db_scrub_disk *d = &(*disks)[i];
		const char *op = rhv_pq_str(r, (int)i, "operation");

		snprintf(d->id, sizeof(d->id), "%s", rhv_pq_str(r, (int)i, "id"));
		d->name = rhv_pq_dup(r, (int)i, "name");
		d->operation = rhv_xstrdup(op ? op : "");
		d->target_path = rhv_pq_dup(r, (int)i, "target_path");
	}
	return 0;
}

void rhv_db_scrub_disks_free(struct rhv_db_scrub_disk *disks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(disks[i].name);
		free(disks[i].operation);
		free(disks[i].target_path);
	}
	free(disks);
}

int rhv_db_scrub_settle(struct rhv_db *db, const struct rhv_db_scrub_disk *d, bool drop, const char *why,
			const char *done, struct rhv_error *err)
{
	const char *sql = drop ? "DELETE FROM disks WHERE id = $1"
			       : "UPDATE disks SET status = 'OK', operation = NULL, target_domain_id = NULL WHERE id = $1";

	if (rhv_db_exec(db, sql, RHV_PARAMS(d->id), NULL, err) < 0)
		return -1;
	return rhv_event_add(db, RHV_SEV_WARNING, "disk", d->id, d->name, "scrub", err, "disk '%s': %s, %s by scrub",
			     d->name, why, done);
}

int rhv_db_scrub_disk_ids(struct rhv_db *db, const char *domain_id, char ***ids, size_t *n, struct rhv_error *err)
{
	_cleanup_pgresult_ PGresult *r = NULL;

	*ids = NULL;
	*n = 0;
	/* the memory images of snapshots are accounted for by them */
	if (rhv_db_exec(db,
			"SELECT id::text FROM disks WHERE domain_id = $1 OR target_domain_id = $1"
			" UNION ALL SELECT memory_image_id::text FROM snapshots WHERE memory_domain_id = $1",
			RHV_PARAMS(domain_id), &r, err) < 0)
		return -1;
	*n = (size_t)PQntuples(r);
	*ids = rhv_xcalloc(*n ? *n : 1, sizeof(**ids));
	for (size_t i = 0; i < *n; i++)
		(*ids)[i] = rhv_xstrdup(PQgetvalue(r, (int)i, 0));
	return 0;
}

int rhv_db_scrub_illegal(struct rhv_db *db, const char *disk_id, struct rhv_error *err)
{
	return rhv_db_exec(db, "UPDATE disks SET status = 'Illegal' WHERE id = $1 AND status = 'OK'",
			   RHV_PARAMS(disk_id), NULL, err);
}
