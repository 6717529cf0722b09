/* fastpath.h: call and reply_recv in one pass; they return only to fall back. */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include "tcb.h"
#include "trace.h"

void fastpath_call_plain(struct tcb *t);
void fastpath_call_traced(struct tcb *t);
void fastpath_reply_recv_plain(struct tcb *t);
void fastpath_reply_recv_traced(struct tcb *t);

void fastpath_signal(struct tcb *t);
void fastpath_wait(struct tcb *t);

/* One test picks the copy with probe sites only when some probe is on. */
static inline void fastpath_call(struct tcb *t)
{
	if (trace_some_on())
		fastpath_call_traced(t);
	else
		fastpath_call_plain(t);
}

static inline void fastpath_reply_recv(struct tcb *t)
{
	if (trace_some_on())
		fastpath_reply_recv_traced(t);
	else
		fastpath_reply_recv_plain(t);
}

#endif
