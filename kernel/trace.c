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
#include "arch/x86_64/cpu.h"
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
	uint64_t slot;				/* slot of the next record: 1 + head % capacity */
	struct hl_trace_record *next;		/* its address */
	struct cap user_page;			/* enable bitmap of user probes */
} ring;

uint8_t trace_any_on;				/* some probe is switched on */
static uint8_t probe_nargs[HL_PROBE_COUNT];

static unsigned count_args(const char *s)
{
	unsigned n = *s ? 1 : 0;

	while (*s)
		n += *s++ == ',';
	return n;
}

static struct hl_trace_record *slot_address(uint64_t slot)
{
	return (struct hl_trace_record *)(ring.frames[slot / SLOTS_PER_FRAME].obj +
					  (slot % SLOTS_PER_FRAME) * HL_TRACE_RECORD_SIZE);
}

/* Stores one record at the next slot and moves on; the caller checked for room. */
static inline void put(unsigned probe, unsigned nargs, uint64_t thread, uint64_t a0, uint64_t a1,
		       uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t *w = (uint64_t *)ring.next;

	w[0] = rdtsc();		/* inline: a call here would cost every record its registers */
	w[1] = probe | (uint64_t)nargs << 24 | thread << 32;	/* probe, cpu 0, nargs, thread */
	w[2] = a0; w[3] = a1; w[4] = a2; w[5] = a3; w[6] = a4; w[7] = a5;
	if (++ring.slot > ring.capacity) {
		ring.slot = 1;
		ring.next = slot_address(1);
	} else if (ring.slot % SLOTS_PER_FRAME == 0) {
		ring.next = slot_address(ring.slot);
	} else {
		ring.next++;
	}
}

/* The ring had no room, or lost records must be reported first. */
static __attribute__((noinline, cold)) bool make_room(struct hl_trace_header *h, uint64_t head)
{
	uint64_t used = head - h->tail;

	if (used > ring.capacity)
		used = ring.capacity;	/* a consumer's nonsense tail reads as full */
	if (ring.capacity - used < (ring.pending_lost ? 2u : 1u)) {
		ring.pending_lost++;
		h->lost++;
		return false;
	}
	if (ring.pending_lost) {
		put(HL_PROBE_LOST, 1, 0, ring.pending_lost, 0, 0, 0, 0, 0);
		ring.pending_lost = 0;
		__asm__ volatile("" : : : "memory");
		h->head = head + 1;
	}
	return true;
}

static inline void ring_write(unsigned probe, unsigned nargs, uint64_t thread, uint64_t a0,
			      uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct hl_trace_header *h = ring.hdr;
	uint64_t head = h->head;

	if (__builtin_expect(ring.pending_lost || head - h->tail >= ring.capacity, 0)) {
		if (!make_room(h, head))
			return;
		head = h->head;
	}
	put(probe, nargs, thread, a0, a1, a2, a3, a4, a5);
	__asm__ volatile("" : : : "memory");	/* the record before the head that shows it */
	h->head = head + 1;
}

void trace_emit(unsigned probe, struct tcb *t, uint64_t a0, uint64_t a1, uint64_t a2,
		uint64_t a3, uint64_t a4, uint64_t a5)
{
	if (!ring.hdr || (probe_scope[probe] == HL_TRACE_THREAD && !(t && t->traced)))
		return;
	ring_write(probe, probe_nargs[probe], t ? t->id : 0, a0, a1, a2, a3, a4, a5);
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
	ring_write(HL_TRACE_USER_BASE + (unsigned)id, 4, t->id, t->ctx.rdx, t->ctx.r10, t->ctx.r8,
		   t->ctx.r9, 0, 0);
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
	ring.slot = 1;
	ring.next = slot_address(1);
	for (unsigned i = 0; i < HL_PROBE_COUNT; i++)
		probe_nargs[i] = (uint8_t)count_args(probe_args[i]);
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

static void update_any(void)
{
	trace_any_on = 0;
	for (unsigned i = 0; i < HL_PROBE_COUNT; i++)
		trace_any_on |= trace_on[i];
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
		update_any();
		return E_OK;
	case HL_TRACE_ENABLE_GROUP:
		if (len < 2 || arg(0) >= HL_TRACE_GROUP_COUNT)
			return refuse(E_RANGE, "no probe group %lu", arg(0));
		for (unsigned i = 0; i < HL_PROBE_COUNT; i++)
			if (probe_group[i] == arg(0))
				trace_on[i] = arg(1) != 0;
		update_any();
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
