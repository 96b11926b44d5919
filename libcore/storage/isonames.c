/* The completer of ISO files (rhv/names.h), next to rhv_iso_list. */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>

#include "rhv/disk.h"
#include "rhv/names.h"

/* FILE, or DOMAIN:FILE where two domains hold the same name (rhv_vm_set_cdrom takes both) */
static void complete_iso(struct rhv_completion *c)
{
	struct rhv_db *db = rhv_completion_db(c);
	struct rhv_error err = { 0 };
	struct rhv_iso_list l = { 0 };

	if (!db)
		return;
	if (rhv_iso_list(db, NULL, &l, &err) == 0)
		for (size_t i = 0; i < l.n; i++) {
			bool twice = false;

			for (size_t k = 0; k < l.n; k++)
				twice |= k != i && !strcmp(l.items[k].name, l.items[i].name);
			if (twice) {
				char *full = rhv_xasprintf("%s:%s", l.items[i].domain, l.items[i].name);

				rhv_offer(c, full);
				free(full);
			} else {
				rhv_offer(c, l.items[i].name);
			}
		}
	rhv_iso_list_clear(&l);
}

const struct rhv_completer rhv_names_iso = { .complete = complete_iso };
