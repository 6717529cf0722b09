/*
 * drvserve.c: a serving driver's loop and its waiting calls (drvserve.h).
 */
#include <mercury/runtime.h>
#include <mercury/spawn.h>

#include "drvserve.h"
#include "ipc_rt.h"

bool drv_server_init(struct drv_server *s)
{
	static const char *const names[DRV_WAITERS] = { "reply1", "reply2", "reply3" };

	s->ep = proc_cap("ep"), s->reply = proc_cap("reply");
	s->timer = proc_cap("timer"), s->timer_note = proc_cap("timer.note");
	for (unsigned i = 0; i < DRV_WAITERS; i++)
		if ((s->spare[s->nspare] = proc_cap(names[i])))
			s->nspare++;
	return s->ep && s->reply;
}

static uint64_t now_us(struct drv_server *s)
{
	return hl_timer_now(s->timer).value;
}

/* Arms the timer for the earliest waiting call, or stops it. */
static void arm(struct drv_server *s)
{
	uint64_t first = 0, now = now_us(s);

	for (unsigned i = 0; i < DRV_WAITERS; i++)
		if (s->wait[i].reply && (!first || s->wait[i].deadline_us < first))
			first = s->wait[i].deadline_us;
	if (first)
		hl_timer_set(s->timer, s->timer_note, first > now ? first - now : 0, 0);
	else
		hl_timer_cancel(s->timer);
}

hl_cptr_t drv_keep(struct drv_server *s)
{
	hl_cptr_t kept = s->reply;	/* the call waits in this one */

	if (!s->nspare)
		return 0;
	s->reply = s->spare[--s->nspare];
	s->deferred = true;
	return kept;
}

void drv_answer(struct drv_server *s, hl_cptr_t reply, struct hl_msg *m)
{
	hl_reply(reply, m);		/* to a caller that is gone: nothing happens */
	s->spare[s->nspare++] = reply;
}

void drv_unkeep(struct drv_server *s, hl_cptr_t reply)
{
	s->spare[s->nspare++] = s->reply;
	s->reply = reply;
	s->deferred = false;
}

enum hl_error drv_defer(struct drv_server *s, uint32_t max, uint64_t timeout_ms)
{
	if (!s->timer || !s->timer_note)
		return E_BUSY;
	for (unsigned i = 0; i < DRV_WAITERS; i++)
		if (!s->wait[i].reply && s->nspare) {
			s->wait[i].reply = drv_keep(s);
			s->wait[i].max = max;
			s->wait[i].badge = s->badge;
			s->wait[i].deadline_us = now_us(s) + timeout_ms * 1000;
			arm(s);
			return E_OK;
		}
	return E_BUSY;
}

static void answer(struct drv_server *s, unsigned i)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	s->fill(s, &m, s->wait[i].max, s->wait[i].badge);
	drv_answer(s, s->wait[i].reply, &m);
	s->wait[i].reply = 0;
}

void drv_wake(struct drv_server *s, bool (*has_data)(void))
{
	uint64_t now = s->timer ? now_us(s) : 0;

	for (unsigned i = 0; i < DRV_WAITERS; i++)
		if (s->wait[i].reply && (has_data() || s->wait[i].deadline_us <= now))
			answer(s, i);
	if (s->timer)
		arm(s);
}

void drv_serve(struct drv_server *s, bool (*has_data)(void))
{
	hl_cptr_t recv_slot = slot_alloc();	/* where a request's cap lands */

	for (;;) {
		struct hl_msg m = { 0, { 0, 0, 0, 0 } };
		struct hl_result r;

		if (recv_slot) {
			hl_cnode_delete(merc_cnode(), recv_slot, MERC_DEPTH);	/* what a handler left there */
			hl_ipc_buffer()->recv_slots[0] = recv_slot;
		}
		r = hl_recv(s->ep, s->reply, &m);

		if (r.status != E_OK)
			continue;
		if (hl_msg_label(m.info) == HL_NOTIFY_LABEL) {
			if ((r.value & DRV_BADGE_IRQ) && s->on_irq)
				s->on_irq(s);
			drv_wake(s, has_data);
			ipc_reply_status(&m, E_INVAL);	/* a call posing as a notification */
			hl_reply(s->reply, &m);
			continue;
		}
		s->deferred = false;
		s->badge = r.value;
		s->dispatch(s, r.value, &m);
		if (!s->deferred)
			hl_reply(s->reply, &m);
	}
}
