/* Clusters: hosts of one CPU type, the migration domain (reference 1.7). */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

struct rhv_db;

struct rhv_cluster_param {
	char *key;
	char *value;   /* effective value as text ("80", "true"); NULL if unset */
	bool explicit; /* set on this cluster rather than the policy default */
};

struct rhv_cluster {
	char id[37];
	char *name;
	char *dc;
	char *description;
	char *cpu_type;
	char *compat_version;
	char *policy;
	bool ha_reservation;
	/* fencing policy (reference 4.4; oVirt's FencingPolicy) */
	bool fencing_enabled;       /* the monitor may fence its hosts */
	int fencing_skip_percent;   /* skip when this share of its hosts is unreachable; 0: never skip */
	bool fencing_skip_lease;    /* skip a host whose storage lease is still renewed */
	int fencing_startup_grace;  /* seconds after the monitor starts without fencing */
	int64_t created;
	int64_t updated;
	int64_t hosts;
	struct rhv_cluster_param *params; /* every parameter of the policy */
	size_t nparams;
};

struct rhv_cluster_list {
	struct rhv_cluster *items;
	size_t n;
};

struct rhv_cluster_spec {
	const char *name;
	const char *new_name;
	const char *dc;
	const char *description;
	const char *cpu_type;
	const char *compat_version;
	/* the fencing policy, as given; NULL: unchanged (edit) or the default (create) */
	const char *fencing;               /* yes/no, on/off, true/false */
	const char *fencing_skip_percent;  /* 0..100 */
	const char *fencing_skip_lease;    /* yes/no */
	const char *fencing_startup_grace; /* seconds, 0..86400 */
};

/* Longest startup grace of a fencing policy, in seconds (the schema's check). */
#define RHV_FENCING_STARTUP_GRACE_MAX 86400

/* Policy change: NULL policy keeps the current one. */
struct rhv_cluster_policy_spec {
	const char *cluster;
	const char *policy;
	const char *const *params; /* "KEY=VALUE", NULL-terminated, may be NULL */
	int ha_reservation;        /* -1 unchanged, 0 off, 1 on */
};

int rhv_cluster_create(struct rhv_db *db, const struct rhv_cluster_spec *spec, struct rhv_error *err);
int rhv_cluster_edit(struct rhv_db *db, const struct rhv_cluster_spec *spec, struct rhv_error *err);
int rhv_cluster_remove(struct rhv_db *db, const char *name, struct rhv_error *err);
int rhv_cluster_get(struct rhv_db *db, const char *name, struct rhv_cluster *out, struct rhv_error *err);
/* dc NULL: every cluster.  Returns RHV_EXIT_NOTFOUND for an unknown dc. */
int rhv_cluster_list(struct rhv_db *db, const char *dc, struct rhv_cluster_list *out, struct rhv_error *err);
int rhv_cluster_set_policy(struct rhv_db *db, const struct rhv_cluster_policy_spec *spec,
			   struct rhv_error *err);
void rhv_cluster_clear(struct rhv_cluster *c);
void rhv_cluster_list_clear(struct rhv_cluster_list *l);
int rhv_cluster_spec_check(const struct rhv_cluster_spec *spec, bool creating, struct rhv_error *err);
