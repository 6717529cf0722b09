/*
 * slot.c: slots of the root task's CNode. BootInfo's empty range is handed
 * out by a bump pointer, then from a stack of freed slots.
 */
#include <mercury/alloc.h>

#include "runtime_int.h"

#define MAX_SLOTS (1u << HL_ROOT_CNODE_BITS)

static uint64_t slot_next, slot_end;
static uint16_t slot_freed[MAX_SLOTS];
static unsigned nfreed;

static hl_cptr_t self_cnode = HL_CAP_CNODE;

hl_cptr_t merc_cnode(void)
{
	return self_cnode;
}

void merc_slots_init_range(uint64_t first, uint64_t count, hl_cptr_t cnode)
{
	self_cnode = cnode;
	slot_next = first;
	slot_end = first + count;
	if (slot_end > MAX_SLOTS)
		slot_end = MAX_SLOTS;
	nfreed = 0;
}

void merc_slots_init(const struct hl_bootinfo *bi)
{
	merc_slots_init_range(bi->empty.first, bi->empty.count, HL_CAP_CNODE);
}

hl_cptr_t slot_alloc(void)
{
	if (nfreed)
		return slot_freed[--nfreed];
	if (slot_next < slot_end)
		return slot_next++;
	return 0;
}

hl_cptr_t slot_alloc_run(unsigned n)
{
	hl_cptr_t first = slot_next;

	/* Only the bump range is consecutive; freed slots are not reused here. */
	if (n == 0 || slot_end - slot_next < n)
		return 0;
	slot_next += n;
	return first;
}

void slot_free(hl_cptr_t slot)
{
	if (!slot || slot >= slot_end || nfreed == MAX_SLOTS)
		return;
	hl_cnode_delete(merc_cnode(), slot, MERC_DEPTH);	/* E_NOCAP if empty: fine */
	slot_freed[nfreed++] = (uint16_t)slot;
}

uint64_t slot_count_empty(void)
{
	uint64_t n = 0;

	if (!merc_bootinfo)
		return 0;
	/* An empty slot identifies as E_NOCAP or as type HL_OBJ_NULL. */
	for (uint64_t s = 1; s < MAX_SLOTS; s++) {
		struct hl_result r = hl_cnode_identify(self_cnode, s, MERC_DEPTH, NULL);

		if (r.status == E_NOCAP || (r.status == E_OK && (r.value & 0xFF) == HL_OBJ_NULL))
			n++;
	}
	return n;
}
