/*
 * bt_wait.c: waits (answered by a registration, by a timeout, refused
 * when the Reply pool is used up), watches, and a server that crashes:
 * its starter learns of it from the fault endpoint and tells the bus,
 * whose watchers then get E_DEAD.
 */
#include "bt.h"

#define NPENDING 4

static const char *const rules[] = {
	"register blk/* by virtio-*",
	"register crash/* by crashy",
	"lookup blk/* by fs*",
	"lookup crash/* by fs*",
	"lookup crash/never by crashy",
	NULL,
};

static void test_timeout(void)
{
	hl_cptr_t got = rt_slot_alloc();
	uint64_t t0 = kt_tsc(), ms;
	int st = bus_wait(bt.fs, "blk/none", 30, got);

	ms = (kt_tsc() - t0) * 1000 / kt_tsc_hz();
	kt_is(st, E_AGAIN, "wait 30 ms for a name nobody registers: E_AGAIN");
	kt_ok(ms >= 30 && ms < 5000, "wait: timed out after %lu ms", (unsigned long)ms);
	kt_is(bt_type(got, NULL), HL_OBJ_NULL, "wait: no cap on a timeout");
	rt_slot_free(got);
}

void bt_area_wait(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "endpoint"), got = rt_slot_alloc();
	struct bt_call w[NPENDING];
	unsigned blocked = 0, ok = 0, free0;
	uint64_t badge;

	if (!bt_start(rules, NPENDING))
		return;
	free0 = bus_free_slots(&bt.bus);
	for (unsigned i = 0; i < NPENDING; i++) {
		w[i] = (struct bt_call){ .op = BT_WAIT, .cap = bt.fs, .name = "blk/later",
					 .timeout_ms = i == 0 ? 60000 : 0 };
		bt_call_start(&w[i]);
		blocked += bt_call_blocked(&w[i]);
	}
	kt_is(blocked, NPENDING, "%u waits for an unregistered name block", NPENDING);
	kt_is(bus_wait(bt.fs, "blk/later", 0, got), E_BUSY, "one wait more than the pool: E_BUSY");
	kt_is(bus_wait(bt.fs, "blk/other", 10, got), E_BUSY, "a timed one too: E_BUSY");
	kt_is(bus_register(bt.virtio, "blk/later", ep), E_OK, "register the name they wait for");
	for (unsigned i = 0; i < NPENDING; i++) {
		kt_ok(bt_call_end(&w[i]), "waiter %u ends", i);
		ok += w[i].status == E_OK && bt_type(w[i].got, &badge) == HL_OBJ_ENDPOINT && badge == BT_FS;
		rt_slot_free(w[i].got);
	}
	kt_is(ok, NPENDING, "every waiter got E_OK and an endpoint with its badge");
	kt_is(bus_wait(bt.fs, "blk/later", 0, got), E_OK, "wait for a registered name returns at once");
	kt_is(bt_type(got, &badge) == HL_OBJ_ENDPOINT && badge == BT_FS, 1, "with the endpoint");
	kt_del(got);
	got = rt_slot_alloc();
	test_timeout();
	test_timeout();	/* a Reply used for a timeout is reusable */
	kt_is(bus_withdraw(bt.virtio, "blk/later"), E_OK, "withdraw");
	kt_is(bus_free_slots(&bt.bus), free0, "bus: every slot back");
	bt_stop();
	kt_del(ep);
	rt_slot_free(got);
}

static volatile uintptr_t crash_at;

/* A server that registers its endpoint and then crashes. */
static void crashy_main(uint64_t arg)
{
	if (bus_register(bt.crashy, "crash/svc", arg) != E_OK)
		return;
	crash_at = 8;	/* unmapped; a variable, so the compiler lets it be */
	*(volatile int *)crash_at = 1;
}

void bt_area_crash(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "endpoint"), got = rt_slot_alloc();
	hl_cptr_t fault_ep = kt_new(HL_OBJ_ENDPOINT, 0, "fault endpoint");
	hl_cptr_t fault_badged = kt_mint(fault_ep, HL_R_ALL, BT_CRASHY);
	hl_cptr_t reply = kt_new(HL_OBJ_REPLY, 0, "fault reply");
	struct bt_call watch = { .op = BT_WATCH, .cap = bt.fs, .name = "crash/svc" };
	struct bt_call wait_self = { .op = BT_WAIT, .name = "crash/never" };
	struct kt_thread crashy;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r;
	unsigned free0;

	if (!bt_start(rules, NPENDING))
		return;
	free0 = bus_free_slots(&bt.bus);
	watch.cap = bt.fs;
	wait_self.cap = bt.crashy;
	kt_is(bus_watch(bt.fs, "crash/svc"), E_NOCAP, "watch an unregistered name: E_NOCAP");

	/* A normal withdraw ends a watch with E_OK. */
	kt_is(bus_register(bt.virtio, "blk/w", ep), E_OK, "register blk/w");
	watch.name = "blk/w";
	bt_call_start(&watch);
	kt_ok(bt_call_blocked(&watch), "watch blk/w blocks");
	kt_is(bus_withdraw(bt.virtio, "blk/w"), E_OK, "withdraw blk/w");
	kt_ok(bt_call_end(&watch) && watch.status == E_OK, "watcher told: E_OK (status %d)", watch.status);
	rt_slot_free(watch.got);

	/* A crash: the starter (us) hears it on the fault endpoint. */
	kt_spawn(&crashy, NULL, crashy_main, ep, KT_ROOT_PRIO, fault_badged);
	r = hl_recv(fault_ep, reply, &m);
	kt_ok(r.status == E_OK && r.value == BT_CRASHY && hl_msg_label(m.info) == HL_FAULT_PAGE,
	      "crashy registered, then faulted (badge %lu, label %lu)", (unsigned long)r.value,
	      (unsigned long)hl_msg_label(m.info));
	kt_is(bus_lookup(bt.fs, "crash/svc", got), E_OK, "its name is still there until the starter says");
	watch = (struct bt_call){ .op = BT_WATCH, .cap = bt.fs, .name = "crash/svc" };
	bt_call_start(&watch);
	kt_ok(bt_call_blocked(&watch), "fs0 watches crash/svc");
	bt_call_start(&wait_self);
	kt_ok(bt_call_blocked(&wait_self), "a wait by the crashing client itself is pending");
	kt_is(bus_gone(bt.owner, BT_CRASHY), E_OK, "the starter tells the bus: gone");
	kt_ok(bt_call_end(&watch) && watch.status == E_DEAD, "the watcher is told E_DEAD (status %d)",
	      watch.status);
	kt_ok(bt_call_end(&wait_self) && wait_self.status == E_DEAD,
	      "the dead client's own wait ends E_DEAD (status %d)", wait_self.status);
	rt_slot_free(watch.got);
	rt_slot_free(wait_self.got);
	kt_is(bt_type(got, NULL), HL_OBJ_NULL, "the client's copy is revoked");
	kt_is(bus_lookup(bt.fs, "crash/svc", got), E_NOCAP, "the name is withdrawn");
	kt_is(bus_register(bt.crashy, "crash/svc", ep), E_PERM, "the dead badge is forgotten");
	kt_is(bus_free_slots(&bt.bus), free0, "bus: every slot back");
	kt_kill(&crashy);
	bt_stop();
	kt_del(reply);
	kt_del(fault_badged);
	kt_del(fault_ep);
	kt_del(ep);
	rt_slot_free(got);
}
