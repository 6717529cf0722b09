/*
 * devmem.c: device memory for BARs, as a buddy tree over the boot device
 * Untypeds.
 *
 * An Untyped is retyped from its watermark up, so a region in its middle
 * cannot be taken directly. Instead a block is split into two halves (two
 * child Untypeds) until the half holding the BAR has the BAR's size; PCI
 * BARs are naturally aligned powers of two, so that block is exactly the
 * BAR. Halves not taken stay in the tree for other BARs.
 */
#include <mercury/runtime.h>

#include "init.h"

#define DEVMEM_NODES	256

struct block {
	hl_cptr_t cap;
	uint64_t paddr;
	uint8_t bits;
	uint8_t state;	/* FREE, SPLIT (children in the table), TAKEN */
};
enum { FREE, SPLIT, TAKEN };

static struct block blocks[DEVMEM_NODES];
static unsigned nblocks;

void devmem_init(void)
{
	const struct hl_bootinfo *bi = merc_bootinfo;

	for (uint64_t i = 0; i < bi->untyped.count && i < HL_BOOTINFO_MAX_UNTYPED; i++)
		if (bi->untyped_list[i].is_device && nblocks < DEVMEM_NODES)
			blocks[nblocks++] = (struct block){ bi->untyped.first + i,
				bi->untyped_list[i].paddr, bi->untyped_list[i].size_bits, FREE };
}

/* Splits block k into two halves; returns the index of the half holding paddr. */
static int split(unsigned k, uint64_t paddr, const char **why)
{
	struct block *b = &blocks[k];
	unsigned bits = b->bits - 1u;
	hl_cptr_t lo, hi;

	if (nblocks + 2 > DEVMEM_NODES)
		return *why = "device memory table full", -1;
	lo = slot_alloc();
	hi = slot_alloc();
	if (!lo || !hi ||
	    hl_untyped_retype(b->cap, HL_OBJ_UNTYPED, bits, HL_CAP_CNODE, lo, MERC_DEPTH, 1).status ||
	    hl_untyped_retype(b->cap, HL_OBJ_UNTYPED, bits, HL_CAP_CNODE, hi, MERC_DEPTH, 1).status) {
		slot_free(lo);
		slot_free(hi);
		return *why = "cannot split a device Untyped", -1;
	}
	b->state = SPLIT;
	blocks[nblocks++] = (struct block){ lo, b->paddr, (uint8_t)bits, FREE };
	blocks[nblocks++] = (struct block){ hi, b->paddr + (1ull << bits), (uint8_t)bits, FREE };
	return (int)nblocks - (paddr < b->paddr + (1ull << bits) ? 2 : 1);
}

void devmem_give(hl_cptr_t cap)
{
	for (unsigned i = 0; i < nblocks; i++)
		if (blocks[i].cap == cap && blocks[i].state == TAKEN)
			blocks[i].state = FREE;	/* its frames are gone: the next driver of the BAR takes it */
}

hl_cptr_t devmem_take(uint64_t paddr, unsigned bits, const char **why)
{
	int k = -1;

	if (bits < 12 || bits > 47 || paddr & ((1ull << bits) - 1))
		return *why = "BAR not a naturally aligned power of two", 0;
	for (unsigned i = 0; i < nblocks; i++)
		if (blocks[i].state == FREE && paddr >= blocks[i].paddr &&
		    paddr + (1ull << bits) <= blocks[i].paddr + (1ull << blocks[i].bits))
			k = (int)i;
	if (k < 0)
		return *why = "BAR outside the device memory this task was given (or already taken)", 0;
	while (blocks[k].bits > bits)
		if ((k = split((unsigned)k, paddr, why)) < 0)
			return 0;
	blocks[k].state = TAKEN;
	return blocks[k].cap;
}
