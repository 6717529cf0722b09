/*
 * trace.h: kernel tracepoints. TRACE(ID, thread, args...) records an
 * event if probe ID is switched on; switched off it costs one compare and
 * one predictable branch, and its arguments are not evaluated. A kernel
 * built with -DHELIOS_NO_PROBES has no probe sites at all (for measuring
 * what the sites cost). THREAD-scope probes record only for threads with
 * tracing on; pass the thread the event belongs to (NULL for none).
 *
 * The common case of an enabled site (room in the ring, nothing lost to
 * report) is written inline at the site: a record is a handful of stores.
 * Everything else goes to trace_emit_slow() in trace.c.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include <stdint.h>
#include <stdbool.h>
#include <helios/trace.h>
#include "arch/x86_64/cpu.h"
#include "cap.h"
#include "tcb.h"

extern uint8_t trace_on[HL_PROBE_COUNT];
extern uint8_t trace_any_on;

/* The ring as the writer sees it (trace.c owns it). */
struct trace_ring {
	struct hl_trace_header *hdr;		/* NULL: no ring */
	uint64_t limit;				/* capacity; 0 while lost records wait to be
						   reported, so that every write goes slow */
	struct hl_trace_record *next;		/* where the next record goes */
	struct hl_trace_record *frame_end;	/* end of next's frame */
	uint64_t capacity, pending_lost;
	unsigned frame;				/* index of next's frame */
};
extern struct trace_ring trace_ring;

/* Some probe is on: hot paths with several sites test this once and run a
 * copy of themselves without sites when it is clear (see fastpath.c). */
static inline bool trace_some_on(void)
{
#ifdef HELIOS_NO_PROBES
	return false;
#else
	return __builtin_expect(trace_any_on, 0);
#endif
}

void trace_emit_slow(unsigned probe, unsigned nargs, uint64_t thread, uint64_t a0, uint64_t a1,
		     uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
/* Moves trace_ring.next to the next frame, or back to the first record. */
void trace_ring_advance(void);

/* The record's time stamp; no fence: event order is the ring's order. */
static inline uint64_t trace_clock(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline __attribute__((always_inline)) void
trace_record(unsigned probe, unsigned scope, unsigned nargs, struct tcb *t, uint64_t a0, uint64_t a1,
	     uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct hl_trace_header *h = trace_ring.hdr;

	if (!h || (scope == HL_TRACE_THREAD && !(t && t->traced)))
		return;
	uint64_t thread = t ? t->id : 0, head = h->head;
	if (__builtin_expect(head - h->tail >= trace_ring.limit, 0)) {
		trace_emit_slow(probe, nargs, thread, a0, a1, a2, a3, a4, a5);
		return;
	}
	uint64_t *w = (uint64_t *)trace_ring.next;
	w[0] = trace_clock();
	w[1] = probe | (uint64_t)nargs << 24 | thread << 32;	/* probe, cpu 0, nargs, thread */
	w[2] = a0; w[3] = a1; w[4] = a2; w[5] = a3; w[6] = a4; w[7] = a5;
	if (__builtin_expect(++trace_ring.next == trace_ring.frame_end, 0))
		trace_ring_advance();
	__asm__ volatile("" : : : "memory");	/* the record before the head that shows it */
	h->head = head + 1;
}

/* Per-probe constants, so each site folds its scope and argument count. */
enum {
#define TRACE_CONSTS(id, group, name, scope, nargs, args) \
	TRACE_SCOPE_##id = scope, TRACE_NARGS_##id = nargs,
	HL_PROBES(TRACE_CONSTS)
#undef TRACE_CONSTS
};

#define TRACE_SIX(a, b, c, d, e, f, ...) a, b, c, d, e, f
#ifdef HELIOS_NO_PROBES
#define TRACE(id, thread, ...) ((void)0)
#else
#define TRACE(id, thread, ...)                                                          \
	do {                                                                            \
		if (__builtin_expect(trace_on[HL_PROBE_##id], 0))                       \
			trace_record(HL_PROBE_##id, TRACE_SCOPE_##id, TRACE_NARGS_##id, \
				     (thread), TRACE_SIX(__VA_ARGS__, 0, 0, 0, 0, 0, 0)); \
	} while (0)
#endif

int trace_invoke(struct cap *c, uint64_t label, unsigned len);
unsigned trace_table_mismatches(void);
/* A user-space probe fired (HL_SYS_PROBE). */
int trace_user_probe(uint64_t id);
/* Called before any slot is emptied: the ring's own frame copies may be going. */
void trace_slot_removed(const struct cap *slot);

#endif
