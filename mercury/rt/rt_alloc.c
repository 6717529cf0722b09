/*
 * rt_alloc.c: slots of the root CNode and kernel objects from the boot
 * Untypeds.
 *
 * Slots come from BootInfo's empty range: a bump pointer, then a stack of
 * freed slots. Objects are retyped one at a time from the RAM Untypeds,
 * trying each in turn (the kernel's watermark moves back only when an
 * Untyped has no live children, so a cursor would miss freed room).
 *
 * An Untyped's memory comes back only when its last child dies, so objects
 * that live for the whole run (rt_obj_alloc_keep) come from the smallest
 * Untypeds, and short-lived ones (rt_obj_alloc) from the largest: a program
 * that frees what it made sees the free total return exactly, and a leak
 * check over HL_UNTYPED_INFO means something.
 */
#include "rt.h"

#define MAX_SLOTS (1u << HL_ROOT_CNODE_BITS)

static uint64_t slot_next, slot_end;
static uint16_t slot_freed[MAX_SLOTS];
static unsigned nfreed;
static uint8_t ut_order[HL_BOOTINFO_MAX_UNTYPED];	/* RAM Untypeds, largest first */
static unsigned nut;

void rt_alloc_init(const struct hl_bootinfo *bi)
{
	slot_next = bi->empty.first;
	slot_end = bi->empty.first + bi->empty.count;
	if (slot_end > MAX_SLOTS)
		slot_end = MAX_SLOTS;
	nfreed = 0;
	/* Largest first: small boot Untypeds fill quickly and would make
	 * every later allocation try them in vain. */
	nut = 0;
	for (unsigned bits = 64; bits-- > 0;)
		for (uint64_t i = 0; i < bi->untyped.count && i < HL_BOOTINFO_MAX_UNTYPED; i++)
			if (!bi->untyped_list[i].is_device && bi->untyped_list[i].size_bits == bits)
				ut_order[nut++] = (uint8_t)i;
}

hl_cptr_t rt_slot_alloc(void)
{
	if (nfreed)
		return slot_freed[--nfreed];
	if (slot_next < slot_end)
		return slot_next++;
	return 0;
}

hl_cptr_t rt_slot_run(unsigned n)
{
	hl_cptr_t first = slot_next;

	if (n == 0 || slot_end - slot_next < n)
		return 0;
	slot_next += n;
	return first;
}

void rt_slot_free(hl_cptr_t slot)
{
	if (!slot || slot >= MAX_SLOTS || nfreed == MAX_SLOTS)
		return;
	hl_cnode_delete(HL_CAP_CNODE, slot, RT_DEPTH);
	slot_freed[nfreed++] = (uint16_t)slot;
}

/* Retypes from the RAM Untypeds, largest first or (keep) smallest first. */
static hl_cptr_t obj_alloc(uint64_t type, uint64_t size_bits, int64_t *err, bool keep)
{
	const struct hl_bootinfo *bi = rt_bootinfo;
	hl_cptr_t slot = rt_slot_alloc();
	int64_t st = E_NOMEM;

	if (!slot) {
		st = E_RANGE;
		goto fail;
	}
	for (unsigned k = 0; k < nut; k++) {
		unsigned u = ut_order[keep ? nut - 1 - k : k];

		st = hl_untyped_retype(bi->untyped.first + u, type, size_bits, HL_CAP_CNODE,
				       slot, RT_DEPTH, 1).status;
		if (st == E_OK) {
			if (err)
				*err = E_OK;
			return slot;
		}
		if (st != E_NOMEM)
			break;
	}
	rt_slot_free(slot);
fail:
	if (err)
		*err = st;
	return 0;
}

hl_cptr_t rt_obj_alloc(uint64_t type, uint64_t size_bits, int64_t *err)
{
	return obj_alloc(type, size_bits, err, false);
}

hl_cptr_t rt_obj_alloc_keep(uint64_t type, uint64_t size_bits, int64_t *err)
{
	return obj_alloc(type, size_bits, err, true);
}

void rt_obj_free(hl_cptr_t slot)
{
	rt_slot_free(slot);
}

uint64_t rt_untyped_free_total(void)
{
	const struct hl_bootinfo *bi = rt_bootinfo;
	uint64_t total = 0;

	for (uint64_t i = 0; i < bi->untyped.count; i++) {
		struct hl_result r = hl_untyped_info(bi->untyped.first + i, NULL);

		if (r.status == E_OK)
			total += r.value;
	}
	return total;
}

uint64_t rt_empty_slots(void)
{
	uint64_t n = 0;

	/* An empty slot may identify as E_NOCAP or as type HL_OBJ_NULL. */
	for (uint64_t s = 1; s < MAX_SLOTS; s++) {
		struct hl_result r = hl_cnode_identify(HL_CAP_CNODE, s, RT_DEPTH, NULL);

		if (r.status == E_NOCAP || (r.status == E_OK && (r.value & 0xFF) == HL_OBJ_NULL))
			n++;
	}
	return n;
}
