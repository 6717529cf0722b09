/*
 * kt_util.c: object, thread and timing helpers of the in-OS suites (see
 * kt_util.h). Failures print as TAP results, so a suite that cannot make
 * what it needs fails visibly instead of testing nothing.
 */
#include "rt.h"
#include "kt_tap.h"
#include "kt_util.h"

hl_cptr_t kt_new(uint64_t type, uint64_t size_bits, const char *what)
{
	int64_t st;
	hl_cptr_t s = obj_alloc(type, size_bits, &st);

	if (!s)
		kt_is(st, E_OK, "make %s", what);
	return s;
}

void kt_del(hl_cptr_t slot)
{
	if (slot)
		obj_free(slot);
}

hl_cptr_t kt_mint(hl_cptr_t src, uint64_t rights, uint64_t badge)
{
	hl_cptr_t s = slot_alloc();
	int64_t st;

	if (!s)
		return 0;
	st = hl_cnode_mint(HL_CAP_CNODE, s, RT_DEPTH, HL_CAP_CNODE, src, RT_DEPTH, rights,
			   badge).status;
	if (st != E_OK) {
		kt_is(st, E_OK, "mint a cap of slot %lu", (unsigned long)src);
		slot_free(s);
		return 0;
	}
	return s;
}

int kt_spawn_stopped(struct kt_thread *t, struct rt_space *space, void (*fn)(uint64_t),
		     uint64_t arg, uint64_t prio, hl_cptr_t fault_ep)
{
	int64_t st;

	t->ok = 0;
	t->done = kt_new(HL_OBJ_NOTIFICATION, 0, "exit notification");
	if (!t->done)
		return 0;
	st = rt_thread_create(&t->rt, space, fn, arg, prio, fault_ep, t->done);
	if (st != E_OK) {
		kt_is(st, E_OK, "create a thread");
		rt_thread_destroy(&t->rt);
		kt_del(t->done);
		t->done = 0;
		return 0;
	}
	t->ok = 1;
	return 1;
}

int kt_spawn(struct kt_thread *t, struct rt_space *space, void (*fn)(uint64_t), uint64_t arg,
	     uint64_t prio, hl_cptr_t fault_ep)
{
	int64_t st;

	if (!kt_spawn_stopped(t, space, fn, arg, prio, fault_ep))
		return 0;
	st = rt_thread_start(&t->rt);
	if (st != E_OK) {
		kt_is(st, E_OK, "resume a new thread");
		kt_kill(t);
		return 0;
	}
	return 1;
}

void kt_root_prio(uint64_t prio)
{
	hl_tcb_set_priority(HL_CAP_TCB, HL_CAP_TCB, prio);
}

uint64_t kt_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t kt_tsc_hz(void)
{
	uint64_t hz = rt_bootinfo->tsc_hz;

	return hz ? hz : 1000000000ull;
}

int kt_join(struct kt_thread *t, unsigned secs)
{
	uint64_t end = kt_tsc() + secs * kt_tsc_hz();
	int done = 0;

	if (!t->ok)
		return 0;
	kt_root_prio(1);
	while (!done && kt_tsc() < end) {
		if (hl_poll(t->done).status == E_OK)
			done = 1;
		else
			hl_yield();
	}
	kt_root_prio(KT_ROOT_PRIO);
	if (!done)
		kt_diag("thread in area %d did not finish within %u s (state %ld)", t->rt.area,
			secs, (long)kt_state(t->rt.tcb));
	return done;
}

void kt_settle(void)
{
	/* At priority 1 the root runs only when every thread above it is
	 * blocked or gone; the yields cover a kernel that reschedules late. */
	kt_root_prio(1);
	for (int i = 0; i < 3; i++)
		hl_yield();
	kt_root_prio(KT_ROOT_PRIO);
}

void kt_kill(struct kt_thread *t)
{
	if (!t->ok)
		return;
	rt_thread_destroy(&t->rt);
	kt_del(t->done);
	t->done = 0;
	t->ok = 0;
}

int64_t kt_state(hl_cptr_t tcb)
{
	struct hl_tcb_info info;
	struct hl_result r = hl_tcb_info(tcb, &info);

	return r.status == E_OK ? (int64_t)info.state : -r.status;
}
