/*
 * The host script over SSH: the same ssh command line as fencing's
 * (rhv_fence_ssh_argv, the host's rhv-fence setup columns), the script
 * and its settings on standard input, nothing installed on the host.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/hostnet-priv.h"
#include "rhv/fence-policy.h"
#include "rhv/spawn.h"

/* the script runs from a file: apply leaves a copy of it running after the session */
#define REMOTE "f=$(mktemp) && cat >\"$f\" && sh \"$f\"; r=$?; rm -f \"$f\"; exit $r"

static char *quoted(const char *s)
{
	char *out = rhv_xmalloc(strlen(s) * 4 + 3), *p = out;

	*p++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			*p++ = *s;
		}
	}
	*p++ = '\'';
	*p = '\0';
	return out;
}

int rhv_hostnet_ssh(const struct rhv_fence_pm *pm, const char *action, const char *token, int timeout,
		    const char *config, int wait_s, struct rhv_hostnet_run *run, struct rhv_error *err)
{
	struct rhv_fence_ssh ssh = { pm->ssh_address, pm->ssh_port, pm->ssh_user, pm->ssh_key, pm->ssh_known_hosts,
				     10 };
	char *q = quoted(config ? config : "");
	char **argv;
	struct rhv_spawn sp = { 0 };
	struct rhv_spawn *one = &sp;
	char *input;

	memset(run, 0, sizeof(*run));
	if (!pm->ssh_address)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "host '%s' has no SSH address", pm->host),
		       rhv_error_hint(err, "set it with rhv-fence setup %s --ssh-address ADDRESS --ssh-user root",
				      pm->host),
		       free(q), -1;
	input = rhv_xasprintf("RHV_NS_ACTION=${RHV_NS_ACTION:-%s}\nRHV_NS_TOKEN=%s\nRHV_NS_TIMEOUT=%d\n"
			      "RHV_NS_CONFIG=%s\n%s",
			      action, token ? token : "-", timeout, q, rhv_hostnet_script);
	free(q);
	argv = rhv_fence_ssh_argv(&ssh, REMOTE);
	sp.argv = argv;
	sp.input = input;
	if (rhv_spawn_start(&sp, err) < 0) {
		rhv_fence_argv_free(argv);
		free(input);
		return -1;
	}
	rhv_spawn_wait(&one, 1, wait_s * 1000);
	run->out = sp.out;
	run->errout = sp.errout;
	run->status = sp.status;
	run->timed_out = sp.timed_out;
	rhv_fence_argv_free(argv);
	free(input);
	return 0;
}

void rhv_hostnet_run_clear(struct rhv_hostnet_run *run)
{
	free(run->out);
	free(run->errout);
	memset(run, 0, sizeof(*run));
}
