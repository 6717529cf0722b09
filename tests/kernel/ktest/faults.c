/*
 * faults.c: fault delivery to a thread's fault endpoint and resumption:
 * a page fault repaired by mapping a frame, a write to a read-only page,
 * #GP, #UD, #DE and int3 each skipped by replying with new registers,
 * a thread without a fault endpoint that faults being suspended, and two
 * that real CPUs treat differently from QEMU's TCG: an x87 error (#MF,
 * which needs CR0.NE) and a syscall in the last bytes of user space (whose
 * sysretq would #GP in ring 0 on Intel CPUs).
 */
#include "kt.h"

#define FT_PAGE 0x58000000ull	/* unmapped until the handler maps it */

static volatile uint64_t ft_seen;

/* The faulting instructions, with labels so the handler can check rip
 * and skip them (hlt: 1 byte, ud2: 2, div %rcx: 3, int3: 1, inb: 2). */
__asm__(".text\n"
	"ft_do_hlt: hlt\n ret\n"
	"ft_do_ud2: ud2\n ret\n"
	"ft_do_div: xor %ecx, %ecx\n xor %eax, %eax\n xor %edx, %edx\n"
	"ft_div_insn: div %rcx\n ret\n"
	"ft_do_int3: int3\n ret\n"
	"ft_do_inb: mov $0x71, %dx\n"
	"ft_inb_insn: inb %dx, %al\n ret\n");
void ft_do_hlt(void), ft_do_ud2(void), ft_do_div(void), ft_do_int3(void), ft_do_inb(void);
extern char ft_div_insn[], ft_inb_insn[];

/* 1/0 with the zero-divide exception unmasked (control word 0x37B): the
 * error is raised at the next waiting instruction, the fwait (1 byte). */
__asm__(".text\n"
	"ft_do_x87: push $0x37B\n fldcw (%rsp)\n fld1\n fldz\n fdivrp\n"
	"ft_x87_wait: fwait\n fnclex\n fninit\n pop %rax\n ret\n"
	/* rax = the syscall number, rsi = where the syscall instruction is;
	 * the return from the fault handler comes back to ft_top_back. */
	"ft_top_jump: mov %rdi, %rax\n jmp *%rsi\n"
	"ft_top_back: ret\n");
void ft_do_x87(void), ft_top_jump(uint64_t number, uint64_t where);
extern char ft_x87_wait[], ft_top_back[];

/* A far return to the GDT slot below user code (selector 0x1B), which
 * sysret's layout needs but nothing runs in: it must not be a 32-bit code
 * segment (in compatibility mode, syscall enters ring 0 at CSTAR). */
__asm__(".text\n"
	"ft_do_compat: push $0x1B\n lea ft_compat_code(%rip), %rax\n push %rax\n"
	"ft_compat_far: lretq\n"
	"ft_compat_code: syscall\n ud2\n"
	"ft_compat_back: add $16, %rsp\n ret\n");
void ft_do_compat(void);
extern char ft_compat_far[], ft_compat_back[];

/* A push, run with the non-canonical stack pointer a handler gave it. */
__asm__(".text\n"
	"ft_do_push: push %rax\n pop %rax\n ret\n");
void ft_do_push(void);

#define FT_TOP_PAGE 0x7FFFFFFFF000ull		/* the last page of user space */
#define FT_TOP_SYSCALL (FT_TOP_PAGE + 0xFFE)	/* returns to 0x800000000000 */

static void ft_touch(uint64_t arg)
{
	ft_seen = *(volatile uint64_t *)arg;
	*(volatile uint64_t *)arg = 2;
}

static void ft_call(uint64_t arg)
{
	((void (*)(void))arg)();
	ft_seen = 0x600D;
}

/* Receives one fault message on ep into *m and the registers it carries
 * into *regs (first: printing uses the IPC buffer too). */
static struct hl_result ft_take(hl_cptr_t ep, struct hl_msg *m, struct hl_regs *regs)
{
	struct hl_result r = hl_recv(ep, kt_reply, m);
	uint64_t *w = (uint64_t *)regs;

	for (unsigned i = 0; i < HL_REGS_WORDS; i++)
		w[i] = hl_ipc_buffer()->mr[4 + i];
	return r;
}

/* Receives one fault message on ep: checks its type and badge, returns the
 * registers in *regs and mr0-mr3 (type, address, error code, vector) in mr. */
static int ft_recv(hl_cptr_t ep, uint64_t type, struct hl_regs *regs, uint64_t mr[4], const char *what)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r = ft_take(ep, &m, regs);

	kt_is(r.status, E_OK, "%s: fault message received", what);
	kt_is(hl_msg_label(m.info), type, "%s: label is the fault type", what);
	kt_is(m.mr[0], type, "%s: mr0 is the fault type", what);
	kt_is(r.value, 0xFA, "%s: badge of the fault endpoint cap", what);
	kt_ok(hl_msg_length(m.info) >= HL_FAULT_MSG_WORDS, "%s: message carries the registers", what);
	for (unsigned i = 0; i < 4; i++)
		mr[i] = m.mr[i];
	return r.status == E_OK;
}

/* The thread ran until it blocked or ended: has it a fault waiting on the
 * endpoint? (A fault that does not come fails here instead of hanging.) */
static int ft_faulted(struct kt_thread *t, const char *what)
{
	kt_settle();
	return kt_is(kt_state(t->rt.tcb), HL_THREAD_BLOCKED_SEND, "%s: the thread faulted", what);
}

/* Resumes the faulted thread at rip + skip through HL_FAULT_REPLY_REGS. */
static void ft_skip(struct hl_regs *regs, uint64_t skip)
{
	struct hl_msg m = { hl_msginfo(HL_FAULT_REPLY_REGS, 0, HL_REGS_WORDS), { 0, 0, 0, 0 } };
	uint64_t *w = (uint64_t *)regs;
	struct hl_ipc_buffer *b = hl_ipc_buffer();

	regs->rip += skip;
	for (unsigned i = 0; i < HL_REGS_WORDS; i++) {
		if (i < 4)
			m.mr[i] = w[i];
		else
			b->mr[i] = w[i];
	}
	kt_is(hl_reply(kt_reply, &m).status, E_OK, "reply with new registers");
}

static void ft_page(hl_cptr_t fep)
{
	hl_cptr_t f = kt_new(HL_OBJ_FRAME, 0, "a frame"), ro = 0;
	struct vm_tables tabs = { .n = 0 };
	struct hl_msg m = { hl_msginfo(0, 0, 0), { 0, 0, 0, 0 } };
	struct hl_regs regs;
	struct kt_thread t;
	uint64_t mr[4] = { 0 };

	ft_seen = 0;
	if (!f || !kt_spawn(&t, NULL, ft_touch, FT_PAGE + 8, KT_ROOT_PRIO - 1, fep))
		goto out;
	if (ft_recv(fep, HL_FAULT_PAGE, &regs, mr, "page fault")) {
		kt_is(mr[1], FT_PAGE + 8, "page fault: mr1 is the faulting address");
		kt_is(kt_state(t.rt.tcb), HL_THREAD_BLOCKED_REPLY, "the faulted thread waits for the handler");
		/* Fill the page through a writable mapping, then leave it read-only. */
		kt_is(vm_map_tables(f, HL_CAP_VSPACE, FT_PAGE, HL_R_READ | HL_R_WRITE, 0, &tabs),
		      E_OK, "handler maps a frame there");
		*(volatile uint64_t *)(FT_PAGE + 8) = 1;
		hl_frame_unmap(f);
		ro = kt_mint(f, HL_R_READ, 0);
		kt_is(hl_frame_map(ro, HL_CAP_VSPACE, FT_PAGE, HL_R_READ, 0).status, E_OK,
		      "and maps it again read-only");
		kt_is(hl_reply(kt_reply, &m).status, E_OK, "reply with length 0 resumes the thread");
	}
	/* The retried read succeeds; the write after it faults again. */
	if (ft_recv(fep, HL_FAULT_PAGE, &regs, mr, "write to a read-only page")) {
		kt_is(mr[1], FT_PAGE + 8, "write fault: same address");
		kt_ok(regs.rip != 0, "write fault: registers carried (rip 0x%lx)", (unsigned long)regs.rip);
		kt_is(hl_frame_unmap(ro).status, E_OK, "handler unmaps the read-only mapping");
		kt_is(hl_frame_map(f, HL_CAP_VSPACE, FT_PAGE, HL_R_READ | HL_R_WRITE, 0).status, E_OK,
		      "and maps the frame writable");
		kt_is(hl_reply(kt_reply, &m).status, E_OK, "resume");
	}
	kt_ok(kt_join(&t, 3), "the thread finished after two repaired faults");
	kt_is(ft_seen, 1, "it read what the handler wrote");
	kt_is(*(volatile uint64_t *)(FT_PAGE + 8), 2, "and its write landed");
	kt_kill(&t);
	hl_frame_unmap(f);
out:
	vm_tables_free(&tabs);
	slot_free(ro);
	kt_del(f);
}

/* Runs fn in a thread, expects one fault of type (vector, error code) at
 * rip, and resumes the thread skip bytes further on. */
static void ft_exception(hl_cptr_t fep, void (*fn)(void), uint64_t type, uint64_t vector, uint64_t error,
			 uint64_t rip, uint64_t skip, const char *what)
{
	struct hl_regs regs;
	struct kt_thread t;
	uint64_t mr[4];

	ft_seen = 0;
	if (!kt_spawn(&t, NULL, ft_call, (uint64_t)fn, KT_ROOT_PRIO - 1, fep))
		return;
	if (ft_faulted(&t, what) && ft_recv(fep, type, &regs, mr, what)) {
		kt_is(regs.rip, rip, "%s: rip is the faulting instruction", what);
		if (type != HL_FAULT_BREAKPOINT)
			kt_is(mr[1], rip, "%s: mr1 is the rip", what);
		kt_is(mr[2], error, "%s: mr2 is the error code", what);
		kt_is(mr[3], vector, "%s: mr3 is the vector", what);
		ft_skip(&regs, skip);
	}
	kt_ok(kt_join(&t, 3), "%s: the thread resumed past it and finished", what);
	kt_is(ft_seen, 0x600D, "%s: and ran to its end", what);
	kt_kill(&t);
}

static void ft_top_call(uint64_t number)
{
	ft_top_jump(number, FT_TOP_SYSCALL);
	ft_seen = 0x600D;
}

/* A syscall whose return address is not canonical (fast and slow path).
 * Resumed unchanged, the thread cannot go back there: it faults at 0. */
static void ft_top_syscall(hl_cptr_t fep, uint64_t number, int resume_unchanged, const char *what)
{
	struct hl_msg none = { hl_msginfo(0, 0, 0), { 0, 0, 0, 0 } };
	struct hl_regs regs;
	struct kt_thread t;
	uint64_t mr[4] = { 0 };

	ft_seen = 0;
	if (!kt_spawn(&t, NULL, ft_top_call, number, KT_ROOT_PRIO - 1, fep))
		return;
	if (ft_faulted(&t, what) && ft_recv(fep, HL_FAULT_GP, &regs, mr, what)) {
		kt_is(regs.rip, 0x800000000000ll, "%s: rip is the first non-canonical address", what);
		kt_is(mr[1], 0x800000000000ll, "%s: mr1 is that rip", what);
		kt_is(regs.rax, number, "%s: the call was not made (rax is still its number)", what);
		if (resume_unchanged && kt_is(hl_reply(kt_reply, &none).status, E_OK,
					      "%s: reply with length 0 (resume unchanged)", what) &&
		    ft_recv(fep, HL_FAULT_PAGE, &regs, mr, what)) {
			kt_is(regs.rip, 0, "%s: resumed unchanged, it faults at rip 0", what);
			kt_is(mr[1], 0, "%s: fetching address 0", what);
		}
		regs.rip = (uint64_t)ft_top_back;
		ft_skip(&regs, 0);
	}
	kt_ok(kt_join(&t, 3), "%s: the thread resumed where the handler said and finished", what);
	kt_is(ft_seen, 0x600D, "%s: and ran to its end", what);
	kt_kill(&t);
}

static void ft_top(hl_cptr_t fep)
{
	hl_cptr_t f = kt_new(HL_OBJ_FRAME, 0, "a frame for the top of user space");
	struct vm_tables tabs = { .n = 0 };

	if (f && kt_is(vm_map_tables(f, HL_CAP_VSPACE, FT_TOP_PAGE, HL_R_READ | HL_R_WRITE, HL_MAP_EXEC,
				     &tabs), E_OK, "map an executable page at the top of user space")) {
		volatile uint8_t *code = (volatile uint8_t *)FT_TOP_SYSCALL;
		code[0] = 0x0F;		/* syscall */
		code[1] = 0x05;
		ft_top_syscall(fep, HL_SYS_NULL, 0, "null syscall at the top of user space");
		ft_top_syscall(fep, HL_SYS_YIELD, 1, "yield at the top of user space");
		hl_frame_unmap(f);
	}
	vm_tables_free(&tabs);
	kt_del(f);
}

/* A handler may give a thread any rsp; one that is not canonical must make
 * the thread fault in user mode (iretq takes it), not the kernel. */
static void ft_bad_rsp(hl_cptr_t fep)
{
	const char *what = "resume with rsp 0x900000000000";
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_regs regs, saved;
	struct kt_thread t;
	uint64_t mr[4];

	ft_seen = 0;
	if (!kt_spawn(&t, NULL, ft_call, (uint64_t)ft_do_ud2, KT_ROOT_PRIO - 1, fep))
		return;
	if (ft_recv(fep, HL_FAULT_UD, &saved, mr, what)) {
		regs = saved;
		regs.rsp = 0x900000000000ull;
		regs.rip = (uint64_t)ft_do_push;
		ft_skip(&regs, 0);
		kt_is(ft_take(fep, &m, &regs).status, E_OK, "%s: the push faulted", what);
		/* #SS on a real CPU; QEMU's TCG raises #GP for any non-canonical access. */
		kt_ok((m.mr[0] == HL_FAULT_OTHER && m.mr[3] == 12) || m.mr[0] == HL_FAULT_GP,
		      "%s: as #SS or #GP (type %lu, vector %lu)", what, (unsigned long)m.mr[0],
		      (unsigned long)m.mr[3]);
		kt_is(regs.rip, (uint64_t)ft_do_push, "%s: at the push", what);
		kt_is(regs.rsp, 0x900000000000ll, "%s: with that rsp", what);
		ft_skip(&saved, 2);
	}
	kt_ok(kt_join(&t, 3), "%s: the thread resumed and finished", what);
	kt_is(ft_seen, 0x600D, "%s: and ran to its end", what);
	kt_kill(&t);
}

static void ft_no_handler(void)
{
	struct kt_thread t;

	ft_seen = 0;
	if (!kt_spawn(&t, NULL, ft_call, (uint64_t)ft_do_ud2, KT_ROOT_PRIO + 1, 0))
		return;
	kt_is(kt_state(t.rt.tcb), HL_THREAD_INACTIVE, "a fault without a fault endpoint suspends the thread");
	kt_is(ft_seen, 0, "it did not go on");
	kt_kill(&t);
}

void kt_area_faults(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "a fault endpoint");
	hl_cptr_t fep = ep ? kt_mint(ep, HL_R_ALL, 0xFA) : 0;

	if (fep) {
		ft_page(fep);
		ft_exception(fep, ft_do_hlt, HL_FAULT_GP, 13, 0, (uint64_t)ft_do_hlt, 1, "#GP (hlt)");
		ft_exception(fep, ft_do_ud2, HL_FAULT_UD, 6, 0, (uint64_t)ft_do_ud2, 2, "#UD (ud2)");
		ft_exception(fep, ft_do_div, HL_FAULT_DE, 0, 0, (uint64_t)ft_div_insn, 3, "#DE (div by 0)");
		ft_exception(fep, ft_do_int3, HL_FAULT_BREAKPOINT, 3, 0, (uint64_t)ft_do_int3 + 1, 0,
			     "#BP (int3)");
		ft_exception(fep, ft_do_inb, HL_FAULT_GP, 13, 0, (uint64_t)ft_inb_insn, 1,
			     "port 0x71 read without an IOPort cap (#GP)");
		ft_exception(fep, ft_do_x87, HL_FAULT_OTHER, 16, 0, (uint64_t)ft_x87_wait, 1,
			     "#MF (x87 divide by zero, unmasked)");
		/* The handler resumes it at ft_compat_back, which drops the far pointer. */
		ft_exception(fep, ft_do_compat, HL_FAULT_GP, 13, 0x18, (uint64_t)ft_compat_far,
			     (uint64_t)(ft_compat_back - ft_compat_far), "far return to selector 0x1B");
		ft_top(fep);
		ft_bad_rsp(fep);
		ft_no_handler();
	}
	slot_free(fep);
	kt_del(ep);
}
