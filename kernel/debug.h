/*
 * debug.h: debugging threads through TCB caps with the debug right:
 * memory of the thread's address space, hardware breakpoints and single
 * step, and the debug endpoint that receives the thread's events.
 */
#ifndef KERNEL_DEBUG_H
#define KERNEL_DEBUG_H

#include <stdint.h>
#include "cap.h"

struct tcb;

int debug_invoke(struct cap *c, uint64_t label, unsigned len);
/* A TCB cap is leaving slot: if it bound a debugger, the binding goes too. */
void debug_cap_removed(struct cap *slot);
/* A TCB cap moved: keep the binding with it. */
void debug_cap_moved(struct cap *from, struct cap *to);
/* A #DB from user mode: turns DR6 into a step or watchpoint event. Does not return. */
__attribute__((noreturn)) void debug_exception(uint64_t dr6);

#endif
