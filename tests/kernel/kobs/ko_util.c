/*
 * ko_util.c: object, thread and trace-ring helpers of kobs (the same
 * shapes as ktest's kt_util.c, kept here so that the two suites can
 * change apart).
 */
#include <mercury/string.h>

#include "ko.h"

hl_cptr_t ko_new(uint64_t type, uint64_t size_bits, const char *what)
{
	int64_t st;
	hl_cptr_t s = rt_obj_alloc(type, size_bits, &st);

	if (!s)
		kt_is(st, E_OK, "make %s", what);
	return s;
}

void ko_del(hl_cptr_t slot)
{
	if (slot)
		rt_obj_free(slot);
}

hl_cptr_t ko_mint(hl_cptr_t src, uint64_t rights, uint64_t badge)
{
	hl_cptr_t s = rt_slot_alloc();
	int64_t st;

	if (!s)
		return 0;
	st = hl_cnode_mint(CN, s, D, CN, src, D, rights, badge).status;
	if (st != E_OK) {
		kt_is(st, E_OK, "mint a cap of slot %lu", (unsigned long)src);
		rt_slot_free(s);
		return 0;
	}
	return s;
}

int ko_spawn(struct ko_thread *t, struct rt_space *space, void (*fn)(uint64_t), uint64_t arg,
	     uint64_t prio, hl_cptr_t fault_ep, int start)
{
	int64_t st;

	t->ok = 0;
	t->done = ko_new(HL_OBJ_NOTIFICATION, 0, "exit notification");
	if (!t->done)
		return 0;
	st = rt_thread_create(&t->rt, space, fn, arg, prio, fault_ep, t->done);
	if (st == E_OK && start)
		st = rt_thread_start(&t->rt);
	if (st != E_OK) {
		kt_is(st, E_OK, "create and start a thread");
		rt_thread_destroy(&t->rt);
		ko_del(t->done);
		t->done = 0;
		return 0;
	}
	t->ok = 1;
	return 1;
}

void ko_root_prio(uint64_t prio)
{
	hl_tcb_set_priority(HL_CAP_TCB, HL_CAP_TCB, prio);
}

uint64_t ko_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

int ko_join(struct ko_thread *t, unsigned secs)
{
	uint64_t hz = rt_bootinfo->tsc_hz ? rt_bootinfo->tsc_hz : 1000000000ull;
	uint64_t end = ko_tsc() + secs * hz;
	int done = 0;

	if (!t->ok)
		return 0;
	ko_root_prio(1);
	while (!done && ko_tsc() < end) {
		if (hl_poll(t->done).status == E_OK)
			done = 1;
		else
			hl_yield();
	}
	ko_root_prio(KO_PRIO);
	return done;
}

void ko_settle(void)
{
	ko_root_prio(1);
	for (int i = 0; i < 3; i++)
		hl_yield();
	ko_root_prio(KO_PRIO);
}

void ko_kill(struct ko_thread *t)
{
	if (!t->ok)
		return;
	rt_thread_destroy(&t->rt);
	ko_del(t->done);
	t->done = 0;
	t->ok = 0;
}

int64_t ko_state(hl_cptr_t tcb)
{
	struct hl_tcb_info info;
	struct hl_result r = hl_tcb_info(tcb, &info);

	return r.status == E_OK ? (int64_t)info.state : -r.status;
}

uint64_t ko_thread_id(hl_cptr_t tcb)
{
	struct hl_tcb_info info;

	return hl_tcb_info(tcb, &info).status == E_OK ? info.id : 0;
}

struct hl_result ko_call(hl_cptr_t obj, uint64_t label, unsigned n, uint64_t a0, uint64_t a1,
			 uint64_t a2, uint64_t a3)
{
	uint64_t a[4] = { a0, a1, a2, a3 };

	return hl_invoke(obj, label, n, a);
}

struct hl_result ko_probe(uint64_t id, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct hl_msg m = { 0, { a0, a1, a2, a3 } };

	return hl_sys(HL_SYS_PROBE, id, 0, &m);
}

int64_t ko_ring_attach(struct ko_ring *r, unsigned n)
{
	uint64_t a[1 + HL_TRACE_MAX_FRAMES];
	struct hl_result res;
	int64_t st;

	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < n; i++) {
		r->frames[i] = rt_obj_alloc(HL_OBJ_FRAME, 0, &st);
		if (!r->frames[i])
			return st;
		r->n = i + 1;
		st = rt_map(r->frames[i], HL_CAP_VSPACE, KO_RING_VA + 4096ull * i, HL_R_READ | HL_R_WRITE,
			    0, NULL);
		if (st != E_OK)
			return st;
		a[1 + i] = r->frames[i];
	}
	a[0] = n;
	res = hl_invoke(HL_CAP_TRACE_CONTROL, HL_TRACE_SET_BUFFER, 1 + n, a);
	if (res.status != E_OK)
		return res.status;
	r->hdr = (struct hl_trace_header *)KO_RING_VA;
	r->capacity = res.value;
	return E_OK;
}

void ko_ring_free(struct ko_ring *r)
{
	hl_invoke(HL_CAP_TRACE_CONTROL, HL_TRACE_DETACH, 0, NULL);
	for (unsigned i = 0; i < r->n; i++) {
		hl_frame_unmap(r->frames[i]);
		rt_obj_free(r->frames[i]);
	}
	r->n = 0;
	r->hdr = NULL;
}

const struct hl_trace_record *ko_ring_at(const struct ko_ring *r, uint64_t seq)
{
	return (const struct hl_trace_record *)(KO_RING_VA +
						HL_TRACE_RECORD_SIZE * hl_trace_slot(seq, r->capacity));
}

void ko_ring_drain(struct ko_ring *r)
{
	r->hdr->tail = r->hdr->head;
}

void ko_probes_off(void)
{
	for (uint64_t g = 0; g < HL_TRACE_GROUP_COUNT; g++)
		ko_call(HL_CAP_TRACE_CONTROL, HL_TRACE_ENABLE_GROUP, 2, g, 0, 0, 0);
}
