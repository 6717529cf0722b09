/*
 * review.c: regression tests for the holes an outside review of Helios
 * proved or found (docs/security.md lists them). Each test failed, hung
 * or crashed the machine on the kernel before its fix:
 *   1. fast-path hand-off to a thread that lost its VSpace (hung at mov cr3);
 *   2. debug writes to a frame given read-only but mapped executable;
 *   3. a TCB cap without DEBUG reconfiguring the thread (fault endpoint,
 *      VSpace), a way round the DEBUG right;
 *   6. one global table of 4,096 address-space ids any task could exhaust;
 *   7. fault messages printed without limit;
 *   8. I/O ports issued any number of times, the kernel's own included.
 *   4. #DB held over by MOV SS to the first instruction of syscall_entry,
 *      taken on the user's stack; UMIP off (user code reading the GDT).
 * Under TCG the MOV SS case only shows that nothing breaks (QEMU delivers
 * the watchpoint before the syscall); a real CPU (KVM, kvm.t) defers it
 * into the kernel as on the hardware of CVE-2018-8897.
 */
#include "kt.h"

#define RT_GUARD (64 - HL_ROOT_CNODE_BITS)

static volatile int64_t rv_status;

/* Server: one recv on (ep | reply << 16); it should never return from it. */
static void rv_receiver(uint64_t arg)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	rv_status = hl_recv(arg & 0xFFFF, arg >> 16, &m).status;
}

/* Client: one call on ep with a short message. */
static void rv_caller(uint64_t ep)
{
	struct hl_msg m = { hl_msginfo(5, 0, 1), { 42, 0, 0, 0 } };

	rv_status = hl_call(ep, &m).status;
}

/* Server: recv, wait for the go-ahead on a notification, then reply_recv
 * (which the fast path takes when the caller can run at once). */
static void rv_slow_server(uint64_t arg)
{
	hl_cptr_t ep = arg & 0xFFFF, reply = (arg >> 16) & 0xFFFF, go = arg >> 32;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	if (hl_recv(ep, reply, &m).status != E_OK)
		return;
	hl_wait(go);
	m.info = hl_msginfo(0, 0, 1);
	hl_reply_recv(ep, reply, &m);
}

/* Re-points t at a copy of the root VSpace cap, returned, so that revoking
 * the copy takes the thread's VSpace and nothing else. */
static hl_cptr_t rv_own_vspace(struct kt_thread *t)
{
	hl_cptr_t v = kt_mint(HL_CAP_VSPACE, HL_R_ALL, 0);

	if (v && hl_tcb_configure(t->rt.tcb, 0, HL_CAP_CNODE, RT_GUARD, v, (uint64_t)t->rt.ipcbuf,
				  t->rt.ipc).status != E_OK) {
		kt_ok(0, "re-point a thread at a VSpace copy");
		kt_del(v);
		return 0;
	}
	return v;
}

/* 1: the call fast path, the receiver's VSpace gone while it waits. */
static void rv_fastpath_call(void)
{
	struct kt_thread srv, cli;
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint"), reply = kt_new(HL_OBJ_REPLY, 0, "a Reply");
	hl_cptr_t v = 0;

	rv_status = -1;
	if (!ep || !reply || !kt_spawn_stopped(&srv, NULL, rv_receiver, ep | reply << 16, KT_ROOT_PRIO + 2, 0))
		goto out;
	if (!(v = rv_own_vspace(&srv)) || rt_thread_start(&srv.rt) != E_OK)
		goto out_srv;
	kt_settle();
	kt_is(kt_state(srv.rt.tcb), HL_THREAD_BLOCKED_RECV, "fast path call: the server waits in recv");
	kt_is(hl_cnode_revoke(CN, v, D).status, E_OK, "revoke the server's VSpace copy while it waits");
	if (kt_spawn(&cli, NULL, rv_caller, ep, KT_ROOT_PRIO + 1, 0)) {
		kt_settle();
		kt_ok(1, "a call to it returns control to the kernel (the machine did not hang)");
		kt_is(kt_state(srv.rt.tcb), HL_THREAD_INACTIVE, "the server without VSpace is suspended");
		kt_is(kt_state(cli.rt.tcb), HL_THREAD_BLOCKED_REPLY, "the caller waits for a reply");
		kt_is(rv_status, -1, "the server never ran past its recv");
		kt_kill(&cli);
	}
out_srv:
	kt_kill(&srv);
out:
	kt_del(v);
	kt_del(reply);
	kt_del(ep);
}

/* 1: the reply_recv fast path, the caller's VSpace gone while it waits. */
static void rv_fastpath_reply(void)
{
	struct kt_thread srv, cli;
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint"), reply = kt_new(HL_OBJ_REPLY, 0, "a Reply");
	hl_cptr_t go = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification"), v = 0;

	rv_status = -1;
	if (!ep || !reply || !go ||
	    !kt_spawn(&srv, NULL, rv_slow_server, ep | reply << 16 | go << 32, KT_ROOT_PRIO + 2, 0))
		goto out;
	if (!kt_spawn_stopped(&cli, NULL, rv_caller, ep, KT_ROOT_PRIO + 1, 0))
		goto out_srv;
	if (!(v = rv_own_vspace(&cli)) || rt_thread_start(&cli.rt) != E_OK)
		goto out_cli;
	kt_settle();
	kt_is(kt_state(cli.rt.tcb), HL_THREAD_BLOCKED_REPLY, "fast path reply: the caller waits for its reply");
	kt_is(hl_cnode_revoke(CN, v, D).status, E_OK, "revoke the caller's VSpace copy while it waits");
	kt_is(hl_signal(go).status, E_OK, "let the server reply_recv");
	kt_settle();
	kt_ok(1, "the reply returns control to the kernel (the machine did not hang)");
	kt_is(kt_state(cli.rt.tcb), HL_THREAD_INACTIVE, "the caller without VSpace is suspended");
	kt_is(kt_state(srv.rt.tcb), HL_THREAD_BLOCKED_RECV, "the server waits for the next call");
	kt_is(rv_status, -1, "the caller never ran past its call");
out_cli:
	kt_kill(&cli);
out_srv:
	kt_kill(&srv);
out:
	kt_del(v);
	kt_del(go);
	kt_del(reply);
	kt_del(ep);
}

#define RV_VA 0x50000000ull

/* Maps frame (via a copy with rights) at va with attrs, page tables in
 * tabs; returns the copy. */
static hl_cptr_t rv_map(hl_cptr_t frame, uint64_t rights, uint64_t va, uint64_t map_rights, uint64_t attrs,
			struct vm_tables *tabs)
{
	hl_cptr_t c = kt_mint(frame, rights, 0);

	if (c && vm_map_tables(c, HL_CAP_VSPACE, va, map_rights, attrs, tabs) != E_OK) {
		kt_ok(0, "map a frame at 0x%lx", (unsigned long)va);
		kt_del(c);
		return 0;
	}
	return c;
}

static int64_t rv_debug_write(uint64_t va, uint64_t value)
{
	uint64_t a[3] = { va, 8, value };

	return hl_invoke(HL_CAP_TCB, HL_TCB_DEBUG_WRITE, 3, a).status;
}

/* 2: what a debug write may change. */
static void rv_debug_write_rights(void)
{
	struct vm_tables tabs = { 0 };
	hl_cptr_t f = kt_new(HL_OBJ_FRAME, 0, "a frame");
	hl_cptr_t rw = f ? rv_map(f, HL_R_ALL, RV_VA, HL_R_READ | HL_R_WRITE, 0, &tabs) : 0;
	hl_cptr_t rox = rw ? rv_map(f, HL_R_READ, RV_VA + 0x1000, HL_R_READ, HL_MAP_EXEC, &tabs) : 0;
	hl_cptr_t code = rox ? rv_map(f, HL_R_ALL, RV_VA + 0x2000, HL_R_READ, HL_MAP_EXEC, &tabs) : 0;
	volatile uint64_t *word = (volatile uint64_t *)RV_VA;

	if (!code)
		goto out;
	*word = 0x1111;
	kt_is(rv_debug_write(RV_VA + 0x1000, 0x2222), E_PERM,
	      "debug write to a READ-only frame cap mapped executable: E_PERM");
	kt_is((int64_t)*word, 0x1111, "the frame is unchanged");
	kt_is(rv_debug_write(RV_VA + 0x2000, 0x3333), E_OK,
	      "debug write to code mapped from a writable frame cap (a breakpoint): E_OK");
	kt_is((int64_t)*word, 0x3333, "the write landed");
	hl_cptr_t ro = kt_mint(rox, HL_R_ALL, 0);
	kt_is(hl_frame_map(ro, HL_CAP_VSPACE, RV_VA + 0x3000, HL_R_READ | HL_R_WRITE, 0).status, E_PERM,
	      "a READ-only frame cap still cannot be mapped writable");
	kt_del(ro);
out:
	kt_del(code);
	kt_del(rox);
	kt_del(rw);
	kt_del(f);
	vm_tables_free(&tabs);
}

/* 3: a TCB cap with DEBUG and TRACE but not CONFIGURE changes nothing of the thread. */
static void rv_configure_right(void)
{
	struct kt_thread t;
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint"), n = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	hl_cptr_t weak = 0;
	struct hl_tcb_info info;

	if (!ep || !n || !kt_spawn_stopped(&t, NULL, rv_caller, 0, KT_ROOT_PRIO, 0))
		goto out;
	weak = kt_mint(t.rt.tcb, HL_R_ALL & ~HL_R_CONFIGURE, 0);
	if (!weak)
		goto out_t;
	kt_is(hl_tcb_configure(weak, ep, HL_CAP_CNODE, RT_GUARD, HL_CAP_VSPACE, 0, 0).status, E_PERM,
	      "CONFIGURE (a new fault endpoint) without the configure right: E_PERM");
	kt_is(hl_invoke(weak, HL_TCB_SET_TLS_BASE, 1, (uint64_t[]){ 0x1000 }).status, E_PERM,
	      "SET_TLS_BASE without the configure right: E_PERM");
	kt_is(hl_tcb_bind_notification(weak, n).status, E_PERM, "BIND_NOTIFICATION without it: E_PERM");
	kt_is(hl_invoke(weak, HL_TCB_UNBIND_NOTIFICATION, 0, NULL).status, E_PERM, "UNBIND_NOTIFICATION without it: E_PERM");
	kt_is(hl_tcb_set_priority(weak, HL_CAP_TCB, 7).status, E_PERM, "SET_PRIORITY without it: E_PERM");
	kt_is(hl_invoke(weak, HL_TCB_SET_MCP, 2, (uint64_t[]){ HL_CAP_TCB, 7 }).status, E_PERM,
	      "SET_MCP without it: E_PERM");
	kt_is(hl_invoke(weak, HL_TCB_SET_TIMESLICE, 1, (uint64_t[]){ 3 }).status, E_PERM,
	      "SET_TIMESLICE without it: E_PERM");
	kt_is(hl_tcb_info(weak, &info).status, E_OK, "INFO needs no right");
	kt_is(info.priority, KT_ROOT_PRIO, "the priority is unchanged");
	kt_is(hl_tcb_configure(t.rt.tcb, 0, HL_CAP_CNODE, RT_GUARD, HL_CAP_VSPACE, (uint64_t)t.rt.ipcbuf,
			       t.rt.ipc).status, E_OK, "with the right, CONFIGURE works");
	kt_is(hl_tcb_set_priority(t.rt.tcb, HL_CAP_TCB, 7).status, E_OK, "and SET_PRIORITY");
out_t:
	kt_del(weak);
	kt_kill(&t);
out:
	kt_del(n);
	kt_del(ep);
}

/* 6: a VSpace needs an id, ids come from pools, pools from ASIDControl. */
static void rv_asid_basics(void)
{
	hl_cptr_t vs = kt_new(HL_OBJ_VSPACE, 0, "a VSpace"), f = kt_new(HL_OBJ_FRAME, 0, "a frame");
	hl_cptr_t copy = slot_alloc(), t = kt_new(HL_OBJ_TCB, 0, "a TCB");

	if (!vs || !f || !copy || !t)
		goto out;
	kt_is(hl_cnode_copy(CN, copy, D, CN, vs, D, HL_R_ALL).status, E_INVAL,
	      "a VSpace without an id cannot be copied: E_INVAL");
	kt_is(hl_frame_map(f, vs, 0x400000, HL_R_READ, 0).status, E_INVAL, "nor mapped into: E_INVAL");
	kt_is(hl_tcb_configure(t, 0, HL_CAP_CNODE, RT_GUARD, vs, 0, 0).status, E_INVAL, "nor run on: E_INVAL");
	kt_is(hl_asid_pool_assign(HL_CAP_ASID_POOL, vs).status, E_OK, "the root's pool gives it an id");
	kt_is(hl_asid_pool_assign(HL_CAP_ASID_POOL, vs).status, E_EXIST, "a second id: E_EXIST");
	kt_is(hl_asid_pool_assign(HL_CAP_ASID_POOL, f).status, E_TYPE, "an id for a frame: E_TYPE");
	kt_is(hl_asid_pool_assign(HL_CAP_ASID_POOL, KT_EMPTY).status, E_NOCAP, "an id for an empty slot: E_NOCAP");
	kt_is(hl_invoke(HL_CAP_ASID_POOL, HL_ASID_POOL_ASSIGN, 0, NULL).status, E_INVAL, "assign with no argument: E_INVAL");
	kt_is(hl_cnode_copy(CN, copy, D, CN, vs, D, HL_R_ALL).status, E_OK, "with an id it can be copied");
	kt_is(hl_frame_map(f, vs, 0x400000, HL_R_READ, 0).status, E_NOTABLE, "and mapped into (tables missing)");
	kt_is(hl_asid_control_make_pool(HL_CAP_ASID_CONTROL, vs, CN, KT_EMPTY, D).status, E_TYPE,
	      "a pool from a VSpace: E_TYPE");
	kt_is(hl_asid_control_make_pool(HL_CAP_ASID_POOL, vs, CN, KT_EMPTY, D).status, E_NOSYS,
	      "MAKE_POOL on a pool: E_NOSYS");
	kt_is(hl_invoke(HL_CAP_ASID_CONTROL, HL_ASID_CONTROL_MAKE_POOL, 3, (uint64_t[]){ 0, 0, 0 }).status, E_INVAL,
	      "MAKE_POOL with 3 words: E_INVAL");
out:
	kt_del(t);
	kt_del(copy);
	kt_del(f);
	kt_del(vs);
}

/* Makes a pool from a fresh 4 KiB Untyped; *ut gets the Untyped. */
static hl_cptr_t rv_pool(hl_cptr_t *ut)
{
	hl_cptr_t p = slot_alloc();

	*ut = kt_new(HL_OBJ_UNTYPED, 12, "a 4 KiB Untyped");
	if (!*ut || !p || hl_asid_control_make_pool(HL_CAP_ASID_CONTROL, *ut, CN, p, D).status != E_OK) {
		slot_free(p);
		return 0;
	}
	return p;
}

#define RV_POOL_IDS 256
#define RV_POOL_SLOTS 127

/* 6: a pool holds 256 ids; a task with a pool can exhaust only that pool. */
static void rv_asid_pool_full(void)
{
	static hl_cptr_t vs[RV_POOL_IDS + 1];
	hl_cptr_t ut, pool = rv_pool(&ut), extra = kt_new(HL_OBJ_VSPACE, 0, "a VSpace");
	unsigned given = 0;

	kt_ok(pool != 0, "make an ASID pool from 4 KiB of Untyped");
	if (!pool || !extra)
		goto out;
	for (unsigned i = 0; i <= RV_POOL_IDS; i++)
		vs[i] = kt_new(HL_OBJ_VSPACE, 0, "a VSpace");
	for (unsigned i = 0; i < RV_POOL_IDS; i++)
		given += vs[i] && hl_asid_pool_assign(pool, vs[i]).status == E_OK;
	kt_is(given, RV_POOL_IDS, "the pool gives 256 ids");
	kt_is(hl_asid_pool_assign(pool, vs[RV_POOL_IDS]).status, E_NOMEM, "the 257th: E_NOMEM");
	kt_is(hl_asid_pool_assign(HL_CAP_ASID_POOL, extra).status, E_OK, "the root's own pool is untouched");
	kt_is(hl_cnode_delete(CN, vs[0], D).status, E_OK, "a VSpace of the full pool dies");
	kt_is(hl_asid_pool_assign(pool, vs[RV_POOL_IDS]).status, E_OK, "its id is given again");
out:
	for (unsigned i = 0; i <= RV_POOL_IDS; i++)
		kt_del(vs[i]);
	kt_del(extra);
	kt_del(pool);
	kt_del(ut);
}

/* 6: a dying pool takes its VSpaces' ids and their mappings. */
static void rv_asid_pool_death(void)
{
	hl_cptr_t ut, pool = rv_pool(&ut), vs = kt_new(HL_OBJ_VSPACE, 0, "a VSpace");
	hl_cptr_t pdpt = kt_new(HL_OBJ_PDPT, 0, "a PDPT"), t = kt_new(HL_OBJ_TCB, 0, "a TCB");

	if (!pool || !vs || !pdpt || !t)
		goto out;
	kt_is(hl_asid_pool_assign(pool, vs).status, E_OK, "a VSpace gets an id from a new pool");
	kt_is(hl_invoke(pdpt, HL_PAGE_TABLE_MAP, 2, (uint64_t[]){ vs, 0 }).status, E_OK, "a PDPT maps into it");
	kt_is(hl_cnode_delete(CN, pool, D).status, E_OK, "delete the pool");
	kt_is(hl_invoke(pdpt, HL_PAGE_TABLE_MAP, 2, (uint64_t[]){ HL_CAP_VSPACE, 0x8000000000ull }).status, E_OK,
	      "the PDPT reads as unmapped: it maps elsewhere");
	kt_is(hl_invoke(pdpt, HL_PAGE_TABLE_UNMAP, 0, NULL).status, E_OK, "and unmaps");
	kt_is(hl_invoke(pdpt, HL_PAGE_TABLE_MAP, 2, (uint64_t[]){ vs, 0 }).status, E_INVAL,
	      "the VSpace lost its id: mapping into it is E_INVAL");
	kt_is(hl_tcb_configure(t, 0, HL_CAP_CNODE, RT_GUARD, vs, 0, 0).status, E_INVAL, "running on it is E_INVAL");
	kt_is(hl_asid_pool_assign(HL_CAP_ASID_POOL, vs).status, E_EXIST, "and it never gets a second id");
out:
	kt_del(t);
	kt_del(pdpt);
	kt_del(vs);
	kt_del(pool);
	kt_del(ut);
}

/* 6: the machine has 127 pool slots, handed out only by ASIDControl. */
static void rv_asid_pool_slots(void)
{
	static hl_cptr_t pools[RV_POOL_SLOTS], uts[RV_POOL_SLOTS];
	unsigned made = 0;
	hl_cptr_t ut, last;

	while (made < RV_POOL_SLOTS && (pools[made] = rv_pool(&uts[made])))
		made++;
	if (made < RV_POOL_SLOTS)
		kt_del(uts[made]);	/* the Untyped of the pool that was refused */
	kt_ok(made > 0 && made < RV_POOL_SLOTS, "pools until the slots run out (%u made besides the root's)", made);
	ut = kt_new(HL_OBJ_UNTYPED, 12, "a 4 KiB Untyped");
	last = slot_alloc();
	kt_is(hl_asid_control_make_pool(HL_CAP_ASID_CONTROL, ut, CN, last, D).status, E_NOMEM,
	      "one more pool: E_NOMEM");
	kt_is(hl_untyped_retype(ut, HL_OBJ_ASID_POOL, 0, CN, last, D, 1).status, E_INVAL,
	      "retype does not make pools: E_INVAL");
	slot_free(last);
	kt_del(ut);
	while (made--) {
		kt_del(pools[made]);
		kt_del(uts[made]);
	}
}

/* A thread that faults at once (no fault endpoint: the kernel logs it). */
static void rv_faulter(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

#define RV_STATS_VA 0x50100000ull
#define RV_FAULTS 80

/* 7: fault messages are rate-limited and the drops counted. */
static void rv_log_rate(void)
{
	struct kt_thread t;
	struct vm_tables tabs = { 0 };
	hl_cptr_t s = kt_mint(HL_CAP_STATS, HL_R_READ, 0);
	const volatile struct hl_kstats *ks = (const volatile struct hl_kstats *)RV_STATS_VA;
	struct hl_regs r;
	uint64_t before;
	unsigned faulted = 0;

	if (!s || vm_map_tables(s, HL_CAP_VSPACE, RV_STATS_VA, HL_R_READ, 0, &tabs) != E_OK) {
		kt_ok(0, "map the stats page");
		goto out;
	}
	before = ks->cpu[0].log_dropped;
	if (!kt_spawn(&t, NULL, rv_faulter, 0, KT_ROOT_PRIO + 1, 0))
		goto out;
	kt_settle();
	hl_tcb_read_registers(t.rt.tcb, &r);
	for (unsigned i = 0; i < RV_FAULTS; i++) {
		faulted += kt_state(t.rt.tcb) == HL_THREAD_INACTIVE;
		hl_tcb_write_registers(t.rt.tcb, 1, &r);	/* at the ud2 again */
		kt_settle();
	}
	kt_is(faulted, RV_FAULTS, "a thread faulted %d times with no fault endpoint", RV_FAULTS);
	kt_ok(ks->cpu[0].log_dropped - before >= RV_FAULTS / 2,
	      "the kernel dropped most of their messages (%lu) and counted them",
	      (unsigned long)(ks->cpu[0].log_dropped - before));
	kt_kill(&t);
out:
	kt_del(s);
	vm_tables_free(&tabs);
}

/* 8: each port is issued once, and never the kernel's. */
static void rv_ioports(void)
{
	static const struct { uint64_t first, last; const char *what; } kernel[] = {
		{ 0x20, 0x21, "the master 8259" }, { 0xA0, 0xA1, "the slave 8259" },
		{ 0x43, 0x43, "the PIT" }, { 0x61, 0x61, "port 0x61" }, { 0x3F8, 0x3FF, "COM1" },
		{ 0x3F0, 0x3F8, "a range ending in COM1" },
	};
	hl_cptr_t a = slot_alloc(), b = slot_alloc(), copy = slot_alloc();

	for (unsigned i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++)
		kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, kernel[i].first, kernel[i].last, CN, a, D).status,
		      E_RANGE, "the kernel's own ports (%s): E_RANGE", kernel[i].what);
	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x80, 0x83, CN, a, D).status, E_OK, "issue 0x80-0x83");
	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x80, 0x83, CN, b, D).status, E_BUSY,
	      "the same range again: E_BUSY");
	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x7F, 0x80, CN, b, D).status, E_BUSY,
	      "an overlapping range: E_BUSY");
	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x84, 0x84, CN, b, D).status, E_OK,
	      "the port next to it: E_OK");
	kt_is(hl_cnode_copy(CN, copy, D, CN, a, D, HL_R_ALL).status, E_OK, "copy the first cap");
	kt_is(hl_cnode_delete(CN, a, D).status, E_OK, "delete the issued cap");
	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x81, 0x81, CN, a, D).status, E_BUSY,
	      "its copy still holds the ports: E_BUSY");
	kt_is(hl_cnode_delete(CN, copy, D).status, E_OK, "delete the copy");
	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x80, 0x83, CN, a, D).status, E_OK,
	      "the last cap gone, the range is issued again");
	slot_free(copy);
	slot_free(b);
	slot_free(a);
}

static volatile uint16_t rv_ss;	/* the user data selector, read by MOV SS */
static volatile int rv_reached;

/* MOV SS from a watched word, then SYSCALL, on a stack pointer that is not
 * memory: a #DB taken on the current stack would fault in the kernel. */
static void rv_movss(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("movq %%rsp, %%r12\n\t"
			 "movq $0xdead0000, %%rsp\n\t"
			 "movw %[ss], %%ss\n\t"
			 "syscall\n\t"
			 "movq %%r12, %%rsp"
			 : : [ss] "m"(rv_ss), "a"((uint64_t)HL_SYS_NULL)
			 : "rcx", "r11", "r12", "memory");
	rv_reached = 1;
}

/* 4: the watchpoint fires at syscall entry; the kernel stays up. */
static void rv_debug_movss(void)
{
	struct kt_thread t;
	uint64_t a[4] = { 0, (uint64_t)&rv_ss, HL_BREAK_ACCESS, 2 };
	uint16_t ss;

	__asm__ volatile("movw %%ss, %0" : "=r"(ss));
	rv_ss = ss;
	rv_reached = 0;
	if (!kt_spawn_stopped(&t, NULL, rv_movss, 0, KT_ROOT_PRIO + 1, 0))
		return;
	kt_is(hl_invoke(t.rt.tcb, HL_TCB_DEBUG_SET_BREAK, 4, a).status, E_OK, "watch the word MOV SS reads");
	kt_is(rt_thread_start(&t.rt), E_OK, "run MOV SS; SYSCALL on a bogus stack");
	kt_settle();
	kt_ok(1, "the kernel survived the held-over #DB (thread state %ld, went on: %d)",
	      (long)kt_state(t.rt.tcb), rv_reached);
	kt_kill(&t);
}

static volatile int rv_sgdt_done;

static void rv_sgdt(uint64_t arg)
{
	uint8_t gdtr[10];

	(void)arg;
	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	rv_sgdt_done = 1;
}

/* 4: with UMIP (when the CPU has it) user code cannot read the GDTR. */
static void rv_umip(void)
{
	struct kt_thread t;
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	rv_sgdt_done = 0;
	if (!kt_spawn(&t, NULL, rv_sgdt, 0, KT_ROOT_PRIO + 1, 0))
		return;
	kt_settle();
	if (c & (1u << 2))
		kt_ok(!rv_sgdt_done && kt_state(t.rt.tcb) == HL_THREAD_INACTIVE,
		      "the CPU has UMIP: sgdt in user mode faults");
	else
		kt_ok(rv_sgdt_done, "the CPU has no UMIP: sgdt in user mode runs (nothing to enable)");
	kt_kill(&t);
}

void kt_area_review(void)
{
	rv_fastpath_call();
	rv_fastpath_reply();
	rv_debug_write_rights();
	rv_configure_right();
	rv_asid_basics();
	rv_asid_pool_full();
	rv_asid_pool_death();
	rv_asid_pool_slots();
	rv_log_rate();
	rv_ioports();
	rv_debug_movss();
	rv_umip();
}
