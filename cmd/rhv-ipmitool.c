/*
 * rhv-ipmitool: ipmitool without the password on any command line.  The
 * fence agents call it in ipmitool's place (ipmitool_path): it drops
 * "-P <password>" from its arguments and, when IPMI_PASSWORD is set (the
 * proxy command exports it), adds -E so that ipmitool reads it from the
 * environment, then execs ipmitool.  Installed to /usr/libexec/rhv; built
 * to bin/helpers.
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RHV_IPMITOOL
#define RHV_IPMITOOL "ipmitool"
#endif

int main(int argc, char **argv)
{
	char **v = calloc((size_t)argc + 2, sizeof(char *));
	const char *pw = getenv("IPMI_PASSWORD");
	const char *tool = getenv("RHV_IPMITOOL") ? getenv("RHV_IPMITOOL") : RHV_IPMITOOL;
	int n = 0;

	if (!v)
		return 127;
	v[n++] = (char *)tool;
	if (pw && *pw)
		v[n++] = "-E";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-P")) {
			i++; /* and its value */
			continue;
		}
		if (!strncmp(argv[i], "-P", 2)) /* -Pvalue */
			continue;
		v[n++] = argv[i];
	}
	v[n] = NULL;
	execvp(tool, v);
	fprintf(stderr, "rhv-ipmitool: cannot run %s\n", tool);
	return 127;
}
