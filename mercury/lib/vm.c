/*
 * vm.c: mapping frames, making the page tables a mapping needs.
 *
 * HL_FRAME_MAP answers E_NOTABLE with the missing level in its value; we
 * make that table, map it over the address and try again (PDPT, PD, PT:
 * at most three times). Tables for mappings that last the whole run come
 * from obj_alloc_keep; tables of an address space that will be freed are
 * short-lived objects recorded in a struct vm_tables.
 */
#include <stddef.h>
#include <mercury/alloc.h>

int64_t vm_map_tables(hl_cptr_t frame, hl_cptr_t vspace, uint64_t vaddr, uint64_t rights,
		      uint64_t attrs, struct vm_tables *tabs)
{
	for (int tries = 0; tries < 4; tries++) {
		struct hl_result r = hl_frame_map(frame, vspace, vaddr, rights, attrs);
		hl_cptr_t t;
		int64_t st;

		if (r.status != E_NOTABLE)
			return r.status;
		if (r.value != HL_OBJ_PDPT && r.value != HL_OBJ_PD && r.value != HL_OBJ_PT)
			return E_INVAL;
		if (tabs && tabs->n == sizeof(tabs->slot) / sizeof(tabs->slot[0]))
			return E_NOMEM;
		t = tabs ? obj_alloc(r.value, 0, &st) : obj_alloc_keep(r.value, 0, &st);
		if (!t)
			return st;
		st = hl_page_table_map(t, vspace, vaddr).status;
		if (st != E_OK) {
			obj_free(t);
			return st;
		}
		if (tabs)
			tabs->slot[tabs->n++] = t;
	}
	return E_NOTABLE;
}

int64_t vm_map(hl_cptr_t frame, hl_cptr_t vspace, uint64_t vaddr, uint64_t rights,
	       uint64_t attrs)
{
	return vm_map_tables(frame, vspace, vaddr, rights, attrs, NULL);
}

void vm_tables_free(struct vm_tables *tabs)
{
	/* Deepest first: PT, PD, then PDPT were made in the opposite order. */
	while (tabs->n) {
		hl_cptr_t t = tabs->slot[--tabs->n];

		hl_page_table_unmap(t);
		obj_free(t);
	}
}
