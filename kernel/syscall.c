/*
 * syscall.c: the system call table, message words, and the refusal log.
 * Entry (entry.S) saved the user registers in current->ctx; each handler
 * sets rax (status) and rdx (value) there, or blocks the thread.
 */
#include <stdarg.h>
#include "arch.h"
#include "asid.h"
#include "cnode.h"
#include "ipc.h"
#include "kernel.h"
#include "stats.h"
#include "syscall.h"
#include "trace.h"

bool hl_debug;

static const char *const error_names[E_COUNT] = {
	"E_OK", "E_INVAL", "E_NOCAP", "E_TYPE", "E_PERM", "E_NOMEM", "E_BUSY", "E_EXIST",
	"E_RANGE", "E_FAULT", "E_DEAD", "E_AGAIN", "E_NOSYS", "E_MAPPED", "E_NOTABLE",
};

const char *error_name(int err)
{
	return err >= 0 && err < E_COUNT ? error_names[err] : "E_?";
}

void refusal_log(const char *fn, int err, const char *fmt, ...)
{
	va_list ap;

	kprintf("helios: refused (%s) in %s, thread %lu at rip 0x%lx: ", error_name(err), fn,
		current ? current->id : 0, current ? current->ctx.rip : 0);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
}

uint64_t msg_get(const struct tcb *t, unsigned i)
{
	switch (i) {
	case 0: return t->ctx.rdx;
	case 1: return t->ctx.r10;
	case 2: return t->ctx.r8;
	case 3: return t->ctx.r9;
	}
	const struct hl_ipc_buffer *b = tcb_ipc_buffer(t);
	return b && i < HL_MSG_MAX ? b->mr[i] : 0;
}

void msg_set(struct tcb *t, unsigned i, uint64_t v)
{
	switch (i) {
	case 0: t->ctx.rdi = v; return;
	case 1: t->ctx.r10 = v; return;
	case 2: t->ctx.r8 = v; return;
	case 3: t->ctx.r9 = v; return;
	}
	struct hl_ipc_buffer *b = tcb_ipc_buffer(t);
	if (b && i < HL_MSG_MAX)
		b->mr[i] = v;
}

struct cap *lookup_cap(uint64_t cptr, int *err)
{
	struct cap *c = cap_resolve(&current->slots[TCB_CSPACE], cptr, 64, err);

	if (c && c->type == HL_OBJ_NULL) {
		*err = E_NOCAP;
		return NULL;
	}
	return c;
}

struct cap *lookup_slot_in(uint64_t root, uint64_t index, uint64_t depth, struct cap **cnode,
			   uint64_t *slot_index, int *err)
{
	struct cap *r = lookup_cap(root, err);

	if (!r)
		return NULL;
	if (r->type != HL_OBJ_CNODE) {
		*err = E_TYPE;
		return NULL;
	}
	return cap_resolve_in(r, index, (unsigned)(depth > 64 ? 0 : depth), cnode, slot_index, err);
}

struct cap *lookup_slot(uint64_t root, uint64_t index, uint64_t depth, int *err)
{
	struct cap *cn;
	uint64_t i;

	return lookup_slot_in(root, index, depth, &cn, &i, err);
}

/* HL_SYS_CALL on a kernel object: the label picks the method. */
static int invoke(struct cap *c, uint64_t info)
{
	STAT(invocations)++;
	uint64_t label = hl_msg_label(info);
	unsigned len = hl_msg_length(info);

	if (len > HL_MSG_MAX)
		return refuse(E_INVAL, "message length %u > %u", len, HL_MSG_MAX);
	switch (c->type) {
	case HL_OBJ_UNTYPED: return untyped_invoke(c, label, len);
	case HL_OBJ_CNODE: return cnode_invoke(c, label, len);
	case HL_OBJ_TCB: return tcb_invoke(c, label, len);
	case HL_OBJ_VSPACE: return refuse(E_NOSYS, "VSpace has no methods (map into it)");
	case HL_OBJ_PDPT: case HL_OBJ_PD: case HL_OBJ_PT: return pagetable_invoke(c, label, len);
	case HL_OBJ_FRAME: case HL_OBJ_FRAME_2M: return frame_invoke(c, label, len);
	case HL_OBJ_IRQ_CONTROL: case HL_OBJ_IRQ_HANDLER: return irq_invoke(c, label, len);
	case HL_OBJ_IOPORT_CONTROL: case HL_OBJ_IOPORT: return ioport_invoke(c, label, len);
	case HL_OBJ_CONSOLE: return console_invoke(c, label, len);
	case HL_OBJ_TRACE_CONTROL: return trace_invoke(c, label, len);
	case HL_OBJ_ASID_CONTROL: case HL_OBJ_ASID_POOL: return asid_invoke(c, label, len);
	case HL_OBJ_TIMER: return timer_invoke(c, label, len);
	default: return refuse(E_TYPE, "object type %u cannot be invoked", c->type);
	}
}

static int sys_call(struct cap *c, uint64_t info)
{
	if (c->type == HL_OBJ_ENDPOINT)
		return ep_send(c, info, true, true);
	if (c->type == HL_OBJ_NOTIFICATION || c->type == HL_OBJ_REPLY)
		return refuse(E_TYPE, "call on a %s", c->type == HL_OBJ_REPLY ? "Reply" : "Notification");
	return invoke(c, info);
}

/* The thread stops for good; whoever handles its faults hears of it. */
static int sys_exit(uint64_t code)
{
	struct tcb *t = current;

	t->exited = 1;
	t->fault_type = HL_FAULT_EXIT;
	t->fault_addr = code;
	t->fault_error = 0;
	t->fault_vector = 0;
	fault_deliver(t);
	return E_OK;
}

static int sys_dispatch(uint64_t nr, uint64_t cptr, uint64_t info)
{
	int err = E_OK;
	struct cap *c;

	if (nr == HL_SYS_NULL)
		return E_OK;
	if (nr == HL_SYS_YIELD) {
		sched_yield();
		return E_OK;
	}
	if (nr == HL_SYS_EXIT)
		return sys_exit(cptr);
	if (nr == HL_SYS_PROBE)
		return trace_user_probe(cptr);
	if (nr >= HL_SYS_COUNT)
		return refuse(E_NOSYS, "no syscall %lu", nr);
	if (nr == HL_SYS_REPLY)
		return reply_send(cptr, info);
	if (!(c = lookup_cap(cptr, &err)))
		return refuse(err, "cptr 0x%lx does not name a capability", cptr);
	switch (nr) {
	case HL_SYS_SEND: return ep_send_or_signal(c, info, true);
	case HL_SYS_NBSEND: return ep_send_or_signal(c, info, false);
	case HL_SYS_CALL: return sys_call(c, info);
	case HL_SYS_RECV: return ep_recv(c, current->ctx.r12, true);
	case HL_SYS_NBRECV: return ep_recv(c, current->ctx.r12, false);
	case HL_SYS_REPLY_RECV: return reply_recv(c, current->ctx.r12, info);
	case HL_SYS_SIGNAL: return ntfn_signal(c);
	case HL_SYS_WAIT: return ntfn_wait(c, true);
	case HL_SYS_POLL: return ntfn_wait(c, false);
	}
	return refuse(E_NOSYS, "no syscall %lu", nr);
}

/*
 * Handles the current thread's syscall. A handler that blocks the thread
 * returns E_OK after setting the thread's state; its real result is written
 * when it is woken. Only a thread still running gets this status.
 */
void syscall_dispatch(void)
{
	struct tcb *t = current;
	uint64_t nr = t->ctx.rax;

	if (nr < HL_SYS_COUNT)
		STAT(syscalls[nr])++;
	TRACE(SYSCALL_ENTRY, t, nr, t->ctx.rdi, t->ctx.rsi, t->ctx.rdx, t->ctx.r10, t->ctx.r8);
	int err = sys_dispatch(nr, t->ctx.rdi, t->ctx.rsi);
	if (err)
		STAT(refusals)++;
	if (t->state == HL_THREAD_RUNNABLE || err != E_OK)
		t->ctx.rax = (uint64_t)err;
	TRACE(SYSCALL_EXIT, t, nr, err, t->ctx.rdx);
}
