/* The SPM lease's timing, as the store's settings set it. */
#include "rhv/common.h"

#include <string.h>

#include "rhv/settings.h"
#include "rhv/spmops.h"

int rhv_spm_timing(struct rhv_db *db, struct rhv_lease_timing *out, struct rhv_error *err)
{
	struct rhv_settings st;

	memset(out, 0, sizeof(*out));
	if (rhv_settings_load(db, &st, err) < 0)
		return -1;
	out->io_timeout_ms = st.v[RHV_SET_SPM_IO_TIMEOUT_MS];
	out->watchdog_ms = st.v[RHV_SET_SPM_WATCHDOG_MS];
	/* 0 means "6 N" to lease.c; a configured 0 means no margin, so pass 1 ms */
	if (out->watchdog_ms == 0)
		out->watchdog_ms = 1;
	return 0;
}
