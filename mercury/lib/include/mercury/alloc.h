/*
 * mercury/alloc.h: slots, kernel objects and mappings from the root task's
 * boot resources (its CNode, VSpace and the boot Untypeds in BootInfo).
 *
 * slot.c hands out slots of the root CNode, object.c retypes objects from
 * the boot Untypeds into them, vm.c maps frames and makes the page tables
 * a mapping needs. libmercury's start-up sets them up for the root task
 * (mercury/runtime.h includes this header); mercury/rt, the kernel suites'
 * runtime, links the same three files and calls merc_alloc_init itself.
 * In a spawned process, which holds no Untyped of its own, they fail (0 or
 * E_NOCAP).
 */
#ifndef MERCURY_ALLOC_H
#define MERCURY_ALLOC_H

#include <stdint.h>
#include <mercury/hl.h>

/* The root task's BootInfo (NULL in a spawned process). */
extern const struct hl_bootinfo *merc_bootinfo;

/* Sets merc_bootinfo and the slot and object allocators from bi. Start-up
 * calls it; call it before any other function here. */
void merc_alloc_init(const struct hl_bootinfo *bi);

/* --- slot.c: slots of the root CNode --- */

/* The root CNode depth: a slot number is a cptr. */
#define MERC_DEPTH 64
/* The CNode cap of our own CSpace root, to name our slots (slot, MERC_DEPTH)
 * in CNode methods: HL_CAP_CNODE in the root task, the "self.cnode" cap in
 * a spawned process (0 when it was given none: it cannot delete or move
 * its caps then). */
hl_cptr_t merc_cnode(void);
/* An empty slot, or 0 when none is left. */
hl_cptr_t slot_alloc(void);
/* The first of n consecutive empty slots, or 0; free each with slot_free. */
hl_cptr_t slot_alloc_run(unsigned n);
/* Deletes what the slot holds (if anything) and makes it free again. */
void slot_free(hl_cptr_t slot);
/* Number of empty slots of the root CNode, counted by HL_CNODE_IDENTIFY. */
uint64_t slot_count_empty(void);

/* --- object.c: kernel objects from the boot Untypeds --- */

/* Makes one object (size_bits for sized types) from the largest RAM
 * Untyped with room; returns its slot, or 0 with the status in *err (if
 * err is not NULL). */
hl_cptr_t obj_alloc(uint64_t type, uint64_t size_bits, int64_t *err);
/* As obj_alloc, for objects that live for the whole run (taken from the
 * smallest Untypeds, so short-lived ones can give their memory back). */
hl_cptr_t obj_alloc_keep(uint64_t type, uint64_t size_bits, int64_t *err);
/* Deletes the object's cap and frees its slot. */
void obj_free(hl_cptr_t slot);
/* Free bytes of all boot Untypeds together (HL_UNTYPED_INFO). */
uint64_t obj_untyped_free(void);

/* --- vm.c: mapping frames --- */

/* Page tables made for mappings in an address space that will be freed
 * (vm_map_tables records them; vm_tables_free deletes them). */
struct vm_tables {
	hl_cptr_t slot[16];
	unsigned n;
};

/* Maps frame at vaddr in vspace with rights and attrs (HL_MAP_*), making
 * missing page tables with obj_alloc_keep (they stay for the whole run).
 * Returns E_OK or the kernel's error. */
int64_t vm_map(hl_cptr_t frame, hl_cptr_t vspace, uint64_t vaddr, uint64_t rights,
	       uint64_t attrs);
/* As vm_map, but missing page tables are short-lived objects (obj_alloc)
 * recorded in tabs (E_NOMEM when it is full). */
int64_t vm_map_tables(hl_cptr_t frame, hl_cptr_t vspace, uint64_t vaddr, uint64_t rights,
		      uint64_t attrs, struct vm_tables *tabs);
/* Unmaps and deletes the page tables in tabs, leaving it empty. */
void vm_tables_free(struct vm_tables *tabs);

#endif
