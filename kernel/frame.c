/*
 * frame.c: a boot-time allocator over a sorted list of free physical
 * ranges. Reservations split ranges; allocation takes the lowest frame.
 */
#include <mercury/string.h>
#include "arch/x86_64/layout.h"
#include "frame.h"
#include "kernel.h"

#define MAX_RANGES (BOOT_MAX_REGIONS + 2 * BOOT_MAX_MODULES + 8)
#define LOW_MEMORY_END 0x100000		/* real-mode area, BIOS data, option ROMs */

static struct mem_region free_ranges[MAX_RANGES];
static unsigned nfree;
static struct frame_stats stats;
extern const char __image_start[], __image_end[];

static void remove_range(unsigned i)
{
	memmove(&free_ranges[i], &free_ranges[i + 1], (nfree - i - 1) * sizeof(free_ranges[0]));
	nfree--;
}

/* Removes [base, end) from the free list, counting what was actually free. */
static void reserve(uint64_t base, uint64_t end)
{
	base = ALIGN_DOWN(base, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	for (unsigned i = 0; i < nfree; i++) {
		struct mem_region *r = &free_ranges[i];
		if (end <= r->base || base >= r->end)
			continue;
		uint64_t lo = base > r->base ? base : r->base;
		uint64_t hi = end < r->end ? end : r->end;
		stats.reserved += hi - lo;
		stats.free -= hi - lo;
		if (lo > r->base && hi < r->end) {	/* split in two */
			if (nfree == MAX_RANGES)
				panic("frame: too many free ranges");
			memmove(&free_ranges[i + 2], &free_ranges[i + 1], (nfree - i - 1) * sizeof(*r));
			nfree++;
			free_ranges[i + 1] = (struct mem_region){ hi, r->end };
			r->end = lo;
		} else if (lo > r->base) {
			r->end = lo;
		} else if (hi < r->end) {
			r->base = hi;
		} else {
			remove_range(i--);
		}
	}
}

void frame_init(void)
{
	for (unsigned i = 0; i < boot.nusable; i++) {
		free_ranges[nfree++] = boot.usable[i];
		stats.usable += boot.usable[i].end - boot.usable[i].base;
	}
	stats.free = stats.usable;
	reserve(0, LOW_MEMORY_END);
	reserve((uint64_t)__image_start - KERNEL_BASE, (uint64_t)__image_end - KERNEL_BASE);
	for (unsigned i = 0; i < boot.nmodules; i++)
		reserve(boot.modules[i].base, boot.modules[i].end);
}

static bool closed;

void frame_close(void)
{
	closed = true;
	nfree = 0;
}

uint64_t frame_alloc_block(uint64_t size)
{
	if (closed)
		panic("frame_alloc after the hand-over to the root task");
	for (unsigned i = 0; i < nfree; i++) {
		uint64_t base = ALIGN_UP(free_ranges[i].base, size);
		if (base < free_ranges[i].end && free_ranges[i].end - base >= size) {
			reserve(base, base + size);
			stats.reserved -= size;		/* reserve() counted it as reserved */
			stats.allocated += size;
			memset((void *)(DIRECT_MAP + base), 0, size);
			return base;
		}
	}
	return 0;
}

uint64_t frame_alloc(void)
{
	if (closed)
		panic("frame_alloc after the hand-over to the root task");
	if (!nfree)
		return 0;
	uint64_t pa = free_ranges[0].base;
	free_ranges[0].base += PAGE_SIZE;
	if (free_ranges[0].base == free_ranges[0].end)
		remove_range(0);
	stats.allocated += PAGE_SIZE;
	stats.free -= PAGE_SIZE;
	memset((void *)(DIRECT_MAP + pa), 0, PAGE_SIZE);
	return pa;
}

void frame_get_stats(struct frame_stats *s)
{
	*s = stats;
}

const struct mem_region *frame_free_ranges(unsigned *n)
{
	*n = nfree;
	return free_ranges;
}
