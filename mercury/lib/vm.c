/*
 * vm.c: mapping in one's own address space, and the heap's pages.
 *
 * HL_FRAME_MAP answers E_NOTABLE with the missing level in its value; we
 * make that table, map it over the address and try again (PDPT, PD, PT:
 * at most three times). The root task's heap grows page by page from
 * MERC_HEAP_BASE with frames kept for the whole run. A spawned process
 * owns no Untyped, so its heap is an arena in its bss.
 */
#include <mercury/runtime.h>

#include "runtime_int.h"

#define MERC_HEAP_BASE	0x0000100000000000ull
#define MERC_ARENA	(64 * 1024)	/* heap.c asks for 64 KiB regions */

int64_t vm_map(hl_cptr_t frame, hl_cptr_t vspace, uint64_t vaddr, uint64_t rights,
	       uint64_t attrs)
{
	for (int tries = 0; tries < 4; tries++) {
		struct hl_result r = hl_frame_map(frame, vspace, vaddr, rights, attrs);
		hl_cptr_t t;
		int64_t st;

		if (r.status != E_NOTABLE)
			return r.status;
		if (r.value != HL_OBJ_PDPT && r.value != HL_OBJ_PD && r.value != HL_OBJ_PT)
			return E_INVAL;
		t = obj_alloc_keep(r.value, 0, &st);
		if (!t)
			return st;
		st = hl_page_table_map(t, vspace, vaddr).status;
		if (st != E_OK) {
			obj_free(t);
			return st;
		}
	}
	return E_NOTABLE;
}

static void *heap_more_root(size_t bytes)
{
	static uint64_t top = MERC_HEAP_BASE;
	uint64_t start = top;

	for (uint64_t got = 0; got < bytes; got += 4096) {
		int64_t st;
		hl_cptr_t f = obj_alloc_keep(HL_OBJ_FRAME, 0, &st);

		if (!f)
			return NULL;
		if (vm_map(f, HL_CAP_VSPACE, top, HL_R_READ | HL_R_WRITE, 0) != E_OK) {
			obj_free(f);
			return NULL;
		}
		top += 4096;
	}
	return (void *)start;
}

static void *heap_more_arena(size_t bytes)
{
	static char arena[MERC_ARENA] __attribute__((aligned(16)));
	static size_t used;
	void *p = arena + used;

	if (bytes > sizeof(arena) - used)
		return NULL;
	used += (bytes + 15) & ~(size_t)15;
	return p;
}

void *merc_heap_more(size_t bytes)
{
	return merc_bootinfo ? heap_more_root(bytes) : heap_more_arena(bytes);
}
