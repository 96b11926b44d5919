/*
 * What a host's libvirt daemon tells about the host: CPU, topology, memory,
 * whether KVM is offered, versions, and which CPU models its guests can use.
 *
 * Feature and model names are libvirt's CPU map spellings, which differ from
 * /proc/cpuinfo in places ("sse4.2" not "sse4_2", "pclmuldq", "tsc-deadline").
 * "vmx" (Intel VT-x) and "svm" (AMD-V) are spelled the same in both.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/virt.h"

struct rhv_hostcaps {
	char *arch;   /* "x86_64" */
	char *vendor; /* "Intel", "AMD"; NULL when libvirt does not say */
	char *model;  /* the libvirt model closest to the host CPU: "Broadwell"; NULL if none */
	/*
	 * The host CPU's features, NULL-terminated, sorted, unique.  After
	 * rhv_hostcaps_read() with features_expanded set, the full list (the
	 * model's own features included); otherwise only those libvirt lists
	 * on top of the model in the capabilities XML.
	 */
	char **features;
	bool features_expanded;
	/*
	 * The CPU models a guest of domain_type can be given on this host
	 * (libvirt's domain capabilities, custom mode, usable='yes'),
	 * NULL-terminated, sorted.  NULL when unknown (driver without domain
	 * capabilities, or only the capabilities XML was parsed).
	 */
	char **cpu_models;
	/* Topology of the host CPU as libvirt reports it (sockets per NUMA node). */
	int sockets, dies, cores, threads;
	int cpus;        /* logical CPUs */
	uint64_t memory; /* bytes */
	/* libvirt offers domain type 'kvm' for the host's architecture */
	bool kvm;
	/* what guests here should be: "kvm" when offered, else "qemu" (TCG) */
	const char *domain_type;
	char libvirt_version[16]; /* of the daemon: "9.0.0" */
	char qemu_version[16];    /* of the hypervisor: "7.2.22"; "" if not QEMU */
	char *hostname;           /* NULL when only the XML was parsed */
	char uuid[37];            /* the host UUID libvirt reports; "" if none */
};

/*
 * Read everything from a connected daemon: capabilities, node info,
 * versions, host name, the expanded feature list (virConnectBaselineCPU
 * with VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES on the host's <cpu>,
 * falling back to the unexpanded list where the driver cannot) and the
 * usable CPU models (virConnectGetDomainCapabilities for domain_type).
 * out (zeroed, or holding an earlier result) is cleared first.  Returns
 * 0, or -1 with err filled (exit class from libvirt, typically 5 when the
 * host went away).
 */
int rhv_hostcaps_read(struct rhv_virt_conn *c, struct rhv_hostcaps *out, struct rhv_error *err);

/*
 * Parse a capabilities document (virConnectGetCapabilities) into out
 * (zeroed, or holding an earlier result), cleared first: arch, vendor,
 * model, unexpanded features, topology, CPUs and memory summed over NUMA
 * cells, kvm, uuid.  Pure.  Returns 0, or -1 with err filled
 * (RHV_EXIT_FAILED) when it is not capabilities XML.
 */
int rhv_hostcaps_parse(const char *caps_xml, struct rhv_hostcaps *out, struct rhv_error *err);

/*
 * Replace caps->cpu_models with the models usable for domain_type ("kvm"
 * or "qemu"): for a host whose guests run TCG although KVM is offered
 * (marked emulated).  Leaves NULL when the driver cannot tell.
 */
void rhv_hostcaps_read_models(struct rhv_virt_conn *c, struct rhv_hostcaps *caps, const char *domain_type);

/*
 * Parse a domain capabilities document (virConnectGetDomainCapabilities)
 * and set out->cpu_models to its usable custom CPU models.  Pure.
 */
int rhv_hostcaps_parse_domcaps(const char *domcaps_xml, struct rhv_hostcaps *out, struct rhv_error *err);

/*
 * Whether the hypervisor of c can give guests of virttype ("kvm" or
 * "qemu") the CPU model (libvirt's name), as vdsm's model_* flags say:
 * compared with what KVM (or TCG) provides, not with the bare host CPU
 * (virConnectCompareHypervisorCPU with the model exact, fallback
 * forbidden).  Where the driver cannot compare, caps->cpu_models decides
 * (any model when unknown).
 */
bool rhv_hostcaps_model_runs(struct rhv_virt_conn *c, const struct rhv_hostcaps *caps, const char *model,
			     const char *virttype);

/* Whether the host CPU has feature (exact libvirt name). */
bool rhv_hostcaps_has(const struct rhv_hostcaps *caps, const char *feature);
/* Whether cpu_models lists model (case-sensitive, as libvirt spells it). */
bool rhv_hostcaps_model_usable(const struct rhv_hostcaps *caps, const char *model);

void rhv_hostcaps_clear(struct rhv_hostcaps *caps);
