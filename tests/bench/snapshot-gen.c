/*
 * Write the benchmarks' skewed cluster (balance-gen.h) as a snapshot file,
 * in the format `rhv-balance save` writes, for `rhv-balance plan --from`.
 *
 * Usage: snapshot-gen HOSTSxVMS POLICY FILE
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rhv/balance-io.h"
#include "rhv/balance.h"
#include "rhv/host.h"
#include "balance-gen.h"

static const char *state_of(const struct rhv_bal_host *h)
{
	return h->up ? RHV_HOST_UP : h->maintenance ? RHV_HOST_MAINTENANCE : RHV_HOST_DOWN;
}

int main(int argc, char **argv)
{
	struct rhv_bal_input in = { 0 };
	struct rhv_error err = { 0 };
	struct gen g;
	size_t nh = 0, nv = 0;
	FILE *f;
	int rc;

	if (argc != 4 || sscanf(argv[1], "%zux%zu", &nh, &nv) != 2 || nh < 10 || nh > 1000000) {
		fprintf(stderr, "usage: snapshot-gen HOSTSxVMS POLICY FILE   (at least 10 hosts)\n");
		return 2;
	}
	generate(&g, nh, nv);
	in.cluster = (char *)"bench";
	in.policy = argv[2];
	in.s = g.s;
	in.host_names = xcalloc(nh, sizeof(char *));
	in.host_states = xcalloc(nh, sizeof(char *));
	for (size_t i = 0; i < nh; i++) {
		in.host_names[i] = (char *)g.s.hosts[i].name;
		in.host_states[i] = (char *)state_of(&g.s.hosts[i]);
	}
	f = fopen(argv[3], "we");
	if (!f) {
		perror(argv[3]);
		return 1;
	}
	rc = rhv_bal_write_json(&in, f, &err);
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "snapshot-gen: cannot write %s: %s\n", argv[3], err.message);
		return 1;
	}
	free(in.host_names);
	free(in.host_states);
	gen_free(&g);
	return 0;
}
