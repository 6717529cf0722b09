/*
 * root.c: builds the root task, the first program in the initrd, and
 * hands it all remaining authority: its own CNode, VSpace and TCB, the
 * console, IRQ and I/O port control, the initrd's frames, and every free
 * byte of memory as Untyped (RAM) or device Untyped (the MMIO hole). After
 * this the boot frame allocator is closed: the kernel allocates nothing.
 *
 * Root CNode slots: fixed caps (enum hl_root_slot), then page tables, the
 * image and stack frames, the initrd frames, the Untyped caps, then free.
 */
#include <mercury/elf.h>
#include <mercury/string.h>
#include <mercury/ustar.h>
#include <helios/helios.h>
#include "arch.h"
#include "asid.h"
#include "arch/x86_64/layout.h"
#include "boot.h"
#include "cnode.h"
#include "frame.h"
#include "initrd.h"
#include "kernel.h"
#include "object.h"
#include "root.h"
#include "sched.h"
#include "stats.h"
#include "tcb.h"
#include "vspace.h"

#define ROOT_SLOTS (1ULL << HL_ROOT_CNODE_BITS)
#define PAGING_SLOTS 64
#define ROOT_PRIORITY 100

static struct cap *root_cnode;		/* the slots */
static struct cap *vspace_cap;
static struct hl_bootinfo *bootinfo;
static uint64_t next_slot, next_paging_slot;

static struct cap *new_cap(uint64_t slot, unsigned type, uint64_t kaddr, unsigned bits)
{
	struct cap c = { 0 };

	if (slot >= ROOT_SLOTS)
		panic("root: out of root CNode slots");
	object_create(type, bits, kaddr, &c);
	cap_insert_child(&root_cnode[slot], &c, NULL);
	return &root_cnode[slot];
}

static uint64_t alloc_page(void)
{
	uint64_t pa = frame_alloc();

	if (!pa)
		panic("root: out of memory building the root task");
	return pa;
}

/* Adds the page tables a 4 KiB mapping at vaddr needs, each with a cap in the paging range. */
static void ensure_tables(uint64_t vaddr)
{
	unsigned missing;

	while ((missing = vspace_missing_level(vspace_cap, HL_OBJ_FRAME, vaddr)) != HL_OBJ_NULL) {
		if (next_paging_slot >= HL_CAP_FIRST_FREE_FIXED + PAGING_SLOTS)
			panic("root: too many page tables");
		struct cap *t = new_cap(next_paging_slot++, missing, DIRECT_MAP + alloc_page(), 0);
		vspace_map_table(vspace_cap, t, vaddr);
	}
}

/* Maps a fresh frame at vaddr (adding page tables as needed); returns its kernel address. */
static uint64_t map_new_page(uint64_t vaddr, unsigned rights, unsigned attrs, uint64_t slot)
{
	ensure_tables(vaddr);
	struct cap *f = new_cap(slot, HL_OBJ_FRAME, DIRECT_MAP + alloc_page(), 0);
	f->rights = (uint8_t)(rights | HL_R_GRANT);
	if (vspace_map_frame(vspace_cap, f, vaddr, rights, attrs))
		panic("root: cannot map 0x%lx", vaddr);
	return f->obj;
}

static void load_segment(const uint8_t *image, const struct elf_segment *s)
{
	unsigned rights = HL_R_READ | (s->flags & ELF_PF_W ? HL_R_WRITE : 0);
	unsigned attrs = s->flags & ELF_PF_X ? HL_MAP_EXEC : 0;

	for (uint64_t page = ALIGN_DOWN(s->vaddr, PAGE_SIZE); page < s->vaddr + s->memsz; page += PAGE_SIZE) {
		uint8_t *dst = (uint8_t *)map_new_page(page, rights, attrs, next_slot++);
		/* The part of [vaddr, vaddr + filesz) inside this page comes from the file. */
		uint64_t lo = page > s->vaddr ? page : s->vaddr;
		uint64_t hi = page + PAGE_SIZE < s->vaddr + s->filesz ? page + PAGE_SIZE : s->vaddr + s->filesz;
		if (lo < hi)
			memcpy(dst + (lo - page), image + s->offset + (lo - s->vaddr), hi - lo);
	}
}

/* Gives [base, end) to the root task as Untyped caps of aligned power-of-two sizes. */
static void give_untyped(uint64_t base, uint64_t end, bool device)
{
	if (base >= end)
		return;
	while (end - base >= PAGE_SIZE && bootinfo->untyped.count < HL_BOOTINFO_MAX_UNTYPED) {
		unsigned bits = base ? (unsigned)__builtin_ctzll(base) : 63;
		while (bits > HL_UNTYPED_MAX_BITS || (1ULL << bits) > end - base)
			bits--;
		struct cap *u = new_cap(next_slot++, HL_OBJ_UNTYPED, DIRECT_MAP + base, bits);
		u->c = device;
		if (!device)
			kstats.free_untyped_bytes += 1ULL << bits;
		struct hl_untyped_desc *d = &bootinfo->untyped_list[bootinfo->untyped.count++];
		d->paddr = base;
		d->size_bits = (uint8_t)bits;
		d->is_device = device;
		base += 1ULL << bits;
	}
	if (end - base >= PAGE_SIZE)
		kprintf("root: more than %d Untyped regions; [0x%lx, 0x%lx) not given\n",
			HL_BOOTINFO_MAX_UNTYPED, base, end);
}

static void give_memory(void)
{
	unsigned n;
	const struct mem_region *r = frame_free_ranges(&n);
	struct mem_region ranges[BOOT_MAX_REGIONS * 2];

	memcpy(ranges, r, n * sizeof(*r));
	frame_close();
	bootinfo->untyped.first = next_slot;
	for (unsigned i = 0; i < n; i++)
		give_untyped(ranges[i].base, ranges[i].end, false);
	/* The MMIO hole below 4 GiB, minus the I/O APIC and local APIC the kernel keeps. */
	uint64_t ram_top_low = 0;
	for (unsigned i = 0; i < boot.nusable; i++)
		if (boot.usable[i].end <= 0x100000000ULL && boot.usable[i].end > ram_top_low)
			ram_top_low = boot.usable[i].end;
	give_untyped(ALIGN_UP(ram_top_low, 1ULL << 21), 0xFEC00000, true);
	give_untyped(0xFF000000, 0x100000000, true);
}

static void give_initrd(void)
{
	const struct boot_module *m = &boot.modules[0];

	bootinfo->initrd_frames.first = next_slot;
	for (uint64_t pa = m->base & ~(PAGE_SIZE - 1); pa < m->end; pa += PAGE_SIZE) {
		struct cap *f = new_cap(next_slot++, HL_OBJ_FRAME, DIRECT_MAP + pa, 0);
		f->rights = HL_R_READ | HL_R_GRANT;
		uint64_t va = HL_ROOT_INITRD + (pa - (m->base & ~(PAGE_SIZE - 1)));
		ensure_tables(va);
		vspace_map_frame(vspace_cap, f, va, HL_R_READ, 0);
	}
	bootinfo->initrd_frames.count = next_slot - bootinfo->initrd_frames.first;
	bootinfo->initrd_vaddr = HL_ROOT_INITRD + (m->base & (PAGE_SIZE - 1));
	bootinfo->initrd_size = m->end - m->base;
}

static bool find_program(struct ustar_entry *e, struct elf_plan *plan)
{
	size_t off = 0;
	const char *why;

	while (ustar_next(initrd.data, initrd.size, &off, e, &why) == 1) {
		if (e->type != '0' || e->size < 4 || memcmp(e->data, "\177ELF", 4) != 0)
			continue;
		if (elf_plan(e->data, e->size, plan, &why) == 0)
			return true;
		kprintf("root: %s is not a loadable program: %s\n", e->name, why);
		return false;
	}
	kprintf("root: the initrd holds no program; nothing to run\n");
	return false;
}

static void start_thread(struct tcb *t, uint64_t entry)
{
	struct cap v;

	cap_derive(&root_cnode[HL_CAP_CNODE], &v);
	cap_insert_child(&t->slots[TCB_CSPACE], &v, &root_cnode[HL_CAP_CNODE]);
	cap_derive(vspace_cap, &v);
	cap_insert_child(&t->slots[TCB_VSPACE], &v, vspace_cap);
	cap_derive(&root_cnode[HL_CAP_IPC_BUFFER], &v);
	cap_insert_child(&t->slots[TCB_IPC_FRAME], &v, &root_cnode[HL_CAP_IPC_BUFFER]);
	t->ipc_buffer = HL_ROOT_IPC_BUFFER;
	t->prio = ROOT_PRIORITY;
	t->mcp = 255;
	t->ctx.rip = entry;
	t->ctx.rsp = HL_ROOT_STACK_TOP;
	t->ctx.rdi = HL_ROOT_BOOTINFO;
	t->ctx.full = 1;
	tcb_resume(t);
}

bool root_task_start(void)
{
	struct ustar_entry e;
	static struct elf_plan plan;

	if (!initrd.valid || !find_program(&e, &plan))
		return false;
	root_cnode = (struct cap *)(DIRECT_MAP + frame_alloc_block(ROOT_SLOTS << HL_SLOT_BITS));
	if ((uint64_t)root_cnode == DIRECT_MAP)
		panic("root: no room for the root CNode");
	struct cap *cn = new_cap(HL_CAP_CNODE, HL_OBJ_CNODE, (uint64_t)root_cnode, HL_ROOT_CNODE_BITS);
	cn->guard_size = 64 - HL_ROOT_CNODE_BITS;
	vspace_cap = new_cap(HL_CAP_VSPACE, HL_OBJ_VSPACE, DIRECT_MAP + alloc_page(), 0);
	new_cap(HL_CAP_ASID_CONTROL, HL_OBJ_ASID_CONTROL, 0, 0);
	asid_assign(new_cap(HL_CAP_ASID_POOL, HL_OBJ_ASID_POOL, DIRECT_MAP + alloc_page(), 0), vspace_cap);
	struct tcb *t = tcb_of(new_cap(HL_CAP_TCB, HL_OBJ_TCB, DIRECT_MAP + alloc_page(), 0));
	new_cap(HL_CAP_IRQ_CONTROL, HL_OBJ_IRQ_CONTROL, 0, 0);
	new_cap(HL_CAP_IOPORT_CONTROL, HL_OBJ_IOPORT_CONTROL, 0, 0);
	new_cap(HL_CAP_CONSOLE, HL_OBJ_CONSOLE, 0, 0);
	new_cap(HL_CAP_TRACE_CONTROL, HL_OBJ_TRACE_CONTROL, 0, 0);
	new_cap(HL_CAP_STATS, HL_OBJ_FRAME, DIRECT_MAP + stats_page_paddr(), 0)->rights = HL_R_READ;
	next_paging_slot = HL_CAP_FIRST_FREE_FIXED;
	next_slot = HL_CAP_FIRST_FREE_FIXED + PAGING_SLOTS;

	bootinfo = (struct hl_bootinfo *)map_new_page(HL_ROOT_BOOTINFO, HL_R_READ, 0, HL_CAP_BOOTINFO);
	map_new_page(HL_ROOT_IPC_BUFFER, HL_R_READ | HL_R_WRITE, 0, HL_CAP_IPC_BUFFER);
	bootinfo->image_frames.first = next_slot;
	for (unsigned i = 0; i < plan.nsegs; i++)
		load_segment(e.data, &plan.seg[i]);
	for (uint64_t va = HL_ROOT_STACK_TOP - HL_ROOT_STACK_SIZE; va < HL_ROOT_STACK_TOP; va += PAGE_SIZE)
		map_new_page(va, HL_R_READ | HL_R_WRITE, 0, next_slot++);
	bootinfo->image_frames.count = next_slot - bootinfo->image_frames.first;
	give_initrd();
	give_memory();
	bootinfo->paging.first = HL_CAP_FIRST_FREE_FIXED;
	bootinfo->paging.count = next_paging_slot - HL_CAP_FIRST_FREE_FIXED;
	bootinfo->empty.first = next_slot;
	bootinfo->empty.count = ROOT_SLOTS - next_slot;
	bootinfo->magic = HL_BOOTINFO_MAGIC;
	bootinfo->ipc_buffer = HL_ROOT_IPC_BUFFER;
	bootinfo->tsc_hz = arch_tsc_hz();
	bootinfo->root_cnode_bits = HL_ROOT_CNODE_BITS;
	bootinfo->cmdline_len = strlcpy(bootinfo->cmdline, cmdline_all(), sizeof(bootinfo->cmdline));
	start_thread(t, plan.entry);
	kprintf("root: started %s: %u segments, entry 0x%lx, %lu Untyped caps, slots %lu..%llu free\n",
		e.name, plan.nsegs, plan.entry, bootinfo->untyped.count, next_slot, ROOT_SLOTS - 1);
	return true;
}
