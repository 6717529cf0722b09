/*
 * tcb.c: thread control blocks: info, configure, priorities against the
 * MCP, registers, resume and suspend, TLS base, time slices, deleting a
 * running thread, and every refusal.
 */
#include "kt.h"

static volatile uint64_t tcb_counter, tcb_seen;

static void tcb_count(uint64_t arg)
{
	tcb_seen = arg;
	for (;;)
		tcb_counter++;
}

static void tcb_set_flag(uint64_t arg)
{
	tcb_seen = arg;
}

static void tcb_read_fs(uint64_t arg)
{
	uint64_t v;

	(void)arg;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	tcb_seen = v;
}

static void tcb_info_root(void)
{
	struct hl_tcb_info info;

	kt_is(hl_tcb_info(HL_CAP_TCB, &info).status, E_OK, "info on the root TCB");
	kt_is(info.state, HL_THREAD_RUNNABLE, "root thread is runnable");
	kt_is(info.priority, KT_ROOT_PRIO, "root priority is 100");
	kt_is(info.mcp, 255, "root MCP is 255");
}

static void tcb_errors(hl_cptr_t tcb, hl_cptr_t ep, hl_cptr_t frame)
{
	kt_is(hl_tcb_configure(tcb, 0, CN, 52, ep, 0x50000000, frame).status, E_TYPE,
	      "configure with an endpoint as VSpace: E_TYPE");
	kt_is(hl_tcb_configure(tcb, 0, ep, 52, HL_CAP_VSPACE, 0x50000000, frame).status, E_TYPE,
	      "configure with an endpoint as CSpace: E_TYPE");
	kt_is(hl_tcb_configure(tcb, 0, CN, 52, HL_CAP_VSPACE, 0x50000000, ep).status, E_TYPE,
	      "configure with an endpoint as IPC buffer frame: E_TYPE");
	kt_is(hl_tcb_configure(tcb, HL_CAP_CONSOLE, CN, 52, HL_CAP_VSPACE, 0x50000000, frame).status, E_TYPE,
	      "configure with the Console as fault endpoint: E_TYPE");
	kt_ok(kt_either(hl_tcb_configure(tcb, 0, CN, 52, HL_CAP_VSPACE, 0x50000003, frame).status, E_RANGE, E_INVAL),
	      "configure with an IPC buffer not 8-byte aligned: E_RANGE or E_INVAL");
	kt_ok(kt_either(hl_tcb_configure(tcb, 0, CN, 52, HL_CAP_VSPACE, 0x50000F00, frame).status, E_RANGE, E_INVAL),
	      "configure with an IPC buffer running past its frame: E_RANGE or E_INVAL");
	kt_is(hl_tcb_configure(tcb, 0, KT_EMPTY, 52, HL_CAP_VSPACE, 0x50000000, frame).status, E_NOCAP,
	      "configure with an empty CSpace slot: E_NOCAP");
	kt_is(hl_tcb_set_priority(tcb, HL_CAP_TCB, 256).status, E_RANGE, "priority 256: E_RANGE");
	kt_is(hl_tcb_set_mcp(tcb, HL_CAP_TCB, 256).status, E_RANGE, "MCP 256: E_RANGE");
	kt_is(hl_tcb_set_priority(tcb, ep, 10).status, E_TYPE, "priority with an endpoint as authority: E_TYPE");
	kt_is(hl_tcb_set_timeslice(tcb, 0).status, E_RANGE, "time slice 0: E_RANGE");
	kt_is(hl_tcb_set_timeslice(tcb, 1001).status, E_RANGE, "time slice 1001: E_RANGE");
	kt_is(hl_tcb_set_timeslice(tcb, 7).status, E_OK, "time slice 7");
	kt_is(hl_tcb_resume(KT_EMPTY).status, E_NOCAP, "resume an empty slot: E_NOCAP");
	kt_is(hl_tcb_resume(HL_CAP_CONSOLE).status, E_NOSYS, "resume the Console: E_NOSYS");
	kt_is(hl_invoke(tcb, HL_TCB_INFO + 3, 0, NULL).status, E_NOSYS, "TCB unknown label: E_NOSYS");
	kt_is(hl_tcb_bind_notification(tcb, ep).status, E_TYPE, "bind an endpoint as notification: E_TYPE");
}

/* Priority limits: a thread's MCP bounds what it may grant. */
static void tcb_mcp(hl_cptr_t a, hl_cptr_t b)
{
	kt_is(hl_tcb_set_mcp(a, HL_CAP_TCB, 50).status, E_OK, "give thread a MCP 50");
	kt_is(hl_tcb_set_priority(b, a, 50).status, E_OK, "with a's authority: priority 50 allowed");
	kt_is(hl_tcb_set_priority(b, a, 51).status, E_RANGE, "with a's authority: priority 51 is E_RANGE");
	kt_is(hl_tcb_set_mcp(b, a, 60).status, E_RANGE, "with a's authority: MCP 60 is E_RANGE");
	kt_is(hl_tcb_set_mcp(b, a, 40).status, E_OK, "with a's authority: MCP 40 allowed");
	kt_is(hl_tcb_set_priority(b, HL_CAP_TCB, 255).status, E_OK, "with the root's authority: priority 255");
	kt_is(hl_tcb_set_priority(b, HL_CAP_TCB, 5).status, E_OK, "and back to 5");
}

static void tcb_registers(void)
{
	struct kt_thread t;
	struct hl_regs regs, back;

	if (!kt_spawn_stopped(&t, NULL, tcb_set_flag, 0x5151, KT_ROOT_PRIO, 0))
		return;
	kt_is(kt_state(t.rt.tcb), HL_THREAD_INACTIVE, "a configured thread is inactive before resume");
	kt_is(hl_tcb_read_registers(t.rt.tcb, &regs).status, E_OK, "read registers");
	kt_is(regs.rip, (uint64_t)rt_thread_entry, "rip as written");
	kt_is(regs.rdi, 0x5151, "rdi as written");
	regs.rdi = 0x7272;
	regs.rbx = 0xB0B0;
	regs.r15 = 0xF15F15;
	kt_is(hl_tcb_write_registers(t.rt.tcb, 0, &regs).status, E_OK, "write registers");
	hl_tcb_read_registers(t.rt.tcb, &back);
	kt_ok(back.rdi == 0x7272 && back.rbx == 0xB0B0 && back.r15 == 0xF15F15 && back.rsp == regs.rsp,
	      "registers read back as written");
	tcb_seen = 0;
	kt_is(hl_tcb_resume(t.rt.tcb).status, E_OK, "resume");
	kt_ok(kt_join(&t, 3), "the thread ran and returned");
	kt_is(tcb_seen, 0x7272, "it ran with the written rdi");
	kt_is(kt_state(t.rt.tcb), HL_THREAD_INACTIVE, "a suspended thread is inactive");
	kt_kill(&t);
}

static void tcb_tls(void)
{
	static uint64_t tls_word = 0x715715;
	struct kt_thread t;

	if (!kt_spawn_stopped(&t, NULL, tcb_read_fs, 0, KT_ROOT_PRIO, 0))
		return;
	kt_is(hl_tcb_set_tls_base(t.rt.tcb, (uint64_t)&tls_word).status, E_OK, "set TLS base");
	tcb_seen = 0;
	rt_thread_start(&t.rt);
	kt_ok(kt_join(&t, 3), "thread reading %%fs:0 finished");
	kt_is(tcb_seen, 0x715715, "it read the word at its TLS base through %%fs");
	kt_kill(&t);
}

/* A thread at the root's priority runs when the root yields; suspend,
 * resume and delete take effect at once. */
static void tcb_suspend_delete(void)
{
	struct kt_thread t;
	uint64_t c;

	if (!kt_spawn(&t, NULL, tcb_count, 1, KT_ROOT_PRIO, 0))
		return;
	tcb_counter = 0;
	for (int i = 0; i < 5 && !tcb_counter; i++)
		hl_yield();
	kt_ok(tcb_counter > 0, "a thread at the same priority runs when the root yields");
	kt_is(hl_tcb_suspend(t.rt.tcb).status, E_OK, "suspend it");
	kt_is(kt_state(t.rt.tcb), HL_THREAD_INACTIVE, "it is inactive");
	c = tcb_counter;
	hl_yield();
	hl_yield();
	kt_is(tcb_counter, c, "a suspended thread does not run");
	kt_is(hl_tcb_resume(t.rt.tcb).status, E_OK, "resume it");
	hl_yield();
	kt_ok(tcb_counter != c, "it runs again");
	kt_is(hl_cnode_delete(CN, t.rt.tcb, D).status, E_OK, "delete its TCB while it is runnable");
	c = tcb_counter;
	hl_yield();
	hl_yield();
	kt_is(tcb_counter, c, "a deleted thread never runs again");
	kt_kill(&t);
}

void kt_area_tcb(void)
{
	hl_cptr_t tcb = kt_new(HL_OBJ_TCB, 0, "a TCB");
	hl_cptr_t tcb2 = kt_new(HL_OBJ_TCB, 0, "a second TCB");
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	hl_cptr_t frame = kt_new(HL_OBJ_FRAME, 0, "a frame");

	tcb_info_root();
	if (tcb && tcb2 && ep && frame) {
		kt_is(kt_state(tcb), HL_THREAD_INACTIVE, "a new TCB is inactive");
		tcb_errors(tcb, ep, frame);
		tcb_mcp(tcb, tcb2);
	}
	kt_del(frame);
	kt_del(ep);
	kt_del(tcb2);
	kt_del(tcb);
	tcb_registers();
	tcb_tls();
	tcb_suspend_delete();
}
