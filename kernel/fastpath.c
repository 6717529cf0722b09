/*
 * fastpath.c: the common case of call and reply_recv, done in one pass
 * (as seL4 does): a short message, no capabilities, a single-level CSpace,
 * a partner already waiting, and no one of higher priority ready. Every
 * other case, and every error, goes to the general path in syscall.c,
 * which gives the same results; the fast path only skips the generality.
 * Probes fire here exactly as on the general path. Each path exists twice,
 * with and without its probe sites, chosen by one test of trace_any_on: so
 * the sites cost nothing more than that test while every probe is off.
 */
#include "arch.h"
#include "arch/x86_64/layout.h"
#include "fastpath.h"
#include "ipc.h"
#include "kexit.h"
#include "kernel.h"
#include "sched.h"
#include "stats.h"
#include "syscall.h"
#include "trace.h"

/* The cap at cptr in a single-level CSpace, or NULL (let the slow path decide). */
static inline struct cap *quick_lookup(struct tcb *t, uint64_t cptr)
{
	const struct cap *root = &t->slots[TCB_CSPACE];
	unsigned bits = root->bits;

	if (root->guard_size + bits != 64 || (cptr >> bits) || !cptr)
		return NULL;
	return (struct cap *)root->obj + cptr;
}

static inline bool short_plain(uint64_t info)
{
	return hl_msg_length(info) <= HL_MSG_REG_WORDS && !hl_msg_caps(info);
}

/* Copies t's short message into r's receive registers. */
static inline void copy_short(const struct tcb *t, struct tcb *r, uint64_t info, uint64_t badge)
{
	r->ctx.rdi = t->ctx.rdx;
	r->ctx.r10 = t->ctx.r10;
	r->ctx.r8 = t->ctx.r8;
	r->ctx.r9 = t->ctx.r9;
	r->ctx.rax = E_OK;
	r->ctx.rdx = badge;
	r->ctx.rsi = info;
}

#define FTRACE(id, ...) do { if (traced) TRACE(id, __VA_ARGS__); } while (0)

static inline __attribute__((always_inline)) void call_path(struct tcb *t, bool traced)
{
	uint64_t info = t->ctx.rsi;
	struct cap *c = quick_lookup(t, t->ctx.rdi);

	if (!c || c->type != HL_OBJ_ENDPOINT || !(c->rights & HL_R_WRITE) || !short_plain(info))
		return;
	struct endpoint *ep = (struct endpoint *)c->obj;
	struct tcb *r = ep->queue.head;
	if (ep->kind != EP_RECEIVERS || !r->reply || (int)r->prio < sched_ready_top() ||
	    r->prio < t->prio || !tcb_runnable_config(r))
		return;	/* (a receiver that lost its CSpace or VSpace is kernel_exit's to suspend) */

	STAT(syscalls[HL_SYS_CALL])++;
	FTRACE(SYSCALL_ENTRY, t, HL_SYS_CALL, t->ctx.rdi, info, t->ctx.rdx, t->ctx.r10, t->ctx.r8);
	FTRACE(IPC_CALL, t, c->obj - DIRECT_MAP, c->badge, hl_msg_label(info), hl_msg_length(info), r->id);
	ep_remove(ep, r);
	copy_short(t, r, hl_msginfo(hl_msg_label(info), 0, hl_msg_length(info)), c->badge);
	STAT(ipc_messages)++;
	FTRACE(IPC_RECV, r, c->obj - DIRECT_MAP, c->badge, hl_msg_label(info), hl_msg_length(info), t->id);
	struct reply *rp = r->reply;
	r->reply = NULL;
	rp->holder = NULL;
	rp->caller = t;
	t->reply = rp;
	t->blocked_on = rp;
	t->send_is_fault = 0;
	t->state = HL_THREAD_BLOCKED_REPLY;
	r->state = HL_THREAD_RUNNABLE;
	r->blocked_on = NULL;
	FTRACE(SYSCALL_EXIT, t, HL_SYS_CALL, E_OK, 0);
	sched_reason = HL_SWITCH_IPC;
	current = r;
	arch_enter_user(r);
}

static inline __attribute__((always_inline)) void reply_recv_path(struct tcb *t, bool traced)
{
	uint64_t info = t->ctx.rsi;
	struct cap *c = quick_lookup(t, t->ctx.rdi), *rc = quick_lookup(t, t->ctx.r12);

	if (!c || !rc || c->type != HL_OBJ_ENDPOINT || !(c->rights & HL_R_READ) ||
	    rc->type != HL_OBJ_REPLY || !short_plain(info))
		return;
	struct endpoint *ep = (struct endpoint *)c->obj;
	struct reply *rp = (struct reply *)rc->obj;
	struct tcb *caller = rp->caller;
	if (!caller || caller->send_is_fault || ep->kind == EP_SENDERS || rp->holder ||
	    (t->bound_ntfn && t->bound_ntfn->word) || (int)caller->prio < sched_ready_top() ||
	    !tcb_runnable_config(caller))
		return;

	STAT(syscalls[HL_SYS_REPLY_RECV])++;
	FTRACE(SYSCALL_ENTRY, t, HL_SYS_REPLY_RECV, t->ctx.rdi, info, t->ctx.rdx, t->ctx.r10, t->ctx.r8);
	FTRACE(IPC_REPLY, t, caller->id, hl_msg_label(info), hl_msg_length(info));
	rp->caller = NULL;
	caller->reply = NULL;
	copy_short(t, caller, hl_msginfo(hl_msg_label(info), 0, hl_msg_length(info)), 0);
	caller->state = HL_THREAD_RUNNABLE;
	caller->blocked_on = NULL;
	/* The server now waits on the endpoint with its Reply, as ep_recv would leave it. */
	t->state = HL_THREAD_BLOCKED_RECV;
	t->blocked_on = ep;
	t->reply = rp;
	rp->holder = t;
	queue_append(&ep->queue, t);
	ep->kind = EP_RECEIVERS;
	FTRACE(SYSCALL_EXIT, t, HL_SYS_REPLY_RECV, E_OK, 0);
	sched_reason = HL_SWITCH_IPC;
	current = caller;
	arch_enter_user(caller);
}

/* Separate functions, so that the plain copies are exactly what a kernel
 * without probes has (no registers kept for calls they never make). */
void fastpath_call_plain(struct tcb *t) { call_path(t, false); }
void fastpath_call_traced(struct tcb *t) { call_path(t, true); }
void fastpath_reply_recv_plain(struct tcb *t) { reply_recv_path(t, false); }
void fastpath_reply_recv_traced(struct tcb *t) { reply_recv_path(t, true); }

/*
 * Notifications: signal with a waiter of no higher priority (it is made
 * ready, the signaller runs on), and wait with bits pending or with a
 * thread to switch to. With any probe on, the general path records them.
 */
void fastpath_signal(struct tcb *t)
{
	struct cap *c = quick_lookup(t, t->ctx.rdi);

	if (trace_some_on() || !c || c->type != HL_OBJ_NOTIFICATION || !(c->rights & HL_R_WRITE))
		return;
	struct notification *n = (struct notification *)c->obj;
	struct tcb *w = n->waiters.head;
	uint64_t badge = c->badge ? c->badge : 1;
	if (!w || w->prio > t->prio)
		return;		/* no waiter (the bound thread may need waking), or a preemption */
	STAT(syscalls[HL_SYS_SIGNAL])++;
	STAT(notifications)++;
	queue_remove(&n->waiters, w);
	w->ctx.rax = E_OK;
	w->ctx.rdx = n->word | badge;
	w->ctx.rsi = hl_msginfo(HL_NOTIFY_LABEL, 0, 0);
	n->word = 0;
	w->state = HL_THREAD_RUNNABLE;
	w->blocked_on = NULL;
	sched_enqueue(w);
	t->ctx.rax = E_OK;
	arch_return_same(t);
}

void fastpath_wait(struct tcb *t)
{
	struct cap *c = quick_lookup(t, t->ctx.rdi);

	if (trace_some_on() || !c || c->type != HL_OBJ_NOTIFICATION || !(c->rights & HL_R_READ))
		return;
	struct notification *n = (struct notification *)c->obj;
	STAT(syscalls[HL_SYS_WAIT])++;
	if (n->word) {
		t->ctx.rax = E_OK;
		t->ctx.rdx = n->word;
		t->ctx.rsi = hl_msginfo(HL_NOTIFY_LABEL, 0, 0);
		n->word = 0;
		arch_return_same(t);
	}
	t->state = HL_THREAD_BLOCKED_NOTIFICATION;
	t->blocked_on = n;
	queue_append(&n->waiters, t);
	kernel_exit();
}
