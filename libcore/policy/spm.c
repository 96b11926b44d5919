#include "rhv/common.h"

#include <stdarg.h>
#include <stdio.h>

#include "rhv/spm.h"

static void say(struct rhv_spm_decision *d, enum rhv_spm_verdict v, int host, const char *fmt, ...)
	RHV_PRINTF(4, 5);
static void say(struct rhv_spm_decision *d, enum rhv_spm_verdict v, int host, const char *fmt, ...)
{
	va_list ap;

	d->verdict = v;
	d->host = host;
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
}

void rhv_spm_decide(const struct rhv_spm_host *hosts, size_t n, int current, bool lease_expired, double random,
		    struct rhv_spm_decision *out)
{
	int best = -1;
	size_t ties = 0, pick;

	if (current >= 0 && (size_t)current < n) {
		const struct rhv_spm_host *c = &hosts[current];

		if (c->up && c->holds_lease) {
			say(out, RHV_SPM_KEEP, current, "host '%s' is Up and holds the SPM lease", c->name);
			return;
		}
		/* split brain guard: an unreachable SPM may still be writing metadata */
		if (c->nonresponsive && !c->confirmed_down && !lease_expired) {
			say(out, RHV_SPM_WAIT, -1,
			    "the SPM host '%s' does not answer and is not known to be down: confirm it is down or wait "
			    "for its lease to expire",
			    c->name);
			return;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct rhv_spm_host *h = &hosts[i];

		if (!h->up || h->failed || h->priority < 0)
			continue;
		if (best < 0 || h->priority > hosts[best].priority) {
			best = (int)i;
			ties = 1;
		} else if (h->priority == hosts[best].priority) {
			ties++;
		}
	}
	if (best < 0) {
		say(out, RHV_SPM_NONE, -1, "no Up host may be SPM (priority -1, or already failed in this election)");
		return;
	}
	/* ties broken at random, as oVirt does, so one flaky host is not always tried first */
	pick = (size_t)(random * (double)ties);
	if (pick >= ties)
		pick = ties - 1;
	for (size_t i = 0; i < n; i++) {
		const struct rhv_spm_host *h = &hosts[i];

		if (!h->up || h->failed || h->priority != hosts[best].priority)
			continue;
		if (pick-- == 0) {
			say(out, RHV_SPM_ELECT, (int)i, "host '%s' has the highest SPM priority among the Up hosts",
			    h->name);
			return;
		}
	}
}
