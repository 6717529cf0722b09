/*
 * helios/invoke.h: invocation labels. An invocation is HL_SYS_CALL on a
 * kernel object's capability; the label selects the method, arguments are
 * message words (mr0...), the result is (status, value) plus message words.
 * "slot (root, index, depth)" means: the CNode cap root in the caller's
 * CSpace, then index resolved over depth bits from it (the root task's CNode
 * cap has a guard, so a plain slot number with depth 64 names a slot).
 * docs/abi.md lists every method's arguments, results and errors.
 */
#ifndef HELIOS_INVOKE_H
#define HELIOS_INVOKE_H

#include <stdint.h>

enum hl_label {
	/* Untyped */
	HL_UNTYPED_RETYPE = 1,	/* type, size_bits, root, index, depth, count -> count made */
	HL_UNTYPED_INFO,	/* -> value free bytes; mr0 paddr, mr1 size_bits, mr2 device */

	/* CNode: slots are relative to the invoked CNode (index, depth) */
	HL_CNODE_COPY = 16,	/* dst idx, dst depth, src root, src idx, src depth, rights */
	HL_CNODE_MINT,		/* ... as COPY, then badge (endpoint/notification) or guard size (CNode) */
	HL_CNODE_MOVE,		/* dst idx, dst depth, src root, src idx, src depth */
	HL_CNODE_MUTATE,	/* as MINT, moving instead of copying */
	HL_CNODE_DELETE,	/* idx, depth */
	HL_CNODE_REVOKE,	/* idx, depth: delete everything derived from the slot */
	HL_CNODE_IDENTIFY,	/* idx, depth -> value type | rights << 8; mr0 badge, mr1 size bits */
	HL_CNODE_COMPARE,	/* idx, depth, root, idx, depth -> value 1 if both name the same object */

	/* TCB */
	HL_TCB_CONFIGURE = 32,	/* fault ep, cspace root, cspace guard size, vspace, ipc vaddr, ipc frame */
	HL_TCB_SET_PRIORITY,	/* authority tcb, priority */
	HL_TCB_SET_MCP,		/* authority tcb, max controlled priority */
	HL_TCB_READ_REGISTERS,	/* -> mr0.. struct hl_regs */
	HL_TCB_WRITE_REGISTERS,	/* resume?, then struct hl_regs in mr1.. */
	HL_TCB_RESUME,
	HL_TCB_SUSPEND,
	HL_TCB_SET_TLS_BASE,	/* fs base */
	HL_TCB_BIND_NOTIFICATION, /* notification: its signals also end a recv on an endpoint */
	HL_TCB_UNBIND_NOTIFICATION,
	HL_TCB_SET_TIMESLICE,	/* ticks (1..1000) */
	HL_TCB_INFO,		/* -> value state; mr0 priority, mr1 mcp, mr2 thread id */
	HL_TCB_SET_TRACE,	/* 1/0: record this thread's events (needs HL_R_TRACE) */

	/* Debugging, all needing HL_R_DEBUG on the TCB cap (as do READ/WRITE_REGISTERS,
	 * SUSPEND and RESUME). Memory is the thread's address space. */
	HL_TCB_DEBUG_BIND = 96,	/* endpoint (0 = unbind): events go there, thread stops */
	HL_TCB_DEBUG_READ,	/* vaddr, length (<= HL_DEBUG_MAX_BYTES) -> bytes packed from mr0 */
	HL_TCB_DEBUG_WRITE,	/* vaddr, length, bytes packed from mr2 */
	HL_TCB_DEBUG_SET_BREAK,	/* slot 0-3, vaddr, kind (HL_BREAK_*), length 1/2/4/8 */
	HL_TCB_DEBUG_CLEAR_BREAK, /* slot 0-3 */
	HL_TCB_DEBUG_STEP,	/* resume for one instruction, then an HL_FAULT_STEP event */

	/* TraceControl */
	HL_TRACE_SET_BUFFER = 112, /* count, frame cptrs...: the ring (4 KiB frames) */
	HL_TRACE_DETACH,	/* stop recording, give the frames back */
	HL_TRACE_ENABLE,	/* probe id, 1/0 */
	HL_TRACE_ENABLE_GROUP,	/* group (HL_TRACE_GROUP_*), 1/0 */
	HL_TRACE_SET_USER_PAGE,	/* frame: the enable bitmap of user probes */
	HL_TRACE_ENABLE_USER,	/* user probe id, 1/0 */

	/* Timer: time in microseconds, counted in the kernel's ticks (delays round up) */
	HL_TIMER_SET = 104,	/* notification, delay us, period us (0: once): signal it then */
	HL_TIMER_CANCEL,
	HL_TIMER_NOW,		/* -> value us since boot; mr0 ticks, mr1 ticks per second, mr2 us left */

	/* Paging structures and frames */
	HL_PAGE_TABLE_MAP = 48,	/* PDPT, PD or PT: vspace, vaddr */
	HL_PAGE_TABLE_UNMAP,
	HL_FRAME_MAP,		/* vspace, vaddr, rights (HL_R_READ/WRITE), attrs (HL_MAP_*) */
	HL_FRAME_UNMAP,
	HL_FRAME_PADDR,		/* -> value physical address (for DMA) */

	/* Interrupts, I/O ports, console */
	HL_IRQ_CONTROL_GET = 64, /* irq, root, index, depth[, flags HL_IRQ_SHARED] */
	HL_IRQ_HANDLER_SET_NOTIFICATION, /* notification (0 = none) */
	HL_IRQ_HANDLER_ACK,
	HL_IOPORT_CONTROL_ISSUE = 72, /* first port, last port, root, index, depth */
	HL_IOPORT_IN8,		/* port -> value */
	HL_IOPORT_IN16,
	HL_IOPORT_IN32,
	HL_IOPORT_OUT8,		/* port, value */
	HL_IOPORT_OUT16,
	HL_IOPORT_OUT32,
	HL_CONSOLE_WRITE = 80,	/* byte count, then the bytes packed 8 per word from mr1 */
	HL_CONSOLE_DEBUG,	/* 1/0: log every refused call with its reason */
	HL_CONSOLE_CHECK,	/* run the kernel's invariant checks -> value problems found */

	/* Address-space ids: a VSpace needs one before it is copied, mapped into or run on */
	HL_ASID_CONTROL_MAKE_POOL = 88, /* untyped, root, index, depth: a pool from 4 KiB of it */
	HL_ASID_POOL_ASSIGN,	/* vspace: give it an id from this pool */
};

/* HL_FRAME_MAP attributes. */
#define HL_MAP_EXEC	(1u << 0)
#define HL_MAP_UNCACHED	(1u << 1)

/* Register file of a thread (READ/WRITE_REGISTERS, fault messages). */
struct hl_regs {
	uint64_t rip, rsp, rflags;
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t fs_base;
};
#define HL_REGS_WORDS (sizeof(struct hl_regs) / 8)

/* Thread states (HL_TCB_INFO). */
enum hl_thread_state {
	HL_THREAD_INACTIVE = 0,	/* never resumed, or suspended */
	HL_THREAD_RUNNABLE,
	HL_THREAD_BLOCKED_SEND,
	HL_THREAD_BLOCKED_RECV,
	HL_THREAD_BLOCKED_REPLY,
	HL_THREAD_BLOCKED_NOTIFICATION,
};

/*
 * Faults arrive on the thread's fault endpoint as a call: label = type,
 * badge = the fault endpoint cap's badge, mr0 type, mr1 address (CR2 for a
 * page fault, else RIP), mr2 error code, mr3 vector, then struct hl_regs
 * in mr4... Replying with label HL_FAULT_REPLY_REGS and struct hl_regs in
 * mr0.. (at least HL_REGS_WORDS words) resumes it with those registers;
 * any other reply resumes it as it was. Not replying leaves it stopped (delete or suspend
 * it to be done with it).
 */
enum hl_fault_type {
	HL_FAULT_PAGE = 1,
	HL_FAULT_GP,
	HL_FAULT_UD,
	HL_FAULT_DE,
	HL_FAULT_BREAKPOINT,
	HL_FAULT_OTHER,		/* any other exception; mr3 has the vector */
	HL_FAULT_STEP,		/* debug: one instruction stepped */
	HL_FAULT_WATCH,		/* debug: a hardware breakpoint or watchpoint hit; mr2 = DR6 */
	HL_FAULT_EXIT,		/* the thread exited; mr1 = exit code (replies do not resume it) */
};

/* HL_TCB_DEBUG_SET_BREAK kinds (the x86 DR7 R/W field). */
enum hl_break_kind { HL_BREAK_EXEC = 0, HL_BREAK_WRITE = 1, HL_BREAK_ACCESS = 3 };
#define HL_DEBUG_MAX_BYTES	(8 * (HL_MSG_MAX - 2))
#define HL_FAULT_MSG_WORDS	(4 + HL_REGS_WORDS)
#define HL_FAULT_REPLY_REGS	1

/* HL_IRQ_CONTROL_GET's flags: share the line with other shared handlers (PCI INTx). */
#define HL_IRQ_SHARED		1

#endif
