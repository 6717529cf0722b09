/*
 * rt_space.c: a second address space running the same program.
 *
 * A new VSpace gets a private copy of the root task's image, page by page:
 * each new frame is mapped at the scratch window in the root VSpace, filled
 * from the running image, unmapped, and mapped in the new VSpace at the
 * same address (text executable, rodata read-only, data and bss
 * writable). Threads created in it (rt_thread.c) add their stacks.
 */
#include <mercury/string.h>

#include "rt.h"

/* Copies the image page at va into a new frame mapped in sp. */
static int64_t space_copy_page(struct rt_space *sp, uint64_t va)
{
	uint64_t rights = HL_R_READ, attrs = 0;
	int64_t st;
	hl_cptr_t f = obj_alloc(HL_OBJ_FRAME, 0, &st);

	if (!f)
		return st;
	sp->frames[sp->npages++] = f;
	st = vm_map(f, HL_CAP_VSPACE, RT_SCRATCH, HL_R_READ | HL_R_WRITE, 0);
	if (st != E_OK)
		return st;
	memcpy((void *)RT_SCRATCH, (const void *)va, 4096);
	st = hl_frame_unmap(f).status;
	if (st != E_OK)
		return st;
	if (va < (uint64_t)__text_end)
		attrs = HL_MAP_EXEC;
	else if (va >= (uint64_t)__rodata_end)
		rights |= HL_R_WRITE;
	return vm_map_tables(f, sp->vspace, va, rights, attrs, &sp->tables);
}

int64_t rt_space_create(struct rt_space *sp)
{
	int64_t st;

	memset(sp, 0, sizeof(*sp));
	sp->vspace = obj_alloc(HL_OBJ_VSPACE, 0, &st);
	if (!sp->vspace)
		return st;
	st = hl_asid_pool_assign(HL_CAP_ASID_POOL, sp->vspace).status;
	if (st != E_OK)
		return st;
	for (uint64_t va = (uint64_t)__image_start; va < (uint64_t)__image_end; va += 4096) {
		if (sp->npages == RT_SPACE_MAX_PAGES)
			return E_NOMEM;
		st = space_copy_page(sp, va);
		if (st != E_OK)
			return st;
	}
	return E_OK;
}

void rt_space_destroy(struct rt_space *sp)
{
	while (sp->npages) {
		hl_cptr_t f = sp->frames[--sp->npages];

		hl_frame_unmap(f);
		obj_free(f);
	}
	vm_tables_free(&sp->tables);
	if (sp->vspace)
		obj_free(sp->vspace);
	sp->vspace = 0;
}
