/* Temporary: functions being written (removed before commit). */
#include "rhv/common.h"

#include "rhv/disk.h"
#include "rhv/progress.h"
#include "rhv/sd.h"

int rhv_sd_import(struct rhv_db *db, const char *path, const char *dc, const struct rhv_progress *p,
		  char *name_out, size_t name_len, struct rhv_error *err)
{
	(void)db; (void)path; (void)dc; (void)p; (void)name_out; (void)name_len;
	return rhv_error_set(err, RHV_EXIT_FAILED, "not yet");
}
int rhv_sd_recover(struct rhv_db *db, const char *dc, const struct rhv_progress *p, struct rhv_batch *out,
		   struct rhv_error *err)
{
	(void)db; (void)dc; (void)p; (void)out;
	return rhv_error_set(err, RHV_EXIT_FAILED, "not yet");
}
void rhv_scrub_report_clear(struct rhv_scrub_report *r) { (void)r; }
int rhv_sd_scrub(struct rhv_db *db, const char *name, bool dry_run, const struct rhv_progress *p,
		 struct rhv_scrub_report *out, struct rhv_error *err)
{
	(void)db; (void)name; (void)dry_run; (void)p; (void)out;
	return rhv_error_set(err, RHV_EXIT_FAILED, "not yet");
}
void rhv_iso_list_clear(struct rhv_iso_list *l) { (void)l; }
int rhv_iso_list(struct rhv_db *db, const char *domain, struct rhv_iso_list *out, struct rhv_error *err)
{
	(void)db; (void)domain; (void)out;
	return rhv_error_set(err, RHV_EXIT_FAILED, "not yet");
}
int rhv_iso_upload(struct rhv_db *db, const char *file, const char *domain, const char *name,
		   const struct rhv_progress *p, struct rhv_error *err)
{
	(void)db; (void)file; (void)domain; (void)name; (void)p;
	return rhv_error_set(err, RHV_EXIT_FAILED, "not yet");
}
int rhv_vm_set_cdrom(struct rhv_db *db, const char *vm, const char *iso, struct rhv_error *err)
{
	(void)db; (void)vm; (void)iso;
	return rhv_error_set(err, RHV_EXIT_FAILED, "not yet");
}
