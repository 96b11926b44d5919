/*
 * The SPM lease on disk: the file opened for whole-sector I/O, the record
 * and intent sectors encoded with their checksums, and formatting a new
 * lease file.  The protocol that uses them is in lease.c.
 *
 * I/O: whole sectors with pwrite + fdatasync and pread.  The file is opened
 * O_DIRECT so that a reader on NFS sees the storage, not its page cache;
 * where O_DIRECT is refused (tmpfs, 4k-sector devices) it falls back to
 * buffered I/O, which is coherent only on a local file system.
 */
#include "rhv/common.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rhv/lease.h"

#include "storage/lease-priv.h"

/* ---- checksums (CRC-32C, bitwise: a few sectors per call) ---- */

static uint32_t crc32c(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = ~0u;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & -(crc & 1));
	}
	return ~crc;
}

static uint32_t sector_sum(const void *sector)
{
	uint8_t tmp[RHV_LEASE_SECTOR];

	memcpy(tmp, sector, sizeof(tmp));
	memset(tmp + offsetof(struct lease_disk, checksum), 0, sizeof(uint32_t));
	return crc32c(tmp, sizeof(tmp));
}

static bool sector_zero(const uint8_t *s)
{
	for (size_t i = 0; i < RHV_LEASE_SECTOR; i++)
		if (s[i])
			return false;
	return true;
}

/* ---- file access ---- */

void rhv_lease_file_close(struct lease_file *lf)
{
	if (lf->fd >= 0)
		close(lf->fd);
	free(lf->buf);
	lf->fd = -1;
	lf->buf = NULL;
}

int rhv_lease_file_open(struct lease_file *lf, const char *path, int extra_flags, struct rhv_error *err)
{
	void *buf;

	lf->fd = -1;
	lf->buf = NULL;
	lf->path = path;
	if (posix_memalign(&buf, ALIGN, AREA_SIZE))
		return rhv_error_oom(err);
	lf->buf = buf;
	lf->direct = true;
	lf->fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC | extra_flags, 0660);
	if (lf->fd >= 0) {
		/* Probe: O_DIRECT of a 512-byte sector fails on 4k-sector devices. */
		if (pread(lf->fd, lf->buf, RHV_LEASE_SECTOR, 0) < 0 && errno == EINVAL) {
			close(lf->fd);
			lf->fd = -1;
			errno = EINVAL;
		}
	}
	if (lf->fd < 0 && errno == EINVAL) {
		lf->direct = false;
		lf->fd = open(path, O_RDWR | O_CLOEXEC | extra_flags, 0660);
	}
	if (lf->fd < 0) {
		int e = errno;

		rhv_lease_file_close(lf);
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot open lease file '%s': %s", path,
				     strerror(e));
	}
	return 0;
}

/* Read count sectors from sector first into lf->buf. */
int rhv_lease_file_read(struct lease_file *lf, int first, int count, struct rhv_error *err)
{
	size_t len = (size_t)count * RHV_LEASE_SECTOR;
	ssize_t n = pread(lf->fd, lf->buf, len, (off_t)first * RHV_LEASE_SECTOR);

	if (n < 0)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot read lease file '%s': %s",
				     lf->path, strerror(errno));
	if ((size_t)n < len)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
				     "lease file '%s' is too short (not formatted)", lf->path);
	return 0;
}

/* Write one sector and make it durable before anyone may rely on it. */
int rhv_lease_file_write(struct lease_file *lf, int sector, const void *data, struct rhv_error *err)
{
	ssize_t n;

	memcpy(lf->buf, data, RHV_LEASE_SECTOR);
	n = pwrite(lf->fd, lf->buf, RHV_LEASE_SECTOR, (off_t)sector * RHV_LEASE_SECTOR);
	if (n != RHV_LEASE_SECTOR || fdatasync(lf->fd) < 0)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot write lease file '%s': %s",
				     lf->path, n < 0 || n == RHV_LEASE_SECTOR ? strerror(errno)
									       : "short write");
	return 0;
}

/* ---- records ---- */

static int lease_decode(const struct lease_file *lf, const uint8_t *s, struct lease_disk *out,
			struct rhv_error *err)
{
	memcpy(out, s, sizeof(*out));
	if (sector_zero(s))
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
				     "lease file '%s' is not formatted", lf->path);
	if (le32toh(out->magic) != LEASE_MAGIC || le32toh(out->version) != LEASE_VERSION) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
			      "lease file '%s' holds no rhv lease record (magic %08x, version %u)",
			      lf->path, le32toh(out->magic), le32toh(out->version));
		return -1;
	}
	if (le32toh(out->checksum) != sector_sum(s)) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE,
			      "lease record in '%s' is corrupt (checksum mismatch): its holder is unknown",
			      lf->path);
		rhv_error_hint(err, "a torn write or foreign data; the lease is not free until "
				    "an admin checks the storage");
		return -1;
	}
	out->owner = le32toh(out->owner);
	out->generation = le64toh(out->generation);
	out->seq = le64toh(out->seq);
	out->renewed_ms = (int64_t)le64toh((uint64_t)out->renewed_ms);
	out->io_timeout_ms = (int64_t)le64toh((uint64_t)out->io_timeout_ms);
	out->watchdog_ms = (int64_t)le64toh((uint64_t)out->watchdog_ms);
	out->nonce = le64toh(out->nonce);
	out->owner_name[RHV_LEASE_NAME_MAX - 1] = '\0';
	return 0;
}

static void lease_encode(const struct lease_disk *in, uint8_t *s)
{
	struct lease_disk d = { 0 };

	d.magic = htole32(LEASE_MAGIC);
	d.version = htole32(LEASE_VERSION);
	d.owner = htole32(in->owner);
	d.generation = htole64(in->generation);
	d.seq = htole64(in->seq);
	d.renewed_ms = (int64_t)htole64((uint64_t)in->renewed_ms);
	d.io_timeout_ms = (int64_t)htole64((uint64_t)in->io_timeout_ms);
	d.watchdog_ms = (int64_t)htole64((uint64_t)in->watchdog_ms);
	d.nonce = htole64(in->nonce);
	memcpy(d.owner_name, in->owner_name, sizeof(d.owner_name));
	d.owner_name[RHV_LEASE_NAME_MAX - 1] = '\0';
	memcpy(s, &d, sizeof(d));
	d.checksum = htole32(sector_sum(s));
	memcpy(s, &d, sizeof(d));
}

/* Decode intent slot h; -1 when corrupt (unknown, so treated as a claim). */
int rhv_lease_intent_decode(const uint8_t *s, struct intent_disk *out)
{
	memset(out, 0, sizeof(*out));
	if (sector_zero(s))
		return 0; /* never written: no claim */
	memcpy(out, s, sizeof(*out));
	if (le32toh(out->magic) != INTENT_MAGIC || le32toh(out->version) != LEASE_VERSION ||
	    le32toh(out->checksum) != sector_sum(s))
		return -1;
	out->host_id = le32toh(out->host_id);
	out->state = le32toh(out->state);
	out->ticket = le64toh(out->ticket);
	out->nonce = le64toh(out->nonce);
	out->ts_ms = (int64_t)le64toh((uint64_t)out->ts_ms);
	return 0;
}

void rhv_lease_intent_encode(const struct intent_disk *in, uint8_t *s)
{
	struct intent_disk d = { 0 };

	d.magic = htole32(INTENT_MAGIC);
	d.version = htole32(LEASE_VERSION);
	d.host_id = htole32(in->host_id);
	d.state = htole32(in->state);
	d.ticket = htole64(in->ticket);
	d.nonce = htole64(in->nonce);
	d.ts_ms = (int64_t)htole64((uint64_t)in->ts_ms);
	memcpy(d.name, in->name, sizeof(d.name));
	d.name[RHV_LEASE_NAME_MAX - 1] = '\0';
	memcpy(s, &d, sizeof(d));
	d.checksum = htole32(sector_sum(s));
	memcpy(s, &d, sizeof(d));
}

int rhv_lease_record_read(struct lease_file *lf, struct lease_disk *d, struct rhv_error *err)
{
	if (rhv_lease_file_read(lf, 0, 1, err) < 0)
		return -1;
	return lease_decode(lf, lf->buf, d, err);
}

int rhv_lease_record_write(struct lease_file *lf, const struct lease_disk *d, struct rhv_error *err)
{
	uint8_t s[RHV_LEASE_SECTOR];

	lease_encode(d, s);
	return rhv_lease_file_write(lf, 0, s, err);
}

int rhv_lease_init(const char *path, uint64_t generation, struct rhv_error *err)
{
	struct lease_file lf;
	struct lease_disk d = { 0 };
	struct stat st;
	uint8_t s[RHV_LEASE_SECTOR];

	if (rhv_lease_file_open(&lf, path, O_CREAT, err) < 0)
		return -1;
	if (fstat(lf.fd, &st) < 0) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot stat lease file '%s': %s", path,
			      strerror(errno));
		goto fail;
	}
	if (st.st_size >= (off_t)AREA_SIZE) {
		/* Formatted already, or someone else's file: never overwrite it. */
		if (rhv_lease_record_read(&lf, &d, err) < 0)
			goto fail;
		/*
		 * A former master's lease coming back into use must not reuse
		 * generations the data center has already handed out: raise it,
		 * free.  Whoever held it there is fenced by that very change.
		 */
		if (d.generation < generation) {
			memset(&d, 0, sizeof(d));
			d.generation = generation;
			lease_encode(&d, s);
			if (rhv_lease_file_write(&lf, 0, s, err) < 0)
				goto fail;
		}
		rhv_lease_file_close(&lf);
		return 0;
	}
	if (st.st_size > 0 && rhv_lease_file_read(&lf, 0, 1, NULL) == 0 && !sector_zero(lf.buf)) {
		/* A partial format by a racing init is zero-filled beyond sector 0. */
		if (lease_decode(&lf, lf.buf, &d, err) < 0)
			goto fail;
	}
	/*
	 * Extend with zeros (intent slots: no claim) and then write the record
	 * if it is absent; two racing inits write the same free record.
	 */
	if (ftruncate(lf.fd, (off_t)AREA_SIZE) < 0) {
		rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot size lease file '%s': %s", path,
			      strerror(errno));
		goto fail;
	}
	if (rhv_lease_file_read(&lf, 0, 1, err) < 0)
		goto fail;
	if (sector_zero(lf.buf)) {
		memset(&d, 0, sizeof(d));
		d.generation = generation;
		lease_encode(&d, s);
		if (rhv_lease_file_write(&lf, 0, s, err) < 0)
			goto fail;
	}
	rhv_lease_file_close(&lf);
	return 0;
fail:
	rhv_lease_file_close(&lf);
	return -1;
}
