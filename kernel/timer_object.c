/*
 * timer_object.c: Timer objects, the kernel's one notion of time for user
 * space. A Timer, armed with a notification cap, signals it (with that
 * cap's badge) once its delay has passed, and again every period if it has
 * one. Time is counted in the kernel's ticks (TIMER_HZ), so delays round up
 * to whole ticks. Armed timers are kept in deadline order in a list threaded
 * through the objects themselves: the kernel allocates nothing, and a tick
 * looks only at the head. Arming costs a walk of that list (bounded by the
 * timers the caller's memory could make).
 */
#include "ipc.h"
#include "kernel.h"
#include "syscall.h"
#include "timer.h"

struct timer_obj {
	struct timer_obj *next;		/* armed: the next deadline */
	struct notification *ntfn;
	uint64_t badge;
	uint64_t deadline;		/* tick it fires at */
	uint64_t period;		/* ticks between firings; 0: once */
	uint8_t armed;
};

_Static_assert(sizeof(struct timer_obj) <= 1u << HL_TIMER_BITS, "a timer fits its object");

#define US_PER_TICK (1000000ull / TIMER_HZ)
#define TIMER_MAX_US (1ull << 40)	/* about 12 days */

static struct timer_obj *armed;		/* deadline order */
static uint64_t now;			/* ticks since the timer started */

static void unlink_timer(struct timer_obj *t)
{
	for (struct timer_obj **p = &armed; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	t->next = NULL;
	t->armed = 0;
}

static void insert(struct timer_obj *t)
{
	struct timer_obj **p = &armed;

	while (*p && (*p)->deadline <= t->deadline)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
	t->armed = 1;
}

void timer_tick(void)
{
	now++;
	while (armed && armed->deadline <= now) {
		struct timer_obj *t = armed;
		armed = t->next;
		t->next = NULL;
		t->armed = 0;
		ntfn_signal_raw(t->ntfn, t->badge);
		if (t->period) {
			t->deadline = now + t->period;
			insert(t);
		}
	}
}

void timer_forget_notification(struct notification *n)
{
	for (struct timer_obj *t = armed, *next; t; t = next) {
		next = t->next;
		if (t->ntfn == n)
			unlink_timer(t);
	}
}

void timer_finalise(struct cap *c)
{
	struct timer_obj *t = (struct timer_obj *)c->obj;

	if (t->armed)
		unlink_timer(t);
}

static uint64_t ticks_for(uint64_t us)
{
	uint64_t n = (us + US_PER_TICK - 1) / US_PER_TICK;

	return n ? n : 1;
}

static int timer_set(struct timer_obj *t, unsigned len)
{
	int err;
	struct cap *n;

	if (len < 3)
		return refuse(E_INVAL, "set takes a notification, a delay and a period");
	if (!(n = lookup_cap(arg(0), &err)))
		return refuse(err, "notification 0x%lx names no capability", arg(0));
	if (n->type != HL_OBJ_NOTIFICATION)
		return refuse(E_TYPE, "a timer signals a notification");
	if (!(n->rights & HL_R_WRITE))
		return refuse(E_PERM, "signalling needs the write right");
	if (arg(1) > TIMER_MAX_US || arg(2) > TIMER_MAX_US)
		return refuse(E_RANGE, "delay %lu or period %lu us is over 2^40", arg(1), arg(2));
	if (t->armed)
		unlink_timer(t);
	t->ntfn = (struct notification *)n->obj;
	t->badge = n->badge ? n->badge : 1;
	t->deadline = now + ticks_for(arg(1));
	t->period = arg(2) ? ticks_for(arg(2)) : 0;
	insert(t);
	return E_OK;
}

int timer_invoke(struct cap *c, uint64_t label, unsigned len)
{
	struct timer_obj *t = (struct timer_obj *)c->obj;

	switch (label) {
	case HL_TIMER_SET:
		return timer_set(t, len);
	case HL_TIMER_CANCEL:
		if (t->armed)
			unlink_timer(t);
		return E_OK;
	case HL_TIMER_NOW:
		msg_set(current, 0, now);
		msg_set(current, 1, TIMER_HZ);
		msg_set(current, 2, t->armed ? (t->deadline - now) * US_PER_TICK : 0);
		result_value(now * US_PER_TICK);
		return E_OK;
	}
	return refuse(E_NOSYS, "Timer has no method %lu", label);
}
