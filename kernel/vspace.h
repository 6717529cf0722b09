/*
 * vspace.h: address spaces (VSpace = a PML4), their page tables and frames.
 * Each VSpace gets an address-space id from an ASID pool (asid.h); mapped
 * frame and page-table caps remember (asid and its generations, vaddr), so a
 * cap whose VSpace is gone reads as unmapped and never touches a newer VSpace.
 */
#ifndef KERNEL_VSPACE_H
#define KERNEL_VSPACE_H

#include <stdbool.h>
#include <stdint.h>
#include "cap.h"

void vspace_init(uint64_t pml4_kaddr);
/* True when the VSpace of cap vs has a live address-space id. */
bool vspace_has_asid(const struct cap *vs);
void vspace_finalise(struct cap *c);
/* Removes the mapping this frame or page-table cap made, if any. */
void vspace_unmap_cap(struct cap *c);
/* Physical address of the PML4 of a VSpace cap. */
uint64_t vspace_root_paddr(const struct cap *c);

/* Boot-time helpers for the root task (no capabilities checked). */
int vspace_map_table(struct cap *vs, struct cap *table, uint64_t vaddr);
int vspace_map_frame(struct cap *vs, struct cap *frame, uint64_t vaddr, unsigned rights, unsigned attrs);
/* The page-table level missing for a mapping of type at vaddr, or HL_OBJ_NULL. */
unsigned vspace_missing_level(struct cap *vs, unsigned type, uint64_t vaddr);

#endif
