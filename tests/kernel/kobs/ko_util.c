/*
 * ko_util.c: the helpers only kobs needs: thread ids, raw invocations and
 * probes, and the trace ring as its consumer sees it. Object and thread
 * helpers shared with ktest are in common/kt_util.c.
 */
#include <mercury/string.h>

#include "ko.h"

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
		r->frames[i] = obj_alloc(HL_OBJ_FRAME, 0, &st);
		if (!r->frames[i])
			return st;
		r->n = i + 1;
		st = vm_map(r->frames[i], HL_CAP_VSPACE, KO_RING_VA + 4096ull * i,
			    HL_R_READ | HL_R_WRITE, 0);
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
		obj_free(r->frames[i]);
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
