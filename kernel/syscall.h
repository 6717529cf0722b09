/*
 * syscall.h: what a system call handler works with: the current thread's
 * message words, its result, and the refusal log.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>
#include <stdbool.h>
#include <helios/helios.h>
#include "sched.h"
#include "tcb.h"

/* Message word i of t's outgoing message (registers, then IPC buffer; 0 if absent). */
uint64_t msg_get(const struct tcb *t, unsigned i);
/* Sets message word i of t's incoming message (registers, then IPC buffer). */
void msg_set(struct tcb *t, unsigned i, uint64_t v);
static inline uint64_t arg(unsigned i) { return msg_get(current, i); }

/* The value half of the current call's (status, value) result. */
static inline void result_value(uint64_t v) { current->ctx.rdx = v; }

/* Resolves cptr in the current thread's CSpace (depth 64). */
struct cap *lookup_cap(uint64_t cptr, int *err);
/* Resolves (root cptr, index, depth) to a slot, for invocations that name slots. */
struct cap *lookup_slot(uint64_t root, uint64_t index, uint64_t depth, int *err);
struct cap *lookup_slot_in(uint64_t root, uint64_t index, uint64_t depth, struct cap **cnode,
			   uint64_t *slot_index, int *err);

/*
 * Every refusal goes through refuse(): with the debug switch on (kernel
 * command line `hl_debug`, or HL_CONSOLE_DEBUG), the kernel logs the
 * function, the reason, the thread and its user RIP.
 */
extern bool hl_debug;
void refusal_log(const char *fn, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define refuse(err, ...) \
	(hl_debug ? (refusal_log(__func__, (err), __VA_ARGS__), (err)) : (err))

const char *error_name(int err);

void syscall_dispatch(void);

#endif
