/*
 * tcb.h: threads. A TCB holds the thread's saved user registers, its FPU
 * state, copies of the caps it runs with (CSpace root, VSpace, IPC buffer
 * frame, fault endpoint: slots inside the object, part of the derivation
 * tree, so those objects live as long as the thread uses them), and its
 * scheduling and IPC state. Helios has one kernel stack per CPU: a blocked
 * thread is only this record.
 */
#ifndef KERNEL_TCB_H
#define KERNEL_TCB_H

#include <stdint.h>
#include <stdbool.h>
#include <helios/invoke.h>
#include "cap.h"

/* User registers as saved on kernel entry (layout shared with entry.S). */
struct user_context {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rsp, rflags;
	uint64_t fs_base;
	uint64_t full;		/* 1: saved by an interrupt, restore every register (iretq) */
};

enum tcb_slot { TCB_CSPACE, TCB_VSPACE, TCB_IPC_FRAME, TCB_FAULT_EP, TCB_DEBUG_EP, TCB_SLOTS };

struct tcb {
	struct user_context ctx;		/* [offset 0: entry.S relies on it] */
	uint8_t fpu[512] __attribute__((aligned(16)));	/* fxsave area */
	struct cap slots[TCB_SLOTS];
	uint64_t ipc_buffer;			/* user vaddr of the IPC buffer */
	uint64_t id;				/* thread id, for logs and traces */

	/* scheduling */
	uint8_t state;				/* enum hl_thread_state */
	uint8_t prio, mcp;
	uint8_t fpu_valid;
	uint32_t timeslice, ticks_left;
	struct tcb *run_next, *run_prev;	/* ready queue of its priority */

	/* IPC */
	void *blocked_on;			/* endpoint, notification or reply object */
	struct tcb *wait_next, *wait_prev;	/* queue on blocked_on */
	struct reply *reply;			/* BLOCKED_REPLY: the reply that will wake it;
						   BLOCKED_RECV: the reply object for a call */
	struct notification *bound_ntfn;
	uint64_t send_badge;			/* BLOCKED_SEND: badge of the cap used */
	uint8_t send_is_call, send_grant, send_is_fault;
	uint8_t dead;				/* its last cap is gone (finalised) */

	/* a fault being delivered */
	uint64_t fault_type, fault_addr, fault_error, fault_vector;

	/* observability */
	uint8_t traced;				/* THREAD-scope probes record this thread */
	uint64_t dr[4], dr7;			/* hardware breakpoints (x86 debug registers) */
	struct cap *debug_owner;		/* the TCB cap that bound the debug endpoint */
	uint8_t resume_rf;			/* resume with RFLAGS.RF (over an instruction breakpoint) */
	uint8_t event_to_debugger;		/* the pending fault/event went to the debug endpoint */
	uint8_t exited;				/* HL_SYS_EXIT: resumes only with new registers */
};

_Static_assert(sizeof(struct tcb) <= (1u << HL_TCB_BITS), "TCB fits its object size");

static inline struct tcb *tcb_of(const struct cap *c) { return (struct tcb *)c->obj; }

void tcb_init(struct tcb *t);
void tcb_finalise(struct tcb *t);
/* Makes t runnable (if it is configured to run) and queues it. */
void tcb_resume(struct tcb *t);
/* Stops t wherever it is: cancels its IPC and takes it off the run queue. */
void tcb_suspend(struct tcb *t);
/* Takes t out of whatever wait queue it is on, leaving it INACTIVE. */
void tcb_cancel_ipc(struct tcb *t);
/* True when t has the CSpace and VSpace it needs to run: every switch to a
 * thread checks it (kernel_exit, and the fast paths before they hand over). */
static inline bool tcb_runnable_config(const struct tcb *t)
{
	return t->slots[TCB_CSPACE].type == HL_OBJ_CNODE && t->slots[TCB_VSPACE].type == HL_OBJ_VSPACE;
}
int tcb_invoke(struct cap *c, uint64_t label, unsigned len);

/* Sets t's registers from r, making rip and rflags safe to return to. */
void tcb_write_regs(struct tcb *t, const struct hl_regs *r);
void tcb_read_regs(const struct tcb *t, struct hl_regs *r);
void ipc_wake(struct tcb *t);

/* The IPC buffer of t through the direct map, or NULL if it has none. */
struct hl_ipc_buffer *tcb_ipc_buffer(const struct tcb *t);

#endif
