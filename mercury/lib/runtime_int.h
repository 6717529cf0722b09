/*
 * runtime_int.h: what the parts of the libmercury runtime tell each other
 * (start-up calls these; programs use mercury/runtime.h).
 */
#ifndef MERCURY_RUNTIME_INT_H
#define MERCURY_RUNTIME_INT_H

#include <stddef.h>
#include <mercury/runtime.h>

/* Called by merc_alloc_init (object.c). */
void merc_slots_init(const struct hl_bootinfo *bi);
/* The slot allocator over the count slots from first (a spawned process's
 * empty slots, from proc_slot(0) on), cnode naming our CSpace root. */
void merc_slots_init_range(uint64_t first, uint64_t count, hl_cptr_t cnode);
void merc_console_init(void);
void merc_panic_init(void);
/* The heap's page provider (heap_pages.c): mapped frames in the root
 * task, a bss arena in a spawned process. */
void *merc_heap_more(size_t bytes);

#endif
