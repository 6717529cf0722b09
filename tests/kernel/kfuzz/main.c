/*
 * kfuzz: the syscall fuzzer, a root task printing TAP.
 *
 * Everything the fuzz thread may touch descends from one arena Untyped: its
 * 64-slot CNode, endpoints, notifications, Replies, a 64 KiB Untyped of its
 * own, frames, page tables, a spare VSpace, a victim TCB and an IOPort for
 * port 0x80. It runs at priority 50 in its own address space; the root
 * waits at priority 1, so it runs only when the fuzzer is blocked, and then
 * restarts it at its next call. When done, the fuzzer executes ud2 and
 * its fault reaches the root. Then the kernel checks its invariants, the
 * arena is revoked and we check that every byte and slot came back.
 *
 * Command line: kfuzz.seed=N (default 1), kfuzz.calls=N (default 100000;
 * 0 = run until stopped, printing progress).
 */
#include <mercury/string.h>

#include "kf.h"
#include "kt_tap.h"

#define CN HL_CAP_CNODE
#define D RT_DEPTH
#define KF_PRIO 50

static hl_cptr_t arena, fcn, fep;

/* Makes an object from the arena in a root slot; 0 on failure. */
static hl_cptr_t kf_new(uint64_t type, uint64_t bits)
{
	hl_cptr_t s = slot_alloc();

	if (s && hl_untyped_retype(arena, type, bits, CN, s, D, 1).status != E_OK) {
		slot_free(s);
		s = 0;
	}
	return s;
}

/* Puts a copy (minted with rights and badge) of root slot src in fuzz slot
 * idx; Untyped and Reply caps cannot be copied, so those move. */
static int kf_give(uint64_t idx, hl_cptr_t src, uint64_t rights, uint64_t badge)
{
	uint64_t type = hl_cnode_identify(CN, src, D, NULL).value & 0xFF;

	if (!src)
		return 0;
	/* Caps that cannot be copied (one per object) are moved instead. */
	if (type == HL_OBJ_UNTYPED || type == HL_OBJ_REPLY ||
	    (type >= HL_OBJ_PDPT && type <= HL_OBJ_PT))
		return hl_cnode_move(fcn, idx, KF_RADIX, CN, src, D).status == E_OK;
	return hl_cnode_mint(fcn, idx, KF_RADIX, CN, src, D, rights, badge).status == E_OK;
}

/* Builds the fuzzer's CNode; returns the number of caps that failed. */
static int kf_world(hl_cptr_t vspace, hl_cptr_t *made, unsigned *nmade)
{
	static const struct { uint64_t type, bits, rights, badge; } objs[] = {
		{ HL_OBJ_ENDPOINT, 0, HL_R_ALL, 0 }, { HL_OBJ_ENDPOINT, 0, HL_R_ALL, 0x11 },
		{ HL_OBJ_NOTIFICATION, 0, HL_R_ALL, 0 }, { HL_OBJ_NOTIFICATION, 0, HL_R_WRITE, 0x22 },
		{ HL_OBJ_REPLY, 0, HL_R_ALL, 0 }, { HL_OBJ_REPLY, 0, HL_R_ALL, 0 },
		{ HL_OBJ_FRAME, 0, HL_R_ALL, 0 }, { HL_OBJ_FRAME, 0, HL_R_READ, 0 },
		{ HL_OBJ_PT, 0, HL_R_ALL, 0 }, { HL_OBJ_PD, 0, HL_R_ALL, 0 }, { HL_OBJ_PDPT, 0, HL_R_ALL, 0 },
		{ HL_OBJ_VSPACE, 0, HL_R_ALL, 0 }, { HL_OBJ_TCB, 0, HL_R_ALL, 0 }, { HL_OBJ_CNODE, 2, HL_R_ALL, 0 },
	};
	uint64_t idx = 1;
	int bad = 0;

	bad += !kf_give(idx++, fcn, HL_R_ALL, KF_GUARD);	/* its own CNode, with the guard */
	bad += !kf_give(idx++, vspace, HL_R_ALL, 0);
	for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		hl_cptr_t s = kf_new(objs[i].type, objs[i].bits);

		made[(*nmade)++] = s;
		if (objs[i].type == HL_OBJ_VSPACE)	/* a VSpace is copied only once it has an id */
			bad += hl_asid_pool_assign(HL_CAP_ASID_POOL, s).status != E_OK;
		bad += !kf_give(idx++, s, objs[i].rights, objs[i].badge);
	}
	made[*nmade] = kf_new(HL_OBJ_UNTYPED, 16);
	bad += !kf_give(idx++, made[(*nmade)++], HL_R_ALL, 0);
	bad += hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x80, 0x80, fcn, idx++, KF_RADIX).status != E_OK;
	return bad;
}

/* Starts (or restarts) the fuzz thread at kf_fuzz on a fresh stack. */
static int64_t kf_start(struct rt_thread *t)
{
	struct hl_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.rip = (uint64_t)rt_thread_entry;
	regs.rsp = t->stack_top;
	regs.rflags = 0x202;
	regs.rsi = (uint64_t)kf_fuzz;
	hl_tcb_suspend(t->tcb);
	return hl_tcb_write_registers(t->tcb, 1, &regs).status;
}

/* Waits at priority 1 for the fuzzer, unblocking it whenever it blocks
 * and restarting it when a random call stopped it (a fault or an exit).
 * Returns 1 when it made all its calls. */
static int kf_watch(struct rt_thread *t, struct rt_tls *ftls, uint64_t target)
{
	uint64_t next_report = 100000, unblocks = 0, restarts = 0;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	int ok = 0;

	hl_tcb_set_priority(HL_CAP_TCB, HL_CAP_TCB, 1);
	for (;;) {
		struct hl_result r = hl_nbrecv(fep, 0, &m);

		/* Done is its ud2; a stop on the very last random call (an exit, a
		 * fault) is restarted like any other, and then it reaches the ud2. */
		if (r.status == E_OK && target && ftls->user[KF_DONE] >= target &&
		    hl_msg_label(m.info) == HL_FAULT_UD) {
			ok = 1;
			break;
		}
		if (r.status == E_OK) {
			if (restarts++ < 10)
				rt_printf("# kfuzz: fuzz thread stopped after %lu calls (fault type %lu, "
					  "address 0x%lx): restarting it\n", (unsigned long)ftls->user[KF_DONE],
					  (unsigned long)m.mr[0], (unsigned long)m.mr[1]);
			if (kf_start(t) != E_OK)
				break;
		} else {
			/* We run only while the fuzzer is not runnable: get it going again.
			 * A resumed thread would restart the call it blocked in (as in
			 * seL4), so start it afresh instead. */
			if (kf_start(t) != E_OK)
				break;
			unblocks++;
		}
		if (!target && ftls->user[KF_DONE] >= next_report) {
			rt_printf("# kfuzz: %lu calls, %lu unblocks, %lu restarts, kernel check %lu problems\n",
				  (unsigned long)ftls->user[KF_DONE], (unsigned long)unblocks,
				  (unsigned long)restarts, (unsigned long)hl_console_check(HL_CAP_CONSOLE).value);
			next_report += 100000;
		}
		hl_yield();
	}
	hl_tcb_set_priority(HL_CAP_TCB, HL_CAP_TCB, 100);
	rt_printf("# kfuzz: %lu calls, %lu unblocks, %lu restarts\n", (unsigned long)ftls->user[KF_DONE],
		  (unsigned long)unblocks, (unsigned long)restarts);
	for (unsigned e = 0; e <= E_COUNT; e++)
		rt_printf("# kfuzz: status %u: %lu\n", e, (unsigned long)kf_hist(ftls)[e]);
	return ok;
}

static uint64_t kf_arg(const char *key, uint64_t def)
{
	char buf[24];

	return rt_cmdline_get(key, buf, sizeof(buf)) ? strtoull(buf, NULL, 0) : def;
}

int main(const struct hl_bootinfo *bi)
{
	uint64_t seed = kf_arg("kfuzz.seed", 1), target = kf_arg("kfuzz.calls", 100000);
	uint64_t free0 = obj_untyped_free(), slots0 = slot_count_empty();
	hl_cptr_t made[32];
	unsigned nmade = 0;
	struct rt_space space;
	struct rt_thread t;
	struct rt_tls *ftls;
	struct hl_result chk;
	int64_t st;

	(void)bi;
	rt_printf("# kfuzz: seed %lu, %lu calls (kfuzz.seed=, kfuzz.calls= on the command line)\n",
		  (unsigned long)seed, (unsigned long)target);
	arena = obj_alloc(HL_OBJ_UNTYPED, 18, NULL);
	fep = arena ? kf_new(HL_OBJ_ENDPOINT, 0) : 0;
	fcn = arena ? kf_new(HL_OBJ_CNODE, KF_RADIX) : 0;
	if (!kt_ok(arena && fep && fcn, "make the fuzz arena, fault endpoint and CNode"))
		return kt_done();
	st = rt_space_create(&space);
	kt_is(st, E_OK, "make the fuzzer's address space");
	hl_console_debug(HL_CAP_CONSOLE, 1);	/* explain any refusal while building */
	kt_is(kf_world(space.vspace, made, &nmade), 0, "fill the fuzzer's CNode");
	hl_console_debug(HL_CAP_CONSOLE, 0);
	st = rt_thread_create(&t, &space, kf_fuzz, 0, KF_PRIO, 0, 0);
	if (st == E_OK)
		st = hl_tcb_configure(t.tcb, fep, fcn, KF_GUARD, space.vspace, (uint64_t)t.ipcbuf, t.ipc2).status;
	if (!kt_is(st, E_OK, "make the fuzz thread with its own CSpace and VSpace"))
		return kt_done();
	ftls = (struct rt_tls *)(t.stack_top - RT_STACK_SIZE);
	ftls->user[KF_TARGET] = target;
	ftls->user[KF_STATE] = seed ? seed : 0x9E3779B97F4A7C15ull;	/* xorshift needs nonzero */
	kf_start(&t);
	kt_ok(kf_watch(&t, ftls, target), "the fuzz thread made %lu random calls", (unsigned long)target);
	chk = hl_console_check(HL_CAP_CONSOLE);
	kt_ok(chk.status == E_OK && chk.value == 0, "kernel invariants hold after fuzzing (%lu problems)",
	      (unsigned long)chk.value);

	rt_thread_destroy(&t);
	kt_is(hl_cnode_revoke(CN, arena, D).status, E_OK, "revoke the arena: every fuzz object goes");
	for (unsigned i = 0; i < nmade; i++)
		slot_free(made[i]);
	slot_free(fep);
	slot_free(fcn);
	obj_free(arena);
	rt_space_destroy(&space);
	kt_is((int64_t)obj_untyped_free(), (int64_t)free0, "no Untyped bytes leaked");
	kt_is((int64_t)slot_count_empty(), (int64_t)slots0, "no slots leaked");
	chk = hl_console_check(HL_CAP_CONSOLE);
	kt_ok(chk.status == E_OK && chk.value == 0, "kernel invariants hold after teardown");
	return kt_done();
}
