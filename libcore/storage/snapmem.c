/* The guest memory images of VM snapshots on a file domain (storage/snapvol.h). */
#include "rhv/common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rhv/cleanup.h"
#include "rhv/sdmeta.h"
#include "storage/sd-priv.h"
#include "storage/snapvol.h"

int rhv_snapvol_memory_dir(const char *root, const struct rhv_qimg_as *as, const char *image, struct rhv_error *err)
{
	_cleanup_free_ char *dir = rhv_sd_image_dir(root, image);

	/* the host's libvirt writes the image there, as the domain's owner (as vdsm's are vdsm:kvm) */
	if (mkdir(dir, 0770) < 0 && errno != EEXIST)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot create %s: %s", dir, strerror(errno));
	if (as->set && chown(dir, as->uid, as->gid) < 0)
		return rhv_error_set(err, RHV_EXIT_UNAVAILABLE, "cannot give %s to its owner: %s", dir, strerror(errno));
	return 0;
}

struct memory_image {
	const char *image, *volume, *name;
	uint64_t size;
};

static int add_memory(struct rhv_sd_meta *m, void *arg, struct rhv_error *err)
{
	const struct memory_image *mi = arg;
	struct rhv_sd_volume v = { .format = "raw", .allocation = "sparse" };
	struct rhv_sd_image *img;

	if (rhv_sdmeta_find_image(m, mi->image))
		return 0; /* recorded by an earlier attempt */
	if (rhv_sdmeta_add_image(m, mi->image, mi->name, "guest memory saved with a VM snapshot", err) < 0)
		return -1;
	img = rhv_sdmeta_find_image(m, mi->image);
	img->memory = true;
	snprintf(v.id, sizeof(v.id), "%s", mi->volume);
	/* sizes in the metadata are whole sectors; the image is read to its end, never past it */
	v.size = (mi->size + 511) / 512 * 512;
	if (v.size == 0)
		v.size = 512;
	return rhv_sdmeta_add_volume(m, mi->image, &v, err);
}

int rhv_snapvol_memory_add(const struct rhv_spm_token *tok, const char *root, const char *image, const char *volume,
			   const char *name, uint64_t *size, struct rhv_error *err)
{
	_cleanup_free_ char *path = rhv_sd_volume_path(root, image, volume);
	struct memory_image mi = { image, volume, name, 0 };
	struct stat st;

	if (stat(path, &st) < 0)
		return rhv_error_set(err, errno == ENOENT ? RHV_EXIT_FAILED : RHV_EXIT_UNAVAILABLE,
				     "the memory image %s/%s is not on the storage: %s", image, volume, strerror(errno));
	mi.size = *size = (uint64_t)st.st_size;
	return rhv_sd_meta_update(tok, root, add_memory, &mi, err);
}

int rhv_snapvol_memory_remove(const struct rhv_spm_token *tok, const char *root, const char *image,
			      struct rhv_error *err)
{
	/* metadata first, files last: a crash between leaves a file scrub removes */
	if (rhv_sd_meta_update(tok, root, rhv_sd_drop_image, (void *)image, err) < 0)
		return -1;
	return rhv_sd_remove_image(root, image, err);
}
