/*
 * kexit.c: how every kernel entry from user space ends: handle the event,
 * choose a thread, return to it; with nothing to run, wait for an
 * interrupt on the kernel stack.
 */
#include "arch.h"
#include "arch/x86_64/layout.h"
#include "fastpath.h"
#include "ipc.h"
#include "kernel.h"
#include "kexit.h"
#include "sched.h"
#include "stats.h"
#include "syscall.h"
#include "trace.h"

void kernel_exit(void)
{
	for (;;) {
		sched_choose();
		struct tcb *t = current;
		if (t) {
			if (tcb_runnable_config(t))
				arch_enter_user(t);
			/* Its CSpace or VSpace was revoked from under it. */
			klog_user("helios: thread %lu lost its CSpace or VSpace; suspended\n", t->id);
			tcb_suspend(t);
			current = NULL;
			continue;
		}
		uint64_t t0 = arch_cycles();
		arch_idle();
		STAT(idle_cycles) += arch_cycles() - t0;
	}
}

/* Kept out of line so that its probe sites cost the other syscalls nothing. */
static __attribute__((noinline, noreturn)) void null_syscall(struct tcb *t)
{
	STAT(syscalls[HL_SYS_NULL])++;
	TRACE(SYSCALL_ENTRY, t, HL_SYS_NULL, t->ctx.rdi, t->ctx.rsi, t->ctx.rdx, t->ctx.r10, t->ctx.r8);
	t->ctx.rax = E_OK;
	TRACE(SYSCALL_EXIT, t, HL_SYS_NULL, E_OK, t->ctx.rdx);
	arch_return_same(t);
}

void syscall_entry_c(void)
{
	struct tcb *t = current;

	/*
	 * A syscall in the last two bytes of user space returns to the first
	 * non-canonical address. sysretq to it raises #GP in ring 0 on Intel
	 * CPUs, with the user's rsp already loaded; iretq faults in ring 0 on
	 * every CPU. So no call is made: the thread takes the #GP it would
	 * take there (AMD CPUs and QEMU's TCG raise it in user mode). This
	 * covers the sysretq of every syscall path (arch_return_same too);
	 * arch_enter_user guards iretq after a fault taken at such a rip.
	 */
	if (t->ctx.rip >= USER_TOP)
		user_exception(13, 0, 0);
	/* A null syscall changes nothing: straight back, no scheduling decision. */
	if (t->ctx.rax == HL_SYS_NULL)
		null_syscall(t);
	if (t->ctx.rax == HL_SYS_CALL)
		fastpath_call(t);
	else if (t->ctx.rax == HL_SYS_REPLY_RECV)
		fastpath_reply_recv(t);
	else if (t->ctx.rax == HL_SYS_SIGNAL)
		fastpath_signal(t);
	else if (t->ctx.rax == HL_SYS_WAIT)
		fastpath_wait(t);
	syscall_dispatch();
	kernel_exit();
}

static uint64_t fault_type_of(uint64_t vector)
{
	switch (vector) {
	case 14: return HL_FAULT_PAGE;
	case 13: return HL_FAULT_GP;
	case 6: return HL_FAULT_UD;
	case 0: return HL_FAULT_DE;
	case 3: return HL_FAULT_BREAKPOINT;
	}
	return HL_FAULT_OTHER;
}

void user_exception(uint64_t vector, uint64_t error, uint64_t addr)
{
	struct tcb *t = current;

	t->fault_type = fault_type_of(vector);
	t->fault_vector = vector;
	t->fault_error = error;
	t->fault_addr = vector == 14 ? addr : t->ctx.rip;
	fault_deliver(t);
	kernel_exit();
}
