/*
 * heap_pages.c: where the heap's memory comes from. The root task's heap
 * grows page by page from MERC_HEAP_BASE with frames kept for the whole
 * run. A spawned process owns no Untyped, so its heap is an arena in its
 * bss: MERC_ARENA bytes, or the arena the program defines with
 * MERC_HEAP_ARENA(bytes) (mercury/heap.h).
 */
#include <mercury/runtime.h>

#include "runtime_int.h"

#define MERC_HEAP_BASE	0x0000100000000000ull
#define MERC_ARENA	(64 * 1024)	/* heap.c asks for 64 KiB regions */

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

extern char merc_heap_arena[] __attribute__((weak));
extern const size_t merc_heap_arena_size __attribute__((weak));

static void *heap_more_arena(size_t bytes)
{
	static char small[MERC_ARENA] __attribute__((aligned(16)));
	static size_t used;
	char *arena = merc_heap_arena ? merc_heap_arena : small;
	size_t size = merc_heap_arena ? merc_heap_arena_size : sizeof(small);
	void *p = arena + used;

	if (bytes > size - used)
		return NULL;
	used += (bytes + 15) & ~(size_t)15;
	return p;
}

void *merc_heap_more(size_t bytes)
{
	return merc_bootinfo ? heap_more_root(bytes) : heap_more_arena(bytes);
}
