/*
 * What the files of storage/lease*.c share and no one else uses: the
 * on-disk records and the file's sector I/O (lease-disk.c), for the
 * protocol (lease.c).  See rhv/lease.h for the layout.
 */
#pragma once

#include "rhv/common.h"

#include "rhv/error.h"
#include "rhv/lease.h"

#define LEASE_MAGIC 0x4c564852u  /* "RHVL" */
#define INTENT_MAGIC 0x49564852u /* "RHVI" */
#define LEASE_VERSION 1u
#define AREA_SIZE ((size_t)RHV_LEASE_SLOTS * RHV_LEASE_SECTOR)
#define ALIGN 4096

/* On-disk records, little endian, one sector each. */
struct lease_disk {
	uint32_t magic;
	uint32_t version;
	uint32_t checksum; /* CRC-32C of the sector with this field zero */
	uint32_t owner;    /* host id, 0 = free or released */
	uint64_t generation;
	uint64_t seq;
	int64_t renewed_ms;
	int64_t io_timeout_ms; /* the holder's timing, so others judge by it */
	int64_t watchdog_ms;
	uint64_t nonce; /* the winning claim's nonce */
	char owner_name[RHV_LEASE_NAME_MAX];
	uint8_t pad[RHV_LEASE_SECTOR - 64 - RHV_LEASE_NAME_MAX];
};

enum { INTENT_NONE = 0, INTENT_CLAIM = 1 };

struct intent_disk {
	uint32_t magic;
	uint32_t version;
	uint32_t checksum;
	uint32_t host_id;
	uint32_t state;
	uint32_t pad0;
	uint64_t ticket; /* the generation the candidate would take */
	uint64_t nonce;  /* random: breaks ties fairly */
	int64_t ts_ms;   /* when its read (step 1) started */
	char name[RHV_LEASE_NAME_MAX];
	uint8_t pad[RHV_LEASE_SECTOR - 48 - RHV_LEASE_NAME_MAX];
};

_Static_assert(sizeof(struct lease_disk) == RHV_LEASE_SECTOR, "lease record is one sector");
_Static_assert(sizeof(struct intent_disk) == RHV_LEASE_SECTOR, "intent record is one sector");

struct lease_file {
	int fd;
	bool direct;
	uint8_t *buf; /* AREA_SIZE, aligned for O_DIRECT */
	const char *path;
};

/* Open path for sector I/O (O_DIRECT where the file system takes it).  Returns: 0, or -1 with err. */
int rhv_lease_file_open(struct lease_file *lf, const char *path, int extra_flags, struct rhv_error *err);
void rhv_lease_file_close(struct lease_file *lf);
/* Read count sectors from sector first into lf->buf. */
int rhv_lease_file_read(struct lease_file *lf, int first, int count, struct rhv_error *err);
/* Write one sector and make it durable before anyone may rely on it. */
int rhv_lease_file_write(struct lease_file *lf, int sector, const void *data, struct rhv_error *err);

/* The record (sector 0), decoded and checked.  Returns: 0, or -1 with err (not formatted, corrupt). */
int rhv_lease_record_read(struct lease_file *lf, struct lease_disk *d, struct rhv_error *err);
int rhv_lease_record_write(struct lease_file *lf, const struct lease_disk *d, struct rhv_error *err);
/* Decode intent slot h; -1 when corrupt (unknown, so treated as a claim). */
int rhv_lease_intent_decode(const uint8_t *s, struct intent_disk *out);
void rhv_lease_intent_encode(const struct intent_disk *in, uint8_t *s);
