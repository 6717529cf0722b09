/*
 * reply.c: Reply objects (seL4 MCS style): replying out of order through
 * two Replies, replying twice, replying through an unbound Reply, and
 * replying after the caller died.
 */
#include "kt.h"

static hl_cptr_t rp_ep;
static volatile int64_t rp_status[2];
static volatile uint64_t rp_value[2];

/* Calls rp_ep with mr0 = arg; records status and the reply's mr0 in slot arg & 1. */
static void rp_caller(uint64_t arg)
{
	struct hl_msg m = { hl_msginfo(5, 0, 1), { arg, 0, 0, 0 } };

	rp_status[arg & 1] = hl_call(rp_ep, &m).status;
	rp_value[arg & 1] = m.mr[0];
}

static void rp_out_of_order(hl_cptr_t ep, hl_cptr_t r1, hl_cptr_t r2)
{
	struct kt_thread a, b;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r;

	rp_ep = ep;
	rp_status[0] = rp_status[1] = -1;
	if (!kt_spawn(&a, NULL, rp_caller, 10, KT_ROOT_PRIO, 0))
		return;
	if (!kt_spawn(&b, NULL, rp_caller, 21, KT_ROOT_PRIO, 0)) {
		kt_kill(&a);
		return;
	}
	r = hl_recv(ep, r1, &m);
	kt_ok(r.status == E_OK && m.mr[0] == 10, "first call received on Reply 1");
	r = hl_recv(ep, r2, &m);
	kt_ok(r.status == E_OK && m.mr[0] == 21, "second call received on Reply 2");
	kt_is(kt_state(a.rt.tcb), HL_THREAD_BLOCKED_REPLY, "first caller waits for its reply");
	m.info = hl_msginfo(0, 0, 1);
	m.mr[0] = 2100;
	kt_is(hl_reply(r2, &m).status, E_OK, "reply to the second caller first");
	m.mr[0] = 1000;
	kt_is(hl_reply(r1, &m).status, E_OK, "then to the first");
	kt_ok(kt_join(&a, 3) && kt_join(&b, 3), "both callers returned");
	kt_ok(rp_status[0] == E_OK && rp_value[0] == 1000, "first caller got its own answer");
	kt_ok(rp_status[1] == E_OK && rp_value[1] == 2100, "second caller got its own answer");
	kt_is(hl_reply(r1, &m).status, E_DEAD, "replying twice through one Reply: E_DEAD");
	kt_kill(&a);
	kt_kill(&b);
}

static void rp_caller_died(hl_cptr_t ep, hl_cptr_t r1)
{
	struct kt_thread a;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	rp_ep = ep;
	if (!kt_spawn(&a, NULL, rp_caller, 30, KT_ROOT_PRIO, 0))
		return;
	kt_is(hl_recv(ep, r1, &m).status, E_OK, "receive a call");
	kt_is(hl_cnode_delete(CN, a.rt.tcb, D).status, E_OK, "delete the caller while it waits for the reply");
	m.info = hl_msginfo(0, 0, 0);
	kt_is(hl_reply(r1, &m).status, E_DEAD, "reply after the caller died: E_DEAD");
	kt_kill(&a);
}

/* A call received without a Reply object: delivered, and the caller gets
 * E_DEAD at once; a caller whose Reply object is deleted gets E_DEAD. */
static void rp_no_reply(hl_cptr_t ep)
{
	hl_cptr_t r3 = kt_new(HL_OBJ_REPLY, 0, "Reply 3");
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct kt_thread a;

	rp_ep = ep;
	rp_status[0] = -1;
	if (kt_spawn(&a, NULL, rp_caller, 40, KT_ROOT_PRIO, 0)) {
		struct hl_result r = hl_recv(ep, 0, &m);

		kt_ok(r.status == E_OK && m.mr[0] == 40, "a call received without a Reply is delivered");
		kt_ok(kt_join(&a, 3), "the caller is released");
		kt_is(rp_status[0], E_DEAD, "with E_DEAD");
		kt_kill(&a);
	}
	rp_status[0] = -1;
	if (r3 && kt_spawn(&a, NULL, rp_caller, 50, KT_ROOT_PRIO, 0)) {
		kt_is(hl_recv(ep, r3, &m).status, E_OK, "receive a call on Reply 3");
		kt_is(hl_cnode_delete(CN, r3, D).status, E_OK, "delete Reply 3 while the caller waits");
		kt_ok(kt_join(&a, 3), "the caller is released");
		kt_is(rp_status[0], E_DEAD, "with E_DEAD");
		kt_kill(&a);
	}
	kt_del(r3);
}

/* A receiver waiting on an endpoint that is deleted gets E_DEAD. */
static void rp_receiver(uint64_t arg)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	rp_status[1] = hl_recv(arg, 0, &m).status;
}

static void rp_recv_deleted(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	struct kt_thread a;

	rp_status[1] = -1;
	if (ep && kt_spawn(&a, NULL, rp_receiver, ep, KT_ROOT_PRIO + 1, 0)) {
		kt_is(kt_state(a.rt.tcb), HL_THREAD_BLOCKED_RECV, "a receiver blocks on an endpoint");
		kt_is(hl_cnode_delete(CN, ep, D).status, E_OK, "delete the endpoint under it");
		kt_ok(kt_join(&a, 3), "the receiver woke");
		kt_is(rp_status[1], E_DEAD, "with E_DEAD");
		kt_kill(&a);
	}
	kt_del(ep);
}

void kt_area_reply(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	hl_cptr_t r1 = kt_new(HL_OBJ_REPLY, 0, "Reply 1"), r2 = kt_new(HL_OBJ_REPLY, 0, "Reply 2");
	struct hl_msg m = { hl_msginfo(0, 0, 0), { 0, 0, 0, 0 } };

	if (ep && r1 && r2) {
		kt_is(hl_reply(r1, &m).status, E_DEAD, "reply through an unbound Reply: E_DEAD");
		kt_is(hl_reply(ep, &m).status, E_TYPE, "reply through an endpoint: E_TYPE");
		kt_is(hl_reply(KT_EMPTY, &m).status, E_NOCAP, "reply through an empty slot: E_NOCAP");
		kt_is(hl_reply_recv(ep, HL_CAP_TCB, &m).status, E_TYPE, "reply_recv with a TCB as Reply: E_TYPE");
		rp_out_of_order(ep, r1, r2);
		rp_caller_died(ep, r1);
		rp_no_reply(ep);
		rp_recv_deleted();
	}
	kt_del(r2);
	kt_del(r1);
	kt_del(ep);
}
