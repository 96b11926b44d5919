/*
 * The whole userland of the lab's Linux guest (tests/lab/linux-guest): PID 1
 * says on the console, once a second, that the guest's kernel is up, so a
 * test that opens the console late still reads it.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	for (;;) {
		puts("rhv-lab-guest: up");
		fflush(stdout);
		sleep(1);
	}
}
