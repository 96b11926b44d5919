/* First include of every libcore and cmd source file. */
#pragma once

#define _GNU_SOURCE 1
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RHV_VERSION "0.1.0"
#define RHV_PACKAGE "rhv"

#define RHV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RHV_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define RHV_UNUSED __attribute__((unused))

/* Longest name of a data center or cluster, in characters (oVirt's limit). */
#define RHV_NAME_MAX 40
/* Longest free-text description, in characters. */
#define RHV_DESCRIPTION_MAX 255
