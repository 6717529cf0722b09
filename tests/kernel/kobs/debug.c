/*
 * debug.c: debug IPC. The root thread is the debugger; the target runs in
 * a second address space (a private copy of our image, so the same
 * addresses name its own data). Covered: suspend and resume, registers,
 * memory (and its failures), a software breakpoint with resumption over
 * the original instruction, single step, a hardware breakpoint, a
 * watchpoint, fault and exit events, every operation refused without the
 * debug right and after revoke, and HL_SYS_EXIT to a plain fault handler.
 */
#include <mercury/string.h>

#include "ko.h"

/* The target's loop calls kd_site(count) and stores the result. */
__asm__(".text\n"
	".globl kd_site, kd_site2, kd_crash, kd_exit\n"
	"kd_site: mov %rdi, %rax\n"		/* 3 bytes */
	"kd_site2: add $1, %rax\n"
	" ret\n"
	"kd_crash: movq $1, 0x58000000\n"	/* unmapped in every space */
	" jmp kd_crash\n"
	"kd_exit: mov $12, %eax\n"		/* HL_SYS_EXIT */
	" mov $42, %edi\n"
	" syscall\n"
	" jmp kd_exit\n");
uint64_t kd_site(uint64_t), kd_site2(void), kd_crash(void), kd_exit(void);
_Static_assert(HL_SYS_EXIT == 12, "kd_exit's syscall number");

static volatile uint64_t kd_count;
static const uint64_t kd_rodata[2] = { 0x0123456789abcdefull, 2 };

static void kd_target(uint64_t arg)
{
	(void)arg;
	for (;;) {
		kd_count = kd_site(kd_count);
		hl_yield();
	}
}

static void kd_exiter(uint64_t code)
{
	hl_sys0(HL_SYS_EXIT, code);
}

struct kd_event {
	uint64_t label, mr[4], badge;
	struct hl_regs regs;
};

/* Waits (about 2 s at most, yielding) for a message on ep. */
static int kd_wait(hl_cptr_t ep, struct kd_event *e, const char *what)
{
	uint64_t end = kt_tsc() + 2 * (rt_bootinfo->tsc_hz ? rt_bootinfo->tsc_hz : 1000000000ull);
	struct hl_ipc_buffer *b = hl_ipc_buffer();

	for (;;) {
		struct hl_msg m = { 0, { 0, 0, 0, 0 } };
		struct hl_result r = hl_nbrecv(ep, ko_reply, &m);
		if (r.status == E_OK) {
			e->label = hl_msg_label(m.info);
			memcpy(e->mr, m.mr, sizeof(e->mr));
			memcpy(&e->regs, &b->mr[4], sizeof(e->regs));
			e->badge = r.value;
			return 1;
		}
		if (kt_tsc() > end) {
			kt_ok(0, "%s: an event arrives (none within 2 s)", what);
			return 0;
		}
		hl_yield();
	}
}

static int kd_expect(hl_cptr_t ep, uint64_t type, struct kd_event *e, const char *what)
{
	if (!kd_wait(ep, e, what))
		return 0;
	return kt_is(e->label, type, "%s: event type %lu", what, (unsigned long)type) &&
	       kt_is(e->mr[0], type, "%s: mr0 is the type too", what);
}

static uint64_t kd_read64(hl_cptr_t tcb, uint64_t va, int64_t *st)
{
	uint64_t a[2] = { va, 8 }, out[1] = { 0 };
	struct hl_result r = hl_invoke_out(tcb, HL_TCB_DEBUG_READ, 2, a, out, 1);

	if (st)
		*st = r.status;
	return out[0];
}

static int64_t kd_write(hl_cptr_t tcb, uint64_t va, uint64_t n, uint64_t w)
{
	return ko_call(tcb, HL_TCB_DEBUG_WRITE, 3, va, n, w, 0).status;
}

static int64_t kd_reply_regs(const struct hl_regs *regs)
{
	struct hl_msg m = { hl_msginfo(HL_FAULT_REPLY_REGS, 0, HL_REGS_WORDS), { 0, 0, 0, 0 } };
	const uint64_t *w = (const uint64_t *)regs;
	struct hl_ipc_buffer *b = hl_ipc_buffer();

	for (unsigned i = 0; i < HL_REGS_WORDS; i++) {
		if (i < 4)
			m.mr[i] = w[i];
		b->mr[i] = w[i];
	}
	return hl_reply(ko_reply, &m).status;
}

static int64_t kd_resume_event(void)
{
	struct hl_msg m = { hl_msginfo(0, 0, 0), { 0, 0, 0, 0 } };

	return hl_reply(ko_reply, &m).status;
}

static const uint64_t kd_labels[] = {
	HL_TCB_SUSPEND, HL_TCB_RESUME, HL_TCB_READ_REGISTERS, HL_TCB_WRITE_REGISTERS,
	HL_TCB_DEBUG_BIND, HL_TCB_DEBUG_READ, HL_TCB_DEBUG_WRITE, HL_TCB_DEBUG_SET_BREAK,
	HL_TCB_DEBUG_CLEAR_BREAK, HL_TCB_DEBUG_STEP,
};

/* Every debug operation through cap gives want. */
static void kd_all_refused(hl_cptr_t cap, int64_t want, const char *why)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(kd_labels) / sizeof(kd_labels[0]); i++) {
		int64_t st = ko_call(cap, kd_labels[i], 4, kd_labels[i] == HL_TCB_DEBUG_BIND ? 0 : (uint64_t)&kd_count,
				     8, 0, 8).status;
		if (st != want) {
			kt_diag("label %lu gave %ld", (unsigned long)kd_labels[i], (long)st);
			bad++;
		}
	}
	kt_is(bad, 0, "debug: all 10 operations (suspend ... step) refused %s", why);
}

static void kd_memory(hl_cptr_t dcap)
{
	uint64_t a[2] = { (uint64_t)kd_site, HL_DEBUG_MAX_BYTES }, out[HL_MSG_MAX];
	struct hl_result r;
	int64_t st;

	kt_is(kd_write(dcap, (uint64_t)&kd_count, 8, 1000), E_OK, "debug: write the target's counter");
	kt_is((int64_t)kd_read64(dcap, (uint64_t)&kd_count, &st), 1000, "debug: and read it back");
	kt_is(kd_count, 0, "debug: our own copy of the counter is untouched (another address space)");
	kd_read64(dcap, KO_SCRATCH_VA, &st);
	kt_is(st, E_FAULT, "debug: read an unmapped page: E_FAULT");
	kd_read64(dcap, 0xffff800000001000ull, &st);
	kt_is(st, E_FAULT, "debug: read a kernel address: E_FAULT");
	kt_is(kd_write(dcap, (uint64_t)&kd_rodata[0], 8, 7), E_PERM, "debug: write read-only data: E_PERM");
	kt_is((int64_t)kd_read64(dcap, (uint64_t)&kd_rodata[0], &st), (int64_t)kd_rodata[0],
	      "debug: read-only data reads and is unchanged");
	kt_is(kd_write(dcap, KO_SCRATCH_VA, 8, 7), E_FAULT, "debug: write an unmapped page: E_FAULT");
	kt_is(kd_write(dcap, (uint64_t)&kd_count, 16, 1), E_RANGE, "debug: write more bytes than the message carries: E_RANGE");
	r = hl_invoke_out(dcap, HL_TCB_DEBUG_READ, 2, a, out, HL_DEBUG_MAX_BYTES / 8);
	kt_ok(r.status == E_OK && r.value == HL_DEBUG_MAX_BYTES, "debug: read HL_DEBUG_MAX_BYTES (%d) at once",
	      HL_DEBUG_MAX_BYTES);
	kt_ok(!memcmp(out, (const void *)kd_site, HL_DEBUG_MAX_BYTES), "debug: the bytes are the target's code");
	a[1] = HL_DEBUG_MAX_BYTES + 1;
	kt_is(hl_invoke(dcap, HL_TCB_DEBUG_READ, 2, a).status, E_RANGE, "debug: read HL_DEBUG_MAX_BYTES + 1: E_RANGE");
	a[0] = RT_THREAD_BASE - 8;	/* the last bytes before the first thread area's guard */
	a[1] = 16;
	kt_ok(kd_write(dcap, (uint64_t)kd_site, 1, 0x48) == E_OK, "debug: write a code page (same byte)");
}

static void kd_registers(hl_cptr_t dcap)
{
	struct hl_regs r0, r1, r2;

	kt_is(hl_tcb_read_registers(dcap, &r0).status, E_OK, "debug: read registers");
	kt_ok(r0.rip >= (uint64_t)__image_start && r0.rip < (uint64_t)__text_end,
	      "debug: rip 0x%lx is in the target's code", (unsigned long)r0.rip);
	kt_ok(r0.rsp > RT_THREAD_BASE && r0.rsp < RT_SCRATCH, "debug: rsp is on a thread stack");
	r1 = r0;
	r1.r14 = 0x1122334455667788ull;
	r1.rbx = 0xb0b;
	r1.fs_base = 0x7000;
	r1.rflags = r0.rflags | 1;	/* CF */
	kt_is(hl_tcb_write_registers(dcap, 0, &r1).status, E_OK, "debug: write registers");
	hl_tcb_read_registers(dcap, &r2);
	kt_ok(r2.r14 == r1.r14 && r2.rbx == 0xb0b && r2.fs_base == 0x7000 && (r2.rflags & 1),
	      "debug: r14, rbx, FS base and RFLAGS.CF read back as written");
	r1.rip = 0xffff800000000000ull;
	kt_is(hl_tcb_write_registers(dcap, 0, &r1).status, E_RANGE, "debug: a kernel rip: E_RANGE");
	hl_tcb_write_registers(dcap, 0, &r0);
}

/* The breakpoint sequence; the target is suspended on entry. */
static void kd_breakpoints(hl_cptr_t dcap, hl_cptr_t dep)
{
	struct kd_event e, e2;
	int64_t st;
	uint64_t orig = kd_read64(dcap, (uint64_t)kd_site, &st) & 0xFF, c0;

	kt_is((int64_t)orig, 0x48, "debug: first byte of the breakpoint site");
	kt_is(kd_write(dcap, (uint64_t)kd_site, 1, 0xCC), E_OK, "debug: plant int3 through the memory interface");
	kt_is(hl_tcb_resume(dcap).status, E_OK, "debug: resume");
	if (!kd_expect(dep, HL_FAULT_BREAKPOINT, &e, "debug: software breakpoint"))
		return;
	kt_is(e.mr[1], (uint64_t)kd_site + 1, "debug: int3 event: rip after the int3");
	c0 = kd_read64(dcap, (uint64_t)&kd_count, NULL);
	kt_is(e.regs.rdi, c0, "debug: the event carries the registers (rdi = the counter)");
	hl_yield();
	hl_yield();
	kt_is(kt_state(dcap), HL_THREAD_BLOCKED_REPLY, "debug: the target stays stopped");
	kt_is(kd_read64(dcap, (uint64_t)&kd_count, NULL), c0, "debug: and its counter does not move");
	/* Resume over the original instruction: restore it, back up rip, step, re-plant. */
	kd_write(dcap, (uint64_t)kd_site, 1, orig);
	e.regs.rip = (uint64_t)kd_site;
	kt_is(hl_tcb_write_registers(dcap, 0, &e.regs).status, E_OK, "debug: rip back to the breakpoint");
	kt_is(ko_call(dcap, HL_TCB_DEBUG_STEP, 0, 0, 0, 0, 0).status, E_OK, "debug: single step");
	if (!kd_expect(dep, HL_FAULT_STEP, &e2, "debug: step"))
		return;
	kt_is(e2.regs.rip, (uint64_t)kd_site2, "debug: one instruction later");
	kt_is(e2.regs.rax, e2.regs.rdi, "debug: the original instruction ran (rax = rdi)");
	kt_ok(e2.mr[2] & (1u << 14), "debug: DR6.BS set in the step event (0x%lx)", (unsigned long)e2.mr[2]);
	kd_write(dcap, (uint64_t)kd_site, 1, 0xCC);
	kt_is(kd_resume_event(), E_OK, "debug: reply to the step: continue");
	if (!kd_expect(dep, HL_FAULT_BREAKPOINT, &e, "debug: breakpoint hit again"))
		return;
	kt_is(kd_read64(dcap, (uint64_t)&kd_count, NULL), c0 + 1, "debug: the loop went round once: counter + 1");
	/* A hardware breakpoint at kd_site2; resume at kd_site with rdi = 5000. */
	kd_write(dcap, (uint64_t)kd_site, 1, orig);
	kt_is(ko_call(dcap, HL_TCB_DEBUG_SET_BREAK, 4, 0, (uint64_t)kd_site2, HL_BREAK_EXEC, 1).status, E_OK,
	      "debug: hardware breakpoint in slot 0");
	e.regs.rip = (uint64_t)kd_site;
	e.regs.rdi = 5000;
	kt_is(kd_reply_regs(&e.regs), E_OK, "debug: reply with new registers (rip back, rdi 5000)");
	if (!kd_expect(dep, HL_FAULT_WATCH, &e, "debug: hardware breakpoint"))
		return;
	kt_ok(e.regs.rip == (uint64_t)kd_site2 && (e.mr[2] & 1),
	      "debug: stopped before kd_site2, DR6.B0 set (rip 0x%lx dr6 0x%lx)", (unsigned long)e.regs.rip,
	      (unsigned long)e.mr[2]);
	kt_is(e.regs.rax, 5000, "debug: the register write took effect (rax 5000)");
	kt_is(kd_resume_event(), E_OK, "debug: continue from the hardware breakpoint");
	if (kd_expect(dep, HL_FAULT_WATCH, &e, "debug: hardware breakpoint, next round")) {
		kt_is(e.regs.rax, 5001, "debug: resumed past the breakpoint (next round rax 5001, not a re-trigger)");
	}
	ko_call(dcap, HL_TCB_DEBUG_CLEAR_BREAK, 1, 0, 0, 0, 0);
	kt_is(ko_call(dcap, HL_TCB_DEBUG_SET_BREAK, 4, 1, (uint64_t)&kd_count, HL_BREAK_WRITE, 8).status, E_OK,
	      "debug: watchpoint on the counter (slot 1, write, 8 bytes)");
	c0 = e.regs.rax + 1;	/* what the target stores next */
	kd_resume_event();
	if (kd_expect(dep, HL_FAULT_WATCH, &e, "debug: watchpoint")) {
		kt_ok(e.mr[2] & 2, "debug: DR6.B1 names slot 1 (0x%lx)", (unsigned long)e.mr[2]);
		kt_is(kd_read64(dcap, (uint64_t)&kd_count, NULL), c0, "debug: stopped just after the write");
	}
	ko_call(dcap, HL_TCB_DEBUG_CLEAR_BREAK, 1, 1, 0, 0, 0);
	kt_is(ko_call(dcap, HL_TCB_DEBUG_SET_BREAK, 4, 4, (uint64_t)&kd_count, HL_BREAK_WRITE, 8).status, E_RANGE,
	      "debug: breakpoint slot 4: E_RANGE");
	kt_is(ko_call(dcap, HL_TCB_DEBUG_SET_BREAK, 4, 1, (uint64_t)&kd_count, 2, 8).status, E_INVAL,
	      "debug: breakpoint kind 2 (I/O): E_INVAL");
	kt_is(ko_call(dcap, HL_TCB_DEBUG_SET_BREAK, 4, 1, (uint64_t)&kd_count + 4, HL_BREAK_WRITE, 8).status,
	      E_RANGE, "debug: misaligned watchpoint: E_RANGE");
	kt_is(ko_call(dcap, HL_TCB_DEBUG_SET_BREAK, 4, 1, (uint64_t)&kd_count, HL_BREAK_ACCESS, 3).status,
	      E_RANGE, "debug: watchpoint of 3 bytes: E_RANGE");
	kd_resume_event();
}

/* Revoke while the target is stopped in a step event: the debugger's cap
 * is gone, the target goes on, the endpoint hears nothing more. */
static void kd_revoke(hl_cptr_t tcb, hl_cptr_t dcap, hl_cptr_t dep)
{
	struct kd_event e;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	uint64_t c0;

	hl_tcb_suspend(dcap);
	ko_call(dcap, HL_TCB_DEBUG_STEP, 0, 0, 0, 0, 0);
	if (!kd_expect(dep, HL_FAULT_STEP, &e, "debug: step before revoke"))
		return;
	kt_is(kt_state(tcb), HL_THREAD_BLOCKED_REPLY, "debug: the target waits for the debugger");
	c0 = kd_read64(tcb, (uint64_t)&kd_count, NULL);
	/* A breakpoint the debugger leaves behind must not stop the target after revoke. */
	ko_call(dcap, HL_TCB_DEBUG_SET_BREAK, 4, 2, (uint64_t)kd_site2, HL_BREAK_EXEC, 1);
	kt_is(hl_cnode_revoke(CN, tcb, D).status, E_OK, "debug: revoke the TCB caps derived from ours");
	kd_all_refused(dcap, E_NOCAP, "after revoke (E_NOCAP)");
	for (int i = 0; i < 5; i++)
		hl_yield();
	kt_ok(kd_read64(tcb, (uint64_t)&kd_count, NULL) > c0 + 1,
	      "debug: the target runs on by itself (the revoked debugger's breakpoint is gone)");
	if (kt_state(tcb) == HL_THREAD_INACTIVE) {
		/* It stopped at the leftover breakpoint: clear it and let it go. */
		ko_call(tcb, HL_TCB_DEBUG_CLEAR_BREAK, 1, 2, 0, 0, 0);
		hl_tcb_resume(tcb);
	}
	kt_is(hl_nbrecv(dep, ko_reply, &m).status, E_AGAIN, "debug: no event is pending for the old debugger");
}

static void kd_fault_exit(hl_cptr_t tcb, hl_cptr_t dep)
{
	hl_cptr_t d2 = kt_mint(tcb, HL_R_DEBUG, 0);
	struct hl_regs r;
	struct kd_event e;

	if (!d2)
		return;
	kt_is(ko_call(d2, HL_TCB_DEBUG_BIND, 1, dep, 0, 0, 0).status, E_OK, "debug: bind again through a debug-only cap");
	hl_tcb_suspend(d2);
	hl_tcb_read_registers(d2, &r);
	r.rip = (uint64_t)kd_crash;
	hl_tcb_write_registers(d2, 1, &r);
	if (kd_expect(dep, HL_FAULT_PAGE, &e, "debug: fault event"))
		kt_is(e.mr[1], 0x58000000, "debug: a page fault goes to the debugger (no fault endpoint)");
	r.rip = (uint64_t)kd_exit;
	kt_is(kd_reply_regs(&r), E_OK, "debug: resume at an exit call");
	if (kd_expect(dep, HL_FAULT_EXIT, &e, "debug: exit event"))
		kt_is(e.mr[1], 42, "debug: exit event carries the exit code");
	kd_resume_event();
	hl_yield();
	kt_is(kt_state(tcb), HL_THREAD_INACTIVE, "debug: an exited thread stays stopped after the reply");
	slot_free(d2);
}

/* HL_SYS_EXIT without a debugger: the fault endpoint hears it. */
static void kd_exit_to_handler(hl_cptr_t ep)
{
	hl_cptr_t fep = kt_mint(ep, HL_R_ALL, 0xE);
	struct kt_thread t;
	struct kd_event e;

	if (!fep || !kt_spawn(&t, NULL, kd_exiter, 7, KT_ROOT_PRIO, fep))
		goto out;
	if (kd_expect(ep, HL_FAULT_EXIT, &e, "exit: fault endpoint")) {
		kt_is(e.mr[1], 7, "exit: HL_FAULT_EXIT carries the code");
		kt_is(e.badge, 0xE, "exit: with the fault endpoint's badge");
	}
	kd_resume_event();
	hl_yield();
	kt_is(kt_state(t.rt.tcb), HL_THREAD_INACTIVE, "exit: the thread stays exited");
	kt_kill(&t);
out:
	slot_free(fep);
}

void ko_area_debug(void)
{
	hl_cptr_t dep = kt_new(HL_OBJ_ENDPOINT, 0, "a debug endpoint"), dcap = 0, nodbg = 0, ro = 0;
	struct rt_space sp;
	struct kt_thread t;
	int64_t st;
	uint64_t c1;

	kt_is(rt_space_create(&sp), E_OK, "debug: make the target's address space");
	if (!dep || !kt_spawn(&t, &sp, kd_target, 0, KT_ROOT_PRIO, 0))
		goto out;
	dcap = kt_mint(t.rt.tcb, HL_R_ALL, 0);
	nodbg = kt_mint(t.rt.tcb, HL_R_ALL & ~HL_R_DEBUG, 0);
	ro = kt_mint(dep, HL_R_READ, 0);
	for (int i = 0; i < 5; i++)
		hl_yield();
	kt_ok(kd_read64(dcap, (uint64_t)&kd_count, &st) > 0 && st == E_OK, "debug: the target is counting");
	kd_all_refused(nodbg, E_PERM, "without the debug right (E_PERM)");
	kt_is(ko_call(dcap, HL_TCB_DEBUG_BIND, 1, HL_CAP_CONSOLE, 0, 0, 0).status, E_TYPE,
	      "debug: bind the Console as debug endpoint: E_TYPE");
	kt_is(ko_call(dcap, HL_TCB_DEBUG_BIND, 1, ro, 0, 0, 0).status, E_PERM,
	      "debug: bind an endpoint cap without write right: E_PERM");
	kt_is(ko_call(dcap, HL_TCB_DEBUG_BIND, 1, dep, 0, 0, 0).status, E_OK, "debug: bind the debug endpoint");
	kt_is(hl_tcb_suspend(dcap).status, E_OK, "debug: suspend the target");
	kt_is(kt_state(dcap), HL_THREAD_INACTIVE, "debug: it is inactive");
	c1 = kd_read64(dcap, (uint64_t)&kd_count, NULL);
	for (int i = 0; i < 5; i++)
		hl_yield();
	kt_is(kd_read64(dcap, (uint64_t)&kd_count, NULL), c1, "debug: a suspended target does not count");
	kd_registers(dcap);
	kd_memory(dcap);
	kd_breakpoints(dcap, dep);
	kd_revoke(t.rt.tcb, dcap, dep);
	kd_fault_exit(t.rt.tcb, dep);
	kt_kill(&t);
	kd_exit_to_handler(dep);
out:
	slot_free(ro);
	slot_free(nodbg);
	slot_free(dcap);
	rt_space_destroy(&sp);
	kt_del(dep);
}
