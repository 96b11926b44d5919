/*
 * rhv-snap create: a new qcow2 layer on each disk, made by the SPM, and a
 * running guest switched to the layers in one atomic step (ops/snap-priv.h
 * tells the protocol).
 */
#include "rhv/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/guest.h"
#include "ops/snap-priv.h"
#include "rhv/cleanup.h"
#include "rhv/parse.h"
#include "rhv/progress.h"
#include "rhv/validate.h"
#include "rhv/virtsnap.h"
#include "rhv/vm.h"
#include "storage/snapvol.h"

static const char *const create_states[] = { RHV_VM_DOWN, RHV_VM_UP, RHV_VM_PAUSED, NULL };

/* The disks a create takes: those named, or all of the VM's. */
struct pick {
	size_t n;
	const struct rhv_db_snap_disk **disks;
	const char **ids, **tops, **news;
	char (*new_ids)[37];
};

static void pick_clear(struct pick *k)
{
	free(k->disks);
	free(k->ids);
	free(k->tops);
	free(k->news);
	free(k->new_ids);
	memset(k, 0, sizeof(*k));
}

static const struct rhv_db_snap_disk *find_disk(const struct rhv_db_snap_vm *vm, const char *name)
{
	for (size_t i = 0; i < vm->ndisks; i++)
		if (!strcmp(vm->disks[i].name, name))
			return &vm->disks[i];
	return rhv_snap_vm_disk(vm, name);
}

static int pick_disks(const struct rhv_db_snap_vm *vm, const struct rhv_snap_spec *spec, struct pick *k,
		      struct rhv_error *err)
{
	size_t want = spec->ndisks ? spec->ndisks : vm->ndisks;

	memset(k, 0, sizeof(*k));
	if (vm->ndisks == 0)
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' has no disks to take a snapshot of", vm->name);
	k->disks = rhv_xcalloc(want + 1, sizeof(*k->disks));
	k->ids = rhv_xcalloc(want + 1, sizeof(*k->ids));
	k->tops = rhv_xcalloc(want + 1, sizeof(*k->tops));
	k->news = rhv_xcalloc(want + 1, sizeof(*k->news));
	k->new_ids = rhv_xcalloc(want + 1, sizeof(*k->new_ids));
	for (size_t i = 0; i < want; i++) {
		const struct rhv_db_snap_disk *d = spec->ndisks ? find_disk(vm, spec->disks[i]) : &vm->disks[i];

		if (!d)
			return rhv_error_set(err, RHV_EXIT_NOTFOUND, "VM '%s' has no disk '%s'", vm->name, spec->disks[i]);
		for (size_t j = 0; j < k->n; j++)
			if (k->disks[j] == d)
				return rhv_error_usage(err, "disk '%s' is named twice", d->name);
		/* direct LUNs and block domains: no file to put a layer on here */
		if (!d->root)
			return rhv_error_set(err, RHV_EXIT_CONFLICT,
					     "disk '%s' is on a block domain: snapshots need a file domain here", d->name);
		k->disks[k->n] = d;
		k->ids[k->n] = d->id;
		k->tops[k->n] = d->volume_id;
		rhv_uuid_new(k->new_ids[k->n]);
		k->news[k->n] = k->new_ids[k->n];
		k->n++;
	}
	return 0;
}

/* ---- the live switch ---- */

/*
 * Ask the guest to switch, quiesced first; without a guest agent, again
 * without (reference 8.2).  *quiesced tells which one worked.
 */
static int switch_guest(struct rhv_virt_dom *dom, const struct rhv_db_snap_vm *vm, const struct pick *k,
			const char *memory_path, const struct rhv_progress *p, bool *quiesced, struct rhv_error *err)
{
	struct rhv_virt_snap_disk *sd = rhv_xcalloc(k->n + 1, sizeof(*sd));
	char **paths = rhv_xcalloc(k->n + 1, sizeof(*paths));
	bool refused = false;
	int rc;

	for (size_t i = 0; i < k->n; i++) {
		paths[i] = rhv_snap_path(k->disks[i], k->news[i]);
		sd[i] = (struct rhv_virt_snap_disk){ k->disks[i]->target, paths[i] };
	}
	/* memory and disks are saved at one instant: nothing to freeze (libvirt quiesces disk-only snapshots alone) */
	*quiesced = !memory_path;
	/* refused at once, before libvirt is asked, when the guest shows no agent that may answer */
	rc = rhv_virt_dom_snapshot(dom, sd, k->n, memory_path, *quiesced, &refused, err);
	if (rc < 0 && refused) {
		rhv_progress_note(p, "VM '%s' has no guest agent to freeze its file systems: taking the snapshot without",
				  vm->name);
		rhv_error_clear(err);
		*quiesced = false;
		rc = rhv_virt_dom_snapshot(dom, sd, k->n, NULL, false, &refused, err);
	}
	for (size_t i = 0; i < k->n; i++)
		free(paths[i]);
	free(paths);
	free(sd);
	return rc;
}

/*
 * The live switch: the guest's host, connected to while the layers were
 * made; the mark that the guest is asked (what an interrupted create is
 * settled by: ops/snapsettle.c), then the switch.
 */
static int switch_live(struct rhv_db *db, const struct rhv_snap *s, const struct rhv_db_snap_vm *vm,
		       const struct pick *k, struct rhv_ops_guest_opening *g, const struct rhv_progress *p,
		       bool *quiesced, struct rhv_error *err)
{
	struct rhv_virt_conn *conn = NULL;
	struct rhv_virt_dom *dom = rhv_ops_running_domain_finish(g, &conn, err);
	_cleanup_free_ char *memory_path = rhv_snap_memory_path(s);
	int rc = -1;

	if (dom && rhv_db_snap_switching(db, s->id, NULL, err) == 0)
		rc = switch_guest(dom, vm, k, memory_path, p, quiesced, err);
	rhv_virt_dom_free(dom);
	rhv_virt_close(conn);
	return rc;
}

/* ---- create ---- */

/* The layers being made: one batch per storage domain of the disks; done: the batches finished. */
struct layers {
	struct rhv_snapvol_layer *l;
	struct rhv_snapvol_adding **adding;
	size_t ngroups, done;
};

/*
 * Start every layer's file (the disks of one domain in one batch: one
 * metadata write for all of them).  On a failure, the batches started are
 * left to layers_clear().
 */
static int start_layers(const struct pick *k, struct layers *ls, struct rhv_error *err)
{
	ls->l = rhv_xcalloc(k->n + 1, sizeof(*ls->l));
	ls->adding = rhv_xcalloc(k->n + 1, sizeof(*ls->adding));
	for (size_t i = 0, j; i < k->n; i = j) {
		struct rhv_qimg_as as;

		for (j = i; j < k->n && !strcmp(k->disks[j]->root, k->disks[i]->root); j++)
			ls->l[j] = (struct rhv_snapvol_layer){ k->disks[j]->id, k->disks[j]->volume_id, k->news[j] };
		if (rhv_snap_owner(k->disks[i]->root, &as, err) < 0)
			return -1;
		ls->adding[ls->ngroups] = rhv_snapvol_add_start(k->disks[i]->root, &as, &ls->l[i], j - i, err);
		if (!ls->adding[ls->ngroups])
			return -1;
		ls->ngroups++;
	}
	return 0;
}

/* The SPM's token (taken while qemu-img runs), then each batch waited for and written into the metadata. */
static int finish_layers(struct rhv_db *db, const struct pick *k, struct layers *ls, const struct rhv_progress *p,
			 struct rhv_error *err)
{
	struct rhv_spm_token tok;

	if (rhv_snap_token(db, k->disks[0], p, &tok, err) < 0)
		return -1;
	while (ls->done < ls->ngroups)
		if (rhv_snapvol_add_finish(ls->adding[ls->done++], &tok, err) < 0)
			return -1;
	return 0;
}

/* The batches not finished are waited for and their files removed: no qemu-img is left writing. */
static void layers_clear(struct layers *ls)
{
	for (size_t g = ls->done; g < ls->ngroups; g++)
		rhv_snapvol_add_abandon(ls->adding[g]);
	free(ls->adding);
	free(ls->l);
	memset(ls, 0, sizeof(*ls));
}

static int check_spec(const struct rhv_snap_spec *spec, struct rhv_error *err)
{
	if (spec->description && rhv_check_text(spec->description, RHV_DESCRIPTION_MAX, "description", err) < 0)
		return -1;
	return 0;
}

/* The memory image a create with --memory names at its claim: on the domain of its first disk. */
struct memory_ids {
	char image[37], volume[37];
	const char *domain;
};

static int memory_ids(const struct rhv_snap_spec *spec, const struct rhv_db_snap_vm *vm, const struct pick *k,
		      struct memory_ids *m, struct rhv_error *err)
{
	memset(m, 0, sizeof(*m));
	if (!spec->memory)
		return 0;
	if (!rhv_snap_running(vm->state))
		return rhv_error_set(err, RHV_EXIT_CONFLICT, "VM '%s' is %s: only a running guest has memory to save",
				     vm->name, vm->state);
	rhv_uuid_new(m->image);
	rhv_uuid_new(m->volume);
	m->domain = k->disks[0]->domain_id;
	return 0;
}

static int claim(struct rhv_db *db, const struct rhv_db_snap_vm *vm, const struct rhv_snap_spec *spec,
		 const struct pick *k, const struct memory_ids *m, const char *id, struct rhv_error *err)
{
	struct rhv_db_snap_claim c = {
		.op = "create", .vm_id = vm->id, .snap_id = id, .states = create_states, .ndisks = k->n,
		.disk_ids = k->ids, .disk_tops = k->tops, .new_volumes = k->news, .description = spec->description,
		.nics = vm->nics, .live = rhv_snap_running(vm->state), .memory = vm->memory, .vcpus = vm->vcpus,
		.memory_domain_id = m->domain, .memory_image_id = m->domain ? m->image : NULL,
		.memory_volume_id = m->domain ? m->volume : NULL,
	};

	return rhv_db_snap_claim(db, &c, err);
}

int rhv_snap_create(struct rhv_db *db, const struct rhv_snap_spec *spec, const struct rhv_progress *p,
		    char id_out[37], struct rhv_error *err)
{
	struct rhv_ops_guest_opening g = { 0 };
	struct layers ls = { 0 };
	struct rhv_db_snap_vm vm;
	struct rhv_snap s;
	struct pick k;
	struct memory_ids mem;
	bool quiesced = false, live;
	int rc = -1, layers_rc;

	memset(&k, 0, sizeof(k));
	memset(&s, 0, sizeof(s));
	if (check_spec(spec, err) < 0 || rhv_db_snap_vm_get(db, spec->vm, &vm, err) < 0)
		goto out_vm;
	if (pick_disks(&vm, spec, &k, err) < 0 || memory_ids(spec, &vm, &k, &mem, err) < 0 ||
	    rhv_snap_lock_vm(db, &vm, err) < 0)
		goto out_vm;
	rhv_uuid_new(id_out);
	if (claim(db, &vm, spec, &k, &mem, id_out, err) < 0) {
		rhv_snap_unlock(db, vm.id, NULL, 0);
		goto out_vm;
	}
	live = rhv_snap_running(vm.state);
	/* the files first: qemu-img runs while the store is read, the host connected to and the token taken */
	layers_rc = start_layers(&k, &ls, err);
	/* the claim's view of the snapshot: what roll back and finish work from */
	if (rhv_db_snap_get(db, id_out, &s, err) < 0) {
		layers_clear(&ls);
		goto out;
	}
	if (layers_rc < 0 || (mem.domain && rhv_snap_memory_prepare(&s, err) < 0))
		goto fail;
	if (live && rhv_ops_running_domain_start(db, vm.host_id, vm.id, &g, err) < 0)
		goto fail;
	if (finish_layers(db, &k, &ls, p, err) < 0)
		goto fail;
	if (live && switch_live(db, &s, &vm, &k, &g, p, &quiesced, err) < 0)
		goto fail;
	rc = rhv_snap_finish_create(db, &s, quiesced,
				    !live	 ? "VM down"
				    : mem.domain ? "live, with its memory at the same instant"
				    : quiesced	 ? "live, quiesced"
						 : "live, not quiesced: no guest agent",
				    err);
	if (rc == 0)
		rhv_progress_note(p, "snapshot %s of VM '%s' created%s", s.id, vm.name,
				  mem.domain ? ", with the guest's memory" : "");
	goto out;
fail : {
	struct rhv_error e2 = { 0 };
	bool forward = false;

	/* before the settling: no qemu-img may still be making a layer it removes */
	layers_clear(&ls);
	rhv_ops_running_domain_abandon(&g);

	/* a switch that failed was atomic, but a lost answer hides whether it happened: the guest tells */
	if (rhv_snap_settle_create(db, &s, err->message, &forward, &e2) < 0)
		rhv_progress_warn(p, "the snapshot could not be undone (%s): rhv-snap resume %s will", e2.message, vm.name);
	else if (forward) {
		rhv_error_clear(err);
		rc = 0;
	}
	rhv_error_clear(&e2);
}
out:
	layers_clear(&ls);
	rhv_ops_running_domain_abandon(&g);
	rhv_snap_unlock(db, vm.id, k.ids, k.n);
out_vm:
	rhv_snap_clear(&s);
	pick_clear(&k);
	rhv_db_snap_vm_clear(&vm);
	return rc;
}
