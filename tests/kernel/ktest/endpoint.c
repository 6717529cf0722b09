/*
 * endpoint.c: synchronous IPC: send/recv with register and IPC-buffer
 * words, badges, call/reply_recv, non-blocking variants, rights, FIFO
 * order of senders, capability transfer with badges, an endpoint deleted
 * with threads queued on it, and IPC between two address spaces.
 */
#include "kt.h"

static hl_cptr_t ep_ep;
static volatile int64_t ep_status[4];
static volatile uint64_t ep_value[4];

/* Sends label arg with 10 words (4 in registers, 6 in the IPC buffer). */
static void ep_sender_long(uint64_t arg)
{
	struct hl_msg m = { hl_msginfo(arg, 0, 10), { 11, 12, 13, 14 } };
	struct hl_ipc_buffer *b = hl_ipc_buffer();

	for (int i = 4; i < 10; i++)
		b->mr[i] = 11 + i;
	ep_status[0] = hl_send(ep_ep, &m).status;
}

/* Sends label arg (0..3), recording the status in ep_status[arg]. */
static void ep_sender(uint64_t arg)
{
	struct hl_msg m = { hl_msginfo(arg, 0, 1), { arg * 100, 0, 0, 0 } };

	ep_status[arg] = hl_send(ep_ep, &m).status;
}

/* Server: answers n calls on ep with mr0 + 1 through reply_recv; arg
 * packs ep | reply << 16 | n << 32, since a thread in another address
 * space sees a copy of our globals taken before they were set. */
static void ep_server(uint64_t arg)
{
	hl_cptr_t ep = arg & 0xFFFF, reply = (arg >> 16) & 0xFFFF;
	uint64_t n = arg >> 32;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r = hl_recv(ep, reply, &m);

	for (uint64_t i = 0; i < n && r.status == E_OK; i++) {
		m.info = hl_msginfo(0, 0, 1);
		m.mr[0]++;
		if (i + 1 == n)
			r = hl_reply(reply, &m);
		else
			r = hl_reply_recv(ep, reply, &m);
	}
	ep_status[1] = r.status;
}

/* Sends the cap in slot arg with badge-carrying endpoint ep_ep. */
static void ep_cap_sender(uint64_t arg)
{
	struct hl_msg m = { hl_msginfo(9, 1, 0), { 0, 0, 0, 0 } };

	hl_ipc_buffer()->send_caps[0] = arg;
	ep_status[0] = hl_send(ep_ep, &m).status;
}

static void ep_basic(hl_cptr_t ep)
{
	struct kt_thread t;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_ipc_buffer *b = hl_ipc_buffer();
	struct hl_result r;
	uint64_t words[10];
	int good = 1;

	ep_ep = ep;
	if (!kt_spawn(&t, NULL, ep_sender_long, 77, KT_ROOT_PRIO, 0))
		return;
	r = hl_recv(ep, kt_reply, &m);
	/* Printing uses the IPC buffer too: take the words first. */
	for (int i = 4; i < 10; i++)
		words[i] = b->mr[i];
	kt_is(r.status, E_OK, "recv a message sent by another thread");
	kt_is(r.value, 0, "unbadged cap: badge 0");
	kt_is(hl_msg_label(m.info), 77, "label arrives");
	kt_is(hl_msg_length(m.info), 10, "length 10 arrives");
	for (int i = 0; i < 4; i++)
		good &= m.mr[i] == (uint64_t)(11 + i);
	kt_ok(good, "mr0..mr3 arrive in registers");
	good = 1;
	for (int i = 4; i < 10; i++)
		good &= words[i] == (uint64_t)(11 + i);
	kt_ok(good, "mr4..mr9 arrive in the IPC buffer");
	kt_ok(kt_join(&t, 3), "sender finished");
	kt_is(ep_status[0], E_OK, "send returned E_OK");
	kt_kill(&t);
}

static void ep_badge_rights(hl_cptr_t ep)
{
	hl_cptr_t badged = kt_mint(ep, HL_R_ALL, 0xBADE);
	hl_cptr_t ro = kt_mint(ep, HL_R_READ, 0), wo = kt_mint(ep, HL_R_WRITE, 0);
	struct hl_msg m = { hl_msginfo(1, 0, 0), { 0, 0, 0, 0 } };
	struct kt_thread t;
	struct hl_result r;

	kt_is(hl_nbsend(ep, &m).status, E_AGAIN, "nbsend with no receiver: E_AGAIN");
	kt_is(hl_nbrecv(ep, kt_reply, &m).status, E_AGAIN, "nbrecv with no sender: E_AGAIN");
	kt_is(hl_send(ro, &m).status, E_PERM, "send on a read-only endpoint cap: E_PERM");
	kt_is(hl_recv(wo, kt_reply, &m).status, E_PERM, "recv on a write-only endpoint cap: E_PERM");
	kt_is(hl_send(KT_EMPTY, &m).status, E_NOCAP, "send on an empty slot: E_NOCAP");
	kt_is(hl_recv(HL_CAP_CONSOLE, 0, &m).status, E_TYPE, "recv on the Console: E_TYPE");
	kt_is(hl_send(HL_CAP_TCB, &m).status, E_TYPE, "send on a TCB: E_TYPE");
	kt_is(hl_recv(ep, HL_CAP_CONSOLE, &m).status, E_TYPE, "recv with the Console as Reply: E_TYPE");
	/* nbsend: a kernel that accepted the length would otherwise block us. */
	kt_ok(kt_either(hl_nbsend(ep, &(struct hl_msg){ hl_msginfo(1, 0, HL_MSG_MAX + 1), { 0 } }).status, E_INVAL, E_RANGE),
	      "send of 65 words: E_INVAL or E_RANGE");
	ep_ep = badged;
	if (kt_spawn(&t, NULL, ep_sender, 2, KT_ROOT_PRIO, 0)) {
		r = hl_recv(ep, kt_reply, &m);
		kt_is(r.value, 0xBADE, "recv reports the sender cap's badge");
		kt_join(&t, 3);
		kt_kill(&t);
	}
	ep_ep = wo;
	if (kt_spawn(&t, NULL, ep_sender, 1, KT_ROOT_PRIO, 0)) {
		r = hl_recv(ro, kt_reply, &m);
		kt_ok(r.status == E_OK && m.mr[0] == 100, "write-only cap sends, read-only cap receives");
		kt_join(&t, 3);
		kt_kill(&t);
	}
	slot_free(badged);
	slot_free(ro);
	slot_free(wo);
}

/* Senders queue in arrival order. */
static void ep_fifo(hl_cptr_t ep)
{
	struct kt_thread t[3];
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	int order = 1;

	ep_ep = ep;
	for (int i = 0; i < 3; i++) {
		kt_spawn(&t[i], NULL, ep_sender, (uint64_t)i + 1, KT_ROOT_PRIO + 1, 0);
		kt_is(kt_state(t[i].rt.tcb), HL_THREAD_BLOCKED_SEND, "sender %d is blocked sending", i + 1);
	}
	for (int i = 0; i < 3; i++) {
		hl_recv(ep, kt_reply, &m);
		order &= hl_msg_label(m.info) == (uint64_t)i + 1;
	}
	kt_ok(order, "three queued senders are received in FIFO order");
	for (int i = 0; i < 3; i++) {
		kt_join(&t[i], 3);
		kt_kill(&t[i]);
	}
}

static void ep_call_server(hl_cptr_t ep, hl_cptr_t reply, struct rt_space *space, const char *what)
{
	struct kt_thread t;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r;
	int good = 1;

	ep_status[1] = -1;
	if (!kt_spawn(&t, space, ep_server, ep | reply << 16 | 5ull << 32, KT_ROOT_PRIO, 0))
		return;
	for (uint64_t i = 0; i < 5; i++) {
		m.info = hl_msginfo(3, 0, 1);
		m.mr[0] = i * 10;
		r = hl_call(ep, &m);
		good &= r.status == E_OK && m.mr[0] == i * 10 + 1;
	}
	kt_ok(good, "%s: five calls answered through reply_recv with mr0 + 1", what);
	kt_ok(kt_join(&t, 3), "%s: the server finished", what);
	if (!space)
		kt_is(ep_status[1], E_OK, "%s: its last reply succeeded", what);
	kt_kill(&t);
}

static void ep_caps(hl_cptr_t ep)
{
	hl_cptr_t ntfn = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	hl_cptr_t badged = kt_mint(ntfn, HL_R_ALL, 0x55), nogrant = kt_mint(ep, HL_R_READ | HL_R_WRITE, 0);
	hl_cptr_t dst = slot_alloc();
	struct hl_ipc_buffer *b = hl_ipc_buffer();
	struct kt_thread t;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	uint64_t badge = 0;

	ep_ep = ep;
	b->recv_slots[0] = dst;
	b->recv_ncaps = 7;
	if (kt_spawn(&t, NULL, ep_cap_sender, badged, KT_ROOT_PRIO, 0)) {
		struct hl_result r = hl_recv(ep, kt_reply, &m);
		uint64_t ncaps = b->recv_ncaps, rbadge = b->recv_badges[0];

		kt_is(r.status, E_OK, "recv a message carrying a cap");
		kt_is(hl_msg_caps(m.info), 1, "msginfo says one cap");
		kt_is(ncaps, 1, "IPC buffer says one cap received");
		kt_is(kt_type(dst), HL_OBJ_NOTIFICATION, "the notification cap arrived in the receive slot");
		hl_cnode_identify(CN, dst, D, &badge);
		kt_is(badge, 0x55, "it kept its badge 0x55");
		kt_is(rbadge, 0x55, "recv_badges[0] reports 0x55");
		kt_is(kt_type(badged), HL_OBJ_NOTIFICATION, "the sender still has its cap (copied, not moved)");
		kt_join(&t, 3);
		kt_kill(&t);
	}
	hl_cnode_delete(CN, dst, D);
	/* Without the grant right the message goes through and the caps stay behind. */
	ep_ep = nogrant;
	ep_status[0] = -1;
	b->recv_ncaps = 7;	/* the kernel must write it on every receive */
	if (kt_spawn(&t, NULL, ep_cap_sender, badged, KT_ROOT_PRIO, 0)) {
		struct hl_result r = hl_recv(ep, kt_reply, &m);
		uint64_t ncaps = b->recv_ncaps;

		kt_is(r.status, E_OK, "no grant right: the message still arrives");
		kt_is(hl_msg_caps(m.info), 0, "no grant right: msginfo says no cap");
		kt_is(ncaps, 0, "no grant right: no cap received");
		kt_is(kt_type(dst), HL_OBJ_NULL, "no grant right: the receive slot stays empty");
		kt_join(&t, 3);
		kt_kill(&t);
	}
	b->recv_slots[0] = 0;
	slot_free(dst);
	slot_free(nogrant);
	slot_free(badged);
	kt_del(ntfn);
}

/* Two threads queued on an endpoint that is deleted both return E_DEAD. */
static void ep_deleted(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	struct kt_thread t[2];

	if (!ep)
		return;
	ep_ep = ep;
	ep_status[1] = ep_status[2] = -1;
	kt_spawn(&t[0], NULL, ep_sender, 1, KT_ROOT_PRIO + 1, 0);
	kt_spawn(&t[1], NULL, ep_sender, 2, KT_ROOT_PRIO + 1, 0);
	kt_ok(kt_state(t[0].rt.tcb) == HL_THREAD_BLOCKED_SEND && kt_state(t[1].rt.tcb) == HL_THREAD_BLOCKED_SEND,
	      "two senders queued on the endpoint");
	kt_is(hl_cnode_delete(CN, ep, D).status, E_OK, "delete the endpoint");
	kt_ok(kt_join(&t[0], 3) && kt_join(&t[1], 3), "both senders woke");
	kt_is(ep_status[1], E_DEAD, "first queued sender: E_DEAD");
	kt_is(ep_status[2], E_DEAD, "second queued sender: E_DEAD");
	kt_kill(&t[0]);
	kt_kill(&t[1]);
	kt_del(ep);
}

void kt_area_endpoint(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	hl_cptr_t reply = kt_new(HL_OBJ_REPLY, 0, "a Reply");
	struct rt_space space;
	int64_t st;

	if (!ep || !reply)
		return;
	ep_basic(ep);
	ep_badge_rights(ep);
	ep_fifo(ep);
	ep_call_server(ep, reply, NULL, "same address space");
	st = rt_space_create(&space);
	if (kt_is(st, E_OK, "make a second address space with a copy of the image"))
		ep_call_server(ep, reply, &space, "across address spaces");
	rt_space_destroy(&space);
	ep_caps(ep);
	ep_deleted();
	kt_del(reply);
	kt_del(ep);
}
