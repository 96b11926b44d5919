/*
 * Storage-domain volumes by id and their parent chains: the index that
 * spares a walk from scanning the domain at each step, a volume's chain,
 * and the check that every chain of a domain ends without a cycle.
 */
#include "rhv/common.h"

#include <stdlib.h>

#include "rhv/sdmeta.h"
#include "rhv/strindex.h"

#include "storage/sdmeta-priv.h"

void rhv_sdmeta_index_volumes(const struct rhv_sd_meta *m, struct volume_index *vi)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nimages; i++)
		n += m->images[i].nvolumes;
	vi->vols = rhv_xcalloc(n + 1, sizeof(*vi->vols));
	vi->n = 0;
	vi->dup = -1;
	rhv_strindex_init(&vi->ids, n);
	for (size_t i = 0; i < m->nimages; i++)
		for (size_t j = 0; j < m->images[i].nvolumes; j++) {
			vi->vols[vi->n] = &m->images[i].volumes[j];
			if (rhv_strindex_add(&vi->ids, vi->vols[vi->n]->id, (int)vi->n) >= 0 && vi->dup < 0)
				vi->dup = (int)vi->n;
			vi->n++;
		}
}

void rhv_sdmeta_index_clear(struct volume_index *vi)
{
	rhv_strindex_clear(&vi->ids);
	free(vi->vols);
}

static struct rhv_sd_volume *indexed(const struct volume_index *vi, const char *id)
{
	int k = rhv_strindex_get(&vi->ids, id);

	return k < 0 ? NULL : vi->vols[k];
}

int rhv_sdmeta_chain(const struct rhv_sd_meta *m, const char *id, struct rhv_sd_volume ***out,
		     size_t *n, struct rhv_error *err)
{
	struct volume_index vi;
	struct rhv_sd_volume *v;
	/* A chain longer than the number of volumes must revisit one: a cycle. */
	size_t len = 0;
	struct rhv_sd_volume **chain;

	*out = NULL;
	*n = 0;
	rhv_sdmeta_index_volumes(m, &vi);
	v = indexed(&vi, id);
	if (!v) {
		rhv_sdmeta_index_clear(&vi);
		return rhv_error_set(err, RHV_EXIT_NOTFOUND, "volume %s does not exist", id ? id : "");
	}
	chain = rhv_xcalloc(vi.n, sizeof(*chain));
	for (;;) {
		if (len == vi.n) {
			free(chain);
			rhv_sdmeta_index_clear(&vi);
			return rhv_error_set(err, RHV_EXIT_FAILED,
					     "volume %s: the parent chain has a cycle", id);
		}
		chain[len++] = v;
		if (!v->parent[0])
			break;
		struct rhv_sd_volume *p = indexed(&vi, v->parent);

		if (!p) {
			free(chain);
			rhv_sdmeta_index_clear(&vi);
			return rhv_error_set(err, RHV_EXIT_FAILED, "volume %s: parent %s does not exist",
					     v->id, v->parent);
		}
		v = p;
	}
	rhv_sdmeta_index_clear(&vi);
	/* Collected leaf first; callers want base first (the order to open them). */
	for (size_t i = 0; i < len / 2; i++) {
		struct rhv_sd_volume *tmp = chain[i];

		chain[i] = chain[len - 1 - i];
		chain[len - 1 - i] = tmp;
	}
	*out = chain;
	*n = len;
	return 0;
}

/*
 * Every volume's chain ends at a base, in time linear in the volumes: a
 * volume whose chain was found good is not walked again.  The first volume
 * (in file order) whose chain is broken is named as rhv_sdmeta_chain()
 * would name it.
 */
int rhv_sdmeta_check_chains(const struct volume_index *vi, struct rhv_error *err)
{
	enum { UNSEEN, ON_WALK, GOOD };
	uint8_t *state = rhv_xcalloc(vi->n + 1, 1);
	int *walk = rhv_xcalloc(vi->n + 1, sizeof(int));
	int rc = 0;

	for (size_t start = 0; start < vi->n && rc == 0; start++) {
		size_t len = 0;
		int k = (int)start;

		while (k >= 0 && state[k] == UNSEEN) {
			const struct rhv_sd_volume *v = vi->vols[k];

			state[k] = ON_WALK;
			walk[len++] = k;
			if (!v->parent[0]) {
				k = -1;
			} else if ((k = rhv_strindex_get(&vi->ids, v->parent)) < 0) {
				rc = rhv_error_set(err, RHV_EXIT_FAILED, "volume %s: parent %s does not exist", v->id,
						   v->parent);
				break;
			}
		}
		if (rc == 0 && k >= 0 && state[k] == ON_WALK)
			rc = rhv_error_set(err, RHV_EXIT_FAILED, "volume %s: the parent chain has a cycle",
					   vi->vols[start]->id);
		while (len > 0)
			state[walk[--len]] = GOOD;
	}
	free(state);
	free(walk);
	return rc;
}
