/*
 * vspace.c: frames and paging structures: mapping (with tables made on
 * E_NOTABLE), sharing a frame at two addresses, rights, alignment and
 * range refusals, double mappings, 2 MiB frames, physical addresses.
 */
#include "kt.h"

#define VS_BASE 0x50000000ull	/* a region the runtime never uses */

static void vs_notable(hl_cptr_t f)
{
	struct hl_result r = hl_frame_map(f, HL_CAP_VSPACE, 0x8000000000ull, HL_R_READ, 0);

	kt_is(r.status, E_NOTABLE, "map at 512 GiB with no PDPT there: E_NOTABLE");
	kt_is(r.value, HL_OBJ_PDPT, "value names the missing level: PDPT");
}

static void vs_errors(hl_cptr_t f, hl_cptr_t f2, hl_cptr_t ep, hl_cptr_t ro)
{
	kt_ok(kt_either(hl_frame_map(f2, HL_CAP_VSPACE, VS_BASE + 0x10, HL_R_READ, 0).status, E_RANGE, E_INVAL),
	      "map at an unaligned address: E_RANGE or E_INVAL");
	kt_is(hl_frame_map(f2, HL_CAP_VSPACE, 0xffff800000000000ull, HL_R_READ, 0).status, E_RANGE,
	      "map in the kernel half: E_RANGE");
	kt_is(hl_frame_map(f2, HL_CAP_VSPACE, 0x0000800000000000ull, HL_R_READ, 0).status, E_RANGE,
	      "map at a non-canonical address: E_RANGE");
	kt_is(hl_frame_map(f, HL_CAP_VSPACE, VS_BASE + 0x3000, HL_R_READ, 0).status, E_MAPPED,
	      "map an already mapped frame cap again: E_MAPPED");
	kt_is(hl_frame_map(f2, HL_CAP_VSPACE, VS_BASE, HL_R_READ, 0).status, E_MAPPED,
	      "map over an existing mapping: E_MAPPED");
	kt_is(hl_frame_map(f2, ep, VS_BASE + 0x1000, HL_R_READ, 0).status, E_TYPE,
	      "map into an endpoint instead of a VSpace: E_TYPE");
	kt_is(hl_frame_map(ro, HL_CAP_VSPACE, VS_BASE + 0x1000, HL_R_READ | HL_R_WRITE, 0).status, E_PERM,
	      "map a read-only frame cap writable: E_PERM");
	kt_is(hl_frame_map(f2, HL_CAP_VSPACE, VS_BASE + 0x1000, HL_R_READ, 0x80).status, E_INVAL,
	      "map with unknown attribute bits: E_INVAL");
	kt_is(hl_frame_unmap(KT_EMPTY).status, E_NOCAP, "unmap an empty slot: E_NOCAP");
}

static void vs_share(hl_cptr_t f, hl_cptr_t copy)
{
	volatile uint64_t *a = (volatile uint64_t *)VS_BASE, *b = (volatile uint64_t *)(VS_BASE + 0x2000);

	kt_is(hl_cnode_copy(CN, copy, D, CN, f, D, HL_R_ALL).status, E_OK, "copy the frame cap");
	kt_is(hl_frame_map(copy, HL_CAP_VSPACE, VS_BASE + 0x2000, HL_R_READ, 0).status, E_OK,
	      "map the copy read-only at a second address");
	*a = 0x1234abcd;
	kt_is(*b, 0x1234abcd, "a write through one mapping shows through the other");
	kt_is(hl_frame_unmap(copy).status, E_OK, "unmap the copy");
	kt_is(hl_frame_map(copy, HL_CAP_VSPACE, VS_BASE + 0x2000, HL_R_READ, 0).status, E_OK,
	      "an unmapped frame cap maps again");
	hl_cnode_delete(CN, copy, D);
	kt_is(hl_frame_map(f, HL_CAP_VSPACE, VS_BASE + 0x2000, HL_R_READ, 0).status, E_MAPPED,
	      "the original is still mapped (E_MAPPED)");
	kt_is(hl_frame_map(copy, HL_CAP_VSPACE, VS_BASE + 0x4000, HL_R_READ, 0).status, E_NOCAP,
	      "after delete the copy's slot is empty");
}

static void vs_paddr(hl_cptr_t f)
{
	const struct hl_bootinfo *bi = rt_bootinfo;
	struct hl_result r = hl_frame_paddr(f);
	int inside = 0;

	kt_is(r.status, E_OK, "frame paddr");
	kt_ok(r.value && !(r.value & 0xFFF), "paddr 0x%lx is page aligned", (unsigned long)r.value);
	for (uint64_t i = 0; i < bi->untyped.count; i++) {
		const struct hl_untyped_desc *u = &bi->untyped_list[i];

		inside |= r.value >= u->paddr && r.value < u->paddr + (1ull << u->size_bits);
	}
	kt_ok(inside, "and lies inside a boot Untyped");
}

static void vs_large(struct vm_tables *tabs)
{
	hl_cptr_t big = kt_new(HL_OBJ_FRAME_2M, 0, "a 2 MiB frame");
	volatile uint64_t *p = (volatile uint64_t *)(VS_BASE + 0x200000);

	if (!big)
		return;
	kt_ok(kt_either(hl_frame_map(big, HL_CAP_VSPACE, VS_BASE + 0x201000, HL_R_READ, 0).status, E_RANGE, E_INVAL),
	      "2 MiB frame at a 4 KiB-aligned address: E_RANGE or E_INVAL");
	kt_is(vm_map_tables(big, HL_CAP_VSPACE, VS_BASE + 0x200000, HL_R_READ | HL_R_WRITE, 0,
			    tabs), E_OK, "map a 2 MiB frame at a 2 MiB boundary");
	p[0] = 7;
	p[0x1FFFF8 / 8] = 9;
	kt_ok(p[0] == 7 && p[0x1FFFF8 / 8] == 9, "its first and last words are usable");
	kt_is(hl_frame_unmap(big).status, E_OK, "unmap it");
	kt_del(big);
}

static void vs_tables(struct vm_tables *tabs)
{
	hl_cptr_t pt = kt_new(HL_OBJ_PT, 0, "a page table");

	if (!pt)
		return;
	kt_is(hl_page_table_map(pt, HL_CAP_VSPACE, VS_BASE).status, E_MAPPED,
	      "a page table where one is already mapped: E_MAPPED");
	kt_is(hl_page_table_map(pt, HL_CAP_CONSOLE, VS_BASE).status, E_TYPE, "map a page table into the Console: E_TYPE");
	kt_is(hl_page_table_map(pt, HL_CAP_VSPACE, 0xffff900000000000ull).status, E_RANGE,
	      "map a page table in the kernel half: E_RANGE");
	kt_is(hl_page_table_unmap(pt).status, E_OK, "unmapping an unmapped table is harmless");
	(void)tabs;
	kt_del(pt);
}

void kt_area_vspace(void)
{
	hl_cptr_t f = kt_new(HL_OBJ_FRAME, 0, "a frame"), f2 = kt_new(HL_OBJ_FRAME, 0, "a second frame");
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	hl_cptr_t ro = 0, copy = slot_alloc();
	struct vm_tables tabs = { .n = 0 };
	volatile uint64_t *p = (volatile uint64_t *)VS_BASE;

	if (f && f2 && ep) {
		ro = kt_mint(f2, HL_R_READ, 0);
		vs_notable(f);
		kt_is(vm_map_tables(f, HL_CAP_VSPACE, VS_BASE, HL_R_READ | HL_R_WRITE, 0, &tabs),
		      E_OK, "map a frame, making the page tables it needs");
		kt_ok(tabs.n >= 1, "at least one page table was needed (%u)", tabs.n);
		kt_is(*p, 0, "a new frame reads as zeros");
		p[511] = 0xfeed;
		kt_is(p[511], 0xfeed, "it is writable");
		vs_errors(f, f2, ep, ro);
		vs_share(f, copy);
		vs_paddr(f);
		vs_tables(&tabs);
		vs_large(&tabs);
		kt_is(hl_frame_unmap(f).status, E_OK, "unmap the frame");
	}
	vm_tables_free(&tabs);
	slot_free(copy);
	slot_free(ro);
	kt_del(ep);
	kt_del(f2);
	kt_del(f);
}
