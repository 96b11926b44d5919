/* The hosts a network's label concerns (store/netlabel.c), for ops/netlabel.c. */
#pragma once

#include "rhv/common.h"
#include "rhv/db.h"
#include "rhv/error.h"

/* A host of a cluster the network is attached to (or of the cluster asked for). */
struct rhv_db_label_host {
	char id[37];
	char *name;
	char *label_dev; /* its NIC or bond carrying the network's label now; NULL none */
	char *old_dev;   /* the one carrying old_label; NULL none */
	char *cur_dev;   /* where the network is set up on it now; NULL not there */
};

struct rhv_db_label_hosts {
	struct rhv_db_label_host *items;
	size_t n;
};

/*
 * The hosts of every cluster network_id is attached to, or with cluster
 * (name or id) the hosts of that cluster, attached or not; by host name.
 * label and old_label: NULL or "" for none.
 */
int rhv_db_label_hosts(struct rhv_db *db, const char *network_id, const char *label, const char *old_label,
		       const char *cluster, struct rhv_db_label_hosts *out, struct rhv_error *err);
void rhv_db_label_hosts_clear(struct rhv_db_label_hosts *l);
