/*
 * debug.c: the debug ABI on threads (HL_TCB_DEBUG_*): the debug right,
 * reading and writing a thread's memory (code, data, read-only data,
 * unmapped and kernel addresses), single step, hardware execution
 * breakpoints and write watchpoints, each delivered as an event on the
 * bound debug endpoint and resumed by a reply.
 */
#include "kt.h"

static volatile uint64_t dbg_var;
static const uint64_t dbg_const = 0xC0C0;

/* The debuggee: known instruction sizes (nop 1, mov imm32 5, mov to
 * rip-relative memory 7). */
__asm__(".text\n"
	".globl dbg_code\n"
	"dbg_code: nop\n nop\n"
	"dbg_mov: mov $1, %eax\n"
	"dbg_store: movq %rax, dbg_var(%rip)\n"
	"dbg_after: nop\n ret\n");
void dbg_code(uint64_t);
extern char dbg_mov[], dbg_store[], dbg_after[];

/* Receives one debug event; returns its type, rip and mr2 (DR6 for watch). */
static uint64_t dbg_event(hl_cptr_t ep, uint64_t *rip, uint64_t *dr6)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r = hl_recv(ep, kt_reply, &m);

	*rip = hl_ipc_buffer()->mr[4];	/* struct hl_regs starts at mr4: rip */
	*dr6 = m.mr[2];
	return r.status == E_OK ? hl_msg_label(m.info) : 0;
}

static void dbg_resume(void)
{
	struct hl_msg m = { hl_msginfo(0, 0, 0), { 0, 0, 0, 0 } };

	hl_reply(kt_reply, &m);
}

static void dbg_memory(hl_cptr_t tcb, hl_cptr_t nodebug)
{
	uint64_t v = 0, w = 0x1122334455667788ull;
	unsigned char code[2] = { 0, 0 };

	dbg_var = 0xABCDEF;
	kt_is(hl_tcb_debug_read(nodebug, (uint64_t)&dbg_var, 8, &v).status, E_PERM, "debug read without the debug right: E_PERM");
	kt_is(hl_tcb_read_registers(nodebug, &(struct hl_regs){ 0 }).status, E_PERM,
	      "read registers without the debug right: E_PERM");
	kt_is(hl_tcb_debug_read(tcb, (uint64_t)&dbg_var, 8, &v).status, E_OK, "debug read of a data word");
	kt_is(v, 0xABCDEF, "it reads the word's value");
	kt_is(hl_tcb_debug_write(tcb, (uint64_t)&dbg_var, 8, &w).status, E_OK, "debug write of a data word");
	kt_is(dbg_var, 0x1122334455667788ull, "the write landed");
	kt_is(hl_tcb_debug_read(tcb, (uint64_t)dbg_code, 2, code).status, E_OK, "debug read of code");
	kt_ok(code[0] == 0x90 && code[1] == 0x90, "code reads as the two nops");
	kt_is(hl_tcb_debug_write(tcb, (uint64_t)&dbg_const, 8, &w).status, E_PERM, "debug write to read-only data: E_PERM");
	kt_is(dbg_const, 0xC0C0, "read-only data unchanged");
	kt_is(hl_tcb_debug_read(tcb, 0x7000000000ull, 8, &v).status, E_FAULT, "debug read of an unmapped address: E_FAULT");
	kt_is(hl_tcb_debug_read(tcb, 0xffffffff80100000ull, 8, &v).status, E_FAULT, "debug read of the kernel: E_FAULT");
	kt_is(hl_tcb_debug_read(tcb, (uint64_t)&dbg_var, HL_DEBUG_MAX_BYTES + 1, &v).status, E_RANGE,
	      "debug read of more than HL_DEBUG_MAX_BYTES: E_RANGE");
}

static void dbg_breaks(hl_cptr_t tcb)
{
	kt_is(hl_tcb_debug_set_break(tcb, 4, (uint64_t)dbg_mov, HL_BREAK_EXEC, 1).status, E_RANGE, "breakpoint slot 4: E_RANGE");
	kt_is(hl_tcb_debug_set_break(tcb, 0, (uint64_t)dbg_mov, 2, 1).status, E_INVAL, "breakpoint kind 2 (I/O): E_INVAL");
	kt_is(hl_tcb_debug_set_break(tcb, 0, (uint64_t)&dbg_var, HL_BREAK_WRITE, 3).status, E_RANGE, "watch length 3: E_RANGE");
	kt_is(hl_tcb_debug_set_break(tcb, 0, (uint64_t)&dbg_var + 1, HL_BREAK_WRITE, 8).status, E_RANGE,
	      "misaligned 8-byte watch: E_RANGE");
	kt_is(hl_tcb_debug_set_break(tcb, 0, 0xffff800000000000ull, HL_BREAK_EXEC, 1).status, E_RANGE,
	      "breakpoint in the kernel half: E_RANGE");
	kt_is(hl_tcb_debug_step(HL_CAP_TCB).status, E_BUSY, "a thread cannot single-step itself: E_BUSY");
}

/* Step, an execution breakpoint and a write watchpoint, in that order. */
static void dbg_events(struct kt_thread *t, hl_cptr_t ep)
{
	hl_cptr_t tcb = t->rt.tcb;
	uint64_t rip = 0, dr6 = 0;

	kt_is(hl_tcb_debug_step(tcb).status, E_OK, "single-step the stopped thread");
	kt_is(dbg_event(ep, &rip, &dr6), HL_FAULT_STEP, "a step event arrives");
	kt_is(rip, (uint64_t)rt_thread_entry + 2, "after one instruction (xor %%ebp, %%ebp: 2 bytes)");
	kt_is(hl_tcb_debug_set_break(tcb, 0, (uint64_t)dbg_mov, HL_BREAK_EXEC, 1).status, E_OK, "set an execution breakpoint");
	dbg_resume();
	kt_is(dbg_event(ep, &rip, &dr6), HL_FAULT_WATCH, "the breakpoint event arrives");
	kt_is(rip, (uint64_t)dbg_mov, "before the instruction it names");
	kt_ok(dr6 & 1, "DR6 names slot 0");
	hl_tcb_debug_clear_break(tcb, 0);
	dbg_var = 0;
	kt_is(hl_tcb_debug_set_break(tcb, 1, (uint64_t)&dbg_var, HL_BREAK_WRITE, 8).status, E_OK, "set a write watchpoint");
	dbg_resume();
	kt_is(dbg_event(ep, &rip, &dr6), HL_FAULT_WATCH, "the watchpoint event arrives");
	kt_is(rip, (uint64_t)dbg_after, "after the writing instruction");
	kt_ok(dr6 & 2, "DR6 names slot 1");
	kt_is(dbg_var, 1, "the write happened");
	hl_tcb_debug_clear_break(tcb, 1);
	dbg_resume();
	kt_ok(kt_join(t, 3), "the debuggee runs to its end once resumed");
}

void kt_area_debug(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "a debug endpoint");
	hl_cptr_t ro = ep ? kt_mint(ep, HL_R_READ, 0) : 0, nodebug = 0;
	struct kt_thread t;

	if (!ep || !kt_spawn_stopped(&t, NULL, dbg_code, 0, KT_ROOT_PRIO - 1, 0))
		goto out;
	nodebug = kt_mint(t.rt.tcb, HL_R_ALL & ~HL_R_DEBUG, 0);
	dbg_memory(t.rt.tcb, nodebug);
	dbg_breaks(t.rt.tcb);
	kt_is(hl_tcb_debug_bind(t.rt.tcb, HL_CAP_CONSOLE).status, E_TYPE, "bind the Console as debug endpoint: E_TYPE");
	kt_is(hl_tcb_debug_bind(t.rt.tcb, ro).status, E_PERM, "bind a read-only endpoint: E_PERM");
	kt_is(hl_tcb_debug_bind(nodebug, ep).status, E_PERM, "bind without the debug right: E_PERM");
	kt_is(hl_tcb_debug_bind(t.rt.tcb, ep).status, E_OK, "bind the debug endpoint");
	dbg_events(&t, ep);
	kt_is(hl_tcb_debug_bind(t.rt.tcb, 0).status, E_OK, "unbind it");
	slot_free(nodebug);
	kt_kill(&t);
out:
	slot_free(ro);
	kt_del(ep);
}
