/*
 * trace.c: the trace ring and the probe switches (TraceControl).
 *
 * The ring lives in frames the consumer gave; the kernel keeps copies of
 * their caps in its own slots (children in the derivation tree), so the
 * memory cannot be retyped under it, and a revoke that takes them detaches
 * the ring. Writing a record is a bounds-safe store at head; the consumer
 * owns tail, which the kernel only reads.
 */
#include <mercury/string.h>
#include "arch.h"
#include "ipc.h"
#include "kernel.h"
#include "object.h"
#include "syscall.h"
#include "tcb.h"
#include "trace.h"

#define SLOTS_PER_FRAME (4096 / HL_TRACE_RECORD_SIZE)

uint8_t trace_on[HL_PROBE_COUNT];

static const uint8_t probe_scope[HL_PROBE_COUNT] = {
#define SCOPE(id, group, name, scope, args) scope,
	HL_PROBES(SCOPE)
#undef SCOPE
};
static const uint8_t probe_group[HL_PROBE_COUNT] = {
#define GROUP(id, group, name, scope, args) HL_TRACE_GROUP_##group,
	HL_PROBES(GROUP)
#undef GROUP
};
static const char *const probe_args[HL_PROBE_COUNT] = {
#define ARGS(id, group, name, scope, args) args,
	HL_PROBES(ARGS)
#undef ARGS
};

static struct {
	struct cap frames[HL_TRACE_MAX_FRAMES];	/* the kernel's copies of the ring's frames */
	unsigned nframes;
	struct hl_trace_header *hdr;		/* NULL: no ring */
	uint64_t capacity, pending_lost;
	struct cap user_page;			/* enable bitmap of user probes */
} ring;

static unsigned nargs_of(unsigned probe)
{
	const char *s = probe_args[probe];
	unsigned n = *s ? 1 : 0;

	while (*s)
		n += *s++ == ',';
	return n;
}

static struct hl_trace_record *slot_at(uint64_t n)
{
	unsigned long s = hl_trace_slot(n, ring.capacity);

	return (struct hl_trace_record *)(ring.frames[s / SLOTS_PER_FRAME].obj +
					  (s % SLOTS_PER_FRAME) * HL_TRACE_RECORD_SIZE);
}

static void put(uint64_t n, unsigned probe, unsigned nargs, uint32_t thread, const uint64_t *args)
{
	struct hl_trace_record *r = slot_at(n);

	r->tsc = arch_cycles();
	r->probe = (uint16_t)probe;
	r->cpu = 0;
	r->nargs = (uint8_t)nargs;
	r->thread = thread;
	memcpy(r->arg, args, sizeof(r->arg));
}

/* Appends one record, or counts it lost when the ring is full. */
static void ring_write(unsigned probe, unsigned nargs, uint32_t thread, const uint64_t *args)
{
	struct hl_trace_header *h = ring.hdr;
	uint64_t head = h->head, used = head - h->tail;
	uint64_t need = ring.pending_lost ? 2 : 1;

	if (used > ring.capacity)
		used = ring.capacity;	/* a consumer's nonsense tail reads as full */
	if (ring.capacity - used < need) {
		ring.pending_lost++;
		h->lost++;
		return;
	}
	if (ring.pending_lost) {
		uint64_t lost[HL_TRACE_ARGS] = { ring.pending_lost };
		put(head++, HL_PROBE_LOST, 1, 0, lost);
		ring.pending_lost = 0;
	}
	put(head++, probe, nargs, thread, args);
	__asm__ volatile("" : : : "memory");	/* the record before the head that shows it */
	h->head = head;
}

void trace_emit(unsigned probe, struct tcb *t, uint64_t a0, uint64_t a1, uint64_t a2,
		uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t args[HL_TRACE_ARGS] = { a0, a1, a2, a3, a4, a5 };

	if (!ring.hdr)
		return;
	if (probe_scope[probe] == HL_TRACE_THREAD && !(t && t->traced))
		return;
	ring_write(probe, nargs_of(probe), t ? (uint32_t)t->id : 0, args);
}

int trace_user_probe(uint64_t id)
{
	struct tcb *t = current;

	if (id >= HL_TRACE_USER_PROBES)
		return refuse(E_RANGE, "user probe id %lu >= %u", id, HL_TRACE_USER_PROBES);
	if (!ring.hdr || !t->traced)
		return E_OK;
	if (ring.user_page.type == HL_OBJ_FRAME &&
	    !(((const uint8_t *)ring.user_page.obj)[id / 8] & (1u << (id % 8))))
		return E_OK;
	uint64_t args[HL_TRACE_ARGS] = { t->ctx.rdx, t->ctx.r10, t->ctx.r8, t->ctx.r9 };
	ring_write(HL_TRACE_USER_BASE + (unsigned)id, 4, (uint32_t)t->id, args);
	return E_OK;
}

static void detach(void)
{
	ring.hdr = NULL;
	ring.pending_lost = 0;
	for (unsigned i = 0; i < ring.nframes; i++)
		cap_delete(&ring.frames[i]);
	ring.nframes = 0;
}

void trace_slot_removed(const struct cap *slot)
{
	if (slot >= ring.frames && slot < ring.frames + ring.nframes && ring.hdr) {
		ring.hdr = NULL;	/* a revoke took a frame: stop writing at once */
		ring.pending_lost = 0;
	}
}

/* A 4 KiB RAM frame the caller may write, looked up from cptr. */
static struct cap *writable_frame(uint64_t cptr, int *err)
{
	struct cap *f = lookup_cap(cptr, err);

	if (!f)
		*err = refuse(*err, "frame 0x%lx names no capability", cptr);
	else if (f->type != HL_OBJ_FRAME)
		*err = refuse(E_TYPE, "0x%lx is not a 4 KiB frame", cptr);
	else if (f->c || !(f->rights & HL_R_WRITE))
		*err = refuse(E_PERM, "0x%lx is device memory or read-only", cptr);
	else
		return f;
	return NULL;
}

static int set_buffer(unsigned len)
{
	int err;
	uint64_t n = arg(0);
	struct cap *f[HL_TRACE_MAX_FRAMES];

	if (ring.nframes)
		return refuse(E_BUSY, "a ring is attached: detach it first");
	if (n < 1 || n > HL_TRACE_MAX_FRAMES || len < 1 + n)
		return refuse(E_RANGE, "%lu frames (1..%d, one word each)", n, HL_TRACE_MAX_FRAMES);
	for (unsigned i = 0; i < n; i++)
		if (!(f[i] = writable_frame(arg(1 + i), &err)))
			return err;
	for (unsigned i = 0; i < n; i++) {
		struct cap v;
		cap_derive(f[i], &v);
		cap_insert_child(&ring.frames[i], &v, f[i]);
	}
	ring.nframes = (unsigned)n;
	ring.capacity = n * SLOTS_PER_FRAME - 1;
	ring.hdr = (struct hl_trace_header *)ring.frames[0].obj;
	memset(ring.hdr, 0, sizeof(*ring.hdr));
	ring.hdr->magic = HL_TRACE_MAGIC;
	ring.hdr->capacity = ring.capacity;
	ring.hdr->tsc_hz = arch_tsc_hz();
	result_value(ring.capacity);
	return E_OK;
}

static int set_user_page(unsigned len)
{
	int err;
	struct cap *f, v;

	if (len < 1)
		return refuse(E_INVAL, "takes a frame");
	if (!(f = writable_frame(arg(0), &err)))
		return err;
	cap_delete(&ring.user_page);
	cap_derive(f, &v);
	cap_insert_child(&ring.user_page, &v, f);
	memset((void *)ring.user_page.obj, 0, 4096);
	return E_OK;
}

int trace_invoke(struct cap *c, uint64_t label, unsigned len)
{
	(void)c;
	switch (label) {
	case HL_TRACE_SET_BUFFER:
		return set_buffer(len);
	case HL_TRACE_DETACH:
		detach();
		return E_OK;
	case HL_TRACE_ENABLE:
		if (len < 2 || arg(0) >= HL_PROBE_COUNT)
			return refuse(E_RANGE, "no kernel probe %lu (%d probes)", arg(0), HL_PROBE_COUNT);
		trace_on[arg(0)] = arg(1) != 0;
		return E_OK;
	case HL_TRACE_ENABLE_GROUP:
		if (len < 2 || arg(0) >= HL_TRACE_GROUP_COUNT)
			return refuse(E_RANGE, "no probe group %lu", arg(0));
		for (unsigned i = 0; i < HL_PROBE_COUNT; i++)
			if (probe_group[i] == arg(0))
				trace_on[i] = arg(1) != 0;
		return E_OK;
	case HL_TRACE_SET_USER_PAGE:
		return set_user_page(len);
	case HL_TRACE_ENABLE_USER:
		if (len < 2 || arg(0) >= HL_TRACE_USER_PROBES)
			return refuse(E_RANGE, "no user probe %lu", arg(0));
		if (ring.user_page.type != HL_OBJ_FRAME)
			return refuse(E_INVAL, "no user-probe page: HL_TRACE_SET_USER_PAGE first");
		uint8_t *bits = (uint8_t *)ring.user_page.obj;
		if (arg(1))
			bits[arg(0) / 8] |= (uint8_t)(1u << (arg(0) % 8));
		else
			bits[arg(0) / 8] &= (uint8_t)~(1u << (arg(0) % 8));
		return E_OK;
	}
	return refuse(E_NOSYS, "TraceControl has no method %lu", label);
}
