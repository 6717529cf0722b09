/*
 * user.c: the machine side of running user threads: syscall MSRs, the
 * per-CPU block behind GS, the FPU hand-over, address-space switches and
 * port I/O on behalf of IOPort caps.
 */
#include "cpu.h"
#include "gdt.h"
#include "layout.h"
#include "paging.h"
#include "../../arch.h"
#include "../../kernel.h"
#include "../../tcb.h"
#include "../../sched.h"
#include "../../stats.h"
#include "../../trace.h"

struct cpu {
	uint64_t user_rsp;		/* [0] scratch for syscall_entry */
	uint64_t kstack_top;		/* [8] */
	struct user_context *ctx;	/* [16] where syscall_entry saves registers */
	struct tcb *fpu_owner;		/* whose state the FPU registers hold */
	uint64_t fs_base;		/* FS base loaded in the MSR */
	uint64_t cr3;
	uint64_t last_thread;		/* id of the thread that ran last */
	struct tcb *dr_owner;		/* whose breakpoints the debug registers hold */
	bool dr_live;			/* some DR7 enable bit is set */
};

static struct cpu cpu0;
static uint8_t fpu_initial[512] __attribute__((aligned(16)));
extern char boot_stack_top[];
extern void syscall_entry(void);
extern __attribute__((noreturn)) void user_return(struct user_context *ctx);

#define RFLAGS_TF 0x100
#define RFLAGS_DF 0x400
#define RFLAGS_IF 0x200
#define RFLAGS_AC 0x40000
#define RFLAGS_NT 0x4000

void arch_user_init(void)
{
	cpu0.kstack_top = (uint64_t)boot_stack_top;
	cpu0.cr3 = read_cr3();
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS, 0);
	wrmsr(MSR_STAR, ((uint64_t)(SEG_UCODE32 | 3) << 48) | ((uint64_t)SEG_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_TF | RFLAGS_DF | RFLAGS_IF | RFLAGS_AC | RFLAGS_NT);
	gdt_set_kernel_stack(cpu0.kstack_top);
	/* The FPU state every thread starts from. */
	__asm__ volatile("clts; fninit; fxsave %0" : "=m"(fpu_initial));
	uint32_t mxcsr = 0x1F80;
	__builtin_memcpy(&fpu_initial[24], &mxcsr, 4);
}

uint64_t arch_kernel_stack_top(void)
{
	return cpu0.kstack_top;
}

/* Loads a page-table root; every CR3 write goes through here so the cache holds. */
void arch_set_root(uint64_t cr3)
{
	write_cr3(cr3);
	cpu0.cr3 = cr3;
}

uint64_t arch_current_root(void)
{
	return cpu0.cr3;
}

void arch_fpu_forget(struct tcb *t)
{
	if (cpu0.fpu_owner == t)
		cpu0.fpu_owner = NULL;
	if (cpu0.dr_owner == t)
		cpu0.dr_owner = NULL;
}

/* Hardware breakpoints: loaded only for threads that have some, cleared after. */
static void debug_regs_switch(struct tcb *t)
{
	if (!t->dr7 && !cpu0.dr_live)
		return;
	if (!t->dr7) {
		__asm__ volatile("mov %0, %%dr7" : : "r"(0ULL));
		cpu0.dr_live = false;
		cpu0.dr_owner = NULL;
		return;
	}
	__asm__ volatile("mov %0, %%dr7" : : "r"(0ULL));
	__asm__ volatile("mov %0, %%dr0" : : "r"(t->dr[0]));
	__asm__ volatile("mov %0, %%dr1" : : "r"(t->dr[1]));
	__asm__ volatile("mov %0, %%dr2" : : "r"(t->dr[2]));
	__asm__ volatile("mov %0, %%dr3" : : "r"(t->dr[3]));
	__asm__ volatile("mov %0, %%dr7" : : "r"(t->dr7));
	cpu0.dr_live = true;
	cpu0.dr_owner = t;
}

uint64_t arch_read_dr6(void)
{
	uint64_t v;

	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	__asm__ volatile("mov %0, %%dr6" : : "r"(0xFFFF0FF0ULL));
	return v;
}

static void fpu_switch(struct tcb *t)
{
	if (cpu0.fpu_owner == t)
		return;
	if (cpu0.fpu_owner)
		__asm__ volatile("fxsave %0" : "=m"(cpu0.fpu_owner->fpu));
	if (!t->fpu_valid) {
		__builtin_memcpy(t->fpu, fpu_initial, sizeof(fpu_initial));
		t->fpu_valid = 1;
	}
	__asm__ volatile("fxrstor %0" : : "m"(t->fpu));
	cpu0.fpu_owner = t;
}

/* A switch with some probe on: trace it, then return to t. Out of line
 * and noreturn, so that the plain return path keeps no register for it. */
static __attribute__((noinline, noreturn)) void enter_after_switch_traced(struct tcb *t)
{
	STAT(context_switches)++;
	TRACE(SCHED_SWITCH, NULL, cpu0.last_thread, t->id, sched_reason);
	cpu0.last_thread = t->id;
	cpu0.ctx = &t->ctx;
	user_return(&t->ctx);
}

/* Loads t's address space, FS base and FPU state, then returns to it. */
void arch_enter_user(struct tcb *t)
{
	uint64_t cr3 = t->slots[TCB_VSPACE].obj - DIRECT_MAP;

	if (cr3 != cpu0.cr3)
		arch_set_root(cr3);
	if (t->ctx.fs_base != cpu0.fs_base) {
		wrmsr(MSR_FS_BASE, t->ctx.fs_base);
		cpu0.fs_base = t->ctx.fs_base;
	}
	fpu_switch(t);
	debug_regs_switch(t);

	if (t->resume_rf) {		/* past an instruction breakpoint: iretq restores RF */
		t->ctx.rflags |= 0x10000;
		t->ctx.full = 1;
		t->resume_rf = 0;
	}
	if (t->ctx.rflags & 0x100)
		t->ctx.full = 1;	/* single step: sysret would trap in the wrong place */
	/* iretq to a non-canonical rip faults in ring 0. A fault can leave one
	 * in the context (a thread that ran off the top of user space, or that
	 * syscall_entry_c refused): resumed unchanged, such a thread gets rip 0. */
	if (t->ctx.rip >= USER_TOP) {
		t->ctx.rip = 0;
		t->ctx.full = 1;
	}
	if (t->id != cpu0.last_thread) {
		if (trace_some_on())
			enter_after_switch_traced(t);
		STAT(context_switches)++;
		cpu0.last_thread = t->id;
	}
	cpu0.ctx = &t->ctx;
	user_return(&t->ctx);
}

/* Returns to the thread that just entered the kernel, nothing else changed. */
void arch_return_same(struct tcb *t)
{
	if (t->ctx.rflags & 0x100)
		t->ctx.full = 1;	/* single step: sysret would trap in the wrong place */
	user_return(&t->ctx);
}

uint32_t arch_port_access(uint16_t port, unsigned width, bool out, uint32_t value)
{
	if (out) {
		if (width == 1) outb(port, (uint8_t)value);
		else if (width == 2) outw(port, (uint16_t)value);
		else outl(port, value);
		return 0;
	}
	return width == 1 ? inb(port) : width == 2 ? inw(port) : inl(port);
}
