/*
 * notification.c: a word of bits that signal ORs into and wait takes out.
 * A waiting thread, or the thread the notification is bound to while it
 * waits on an endpoint, receives the bits at once.
 */
#include "ipc.h"
#include "irq.h"
#include "arch/x86_64/layout.h"
#include "kernel.h"
#include "stats.h"
#include "trace.h"
#include "syscall.h"

static void cancel_bound_recv(struct tcb *t)
{
	struct endpoint *ep = t->blocked_on;

	ep_remove(ep, t);
	if (t->reply) {
		t->reply->holder = NULL;
		t->reply = NULL;
	}
}

void ntfn_signal_raw(struct notification *n, uint64_t badge)
{
	struct tcb *t = n->waiters.head;

	STAT(notifications)++;
	if (t) {
		queue_remove(&n->waiters, t);
		t->ctx.rax = E_OK;
		t->ctx.rdx = n->word | badge;
		t->ctx.rsi = hl_msginfo(HL_NOTIFY_LABEL, 0, 0);
		n->word = 0;
		ipc_wake(t);
		return;
	}
	t = n->bound;
	if (t && t->state == HL_THREAD_BLOCKED_RECV) {
		cancel_bound_recv(t);
		t->ctx.rax = E_OK;
		t->ctx.rdx = n->word | badge;
		t->ctx.rsi = hl_msginfo(HL_NOTIFY_LABEL, 0, 0);
		n->word = 0;
		ipc_wake(t);
		return;
	}
	n->word |= badge;
}

int ntfn_signal(struct cap *c)
{
	if (c->type != HL_OBJ_NOTIFICATION)
		return refuse(E_TYPE, "signal needs a notification, not type %u", c->type);
	if (!(c->rights & HL_R_WRITE))
		return refuse(E_PERM, "signalling needs the write right");
	TRACE(IPC_SIGNAL, current, c->obj - DIRECT_MAP, c->badge);
	ntfn_signal_raw((struct notification *)c->obj, c->badge ? c->badge : 1);
	return E_OK;
}

int ntfn_wait(struct cap *c, bool blocking)
{
	struct notification *n = (struct notification *)c->obj;
	struct tcb *self = current;

	if (c->type != HL_OBJ_NOTIFICATION)
		return refuse(E_TYPE, "wait needs a notification, not type %u", c->type);
	if (!(c->rights & HL_R_READ))
		return refuse(E_PERM, "waiting needs the read right");
	if (n->word) {
		result_value(n->word);
		self->ctx.rsi = hl_msginfo(HL_NOTIFY_LABEL, 0, 0);
		n->word = 0;
		return E_OK;
	}
	if (!blocking)
		return E_AGAIN;
	self->state = HL_THREAD_BLOCKED_NOTIFICATION;
	self->blocked_on = n;
	queue_append(&n->waiters, self);
	return E_OK;
}

void ntfn_finalise(struct notification *n)
{
	while (n->waiters.head) {
		struct tcb *t = n->waiters.head;
		queue_remove(&n->waiters, t);
		t->ctx.rax = E_DEAD;
		ipc_wake(t);
	}
	if (n->bound)
		n->bound->bound_ntfn = NULL;
	irq_forget_notification(n);
	timer_forget_notification(n);
}
