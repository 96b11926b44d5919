/* SPM election (reference 2.9): priorities, ties, failed hosts, and never two SPMs. */
#include "rhv/common.h"

#include "rhv/spm.h"
#include "tap.h"

#define UP(name, prio) { name, prio, true, false, false, false, false }

int main(void)
{
	struct rhv_spm_decision d;

	{
		struct rhv_spm_host h[] = { UP("a", 5), UP("b", 8), UP("c", 2) };

		rhv_spm_decide(h, 3, -1, false, 0.5, &d);
		OK(d.verdict == RHV_SPM_ELECT && d.host == 1, "highest priority wins: b (8) over a (5) and c (2)");
		h[1].failed = true;
		rhv_spm_decide(h, 3, -1, false, 0.5, &d);
		OK(d.verdict == RHV_SPM_ELECT && d.host == 0, "a host that failed in this election is skipped: a");
		h[1].failed = false;
		h[1].up = false;
		rhv_spm_decide(h, 3, -1, false, 0.5, &d);
		OK(d.verdict == RHV_SPM_ELECT && d.host == 0, "only Up hosts are candidates: a");
	}
	{
		struct rhv_spm_host h[] = { UP("a", -1), UP("b", -1) };

		rhv_spm_decide(h, 2, -1, false, 0.5, &d);
		OK(d.verdict == RHV_SPM_NONE && d.host == -1, "priority -1 never becomes SPM");
	}
	{
		struct rhv_spm_host h[] = { UP("a", 5), UP("b", 5), UP("c", 5), UP("d", 1) };

		rhv_spm_decide(h, 4, -1, false, 0.0, &d);
		OK(d.host == 0, "ties broken at random: 0.0 -> the first of a, b, c");
		rhv_spm_decide(h, 4, -1, false, 0.5, &d);
		OK(d.host == 1, "ties broken at random: 0.5 -> b");
		rhv_spm_decide(h, 4, -1, false, 0.99, &d);
		OK(d.host == 2, "ties broken at random: 0.99 -> c, never d (lower priority)");
		rhv_spm_decide(h, 4, -1, false, 1.0, &d);
		OK(d.host == 2, "a random value of 1.0 still picks a tied host");
	}
	{
		struct rhv_spm_host h[] = { UP("spm", 1), UP("b", 9) };

		h[0].holds_lease = true;
		rhv_spm_decide(h, 2, 0, false, 0.5, &d);
		OK(d.verdict == RHV_SPM_KEEP && d.host == 0, "an Up SPM holding its lease stays, whatever the priorities");
		h[0].up = false;
		h[0].nonresponsive = true;
		rhv_spm_decide(h, 2, 0, false, 0.5, &d);
		OK(d.verdict == RHV_SPM_WAIT && d.host == -1,
		   "an unreachable SPM not known to be down: no new SPM (no split brain)");
		IS_STR(d.reason,
		       "the SPM host 'spm' does not answer and is not known to be down: confirm it is down or wait for its "
		       "lease to expire",
		       "the reason says what the admin can do");
		h[0].confirmed_down = true;
		rhv_spm_decide(h, 2, 0, false, 0.5, &d);
		OK(d.verdict == RHV_SPM_ELECT && d.host == 1, "confirmed down: the election goes on, b");
		h[0].confirmed_down = false;
		rhv_spm_decide(h, 2, 0, true, 0.5, &d);
		OK(d.verdict == RHV_SPM_ELECT && d.host == 1, "its lease expired: the election goes on, b");
		h[0].nonresponsive = false;
		h[0].holds_lease = false;
		rhv_spm_decide(h, 2, 0, false, 0.5, &d);
		OK(d.verdict == RHV_SPM_ELECT && d.host == 1,
		   "an SPM in Maintenance (reachable, not Up) is replaced at once");
	}
	rhv_spm_decide(NULL, 0, -1, false, 0.5, &d);
	OK(d.verdict == RHV_SPM_NONE, "no hosts: no SPM");
	return tap_done();
}
