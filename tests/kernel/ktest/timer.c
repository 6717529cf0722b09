/*
 * timer.c: Timer objects: one-shot and periodic signals with the
 * notification cap's badge, their timing in ticks, cancel, re-arming,
 * the refusals, and a timer or notification deleted while armed.
 */
#include "kt.h"

#define TICK_US 10000	/* the kernel's TIMER_HZ is 100 */

static uint64_t ticks(hl_cptr_t t)
{
	return hl_timer_now(t).value / TICK_US;
}

static void tm_refusals(hl_cptr_t t, hl_cptr_t n)
{
	hl_cptr_t ro = kt_mint(n, HL_R_READ, 0);

	kt_is(hl_invoke(t, HL_TIMER_SET, 2, (uint64_t[]){ n, 1000 }).status, E_INVAL, "set with 2 words: E_INVAL");
	kt_is(hl_timer_set(t, t, 1000, 0).status, E_TYPE, "set with a timer as notification: E_TYPE");
	kt_is(hl_timer_set(t, KT_EMPTY, 1000, 0).status, E_NOCAP, "set with an empty slot: E_NOCAP");
	kt_is(hl_timer_set(t, ro, 1000, 0).status, E_PERM, "set with a notification without WRITE: E_PERM");
	kt_is(hl_timer_set(t, n, 1ull << 41, 0).status, E_RANGE, "a delay over 2^40 us: E_RANGE");
	kt_is(hl_timer_set(t, n, 1000, 1ull << 41).status, E_RANGE, "a period over 2^40 us: E_RANGE");
	kt_is(hl_invoke(t, 107, 0, NULL).status, E_NOSYS, "an unknown Timer label: E_NOSYS");
	kt_is(hl_timer_cancel(t).status, E_OK, "cancel an unarmed timer: E_OK");
	kt_del(ro);
}

static void tm_once(hl_cptr_t t, hl_cptr_t n)
{
	hl_cptr_t b = kt_mint(n, HL_R_ALL, 0x40);
	uint64_t t0 = ticks(t), t1;
	struct hl_result r;

	kt_is(hl_timer_set(t, b, 50000, 0).status, E_OK, "arm 50 ms, once, with a badged notification");
	kt_is(hl_poll(n).status, E_AGAIN, "nothing yet");
	r = hl_wait(n);
	t1 = ticks(t);
	kt_is(r.status, E_OK, "the wait ends");
	kt_is(r.value, 0x40, "with the cap's badge");
	kt_ok(t1 - t0 >= 5 && t1 - t0 <= 7, "after 5 ticks (%lu)", (unsigned long)(t1 - t0));
	kt_is(hl_poll(n).status, E_AGAIN, "once: no second signal");
	kt_is(hl_timer_set(t, b, 0, 0).status, E_OK, "a delay of 0 fires at the next tick");
	kt_is(hl_wait(n).value, 0x40, "and it does");
	kt_del(b);
}

static void tm_periodic(hl_cptr_t t, hl_cptr_t n)
{
	uint64_t t0, t1;
	int got = 0;

	kt_is(hl_timer_set(t, n, 20000, 20000).status, E_OK, "arm every 20 ms");
	t0 = ticks(t);
	for (int i = 0; i < 5; i++)
		got += hl_wait(n).status == E_OK;
	t1 = ticks(t);
	kt_is(got, 5, "five signals");
	kt_ok(t1 - t0 >= 9 && t1 - t0 <= 12, "in about 10 ticks (%lu)", (unsigned long)(t1 - t0));
	kt_is(hl_timer_cancel(t).status, E_OK, "cancel it");
	hl_poll(n);
	kt_is(hl_timer_set(t, n, 30000, 0).status, E_OK, "re-arm once for 30 ms, replacing nothing");
	kt_is(hl_timer_set(t, n, 10000, 0).status, E_OK, "re-arm for 10 ms replaces the 30 ms");
	t0 = ticks(t);
	hl_wait(n);
	kt_ok(ticks(t) - t0 <= 2, "the 10 ms one fired");
	kt_ok(hl_poll(n).status == E_AGAIN, "and only it");
}

/* Many timers: they fire in deadline order whatever the order they were set. */
static void tm_many(hl_cptr_t n)
{
	enum { N = 24 };
	hl_cptr_t tm[N], bn[N];
	uint64_t seen = 0;
	int in_order = 1, made = 0;

	for (int i = 0; i < N; i++) {
		int k = (i * 7) % N;	/* a shuffled order */
		tm[k] = kt_new(HL_OBJ_TIMER, 0, "a timer");
		bn[k] = kt_mint(n, HL_R_ALL, 1ull << k);
		made += tm[k] && bn[k] && hl_timer_set(tm[k], bn[k], 10000 * (k + 1), 0).status == E_OK;
	}
	kt_is(made, N, "arm 24 timers, 10 ms apart, in a shuffled order");
	while (seen != (1ull << N) - 1) {
		struct hl_result r = hl_wait(n);
		uint64_t next = ~seen & (seen + 1);	/* the lowest deadline not seen yet */
		if (r.status != E_OK || (r.value & seen))
			break;
		/* Deadlines in order: the lowest new bit is the next one, and what
		 * has fired so far is always a run of the earliest. */
		if ((r.value & -r.value) != next || (((seen | r.value) & ((seen | r.value) + 1)) != 0))
			in_order = 0;
		seen |= r.value;
	}
	kt_is((int64_t)seen, (int64_t)((1ull << N) - 1), "every timer fired");
	kt_ok(in_order, "in deadline order");
	for (int i = 0; i < N; i++) {
		kt_del(bn[i]);
		kt_del(tm[i]);
	}
}

/* Deleting either side of an armed timer leaves nothing behind. */
static void tm_deleted(void)
{
	hl_cptr_t t = kt_new(HL_OBJ_TIMER, 0, "a timer"), n = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	hl_cptr_t t2 = kt_new(HL_OBJ_TIMER, 0, "a timer"), n2 = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	hl_cptr_t probe = kt_new(HL_OBJ_TIMER, 0, "a timer"), pn = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");

	if (!t || !n || !t2 || !n2 || !probe || !pn)
		goto out;
	kt_is(hl_timer_set(t, n, 20000, 10000).status, E_OK, "arm a periodic timer");
	kt_del(t);
	t = 0;
	kt_is(hl_timer_set(t2, n2, 20000, 10000).status, E_OK, "arm another");
	kt_del(n2);
	n2 = 0;
	hl_timer_set(probe, pn, 60000, 0);
	kt_is(hl_wait(pn).status, E_OK, "time passes over both deadlines");
	kt_is(hl_poll(n).status, E_AGAIN, "the deleted timer signalled nothing");
	kt_is((int64_t)hl_console_check(HL_CAP_CONSOLE).value, 0, "the kernel's invariants hold");
out:
	kt_del(t);
	kt_del(n);
	kt_del(t2);
	kt_del(n2);
	kt_del(probe);
	kt_del(pn);
}

void kt_area_timer(void)
{
	hl_cptr_t t = kt_new(HL_OBJ_TIMER, 0, "a timer"), n = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");

	if (t && n) {
		kt_is(kt_type(t), HL_OBJ_TIMER, "retype makes a Timer");
		tm_refusals(t, n);
		tm_once(t, n);
		tm_periodic(t, n);
		tm_many(n);
	}
	kt_del(t);
	kt_del(n);
	tm_deleted();
}
