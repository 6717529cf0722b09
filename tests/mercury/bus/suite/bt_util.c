/*
 * bt_util.c: starting and stopping a bus inside the suite's root task,
 * and client calls on threads of their own.
 */
#include "bt.h"

struct bt bt;

static void server_main(uint64_t arg)
{
	bus_serve((struct bus *)arg);
}

static void clock_main(uint64_t arg)
{
	(void)arg;
	bus_clock(&bt.bus, bt.wake, bt.cfg.tick);
}

/* Makes the kernel objects and slots of bt.cfg. */
static int make_config(unsigned npending)
{
	struct bus_config *c = &bt.cfg;
	int ok = 1;

	memset(c, 0, sizeof(*c));
	c->cnode = HL_CAP_CNODE;
	c->ep = kt_new(HL_OBJ_ENDPOINT, 0, "bus endpoint");
	c->tick = kt_new(HL_OBJ_NOTIFICATION, 0, "bus tick");
	bt.wake = kt_new(HL_OBJ_NOTIFICATION, 0, "bus clock wake");
	c->nreplies = npending + 1;
	for (unsigned i = 0; i < c->nreplies; i++)
		ok &= (c->replies[i] = kt_new(HL_OBJ_REPLY, 0, "bus reply")) != 0;
	c->nslots = BUS_SLOTS_MAX;
	for (unsigned i = 0; i < c->nslots; i++)
		ok &= (c->slots[i] = rt_slot_alloc()) != 0;
	c->tsc_hz = kt_tsc_hz();
	return ok && c->ep && c->tick && bt.wake;
}

static hl_cptr_t client(uint64_t badge, const char *name)
{
	hl_cptr_t cap = kt_mint(bt.cfg.ep, HL_R_WRITE | HL_R_GRANT, badge);

	if (name && bus_admit(bt.owner, badge, name) != E_OK)
		kt_ok(0, "bus: admit %s", name);
	return cap;
}

int bt_start(const char *const *rules, unsigned npending)
{
	const char *why;

	memset(&bt, 0, sizeof(bt));
	if (!make_config(npending) || bus_init(&bt.bus, &bt.cfg) != E_OK)
		return kt_ok(0, "bus: start");
	for (unsigned i = 0; rules[i]; i++)
		if (bus_rule(&bt.bus, rules[i], &why) != E_OK)
			return kt_ok(0, "bus: rule %s: %s", rules[i], why);
	if (!kt_spawn_stopped(&bt.server, NULL, server_main, (uint64_t)&bt.bus, KT_ROOT_PRIO, 0) ||
	    hl_tcb_bind_notification(bt.server.rt.tcb, bt.cfg.tick).status != E_OK ||
	    rt_thread_start(&bt.server.rt) != E_OK ||
	    !kt_spawn(&bt.clock, NULL, clock_main, 0, 2, 0))
		return kt_ok(0, "bus: server and clock threads");
	bt.owner = kt_mint(bt.cfg.ep, HL_R_WRITE | HL_R_GRANT, BT_OWNER);
	bt.logd = client(BT_LOGD, "logd");
	bt.fs = client(BT_FS, "fs0");
	bt.virtio = client(BT_VIRTIO, "virtio-blk");
	bt.crashy = client(BT_CRASHY, "crashy");
	bt.stranger = client(BT_STRANGER, NULL);
	bt.plain = kt_mint(bt.cfg.ep, HL_R_WRITE | HL_R_GRANT, 0);
	return 1;
}

void bt_stop(void)
{
	struct bus_config *c = &bt.cfg;
	hl_cptr_t caps[] = { bt.owner, bt.logd, bt.fs, bt.virtio, bt.crashy, bt.stranger, bt.plain,
			     c->ep, c->tick, bt.wake };

	kt_kill(&bt.server);
	kt_kill(&bt.clock);
	for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		kt_del(caps[i]);
	for (unsigned i = 0; i < c->nreplies; i++)
		kt_del(c->replies[i]);
	for (unsigned i = 0; i < c->nslots; i++)
		rt_slot_free(c->slots[i]);	/* and whatever the bus left in them */
}

static void call_main(uint64_t arg)
{
	struct bt_call *c = (struct bt_call *)arg;

	switch (c->op) {
	case BT_WAIT:
		c->status = bus_wait(c->cap, c->name, c->timeout_ms, c->got);
		break;
	case BT_WATCH:
		c->status = bus_watch(c->cap, c->name);
		break;
	case BT_LOOKUP:
		c->status = bus_lookup(c->cap, c->name, c->got);
		break;
	}
}

int bt_call_start(struct bt_call *c)
{
	c->status = -1;
	c->got = rt_slot_alloc();
	return c->got && kt_spawn(&c->t, NULL, call_main, (uint64_t)c, KT_ROOT_PRIO, 0);
}

int bt_call_blocked(struct bt_call *c)
{
	for (unsigned i = 0; i < 1000; i++) {
		int64_t s = kt_state(c->t.rt.tcb);

		if (s == HL_THREAD_BLOCKED_REPLY && c->status == -1)
			return 1;
		if (c->status != -1)
			return 0;
		hl_yield();
	}
	return 0;
}

int bt_call_end(struct bt_call *c)
{
	int ended = kt_join(&c->t, 5);

	kt_kill(&c->t);
	return ended;
}

uint64_t bt_type(hl_cptr_t slot, uint64_t *badge)
{
	struct hl_result r = hl_cnode_identify(HL_CAP_CNODE, slot, 64, badge);

	return r.status == E_OK ? r.value & 0xFF : 0;
}
