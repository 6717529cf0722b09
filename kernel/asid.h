/*
 * asid.h: address-space ids, issued in pools (as seL4 does). The holder of
 * ASIDControl turns 4 KiB of Untyped into an ASID pool; whoever holds a pool
 * gives VSpaces ids from it (HL_ASID_POOL_ASSIGN). A VSpace without an id
 * cannot be copied, mapped into or run on. So the ids are a resource the
 * system hands out like memory: a task can exhaust only the pool it was
 * given, never the machine's.
 *
 * An id is (pool index + 1) << 8 | entry; a VSpace cap remembers it in a,
 * with two generations (the pool slot's and the entry's): frame and table
 * caps copy a when they map, so a cap whose VSpace or pool is gone never
 * resolves to a newer VSpace that got the same id.
 */
#ifndef KERNEL_ASID_H
#define KERNEL_ASID_H

#include <stdint.h>
#include "cap.h"

#define ASID_POOLS		127
#define ASID_POOL_ENTRIES	256

/* The PML4 (kernel address) a mapping record refers to, or NULL if that
 * VSpace, or its pool, is gone. */
uint64_t *asid_pml4(uint64_t a);
/* Gives the VSpace cap vs an id from pool; E_OK or the refusal. Boot uses
 * it for the root task's VSpace. */
int asid_assign(struct cap *pool, struct cap *vs);
/* The VSpace of cap vs is being destroyed: its id is free again. */
void asid_release(struct cap *vs);
/* A pool object is made (object_create) and destroyed (its last cap). */
void asid_pool_init(uint64_t kaddr, struct cap *c);
void asid_pool_finalise(struct cap *c);
/* The pool slots no pool uses (for the fuzzer and the stats). */
unsigned asid_free_pool_slots(void);
int asid_invoke(struct cap *c, uint64_t label, unsigned len);

#endif
