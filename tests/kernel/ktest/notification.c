/*
 * notification.c: signal, wait and poll: OR of badges, an unbadged cap
 * counting as 1, blocking wait woken by a signal, rights, binding a
 * notification to a thread so it ends a recv on an endpoint.
 */
#include "kt.h"

static hl_cptr_t nt_cap;
static volatile int64_t nt_status;
static volatile uint64_t nt_value, nt_label;

static void nt_waiter(uint64_t arg)
{
	struct hl_result r = hl_wait(arg);

	nt_status = r.status;
	nt_value = r.value;
}

/* Receives on endpoint arg; a bound notification may end it instead. */
static void nt_receiver(uint64_t arg)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r = hl_recv(arg, nt_cap, &m);

	nt_status = r.status;
	nt_value = r.value;
	nt_label = hl_msg_label(m.info);
}

static void nt_basics(hl_cptr_t n)
{
	hl_cptr_t b1 = kt_mint(n, HL_R_ALL, 0x1), b4 = kt_mint(n, HL_R_ALL, 0x4);
	hl_cptr_t ro = kt_mint(n, HL_R_READ, 0), wo = kt_mint(n, HL_R_WRITE, 0);
	struct hl_result r;

	kt_is(hl_poll(n).status, E_AGAIN, "poll of a clear word: E_AGAIN");
	kt_is(hl_signal(n).status, E_OK, "signal through an unbadged cap");
	r = hl_poll(n);
	kt_ok(r.status == E_OK && r.value == 1, "poll returns 1 for an unbadged signal");
	kt_is(hl_poll(n).status, E_AGAIN, "poll cleared the word");
	hl_signal(b1);
	hl_signal(b4);
	hl_signal(b4);
	r = hl_wait(n);
	kt_ok(r.status == E_OK && r.value == 0x5, "wait returns the OR of badges 0x1 and 0x4 (got 0x%lx)",
	      (unsigned long)r.value);
	kt_is(hl_poll(n).status, E_AGAIN, "wait cleared the word");
	kt_is(hl_signal(ro).status, E_PERM, "signal through a read-only cap: E_PERM");
	kt_is(hl_wait(wo).status, E_PERM, "wait through a write-only cap: E_PERM");
	kt_is(hl_poll(wo).status, E_PERM, "poll through a write-only cap: E_PERM");
	hl_signal(wo);
	kt_is(hl_poll(ro).value, 1, "signal through write-only, poll through read-only");
	kt_is(hl_signal(HL_CAP_TCB).status, E_TYPE, "signal a TCB: E_TYPE");
	kt_is(hl_wait(HL_CAP_CONSOLE).status, E_TYPE, "wait on the Console: E_TYPE");
	kt_is(hl_poll(KT_EMPTY).status, E_NOCAP, "poll an empty slot: E_NOCAP");
	slot_free(b1);
	slot_free(b4);
	slot_free(ro);
	slot_free(wo);
}

static void nt_blocking(hl_cptr_t n)
{
	hl_cptr_t b = kt_mint(n, HL_R_ALL, 0x80);
	struct kt_thread t;

	nt_status = -1;
	if (!kt_spawn(&t, NULL, nt_waiter, n, KT_ROOT_PRIO + 1, 0))
		return;
	kt_is(kt_state(t.rt.tcb), HL_THREAD_BLOCKED_NOTIFICATION, "a waiter blocks on a clear word");
	kt_is(hl_signal(b).status, E_OK, "signal it");
	kt_ok(kt_join(&t, 3), "the waiter woke");
	kt_ok(nt_status == E_OK && nt_value == 0x80, "and got the badge 0x80");
	kt_kill(&t);
	slot_free(b);
}

static void nt_bound(hl_cptr_t n)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	hl_cptr_t b = kt_mint(n, HL_R_ALL, 0x30), reply = kt_new(HL_OBJ_REPLY, 0, "a Reply");
	struct kt_thread t;

	nt_status = -1;
	nt_cap = reply;
	if (!ep || !reply || !kt_spawn_stopped(&t, NULL, nt_receiver, ep, KT_ROOT_PRIO + 1, 0))
		goto out;
	kt_is(hl_tcb_bind_notification(t.rt.tcb, n).status, E_OK, "bind the notification to a thread");
	rt_thread_start(&t.rt);
	kt_is(kt_state(t.rt.tcb), HL_THREAD_BLOCKED_RECV, "the thread waits on an endpoint");
	hl_signal(b);
	kt_ok(kt_join(&t, 3), "a signal of its bound notification ended the recv");
	kt_is(nt_status, E_OK, "recv returned E_OK");
	kt_is(nt_value, 0x30, "with the notification bits as value");
	kt_is(nt_label, HL_NOTIFY_LABEL, "and label HL_NOTIFY_LABEL");
	kt_is(hl_tcb_unbind_notification(t.rt.tcb).status, E_OK, "unbind it");
	kt_kill(&t);
out:
	kt_del(reply);
	slot_free(b);
	kt_del(ep);
}

/* A waiter on a notification whose last cap is deleted gets E_DEAD. */
static void nt_deleted(void)
{
	hl_cptr_t n = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	struct kt_thread t;

	nt_status = -1;
	if (!n || !kt_spawn(&t, NULL, nt_waiter, n, KT_ROOT_PRIO + 1, 0))
		goto out;
	kt_is(kt_state(t.rt.tcb), HL_THREAD_BLOCKED_NOTIFICATION, "a waiter blocks");
	kt_is(hl_cnode_delete(CN, n, D).status, E_OK, "delete the notification under it");
	kt_ok(kt_join(&t, 3), "the waiter woke");
	kt_is(nt_status, E_DEAD, "with E_DEAD");
	kt_kill(&t);
out:
	kt_del(n);
}

void kt_area_notification(void)
{
	hl_cptr_t n = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");

	if (!n)
		return;
	nt_basics(n);
	nt_blocking(n);
	nt_bound(n);
	nt_deleted();
	kt_del(n);
}
