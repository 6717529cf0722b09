/*
 * sched.h: fixed-priority round-robin scheduling. 256 priorities (higher
 * first), one ready queue each, a bitmap to find the highest in a few
 * instructions. The LAPIC tick charges the running thread's time slice.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "tcb.h"

#define SCHED_DEFAULT_TIMESLICE 5	/* ticks */

/* The thread whose context the CPU returns to (NULL: idle). */
extern struct tcb *current;
/* Why the last switch happened (enum hl_switch_reason), for the trace. */
extern unsigned sched_reason;

void sched_enqueue(struct tcb *t);	/* at the tail of its priority */
void sched_dequeue(struct tcb *t);
/* Picks the next thread to run (may be the current one) before returning to user. */
void sched_choose(void);
/* Marks that the current thread should give way after this kernel entry. */
void sched_request(void);
void sched_yield(void);
/* The highest priority with a ready thread, -1 if none (read on fast paths). */
extern int sched_ready_top_prio;
static inline int sched_ready_top(void)
{
	return sched_ready_top_prio;
}
void sched_tick(void);
/* Switches straight to t (IPC hand-off), leaving the current thread as it is. */
void sched_switch_to(struct tcb *t);

#endif
