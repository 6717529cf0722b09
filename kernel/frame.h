/*
 * frame.h: the boot-time physical frame allocator. It exists only until the
 * root task starts: whatever it still holds then becomes Untyped memory,
 * and the kernel allocates nothing of its own after that.
 */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include <stdint.h>
#include "boot.h"

struct frame_stats {
	uint64_t usable;	/* bytes the memory map calls usable (page-aligned) */
	uint64_t reserved;	/* of those, bytes held back: low memory, kernel image, modules */
	uint64_t allocated;	/* bytes handed out by frame_alloc */
	uint64_t free;		/* bytes still free */
};

/* Takes the usable regions from boot and carves out the reserved ones. */
void frame_init(void);
/* Returns the physical address of a zeroed 4 KiB frame, or 0 when memory is exhausted. */
uint64_t frame_alloc(void);
/* A zeroed block of size bytes aligned to size (a power of two), or 0. */
uint64_t frame_alloc_block(uint64_t size);
/* Ends boot-time allocation: what is free now belongs to the root task. */
void frame_close(void);
void frame_get_stats(struct frame_stats *s);
/* The free ranges, sorted, for the hand-over to Untyped memory. */
const struct mem_region *frame_free_ranges(unsigned *n);

#endif
