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

static const uint8_t probe_group[HL_PROBE_COUNT] = {
#define GROUP(id, group, name, scope, nargs, args) HL_TRACE_GROUP_##group,
	HL_PROBES(GROUP)
#undef GROUP
};

static const struct { const char *name, *args; uint8_t nargs; } probe_table[HL_PROBE_COUNT] = {
#define ROW(id, group, name, scope, nargs, args) { name, args, nargs },
	HL_PROBES(ROW)
#undef ROW
};

/* Probes whose argument count disagrees with their argument names (boot self-test). */
unsigned trace_table_mismatches(void)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < HL_PROBE_COUNT; i++) {
		const char *s = probe_table[i].args;
		unsigned n = *s ? 1 : 0;
		while (*s)
			n += *s++ == ',';
		if (n != probe_table[i].nargs) {
			kprintf("# probe %s: %u argument names, count says %u\n", probe_table[i].name, n,
				probe_table[i].nargs);
			bad++;
		}
	}
	return bad;
}

struct trace_ring trace_ring;
uint8_t trace_any_on;				/* some probe is switched on */

/* What only the kernel side needs: the frames and the user-probe page. */
static struct {
	struct cap frames[HL_TRACE_MAX_FRAMES];	/* the kernel's copies of the ring's frames */
	unsigned nframes;
	struct cap user_page;			/* enable bitmap of user probes */
} ring;

static struct hl_trace_record *frame_base(unsigned i)
{
	return (struct hl_trace_record *)ring.frames[i].obj;
}

/* Slots fill whole frames (slot 0 of frame 0 is the header), so the ring
 * wraps exactly at the end of the last frame. */
void trace_ring_advance(void)
{
	if (++trace_ring.frame == ring.nframes)
		trace_ring.frame = 0;
	trace_ring.next = frame_base(trace_ring.frame) + (trace_ring.frame == 0);
	trace_ring.frame_end = frame_base(trace_ring.frame) + SLOTS_PER_FRAME;
}

static void put(unsigned probe, unsigned nargs, uint64_t thread, uint64_t a0, uint64_t a1,
		uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct hl_trace_header *h = trace_ring.hdr;
	uint64_t *w = (uint64_t *)trace_ring.next;

	w[0] = trace_clock();
	w[1] = probe | (uint64_t)nargs << 24 | thread << 32;
	w[2] = a0; w[3] = a1; w[4] = a2; w[5] = a3; w[6] = a4; w[7] = a5;
	if (++trace_ring.next == trace_ring.frame_end)
		trace_ring_advance();
	__asm__ volatile("" : : : "memory");
	h->head++;
}

/*
 * The ring is full, or lost records must be reported first: a full ring
 * counts the record as lost; once there is room, a LOST record giving the
 * count goes before the next real one.
 */
void trace_emit_slow(unsigned probe, unsigned nargs, uint64_t thread, uint64_t a0, uint64_t a1,
		     uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct hl_trace_header *h = trace_ring.hdr;
	uint64_t used = h->head - h->tail;

	if (used > trace_ring.capacity)
		used = trace_ring.capacity;	/* a consumer's nonsense tail reads as full */
	if (trace_ring.capacity - used < (trace_ring.pending_lost ? 2u : 1u)) {
		trace_ring.pending_lost++;
		trace_ring.limit = 0;
		h->lost++;
		return;
	}
	if (trace_ring.pending_lost) {
		put(HL_PROBE_LOST, 1, 0, trace_ring.pending_lost, 0, 0, 0, 0, 0);
		trace_ring.pending_lost = 0;
	}
	put(probe, nargs, thread, a0, a1, a2, a3, a4, a5);
	trace_ring.limit = trace_ring.capacity;
}

int trace_user_probe(uint64_t id)
{
	struct tcb *t = current;

	if (id >= HL_TRACE_USER_PROBES)
		return refuse(E_RANGE, "user probe id %lu >= %u", id, HL_TRACE_USER_PROBES);
	if (!trace_ring.hdr || !t->traced)
		return E_OK;
	if (ring.user_page.type != HL_OBJ_FRAME ||
	    !(((const uint8_t *)ring.user_page.obj)[id / 8] & (1u << (id % 8))))
		return E_OK;	/* user probes are off unless enabled in the page */
	trace_record(HL_TRACE_USER_BASE + (unsigned)id, HL_TRACE_THREAD, 4, t, t->ctx.rdx, t->ctx.r10,
		     t->ctx.r8, t->ctx.r9, 0, 0);
	return E_OK;
}

static void detach(void)
{
	trace_ring.hdr = NULL;
	trace_ring.pending_lost = 0;
	for (unsigned i = 0; i < ring.nframes; i++)
		cap_delete(&ring.frames[i]);
	ring.nframes = 0;
}

void trace_slot_removed(const struct cap *slot)
{
	if (slot >= ring.frames && slot < ring.frames + ring.nframes && trace_ring.hdr) {
		trace_ring.hdr = NULL;	/* a revoke took a frame: stop writing at once */
		trace_ring.pending_lost = 0;
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
	struct hl_trace_header *h = (struct hl_trace_header *)ring.frames[0].obj;
	memset(h, 0, sizeof(*h));
	h->magic = HL_TRACE_MAGIC;
	h->capacity = n * SLOTS_PER_FRAME - 1;
	h->tsc_hz = arch_tsc_hz();
	trace_ring.capacity = trace_ring.limit = h->capacity;
	trace_ring.pending_lost = 0;
	trace_ring.frame = 0;
	trace_ring.next = frame_base(0) + 1;
	trace_ring.frame_end = frame_base(0) + SLOTS_PER_FRAME;
	trace_ring.hdr = h;
	result_value(trace_ring.capacity);
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
