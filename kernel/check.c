/*
 * check.c: invariant checks over every structure reachable from the
 * derivation list: list links and depths, objects' wait queues, thread
 * states, and the ready queues. Used after the syscall fuzzer runs.
 */
#include "check.h"
#include "ipc.h"
#include "kernel.h"
#include "sched.h"

static unsigned problems;

static void problem(const char *what, uint64_t a, uint64_t b)
{
	if (problems++ < 20)
		kprintf("check: %s (0x%lx, 0x%lx)\n", what, a, b);
}

static void check_queue(const struct thread_queue *q, void *owner, unsigned state, uint64_t id)
{
	unsigned n = 0;

	for (const struct tcb *t = q->head, *prev = NULL; t; prev = t, t = t->wait_next) {
		if (t->wait_prev != prev)
			problem("wait queue back link broken", id, t->id);
		if (t->blocked_on != owner || (state && t->state != state))
			problem("queued thread not blocked on its queue", id, t->id);
		if (++n > 100000) {
			problem("wait queue loops", id, 0);
			return;
		}
	}
}

static void check_cap(const struct cap *c)
{
	switch (c->type) {
	case HL_OBJ_ENDPOINT: {
		const struct endpoint *ep = (const struct endpoint *)c->obj;
		if ((ep->kind == EP_IDLE) != (ep->queue.head == NULL))
			problem("endpoint kind disagrees with its queue", c->obj, ep->kind);
		check_queue(&ep->queue, (void *)ep, ep->kind == EP_SENDERS ? HL_THREAD_BLOCKED_SEND :
				ep->kind == EP_RECEIVERS ? HL_THREAD_BLOCKED_RECV : 0, c->obj);
		break;
	}
	case HL_OBJ_NOTIFICATION: {
		const struct notification *n = (const struct notification *)c->obj;
		check_queue(&n->waiters, (void *)n, HL_THREAD_BLOCKED_NOTIFICATION, c->obj);
		if (n->waiters.head && n->word)
			problem("notification has both waiters and pending bits", c->obj, n->word);
		if (n->bound && n->bound->bound_ntfn != n)
			problem("notification binding is one-sided", c->obj, n->bound->id);
		break;
	}
	case HL_OBJ_REPLY: {
		const struct reply *r = (const struct reply *)c->obj;
		if (r->caller && (r->caller->reply != r || r->caller->state != HL_THREAD_BLOCKED_REPLY))
			problem("reply's caller is not waiting on it", c->obj, r->caller->id);
		break;
	}
	case HL_OBJ_TCB: {
		const struct tcb *t = tcb_of(c);
		bool queued = t->run_next != NULL;
		if (queued && t->state != HL_THREAD_RUNNABLE)
			problem("thread on a ready queue is not runnable", t->id, t->state);
		if (queued && t == current)
			problem("running thread is on a ready queue", t->id, 0);
		if (t->state == HL_THREAD_RUNNABLE && !queued && t != current)
			problem("runnable thread is on no ready queue", t->id, 0);
		if (t->state >= HL_THREAD_BLOCKED_SEND && !t->blocked_on)
			problem("blocked thread blocked on nothing", t->id, t->state);
		break;
	}
	}
}

unsigned kernel_check(void)
{
	const struct cap *prev = NULL;
	unsigned long n = 0;

	problems = 0;
	for (const struct cap *c = cap_list_head(); c; prev = c, c = c->next) {
		if (c->prev != prev)
			problem("derivation list back link broken", (uint64_t)c, (uint64_t)prev);
		if (c->type == HL_OBJ_NULL || c->type >= HL_OBJ_COUNT)
			problem("empty or invalid cap in the derivation list", (uint64_t)c, c->type);
		if (prev && c->depth > prev->depth + 1)
			problem("cap deeper than its parent allows", (uint64_t)c, c->depth);
		check_cap(c);
		if (++n > (1UL << 26)) {
			problem("derivation list loops", (uint64_t)c, 0);
			break;
		}
	}
	kprintf("check: %lu caps, %u problems\n", n, problems);
	return problems;
}
