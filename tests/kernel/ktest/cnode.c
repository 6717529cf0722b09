/*
 * cnode.c: the root CNode's fixed caps, copy, mint, move, mutate, delete,
 * revoke, identify and compare, rights that never come back, badges, a second
 * CNode addressed with its own radix, and every refusal.
 */
#include "kt.h"

static uint64_t rights_of(hl_cptr_t s)
{
	return hl_cnode_identify(CN, s, D, NULL).value >> 8;
}

static void cnode_fixed(void)
{
	static const struct { hl_cptr_t slot; uint64_t type; const char *name; } fixed[] = {
		{ HL_CAP_CNODE, HL_OBJ_CNODE, "root CNode" },
		{ HL_CAP_VSPACE, HL_OBJ_VSPACE, "root VSpace" },
		{ HL_CAP_TCB, HL_OBJ_TCB, "root TCB" },
		{ HL_CAP_IRQ_CONTROL, HL_OBJ_IRQ_CONTROL, "IRQControl" },
		{ HL_CAP_IOPORT_CONTROL, HL_OBJ_IOPORT_CONTROL, "IOPortControl" },
		{ HL_CAP_CONSOLE, HL_OBJ_CONSOLE, "Console" },
		{ HL_CAP_IPC_BUFFER, HL_OBJ_FRAME, "IPC buffer frame" },
		{ HL_CAP_BOOTINFO, HL_OBJ_FRAME, "BootInfo frame" },
	};
	const struct hl_bootinfo *bi = rt_bootinfo;

	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		kt_is(kt_type(fixed[i].slot), fixed[i].type, "slot %lu is the %s",
		      (unsigned long)fixed[i].slot, fixed[i].name);
	kt_is(rights_of(HL_CAP_TCB) & HL_R_ALL, HL_R_ALL, "root TCB cap has all rights");
	kt_is(kt_type(bi->untyped.first), HL_OBJ_UNTYPED, "BootInfo's first Untyped slot holds an Untyped");
	kt_is(kt_type(bi->empty.first + bi->empty.count - 1), HL_OBJ_NULL, "BootInfo's last empty slot is empty");
	kt_ok(kt_either(hl_cnode_identify(CN, 0, D, NULL).status, E_NOCAP, E_RANGE) ||
	      kt_type(0) == HL_OBJ_NULL, "slot 0 holds nothing");
}

static void cnode_errors(hl_cptr_t ep, hl_cptr_t s)
{
	kt_is(hl_cnode_copy(CN, s, D, CN, KT_EMPTY, D, HL_R_ALL).status, E_NOCAP, "copy from an empty slot: E_NOCAP");
	kt_is(hl_cnode_copy(CN, ep, D, CN, HL_CAP_CONSOLE, D, HL_R_ALL).status, E_EXIST,
	      "copy into an occupied slot: E_EXIST");
	kt_ok(kt_either(hl_cnode_copy(CN, 0, D, CN, ep, D, HL_R_ALL).status, E_NOCAP, E_RANGE),
	      "copy into slot 0: E_NOCAP or E_RANGE");
	kt_ok(kt_either(hl_cnode_copy(CN, 1u << HL_ROOT_CNODE_BITS, D, CN, ep, D, HL_R_ALL).status, E_NOCAP, E_RANGE),
	      "copy to an index beyond the radix (guard mismatch): E_NOCAP or E_RANGE");
	kt_ok(kt_either(hl_cnode_copy(CN, s, 65, CN, ep, D, HL_R_ALL).status, E_NOCAP, E_RANGE),
	      "depth 65: E_NOCAP or E_RANGE");
	kt_ok(kt_either(hl_cnode_copy(CN, s, 0, CN, ep, D, HL_R_ALL).status, E_NOCAP, E_RANGE),
	      "depth 0: E_NOCAP or E_RANGE");
	kt_ok(kt_either(hl_cnode_copy(CN, s, D, CN, ep, 7, HL_R_ALL).status, E_NOCAP, E_RANGE),
	      "source depth 7 (shorter than the guard): E_NOCAP or E_RANGE");
	kt_is(hl_cnode_copy(CN, s, D, ep, ep, D, HL_R_ALL).status, E_TYPE,
	      "copy with an endpoint as source root: E_TYPE");
	kt_is(hl_cnode_copy(HL_CAP_TCB, s, D, CN, ep, D, HL_R_ALL).status, E_NOSYS,
	      "CNode copy invoked on a TCB: E_NOSYS");
	kt_is(hl_cnode_move(CN, s, D, CN, KT_EMPTY, D).status, E_NOCAP, "move from an empty slot: E_NOCAP");
	kt_is(hl_cnode_move(CN, HL_CAP_CONSOLE, D, CN, ep, D).status, E_EXIST, "move into an occupied slot: E_EXIST");
	kt_ok(kt_either(hl_cnode_delete(CN, 0, D).status, E_NOCAP, E_RANGE), "delete slot 0: E_NOCAP or E_RANGE");
	kt_ok(kt_either(hl_cnode_revoke(CN, KT_EMPTY, D).status, E_NOCAP, E_OK), "revoke an empty slot: E_NOCAP or E_OK");
	kt_is(hl_invoke(CN, HL_CNODE_COPY, 3, (uint64_t[]){ s, D, CN }).status, E_INVAL,
	      "copy with 3 of 6 arguments: E_INVAL");
	kt_is(hl_cnode_copy(CN, s, D, CN, kt_reply, D, HL_R_ALL).status, E_TYPE, "copying a Reply cap: E_TYPE");
	kt_is(hl_invoke(CN, HL_CNODE_COMPARE + 1, 0, NULL).status, E_NOSYS, "CNode unknown label: E_NOSYS");
}

static void cnode_rights(hl_cptr_t ep)
{
	hl_cptr_t r = kt_mint(ep, HL_R_READ, 0), r2 = slot_alloc();
	uint64_t badge = 0;

	kt_is(rights_of(ep) & HL_R_ALL, HL_R_ALL, "a new endpoint cap has all rights");
	kt_is(rights_of(r), HL_R_READ, "mint with read only: rights = read");
	kt_is(hl_cnode_copy(CN, r2, D, CN, r, D, HL_R_ALL).status, E_OK, "copy it asking for all rights");
	kt_is(rights_of(r2), HL_R_READ, "a removed right never comes back");
	hl_cnode_delete(CN, r2, D);
	kt_is(hl_cnode_mint(CN, r2, D, CN, ep, D, HL_R_ALL, 0x42).status, E_OK, "mint badge 0x42");
	hl_cnode_identify(CN, r2, D, &badge);
	kt_is(badge, 0x42, "identify shows badge 0x42");
	hl_cnode_delete(CN, r2, D);
	kt_is(hl_cnode_mutate(CN, r2, D, CN, r, D, HL_R_READ, 0x99).status, E_OK, "mutate (move with badge)");
	hl_cnode_identify(CN, r2, D, &badge);
	kt_ok(kt_type(r) == HL_OBJ_NULL && kt_type(r2) == HL_OBJ_ENDPOINT && badge == 0x99,
	      "mutate emptied the source and badged the destination");
	slot_free(r);
	slot_free(r2);
}

static void cnode_move_revoke(hl_cptr_t ep)
{
	hl_cptr_t a = slot_alloc(), b = slot_alloc(), c = slot_alloc();

	kt_is(hl_cnode_copy(CN, a, D, CN, ep, D, HL_R_ALL).status, E_OK, "copy endpoint: child a");
	kt_is(hl_cnode_copy(CN, b, D, CN, a, D, HL_R_ALL).status, E_OK, "copy a: grandchild b");
	kt_is(hl_cnode_move(CN, c, D, CN, b, D).status, E_OK, "move b to c");
	kt_ok(kt_type(b) == HL_OBJ_NULL && kt_type(c) == HL_OBJ_ENDPOINT, "move left b empty and c full");
	kt_is(hl_cnode_revoke(CN, ep, D).status, E_OK, "revoke the original");
	kt_ok(kt_type(a) == HL_OBJ_NULL && kt_type(c) == HL_OBJ_NULL, "revoke deleted the child and the moved grandchild");
	kt_is(kt_type(ep), HL_OBJ_ENDPOINT, "revoke kept the original");
	kt_is(hl_nbsend(a, &(struct hl_msg){ 0, { 0 } }).status, E_NOCAP, "a revoked cap is gone: send gives E_NOCAP");
	kt_is(hl_cnode_copy(CN, a, D, CN, ep, D, HL_R_ALL).status, E_OK, "copy again");
	kt_is(hl_cnode_delete(CN, a, D).status, E_OK, "delete the copy");
	kt_is(kt_type(a), HL_OBJ_NULL, "the slot is empty");
	slot_free(a);
	slot_free(b);
	slot_free(c);
}

/* Compare: the same object through copies and mints, whatever their
 * badges and rights; a look-alike (another endpoint, same badge) differs. */
static void cnode_compare(hl_cptr_t ep)
{
	hl_cptr_t other = kt_new(HL_OBJ_ENDPOINT, 0, "a second endpoint");
	hl_cptr_t m = kt_mint(ep, 0, 0x77), look = slot_alloc();

	if (!other)
		return;
	kt_is(hl_cnode_compare(CN, ep, D, CN, ep, D).value, 1, "compare: a cap is its own object");
	kt_is(hl_cnode_compare(CN, m, D, CN, ep, D).value, 1, "compare: a badged mint without rights is the same object");
	hl_cnode_mint(CN, look, D, CN, other, D, HL_R_ALL, 0x77);
	kt_is(hl_cnode_compare(CN, look, D, CN, m, D).value, 0, "compare: another endpoint with the same badge differs");
	kt_is(hl_cnode_compare(CN, ep, D, CN, KT_EMPTY, D).status, E_NOCAP, "compare to an empty source: E_NOCAP");
	kt_is(hl_cnode_compare(CN, KT_EMPTY, D, CN, HL_CAP_CONSOLE, D).value, 0, "compare: an empty target matches nothing");
	kt_is(hl_invoke(CN, HL_CNODE_COMPARE, 4, (uint64_t[]){ ep, D, CN, ep }).status, E_INVAL,
	      "compare with 4 of 5 arguments: E_INVAL");
	kt_is(hl_cnode_compare(CN, ep, D, HL_CAP_CONSOLE, ep, D).status, E_TYPE, "compare with a Console as source root: E_TYPE");
	hl_cnode_delete(CN, look, D);
	hl_cnode_delete(CN, m, D);
	slot_free(look);
	slot_free(m);
	kt_del(other);
}

/* A CNode of 16 slots: indices with depth 4 are relative to it. */
static void cnode_second(hl_cptr_t ep)
{
	hl_cptr_t cn2 = kt_new(HL_OBJ_CNODE, 4, "a 16-slot CNode");
	uint64_t type;

	if (!cn2)
		return;
	kt_is(hl_cnode_copy(cn2, 1, 4, CN, ep, D, HL_R_ALL).status, E_OK, "copy into slot 1 of the new CNode");
	type = hl_cnode_identify(cn2, 1, 4, NULL).value & 0xFF;
	kt_is(type, HL_OBJ_ENDPOINT, "identify slot 1 of it, depth 4");
	kt_ok(kt_either(hl_cnode_copy(cn2, 0, 4, CN, ep, D, HL_R_ALL).status, E_NOCAP, E_RANGE),
	      "slot 0 of a new CNode is unusable");
	kt_ok(kt_either(hl_cnode_copy(cn2, 16, 4, CN, ep, D, HL_R_ALL).status, E_NOCAP, E_RANGE),
	      "index 16 with depth 4: E_NOCAP or E_RANGE");
	kt_ok(kt_either(hl_cnode_copy(cn2, 2, 3, CN, ep, D, HL_R_ALL).status, E_NOCAP, E_RANGE),
	      "depth 3 in a radix-4 CNode: E_NOCAP or E_RANGE");
	kt_is(hl_cnode_move(CN, KT_EMPTY, D, cn2, 1, 4).status, E_OK, "move from it back to the root CNode");
	kt_is(kt_type(KT_EMPTY), HL_OBJ_ENDPOINT, "the cap arrived");
	hl_cnode_copy(cn2, 5, 4, CN, KT_EMPTY, D, HL_R_ALL);
	hl_cnode_delete(CN, KT_EMPTY, D);
	kt_del(cn2);	/* deleting a CNode deletes the caps in it */
}

void kt_area_cnode(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	hl_cptr_t s = slot_alloc();

	cnode_fixed();
	if (!ep)
		return;
	cnode_errors(ep, s);
	cnode_rights(ep);
	cnode_move_revoke(ep);
	cnode_compare(ep);
	cnode_second(ep);
	slot_free(s);
	kt_del(ep);
}
