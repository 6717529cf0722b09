/*
 * sched.c: the ready queues. Each priority has a circular list; a 256-bit
 * map says which are non-empty. The kernel is not preemptible: a decision
 * is taken once per kernel entry, just before returning to user space.
 */
#include "arch.h"
#include "kernel.h"
#include "sched.h"
#include <helios/trace.h>

struct tcb *current;
unsigned sched_reason;
static struct tcb *queue[256];
static uint64_t ready_map[4];
int sched_ready_top_prio = -1;		/* highest non-empty priority, -1 if none */
static bool resched;

static int highest_ready(void)
{
	for (int w = 3; w >= 0; w--)
		if (ready_map[w])
			return w * 64 + 63 - __builtin_clzll(ready_map[w]);
	return -1;
}

void sched_enqueue(struct tcb *t)
{
	struct tcb **q = &queue[t->prio];

	if (t->run_next)
		return;			/* already queued */
	if (!*q) {
		t->run_next = t->run_prev = t;
		*q = t;
		ready_map[t->prio >> 6] |= 1ULL << (t->prio & 63);
		if (t->prio > sched_ready_top_prio)
			sched_ready_top_prio = t->prio;
		return;
	}
	t->run_next = *q;
	t->run_prev = (*q)->run_prev;
	(*q)->run_prev->run_next = t;
	(*q)->run_prev = t;
}

void sched_dequeue(struct tcb *t)
{
	struct tcb **q = &queue[t->prio];

	if (!t->run_next)
		return;
	if (t->run_next == t) {
		*q = NULL;
		ready_map[t->prio >> 6] &= ~(1ULL << (t->prio & 63));
		if (t->prio == sched_ready_top_prio)
			sched_ready_top_prio = highest_ready();
	} else {
		t->run_prev->run_next = t->run_next;
		t->run_next->run_prev = t->run_prev;
		if (*q == t)
			*q = t->run_next;
	}
	t->run_next = t->run_prev = NULL;
}

void sched_request(void)
{
	resched = true;
}

/*
 * The current thread keeps the CPU unless it stopped being runnable, a
 * higher priority is ready, or it asked to give way (time slice used up,
 * yield). The running thread is not on its ready queue.
 */
void sched_choose(void)
{
	struct tcb *cur = current;

	if (cur && cur->state == HL_THREAD_RUNNABLE && !resched && (int)cur->prio >= sched_ready_top_prio)
		return;
	int best = sched_ready_top_prio;
	sched_reason = !cur || cur->state != HL_THREAD_RUNNABLE ? HL_SWITCH_BLOCK
		       : cur->ticks_left == cur->timeslice ? HL_SWITCH_YIELD : HL_SWITCH_PREEMPT;
	resched = false;
	if (cur && cur->state == HL_THREAD_RUNNABLE) {
		if (best < 0 || (int)cur->prio > best)
			return;		/* nothing else to run at or above its level */
		sched_enqueue(cur);
		best = sched_ready_top_prio;
	}
	if (best < 0) {
		current = NULL;
		return;
	}
	struct tcb *next = queue[best];
	sched_dequeue(next);
	current = next;
}

void sched_switch_to(struct tcb *t)
{
	struct tcb *cur = current;

	sched_dequeue(t);
	if (cur && cur != t && cur->state == HL_THREAD_RUNNABLE)
		sched_enqueue(cur);
	sched_reason = HL_SWITCH_IPC;
	current = t;
}

void sched_yield(void)
{
	if (current)
		current->ticks_left = current->timeslice;
	resched = true;
}

void sched_tick(void)
{
	struct tcb *cur = current;

	if (!cur)
		return;
	if (cur->ticks_left > 1) {
		cur->ticks_left--;
		return;
	}
	cur->ticks_left = cur->timeslice;
	resched = true;
}
