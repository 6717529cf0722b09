/*
 * asid.c: ASIDControl and ASID pools (asid.h says why they exist).
 * Pool objects live in memory their maker gave; the kernel keeps only
 * the table of pool slots and each slot's generation.
 */
#include <mercury/string.h>
#include "arch.h"
#include "arch/x86_64/layout.h"
#include "asid.h"
#include "ipc.h"
#include "kernel.h"
#include "object.h"
#include "syscall.h"

struct asid_entry {
	uint64_t pml4;		/* kernel address of the VSpace's PML4; 0: free */
	uint32_t gen;		/* moves on each time the entry is freed */
	uint32_t unused;
};

struct asid_pool {
	struct asid_entry e[ASID_POOL_ENTRIES];
};

_Static_assert(sizeof(struct asid_pool) == 1u << HL_PAGE_BITS, "a pool is one page");

#define GEN_MASK 0xFFFFFFULL

static struct asid_pool *pools[ASID_POOLS];
static uint32_t pool_gen[ASID_POOLS];	/* moves on each time the slot's pool dies */

static uint64_t record(unsigned idx, unsigned entry, const struct asid_pool *p)
{
	uint64_t asid = (uint64_t)(idx + 1) << 8 | entry;

	return asid | (p->e[entry].gen & GEN_MASK) << 16 | (pool_gen[idx] & GEN_MASK) << 40;
}

uint64_t *asid_pml4(uint64_t a)
{
	uint64_t asid = a & 0xFFFF, idx = (asid >> 8) - 1;
	unsigned entry = asid & 0xFF;

	if (!asid || idx >= ASID_POOLS || !pools[idx])
		return NULL;
	if (record((unsigned)idx, entry, pools[idx]) != a)
		return NULL;	/* a generation moved on: that VSpace or pool is gone */
	return (uint64_t *)pools[idx]->e[entry].pml4;
}

unsigned asid_free_pool_slots(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ASID_POOLS; i++)
		n += !pools[i];
	return n;
}

/* c->b of a pool cap: its slot index. */
void asid_pool_init(uint64_t kaddr, struct cap *c)
{
	unsigned i = 0;

	while (pools[i])
		i++;		/* MAKE_POOL (or boot) checked that one is free */
	pools[i] = (struct asid_pool *)kaddr;
	c->b = i;
}

/*
 * The pool dies: its VSpaces keep their memory but lose their ids. Their
 * user halves are emptied, so nothing they mapped stays reachable once the
 * frames' caps read as unmapped (threads on them only fault from now on).
 */
void asid_pool_finalise(struct cap *c)
{
	struct asid_pool *p = (struct asid_pool *)c->obj;
	unsigned idx = (unsigned)c->b;

	for (unsigned i = 0; i < ASID_POOL_ENTRIES; i++) {
		uint64_t *pml4 = (uint64_t *)p->e[i].pml4;
		if (!pml4)
			continue;
		memset(pml4, 0, 256 * sizeof(uint64_t));
		if (arch_current_root() == (uint64_t)pml4 - DIRECT_MAP)
			arch_set_root(arch_current_root());	/* flush what the TLB holds of it */
	}
	pools[idx] = NULL;
	pool_gen[idx]++;
}

int asid_assign(struct cap *pool, struct cap *vs)
{
	struct asid_pool *p = (struct asid_pool *)pool->obj;

	if (vs->a)
		return refuse(E_EXIST, "this VSpace already has an address-space id");
	for (unsigned i = 0; i < ASID_POOL_ENTRIES; i++) {
		if (p->e[i].pml4)
			continue;
		p->e[i].pml4 = vs->obj;
		vs->a = record((unsigned)pool->b, i, p);
		return E_OK;
	}
	return refuse(E_NOMEM, "ASID pool %lu is full (%d ids)", pool->b, ASID_POOL_ENTRIES);
}

void asid_release(struct cap *vs)
{
	uint64_t asid = vs->a & 0xFFFF;

	if (!asid_pml4(vs->a) || asid_pml4(vs->a) != (uint64_t *)vs->obj)
		return;		/* never had an id, or lost it with its pool */
	struct asid_entry *e = &pools[(asid >> 8) - 1]->e[asid & 0xFF];
	e->pml4 = 0;
	e->gen++;
}

static int make_pool(struct cap *ctl, unsigned len)
{
	int err;
	struct cap *u, *dest;

	(void)ctl;
	if (len < 4)
		return refuse(E_INVAL, "make pool takes an Untyped and a destination slot");
	if (!(u = lookup_cap(arg(0), &err)))
		return refuse(err, "Untyped 0x%lx names no capability", arg(0));
	if (u->type != HL_OBJ_UNTYPED)
		return refuse(E_TYPE, "an ASID pool is made from an Untyped");
	if (!(dest = lookup_slot(arg(1), arg(2), arg(3), &err)))
		return refuse(err, "destination slot does not resolve");
	if (dest->type != HL_OBJ_NULL)
		return refuse(E_EXIST, "destination slot is occupied");
	if (!asid_free_pool_slots())
		return refuse(E_NOMEM, "all %d ASID pool slots are in use", ASID_POOLS);
	return untyped_make(u, HL_OBJ_ASID_POOL, dest);
}

int asid_invoke(struct cap *c, uint64_t label, unsigned len)
{
	int err;
	struct cap *vs;

	if (c->type == HL_OBJ_ASID_CONTROL)
		return label == HL_ASID_CONTROL_MAKE_POOL ? make_pool(c, len)
							  : refuse(E_NOSYS, "ASIDControl has no method %lu", label);
	if (label != HL_ASID_POOL_ASSIGN)
		return refuse(E_NOSYS, "ASID pool has no method %lu", label);
	if (len < 1)
		return refuse(E_INVAL, "assign takes a VSpace");
	if (!(vs = lookup_cap(arg(0), &err)))
		return refuse(err, "VSpace 0x%lx names no capability", arg(0));
	if (vs->type != HL_OBJ_VSPACE)
		return refuse(E_TYPE, "only a VSpace gets an address-space id");
	return asid_assign(c, vs);
}
