/*
 * One set of rules for what users and files hand us: names of objects,
 * free text, volume sizes, file names and paths of storage domains.  The
 * command line, the store modules and every reader of files (storage
 * metadata, ...) call these, so nothing that create refuses comes in
 * another way (import, a lookup, a file edited by hand).
 *
 * Each check takes the exit class of a refusal: RHV_EXIT_USAGE for a value
 * from the command line (the error then says "Try --help"), another class
 * (RHV_EXIT_FAILED) for a file that breaks the rules.  what names the value
 * in messages ("disk name", "volume size").  Messages never quote a value
 * that holds control characters or bytes that are not UTF-8.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"

/* Longest name accepted by a lookup: longer than any object's limit, so "cannot find". */
#define RHV_LOOKUP_NAME_MAX 1024
/* Largest volume (virtual size of a disk), as a block domain's limit: no sum of sizes overflows. */
#define RHV_VOLUME_SIZE_MAX (UINT64_C(1) << 54)
/* Volumes are whole 512-byte sectors. */
#define RHV_VOLUME_SIZE_ALIGN 512
/* Longest path of a file domain, in bytes. */
#define RHV_PATH_MAX 1024
/* Longest file name (one path component), in bytes. */
#define RHV_FILE_NAME_MAX 255

/*
 * A name of an object: non-empty, valid UTF-8, at most max characters, no
 * control characters (C0, DEL, C1, U+2028, U+2029), no leading or trailing
 * white space (Unicode's included, such as U+0085 and U+00A0).
 */
int rhv_check_name_as(const char *s, size_t max, const char *what, enum rhv_exit code, struct rhv_error *err);
int rhv_check_name(const char *s, size_t max, const char *what, struct rhv_error *err);
/* A name given to find an object of this kind ("data center"): a usage error, before any query. */
int rhv_check_lookup_name(const char *s, const char *kind, struct rhv_error *err);
/* Free text: valid UTF-8, at most max characters, no control characters but tab. */
int rhv_check_text_as(const char *s, size_t max, const char *what, enum rhv_exit code, struct rhv_error *err);
int rhv_check_text(const char *s, size_t max, const char *what, struct rhv_error *err);
/* A volume's virtual size: a positive multiple of 512 bytes, at most RHV_VOLUME_SIZE_MAX. */
int rhv_check_volume_size(uint64_t size, const char *what, enum rhv_exit code, struct rhv_error *err);
/*
 * One file name in a directory we own (an ISO image): a name as above of
 * at most RHV_FILE_NAME_MAX bytes, without '/', not starting with '.'.
 */
int rhv_check_file_name(const char *s, const char *what, enum rhv_exit code, struct rhv_error *err);
/*
 * The root of a file domain, the same string on every host: absolute, at
 * most RHV_PATH_MAX bytes, UTF-8 without control characters, and without
 * '.', '..' or empty components or a trailing '/', so that one directory
 * has one spelling.
 */
int rhv_check_domain_path(const char *s, const char *what, enum rhv_exit code, struct rhv_error *err);
