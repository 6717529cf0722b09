/*
 * trace.c: the trace ring (TraceControl): attaching consumer frames and
 * the refusals, kernel probes recorded only for traced threads, user
 * probes through HL_SYS_PROBE and the enable page, records lost on a full
 * ring (never blocking), and detach stopping the recording.
 */
#include "kt.h"

#define TR_VA 0x5C000000ull
#define TR_FRAMES 2

static const volatile struct hl_trace_header *tr_hdr = (const volatile struct hl_trace_header *)TR_VA;

/* Record n of the ring (frames mapped contiguously at TR_VA). */
static const volatile struct hl_trace_record *tr_rec(uint64_t n)
{
	return (const volatile struct hl_trace_record *)(TR_VA + hl_trace_slot(n, tr_hdr->capacity) * 64);
}

/* Index of the first record at or after from with probe id, or ~0. */
static uint64_t tr_find(uint64_t from, unsigned probe)
{
	for (uint64_t n = from; n < tr_hdr->head; n++)
		if (tr_rec(n)->probe == probe)
			return n;
	return ~0ull;
}

static void tr_refusals(hl_cptr_t tc, hl_cptr_t *f, hl_cptr_t ro, hl_cptr_t ep)
{
	kt_is(hl_trace_set_buffer(tc, 0, f).status, E_RANGE, "ring of 0 frames: E_RANGE");
	kt_is(hl_trace_set_buffer(tc, HL_TRACE_MAX_FRAMES + 1, f).status, E_RANGE, "ring of 65 frames: E_RANGE");
	kt_is(hl_trace_set_buffer(tc, 1, &ro).status, E_PERM, "a read-only frame as ring: E_PERM");
	kt_is(hl_trace_set_buffer(tc, 1, &ep).status, E_TYPE, "an endpoint as ring: E_TYPE");
	kt_is(hl_trace_enable(tc, HL_TRACE_ENABLE, HL_PROBE_COUNT, 1).status, E_RANGE, "unknown kernel probe: E_RANGE");
	kt_is(hl_trace_enable(tc, HL_TRACE_ENABLE_GROUP, HL_TRACE_GROUP_COUNT, 1).status, E_RANGE,
	      "unknown probe group: E_RANGE");
	kt_is(hl_trace_enable(tc, HL_TRACE_ENABLE_USER, HL_TRACE_USER_PROBES, 1).status, E_RANGE,
	      "user probe past the enable page: E_RANGE");
	kt_is(hl_probe(HL_TRACE_USER_PROBES, 0, 0, 0, 0).status, E_RANGE, "probe syscall with a bad id: E_RANGE");
	kt_is(hl_trace_detach(HL_CAP_CONSOLE).status, E_NOSYS, "trace detach on the Console: E_NOSYS");
}

static void tr_kernel_probes(hl_cptr_t tc, hl_cptr_t ntfn, uint64_t me)
{
	uint64_t h, n;

	kt_is(hl_trace_enable(tc, HL_TRACE_ENABLE_GROUP, HL_TRACE_GROUP_IPC, 1).status, E_OK, "enable the IPC probes");
	h = tr_hdr->head;
	hl_signal(ntfn);
	kt_is(tr_hdr->head, h, "an untraced thread's signal is not recorded");
	kt_is(hl_tcb_set_trace(HL_CAP_TCB, 1).status, E_OK, "trace the root thread");
	h = tr_hdr->head;
	hl_signal(ntfn);
	n = tr_find(h, HL_PROBE_IPC_SIGNAL);
	if (kt_ok(n != ~0ull, "its signal is recorded as ipc:signal")) {
		kt_is(tr_rec(n)->thread, me, "the record names the root thread");
		kt_ok(tr_rec(n)->tsc != 0, "and carries a time stamp");
	}
	hl_poll(ntfn);
	kt_is(hl_trace_enable(tc, HL_TRACE_ENABLE_GROUP, HL_TRACE_GROUP_IPC, 0).status, E_OK, "disable the IPC probes");
	h = tr_hdr->head;
	hl_signal(ntfn);
	kt_is(tr_hdr->head, h, "a disabled probe records nothing");
	hl_poll(ntfn);
}

static void tr_user_probes(hl_cptr_t tc, hl_cptr_t page)
{
	uint64_t h, n;

	kt_is(hl_trace_enable(tc, HL_TRACE_ENABLE_USER, 5, 1).status, E_INVAL, "enable a user probe without a page: E_INVAL");
	kt_is(hl_trace_set_user_page(tc, page).status, E_OK, "give the user-probe enable page");
	kt_is(hl_trace_enable(tc, HL_TRACE_ENABLE_USER, 5, 1).status, E_OK, "enable user probe 5");
	h = tr_hdr->head;
	kt_is(hl_probe(5, 10, 20, 30, 40).status, E_OK, "fire user probe 5");
	kt_is(hl_probe(6, 1, 2, 3, 4).status, E_OK, "fire user probe 6 (not enabled)");
	n = tr_find(h, HL_TRACE_USER_BASE + 5);
	if (kt_ok(n != ~0ull, "user probe 5 is recorded")) {
		const volatile struct hl_trace_record *r = tr_rec(n);

		kt_ok(r->nargs == 4 && r->arg[0] == 10 && r->arg[1] == 20 && r->arg[2] == 30 && r->arg[3] == 40,
		      "with its four arguments");
	}
	kt_is(tr_find(h, HL_TRACE_USER_BASE + 6), ~0ull, "user probe 6 is not");
}

/* Fill the ring without consuming: records are lost, never blocking. */
static void tr_lost(hl_cptr_t tc, hl_cptr_t ntfn)
{
	uint64_t cap = tr_hdr->capacity;

	hl_trace_enable(tc, HL_TRACE_ENABLE, HL_PROBE_IPC_SIGNAL, 1);
	for (uint64_t i = 0; i < cap + 20; i++)
		hl_signal(ntfn);
	hl_poll(ntfn);
	kt_ok(tr_hdr->lost > 0, "a full ring counts lost records (%lu)", (unsigned long)tr_hdr->lost);
	kt_ok(tr_hdr->head - tr_hdr->tail <= cap, "and never holds more than its capacity");
	((volatile struct hl_trace_header *)tr_hdr)->tail = tr_hdr->head;	/* consume everything */
	hl_signal(ntfn);
	hl_poll(ntfn);
	kt_is(tr_rec(tr_hdr->tail)->probe, HL_PROBE_LOST, "the next record written says how many were lost");
	kt_ok(tr_rec(tr_hdr->tail)->arg[0] > 0, "a nonzero count");
	hl_trace_enable(tc, HL_TRACE_ENABLE, HL_PROBE_IPC_SIGNAL, 0);
}

void kt_area_trace(void)
{
	hl_cptr_t tc = HL_CAP_TRACE_CONTROL, f[TR_FRAMES], page, ro, ntfn, ep, notrace;
	struct vm_tables tabs = { .n = 0 };
	struct hl_tcb_info me;
	struct hl_result r;

	kt_is(kt_type(tc), HL_OBJ_TRACE_CONTROL, "slot HL_CAP_TRACE_CONTROL holds TraceControl");
	hl_tcb_info(HL_CAP_TCB, &me);
	for (unsigned i = 0; i < TR_FRAMES; i++) {
		f[i] = kt_new(HL_OBJ_FRAME, 0, "a ring frame");
		vm_map_tables(f[i], HL_CAP_VSPACE, TR_VA + i * 4096, HL_R_READ | HL_R_WRITE, 0,
			      &tabs);
	}
	page = kt_new(HL_OBJ_FRAME, 0, "a user-probe page");
	ro = kt_mint(page, HL_R_READ, 0);
	ntfn = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	tr_refusals(tc, f, ro, ep);
	r = hl_trace_set_buffer(tc, TR_FRAMES, f);
	kt_is(r.status, E_OK, "attach a ring of 2 frames");
	kt_is(r.value, TR_FRAMES * 64 - 1, "it holds 127 records (slot 0 is the header)");
	kt_ok(tr_hdr->magic == HL_TRACE_MAGIC && tr_hdr->capacity == r.value, "the header names magic and capacity");
	kt_is(hl_trace_set_buffer(tc, TR_FRAMES, f).status, E_BUSY, "attaching a second ring: E_BUSY");
	notrace = kt_mint(HL_CAP_TCB, HL_R_ALL & ~HL_R_TRACE, 0);
	kt_is(hl_tcb_set_trace(notrace, 1).status, E_PERM, "switch tracing on without the trace right: E_PERM");
	slot_free(notrace);
	tr_kernel_probes(tc, ntfn, me.id);
	tr_user_probes(tc, page);
	tr_lost(tc, ntfn);
	kt_is(hl_trace_detach(tc).status, E_OK, "detach the ring");
	hl_tcb_set_trace(HL_CAP_TCB, 0);
	/* The kernel keeps derived caps of the user page: revoke gets them back. */
	hl_cnode_revoke(CN, page, D);
	for (unsigned i = 0; i < TR_FRAMES; i++) {
		hl_frame_unmap(f[i]);
		kt_del(f[i]);
	}
	vm_tables_free(&tabs);
	slot_free(ro);
	kt_del(page);
	kt_del(ntfn);
	kt_del(ep);
}
