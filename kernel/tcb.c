/*
 * tcb.c: thread objects: their life cycle and their invocations.
 * Decode first (every check, may refuse), then act (cannot fail).
 */
#include <mercury/string.h>
#include "arch.h"
#include "arch/x86_64/layout.h"
#include "debug.h"
#include "ipc.h"
#include "trace.h"
#include "kernel.h"
#include "object.h"
#include "syscall.h"
#include "vspace.h"

#define RFLAGS_USER_MASK 0xCD5ULL	/* CF PF AF ZF SF DF OF: what user code may set */
#define RFLAGS_IF 0x200ULL

static uint64_t next_thread_id = 1;

void tcb_init(struct tcb *t)
{
	t->id = next_thread_id++;
	t->state = HL_THREAD_INACTIVE;
	t->timeslice = t->ticks_left = SCHED_DEFAULT_TIMESLICE;
	t->ctx.rflags = RFLAGS_IF;
}

struct hl_ipc_buffer *tcb_ipc_buffer(const struct tcb *t)
{
	const struct cap *f = &t->slots[TCB_IPC_FRAME];

	if (f->type != HL_OBJ_FRAME && f->type != HL_OBJ_FRAME_2M)
		return NULL;
	return (struct hl_ipc_buffer *)(f->obj + (t->ipc_buffer & ((1ULL << f->bits) - 1)));
}

/*
 * Takes t out of any wait. A thread blocked in send, recv or wait has not
 * done anything yet: it will restart that syscall when it runs again (its
 * registers still hold the arguments). A caller whose message was already
 * delivered learns that no reply will come.
 */
void tcb_cancel_ipc(struct tcb *t)
{
	bool in_syscall = !t->send_is_fault && (t->state == HL_THREAD_BLOCKED_SEND ||
		t->state == HL_THREAD_BLOCKED_RECV || t->state == HL_THREAD_BLOCKED_NOTIFICATION);

	if (in_syscall)
		t->ctx.rip -= 2;	/* back over the 2-byte syscall instruction */
	else if (t->state == HL_THREAD_BLOCKED_REPLY && !t->send_is_fault)
		t->ctx.rax = E_DEAD;
	switch (t->state) {
	case HL_THREAD_BLOCKED_SEND:
	case HL_THREAD_BLOCKED_RECV: {
		struct endpoint *ep = t->blocked_on;
		ep_remove(ep, t);
		if (t->state == HL_THREAD_BLOCKED_RECV && t->reply) {
			t->reply->holder = NULL;
			t->reply = NULL;
		}
		break;
	}
	case HL_THREAD_BLOCKED_REPLY:
		if (t->reply)
			t->reply->caller = NULL;
		t->reply = NULL;
		break;
	case HL_THREAD_BLOCKED_NOTIFICATION:
		queue_remove(&((struct notification *)t->blocked_on)->waiters, t);
		break;
	}
	t->blocked_on = NULL;
	t->send_is_fault = 0;
	t->state = HL_THREAD_INACTIVE;
}

void tcb_suspend(struct tcb *t)
{
	TRACE(THREAD_SUSPEND, current, t->id);
	tcb_cancel_ipc(t);
	sched_dequeue(t);
}

void tcb_resume(struct tcb *t)
{
	if (t->state != HL_THREAD_INACTIVE || !tcb_runnable_config(t))
		return;
	TRACE(THREAD_RESUME, current, t->id);
	t->send_is_fault = 0;
	t->state = HL_THREAD_RUNNABLE;
	sched_enqueue(t);
	if (current && t->prio > current->prio)
		sched_request();
}

void tcb_finalise(struct tcb *t)
{
	t->dead = 1;
	tcb_suspend(t);
	if (t->bound_ntfn)
		t->bound_ntfn->bound = NULL;
	t->bound_ntfn = NULL;
	arch_fpu_forget(t);
	if (current == t)
		current = NULL;
	for (unsigned i = 0; i < TCB_SLOTS; i++)
		cap_delete(&t->slots[i]);
}

void tcb_read_regs(const struct tcb *t, struct hl_regs *r)
{
	const struct user_context *c = &t->ctx;

	*r = (struct hl_regs){ c->rip, c->rsp, c->rflags, c->rax, c->rbx, c->rcx, c->rdx, c->rsi,
			       c->rdi, c->rbp, c->r8, c->r9, c->r10, c->r11, c->r12, c->r13, c->r14,
			       c->r15, c->fs_base };
}

void tcb_write_regs(struct tcb *t, const struct hl_regs *r)
{
	struct user_context *c = &t->ctx;

	c->rip = r->rip < USER_TOP ? r->rip : 0;	/* sysret/iret need a canonical user rip */
	c->rsp = r->rsp;
	c->rflags = (r->rflags & RFLAGS_USER_MASK) | RFLAGS_IF;
	c->rax = r->rax; c->rbx = r->rbx; c->rcx = r->rcx; c->rdx = r->rdx;
	c->rsi = r->rsi; c->rdi = r->rdi; c->rbp = r->rbp;
	c->r8 = r->r8; c->r9 = r->r9; c->r10 = r->r10; c->r11 = r->r11;
	c->r12 = r->r12; c->r13 = r->r13; c->r14 = r->r14; c->r15 = r->r15;
	c->fs_base = r->fs_base < USER_TOP ? r->fs_base : 0;
	c->full = 1;	/* every register matters now: return with iretq */
	t->resume_rf = 0;
}

/*
 * New caps are derived into these kernel slots first, while every source
 * is certainly alive, and moved into the TCB only after its old caps are
 * gone: deleting those can reap the very CNode the sources were in, or the
 * thread itself (a thread configuring itself out of existence).
 */
static struct cap staging[TCB_SLOTS];

static void stage(unsigned i, uint64_t cptr)
{
	int err;
	struct cap *src, v;

	if (cptr && (src = lookup_cap(cptr, &err)) && !cap_derive(src, &v))
		cap_insert_child(&staging[i], &v, src);
}

static int decode_configure(unsigned len)
{
	int err;
	struct cap *c;

	if (len < 6)
		return refuse(E_INVAL, "configure takes 6 words, got %u", len);
	if (arg(0) && (!(c = lookup_cap(arg(0), &err)) || c->type != HL_OBJ_ENDPOINT))
		return refuse(c ? E_TYPE : err, "fault endpoint 0x%lx is not an endpoint", arg(0));
	if (!(c = lookup_cap(arg(1), &err)))
		return refuse(err, "CSpace root 0x%lx names no capability", arg(1));
	if (c->type != HL_OBJ_CNODE)
		return refuse(E_TYPE, "CSpace root must be a CNode");
	if (arg(2) > 64u - c->bits)
		return refuse(E_RANGE, "guard %lu + radix %u exceeds 64 bits", arg(2), c->bits);
	if (!(c = lookup_cap(arg(3), &err)))
		return refuse(err, "VSpace 0x%lx names no capability", arg(3));
	if (c->type != HL_OBJ_VSPACE)
		return refuse(E_TYPE, "VSpace must be a VSpace");
	if (!vspace_has_asid(c))
		return refuse(E_INVAL, "the VSpace has no address-space id (HL_ASID_POOL_ASSIGN)");
	if (!arg(5))
		return E_OK;
	if (!(c = lookup_cap(arg(5), &err)))
		return refuse(err, "IPC buffer frame 0x%lx names no capability", arg(5));
	if (c->type != HL_OBJ_FRAME && c->type != HL_OBJ_FRAME_2M)
		return refuse(E_TYPE, "IPC buffer must be a frame");
	if (c->c)
		return refuse(E_INVAL, "IPC buffer cannot be device memory");
	if (!(c->rights & HL_R_WRITE))
		return refuse(E_PERM, "IPC buffer frame must be writable");
	uint64_t off = arg(4) & ((1ULL << c->bits) - 1);
	if ((off & 7) || off + sizeof(struct hl_ipc_buffer) > (1ULL << c->bits) || arg(4) >= USER_TOP)
		return refuse(E_RANGE, "IPC buffer at 0x%lx does not fit its frame", arg(4));
	return E_OK;
}

static int invoke_configure(struct tcb *t, unsigned len)
{
	int err = decode_configure(len);

	if (err)
		return err;
	static const unsigned order[] = { TCB_FAULT_EP, TCB_CSPACE, TCB_VSPACE, TCB_IPC_FRAME };
	uint64_t guard = arg(2), ipc = arg(4);
	stage(TCB_FAULT_EP, arg(0));
	stage(TCB_CSPACE, arg(1));
	stage(TCB_VSPACE, arg(3));
	stage(TCB_IPC_FRAME, arg(5));
	staging[TCB_CSPACE].guard_size = (uint8_t)guard;
	for (unsigned i = 0; i < ARRAY_LEN(order); i++)
		cap_delete(&t->slots[order[i]]);
	for (unsigned i = 0; i < ARRAY_LEN(order); i++) {
		if (t->dead)
			cap_delete(&staging[order[i]]);	/* the thread is gone: nowhere to put them */
		else if (staging[order[i]].type != HL_OBJ_NULL)
			cap_move(&t->slots[order[i]], &staging[order[i]]);
	}
	t->ipc_buffer = ipc;
	return E_OK;
}

static int invoke_priority(struct tcb *t, uint64_t label, unsigned len)
{
	int err;
	struct cap *auth;

	if (len < 2)
		return refuse(E_INVAL, "takes an authority TCB and a priority");
	if (!(auth = lookup_cap(arg(0), &err)))
		return refuse(err, "authority 0x%lx names no capability", arg(0));
	if (auth->type != HL_OBJ_TCB)
		return refuse(E_TYPE, "authority must be a TCB");
	if (arg(1) > tcb_of(auth)->mcp)
		return refuse(E_RANGE, "%lu is above the authority's maximum controlled priority %u",
			      arg(1), tcb_of(auth)->mcp);
	if (label == HL_TCB_SET_MCP) {
		t->mcp = (uint8_t)arg(1);
		return E_OK;
	}
	bool queued = t->run_next != NULL;
	if (queued)
		sched_dequeue(t);
	t->prio = (uint8_t)arg(1);
	if (queued)
		sched_enqueue(t);
	sched_request();	/* the order of ready threads may have changed */
	return E_OK;
}

static int invoke_regs(struct tcb *t, uint64_t label, unsigned len)
{
	struct hl_regs r;
	uint64_t *w = (uint64_t *)&r;

	if (label == HL_TCB_READ_REGISTERS) {
		tcb_read_regs(t, &r);
		for (unsigned i = 0; i < HL_REGS_WORDS; i++)
			msg_set(current, i, w[i]);
		current->ctx.rsi = hl_msginfo(0, 0, HL_REGS_WORDS);
		result_value(HL_REGS_WORDS);
		return E_OK;
	}
	if (len < 1 + HL_REGS_WORDS)
		return refuse(E_INVAL, "write registers takes 1 + %lu words, got %u", HL_REGS_WORDS, len);
	if (t == current)
		return refuse(E_BUSY, "a thread cannot rewrite its own registers");
	for (unsigned i = 0; i < HL_REGS_WORDS; i++)
		w[i] = arg(1 + i);
	if (r.rip >= USER_TOP || r.fs_base >= USER_TOP)
		return refuse(E_RANGE, "rip 0x%lx or fs base 0x%lx outside user space", r.rip, r.fs_base);
	tcb_suspend(t);		/* a blocked call is cancelled, not restarted over the new rip */
	tcb_write_regs(t, &r);
	t->exited = 0;		/* new registers: a new start */
	if (arg(0) & 1)
		tcb_resume(t);
	return E_OK;
}

static int invoke_bind(struct tcb *t, uint64_t label, unsigned len)
{
	int err;
	struct cap *c;

	if (label == HL_TCB_UNBIND_NOTIFICATION) {
		if (!t->bound_ntfn)
			return refuse(E_INVAL, "no notification is bound");
		t->bound_ntfn->bound = NULL;
		t->bound_ntfn = NULL;
		return E_OK;
	}
	if (len < 1)
		return refuse(E_INVAL, "bind takes a notification");
	if (!(c = lookup_cap(arg(0), &err)))
		return refuse(err, "notification 0x%lx names no capability", arg(0));
	if (c->type != HL_OBJ_NOTIFICATION)
		return refuse(E_TYPE, "bind needs a notification");
	if (!(c->rights & HL_R_READ))
		return refuse(E_PERM, "binding needs the read right");
	struct notification *n = (struct notification *)c->obj;
	if (t->bound_ntfn || n->bound)
		return refuse(E_BUSY, "thread or notification already bound");
	t->bound_ntfn = n;
	n->bound = t;
	return E_OK;
}

/*
 * The right each method needs on the TCB cap, checked before anything else:
 * DEBUG for what exposes or rewrites the thread's state and stops or starts
 * it, CONFIGURE for what changes what it runs on, where its faults and
 * signals go, and its scheduling, TRACE for recording it. INFO needs none.
 */
static unsigned tcb_right_needed(uint64_t label)
{
	switch (label) {
	case HL_TCB_READ_REGISTERS: case HL_TCB_WRITE_REGISTERS:
	case HL_TCB_SUSPEND: case HL_TCB_RESUME:
		return HL_R_DEBUG;
	case HL_TCB_CONFIGURE: case HL_TCB_SET_PRIORITY: case HL_TCB_SET_MCP:
	case HL_TCB_SET_TLS_BASE: case HL_TCB_BIND_NOTIFICATION: case HL_TCB_UNBIND_NOTIFICATION:
	case HL_TCB_SET_TIMESLICE:
		return HL_R_CONFIGURE;
	case HL_TCB_SET_TRACE:
		return HL_R_TRACE;
	}
	return label >= HL_TCB_DEBUG_BIND && label <= HL_TCB_DEBUG_STEP ? HL_R_DEBUG : 0;
}

static const char *right_name(unsigned right)
{
	return right == HL_R_DEBUG ? "debug" : right == HL_R_TRACE ? "trace" : "configure";
}

int tcb_invoke(struct cap *c, uint64_t label, unsigned len)
{
	struct tcb *t = tcb_of(c);
	unsigned need = tcb_right_needed(label);

	if (need && !(c->rights & need))
		return refuse(E_PERM, "method %lu on thread %lu needs the %s right", label, t->id,
			      right_name(need));
	if (label >= HL_TCB_DEBUG_BIND && label <= HL_TCB_DEBUG_STEP)
		return debug_invoke(c, label, len);
	switch (label) {
	case HL_TCB_SET_TRACE:
		if (len < 1)
			return refuse(E_INVAL, "takes 1 (on) or 0 (off)");
		t->traced = arg(0) != 0;
		return E_OK;
	case HL_TCB_CONFIGURE:
		return invoke_configure(t, len);
	case HL_TCB_SET_PRIORITY:
	case HL_TCB_SET_MCP:
		return invoke_priority(t, label, len);
	case HL_TCB_READ_REGISTERS:
	case HL_TCB_WRITE_REGISTERS:
		return invoke_regs(t, label, len);
	case HL_TCB_RESUME:
		if (!tcb_runnable_config(t))
			return refuse(E_INVAL, "thread %lu has no CSpace or VSpace to run in", t->id);
		if (t->exited)
			return refuse(E_INVAL, "thread %lu exited: give it new registers to start again", t->id);
		tcb_resume(t);
		return E_OK;
	case HL_TCB_SUSPEND:
		if (t == current)
			t->ctx.rax = E_OK;	/* what it sees when resumed */
		tcb_suspend(t);
		return E_OK;
	case HL_TCB_SET_TLS_BASE:
		if (len < 1 || arg(0) >= USER_TOP)
			return refuse(E_RANGE, "TLS base must be a user address");
		t->ctx.fs_base = arg(0);
		return E_OK;
	case HL_TCB_BIND_NOTIFICATION:
	case HL_TCB_UNBIND_NOTIFICATION:
		return invoke_bind(t, label, len);
	case HL_TCB_SET_TIMESLICE:
		if (len < 1 || arg(0) < 1 || arg(0) > 1000)
			return refuse(E_RANGE, "time slice must be 1..1000 ticks");
		t->timeslice = t->ticks_left = (uint32_t)arg(0);
		return E_OK;
	case HL_TCB_INFO:
		msg_set(current, 0, t->prio);
		msg_set(current, 1, t->mcp);
		msg_set(current, 2, t->id);
		result_value(t->state);
		return E_OK;
	}
	return refuse(E_NOSYS, "TCB has no method %lu", label);
}
