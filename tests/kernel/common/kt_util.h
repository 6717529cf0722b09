/*
 * kt_util.h: object, thread and timing helpers of the in-OS suites
 * (ktest, kobs). Objects come from the runtime's allocator; a test thread
 * is an rt thread plus a Notification its end signals, so the root thread
 * can wait for it with a time limit and then delete everything it used.
 */
#ifndef KT_UTIL_H
#define KT_UTIL_H

#include "rt.h"

#define KT_ROOT_PRIO 100	/* the root thread's priority while areas run */

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
 * restores KT_ROOT_PRIO. */
void kt_settle(void);
/* The root thread's priority becomes prio. */
void kt_root_prio(uint64_t prio);
/* TSC now, and ticks per second (BootInfo, or a guess). */
uint64_t kt_tsc(void);
uint64_t kt_tsc_hz(void);
/* State of a thread (enum hl_thread_state), or -status on error. */
int64_t kt_state(hl_cptr_t tcb);

#endif
