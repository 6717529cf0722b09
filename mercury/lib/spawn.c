/*
 * spawn.c: processes (the contract is mercury/spawn.h).
 *
 * Everything a process is made of is retyped from the Untyped its parent
 * gives, so revoking that Untyped ends the process and returns every byte.
 * Its CSpace has two levels:
 *
 *   P  (p->cnode, radix r)  slot 1: V; slots 2..: the caps of its own
 *                           frames and page tables, which keep them mapped
 *   V  (radix SPAWN_VBITS)  slots 1..ncaps: the caps the parent named
 *
 * (V has 2^cspace_bits slots, SPAWN_CSPACE_BITS unless the parent asks for
 * more.) The thread's CSpace root is P with a guard of 64 - r - vbits bits,
 * so a cptr resolves at depth 64 only through P's slot 1 into V: the child
 * can name exactly the caps it was handed (cptr V_SLOT(i)) and nothing
 * else. A new frame or table is retyped into a parent slot (the kernel
 * maps only caps the caller can name), filled through a scratch window in
 * the parent's VSpace, mapped in the child, then moved into P (a move
 * keeps the mapping).
 *
 * A cap handed with SPAWN_MOVE is moved into V, not copied; the parent's
 * slot is remembered in the proc, and proc_destroy (or a failed spawn)
 * revokes the cap there and moves it back before revoking the memory.
 * spawn_opts.self adds guarded caps to P, the VSpace and the TCB, so a
 * child given an Untyped can make objects and threads of its own.
 *
 * The child's layout: its ELF segments, a stack of START_STACK_PAGES below
 * START_STACK_TOP whose top holds struct start_info with argv, envp and
 * their strings, and its IPC buffer at START_IPC_BUFFER (mercury/start.h).
 * Only the root task can spawn: it needs its own CNode and VSpace.
 */
#include <stdbool.h>
#include <mercury/elf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/start.h>
#include <mercury/string.h>

#define V_SLOT(vbits, i)	((1ull << (vbits)) | (i))	/* the child's cptr of V slot i */
#define SPAWN_SCRATCH	0x0000700000000000ull		/* in the parent */
#define PAGE		4096ull

/* The process being built. */
struct build {
	const struct spawn_opts *o;	/* what the caller asked, plus the self caps */
	struct proc *p;
	struct spawn_opts opts;		/* o when self caps are added */
	struct spawn_cap caps[SPAWN_MAX_CAPS + SPAWN_SELF_CAPS];
	unsigned nnamed;		/* caps the caller named; the self caps follow */
	unsigned vbits;		/* of V */
	struct elf_plan plan;
	unsigned radix;		/* of P */
	uint64_t next;		/* next free slot of P */
	hl_cptr_t tmp, tmp2;	/* parent slots for a cap on its way into P */
	uint64_t start_va;	/* where the start data begins in the child */
	size_t start_len;
	const char *why;
};

static uint64_t start_buf[START_DATA_MAX / 8];

static int fail(struct build *b, int err, const char *why)
{
	b->why = why;
	return err;
}

/* Checks what spawn_opts says apart from the ELF image. */
static int check_opts(struct build *b)
{
	const struct spawn_opts *o = b->o;

	if (!merc_bootinfo)
		return fail(b, E_NOCAP, "only the root task can spawn (it needs its own CNode and VSpace)");
	if (!o->name || !*o->name || strlen(o->name) >= SPAWN_NAME_MAX)
		return fail(b, E_INVAL, "process name missing or too long");
	if (o->ncaps > SPAWN_MAX_CAPS)
		return fail(b, E_RANGE, "too many caps (SPAWN_MAX_CAPS)");
	if (o->ncaps && !o->caps)
		return fail(b, E_INVAL, "ncaps given without caps");
	if (o->cspace_bits > SPAWN_CSPACE_BITS_MAX || (o->cspace_bits && o->cspace_bits < SPAWN_CSPACE_BITS))
		return fail(b, E_RANGE, "cspace_bits out of range (SPAWN_CSPACE_BITS..SPAWN_CSPACE_BITS_MAX)");
	for (unsigned i = 0; i < o->ncaps; i++) {
		const char *n = o->caps[i].name;
		uint8_t rights = o->caps[i].rights;

		if (!n || !*n || strlen(n) >= SPAWN_NAME_MAX)
			return fail(b, E_INVAL, "cap name missing or too long");
		if (!o->caps[i].cap)
			return fail(b, E_NOCAP, "cap 0 named");
		if ((rights & SPAWN_MOVE) && (rights != SPAWN_MOVE || o->caps[i].badge))
			return fail(b, E_INVAL, "a moved cap keeps its rights and badge (rights SPAWN_MOVE, badge 0)");
		for (unsigned k = 0; k < i; k++)
			if (!strcmp(n, o->caps[k].name))
				return fail(b, E_EXIST, "two caps with the same name");
	}
	return E_OK;
}

/* Adds the self caps after the named ones (their cap fields are
 * placeholders: hand_caps makes them once P exists). */
static int add_self(struct build *b)
{
	static const char *const names[SPAWN_SELF_CAPS] = { SPAWN_SELF_CNODE, SPAWN_SELF_VSPACE,
							     SPAWN_SELF_TCB };

	unsigned nself = b->o->self ? SPAWN_SELF_CAPS : b->o->self_cnode ? 1 : 0;

	b->nnamed = b->o->ncaps;
	b->vbits = b->o->cspace_bits ? b->o->cspace_bits : SPAWN_CSPACE_BITS;
	if (!nself)
		return E_OK;
	if (b->o->ncaps + nself > SPAWN_MAX_CAPS)
		return fail(b, E_RANGE, "too many caps (SPAWN_MAX_CAPS, the self caps included)");
	b->opts = *b->o;
	memcpy(b->caps, b->o->caps, b->o->ncaps * sizeof(b->caps[0]));
	for (unsigned i = 0; i < nself; i++)
		b->caps[b->o->ncaps + i] = (struct spawn_cap){ names[i], HL_CAP_CNODE, HL_R_ALL, 0 };
	b->opts.caps = b->caps;
	b->opts.ncaps += nself;
	b->o = &b->opts;
	return check_opts(b);	/* a named cap may not take a self cap's name */
}

/* The memory must be a RAM Untyped with nothing made from it yet, since
 * proc_destroy revokes all of it. */
static int check_memory(struct build *b)
{
	struct hl_untyped_info info;
	struct hl_result r = hl_untyped_info(b->o->memory, &info);

	if (r.status != E_OK)
		return fail(b, r.status == E_NOSYS ? E_TYPE : (int)r.status, "memory is not an Untyped cap");
	if (info.device)
		return fail(b, E_INVAL, "memory is device memory");
	if (info.size_bits >= 64 || r.value != 1ull << info.size_bits)
		return fail(b, E_BUSY, "memory Untyped already has objects in it (give each process its own)");
	return E_OK;
}

/* Lays out the start data in start_buf, as it will sit at the top of the
 * child's stack. */
static int build_start(struct build *b)
{
	struct start_info *si = (struct start_info *)start_buf;
	int err = start_build(b->o, START_STACK_TOP, V_SLOT(b->vbits, 1), start_buf, sizeof(start_buf),
			      &b->start_va, &b->start_len, &b->why);

	if (err)
		return err;
	si->tsc_hz = merc_tsc_hz;
	return E_OK;
}

/* Page tables that mapping [lo, hi) may need, at most. */
static uint64_t tables_for(uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;

	for (unsigned shift = 21; shift <= 39; shift += 9)
		n += ((hi - 1) >> shift) - (lo >> shift) + 1;
	return n;
}

/* Chooses P's radix: room for V, every page and every table. */
static int size_cspace(struct build *b)
{
	uint64_t need = 2 + START_STACK_PAGES + 1 + tables_for(START_STACK_LOW, START_IPC_BUFFER + PAGE);

	for (unsigned i = 0; i < b->plan.nsegs; i++) {
		const struct elf_segment *s = &b->plan.seg[i];
		uint64_t lo = s->vaddr & ~(PAGE - 1), hi = s->vaddr + s->memsz;

		if (lo < START_IPC_BUFFER + PAGE && hi > START_STACK_LOW)
			return fail(b, E_RANGE, "ELF segment overlaps the stack (below 0x400000)");
		need += (hi - lo + PAGE - 1) / PAGE + tables_for(lo, hi);
	}
	for (b->radix = 3; (1ull << b->radix) < need; b->radix++)
		if (b->radix == HL_CNODE_MAX_BITS || b->radix + b->vbits >= 64)
			return fail(b, E_RANGE, "program too large");
	b->p->cspace_bits = b->vbits;
	b->p->cspace_depth = b->radix + b->vbits;
	return E_OK;
}

/* Retypes one object from the process's memory into parent slot dst. */
static int retype(struct build *b, hl_cptr_t dst, uint64_t type, uint64_t bits)
{
	int64_t st = hl_untyped_retype(b->o->memory, type, bits, HL_CAP_CNODE, dst, MERC_DEPTH, 1).status;

	return st == E_OK ? E_OK : fail(b, (int)st, st == E_NOMEM ? "too little memory for the process"
						       : "cannot make the process's objects");
}

/* Moves the cap in parent slot src into P's next slot. */
static int keep(struct build *b, hl_cptr_t src)
{
	int64_t st;

	if (b->next >> b->radix)
		return fail(b, E_RANGE, "process CSpace full (spawn.c miscounted)");
	st = hl_cnode_move(b->p->cnode, b->next, b->radix, HL_CAP_CNODE, src, MERC_DEPTH).status;
	if (st != E_OK)
		return fail(b, (int)st, "cannot keep a cap in the process CSpace");
	b->next++;
	return E_OK;
}

/* Maps the frame in b->tmp at va in the child, making its page tables. */
static int child_map(struct build *b, uint64_t va, uint64_t rights, uint64_t attrs)
{
	for (int tries = 0; tries < 4; tries++) {
		struct hl_result r = hl_frame_map(b->tmp, b->p->vspace, va, rights, attrs);
		int err;

		if (r.status == E_OK)
			return E_OK;
		if (r.status != E_NOTABLE)
			return fail(b, (int)r.status, "cannot map a page of the process");
		if ((err = retype(b, b->tmp2, r.value, 0)))
			return err;
		if (hl_page_table_map(b->tmp2, b->p->vspace, va).status != E_OK)
			return fail(b, E_INVAL, "cannot map a page table of the process");
		if ((err = keep(b, b->tmp2)))
			return err;
	}
	return fail(b, E_NOTABLE, "page tables keep missing");
}

/* Copies n bytes from src to offset off of the frame in b->tmp. */
static int fill(struct build *b, size_t off, const void *src, size_t n)
{
	if (vm_map(b->tmp, HL_CAP_VSPACE, SPAWN_SCRATCH, HL_R_READ | HL_R_WRITE, 0) != E_OK)
		return fail(b, E_NOMEM, "cannot map the scratch window");
	memcpy((char *)SPAWN_SCRATCH + off, src, n);
	hl_frame_unmap(b->tmp);
	return E_OK;
}

/* One new page of the child at va: the bytes of [lo, hi) in it come from
 * src (which is at child address lo), the rest is zero. */
static int child_page(struct build *b, uint64_t va, uint64_t rights, uint64_t attrs,
		      const char *src, uint64_t lo, uint64_t hi)
{
	uint64_t a = lo > va ? lo : va, z = hi < va + PAGE ? hi : va + PAGE;
	int err;

	if ((err = retype(b, b->tmp, HL_OBJ_FRAME, 0)))
		return err;
	if (a < z && (err = fill(b, a - va, src + (a - lo), z - a)))
		return err;
	if ((err = child_map(b, va, rights, attrs)))
		return err;
	return keep(b, b->tmp);
}

static int load_segments(struct build *b)
{
	const char *image = b->o->image;

	for (unsigned i = 0; i < b->plan.nsegs; i++) {
		const struct elf_segment *s = &b->plan.seg[i];
		uint64_t rights = HL_R_READ | (s->flags & ELF_PF_W ? HL_R_WRITE : 0);
		uint64_t attrs = s->flags & ELF_PF_X ? HL_MAP_EXEC : 0;

		for (uint64_t va = s->vaddr & ~(PAGE - 1); va < s->vaddr + s->memsz; va += PAGE) {
			int err = child_page(b, va, rights, attrs, image + s->offset, s->vaddr,
					     s->vaddr + s->filesz);
			if (err)
				return err;
		}
	}
	return E_OK;
}

static int map_stack(struct build *b)
{
	for (uint64_t va = START_STACK_LOW; va < START_STACK_TOP; va += PAGE) {
		int err = child_page(b, va, HL_R_READ | HL_R_WRITE, 0, (const char *)start_buf,
				     b->start_va, b->start_va + b->start_len);
		if (err)
			return err;
	}
	return E_OK;
}

/* The IPC buffer page and the thread's configuration (which takes a copy
 * of the IPC frame cap and of the fault endpoint, badged). */
static int setup_thread(struct build *b)
{
	const struct spawn_opts *o = b->o;
	hl_cptr_t fault = 0;
	int64_t st;
	int err;

	if ((err = retype(b, b->tmp, HL_OBJ_FRAME, 0)) ||
	    (err = child_map(b, START_IPC_BUFFER, HL_R_READ | HL_R_WRITE, 0)))
		return err;
	if (o->fault_ep) {
		fault = b->tmp2;
		st = o->fault_badge
			? hl_cnode_mint(HL_CAP_CNODE, fault, MERC_DEPTH, HL_CAP_CNODE, o->fault_ep,
					MERC_DEPTH, HL_R_WRITE | HL_R_GRANT, o->fault_badge).status
			: hl_cnode_copy(HL_CAP_CNODE, fault, MERC_DEPTH, HL_CAP_CNODE, o->fault_ep,
					MERC_DEPTH, HL_R_WRITE | HL_R_GRANT).status;
		if (st != E_OK)
			return fail(b, (int)st, "cannot badge the fault endpoint");
	}
	st = hl_tcb_configure(b->p->tcb, fault, b->p->cnode, 64 - b->radix - b->vbits,
			      b->p->vspace, START_IPC_BUFFER, b->tmp).status;
	if (fault)
		hl_cnode_delete(HL_CAP_CNODE, fault, MERC_DEPTH);
	if (st != E_OK)
		return fail(b, (int)st, "cannot configure the thread");
	if ((err = keep(b, b->tmp)))
		return err;
	st = hl_tcb_set_priority(b->p->tcb, HL_CAP_TCB, o->priority).status;
	if (st != E_OK)
		return fail(b, (int)st, "priority above the parent's maximum controlled priority");
	return E_OK;
}

/* Puts self cap k (SPAWN_SELF_*) into V slot dst. */
static int64_t hand_self(struct build *b, unsigned k, uint64_t dst, uint64_t depth)
{
	struct proc *p = b->p;

	if (k == 0)	/* P with the guard the thread's CSpace has */
		return hl_cnode_mint(p->cnode, dst, depth, HL_CAP_CNODE, p->cnode, MERC_DEPTH, HL_R_ALL,
				     64 - b->radix - b->vbits).status;
	return hl_cnode_copy(p->cnode, dst, depth, HL_CAP_CNODE, k == 1 ? p->vspace : p->tcb, MERC_DEPTH,
			     HL_R_ALL).status;
}

/* Copies, mints or moves one named cap into V slot dst. */
static int64_t hand_one(struct build *b, unsigned i, uint64_t dst, uint64_t depth)
{
	const struct spawn_cap *c = &b->o->caps[i];
	int64_t st;

	if (c->rights & SPAWN_MOVE) {
		st = hl_cnode_move(b->p->cnode, dst, depth, HL_CAP_CNODE, c->cap, MERC_DEPTH).status;
		if (st == E_OK)
			b->p->moved_from[i] = c->cap;
		return st;
	}
	if (c->badge)
		return hl_cnode_mint(b->p->cnode, dst, depth, HL_CAP_CNODE, c->cap, MERC_DEPTH, c->rights,
				     c->badge).status;
	return hl_cnode_copy(b->p->cnode, dst, depth, HL_CAP_CNODE, c->cap, MERC_DEPTH, c->rights).status;
}

/* Hands each named cap into V, then the self caps. */
static int hand_caps(struct build *b)
{
	for (unsigned i = 0; i < b->o->ncaps; i++) {
		uint64_t dst = V_SLOT(b->vbits, i + 1), depth = b->radix + b->vbits;
		int64_t st = i < b->nnamed ? hand_one(b, i, dst, depth) : hand_self(b, i - b->nnamed, dst, depth);

		if (st == E_TYPE)
			return fail(b, E_TYPE, "a named cap cannot be copied (Untyped and Reply caps cannot: move them)");
		if (st != E_OK)
			return fail(b, (int)st, "cannot copy a named cap (missing, or already badged differently)");
	}
	return E_OK;
}

/* Revokes each cap moved into the child and moves it back to its parent
 * slot; one the child moved away or deleted stays gone. */
static void hand_back(struct proc *p)
{
	for (unsigned i = 0; i < SPAWN_MAX_CAPS; i++) {
		uint64_t at = V_SLOT(p->cspace_bits, i + 1);

		if (!p->moved_from[i])
			continue;
		hl_cnode_revoke(p->cnode, at, p->cspace_depth);
		hl_cnode_move(HL_CAP_CNODE, p->moved_from[i], MERC_DEPTH, p->cnode, at, p->cspace_depth);
		p->moved_from[i] = 0;
	}
}

static int start_thread(struct build *b)
{
	struct hl_tcb_info info;
	struct hl_regs regs;
	int64_t st;

	memset(&regs, 0, sizeof(regs));
	regs.rip = b->plan.entry;
	regs.rsp = b->start_va;
	regs.rdi = b->start_va;
	regs.rflags = 0x202;
	if (hl_tcb_info(b->p->tcb, &info).status == E_OK)
		b->p->id = info.id;
	st = hl_tcb_write_registers(b->p->tcb, 1, &regs).status;
	return st == E_OK ? E_OK : fail(b, (int)st, "cannot start the thread");
}

/* The VSpace gets its id from the pool the options name, or our own. */
static int assign_asid(struct build *b)
{
	hl_cptr_t pool = b->o->asid_pool ? b->o->asid_pool
			 : merc_bootinfo ? HL_CAP_ASID_POOL : proc_cap(SPAWN_ASID_POOL);
	int64_t st;

	if (!pool)
		return fail(b, E_NOCAP, "no ASID pool to give the VSpace an id");
	st = hl_asid_pool_assign(pool, b->p->vspace).status;
	return st == E_OK ? E_OK : fail(b, (int)st, "the ASID pool gave no id (full?)");
}

/* Makes P, V, the VSpace and the TCB. */
static int make_objects(struct build *b)
{
	struct proc *p = b->p;
	int err;
	int64_t st;

	if ((err = retype(b, p->cnode, HL_OBJ_CNODE, b->radix)) ||
	    (err = retype(b, p->vspace, HL_OBJ_VSPACE, 0)) ||
	    (err = retype(b, p->tcb, HL_OBJ_TCB, 0)))
		return err;
	if ((err = assign_asid(b)))
		return err;
	st = hl_untyped_retype(b->o->memory, HL_OBJ_CNODE, b->vbits, p->cnode, 1, b->radix, 1).status;
	if (st != E_OK)
		return fail(b, (int)st, "too little memory for the process");
	b->next = 2;
	return E_OK;
}

/* Takes the parent slots a build needs; 0 in p->tcb marks none taken. */
static int take_slots(struct build *b)
{
	struct proc *p = b->p;

	p->cnode = slot_alloc();
	p->vspace = slot_alloc();
	p->tcb = slot_alloc();
	b->tmp = slot_alloc();
	b->tmp2 = slot_alloc();
	if (p->cnode && p->vspace && p->tcb && b->tmp && b->tmp2)
		return E_OK;
	return fail(b, E_RANGE, "no free slots in the parent's CNode");
}

static void release_slots(struct build *b, bool with_proc)
{
	slot_free(b->tmp);
	slot_free(b->tmp2);
	if (with_proc) {
		slot_free(b->p->cnode);
		slot_free(b->p->vspace);
		slot_free(b->p->tcb);
	}
}

int spawn(const struct spawn_opts *o, struct proc *p, const char **why)
{
	static const char *ignored;
	struct build b = { .o = o, .p = p };
	int err;

	if (!why)
		why = &ignored;
	if (!o || !p) {
		*why = "no options or no proc";
		return E_INVAL;
	}
	memset(p, 0, sizeof(*p));
	if ((err = check_opts(&b)) || (err = add_self(&b)))
		goto refused;
	if (elf_plan(o->image, o->image_len, &b.plan, &b.why)) {
		err = E_INVAL;
		goto refused;
	}
	if ((err = check_memory(&b)) || (err = build_start(&b)) || (err = size_cspace(&b)))
		goto refused;
	strlcpy(p->name, o->name, SPAWN_NAME_MAX);
	p->memory = o->memory;
	p->fault_badge = o->fault_badge;
	if ((err = take_slots(&b)) || (err = make_objects(&b)) || (err = load_segments(&b)) ||
	    (err = map_stack(&b)) || (err = setup_thread(&b)) || (err = hand_caps(&b)) ||
	    (err = start_thread(&b))) {
		hand_back(p);
		hl_cnode_revoke(HL_CAP_CNODE, o->memory, MERC_DEPTH);
		release_slots(&b, true);
		memset(p, 0, sizeof(*p));
		goto refused;
	}
	release_slots(&b, false);
	*why = NULL;
	return E_OK;
refused:
	*why = b.why;
	return err;
}

int proc_destroy(struct proc *p)
{
	int64_t st;

	if (!p || !p->tcb)
		return E_INVAL;
	hl_tcb_suspend(p->tcb);	/* nothing it runs sees its moved caps go */
	hand_back(p);
	/* Everything of the process descends from its memory: one revoke ends
	 * the thread, unmaps its pages and deletes its CSpace, copied caps too. */
	st = hl_cnode_revoke(HL_CAP_CNODE, p->memory, MERC_DEPTH).status;
	slot_free(p->tcb);
	slot_free(p->cnode);
	slot_free(p->vspace);
	memset(p, 0, sizeof(*p));
	return (int)st;
}

hl_cptr_t proc_slot(unsigned i)
{
	const struct start_info *si = merc_start_info;
	uint64_t first, idx;
	unsigned vbits;

	if (!si || !si->ncaps)
		return 0;
	first = si->caps[0].cptr;	/* V_SLOT(vbits, 1) */
	vbits = 63 - (unsigned)__builtin_clzll(first);
	idx = si->ncaps + 1 + (uint64_t)i;
	return idx < (1ull << vbits) ? V_SLOT(vbits, idx) : 0;
}

int proc_cspace_guard(void)
{
	hl_cptr_t self = proc_cap(SPAWN_SELF_CNODE);
	uint64_t a[2] = { self, 64 }, out[2] = { 0, 0 };
	unsigned vbits;

	if (!self || hl_invoke_out(self, HL_CNODE_IDENTIFY, 2, a, out, 2).status != E_OK)
		return -1;
	vbits = 63 - (unsigned)__builtin_clzll(merc_start_info->caps[0].cptr);
	return 64 - (int)out[1] - (int)vbits;	/* out[1]: P's radix */
}

int proc_thread(hl_cptr_t tcb, void (*fn)(uint64_t), uint64_t arg, void *stack, size_t size)
{
	int guard = proc_cspace_guard();
	struct hl_regs regs;
	int64_t st;

	if (guard < 0)
		return E_NOCAP;
	st = hl_tcb_configure(tcb, 0, proc_cap(SPAWN_SELF_CNODE), (uint64_t)guard,
			      proc_cap(SPAWN_SELF_VSPACE), 0, 0).status;
	if (st != E_OK)
		return (int)st;
	memset(&regs, 0, sizeof(regs));
	regs.rip = (uint64_t)fn;
	regs.rsp = (((uint64_t)stack + size) & ~15ull) - 8;	/* as if called */
	regs.rdi = arg;
	regs.rflags = 0x202;
	return (int)hl_tcb_write_registers(tcb, 1, &regs).status;
}
