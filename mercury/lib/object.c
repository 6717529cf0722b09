/*
 * object.c: kernel objects from the root task's boot Untypeds.
 *
 * Objects are retyped one at a time, trying each RAM Untyped in turn (an
 * Untyped's watermark moves back only when it has no live children, so a
 * cursor would miss room freed since). Short-lived objects come from the
 * largest Untypeds, objects kept for the whole run (page tables, heap)
 * from the smallest, so that freeing what one made brings the free total
 * back exactly and a leak check over HL_UNTYPED_INFO means something.
 */
#include <stdbool.h>
#include <mercury/alloc.h>

#include "runtime_int.h"

/* Defined here rather than in start.c: mercury/rt has its own start-up
 * but uses this allocator. */
const struct hl_bootinfo *merc_bootinfo;

static uint8_t ut_order[HL_BOOTINFO_MAX_UNTYPED];	/* RAM Untypeds, largest first */
static unsigned nut;

void merc_alloc_init(const struct hl_bootinfo *bi)
{
	merc_bootinfo = bi;
	merc_slots_init(bi);
	nut = 0;
	for (unsigned bits = 64; bits-- > 0;)
		for (uint64_t i = 0; i < bi->untyped.count && i < HL_BOOTINFO_MAX_UNTYPED; i++)
			if (!bi->untyped_list[i].is_device && bi->untyped_list[i].size_bits == bits)
				ut_order[nut++] = (uint8_t)i;
}

static hl_cptr_t alloc(uint64_t type, uint64_t size_bits, int64_t *err, bool keep)
{
	hl_cptr_t slot = slot_alloc();
	int64_t st = E_NOMEM;

	if (!merc_bootinfo)
		st = E_NOCAP;
	else if (!slot)
		st = E_RANGE;
	for (unsigned k = 0; slot && merc_bootinfo && k < nut; k++) {
		unsigned u = ut_order[keep ? nut - 1 - k : k];

		st = hl_untyped_retype(merc_bootinfo->untyped.first + u, type, size_bits,
				       HL_CAP_CNODE, slot, MERC_DEPTH, 1).status;
		if (st == E_OK)
			break;
		if (st != E_NOMEM)
			break;
	}
	if (err)
		*err = st;
	if (st == E_OK)
		return slot;
	slot_free(slot);
	return 0;
}

hl_cptr_t obj_alloc(uint64_t type, uint64_t size_bits, int64_t *err)
{
	return alloc(type, size_bits, err, false);
}

hl_cptr_t obj_alloc_keep(uint64_t type, uint64_t size_bits, int64_t *err)
{
	return alloc(type, size_bits, err, true);
}

void obj_free(hl_cptr_t slot)
{
	slot_free(slot);
}

uint64_t obj_untyped_free(void)
{
	uint64_t total = 0;

	for (uint64_t i = 0; merc_bootinfo && i < merc_bootinfo->untyped.count; i++) {
		struct hl_result r = hl_untyped_info(merc_bootinfo->untyped.first + i, NULL);

		if (r.status == E_OK)
			total += r.value;
	}
	return total;
}
