/*
 * world.c: what the fuzzer runs in, kept alive by the supervisor (the root
 * thread).
 *
 * Every fuzzed object descends from one arena Untyped. There are
 * KF_CHILDREN children, each with its own CNode (2^KF_RADIX slots), its own
 * address space (a copy of this image, rt_space) and KF_PER_CHILD workers
 * sharing both; endpoints and notifications are shared by all children,
 * and each child holds TCB caps of its own workers and of a worker of the
 * next child, and the next child's VSpace. A child's CNode starts with a
 * stock of caps of every type (enum kf_slot), copied from the supervisor's
 * caps or retyped from the child's stock Untyped; victims (stock TCBs) are
 * started on a one-call program (kf_victim), their VSpace and CSpace caps
 * derived from the child's own stock caps, so that a revoke there pulls
 * them from under a blocked thread.
 *
 * Workers destroy their stock as they go: kf_refill puts back what is
 * missing (revoking the stock Untyped when it is full), kf_restart gives a
 * stopped, blocked or starved worker a fresh start with its configuration,
 * priority and registers restored, carrying on its PRNG sequence.
 */
#include <mercury/string.h>

#include "kf.h"

#define CN HL_CAP_CNODE
#define D RT_DEPTH
#define STOCK_BITS 22		/* a child's stock Untyped: room for its 2 MiB frame */
#define ARENA_BITS 24

const uint8_t kf_stock_type[S_END] = {
	[S_CN] = HL_OBJ_CNODE, [S_CN0] = HL_OBJ_CNODE, [S_CN2] = HL_OBJ_CNODE, [S_CN4] = HL_OBJ_CNODE,
	[S_VS] = HL_OBJ_VSPACE, [S_VS_OTHER] = HL_OBJ_VSPACE, [S_VS_SPARE] = HL_OBJ_VSPACE,
	[S_VS_NEW] = HL_OBJ_VSPACE,
	[S_EP0] = HL_OBJ_ENDPOINT, [S_EP1] = HL_OBJ_ENDPOINT, [S_EP_BADGED] = HL_OBJ_ENDPOINT,
	[S_EP_RO] = HL_OBJ_ENDPOINT, [S_EP_WO] = HL_OBJ_ENDPOINT, [S_EP_NOGRANT] = HL_OBJ_ENDPOINT,
	[S_NT0] = HL_OBJ_NOTIFICATION, [S_NT1] = HL_OBJ_NOTIFICATION,
	[S_NT_BADGED] = HL_OBJ_NOTIFICATION, [S_NT_RO] = HL_OBJ_NOTIFICATION,
	[S_REPLY0] = HL_OBJ_REPLY, [S_REPLY1] = HL_OBJ_REPLY, [S_REPLY2] = HL_OBJ_REPLY,
	[S_UT] = HL_OBJ_UNTYPED, [S_UT_SMALL] = HL_OBJ_UNTYPED,
	[S_TCB_W0] = HL_OBJ_TCB, [S_TCB_W1] = HL_OBJ_TCB, [S_TCB_NODEBUG] = HL_OBJ_TCB,
	[S_TCB_OTHER] = HL_OBJ_TCB, [S_TCB_V0] = HL_OBJ_TCB, [S_TCB_V1] = HL_OBJ_TCB,
	[S_PT] = HL_OBJ_PT, [S_PD] = HL_OBJ_PD, [S_PDPT] = HL_OBJ_PDPT,
	[S_FR0] = HL_OBJ_FRAME, [S_FR1] = HL_OBJ_FRAME, [S_FR_RO] = HL_OBJ_FRAME,
	[S_FR2M] = HL_OBJ_FRAME_2M, [S_CANARY] = HL_OBJ_FRAME, [S_STATS] = HL_OBJ_FRAME,
	[S_IRQCTL] = HL_OBJ_IRQ_CONTROL, [S_IRQH] = HL_OBJ_IRQ_HANDLER,
	[S_IOCTL] = HL_OBJ_IOPORT_CONTROL, [S_IOPORT] = HL_OBJ_IOPORT,
	[S_CONSOLE] = HL_OBJ_CONSOLE, [S_TRACE] = HL_OBJ_TRACE_CONTROL, [S_TIMER] = HL_OBJ_TIMER,
	[S_ASIDCTL] = HL_OBJ_ASID_CONTROL, [S_ASIDPOOL] = HL_OBJ_ASID_POOL,
};

/* The stock as a worker first sees it, for the victims' programs. */
static struct kf_page stock_view;

static uint64_t canary_word(unsigned i)
{
	return 0x6b6663616e617279ull ^ ((uint64_t)i * 0x9E3779B97F4A7C15ull);
}

int kf_canary_intact(const struct kf_world *wd)
{
	const uint64_t *p = (const uint64_t *)KF_CANARY_VA;

	(void)wd;
	for (unsigned i = 0; i < 512; i++)
		if (p[i] != canary_word(i))
			return 0;
	return 1;
}

/* Makes an object from Untyped ut in a new root slot; 0 on failure. */
static hl_cptr_t make(hl_cptr_t ut, uint64_t type, uint64_t bits)
{
	hl_cptr_t s = slot_alloc();

	if (s && hl_untyped_retype(ut, type, bits, CN, s, D, 1).status != E_OK) {
		slot_free(s);
		s = 0;
	}
	return s;
}

/* Child c's slot s: a copy of root slot src with rights and badge (or guard). */
static int64_t give(struct kf_child *ch, unsigned s, hl_cptr_t src, uint64_t rights, uint64_t badge)
{
	return hl_cnode_mint(ch->cnode, s, KF_RADIX, CN, src, D, rights, badge).status;
}

/* Child c's slot s: a copy of its own slot from. */
static int64_t give_own(struct kf_child *ch, unsigned s, unsigned from, uint64_t rights)
{
	return hl_cnode_copy(ch->cnode, s, KF_RADIX, ch->cnode, from, KF_RADIX, rights).status;
}

static int64_t retype(struct kf_child *ch, unsigned s, uint64_t type, uint64_t bits)
{
	return hl_untyped_retype(ch->stock_ut, type, bits, ch->cnode, s, KF_RADIX, 1).status;
}

/* A root slot holding a copy of child slot s, if that holds an object of
 * the type expected (workers may have moved anything into the slot: an
 * endpoint invoked as a pool would be a call, blocking the supervisor). */
static hl_cptr_t borrow(struct kf_child *ch, unsigned s, unsigned type)
{
	hl_cptr_t t = slot_alloc();

	if (t && (hl_cnode_copy(CN, t, D, ch->cnode, s, KF_RADIX, HL_R_ALL).status != E_OK ||
		  (hl_cnode_identify(CN, t, D, NULL).value & 0xFF) != type)) {
		slot_free(t);
		t = 0;
	}
	return t;
}

/* A new VSpace in child slot s, with an address-space id from the child's
 * pool: made in a root slot (a VSpace cannot be copied before it has an
 * id, and the pool names it by a root cptr), then moved there. */
static int64_t spare_vspace(struct kf_child *ch, unsigned s)
{
	hl_cptr_t pool = borrow(ch, S_ASIDPOOL, HL_OBJ_ASID_POOL), vs = slot_alloc();
	int64_t st = pool && vs ? hl_untyped_retype(ch->stock_ut, HL_OBJ_VSPACE, 0, CN, vs, D, 1).status
				: E_NOCAP;

	if (st == E_OK)
		st = hl_asid_pool_assign(pool, vs).status;
	if (st == E_OK)
		st = hl_cnode_move(ch->cnode, s, KF_RADIX, CN, vs, D).status;
	slot_free(pool);
	slot_free(vs);
	return st;
}

/* A new PT in child slot s, already mapped at KF_MAP_BASE in the child's
 * own VSpace (if no other is), so that frame maps there can succeed: made
 * and mapped through a root slot, then moved (a PT cannot be copied). */
static int64_t mapped_pt(struct kf_child *ch, unsigned s)
{
	hl_cptr_t pt = slot_alloc();
	int64_t st = pt ? hl_untyped_retype(ch->stock_ut, HL_OBJ_PT, 0, CN, pt, D, 1).status : E_NOCAP;

	if (st == E_OK)
		hl_page_table_map(pt, ch->space.vspace, KF_MAP_BASE);	/* E_MAPPED: one is there */
	if (st == E_OK)
		st = hl_cnode_move(ch->cnode, s, KF_RADIX, CN, pt, D).status;
	slot_free(pt);
	return st;
}

/* Starts victim TCB s of child c on a random one-call program. Its caps
 * are derived through borrowed copies that are then deleted, so they hang
 * below the child's own S_CN, S_VS and S_EP_BADGED. */
static int64_t start_victim(struct kf_world *wd, struct kf_child *ch, unsigned s)
{
	hl_cptr_t tcb = borrow(ch, s, HL_OBJ_TCB), cn = borrow(ch, S_CN, HL_OBJ_CNODE);
	hl_cptr_t vs = borrow(ch, S_VS, HL_OBJ_VSPACE), ep = borrow(ch, S_EP_BADGED, HL_OBJ_ENDPOINT);
	struct hl_regs regs;
	int64_t st = E_NOCAP;

	if (tcb && cn && vs) {
		st = hl_tcb_configure(tcb, ep, cn, KF_GUARD, vs, 0, 0).status;
		if (st == E_OK)
			st = hl_tcb_set_mcp(tcb, HL_CAP_TCB, KF_PRIO).status;
		if (st == E_OK)
			st = hl_tcb_set_priority(tcb, HL_CAP_TCB, KF_PRIO).status;
		kf_victim_regs(&wd->rng, &stock_view, &regs);
		regs.rip = (uint64_t)kf_victim;
		regs.fs_base = 0;
		if (st == E_OK)
			st = hl_tcb_write_registers(tcb, 1, &regs).status;
		wd->victim_starts += st == E_OK;
	}
	slot_free(tcb);
	slot_free(cn);
	slot_free(vs);
	slot_free(ep);
	return st;
}

/* Puts stock slot s of child c back. */
static int64_t fill(struct kf_world *wd, unsigned c, unsigned s)
{
	struct kf_child *ch = &wd->child[c], *next = &wd->child[(c + 1) % KF_CHILDREN];
	unsigned w0 = c * KF_PER_CHILD, wn = ((c + 1) % KF_CHILDREN) * KF_PER_CHILD;
	int64_t st;

	switch (s) {
	case S_CN: return give(ch, s, ch->cnode, HL_R_ALL, KF_GUARD);
	case S_CN0: return give(ch, s, ch->cnode, HL_R_ALL, 0);
	case S_CN2: return retype(ch, s, HL_OBJ_CNODE, 2);
	case S_CN4: return retype(ch, s, HL_OBJ_CNODE, 4);
	case S_VS: return give(ch, s, ch->space.vspace, HL_R_ALL, 0);
	case S_VS_OTHER: return give(ch, s, next->space.vspace, HL_R_ALL, 0);
	case S_VS_SPARE: return spare_vspace(ch, s);
	case S_VS_NEW: return retype(ch, s, HL_OBJ_VSPACE, 0);
	case S_EP0: return give(ch, s, wd->ep[0], HL_R_ALL, 0);
	case S_EP1: return give(ch, s, wd->ep[1], HL_R_ALL, 0);
	case S_EP_BADGED: return give(ch, s, wd->ep[0], HL_R_ALL, 1 + c);
	case S_EP_RO: return give(ch, s, wd->ep[1], HL_R_READ, 0);
	case S_EP_WO: return give(ch, s, wd->ep[1], HL_R_WRITE | HL_R_GRANT, 0);
	case S_EP_NOGRANT: return give(ch, s, wd->ep[1], HL_R_READ | HL_R_WRITE, 0);
	case S_NT0: return give(ch, s, wd->nt[0], HL_R_ALL, 0);
	case S_NT1: return give(ch, s, wd->nt[1], HL_R_ALL, 0);
	case S_NT_BADGED: return give(ch, s, wd->nt[0], HL_R_WRITE, 1ull << c);
	case S_NT_RO: return give(ch, s, wd->nt[1], HL_R_READ, 0);
	case S_REPLY0: case S_REPLY1: case S_REPLY2: return retype(ch, s, HL_OBJ_REPLY, 0);
	case S_UT: return retype(ch, s, HL_OBJ_UNTYPED, 16);
	case S_UT_SMALL: return retype(ch, s, HL_OBJ_UNTYPED, 12);
	case S_TCB_W0: return give(ch, s, wd->w[w0].t.tcb, HL_R_ALL, 0);
	case S_TCB_W1: return give(ch, s, wd->w[w0 + 1].t.tcb, HL_R_ALL, 0);
	case S_TCB_NODEBUG:
		return give(ch, s, wd->w[w0].t.tcb, HL_R_ALL & ~(HL_R_DEBUG | HL_R_TRACE | HL_R_CONFIGURE), 0);
	case S_TCB_OTHER: return give(ch, s, wd->w[wn].t.tcb, HL_R_READ | HL_R_WRITE, 0);
	case S_TCB_V0: case S_TCB_V1:
		st = retype(ch, s, HL_OBJ_TCB, 0);
		return st == E_OK ? start_victim(wd, ch, s) : st;
	case S_PT: return mapped_pt(ch, s);
	case S_PD: return retype(ch, s, HL_OBJ_PD, 0);
	case S_PDPT: return retype(ch, s, HL_OBJ_PDPT, 0);
	case S_FR0: case S_FR1: return retype(ch, s, HL_OBJ_FRAME, 0);
	case S_FR_RO: return give_own(ch, s, S_FR0, HL_R_READ);
	case S_FR2M: return retype(ch, s, HL_OBJ_FRAME_2M, 0);
	case S_CANARY: return give(ch, s, wd->canary, HL_R_READ, 0);
	case S_STATS: return give(ch, s, HL_CAP_STATS, HL_R_ALL, 0);
	case S_IRQCTL: return give(ch, s, HL_CAP_IRQ_CONTROL, HL_R_ALL, 0);
	case S_IRQH: return give(ch, s, ch->irqh, HL_R_ALL, 0);
	case S_IOCTL: return give(ch, s, HL_CAP_IOPORT_CONTROL, HL_R_ALL, 0);
	case S_IOPORT: return give(ch, s, ch->ioport, HL_R_ALL, 0);
	case S_CONSOLE: return give(ch, s, HL_CAP_CONSOLE, HL_R_ALL, 0);
	case S_TRACE: return give(ch, s, HL_CAP_TRACE_CONTROL, HL_R_ALL, 0);
	case S_TIMER: return retype(ch, s, HL_OBJ_TIMER, 0);
	case S_ASIDCTL: return give(ch, s, HL_CAP_ASID_CONTROL, HL_R_ALL, 0);
	case S_ASIDPOOL:
		return hl_asid_control_make_pool(HL_CAP_ASID_CONTROL, ch->stock_ut, ch->cnode, s,
						 KF_RADIX).status;
	}
	return E_INVAL;
}

void kf_refill(struct kf_world *wd, unsigned c)
{
	struct kf_child *ch = &wd->child[c];
	int revoked = 0;

	ch->refills++;
	/* The workers see their CSpace through S_CN: it is made afresh each time
	 * (whatever was moved or mutated into the slot meanwhile). */
	if (hl_cnode_identify(ch->cnode, S_CN, KF_RADIX, NULL).value & 0xFF)
		hl_cnode_delete(ch->cnode, S_CN, KF_RADIX);
	for (unsigned s = 1; s < S_END; s++) {
		if (hl_cnode_identify(ch->cnode, s, KF_RADIX, NULL).value & 0xFF)
			continue;
		int64_t st = fill(wd, c, s);
		/* The stock Untyped is full: start it afresh (what was made from it
		 * goes, whoever holds it), once per refill. */
		if (st == E_NOMEM && !revoked) {
			revoked = 1;
			ch->stock_revokes++;
			hl_cnode_revoke(CN, ch->stock_ut, D);
			s = 0;
			continue;
		}
		ch->refill_fail += st != E_OK;
	}
}

int64_t kf_restart(struct kf_world *wd, unsigned w)
{
	struct kf_worker *k = &wd->w[w];
	struct kf_child *ch = &wd->child[w / KF_PER_CHILD];
	struct rt_tls *tls = (struct rt_tls *)(k->t.stack_top - RT_STACK_SIZE);
	hl_cptr_t tcb = k->t.tcb;
	struct hl_regs regs;
	int64_t st;

	k->restarts++;
	k->want_restart = 0;
	k->still = 0;
	hl_tcb_suspend(tcb);
	/* Whatever other workers did to it: debugger, breakpoints, binding, tracing. */
	hl_tcb_debug_bind(tcb, 0);
	for (unsigned i = 0; i < 4; i++)
		hl_tcb_debug_clear_break(tcb, i);
	hl_tcb_unbind_notification(tcb);
	hl_tcb_set_trace(tcb, 0);
	st = hl_tcb_configure(tcb, k->fep, ch->cnode, KF_GUARD, ch->space.vspace,
			      (uint64_t)k->t.ipcbuf, k->t.ipc2).status;
	if (st == E_OK)
		st = hl_tcb_set_mcp(tcb, HL_CAP_TCB, KF_PRIO).status;
	if (st == E_OK)
		st = hl_tcb_set_priority(tcb, HL_CAP_TCB, KF_PRIO).status;
	if (st == E_OK)
		st = hl_tcb_set_timeslice(tcb, 1).status;
	tls->magic = RT_TLS_MAGIC;
	tls->ipc = k->t.ipcbuf;
	tls->tcb = tcb;
	tls->exit_ntfn = 0;
	tls->thread = &k->t;
	memset(&regs, 0, sizeof(regs));
	regs.rip = (uint64_t)rt_thread_entry;
	regs.rsp = k->t.stack_top;
	regs.rflags = 0x202;
	regs.rdi = (uint64_t)k->page;	/* the same address in its space */
	regs.rsi = (uint64_t)kf_worker;
	if (st == E_OK)
		st = hl_tcb_write_registers(tcb, 1, &regs).status;
	return st;
}

void kf_stop_all(struct kf_world *wd)
{
	hl_tcb_set_priority(HL_CAP_TCB, HL_CAP_TCB, 100);	/* nothing else runs now */
	for (unsigned w = 0; w < KF_WORKERS; w++)
		hl_tcb_suspend(wd->w[w].t.tcb);
}

/* A per-worker PRNG stream from the seed (splitmix64). */
static uint64_t stream(uint64_t seed, uint64_t w)
{
	uint64_t z = seed + (w + 1) * 0x9E3779B97F4A7C15ull;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	return z ? z : 1;
}

static int build_child(struct kf_world *wd, unsigned c)
{
	struct kf_child *ch = &wd->child[c];
	uint64_t lo = KF_PORT_LO + 4 * c;
	int bad = 0;

	ch->cnode = make(wd->arena, HL_OBJ_CNODE, KF_RADIX);
	bad += !ch->cnode + !ch->stock_ut;
	bad += rt_space_create(&ch->space) != E_OK;
	ch->ioport = slot_alloc();
	bad += hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, lo, lo + 3, CN, ch->ioport, D).status != E_OK;
	ch->irqh = slot_alloc();
	bad += hl_irq_control_get(HL_CAP_IRQ_CONTROL, 5 + c, CN, ch->irqh, D).status != E_OK;
	return bad;
}

static int build_worker(struct kf_world *wd, unsigned w)
{
	struct kf_worker *k = &wd->w[w];
	struct kf_child *ch = &wd->child[w / KF_PER_CHILD];
	struct kf_page *p;
	int bad = 0;

	bad += rt_thread_create(&k->t, &ch->space, kf_worker, 0, KF_PRIO, 0, 0) != E_OK;
	k->page = p = kf_page_of(k->t.stack_top);
	memset(p, 0, sizeof(*p));
	p->magic = KF_PAGE_MAGIC;
	p->id = w;
	p->child = w / KF_PER_CHILD;
	p->rng = stream(wd->seed, w);
	memcpy(p->ty, kf_stock_type, sizeof(kf_stock_type));
	k->fep = slot_alloc();
	bad += hl_cnode_mint(CN, k->fep, D, CN, wd->fep, D, HL_R_ALL, 1 + w).status != E_OK;
	return bad;
}

int kf_world_build(struct kf_world *wd, uint64_t seed)
{
	int bad = 0;

	_Static_assert(KF_PAGE_OFFSET + sizeof(struct kf_page) <= RT_STACK_SIZE / 2,
		       "kf_page leaves the worker too little stack");
	wd->seed = seed;
	wd->rng.s = stream(seed, 1000);
	memcpy(stock_view.ty, kf_stock_type, sizeof(kf_stock_type));
	wd->arena = obj_alloc(HL_OBJ_UNTYPED, ARENA_BITS, NULL);
	if (!wd->arena)
		return 1;
	/* The big aligned blocks first, so that nothing small sits between them. */
	for (unsigned c = 0; c < KF_CHILDREN; c++)
		wd->child[c].stock_ut = make(wd->arena, HL_OBJ_UNTYPED, STOCK_BITS);
	wd->fep = make(wd->arena, HL_OBJ_ENDPOINT, 0);
	for (unsigned i = 0; i < 2; i++) {
		wd->ep[i] = make(wd->arena, HL_OBJ_ENDPOINT, 0);
		wd->nt[i] = make(wd->arena, HL_OBJ_NOTIFICATION, 0);
		bad += !wd->ep[i] + !wd->nt[i];
	}
	wd->canary = make(wd->arena, HL_OBJ_FRAME, 0);
	wd->tick = make(wd->arena, HL_OBJ_NOTIFICATION, 0);
	bad += !wd->fep + !wd->canary + !wd->tick;
	bad += kf_tick_start(wd->tick) != E_OK;
	bad += vm_map_tables(wd->canary, HL_CAP_VSPACE, KF_CANARY_VA, HL_R_READ | HL_R_WRITE, 0,
			     &wd->tables) != E_OK;
	wd->stats = slot_alloc();
	bad += hl_cnode_copy(CN, wd->stats, D, CN, HL_CAP_STATS, D, HL_R_ALL).status != E_OK;
	bad += vm_map_tables(wd->stats, HL_CAP_VSPACE, KF_STATS_VA, HL_R_READ, 0, &wd->tables) != E_OK;
	if (bad)
		return bad;
	for (unsigned i = 0; i < 512; i++)
		((uint64_t *)KF_CANARY_VA)[i] = canary_word(i);
	for (unsigned c = 0; c < KF_CHILDREN; c++)
		bad += build_child(wd, c);
	for (unsigned w = 0; w < KF_WORKERS && !bad; w++)
		bad += build_worker(wd, w);
	if (bad)
		return bad;
	for (unsigned c = 0; c < KF_CHILDREN; c++) {
		kf_refill(wd, c);
		bad += wd->child[c].refill_fail != 0;
	}
	for (unsigned w = 0; w < KF_WORKERS; w++)
		bad += kf_restart(wd, w) != E_OK;
	return bad;
}

int kf_world_destroy(struct kf_world *wd)
{
	int bad = 0;

	kf_tick_stop();
	/* Tracing and the probes are global: off again, before and after their frames go. */
	hl_trace_detach(HL_CAP_TRACE_CONTROL);
	for (unsigned g = 0; g < HL_TRACE_GROUP_COUNT; g++)
		hl_trace_enable(HL_CAP_TRACE_CONTROL, HL_TRACE_ENABLE_GROUP, g, 0);
	bad += hl_cnode_revoke(CN, wd->arena, D).status != E_OK;
	hl_trace_detach(HL_CAP_TRACE_CONTROL);
	for (unsigned w = 0; w < KF_WORKERS; w++) {
		rt_thread_destroy(&wd->w[w].t);
		slot_free(wd->w[w].fep);
	}
	for (unsigned c = 0; c < KF_CHILDREN; c++) {
		struct kf_child *ch = &wd->child[c];
		slot_free(ch->cnode);
		slot_free(ch->stock_ut);
		slot_free(ch->irqh);
		slot_free(ch->ioport);
		rt_space_destroy(&ch->space);
	}
	hl_frame_unmap(wd->canary);
	hl_frame_unmap(wd->stats);
	slot_free(wd->stats);
	vm_tables_free(&wd->tables);
	slot_free(wd->canary);
	slot_free(wd->fep);
	slot_free(wd->tick);
	for (unsigned i = 0; i < 2; i++) {
		slot_free(wd->ep[i]);
		slot_free(wd->nt[i]);
	}
	obj_free(wd->arena);
	return bad;
}
