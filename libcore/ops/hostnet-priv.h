/* Between the files of host network setup (ops/hostnet-*.c). */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/fence.h"

/* libcore/ops/hostnet-host.sh, compiled in (Makefile) */
extern const char rhv_hostnet_script[];

/* What the host script printed, and how ssh ended. */
struct rhv_hostnet_run {
	char *out, *errout;
	int status;     /* ssh's exit status; 255: ssh did not reach the host */
	bool timed_out;
};

/*
 * Run the host script over SSH (the host's rhv-fence setup columns) with
 * action, token, timeout and configuration set.  wait_s bounds the whole
 * call.  Returns: 0 (see run->status), or -1 when ssh could not start or
 * the host has no SSH address (RHV_EXIT_CONFLICT).
 */
int rhv_hostnet_ssh(const struct rhv_fence_pm *pm, const char *action, const char *token, int timeout,
		    const char *config, int wait_s, struct rhv_hostnet_run *run, struct rhv_error *err);
void rhv_hostnet_run_clear(struct rhv_hostnet_run *run);

struct rhv_hostnet_host;
struct rhv_db;
/* Discover the host's NICs over SSH and store them, with each network's sync (hostnet-discover.c). */
int rhv_hostnet_read(const struct rhv_fence_pm *pm, const struct rhv_hostnet_host *h, struct rhv_db *db,
		     struct rhv_error *err);

struct rhv_ns_state;
struct rhv_host_nic_list;
/* The host script's configuration lines for a planned state; the host's own addresses elsewhere stay (hostnet-config.c). */
char *rhv_hostnet_config_render(const struct rhv_ns_state *s, const struct rhv_host_nic_list *nics);
/* The networks and labels of configuration lines the host confirmed (its "current" file); the rest is left out. */
void rhv_hostnet_config_parse(const char *text, struct rhv_ns_state *out);
