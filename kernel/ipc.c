/*
 * ipc.c: endpoints and replies. An endpoint is a queue of blocked senders
 * or of blocked receivers; a message is copied directly from the sender's
 * saved registers and IPC buffer to the receiver's, so the kernel keeps
 * no message of its own. A call binds the caller to the receiver's Reply
 * object; reply wakes it.
 */
#include <mercury/string.h>
#include "arch/x86_64/layout.h"
#include "ipc.h"
#include "kernel.h"
#include "stats.h"
#include "trace.h"
#include "object.h"
#include "syscall.h"

void queue_append(struct thread_queue *q, struct tcb *t)
{
	t->wait_next = NULL;
	t->wait_prev = q->tail;
	if (q->tail)
		q->tail->wait_next = t;
	else
		q->head = t;
	q->tail = t;
}

void queue_remove(struct thread_queue *q, struct tcb *t)
{
	if (t->wait_prev)
		t->wait_prev->wait_next = t->wait_next;
	else
		q->head = t->wait_next;
	if (t->wait_next)
		t->wait_next->wait_prev = t->wait_prev;
	else
		q->tail = t->wait_prev;
	t->wait_next = t->wait_prev = NULL;
}

/* Wakes t; a higher priority than the running thread's preempts it. */
void ipc_wake(struct tcb *t)
{
	t->state = HL_THREAD_RUNNABLE;
	t->blocked_on = NULL;
	sched_enqueue(t);
	if (current && t->prio > current->prio)
		sched_request();
}

/* Transfers up to three caps named in from's IPC buffer into the empty
 * slots named in to's; stops at the first that cannot move. */
static unsigned transfer_caps(struct tcb *from, struct tcb *to, unsigned n)
{
	struct hl_ipc_buffer *src = tcb_ipc_buffer(from), *dst = tcb_ipc_buffer(to);
	unsigned done = 0;
	int err;

	if (!src || !dst)
		return 0;
	for (; done < n; done++) {
		struct cap *c = cap_resolve(&from->slots[TCB_CSPACE], src->send_caps[done], 64, &err);
		struct cap *slot = cap_resolve(&to->slots[TCB_CSPACE], dst->recv_slots[done], 64, &err);
		struct cap v;
		if (!c || !slot || c->type == HL_OBJ_NULL || slot->type != HL_OBJ_NULL || cap_derive(c, &v))
			break;
		cap_insert_child(slot, &v, c);
		dst->recv_badges[done] = c->badge;
	}
	dst->recv_ncaps = done;
	return done;
}

/* Copies from's outgoing message into to's receive registers and buffer. */
static void transfer(struct tcb *from, struct tcb *to, uint64_t info, uint64_t badge, bool grant)
{
	unsigned len = hl_msg_length(info), ncaps = 0;

	to->ctx.rdi = from->ctx.rdx;
	to->ctx.r10 = from->ctx.r10;
	to->ctx.r8 = from->ctx.r8;
	to->ctx.r9 = from->ctx.r9;
	if (len > HL_MSG_MAX)
		len = HL_MSG_MAX;
	if (len > HL_MSG_REG_WORDS) {
		struct hl_ipc_buffer *src = tcb_ipc_buffer(from), *dst = tcb_ipc_buffer(to);
		if (src && dst)
			memcpy(&dst->mr[4], &src->mr[4], (len - 4) * 8);
		else
			len = HL_MSG_REG_WORDS;
	}
	if (hl_msg_caps(info) && grant) {
		ncaps = transfer_caps(from, to, hl_msg_caps(info));
	} else if (hl_msg_caps(info)) {
		struct hl_ipc_buffer *dst = tcb_ipc_buffer(to);
		if (dst)
			dst->recv_ncaps = 0;	/* no grant right: the caps stay behind */
	}
	to->ctx.rax = E_OK;
	to->ctx.rdx = badge;
	to->ctx.rsi = hl_msginfo(hl_msg_label(info), ncaps, len);
}

/* Builds the fault message of from (fault_* fields) in to. */
static void transfer_fault(struct tcb *from, struct tcb *to, uint64_t badge)
{
	const struct user_context *r = &from->ctx;
	uint64_t words[HL_FAULT_MSG_WORDS] = {
		from->fault_type, from->fault_addr, from->fault_error, from->fault_vector,
		r->rip, r->rsp, r->rflags, r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp,
		r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->fs_base,
	};
	unsigned len = tcb_ipc_buffer(to) ? HL_FAULT_MSG_WORDS : HL_MSG_REG_WORDS;

	for (unsigned i = 0; i < len; i++)
		msg_set(to, i, words[i]);
	to->ctx.rax = E_OK;
	to->ctx.rdx = badge;
	to->ctx.rsi = hl_msginfo(from->fault_type, 0, len);
}

/* After a call or fault was received by to: bind the sender to to's Reply. */
static void bind_caller(struct tcb *caller, struct reply *rp)
{
	if (!rp) {
		/* Nobody can answer: a caller learns it, a faulting thread stays stopped. */
		caller->blocked_on = NULL;
		if (caller->send_is_fault) {
			caller->state = HL_THREAD_INACTIVE;
			return;
		}
		caller->ctx.rax = E_DEAD;
		if (caller == current)
			caller->state = HL_THREAD_RUNNABLE;
		else
			ipc_wake(caller);
		return;
	}
	rp->caller = caller;
	caller->reply = rp;
	caller->blocked_on = rp;
	caller->state = HL_THREAD_BLOCKED_REPLY;
}

void ep_remove(struct endpoint *ep, struct tcb *t)
{
	queue_remove(&ep->queue, t);
	if (!ep->queue.head)
		ep->kind = EP_IDLE;
}

static struct tcb *dequeue_head(struct endpoint *ep)
{
	struct tcb *t = ep->queue.head;

	ep_remove(ep, t);
	return t;
}

/* Hands a message from sender (blocked or current) to receiver r. */
static void deliver(struct tcb *s, struct tcb *r, uint64_t info, uint64_t badge, bool grant,
		    bool is_call)
{
	struct reply *rp = r->reply;

	if (s->send_is_fault)
		transfer_fault(s, r, badge);
	else
		transfer(s, r, info, badge, grant);
	STAT(ipc_messages)++;
	TRACE(IPC_RECV, r, (uint64_t)r->blocked_on - DIRECT_MAP, badge, hl_msg_label(r->ctx.rsi),
	      hl_msg_length(r->ctx.rsi), s->id);
	r->reply = NULL;
	if (rp)
		rp->holder = NULL;
	if (is_call || s->send_is_fault)
		bind_caller(s, rp);
}

int ep_send(struct cap *c, uint64_t info, bool blocking, bool is_call)
{
	struct endpoint *ep = (struct endpoint *)c->obj;
	struct tcb *self = current;
	bool grant = c->rights & HL_R_GRANT;

	if (!(c->rights & HL_R_WRITE))
		return refuse(E_PERM, "sending needs the write right on the endpoint");
	if (hl_msg_length(info) > HL_MSG_MAX)
		return refuse(E_INVAL, "message length %u > %u", hl_msg_length(info), HL_MSG_MAX);
	self->send_is_fault = 0;
	if (is_call)
		TRACE(IPC_CALL, self, c->obj - DIRECT_MAP, c->badge, hl_msg_label(info), hl_msg_length(info),
		      ep->kind == EP_RECEIVERS ? ep->queue.head->id : 0);
	else
		TRACE(IPC_SEND, self, c->obj - DIRECT_MAP, c->badge, hl_msg_label(info), hl_msg_length(info),
		      ep->kind == EP_RECEIVERS ? ep->queue.head->id : 0);
	if (ep->kind == EP_RECEIVERS) {
		struct tcb *r = dequeue_head(ep);
		deliver(self, r, info, c->badge, grant, is_call);
		if (is_call && self->state != HL_THREAD_RUNNABLE && r->prio >= self->prio &&
		    (int)r->prio >= sched_ready_top()) {
			r->state = HL_THREAD_RUNNABLE;	/* direct hand-off to the server */
			r->blocked_on = NULL;
			sched_switch_to(r);
		} else {
			ipc_wake(r);
		}
		return self->state == HL_THREAD_RUNNABLE && is_call ? (int)self->ctx.rax : E_OK;
	}
	if (!blocking)
		return E_AGAIN;
	self->state = HL_THREAD_BLOCKED_SEND;
	self->blocked_on = ep;
	self->send_badge = c->badge;
	self->send_is_call = is_call;
	self->send_grant = grant;
	queue_append(&ep->queue, self);
	ep->kind = EP_SENDERS;
	return E_OK;
}

int ep_send_or_signal(struct cap *c, uint64_t info, bool blocking)
{
	if (c->type == HL_OBJ_NOTIFICATION)
		return ntfn_signal(c);
	if (c->type != HL_OBJ_ENDPOINT)
		return refuse(E_TYPE, "send needs an endpoint or notification, not type %u", c->type);
	return ep_send(c, info, blocking, false);
}

static int lookup_reply(uint64_t cptr, struct reply **out)
{
	int err;
	struct cap *rc;

	*out = NULL;
	if (!cptr)
		return E_OK;
	if (!(rc = lookup_cap(cptr, &err)))
		return refuse(err, "reply cptr 0x%lx names no capability", cptr);
	if (rc->type != HL_OBJ_REPLY)
		return refuse(E_TYPE, "cptr 0x%lx is not a Reply", cptr);
	*out = (struct reply *)rc->obj;
	return E_OK;
}

/* A signal already pending on the thread's bound notification ends a recv. */
static bool take_bound_signal(struct tcb *self)
{
	struct notification *n = self->bound_ntfn;

	if (!n || !n->word)
		return false;
	self->ctx.rdx = n->word;
	self->ctx.rsi = hl_msginfo(HL_NOTIFY_LABEL, 0, 0);
	n->word = 0;
	return true;
}

int ep_recv(struct cap *c, uint64_t reply_cptr, bool blocking)
{
	struct tcb *self = current;
	struct endpoint *ep = (struct endpoint *)c->obj;
	struct reply *rp;
	int err;

	if (c->type == HL_OBJ_NOTIFICATION)
		return ntfn_wait(c, blocking);
	if (c->type != HL_OBJ_ENDPOINT)
		return refuse(E_TYPE, "receive needs an endpoint or notification, not type %u", c->type);
	if (!(c->rights & HL_R_READ))
		return refuse(E_PERM, "receiving needs the read right on the endpoint");
	if ((err = lookup_reply(reply_cptr, &rp)))
		return err;
	if (rp && (rp->caller || (rp->holder && rp->holder != self)))
		return refuse(E_BUSY, "the Reply object is still bound to an unanswered call");
	if (take_bound_signal(self))
		return E_OK;
	if (ep->kind == EP_SENDERS) {
		struct tcb *s = dequeue_head(ep);
		self->reply = rp;
		self->blocked_on = ep;	/* for the recv record: the endpoint it came through */
		deliver(s, self, s->ctx.rsi, s->send_badge, s->send_grant, s->send_is_call);
		self->blocked_on = NULL;
		if (!s->send_is_call && !s->send_is_fault) {
			s->ctx.rax = E_OK;
			ipc_wake(s);
		}
		return E_OK;
	}
	if (!blocking)
		return E_AGAIN;
	self->state = HL_THREAD_BLOCKED_RECV;
	self->blocked_on = ep;
	self->reply = rp;
	if (rp)
		rp->holder = self;
	queue_append(&ep->queue, self);
	ep->kind = EP_RECEIVERS;
	return E_OK;
}

/* A fault handler's reply: resume as is, or with the registers it sent. */
static void resume_after_fault(struct tcb *t, uint64_t info)
{
	t->send_is_fault = 0;
	if (t->fault_type == HL_FAULT_EXIT) {
		t->state = HL_THREAD_INACTIVE;	/* an exited thread stays exited */
		t->blocked_on = NULL;
		return;
	}
	if (hl_msg_label(info) == HL_FAULT_REPLY_REGS && hl_msg_length(info) >= HL_REGS_WORDS) {
		struct hl_regs r;
		uint64_t *w = (uint64_t *)&r;
		for (unsigned i = 0; i < HL_REGS_WORDS; i++)
			w[i] = msg_get(current, i);
		tcb_write_regs(t, &r);
	}
	ipc_wake(t);
}

static int do_reply(struct cap *rc, uint64_t info)
{
	struct reply *rp = (struct reply *)rc->obj;
	struct tcb *caller = rp->caller;

	if (!caller)
		return refuse(E_DEAD, "no caller waits on this Reply (answered already, or it died)");
	if (hl_msg_length(info) > HL_MSG_MAX)
		return refuse(E_INVAL, "message length %u > %u", hl_msg_length(info), HL_MSG_MAX);
	rp->caller = NULL;
	caller->reply = NULL;
	TRACE(IPC_REPLY, current, caller->id, hl_msg_label(info), hl_msg_length(info));
	if (caller->send_is_fault) {
		resume_after_fault(caller, info);
		return E_OK;
	}
	transfer(current, caller, info, 0, rc->rights & HL_R_GRANT);
	ipc_wake(caller);
	return E_OK;
}

int reply_send(uint64_t reply_cptr, uint64_t info)
{
	int err;
	struct cap *rc = lookup_cap(reply_cptr, &err);

	if (!rc)
		return refuse(err, "reply cptr 0x%lx names no capability", reply_cptr);
	if (rc->type != HL_OBJ_REPLY)
		return refuse(E_TYPE, "reply needs a Reply capability, not type %u", rc->type);
	return do_reply(rc, info);
}

int reply_recv(struct cap *c, uint64_t reply_cptr, uint64_t info)
{
	int err;
	struct cap *rc = reply_cptr ? lookup_cap(reply_cptr, &err) : NULL;

	/* As in seL4, a reply that finds nobody waiting does not stop the receive. */
	if (rc && rc->type == HL_OBJ_REPLY && ((struct reply *)rc->obj)->caller)
		do_reply(rc, info);
	return ep_recv(c, reply_cptr, true);
}

void fault_deliver(struct tcb *t)
{
	/* A bound debugger sees every event first; otherwise the fault handler. */
	struct cap *fc = t->slots[TCB_DEBUG_EP].type == HL_OBJ_ENDPOINT ? &t->slots[TCB_DEBUG_EP]
									: &t->slots[TCB_FAULT_EP];

	t->event_to_debugger = fc == &t->slots[TCB_DEBUG_EP];
	struct endpoint *ep = (struct endpoint *)fc->obj;

	if (t->fault_type < HL_STATS_FAULT_TYPES)
		STAT(faults[t->fault_type])++;
	if (t->fault_type == HL_FAULT_EXIT)
		TRACE(THREAD_EXIT, t, t->id, t->fault_addr);
	else
		TRACE(FAULT, t, t->fault_type, t->fault_addr, t->fault_error, t->ctx.rip);
	t->send_is_fault = 1;
	if (fc->type != HL_OBJ_ENDPOINT || !(fc->rights & HL_R_WRITE)) {
		if (t->fault_type != HL_FAULT_EXIT)
			klog_user("helios: thread %lu faulted (type %lu, address 0x%lx, rip 0x%lx) with no "
				"fault endpoint; suspended\n", t->id, t->fault_type, t->fault_addr, t->ctx.rip);
		tcb_suspend(t);
		return;
	}
	sched_dequeue(t);
	if (ep->kind == EP_RECEIVERS) {
		struct tcb *r = dequeue_head(ep);
		deliver(t, r, 0, fc->badge, false, true);
		ipc_wake(r);
		return;
	}
	t->state = HL_THREAD_BLOCKED_SEND;
	t->blocked_on = ep;
	t->send_badge = fc->badge;
	t->send_is_call = 1;
	t->send_grant = 0;
	queue_append(&ep->queue, t);
	ep->kind = EP_SENDERS;
}

/* Threads still queued learn that the endpoint is gone. */
void ep_finalise(struct endpoint *ep)
{
	while (ep->queue.head) {
		struct tcb *t = dequeue_head(ep);
		if (t->reply) {
			t->reply->holder = NULL;
			t->reply = NULL;
		}
		if (t->state == HL_THREAD_BLOCKED_SEND && t->send_is_fault) {
			t->state = HL_THREAD_INACTIVE;	/* no handler will answer its fault */
			t->blocked_on = NULL;
			continue;
		}
		t->send_is_fault = 0;
		t->ctx.rax = E_DEAD;
		ipc_wake(t);
	}
}

void reply_finalise(struct reply *rp)
{
	struct tcb *caller = rp->caller;

	if (rp->holder)
		rp->holder->reply = NULL;
	if (!caller)
		return;
	rp->caller = NULL;
	caller->reply = NULL;
	if (caller->send_is_fault) {
		caller->state = HL_THREAD_INACTIVE;
		caller->blocked_on = NULL;
		return;
	}
	caller->ctx.rax = E_DEAD;
	ipc_wake(caller);
}
