/*
 * trace.c: tracepoints and the trace ring (HL_CAP_TRACE_CONTROL).
 *
 * The ring is mapped in our VSpace and read without a syscall per record:
 * each check notes head, does something, and looks at the records written
 * since. Covered: the trace right, the ring header, 100 sends with badge 7
 * from a traced thread in another address space (and none from an
 * untraced one), probes switched one by one and by group (syscall, IPC,
 * scheduler, capabilities, threads, pages, faults), user probes and their
 * enable page, the exact count of lost records, and a revoked ring frame.
 */
#include <mercury/string.h>

#include "ko.h"

#define TC HL_CAP_TRACE_CONTROL
#define TR_SENDS 100

static struct ko_ring ring;

static void tr_enable(uint64_t probe, uint64_t on)
{
	ko_call(TC, HL_TRACE_ENABLE, 2, probe, on, 0, 0);
}

static void tr_group(uint64_t group, uint64_t on)
{
	ko_call(TC, HL_TRACE_ENABLE_GROUP, 2, group, on, 0, 0);
}

static void tr_self(uint64_t on)
{
	hl_tcb_op(HL_CAP_TCB, HL_TCB_SET_TRACE, 1, on);
}

/* Index of the first record of probe in [from, to) from from, or to. */
static uint64_t tr_find(uint64_t from, uint64_t to, unsigned probe)
{
	for (; from < to; from++)
		if (ko_ring_at(&ring, from)->probe == probe)
			break;
	return from;
}

static unsigned tr_count(uint64_t from, uint64_t to, unsigned probe)
{
	unsigned n = 0;

	for (; from < to; from++)
		n += ko_ring_at(&ring, from)->probe == probe;
	return n;
}

/* A record of probe in [from, to) whose argument i is v. */
static int tr_has(uint64_t from, uint64_t to, unsigned probe, unsigned i, uint64_t v)
{
	for (; from < to; from++) {
		const struct hl_trace_record *r = ko_ring_at(&ring, from);
		if (r->probe == probe && r->arg[i] == v)
			return 1;
	}
	return 0;
}

static void tr_sender(uint64_t arg)
{
	hl_cptr_t ep = arg & 0xFFFF;
	unsigned n = (unsigned)(arg >> 16);

	for (unsigned i = 0; i < n; i++) {
		struct hl_msg m = { hl_msginfo(i, 0, 1), { i, 0, 0, 0 } };
		hl_send(ep, &m);
	}
}

static void tr_server(uint64_t arg)
{
	hl_cptr_t ep = arg & 0xFFFF, reply = arg >> 16;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	hl_recv(ep, reply, &m);
	for (;;) {
		m.info = hl_msginfo(2, 0, 1);
		hl_reply_recv(ep, reply, &m);
	}
}

static void tr_fault(uint64_t arg)
{
	*(volatile uint64_t *)arg = 1;
}

static void tr_errors(void)
{
	hl_cptr_t f = kt_new(HL_OBJ_FRAME, 0, "a frame"), ro = f ? kt_mint(f, HL_R_READ, 0) : 0;

	kt_is(ko_call(TC, HL_TRACE_ENABLE, 2, HL_PROBE_COUNT, 1, 0, 0).status, E_RANGE,
	      "trace: enable probe %d (no such probe): E_RANGE", HL_PROBE_COUNT);
	kt_is(ko_call(TC, HL_TRACE_ENABLE_GROUP, 2, HL_TRACE_GROUP_COUNT, 1, 0, 0).status, E_RANGE,
	      "trace: enable a group that does not exist: E_RANGE");
	kt_is(ko_call(TC, HL_TRACE_SET_BUFFER, 1, 0, 0, 0, 0).status, E_RANGE,
	      "trace: a ring of 0 frames: E_RANGE");
	kt_is(ko_call(TC, HL_TRACE_SET_BUFFER, 2, HL_TRACE_MAX_FRAMES + 1, f, 0, 0).status, E_RANGE,
	      "trace: a ring of %d frames: E_RANGE", HL_TRACE_MAX_FRAMES + 1);
	kt_is(ko_call(TC, HL_TRACE_SET_BUFFER, 2, 1, ro, 0, 0).status, E_PERM,
	      "trace: a ring in a read-only frame cap: E_PERM");
	kt_is(ko_call(TC, HL_TRACE_SET_BUFFER, 2, 1, HL_CAP_CONSOLE, 0, 0).status, E_TYPE,
	      "trace: a ring in the Console: E_TYPE");
	kt_is(ko_call(TC, HL_TRACE_SET_USER_PAGE, 1, ro, 0, 0, 0).status, E_PERM,
	      "trace: a user-probe page from a read-only frame cap: E_PERM");
	kt_is(ko_call(HL_CAP_CONSOLE, HL_TRACE_ENABLE, 2, HL_PROBE_IPC_SEND, 1, 0, 0).status, E_NOSYS,
	      "trace: the Console cannot switch probes: E_NOSYS");
	kt_is(ko_call(TC, 0x7777, 0, 0, 0, 0, 0).status, E_NOSYS, "trace: an unknown TraceControl method: E_NOSYS");
	slot_free(ro);
	kt_del(f);
}

static void tr_header(void)
{
	struct hl_trace_header *h = ring.hdr;

	kt_is((int64_t)h->magic, (int64_t)HL_TRACE_MAGIC, "trace: ring header magic");
	kt_is((int64_t)h->capacity, 16 * 64 - 1, "trace: 16 frames hold 1023 records (value and header)");
	kt_is((int64_t)ring.capacity, (int64_t)h->capacity, "trace: SET_BUFFER returned the capacity");
	kt_ok(h->head == 0 && h->tail == 0 && h->lost == 0, "trace: head, tail and lost start at 0");
	kt_is((int64_t)h->tsc_hz, (int64_t)rt_bootinfo->tsc_hz, "trace: tsc_hz as in BootInfo");
	kt_is(ko_call(TC, HL_TRACE_SET_BUFFER, 2, 1, ring.frames[0], 0, 0).status, E_BUSY,
	      "trace: a second ring while one is attached: E_BUSY");
}

/* Two senders in another address space, one traced: only its 100 sends
 * (badge 7, labels 0..99) are recorded, in order. */
static void tr_badge7(hl_cptr_t ep, struct rt_space *sp)
{
	hl_cptr_t ep7 = kt_mint(ep, HL_R_WRITE, 7), notrace = 0, only = 0;
	struct kt_thread a, b;
	struct hl_msg m;
	uint64_t h0, h1, aid, last_tsc = 0;
	unsigned got = 0, n = 0, inorder = 1, others = 0;

	if (!ep7 || !kt_spawn_stopped(&a, sp, tr_sender, ep7 | (uint64_t)TR_SENDS << 16, KT_ROOT_PRIO - 1, 0))
		goto out;
	if (!kt_spawn_stopped(&b, sp, tr_sender, ep7 | 20ull << 16, KT_ROOT_PRIO - 1, 0))
		goto out_a;
	notrace = kt_mint(a.rt.tcb, HL_R_ALL & ~HL_R_TRACE, 0);
	only = kt_mint(a.rt.tcb, HL_R_TRACE, 0);
	kt_is(hl_tcb_op(notrace, HL_TCB_SET_TRACE, 1, 1).status, E_PERM,
	      "trace: switching tracing on through a TCB cap without the trace right: E_PERM");
	kt_is(hl_tcb_op(only, HL_TCB_SET_TRACE, 1, 1).status, E_OK,
	      "trace: switching it on through a cap with only the trace right");
	aid = ko_thread_id(a.rt.tcb);
	tr_enable(HL_PROBE_IPC_SEND, 1);
	h0 = ring.hdr->head;
	rt_thread_start(&a.rt);
	rt_thread_start(&b.rt);
	for (unsigned i = 0; i < TR_SENDS + 20; i++) {
		m = (struct hl_msg){ 0, { 0, 0, 0, 0 } };
		got += hl_recv(ep, 0, &m).status == E_OK && m.mr[0] < TR_SENDS;
	}
	h1 = ring.hdr->head;
	tr_enable(HL_PROBE_IPC_SEND, 0);
	kt_is(got, TR_SENDS + 20, "trace: 120 messages received");
	for (uint64_t s = h0; s < h1; s++) {
		const struct hl_trace_record *r = ko_ring_at(&ring, s);
		if (r->probe != HL_PROBE_IPC_SEND || r->arg[1] != 7) {
			others++;
			continue;
		}
		if (r->thread != aid)
			others++;
		inorder &= r->arg[2] == n && r->tsc >= last_tsc;
		inorder &= r->nargs == 5 && r->cpu == 0 && r->arg[3] == 1 &&
			   r->arg[0] == ko_ring_at(&ring, h0)->arg[0];
		last_tsc = r->tsc;
		n++;
	}
	kt_is(n, TR_SENDS, "trace: exactly 100 send records with badge 7");
	kt_is(others, 0, "trace: and nothing else (the untraced sender left no record)");
	kt_ok(inorder, "trace: labels 0..99 in order, time stamps non-decreasing, one endpoint, length 1");
	kt_ok(n && ko_ring_at(&ring, h0)->nargs == 5 && ko_ring_at(&ring, h0)->arg[3] == 1,
	      "trace: 5 arguments (endpoint, badge, label, length 1, to)");
	kt_join(&a, 2);
	kt_join(&b, 2);
	kt_kill(&b);
out_a:
	kt_kill(&a);
out:
	slot_free(only);
	slot_free(notrace);
	slot_free(ep7);
}

/* The IPC group: a call to a traced server gives call, recv, reply; a
 * signal gives signal; switched off, nothing. */
static void tr_ipc_group(hl_cptr_t ep)
{
	hl_cptr_t rep = kt_new(HL_OBJ_REPLY, 0, "a Reply"), nt = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	struct kt_thread s;
	struct hl_msg m = { hl_msginfo(9, 0, 2), { 1, 2, 0, 0 } };
	uint64_t h0, h1, i, sid, me = ko_thread_id(HL_CAP_TCB);

	if (!rep || !nt || !kt_spawn_stopped(&s, NULL, tr_server, ep | rep << 16, KT_ROOT_PRIO + 1, 0))
		goto out;
	hl_tcb_op(s.rt.tcb, HL_TCB_SET_TRACE, 1, 1);
	sid = ko_thread_id(s.rt.tcb);
	rt_thread_start(&s.rt);
	tr_self(1);
	tr_group(HL_TRACE_GROUP_IPC, 1);
	h0 = ring.hdr->head;
	hl_call(ep, &m);
	hl_signal(nt);
	h1 = ring.hdr->head;
	tr_group(HL_TRACE_GROUP_IPC, 0);
	kt_is((int64_t)(h1 - h0), 4, "trace: IPC group: a call and a signal make 4 records");
	i = tr_find(h0, h1, HL_PROBE_IPC_CALL);
	kt_ok(i < h1 && ko_ring_at(&ring, i)->thread == me && ko_ring_at(&ring, i)->arg[2] == 9 &&
	      ko_ring_at(&ring, i)->arg[3] == 2 && ko_ring_at(&ring, i)->arg[4] == sid,
	      "trace: ipc:call by us, label 9, length 2, to the server");
	i = tr_find(h0, h1, HL_PROBE_IPC_RECV);
	kt_ok(i < h1 && ko_ring_at(&ring, i)->thread == sid && ko_ring_at(&ring, i)->arg[2] == 9 &&
	      ko_ring_at(&ring, i)->arg[4] == me, "trace: ipc:recv by the server, from us");
	i = tr_find(h0, h1, HL_PROBE_IPC_REPLY);
	kt_ok(i < h1 && ko_ring_at(&ring, i)->thread == sid && ko_ring_at(&ring, i)->arg[0] == me &&
	      ko_ring_at(&ring, i)->arg[1] == 2, "trace: ipc:reply by the server to us, label 2");
	kt_ok(tr_find(h0, h1, HL_PROBE_IPC_SIGNAL) < h1, "trace: ipc:signal");
	h0 = ring.hdr->head;
	m.info = hl_msginfo(9, 0, 0);
	hl_call(ep, &m);
	hl_signal(nt);
	kt_is((int64_t)(ring.hdr->head - h0), 0, "trace: IPC group switched off: no records");
	tr_self(0);
	kt_kill(&s);
out:
	kt_del(nt);
	kt_del(rep);
}

static void tr_syscalls(void)
{
	uint64_t h0, h1, i;

	tr_self(1);
	tr_group(HL_TRACE_GROUP_SYSCALL, 1);
	h0 = ring.hdr->head;
	hl_yield();
	h1 = ring.hdr->head;
	i = tr_find(h0, h1, HL_PROBE_SYSCALL_ENTRY);
	kt_ok(i < h1 && ko_ring_at(&ring, i)->arg[0] == HL_SYS_YIELD, "trace: syscall:entry of a yield");
	i = tr_find(h0, h1, HL_PROBE_SYSCALL_EXIT);
	kt_ok(i < h1 && ko_ring_at(&ring, i)->arg[0] == HL_SYS_YIELD && ko_ring_at(&ring, i)->arg[1] == E_OK,
	      "trace: syscall:exit of a yield, status E_OK");
	h0 = ring.hdr->head;
	hl_null();
	h1 = ring.hdr->head;
	kt_is(tr_count(h0, h1, HL_PROBE_SYSCALL_ENTRY) + tr_count(h0, h1, HL_PROBE_SYSCALL_EXIT), 2,
	      "trace: the null syscall has its entry and exit records too");
	h0 = ring.hdr->head;
	hl_invoke(HL_CAP_CNODE, 0x7777, 0, NULL);
	h1 = ring.hdr->head;
	kt_ok(tr_has(h0, h1, HL_PROBE_SYSCALL_EXIT, 1, E_NOSYS), "trace: syscall:exit shows a refusal's status");
	tr_group(HL_TRACE_GROUP_SYSCALL, 0);
	tr_self(0);
}

static void tr_nothing(uint64_t arg)
{
	(void)arg;
}

/* Scheduler switches are recorded whoever is traced (global scope). */
static void tr_sched(void)
{
	struct kt_thread t;
	uint64_t h0, h1, tid;

	tr_self(0);
	if (!kt_spawn_stopped(&t, NULL, tr_nothing, 0, KT_ROOT_PRIO - 1, 0))
		return;
	tid = ko_thread_id(t.rt.tcb);
	tr_group(HL_TRACE_GROUP_SCHED, 1);
	h0 = ring.hdr->head;
	rt_thread_start(&t.rt);
	kt_join(&t, 2);
	h1 = ring.hdr->head;
	tr_group(HL_TRACE_GROUP_SCHED, 0);
	kt_ok(tr_has(h0, h1, HL_PROBE_SCHED_SWITCH, 1, tid), "trace: sched:switch to an untraced thread is recorded");
	kt_ok(tr_has(h0, h1, HL_PROBE_SCHED_SWITCH, 0, tid), "trace: and the switch away from it");
	kt_is(ko_ring_at(&ring, tr_find(h0, h1, HL_PROBE_SCHED_SWITCH))->thread, 0,
	      "trace: a global record names no thread");
	kt_kill(&t);
}

/* Capability, thread, page and fault groups. */
static void tr_objects(hl_cptr_t ep)
{
	struct kt_thread t;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	hl_cptr_t e, c, f;
	uint64_t h0, h1, pa, tid;

	tr_self(1);
	tr_group(HL_TRACE_GROUP_CAP, 1);
	h0 = ring.hdr->head;
	e = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	c = kt_mint(e, HL_R_READ, 0x55);
	hl_cnode_revoke(CN, e, D);
	slot_free(c);
	kt_del(e);
	h1 = ring.hdr->head;
	tr_group(HL_TRACE_GROUP_CAP, 0);
	kt_ok(tr_has(h0, h1, HL_PROBE_CAP_RETYPE, 0, HL_OBJ_ENDPOINT), "trace: cap:retype of an endpoint");
	kt_ok(tr_has(h0, h1, HL_PROBE_CAP_COPY, 2, 0x55), "trace: cap:copy with its badge");
	kt_ok(tr_has(h0, h1, HL_PROBE_CAP_REVOKE, 0, HL_OBJ_ENDPOINT), "trace: cap:revoke");
	kt_ok(tr_has(h0, h1, HL_PROBE_CAP_DELETE, 2, 1), "trace: cap:delete of the last cap");

	tr_group(HL_TRACE_GROUP_PAGE, 1);
	f = kt_new(HL_OBJ_FRAME, 0, "a frame");
	pa = hl_frame_paddr(f).value;
	h0 = ring.hdr->head;
	hl_frame_map(f, HL_CAP_VSPACE, KO_SCRATCH_VA, HL_R_READ, 0);
	hl_frame_unmap(f);
	h1 = ring.hdr->head;
	tr_group(HL_TRACE_GROUP_PAGE, 0);
	kt_ok(tr_has(h0, h1, HL_PROBE_PAGE_MAP, 0, KO_SCRATCH_VA) && tr_has(h0, h1, HL_PROBE_PAGE_MAP, 1, pa),
	      "trace: page:map with vaddr and paddr");
	kt_ok(tr_has(h0, h1, HL_PROBE_PAGE_UNMAP, 0, KO_SCRATCH_VA), "trace: page:unmap");
	kt_del(f);

	tr_group(HL_TRACE_GROUP_THREAD, 1);
	tr_group(HL_TRACE_GROUP_FAULT, 1);
	h0 = ring.hdr->head;
	if (kt_spawn_stopped(&t, NULL, tr_fault, KO_SCRATCH_VA + 8, KT_ROOT_PRIO - 1, ep)) {
		tid = ko_thread_id(t.rt.tcb);
		hl_tcb_op(t.rt.tcb, HL_TCB_SET_TRACE, 1, 1);
		rt_thread_start(&t.rt);
		hl_recv(ep, ko_reply, &m);
		hl_tcb_suspend(t.rt.tcb);
		h1 = ring.hdr->head;
		kt_ok(tr_has(h0, h1, HL_PROBE_THREAD_CREATE, 0, tid), "trace: thread:create");
		kt_ok(tr_has(h0, h1, HL_PROBE_THREAD_RESUME, 0, tid), "trace: thread:resume");
		kt_ok(tr_has(h0, h1, HL_PROBE_THREAD_SUSPEND, 0, tid), "trace: thread:suspend");
		kt_ok(tr_has(h0, h1, HL_PROBE_FAULT, 1, KO_SCRATCH_VA + 8) &&
		      ko_ring_at(&ring, tr_find(h0, h1, HL_PROBE_FAULT))->thread == tid &&
		      ko_ring_at(&ring, tr_find(h0, h1, HL_PROBE_FAULT))->arg[0] == HL_FAULT_PAGE,
		      "trace: fault:user of the traced thread: page fault at its address");
		kt_kill(&t);
	}
	tr_group(HL_TRACE_GROUP_THREAD, 0);
	tr_group(HL_TRACE_GROUP_FAULT, 0);
	tr_self(0);
}

/* User probes: the enable page, a probe's record, a disabled probe. */
static void tr_user(void)
{
	hl_cptr_t f = kt_new(HL_OBJ_FRAME, 0, "a frame"), ro = f ? kt_mint(f, HL_R_READ, 0) : 0;
	volatile const uint8_t *bits = (volatile const uint8_t *)KO_UPAGE_VA;
	uint64_t h0, me = ko_thread_id(HL_CAP_TCB);
	const struct hl_trace_record *r;

	if (!ro)
		goto out;
	kt_is(ko_call(TC, HL_TRACE_ENABLE_USER, 2, 5, 1, 0, 0).status, E_INVAL,
	      "trace: enable a user probe before there is a user-probe page: E_INVAL");
	kt_is(ko_call(TC, HL_TRACE_SET_USER_PAGE, 1, f, 0, 0, 0).status, E_OK, "trace: set the user-probe page");
	kt_is(hl_frame_map(ro, HL_CAP_VSPACE, KO_UPAGE_VA, HL_R_READ, 0).status, E_OK,
	      "trace: map it read-only");
	kt_is(ko_call(TC, HL_TRACE_ENABLE_USER, 2, 5, 1, 0, 0).status, E_OK, "trace: enable user probe 5");
	kt_is(bits[0], 1 << 5, "trace: its bit shows in the page");
	kt_is(ko_call(TC, HL_TRACE_ENABLE_USER, 2, HL_TRACE_USER_PROBES, 1, 0, 0).status, E_RANGE,
	      "trace: enable user probe %d: E_RANGE", HL_TRACE_USER_PROBES);
	tr_self(1);
	h0 = ring.hdr->head;
	if (bits[5 / 8] & (1 << 5 % 8))
		ko_probe(5, 11, 22, 33, 44);
	kt_is((int64_t)(ring.hdr->head - h0), 1, "trace: an enabled user probe writes one record");
	r = ko_ring_at(&ring, h0);
	kt_ok(r->probe == HL_TRACE_USER_BASE + 5 && r->nargs == 4 && r->thread == me && r->arg[0] == 11 &&
	      r->arg[1] == 22 && r->arg[2] == 33 && r->arg[3] == 44,
	      "trace: probe 0x8005, our thread, arguments 11 22 33 44");
	h0 = ring.hdr->head;
	if (bits[6 / 8] & (1 << 6 % 8))
		kt_ok(0, "trace: user probe 6 reads as disabled");
	kt_is(ko_probe(6, 1, 2, 3, 4).status, E_OK, "trace: firing disabled user probe 6 anyway succeeds");
	kt_is((int64_t)(ring.hdr->head - h0), 0, "trace: and writes nothing");
	kt_is(ko_probe(HL_TRACE_USER_PROBES, 0, 0, 0, 0).status, E_RANGE, "trace: user probe id out of range: E_RANGE");
	tr_self(0);
	ko_probe(5, 1, 2, 3, 4);
	kt_is((int64_t)(ring.hdr->head - h0), 0, "trace: an untraced thread's user probe writes nothing");
	ko_call(TC, HL_TRACE_ENABLE_USER, 2, 5, 0, 0, 0);
	kt_is(bits[0], 0, "trace: disabling clears the bit");
	hl_frame_unmap(ro);
	hl_cnode_revoke(CN, f, D);
	kt_is(ko_call(TC, HL_TRACE_ENABLE_USER, 2, 5, 1, 0, 0).status, E_INVAL,
	      "trace: after revoking its frame there is no user-probe page");
out:
	slot_free(ro);
	kt_del(f);
}

/* A one-frame ring (63 records) filled by 100 signals: 37 lost, and the
 * next record after draining is preceded by a LOST record saying 37. */
static void tr_lost(void)
{
	struct hl_trace_header *h;
	hl_cptr_t nt = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	const struct hl_trace_record *r;
	unsigned sig = 1;

	ko_ring_free(&ring);
	if (!nt || !kt_is(ko_ring_attach(&ring, 1), E_OK, "trace: attach a one-frame ring"))
		goto out;
	h = ring.hdr;
	kt_is((int64_t)ring.capacity, 63, "trace: one frame holds 63 records");
	tr_self(1);
	tr_enable(HL_PROBE_IPC_SIGNAL, 1);
	for (int i = 0; i < 100; i++)
		hl_signal(nt);
	kt_is((int64_t)h->head, 63, "trace: 100 events into 63 free slots: head 63");
	kt_is((int64_t)h->lost, 37, "trace: lost counts the other 37 exactly");
	for (uint64_t s = 0; s < 63; s++)
		sig &= ko_ring_at(&ring, s)->probe == HL_PROBE_IPC_SIGNAL;
	kt_ok(sig, "trace: the 63 records are the first signals");
	h->tail = 1;
	hl_signal(nt);
	kt_ok(h->head == 63 && h->lost == 38,
	      "trace: one free slot is not enough for a LOST record and the event: lost 38");
	ko_ring_drain(&ring);
	hl_signal(nt);
	kt_is((int64_t)(h->head - 63), 2, "trace: after draining, the next event writes 2 records");
	r = ko_ring_at(&ring, 63);
	kt_ok(r->probe == HL_PROBE_LOST && r->nargs == 1 && r->arg[0] == 38,
	      "trace: first a trace:lost record with count 38 (got probe %u count %lu)", r->probe,
	      (unsigned long)r->arg[0]);
	kt_is(ko_ring_at(&ring, 64)->probe, HL_PROBE_IPC_SIGNAL, "trace: then the event");
	hl_signal(nt);
	kt_ok(h->head == 66 && h->lost == 38, "trace: the next event alone: one record, lost unchanged");
	/* Revoking a ring frame stops the ring at once. */
	hl_cnode_revoke(CN, ring.frames[0], D);
	hl_signal(nt);
	kt_is((int64_t)h->head, 66, "trace: revoking the ring's frame stops recording");
	tr_enable(HL_PROBE_IPC_SIGNAL, 0);
	tr_self(0);
out:
	ko_ring_free(&ring);
	kt_del(nt);
}

void ko_area_trace(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	struct rt_space sp;
	int64_t st;

	ko_probes_off();
	tr_errors();
	if (!ep || !kt_is(ko_ring_attach(&ring, 16), E_OK, "trace: attach a ring of 16 frames"))
		goto out;
	tr_header();
	st = rt_space_create(&sp);
	if (kt_is(st, E_OK, "trace: make a second address space"))
		tr_badge7(ep, &sp);
	rt_space_destroy(&sp);
	tr_ipc_group(ep);
	tr_syscalls();
	tr_sched();
	tr_objects(ep);
	tr_user();
	tr_lost();
out:
	ko_probes_off();
	ko_ring_free(&ring);
	kt_del(ep);
}
