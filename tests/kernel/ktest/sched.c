/*
 * sched.c: the scheduler: strict priority order, preemption when a
 * higher-priority thread becomes runnable, round robin by yield, time-slice
 * preemption and fairness between equal priorities, and a lower priority
 * starved while a higher one spins.
 */
#include "kt.h"

static volatile uint64_t sc_log[16], sc_n, sc_count[2], sc_stop, sc_deadline, sc_other;
static hl_cptr_t sc_ntfn;

static void sc_append(uint64_t arg)
{
	sc_log[sc_n++ & 15] = arg;
}

static void sc_yielder(uint64_t arg)
{
	for (int i = 0; i < 3; i++) {
		sc_append(arg);
		hl_yield();
	}
}

/* Counts until sc_stop or the deadline; the first to reach the deadline
 * wakes the root. */
static void sc_spinner(uint64_t arg)
{
	while (!sc_stop) {
		sc_count[arg]++;
		if ((sc_count[arg] & 0xFF) == 0 && kt_tsc() > sc_deadline) {
			hl_signal(sc_ntfn);
			break;
		}
	}
}

/* Spins until the deadline, then records what the other counter shows. */
static void sc_hog(uint64_t arg)
{
	(void)arg;
	while (kt_tsc() < sc_deadline)
		;
	sc_other = sc_count[1];
}

static void sc_priority_order(void)
{
	static const uint64_t prios[3] = { 50, 70, 60 };
	struct kt_thread t[3];

	sc_n = 0;
	for (int i = 0; i < 3; i++)
		kt_spawn(&t[i], NULL, sc_append, prios[i], prios[i], 0);
	kt_is(sc_n, 0, "lower-priority threads do not run while the root is runnable");
	kt_settle();
	kt_ok(sc_n == 3 && sc_log[0] == 70 && sc_log[1] == 60 && sc_log[2] == 50,
	      "threads at 50, 70, 60 ran in priority order 70, 60, 50");
	for (int i = 0; i < 3; i++)
		kt_kill(&t[i]);
}

static void sc_preempt(void)
{
	struct kt_thread t;

	sc_n = 0;
	if (kt_spawn(&t, NULL, sc_append, 1, KT_ROOT_PRIO + 50, 0))
		kt_is(sc_n, 1, "resuming a higher-priority thread runs it at once");
	kt_kill(&t);
	sc_n = 0;
	if (kt_spawn(&t, NULL, sc_append, 2, KT_ROOT_PRIO - 50, 0)) {
		kt_is(sc_n, 0, "a lower-priority thread waits");
		kt_is(hl_tcb_set_priority(t.rt.tcb, HL_CAP_TCB, KT_ROOT_PRIO + 1).status, E_OK, "raise it above the root");
		kt_is(sc_n, 1, "raising its priority runs it at once");
	}
	kt_kill(&t);
}

static void sc_round_robin(void)
{
	struct kt_thread a, b;

	sc_n = 0;
	kt_spawn(&a, NULL, sc_yielder, 0xA, 90, 0);
	kt_spawn(&b, NULL, sc_yielder, 0xB, 90, 0);
	kt_settle();
	kt_ok(sc_n == 6 && sc_log[0] == 0xA && sc_log[1] == 0xB && sc_log[2] == 0xA && sc_log[3] == 0xB &&
	      sc_log[4] == 0xA && sc_log[5] == 0xB, "two yielding threads at one priority alternate A B A B A B");
	kt_kill(&a);
	kt_kill(&b);
}

/* Two spinners at one priority share the CPU by time slices. */
static void sc_fairness(void)
{
	struct kt_thread a, b;
	uint64_t lo, hi;

	sc_ntfn = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	if (!sc_ntfn)
		return;
	sc_stop = 0;
	sc_count[0] = sc_count[1] = 0;
	sc_deadline = kt_tsc() + kt_tsc_hz() / 2;	/* 0.5 s: 50 ticks, 10 slices of 5 */
	kt_spawn(&a, NULL, sc_spinner, 0, 90, 0);
	kt_spawn(&b, NULL, sc_spinner, 1, 90, 0);
	hl_wait(sc_ntfn);
	sc_stop = 1;
	kt_join(&a, 3);
	kt_join(&b, 3);
	lo = sc_count[0] < sc_count[1] ? sc_count[0] : sc_count[1];
	hi = sc_count[0] < sc_count[1] ? sc_count[1] : sc_count[0];
	kt_diag("spinners counted %lu and %lu", (unsigned long)sc_count[0], (unsigned long)sc_count[1]);
	kt_ok(lo > 0, "time slices preempt a spinning thread: both spinners ran");
	kt_ok(lo * 10 >= hi * 3, "time-slice fairness: the smaller share is at least 30%% of the larger");
	kt_kill(&a);
	kt_kill(&b);
	kt_del(sc_ntfn);
}

static void sc_starve(void)
{
	struct kt_thread h, l;

	sc_count[1] = 0;
	sc_stop = 0;
	sc_other = ~0ull;
	sc_deadline = kt_tsc() + kt_tsc_hz() / 10;
	kt_spawn(&l, NULL, sc_spinner, 1, 80, 0);
	kt_spawn(&h, NULL, sc_hog, 0, 90, 0);
	kt_ok(kt_join(&h, 3), "a spinning thread at 90 finished");
	kt_is(sc_other, 0, "a thread at 80 never ran while it spun");
	sc_stop = 1;
	kt_ok(kt_join(&l, 3), "then the thread at 80 ran");
	kt_kill(&h);
	kt_kill(&l);
}

void kt_area_sched(void)
{
	sc_priority_order();
	sc_preempt();
	sc_round_robin();
	sc_fairness();
	sc_starve();
}
