/* Children with given input and captured output, waited together, killed at their timeout (util/spawn.c). */
#include "rhv/common.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rhv/spawn.h"
#include "tap.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	struct rhv_error err = { 0 };
	char *cat_argv[] = { "/bin/sh", "-c", "IFS= read -r first; echo \"got:$first\"; cat; echo oops >&2; exit 3", NULL };
	char *slow_argv[] = { "/bin/sh", "-c", "sleep 30", NULL };
	char *fast_argv[] = { "/bin/sh", "-c", "exit 2", NULL };
	char *missing_argv[] = { "/nonexistent/agent", NULL };
	char input[] = "secret\nline2\n";
	struct rhv_spawn a = { .argv = cat_argv, .input = input };
	struct rhv_spawn b = { .argv = slow_argv };
	struct rhv_spawn c = { .argv = fast_argv };
	struct rhv_spawn d = { .argv = missing_argv };
	struct rhv_spawn *all[] = { &a, &b, &c, &d };
	double t0;

	OK(rhv_spawn_start(&a, &err) == 0 && rhv_spawn_start(&b, &err) == 0 && rhv_spawn_start(&c, &err) == 0 &&
		   rhv_spawn_start(&d, &err) == 0,
	   "four children started");
	OK(input[0] == 0 && !memcmp(input, "\0\0\0\0\0\0\0\0\0\0\0\0\0", sizeof(input) - 1),
	   "the input is wiped once written");
	t0 = now();
	rhv_spawn_wait(all, 4, 1000);
	OK(now() - t0 < 5, "waited about the timeout (%.1f s), not for the slow child", now() - t0);
	IS_STR(a.out, "got:secret\nline2\n", "stdin reached the child, stdout captured");
	IS_STR(a.errout, "oops\n", "stderr captured apart");
	OK(a.status == 3 && !a.timed_out, "its exit status: 3");
	OK(b.timed_out && b.status == -1, "the slow one was killed at the timeout");
	OK(c.status == 2 && c.seconds < 1, "a quick exit 2 (%.2f s)", c.seconds);
	OK(d.status == 127 && strstr(d.errout, "cannot run /nonexistent/agent"), "a missing program: 127 and why");
	for (size_t i = 0; i < 4; i++)
		rhv_spawn_clear(all[i]);
	return tap_done();
}
