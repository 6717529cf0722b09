/*
 * main.c: the bus program (sbin/bus, docs/mercury-bus.md §2).
 *
 * Its starter hands it "bus.ep" (the endpoint it serves), "bus.memory" (a
 * moved Untyped of at least 64 KiB), the self caps (spawn_opts.self) and a
 * CSpace of 2^7 slots, and one policy rule per argument. From bus.memory
 * it makes the Reply pool, the tick notification bound to its own thread,
 * and the clock thread with the notification it sleeps on; the empty
 * slots after its named caps are the bus's slot pool. Then it serves
 * (bus_serve) and never returns. A bad rule or a missing cap: it prints
 * why and exits with status 2.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

#include "bus.h"

static struct bus bus;
static hl_cptr_t clock_wake, tick;
static uint64_t clock_stack[512] __attribute__((aligned(16)));

static void clock_main(uint64_t arg)
{
	(void)arg;
	bus_clock(&bus, clock_wake, tick);
}

/* One object of type from mem in our next empty slot; 0 on failure. */
static hl_cptr_t make(hl_cptr_t mem, unsigned *next, uint64_t type)
{
	hl_cptr_t s = proc_slot((*next)++);

	if (!s || hl_untyped_retype(mem, type, 0, proc_cap(SPAWN_SELF_CNODE), s, 64, 1).status != E_OK)
		return 0;
	return s;
}

/* Fills c from bus.memory and our empty slots; makes the clock's TCB in
 * *clock. Returns 0, or a reason. */
static const char *configure(struct bus_config *c, hl_cptr_t *clock)
{
	hl_cptr_t mem = proc_cap("bus.memory");
	unsigned next = 0;
	int ok = 1;

	memset(c, 0, sizeof(*c));
	c->cnode = proc_cap(SPAWN_SELF_CNODE);
	c->ep = proc_cap("bus.ep");
	c->tsc_hz = merc_tsc_hz;
	if (!c->cnode || !c->ep || !mem || !proc_cap(SPAWN_SELF_TCB))
		return "needs the caps bus.ep, bus.memory (moved) and the self caps";
	c->nreplies = BUS_PENDING_MAX + 1;
	for (unsigned i = 0; i < c->nreplies; i++)
		ok &= (c->replies[i] = make(mem, &next, HL_OBJ_REPLY)) != 0;
	ok &= (c->tick = tick = make(mem, &next, HL_OBJ_NOTIFICATION)) != 0;
	ok &= (clock_wake = make(mem, &next, HL_OBJ_NOTIFICATION)) != 0;
	ok &= (*clock = make(mem, &next, HL_OBJ_TCB)) != 0;
	if (!ok)
		return "bus.memory too small, or too few slots, for the Reply pool and the clock";
	c->nslots = BUS_SLOTS_MAX;
	for (unsigned i = 0; i < c->nslots; i++)
		if (!(c->slots[i] = proc_slot(next++)))
			return "too few empty slots (spawn it with cspace_bits 7)";
	return NULL;
}

int main(int argc, char **argv, char **envp)
{
	struct bus_config c;
	hl_cptr_t clock;
	const char *why;

	(void)envp;
	if ((why = configure(&c, &clock)) || bus_init(&bus, &c) != E_OK) {
		printf("bus: %s\n", why ? why : "bad configuration");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (bus_rule(&bus, argv[i], &why) != E_OK) {
			printf("bus: rule %d: %s\n", i, why);
			return 2;
		}
	if (hl_tcb_bind_notification(proc_cap(SPAWN_SELF_TCB), c.tick).status != E_OK ||
	    proc_thread(clock, clock_main, 0, clock_stack, sizeof(clock_stack)) != E_OK) {
		printf("bus: cannot bind the tick or start the clock thread\n");
		return 2;
	}
	printf("bus: %d rules, %u replies, %u slots\n", argc - 1, c.nreplies, c.nslots);
	bus_serve(&bus);
}
