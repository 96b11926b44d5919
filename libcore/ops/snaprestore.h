/*
 * A VM's start when the snapshot it previews saved the guest's memory
 * (rhv-snap preview): the guest resumes from that memory on the preview
 * layers instead of booting.  Once: the wish is dropped before libvirt is
 * asked, so a guest resumed and stopped again boots from its disks, which
 * have moved on since the memory was saved.
 */
#pragma once

#include "rhv/common.h"
#include "rhv/error.h"
#include "rhv/virt.h"
#include "rhv/vm.h"

struct rhv_db;

/*
 * Start vm's domain on c: from the saved memory when a preview asked for
 * it (*resumed true), else from xml.  Returns the domain, or NULL with err
 * (what: "VM 'x' on host 'y'", for the messages).
 */
struct rhv_virt_dom *rhv_ops_start_domain(struct rhv_db *db, const struct rhv_vm *vm, struct rhv_virt_conn *c,
					  const char *xml, const char *what, bool *resumed, struct rhv_error *err);
