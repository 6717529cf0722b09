/*
 * vspace.c: address spaces, page tables and frames on x86_64.
 *
 * A table is installed one level above where it serves: a PDPT in a PML4
 * entry, a PD in a PDPT entry, a PT in a PD entry; a 2 MiB frame in a PD
 * entry, a 4 KiB frame in a PT entry. Missing levels are the caller's to
 * add (E_NOTABLE says which), as in seL4 and Helios: the kernel allocates
 * no page tables of its own.
 */
#include <mercury/string.h>
#include "arch.h"
#include "asid.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "ipc.h"
#include "kernel.h"
#include "syscall.h"
#include "trace.h"
#include "vspace.h"

/* The PML4 a mapping record (asid and generations) refers to, or NULL. */
static uint64_t *pml4_of(uint64_t a)
{
	return asid_pml4(a);
}

bool vspace_has_asid(const struct cap *vs)
{
	return vs->a && pml4_of(vs->a) == (uint64_t *)vs->obj;
}

static uint64_t paddr_of(uint64_t kaddr) { return kaddr - DIRECT_MAP; }
static uint64_t *table_at(uint64_t entry) { return (uint64_t *)(DIRECT_MAP + (entry & PTE_ADDR)); }

uint64_t vspace_root_paddr(const struct cap *c)
{
	return paddr_of(c->obj);
}

/* A new VSpace shares the kernel half; it has no id until a pool gives one. */
void vspace_init(uint64_t pml4_kaddr)
{
	uint64_t *pml4 = (uint64_t *)pml4_kaddr;
	const uint64_t *kernel = (const uint64_t *)(DIRECT_MAP + paging_kernel_root());

	memcpy(&pml4[256], &kernel[256], 256 * sizeof(uint64_t));
}

static bool is_table(const struct cap *c)
{
	return c->type >= HL_OBJ_PDPT && c->type <= HL_OBJ_PT;
}

/*
 * A page table that leaves an address space is emptied, as in seL4: its
 * entries would otherwise outlive the frames they point to (whose caps no
 * longer know about them) and come back to life if the table is mapped
 * again. Every path by which a table can be mapped again passes here.
 */
static void clear_table(struct cap *c)
{
	memset((void *)c->obj, 0, 1ULL << HL_PAGE_BITS);
}

/* The VSpace's id is retired; caps that mapped into it now read as unmapped. */
void vspace_finalise(struct cap *c)
{
	asid_release(c);
	if (arch_current_root() == paddr_of(c->obj))
		arch_set_root(paging_kernel_root());
}

/* The level (3 = PML4 ... 0 = PT) whose entry holds an object of type. */
static int entry_level(unsigned type)
{
	switch (type) {
	case HL_OBJ_PDPT: return 3;
	case HL_OBJ_PD: return 2;
	case HL_OBJ_PT: case HL_OBJ_FRAME_2M: return 1;
	case HL_OBJ_FRAME: return 0;
	}
	return -1;
}

static const unsigned table_type_at_level[4] = { HL_OBJ_NULL, HL_OBJ_PT, HL_OBJ_PD, HL_OBJ_PDPT };

/* Finds the entry at level for vaddr; NULL with *missing = the table type
 * that is absent, or HL_OBJ_NULL when a large page is in the way. */
static uint64_t *walk(uint64_t *pml4, uint64_t vaddr, int level, unsigned *missing)
{
	uint64_t *table = pml4;

	for (int l = 3; l > level; l--) {
		uint64_t e = table[(vaddr >> (12 + 9 * l)) & 511];
		if (!(e & PTE_P)) {
			*missing = table_type_at_level[l];
			return NULL;
		}
		if (e & PTE_PS) {
			*missing = HL_OBJ_NULL;
			return NULL;
		}
		table = table_at(e);
	}
	return &table[(vaddr >> (12 + 9 * level)) & 511];
}

unsigned vspace_missing_level(struct cap *vs, unsigned type, uint64_t vaddr)
{
	unsigned missing = HL_OBJ_NULL;

	walk((uint64_t *)vs->obj, vaddr, entry_level(type), &missing);
	return missing;
}

static void flush(uint64_t *pml4, uint64_t vaddr, bool whole)
{
	if (arch_current_root() != paddr_of((uint64_t)pml4))
		return;
	if (whole)
		arch_set_root(arch_current_root());
	else
		invlpg(vaddr);
}

static int install(struct cap *vs, struct cap *c, uint64_t vaddr, uint64_t bits)
{
	unsigned missing = HL_OBJ_NULL;
	uint64_t *e = walk((uint64_t *)vs->obj, vaddr, entry_level(c->type), &missing);

	if (!e) {
		if (missing == HL_OBJ_NULL)
			return refuse(E_MAPPED, "a large page already covers 0x%lx", vaddr);
		result_value(missing);
		return refuse(E_NOTABLE, "no page table of type %u above 0x%lx", missing, vaddr);
	}
	if (*e & PTE_P)
		return refuse(E_MAPPED, "0x%lx is already mapped at this level", vaddr);
	*e = paddr_of(c->obj) | bits;
	TRACE(PAGE_MAP, current, vaddr, paddr_of(c->obj), bits);
	c->a = vs->a;
	c->b = vaddr;
	return E_OK;
}

int vspace_map_table(struct cap *vs, struct cap *table, uint64_t vaddr)
{
	uint64_t span = 1ULL << (12 + 9 * entry_level(table->type));	/* what one entry there covers */

	return install(vs, table, vaddr & ~(span - 1), PTE_P | PTE_W | PTE_U);
}

int vspace_map_frame(struct cap *vs, struct cap *frame, uint64_t vaddr, unsigned rights, unsigned attrs)
{
	uint64_t bits = PTE_P | PTE_U;

	if (rights & HL_R_WRITE)
		bits |= PTE_W;
	if (frame->rights & HL_R_WRITE)
		bits |= PTE_CAP_W;
	if (!(attrs & HL_MAP_EXEC))
		bits |= PTE_NX;
	if (attrs & HL_MAP_UNCACHED)
		bits |= PTE_PCD | PTE_PWT;
	if (frame->type == HL_OBJ_FRAME_2M)
		bits |= PTE_PS;
	return install(vs, frame, vaddr, bits);
}

/* True if this frame or page-table cap still maps something in a live VSpace. */
static bool cap_mapped(struct cap *c)
{
	if (c->a && !pml4_of(c->a)) {	/* its VSpace died: nothing is mapped any more */
		if (is_table(c))
			clear_table(c);
		c->a = c->b = 0;
	}
	return c->a != 0;
}

void vspace_unmap_cap(struct cap *c)
{
	uint64_t *pml4 = pml4_of(c->a);
	unsigned missing;

	if (!c->a)
		return;		/* this cap mapped nothing (a copy, or never mapped) */
	if (is_table(c))
		clear_table(c);
	if (pml4) {
		uint64_t *e = walk(pml4, c->b, entry_level(c->type), &missing);
		/* Only if the entry is still ours: the table above may be gone. */
		if (e && (*e & PTE_P) && (*e & PTE_ADDR) == paddr_of(c->obj)) {
			TRACE(PAGE_UNMAP, current, c->b, paddr_of(c->obj));
			*e = 0;
			flush(pml4, c->b, c->type != HL_OBJ_FRAME && c->type != HL_OBJ_FRAME_2M);
		}
	}
	c->a = c->b = 0;
}

static struct cap *decode_vspace(uint64_t cptr, uint64_t vaddr, uint64_t align, int *err)
{
	struct cap *vs = lookup_cap(cptr, err);

	if (!vs) {
		*err = refuse(*err, "VSpace 0x%lx names no capability", cptr);
		return NULL;
	}
	if (vs->type != HL_OBJ_VSPACE) {
		*err = refuse(E_TYPE, "0x%lx is not a VSpace", cptr);
		return NULL;
	}
	if (!vspace_has_asid(vs)) {
		*err = refuse(E_INVAL, "VSpace 0x%lx has no address-space id (HL_ASID_POOL_ASSIGN)", cptr);
		return NULL;
	}
	if (vaddr >= USER_TOP || (vaddr & (align - 1))) {
		*err = refuse(E_RANGE, "0x%lx is not an aligned user address", vaddr);
		return NULL;
	}
	return vs;
}

int pagetable_invoke(struct cap *c, uint64_t label, unsigned len)
{
	int err;
	struct cap *vs;

	if (label == HL_PAGE_TABLE_UNMAP) {
		vspace_unmap_cap(c);
		return E_OK;
	}
	if (label != HL_PAGE_TABLE_MAP)
		return refuse(E_NOSYS, "page table has no method %lu", label);
	if (len < 2)
		return refuse(E_INVAL, "map takes a VSpace and an address");
	if (cap_mapped(c))
		return refuse(E_MAPPED, "this page-table cap is already mapped");
	if (!(vs = decode_vspace(arg(0), arg(1), 1, &err)))
		return err;
	return vspace_map_table(vs, c, arg(1));
}

int frame_invoke(struct cap *c, uint64_t label, unsigned len)
{
	int err;
	struct cap *vs;
	unsigned rights;

	switch (label) {
	case HL_FRAME_UNMAP:
		vspace_unmap_cap(c);
		return E_OK;
	case HL_FRAME_PADDR:
		result_value(paddr_of(c->obj));
		return E_OK;
	case HL_FRAME_MAP:
		break;
	default:
		return refuse(E_NOSYS, "frame has no method %lu", label);
	}
	if (len < 4)
		return refuse(E_INVAL, "map takes a VSpace, an address, rights and attributes");
	if (cap_mapped(c))
		return refuse(E_MAPPED, "this frame cap already maps a page: copy the cap to map it twice");
	if (arg(3) & ~(uint64_t)(HL_MAP_EXEC | HL_MAP_UNCACHED))
		return refuse(E_INVAL, "unknown mapping attributes 0x%lx", arg(3));
	rights = (unsigned)arg(2) & (HL_R_READ | HL_R_WRITE);
	if ((rights & ~c->rights) || !rights)
		return refuse(E_PERM, "mapping rights 0x%lx exceed the cap's 0x%x or are empty", arg(2), c->rights);
	if (!(vs = decode_vspace(arg(0), arg(1), 1ULL << c->bits, &err)))
		return err;
	return vspace_map_frame(vs, c, arg(1), rights, (unsigned)arg(3));
}
