/*
 * bus_serve.c: the bus's handlers and server loop.
 *
 * Requests arrive through the generated bus_dispatch (bus.ipc). Every
 * handler first finds the caller by badge (unknown: E_PERM), then checks
 * the name, then the policy, then the tables. Caps: a registered endpoint
 * is kept in a slot of the bus; every copy handed out is minted from it
 * with the caller's badge and send rights only, so withdrawing revokes
 * them all. A wait or watch that cannot be answered now keeps the Reply
 * object its call is bound to and the loop receives with a fresh one from
 * the pool; register, withdraw, gone and the clock answer them later.
 */
#include <mercury/string.h>
#include "bus.h"
#include "bus_server.h"
#include "ipc_rt.h"

#define DEPTH		64
#define CLIENT_RIGHTS	(HL_R_WRITE | HL_R_GRANT)

static hl_cptr_t slot_get(struct bus *b)
{
	return b->nfree_slot ? b->free_slot[--b->nfree_slot] : 0;
}

static void slot_put(struct bus *b, hl_cptr_t s)
{
	hl_cnode_delete(b->cnode, s, DEPTH);
	b->free_slot[b->nfree_slot++] = s;
}

/* The caller's name if it is admitted and the policy lets it do verb on
 * name; else NULL with *err set. */
static const char *allowed(struct bus *b, uint64_t badge, enum bus_verb verb, const char *name,
			   enum hl_error *err)
{
	struct bus_client *c = bus_client_find(&b->t, badge);

	*err = E_PERM;
	if (!c)
		return NULL;
	if (!bus_name_valid(name)) {
		*err = E_INVAL;
		return NULL;
	}
	return bus_policy_allows(&b->policy, verb, name, c->name) ? c->name : NULL;
}

/* Mints e's endpoint for badge into a free slot; 0 if none is left. */
static hl_cptr_t mint_for(struct bus *b, const struct bus_entry *e, uint64_t badge)
{
	hl_cptr_t s = slot_get(b);

	if (s && hl_cnode_mint(b->cnode, s, DEPTH, b->cnode, e->ep, DEPTH, CLIENT_RIGHTS,
			       badge).status != E_OK) {
		b->free_slot[b->nfree_slot++] = s;
		s = 0;
	}
	return s;
}

/* Answers pending request p (status, and for a successful wait the
 * endpoint of e), frees it and gives its Reply object back to the pool.
 * The reply's own failure (the caller died) changes nothing. */
static void answer(struct bus *b, struct bus_pending *p, enum hl_error status,
		   const struct bus_entry *e)
{
	struct hl_msg m;
	struct ipc_cursor c;
	hl_cptr_t s = 0;

	if (status == E_OK && p->kind == BUS_PEND_WAIT) {
		s = mint_for(b, e, p->badge);
		status = s ? E_OK : E_NOMEM;
	}
	if (s) {
		ipc_write_begin(&c, &m);
		ipc_put_cap(&c, s);
		ipc_write_end(&c, E_OK);
	} else {
		ipc_reply_status(&m, status);
	}
	hl_reply(p->reply, &m);
	if (s)
		slot_put(b, s);
	b->free_reply[b->nfree_reply++] = p->reply;
	memset(p, 0, sizeof(*p));
	b->next_deadline = bus_pending_deadline(&b->t);	/* the clock may rest */
}

/* Keeps the caller's call pending as kind on name; E_BUSY when no Reply
 * object or record is left. */
static enum hl_error defer(struct bus *b, enum bus_pending_kind kind, uint64_t badge,
			   const char *name, uint64_t deadline)
{
	struct bus_pending *p = bus_pending_alloc(&b->t);

	if (!p || b->nfree_reply == 0)
		return E_BUSY;
	p->kind = kind;
	strcpy(p->name, name);
	p->badge = badge;
	p->deadline = deadline;
	p->reply = b->reply;
	b->reply = b->free_reply[--b->nfree_reply];
	b->deferred = true;
	return E_OK;
}

/* Ends registration e: revokes every copy handed out, frees its slot, and
 * answers its watchers with status. */
static void entry_end(struct bus *b, struct bus_entry *e, enum hl_error status)
{
	struct bus_pending *p = NULL;

	while ((p = bus_pending_next(&b->t, p, BUS_PEND_WATCH, e->name)))
		answer(b, p, status, NULL);
	hl_cnode_revoke(b->cnode, e->ep, DEPTH);
	slot_put(b, e->ep);
	memset(e, 0, sizeof(*e));
}

static enum hl_error on_register(void *ctx, uint64_t badge, const char *name, hl_cptr_t ep)
{
	struct bus *b = ctx;
	struct bus_pending *p = NULL;
	struct bus_entry *e;
	enum hl_error err;
	struct hl_result r;

	if (!allowed(b, badge, BUS_RULE_REGISTER, name, &err))
		return err;
	if (bus_entry_find(&b->t, name))
		return E_EXIST;
	if (b->nfree_slot == 0)		/* none left to receive the next cap in */
		return E_NOMEM;
	r = hl_cnode_identify(b->cnode, ep, DEPTH, NULL);
	if (r.status != E_OK || (r.value & 0xFF) != HL_OBJ_ENDPOINT ||
	    ((r.value >> 8) & CLIENT_RIGHTS) != CLIENT_RIGHTS)
		return E_INVAL;
	e = bus_entry_add(&b->t, name, badge, ep);
	if (!e)
		return E_NOMEM;
	b->recv_taken = true;
	while ((p = bus_pending_next(&b->t, p, BUS_PEND_WAIT, name)))
		answer(b, p, E_OK, e);
	return E_OK;
}

static enum hl_error on_lookup(void *ctx, uint64_t badge, const char *name, hl_cptr_t *ep)
{
	struct bus *b = ctx;
	struct bus_entry *e;
	enum hl_error err;

	if (!allowed(b, badge, BUS_RULE_LOOKUP, name, &err))
		return err;
	e = bus_entry_find(&b->t, name);
	if (!e)
		return E_NOCAP;
	*ep = b->out_slot = mint_for(b, e, badge);
	return b->out_slot ? E_OK : E_NOMEM;
}

/* The TSC value timeout_ms from now, saturating (no 128-bit division in
 * a freestanding program). */
static uint64_t deadline_of(const struct bus *b, uint64_t timeout_ms)
{
	uint64_t secs = timeout_ms / 1000, hz = b->tsc_hz ? b->tsc_hz : 1;
	uint64_t ticks, now = bus_tsc();

	if (secs > (UINT64_MAX - now) / hz / 2)
		return UINT64_MAX;
	ticks = secs * hz + timeout_ms % 1000 * (hz / 1000);
	return now + ticks;
}

static enum hl_error on_wait(void *ctx, uint64_t badge, const char *name, uint64_t timeout_ms,
			     hl_cptr_t *ep)
{
	struct bus *b = ctx;
	enum hl_error err;
	uint64_t deadline = 0;

	if (!allowed(b, badge, BUS_RULE_LOOKUP, name, &err))
		return err;
	if (bus_entry_find(&b->t, name))
		return on_lookup(ctx, badge, name, ep);
	if (timeout_ms) {
		if (!b->tick)
			return E_NOSYS;	/* no clock: only waits without a timeout */
		deadline = deadline_of(b, timeout_ms);
	}
	err = defer(b, BUS_PEND_WAIT, badge, name, deadline);
	if (err == E_OK && deadline) {
		b->next_deadline = bus_pending_deadline(&b->t);
		if (b->clock_wake)
			hl_signal(b->clock_wake);
	}
	*ep = 0;
	return err;
}

static enum hl_error on_watch(void *ctx, uint64_t badge, const char *name)
{
	struct bus *b = ctx;
	enum hl_error err;

	if (!allowed(b, badge, BUS_RULE_LOOKUP, name, &err))
		return err;
	if (!bus_entry_find(&b->t, name))
		return E_NOCAP;
	return defer(b, BUS_PEND_WATCH, badge, name, 0);
}

static enum hl_error on_withdraw(void *ctx, uint64_t badge, const char *name)
{
	struct bus *b = ctx;
	struct bus_entry *e;

	if (!bus_client_find(&b->t, badge))
		return E_PERM;
	if (!bus_name_valid(name))
		return E_INVAL;
	e = bus_entry_find(&b->t, name);
	if (!e)
		return E_NOCAP;
	if (e->owner != badge)
		return E_PERM;
	entry_end(b, e, E_OK);
	return E_OK;
}

static enum hl_error on_admit(void *ctx, uint64_t badge, uint64_t who, const char *client)
{
	struct bus *b = ctx;

	if (badge != BUS_OWNER_BADGE)
		return E_PERM;
	if (who == 0 || !bus_client_valid(client))
		return E_INVAL;
	if (who == BUS_OWNER_BADGE) {	/* the owner names itself */
		strcpy(bus_client_find(&b->t, who)->name, client);
		return E_OK;
	}
	return bus_client_add(&b->t, who, client);
}

static enum hl_error on_gone(void *ctx, uint64_t badge, uint64_t who)
{
	struct bus *b = ctx;
	struct bus_client *c;
	struct bus_pending *p = NULL;
	struct bus_entry *e;

	if (badge != BUS_OWNER_BADGE)
		return E_PERM;
	if (who == BUS_OWNER_BADGE)
		return E_INVAL;
	c = bus_client_find(&b->t, who);
	if (!c)
		return E_NOCAP;
	while ((e = bus_entry_of(&b->t, who)))
		entry_end(b, e, E_DEAD);
	for (unsigned i = 0; i < BUS_PENDING_MAX; i++) {
		p = &b->t.pending[i];
		if (p->kind != BUS_PEND_FREE && p->badge == who)
			answer(b, p, E_DEAD, NULL);
	}
	bus_client_remove(c);
	return E_OK;
}

static enum hl_error on_whois(void *ctx, uint64_t badge, uint64_t who, char *client)
{
	struct bus *b = ctx;
	struct bus_client *c;

	if (!bus_client_find(&b->t, badge))
		return E_PERM;
	c = bus_client_find(&b->t, who);
	if (!c)
		return E_NOCAP;
	strcpy(client, c->name);
	return E_OK;
}

static const struct bus_handlers handlers = {
	.on_register = on_register, .on_lookup = on_lookup, .on_wait = on_wait,
	.on_withdraw = on_withdraw, .on_watch = on_watch, .on_admit = on_admit,
	.on_gone = on_gone, .on_whois = on_whois,
};

/* Answers E_AGAIN to every wait whose deadline has passed. */
static void expire(struct bus *b)
{
	uint64_t now = bus_tsc();

	if (!b->next_deadline || now < b->next_deadline)
		return;
	for (unsigned i = 0; i < BUS_PENDING_MAX; i++) {
		struct bus_pending *p = &b->t.pending[i];

		if (p->kind == BUS_PEND_WAIT && p->deadline && p->deadline <= now)
			answer(b, p, E_AGAIN, NULL);
	}
	b->next_deadline = bus_pending_deadline(&b->t);
}

int bus_init(struct bus *b, const struct bus_config *c)
{
	if (c->nreplies < 2 || c->nreplies > BUS_PENDING_MAX + 1 || c->nslots < 4 ||
	    c->nslots > BUS_SLOTS_MAX)
		return E_INVAL;
	memset(b, 0, sizeof(*b));
	bus_table_init(&b->t);
	b->cnode = c->cnode;
	b->ep = c->ep;
	b->tick = c->tick;
	b->tsc_hz = c->tsc_hz;
	b->reply = c->replies[0];
	for (unsigned i = 1; i < c->nreplies; i++)
		b->free_reply[b->nfree_reply++] = c->replies[i];
	for (unsigned i = 0; i < c->nslots; i++)
		b->free_slot[b->nfree_slot++] = c->slots[c->nslots - 1 - i];
	b->recv_slot = slot_get(b);
	return E_OK;
}

int bus_rule(struct bus *b, const char *line, const char **why)
{
	return bus_policy_add(&b->policy, line, why);
}

unsigned bus_free_slots(const struct bus *b)
{
	return b->nfree_slot + 1;	/* and the receive slot */
}

/* Handles one received message (badge from the receive); returns whether
 * to reply to it now. */
static bool handle(struct bus *b, uint64_t badge, struct hl_msg *m)
{
	unsigned caps = hl_msg_caps(m->info);

	/* A bound notification (the clock), or a call pretending to be one:
	 * a reply with nobody bound is skipped by the kernel. */
	if (hl_msg_label(m->info) == HL_NOTIFY_LABEL) {
		ipc_reply_status(m, E_INVAL);
		return true;
	}
	b->deferred = b->recv_taken = false;
	bus_dispatch(&handlers, b, badge, m);
	if (b->recv_taken)
		b->recv_slot = slot_get(b);
	else if (caps)
		hl_cnode_delete(b->cnode, b->recv_slot, DEPTH);
	return !b->deferred;
}

void bus_serve(struct bus *b)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r;
	bool reply = false;

	for (;;) {
		hl_ipc_buffer()->recv_slots[0] = b->recv_slot;
		r = reply ? hl_reply_recv(b->ep, b->reply, &m) : hl_recv(b->ep, b->reply, &m);
		if (b->out_slot) {	/* the copy went with the reply */
			slot_put(b, b->out_slot);
			b->out_slot = 0;
		}
		expire(b);
		reply = r.status == E_OK && handle(b, r.value, &m);
	}
}

void bus_clock(struct bus *b, hl_cptr_t wake, hl_cptr_t tick)
{
	b->clock_wake = wake;
	for (;;) {
		uint64_t d = b->next_deadline;

		if (!d)
			hl_wait(wake);
		else if (bus_tsc() >= d)
			hl_signal(tick);
		hl_yield();
	}
}
