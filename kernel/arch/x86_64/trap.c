/*
 * trap.c: what happens on each vector. Kernel-mode exceptions are kernel
 * bugs: they print a full dump (vector name, error code, CR2, registers,
 * symbolized backtrace) and panic. Interrupts go to their handlers.
 */
#include "cpu.h"
#include "layout.h"
#include "trap.h"
#include "../../arch.h"
#include "../../kernel.h"
#include "../../irq.h"
#include "../../kexit.h"
#include "../../debug.h"
#include "../../sched.h"

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS", "#NP segment not present",
	"#SS stack-segment fault", "#GP general protection", "#PF page fault", "reserved (15)",
	"#MF x87 floating-point", "#AC alignment check", "#MC machine check", "#XM SIMD floating-point",
	"#VE virtualization", "#CP control protection", "reserved (22)", "reserved (23)",
	"reserved (24)", "reserved (25)", "reserved (26)", "reserved (27)",
	"#HV hypervisor injection", "#VC VMM communication", "#SX security", "reserved (31)",
};

static void dump_page_fault_error(uint64_t e)
{
	kprintf(" (%s, %s, %s%s%s)", e & 1 ? "protection violation" : "not present",
		e & 2 ? "write" : "read", e & 4 ? "user" : "kernel",
		e & 8 ? ", reserved bit" : "", e & 16 ? ", instruction fetch" : "");
}

/*
 * gcc gives leaf functions no frame even with -fno-omit-frame-pointer, so
 * a fault there leaves the caller's return address only at [rsp]. It is
 * taken as a frame when the instruction before it is a direct call to the
 * faulting function: no guessing from stray stack words.
 */
static bool leaf_return_address(const struct trap_frame *f, uint64_t *ret)
{
	uint64_t off;

	if (!ksym_lookup(f->rip, &off) || f->rsp < KERNEL_BASE || (f->rsp & 7))
		return false;
	uint64_t r = *(const uint64_t *)f->rsp;
	if (!ksym_lookup(r - 1, NULL) || *(const uint8_t *)(r - 5) != 0xE8)
		return false;
	int32_t rel;
	__builtin_memcpy(&rel, (const void *)(r - 4), 4);
	if (r + (uint64_t)(int64_t)rel != f->rip - off)
		return false;
	*ret = r;
	return true;
}

static void dump_backtrace(const struct trap_frame *f)
{
	uint64_t ret;
	unsigned n = 1;

	kprintf("backtrace:\n");
	ksym_print_frame(0, f->rip, false);
	if (leaf_return_address(f, &ret))
		ksym_print_frame(n++, ret, true);
	ksym_print_chain(n, f->rbp);
}

void trap_dump(const struct trap_frame *f)
{
	uint64_t off;
	const char *fn = ksym_lookup(f->rip, &off);

	kprintf("\nEXCEPTION %lu: %s\n", f->vector,
		f->vector < 32 ? exception_names[f->vector] : "interrupt");
	kprintf("  error code 0x%lx", f->error);
	if (f->vector == VEC_PF)
		dump_page_fault_error(f->error);
	kprintf("\n");
	if (f->vector == VEC_PF)
		kprintf("  cr2 0x%016lx (faulting address)\n", read_cr2());
	kprintf("  rip 0x%016lx %s+0x%lx  cs 0x%lx  rflags 0x%lx\n", f->rip,
		fn ? fn : "?", fn ? off : 0, f->cs, f->rflags);
	kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  rsp %016lx\n", f->rsi, f->rdi, f->rbp, f->rsp);
	kprintf("  r8  %016lx  r9  %016lx  r10 %016lx  r11 %016lx\n", f->r8, f->r9, f->r10, f->r11);
	kprintf("  r12 %016lx  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r12, f->r13, f->r14, f->r15);
	kprintf("  ss 0x%lx  cr0 0x%lx  cr3 0x%lx  cr4 0x%lx\n", f->ss, read_cr0(), read_cr3(), read_cr4());
	dump_backtrace(f);
}

/* Copies the interrupted user registers into the current thread. */
static void save_user(const struct trap_frame *f)
{
	struct user_context *c = &current->ctx;

	c->rax = f->rax; c->rbx = f->rbx; c->rcx = f->rcx; c->rdx = f->rdx;
	c->rsi = f->rsi; c->rdi = f->rdi; c->rbp = f->rbp;
	c->r8 = f->r8; c->r9 = f->r9; c->r10 = f->r10; c->r11 = f->r11;
	c->r12 = f->r12; c->r13 = f->r13; c->r14 = f->r14; c->r15 = f->r15;
	c->rip = f->rip; c->rsp = f->rsp; c->rflags = f->rflags;
	c->full = 1;
}

/* A trap from user mode, its registers saved in the thread: never returns. */
static __attribute__((noreturn)) void user_trap(uint64_t vector, uint64_t error, uint64_t cr2)
{
	if (vector == VEC_DB)
		debug_exception(arch_read_dr6());
	if (vector < 32)
		user_exception(vector, error, cr2);
	irq_dispatch(vector);
	kernel_exit();
}

void trap_dispatch(struct trap_frame *f)
{
	if ((f->cs & 3) && current) {
		save_user(f);
		/* Leave the entry stack, which may be an IST one that the next NMI
		 * or #DB would reuse, for the kernel stack: the frame is not needed. */
		arch_call_on_stack(arch_kernel_stack_top(), user_trap, f->vector, f->error,
				   f->vector == VEC_PF ? read_cr2() : 0);
	}
	if (f->vector == VEC_DB) {
		/* A debug trap in the kernel, on its own stack: a step or a user
		 * watchpoint held over by MOV SS / POP SS to the first instruction
		 * of syscall_entry (before swapgs; nothing here uses GS). The event
		 * is dropped; the kernel goes on. */
		arch_read_dr6();
		f->rflags &= ~0x100ULL;
		return;
	}
	if (f->vector < 32) {
		trap_dump(f);
		panic("unhandled %s in kernel mode", exception_names[f->vector]);
	}
	irq_dispatch(f->vector);
}
