/*
 * bus.h: the service bus server (docs/mercury-bus.md). bus_serve() runs
 * the bus on one thread of whatever program hosts it: the bus program
 * (mercury/bus/main.c) or a test's root task. The host makes the kernel
 * objects and hands over a pool of empty slots; the bus then never
 * allocates.
 *
 * Threads: the server thread runs bus_serve(); an optional clock thread
 * runs bus_clock() and signals the server's bound notification when a
 * wait's deadline passes (the kernel has no timeouts).
 */
#ifndef MERCURY_BUS_H
#define MERCURY_BUS_H

#include <stdbool.h>
#include <stdint.h>
#include <mercury/hl.h>
#include "bus_policy.h"
#include "bus_table.h"

#define BUS_SLOTS_MAX	(BUS_ENTRIES_MAX + 8)

/* What the host gives the bus. Slots are cptrs of depth 64 in the
 * server thread's CSpace, whose root CNode cap is cnode. */
struct bus_config {
	hl_cptr_t cnode;
	hl_cptr_t ep;			/* the bus endpoint (receive right) */
	hl_cptr_t replies[BUS_PENDING_MAX + 1];	/* Reply objects: one per pending request, plus one */
	unsigned nreplies;		/* 2..BUS_PENDING_MAX + 1 */
	hl_cptr_t slots[BUS_SLOTS_MAX];	/* empty slots */
	unsigned nslots;		/* at least 4 */
	hl_cptr_t tick;			/* notification bound to the server thread (0: no timeouts) */
	uint64_t tsc_hz;		/* for timeouts */
};

struct bus {
	struct bus_table t;
	struct bus_policy policy;
	hl_cptr_t cnode, ep, tick;
	hl_cptr_t reply;			/* the Reply object of the next receive */
	hl_cptr_t free_reply[BUS_PENDING_MAX + 1];
	unsigned nfree_reply;
	hl_cptr_t free_slot[BUS_SLOTS_MAX];
	unsigned nfree_slot;
	hl_cptr_t recv_slot;			/* where a request's cap lands */
	hl_cptr_t out_slot;			/* the minted cap of the reply being sent (0: none) */
	uint64_t tsc_hz;
	volatile uint64_t next_deadline;	/* read by the clock thread */
	hl_cptr_t clock_wake;			/* notification the clock sleeps on (0: no clock) */
	bool deferred;				/* the request is pending: do not reply now */
	bool recv_taken;			/* the handler kept the received cap */
};

/* Sets up b from c with no rules (everything refused). Returns E_OK, or
 * E_INVAL for a config with too few replies or slots. */
int bus_init(struct bus *b, const struct bus_config *c);

/* Adds one policy rule (docs/mercury-bus.md §3); as bus_policy_add. */
int bus_rule(struct bus *b, const char *line, const char **why);

/* Serves requests forever. Does not return. */
void bus_serve(struct bus *b) __attribute__((noreturn));

/* The clock loop: waits on wake while nothing has a deadline, else
 * yields until the earliest deadline passes and signals the server's
 * tick. Run it on a thread of its own at a low priority: it spins
 * (yielding) while a timed wait is pending, so it should only use time
 * nobody else wants. Does not return. */
void bus_clock(struct bus *b, hl_cptr_t wake, hl_cptr_t tick) __attribute__((noreturn));

/* Empty slots the bus holds now (for leak checks: equal to nslots when
 * nothing is registered or pending). */
unsigned bus_free_slots(const struct bus *b);

/* The TSC. */
static inline uint64_t bus_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#endif
