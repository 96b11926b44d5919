/* A snapshot's disks and chains rendered for rhv-snap: a JSON tree, and a line for people. */
#include "rhv/common.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/snap.h"

static json_object *volumes_json(const struct rhv_snap_volume *v, size_t n)
{
	json_object *arr = json_object_new_array_ext((int)n);

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_string(v[i].id));
		json_object_object_add(o, "format", json_object_new_string(v[i].format));
		json_object_object_add(o, "size", json_object_new_int64((int64_t)v[i].size));
		json_object_object_add(o, "actual", json_object_new_int64((int64_t)v[i].actual));
		json_object_object_add(o, "snapshot_id",
				       v[i].snapshot_id[0] ? json_object_new_string(v[i].snapshot_id) : NULL);
		json_object_object_add(o, "role", json_object_new_string(v[i].role));
		json_object_array_add(arr, o);
	}
	return arr;
}

char *rhv_snap_disks_json(const struct rhv_snap *s)
{
	json_object *arr = json_object_new_array_ext((int)s->ndisks);
	char *text;

	for (size_t i = 0; i < s->ndisks; i++) {
		const struct rhv_snap_disk *d = &s->disks[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_string(d->id));
		json_object_object_add(o, "name", json_object_new_string(d->name));
		json_object_object_add(o, "volume_id", json_object_new_string(d->volume_id));
		json_object_object_add(o, "chain", volumes_json(d->chain, d->nchain));
		if (d->naside)
			json_object_object_add(o, "aside", volumes_json(d->aside, d->naside));
		json_object_array_add(arr, o);
	}
	text = rhv_xstrdup(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	return text;
}

/* "1a2b3c4d raw <- 5e6f7a8b qcow2 (active)": short ids, the snapshot's own volume marked with '*' */
static void chain_text(char **out, const struct rhv_snap_volume *v, size_t n, const char *mine)
{
	for (size_t i = 0; i < n; i++)
		rhv_xappendf(out, i ? " <- " : "", "%.8s%s %s%s%s%s", v[i].id, !strcmp(v[i].id, mine) ? "*" : "",
			     v[i].format, strcmp(v[i].role, "snapshot") ? " (" : "",
			     strcmp(v[i].role, "snapshot") ? v[i].role : "", strcmp(v[i].role, "snapshot") ? ")" : "");
}

char *rhv_snap_disks_text(const struct rhv_snap *s)
{
	char *out = NULL;

	for (size_t i = 0; i < s->ndisks; i++) {
		const struct rhv_snap_disk *d = &s->disks[i];

		rhv_xappendf(&out, "; ", "%s: ", d->name);
		chain_text(&out, d->chain, d->nchain, d->volume_id);
		if (d->naside) {
			rhv_xappendf(&out, "", " [aside: ");
			chain_text(&out, d->aside, d->naside, d->volume_id);
			rhv_xappendf(&out, "", "]");
		}
	}
	return out ? out : rhv_xstrdup("");
}
