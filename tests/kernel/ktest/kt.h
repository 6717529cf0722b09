/*
 * kt.h: shared helpers of the in-OS kernel test suite (ktest).
 *
 * Each area (one file each) is a function run by main.c in order; an area
 * makes its own objects and deletes them all, so main.c can compare free
 * Untyped memory and empty slots before and after the whole suite.
 */
#ifndef KT_H
#define KT_H

#include "rt.h"
#include "kt_tap.h"

#define D RT_DEPTH
#define CN HL_CAP_CNODE
#define ROOT_PRIO 100
#define KT_EMPTY 4094	/* a slot the runtime never hands out before the last */

/* The areas, in the order main.c runs them. */
void kt_area_console(void);
void kt_area_untyped(void);
void kt_area_cnode(void);
void kt_area_tcb(void);
void kt_area_endpoint(void);
void kt_area_reply(void);
void kt_area_notification(void);
void kt_area_vspace(void);
void kt_area_faults(void);
void kt_area_ioport(void);
void kt_area_irq(void);
void kt_area_sched(void);
void kt_area_exitstats(void);
void kt_area_debug(void);
void kt_area_trace(void);

/* A Reply object for the root thread's receives (made before the leak baseline). */
extern hl_cptr_t kt_reply;
/* 1 when the command line asked for the kernel's refusal log (ktest.debug=1). */
extern int kt_debug;

/* A test thread: an rt thread plus the notification it signals on exit. */
struct kt_thread {
	struct rt_thread rt;
	hl_cptr_t done;
	int ok;
};

/* Makes a new object (kt_ok failure named after what if it fails); 0 on failure. */
hl_cptr_t kt_new(uint64_t type, uint64_t size_bits, const char *what);
/* Deletes an object cap and frees its slot (0 is ignored). */
void kt_del(hl_cptr_t slot);
/* Copies (mints when badge or rights differ) src into a new slot; 0 on failure. */
hl_cptr_t kt_mint(hl_cptr_t src, uint64_t rights, uint64_t badge);
/* Makes and starts a thread running fn(arg) at prio in space (NULL: root VSpace)
 * with fault endpoint fault_ep (0: none). Returns 1 on success. */
int kt_spawn(struct kt_thread *t, struct rt_space *space, void (*fn)(uint64_t), uint64_t arg,
	     uint64_t prio, hl_cptr_t fault_ep);
/* As kt_spawn without starting it. */
int kt_spawn_stopped(struct kt_thread *t, struct rt_space *space, void (*fn)(uint64_t),
		     uint64_t arg, uint64_t prio, hl_cptr_t fault_ep);
/* Waits (at most about secs seconds, running every other thread meanwhile)
 * for t's function to return. Returns 1 if it did. */
int kt_join(struct kt_thread *t, unsigned secs);
/* Deletes t and everything kt_spawn made for it. */
void kt_kill(struct kt_thread *t);
/* Lets every thread above priority 1 run until it blocks or ends, then
 * restores the root priority. */
void kt_settle(void);
/* The root thread's priority becomes prio. */
void kt_root_prio(uint64_t prio);
/* TSC now, and ticks per second (BootInfo, or a guess). */
uint64_t kt_tsc(void);
uint64_t kt_tsc_hz(void);
/* State of a thread (enum hl_thread_state), or -status on error. */
int64_t kt_state(hl_cptr_t tcb);
/* Type of the slot's cap (HL_OBJ_NULL when empty). */
uint64_t kt_type(hl_cptr_t slot);
/* 1 when status is one of the two accepted codes. */
static inline int kt_either(int64_t st, int64_t a, int64_t b)
{
	return st == a || st == b;
}

#endif
