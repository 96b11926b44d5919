/*
 * The exit-code scheme shared by every rhv-* binary.  It is part of the
 * public interface: scripts branch on these values, so never renumber.
 */
#pragma once

enum rhv_exit {
	RHV_EXIT_OK = 0,          /* success */
	RHV_EXIT_FAILED = 1,      /* the operation failed */
	RHV_EXIT_USAGE = 2,       /* usage error or invalid argument */
	RHV_EXIT_NOTFOUND = 3,    /* an object named on the command line does not exist */
	RHV_EXIT_CONFLICT = 4,    /* exists, busy, in use, wrong state, not allowed now */
	RHV_EXIT_UNAVAILABLE = 5, /* store, libvirt, host or agent unreachable */
	RHV_EXIT_PARTIAL = 6,     /* some objects of a multi-object operation failed */
};
