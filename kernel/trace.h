/*
 * trace.h: kernel tracepoints. TRACE(ID, thread, args...) records an
 * event if probe ID is switched on; switched off it costs one compare and
 * one predictable branch, and its arguments are not evaluated. A kernel
 * built with -DHELIOS_NO_PROBES has no probe sites at all (for measuring
 * what the sites cost). THREAD-scope probes record only for threads with
 * tracing on; pass the thread the event belongs to (NULL for none).
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include <stdint.h>
#include <stdbool.h>
#include <helios/trace.h>
#include "cap.h"

struct tcb;
extern uint8_t trace_on[HL_PROBE_COUNT];
/* Some probe is on: hot paths with several sites test this once and run a
 * copy of themselves without sites when it is clear (see fastpath.c). */
extern uint8_t trace_any_on;
static inline bool trace_some_on(void)
{
#ifdef HELIOS_NO_PROBES
	return false;
#else
	return __builtin_expect(trace_any_on, 0);
#endif
}

void trace_emit(unsigned probe, struct tcb *t, uint64_t a0, uint64_t a1, uint64_t a2,
		uint64_t a3, uint64_t a4, uint64_t a5);

#define TRACE_SIX(a, b, c, d, e, f, ...) a, b, c, d, e, f
#ifdef HELIOS_NO_PROBES
#define TRACE(id, thread, ...) ((void)0)
#else
#define TRACE(id, thread, ...)                                                        \
	do {                                                                          \
		if (__builtin_expect(trace_on[HL_PROBE_##id], 0))                     \
			trace_emit(HL_PROBE_##id, (thread),                           \
				   TRACE_SIX(__VA_ARGS__, 0, 0, 0, 0, 0, 0));         \
	} while (0)
#endif

int trace_invoke(struct cap *c, uint64_t label, unsigned len);
/* A user-space probe fired (HL_SYS_PROBE). */
int trace_user_probe(uint64_t id);
/* Called before any slot is emptied: the ring's own frame copies may be going. */
void trace_slot_removed(const struct cap *slot);

#endif
