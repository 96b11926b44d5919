/*
 * The volumes of VM snapshots on a file domain (storage/snapvol.c), as
 * the flows of ops/snap*.c use them: qcow2 layers made on top of a
 * disk's volumes, volumes removed, and a layer merged into the volume
 * below it.  Structure changes go through the SPM (tok); adding writes
 * the files first and the metadata last, removing the metadata first and
 * the files last, so a crash leaves at worst a file no metadata describes
 * (scrub's to remove), never metadata without its file.  No libpq here.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/qimg.h"
#include "rhv/spmops.h"

/* A new qcow2 layer id in image, on top of volume parent (of the same image). */
struct rhv_snapvol_layer {
	const char *image, *parent, *id;
};
/*
 * Make the layers (each of its parent's virtual size), then add them to the
 * domain's metadata in one write.  On a failure the files made are removed.
 */
int rhv_snapvol_add(const struct rhv_spm_token *tok, const char *root, const struct rhv_qimg_as *as,
		    const struct rhv_snapvol_layer *l, size_t n, struct rhv_error *err);
/*
 * The same in two steps, so the caller works (takes the SPM's token)
 * while qemu-img runs: start makes the files (NULL with err, nothing left,
 * when it cannot; l must live until the end), finish waits for them and
 * writes the metadata (as rhv_snapvol_add() from there), abandon waits
 * and removes them.  Finish and abandon free a; abandon takes NULL.
 */
struct rhv_snapvol_adding;
struct rhv_snapvol_adding *rhv_snapvol_add_start(const char *root, const struct rhv_qimg_as *as,
						 const struct rhv_snapvol_layer *l, size_t n, struct rhv_error *err);
int rhv_snapvol_add_finish(struct rhv_snapvol_adding *a, const struct rhv_spm_token *tok, struct rhv_error *err);
void rhv_snapvol_add_abandon(struct rhv_snapvol_adding *a);
/*
 * Remove volumes (ids in images, leaves first): from the metadata those it
 * still has, in one write, then their files (a missing file is fine).
 */
int rhv_snapvol_remove(const struct rhv_spm_token *tok, const char *root, const char *const *images,
		       const char *const *ids, size_t n, struct rhv_error *err);

/* A merge of volume top of image into base, the layer child (NULL: none, top was the active layer) above it. */
struct rhv_snapvol_merge {
	const char *image, *base, *top, *child;
};
/*
 * With the VM down: commit top's data into base (qemu-img), re-base child
 * on base, then the metadata (child's parent is base, top goes) and top's
 * file.  Each step may be run again after a crash.  progress (may be NULL)
 * gets percentages of the commit.
 */
int rhv_snapvol_merge(const struct rhv_spm_token *tok, const char *root, const struct rhv_qimg_as *as,
		      const struct rhv_snapvol_merge *mg, rhv_qimg_progress_fn progress, void *progress_data,
		      struct rhv_error *err);
/* After the guest merged top into base itself (a block commit): the metadata and top's file, as above. */
int rhv_snapvol_merged(const struct rhv_spm_token *tok, const char *root, const struct rhv_snapvol_merge *mg,
		       struct rhv_error *err);
/* Is volume id in the domain's metadata, and what format and allocation does it have (NULL: not asked)? */
int rhv_snapvol_lookup(const char *root, const char *id, bool *found, char format[16], char allocation[16],
		       struct rhv_error *err);
/*
 * Remove the files of image's directory that the domain's metadata does
 * not describe (left by a removal that stopped between its metadata and
 * its files).  The caller holds the disk's lock: nothing else makes files
 * there meanwhile.
 */
int rhv_snapvol_sweep(const char *root, const char *image, struct rhv_error *err);

/*
 * The guest memory a snapshot saves (create --memory) is an image of its
 * own on a domain, with one raw volume that the host's libvirt writes:
 * memory_dir makes the image's directory, owned by the domain's owner;
 * memory_add records the written file in the metadata as a memory image
 * (*size: its size; already recorded is fine); memory_remove drops the
 * image from the metadata, then its files (either missing is fine).
 */
int rhv_snapvol_memory_dir(const char *root, const struct rhv_qimg_as *as, const char *image, struct rhv_error *err);
int rhv_snapvol_memory_add(const struct rhv_spm_token *tok, const char *root, const char *image, const char *volume,
			   const char *name, uint64_t *size, struct rhv_error *err);
int rhv_snapvol_memory_remove(const struct rhv_spm_token *tok, const char *root, const char *image,
			      struct rhv_error *err);
