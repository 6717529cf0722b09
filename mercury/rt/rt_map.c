/*
 * rt_map.c: mapping frames, making the page tables a mapping needs.
 *
 * HL_FRAME_MAP answers E_NOTABLE with the missing level in value; we
 * retype that table, map it to cover the address and try again (at most
 * three levels: PDPT, PD, PT).
 */
#include "rt.h"

int64_t rt_map(hl_cptr_t frame, hl_cptr_t vspace, uint64_t vaddr, uint64_t rights,
	       uint64_t attrs, struct rt_tables *tabs)
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
		t = tabs ? rt_obj_alloc(r.value, 0, &st) : rt_obj_alloc_keep(r.value, 0, &st);
		if (!t)
			return st;
		st = hl_page_table_map(t, vspace, vaddr).status;
		if (st != E_OK) {
			rt_obj_free(t);
			return st;
		}
		if (tabs)
			tabs->slot[tabs->n++] = t;
	}
	return E_NOTABLE;
}

void rt_tables_free(struct rt_tables *tabs)
{
	/* Deepest first: PT, PD, then PDPT were made in the opposite order. */
	while (tabs->n) {
		hl_cptr_t t = tabs->slot[--tabs->n];

		hl_page_table_unmap(t);
		rt_obj_free(t);
	}
}
