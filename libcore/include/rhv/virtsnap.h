/*
 * The libvirt side of VM snapshots: switching a running domain's disks to
 * new overlays (with or without its memory), reading a disk's volume chain,
 * merging layers with block jobs (commit, active commit and pivot), and
 * starting a domain again from a saved memory image on new overlays.
 *
 * The volumes themselves are made elsewhere (qemu-img, by the SPM): these
 * functions only tell libvirt to use them.  Errors and exit classes as in
 * rhv/virt.h; the XML functions (rhv_virt_xml_*) are pure and fail with
 * class 1 for XML that is not a domain, 3 for a disk the domain has not.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/virt.h"

/* One disk of a snapshot: the overlay its guest is switched to. */
struct rhv_virt_snap_disk {
	const char *target; /* "vda" */
	/*
	 * The new overlay (already made by qemu-img: qcow2, backing = the
	 * current top, relative backing name); a path under /dev/ is a block
	 * device.  NULL: this disk is not in the snapshot.
	 */
	const char *path;
};

/*
 * The snapshot XML (<domainsnapshot>) that switches the listed disks of the
 * domain whose live XML is live_xml to their overlays.  Every other disk of
 * the domain (not listed, listed with path NULL, a CD-ROM, a floppy or a
 * read-only disk) gets snapshot='no': libvirt would otherwise invent
 * overlay names for it.  memory_path: the guest memory goes there
 * (<memory snapshot='external'>); NULL: <memory snapshot='no'/>.
 * *out: the XML (caller frees).  Returns 0, or -1 with err: 1 live_xml is
 * not a domain, 2 a listed disk cannot be snapshot (CD-ROM, read-only) or
 * is listed twice, 3 a listed disk is not in the domain.
 */
int rhv_virt_xml_snapshot(const char *live_xml, const struct rhv_virt_snap_disk *disks, size_t n,
			  const char *memory_path, char **out, struct rhv_error *err);

/* The virtio-serial channel of the QEMU guest agent, as libvirt names it. */
#define RHV_VIRT_AGENT_CHANNEL "org.qemu.guest_agent.0"
/*
 * May the guest agent of the running domain whose live XML is xml answer:
 * has it an agent channel that libvirt does not report 'disconnected'?
 * false when it has none: libvirt would refuse to quiesce it at once.  XML
 * that is not a domain gives true (libvirt is then the one to tell).
 */
bool rhv_virt_xml_agent_may_answer(const char *xml);
/*
 * Switch the listed disks of the running domain d to their overlays in one
 * atomic step (virDomainSnapshotCreateXML with the XML above; flags
 * REUSE_EXT, NO_METADATA, ATOMIC, and DISK_ONLY, or LIVE with memory_path
 * so the guest keeps running while its memory is saved; QUIESCE when
 * quiesce).  With quiesce, *quiesce_refused (may be NULL) tells on failure
 * whether the reason is that the guest cannot be quiesced (no guest agent
 * configured, or it does not answer): the caller then retries without.
 * A guest whose live XML shows no agent that may answer (above) is refused
 * so before libvirt is asked: that refusal would only cost time there.
 * libvirt quiesces only disk-only snapshots: quiesce with memory_path is
 * refused so at once (2, *quiesce_refused true), before asking libvirt.
 * Returns 0, or -1 with err: the classes of rhv_virt_xml_snapshot(), and
 * libvirt's (1 no guest agent configured, 5 one that does not answer; 1,
 * not 5, for an overlay QEMU cannot open while the host answers).
 */
int rhv_virt_dom_snapshot(struct rhv_virt_dom *d, const struct rhv_virt_snap_disk *disks, size_t n,
			  const char *memory_path, bool quiesce, bool *quiesce_refused, struct rhv_error *err);

/*
 * The volume chain of disk target in domain XML xml: top first, then each
 * backing file (<source file> or <source dev>, then the nested
 * <backingStore>s), as absolute paths the way libvirt writes them into a
 * running domain's XML.  *paths (caller frees each and the array) and *n;
 * a disk without backing gives one path, a disk without source none.
 * Returns 0, or -1 with err: 1 not a domain, 3 no disk target.
 */
int rhv_virt_xml_disk_chain(const char *xml, const char *target, char ***paths, size_t *n, struct rhv_error *err);
/* The same from the running domain's live XML.  Returns 0, or -1 with err (also libvirt's classes). */
/*
 * Wait until domain d runs no job of libvirt's (a snapshot saving memory,
 * a migration): one started by a process since killed goes on in the
 * daemon, and may still switch the guest's disks.  Returns 0 once none
 * runs, or -1 with err: 5 still one after timeout_ms, libvirt's classes.
 */
int rhv_virt_dom_wait_jobs(struct rhv_virt_dom *d, int timeout_ms, struct rhv_error *err);
int rhv_virt_dom_disk_chain(struct rhv_virt_dom *d, const char *target, char ***paths, size_t *n,
			    struct rhv_error *err);
/* Free what the chain functions return. */
void rhv_virt_chain_free(char **paths, size_t n);

/*
 * Start a commit block job on disk target: the data of volume top goes
 * into base, a volume below it (top's backing file).  base and top are
 * absolute paths, matched against the live chain by their last path
 * component (the volume id: file names are UUIDs), and given to libvirt as
 * "vda[N]" (its index of that layer), so the spelling of the paths does
 * not matter.  active: top is the active layer (the job then stays, ready,
 * until rhv_virt_dom_block_pivot()).  The backing names written into the
 * images stay relative (flag RELATIVE).  Returns 0 when the job started,
 * or -1 with err: 2 active does not match where top is in the chain, or
 * base is not below top; 3 no such disk, or a volume not in its chain;
 * 4 a block job already runs on the disk; libvirt's classes.
 */
int rhv_virt_dom_block_commit(struct rhv_virt_dom *d, const char *target, const char *base, const char *top,
			      bool active, struct rhv_error *err);

/* The block job of one disk. */
struct rhv_virt_block_job {
	bool running;       /* a block job exists on the disk */
	bool active_commit; /* it is an active commit */
	uint64_t cur, end;  /* progress, in libvirt's units (bytes) */
	/*
	 * An active commit that may be pivoted now: cur == end with end > 0
	 * (libvirt holds cur below end until QEMU says the job is ready), or
	 * the live XML's <mirror ready='yes'>.
	 */
	bool ready;
};
/*
 * The block job on disk target of d into *out (zeroed when there is none).
 * Returns 0, or -1 with err (libvirt's classes).
 */
int rhv_virt_dom_block_job(struct rhv_virt_dom *d, const char *target, struct rhv_virt_block_job *out,
			   struct rhv_error *err);
/*
 * Pivot the ready active commit on disk target (synchronous): the domain
 * then runs on the base.  Returns 0, or -1 with err: 4 when the job is not
 * ready yet (wait and retry); 3 when the disk has no block job (pivoted
 * already, or no commit started: look at the chain); libvirt's classes.
 */
int rhv_virt_dom_block_pivot(struct rhv_virt_dom *d, const char *target, struct rhv_error *err);
/*
 * Cancel the block job on disk target without pivoting (an active commit
 * leaves the domain on its top).  Returns 0, also when there is no job,
 * or -1 with err (libvirt's classes).
 */
int rhv_virt_dom_block_cancel(struct rhv_virt_dom *d, const char *target, struct rhv_error *err);

/*
 * The domain XML xml with each listed disk (path not NULL) moved onto its
 * path: <source file> (or <source dev> for a path under /dev/) set, the
 * <backingStore> dropped (libvirt reads the chain from the images), the
 * driver type qcow2.  *out: the XML (caller frees).  Returns 0, or -1 with
 * err: 1 not a domain, 3 a listed disk is not in it.
 */
int rhv_virt_xml_retarget_disks(const char *xml, const struct rhv_virt_snap_disk *disks, size_t n, char **out,
				struct rhv_error *err);

/*
 * Start a domain from the memory image memory_path saved by
 * rhv_virt_dom_snapshot(), its listed disks moved onto new overlays (made
 * on the snapshot's volumes): libvirt 9.0 cannot revert to an external
 * snapshot, so the image's XML is edited (rhv_virt_xml_retarget_disks())
 * and the domain restored with it, running, or paused when paused.
 * Returns the domain (caller frees), or NULL with err: 3 a listed disk is
 * not in the image's XML; libvirt's classes (4 the domain already runs).
 */
struct rhv_virt_dom *rhv_virt_restore_memory(struct rhv_virt_conn *c, const char *memory_path,
					     const struct rhv_virt_snap_disk *disks, size_t n, bool paused,
					     struct rhv_error *err);
