/*
 * Which hosts a network's label concerns (reference 3.9): those of the
 * clusters it is attached to, with the device carrying its label, the one
 * carrying its previous label, and where the network is now.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/netlabel.h"
#include "store/store-priv.h"

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int rhv_db_label_hosts(struct rhv_db *db, const char *network_id, const char *label, const char *old_label,
		       const char *cluster, struct rhv_db_label_hosts *out, struct rhv_error *err)
{
	static const char sql[] =
		"SELECT h.id, h.name,"
		" (SELECT k.name FROM host_nics k WHERE k.host_id = h.id AND $2 = ANY (k.labels) ORDER BY k.name LIMIT 1)"
		"  AS label_dev,"
		" (SELECT k.name FROM host_nics k WHERE k.host_id = h.id AND $3 = ANY (k.labels) ORDER BY k.name LIMIT 1)"
		"  AS old_dev,"
		" (SELECT x.nic FROM host_networks x WHERE x.host_id = h.id AND x.network_id = $1) AS cur_dev"
		" FROM hosts h WHERE CASE WHEN $4::text IS NULL THEN EXISTS (SELECT 1 FROM cluster_networks c"
		"  WHERE c.cluster_id = h.cluster_id AND c.network_id = $1)"
		"  ELSE h.cluster_id IN (SELECT c.id FROM clusters c WHERE c.name = $4 OR c.id::text = $4) END"
		" ORDER BY h.name";
	_cleanup_pgresult_ PGresult *r = NULL;

	memset(out, 0, sizeof(*out));
	if (rhv_db_exec(db, sql, RHV_PARAMS(network_id, nonempty(label), nonempty(old_label), cluster), &r, err) < 0)
		return -1;
	out->n = (size_t)PQntuples(r);
	out->items = rhv_xcalloc(out->n + 1, sizeof(*out->items));
	for (size_t i = 0; i < out->n; i++) {
		struct rhv_db_label_host *h = &out->items[i];
		int row = (int)i;

		snprintf(h->id, sizeof(h->id), "%s", rhv_pq_str(r, row, "id"));
		h->name = rhv_pq_dup(r, row, "name");
		h->label_dev = rhv_pq_dup(r, row, "label_dev");
		h->old_dev = rhv_pq_dup(r, row, "old_dev");
		h->cur_dev = rhv_pq_dup(r, row, "cur_dev");
	}
	return 0;
}

void rhv_db_label_hosts_clear(struct rhv_db_label_hosts *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].name);
		free(l->items[i].label_dev);
		free(l->items[i].old_dev);
		free(l->items[i].cur_dev);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}
