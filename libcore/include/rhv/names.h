/*
 * Completers for the values that name things, each supplied by the module
 * that knows them, for the .complete of option and argument rows.
 */
#pragma once

#include "rhv/completer.h"

/* libcore/store/names.c: names listed from the store */
extern const struct rhv_completer rhv_names_dc;
extern const struct rhv_completer rhv_names_cluster;
extern const struct rhv_completer rhv_names_host;
extern const struct rhv_completer rhv_names_vm;
extern const struct rhv_completer rhv_names_sd;   /* storage domains */
extern const struct rhv_completer rhv_names_disk;
extern const struct rhv_completer rhv_names_snap; /* snapshot ids */
extern const struct rhv_completer rhv_names_severity;
extern const struct rhv_completer rhv_names_object_type; /* of events */
extern const struct rhv_completer rhv_names_setting;
extern const struct rhv_completer rhv_names_network;       /* logical networks */
extern const struct rhv_completer rhv_names_nic_profile;   /* NETWORK or NETWORK/PROFILE, for VM NICs */
extern const struct rhv_completer rhv_names_vnic_profile;  /* vNIC profile names */

/* libcore/policy/names.c: the vocabularies of the pure cores */
extern const struct rhv_completer rhv_names_cpu_type;
extern const struct rhv_completer rhv_names_policy;
extern const struct rhv_completer rhv_names_policy_param; /* "KEY=" */
extern const struct rhv_completer rhv_names_ha_priority; /* low, medium, high */

/*
 * libcore/storage/isonames.c: ISO files of the active ISO domains.  It
 * links the storage-domain code and with it libvirt: name it only in the
 * tables of binaries that link libvirt.
 */
extern const struct rhv_completer rhv_names_iso;
