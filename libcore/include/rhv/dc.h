/* Data centers: the top of the inventory (reference 1.7). */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;

extern const char *const rhv_storage_types[]; /* "shared", "local", NULL */
extern const char *const rhv_compat_versions[]; /* oldest first, NULL-terminated */
#define RHV_COMPAT_DEFAULT "4.1"

struct rhv_dc {
	char id[37];
	char *name;
	char *description;
	char *storage_type;
	char *compat_version;
	char *status;
	int64_t created;
	int64_t updated;
	int64_t clusters;
	int64_t hosts;
};

struct rhv_dc_list {
	struct rhv_dc *items;
	size_t n;
};

/* NULL fields are left unchanged by edit and take defaults on create. */
struct rhv_dc_spec {
	const char *name;
	const char *new_name;
	const char *description;
	const char *storage_type;
	const char *compat_version;
};

/*
 * Returns: 0, or -1 with RHV_EXIT_USAGE (invalid field), RHV_EXIT_CONFLICT
 * (name taken), RHV_EXIT_UNAVAILABLE (store).
 */
int rhv_dc_create(struct rhv_db *db, const struct rhv_dc_spec *spec, struct rhv_error *err);
/* Returns: 0, or -1 with RHV_EXIT_NOTFOUND, RHV_EXIT_CONFLICT, RHV_EXIT_USAGE. */
int rhv_dc_edit(struct rhv_db *db, const struct rhv_dc_spec *spec, struct rhv_error *err);
/* Refused with RHV_EXIT_CONFLICT while clusters, hosts or storage remain. */
int rhv_dc_remove(struct rhv_db *db, const char *name, struct rhv_error *err);
/* name may also be the id.  Returns: 0, or -1 with RHV_EXIT_NOTFOUND. */
int rhv_dc_get(struct rhv_db *db, const char *name, struct rhv_dc *out, struct rhv_error *err);
int rhv_dc_list(struct rhv_db *db, struct rhv_dc_list *out, struct rhv_error *err);
void rhv_dc_clear(struct rhv_dc *dc);
void rhv_dc_list_clear(struct rhv_dc_list *l);
/* Validation shared by create and edit (pure). */
int rhv_dc_spec_check(const struct rhv_dc_spec *spec, bool creating, struct rhv_error *err);
/* Compare compat versions ("4.0" < "4.1"); unknown versions sort first. */
int rhv_compat_cmp(const char *a, const char *b);
