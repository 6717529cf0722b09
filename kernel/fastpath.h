/* fastpath.h: call and reply_recv in one pass; they return only to fall back. */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include "tcb.h"

void fastpath_call(struct tcb *t);
void fastpath_reply_recv(struct tcb *t);

#endif
