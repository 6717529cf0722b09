/*
 * untyped.c: Untyped memory and retype, the only way objects come to be.
 * Each Untyped cap keeps a watermark (a): new objects are carved after the
 * previous ones, naturally aligned; once the Untyped has no live children
 * the watermark drops to zero and the memory can be used again. Device
 * Untyped (c = 1) is never touched by the kernel and only becomes frames
 * (which carry c = 1 too, so they never serve as kernel-read memory).
 */
#include <mercury/string.h>
#include "arch/x86_64/layout.h"
#include "ipc.h"
#include "kernel.h"
#include "object.h"
#include "stats.h"
#include "syscall.h"
#include "tcb.h"
#include "trace.h"
#include "vspace.h"

#define RETYPE_MAX_COUNT 256

/* Bytes used; cap_delete resets it to 0 when the last child goes. */
static uint64_t watermark(const struct cap *u)
{
	return cap_has_children(u) ? u->a : 0;
}

static bool retypable(uint64_t type)
{
	return type == HL_OBJ_UNTYPED || (type >= HL_OBJ_CNODE && type <= HL_OBJ_FRAME_2M) ||
	       type == HL_OBJ_TIMER;
}

struct retype {
	uint64_t type, bits, count, start;
	struct cap *dest;
};

/* Places r's objects after u's watermark, naturally aligned, if they fit. */
static int fit(const struct cap *u, struct retype *r, uint64_t size)
{
	r->start = ALIGN_UP(watermark(u), object_align((unsigned)r->type, (unsigned)r->bits));
	if (r->start > (1ULL << u->bits) || r->count * size > (1ULL << u->bits) - r->start)
		return refuse(E_NOMEM, "%lu x %lu bytes do not fit: %lu of %llu bytes used",
			      r->count, size, watermark(u), 1ULL << u->bits);
	return E_OK;
}

static int decode_retype(struct cap *u, unsigned len, struct retype *r)
{
	int err;
	struct cap *cn;
	uint64_t index;

	if (len < 6)
		return refuse(E_INVAL, "retype takes 6 words, got %u", len);
	r->type = arg(0);
	r->bits = arg(1);
	r->count = arg(5);
	if (!retypable(r->type))
		return refuse(E_INVAL, "object type %lu cannot be made by retype", r->type);
	if (u->c && r->type != HL_OBJ_FRAME && r->type != HL_OBJ_FRAME_2M && r->type != HL_OBJ_UNTYPED)
		return refuse(E_INVAL, "device memory can only become frames");
	uint64_t size = object_size((unsigned)r->type, (unsigned)(r->bits > 63 ? 63 : r->bits));
	if (!size || r->bits > 63)
		return refuse(E_RANGE, "size bits %lu invalid for type %lu", r->bits, r->type);
	if (r->count < 1 || r->count > RETYPE_MAX_COUNT)
		return refuse(E_RANGE, "count %lu not in 1..%d", r->count, RETYPE_MAX_COUNT);
	struct cap *first = lookup_slot_in(arg(2), arg(3), arg(4), &cn, &index, &err);
	if (!first)
		return refuse(err, "destination (0x%lx, %lu, depth %lu) does not resolve", arg(2), arg(3), arg(4));
	if (index + r->count > (1ULL << cn->bits))
		return refuse(E_RANGE, "%lu slots from %lu overrun the CNode", r->count, index);
	for (uint64_t i = 0; i < r->count; i++)
		if (first[i].type != HL_OBJ_NULL)
			return refuse(E_EXIST, "destination slot %lu is occupied", index + i);
	r->dest = first;
	return fit(u, r, size);
}

/* Makes r's objects (cannot fail: fit and the slots were checked). */
static void carve(struct cap *u, const struct retype *r)
{
	uint64_t size = object_size((unsigned)r->type, (unsigned)r->bits);
	uint64_t used = r->start + r->count * size;

	if (!u->c) {	/* free = what RAM Untypeds have not carved; a child Untyped is free space */
		kstats.free_untyped_bytes -= used - u->a;
		if (r->type == HL_OBJ_UNTYPED)
			kstats.free_untyped_bytes += r->count * size;
	}
	for (uint64_t i = 0; i < r->count; i++) {
		uint64_t kaddr = u->obj + r->start + i * size;
		struct cap c = { 0 };
		if (!u->c)
			memset((void *)kaddr, 0, size);
		object_create((unsigned)r->type, (unsigned)r->bits, kaddr, &c);
		c.c = u->c;	/* device memory stays as it is, and stays device */
		cap_insert_child(&r->dest[i], &c, u);
		if (r->type == HL_OBJ_TCB)
			TRACE(THREAD_CREATE, current, tcb_of(&c)->id);
	}
	TRACE(CAP_RETYPE, current, r->type, r->bits, r->count, u->obj + r->start - DIRECT_MAP);
	u->a = used;
}

static int invoke_retype(struct cap *u, unsigned len)
{
	struct retype r = { 0 };
	int err = decode_retype(u, len, &r);

	if (err)
		return err;
	carve(u, &r);
	result_value(r.count);
	return E_OK;
}

/* One object of a type that retype does not make (an ASID pool), for the
 * invocation that guards it; dest is an empty slot. */
int untyped_make(struct cap *u, unsigned type, struct cap *dest)
{
	struct retype r = { .type = type, .count = 1, .dest = dest };
	int err;

	if (u->c)
		return refuse(E_INVAL, "device memory can only become frames");
	if ((err = fit(u, &r, object_size(type, 0))))
		return err;
	carve(u, &r);
	return E_OK;
}

int untyped_invoke(struct cap *c, uint64_t label, unsigned len)
{
	if (label == HL_UNTYPED_RETYPE)
		return invoke_retype(c, len);
	if (label == HL_UNTYPED_INFO) {
		msg_set(current, 0, c->obj - DIRECT_MAP);
		msg_set(current, 1, c->bits);
		msg_set(current, 2, c->c);
		result_value((1ULL << c->bits) - watermark(c));
		return E_OK;
	}
	return refuse(E_NOSYS, "Untyped has no method %lu", label);
}
