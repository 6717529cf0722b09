/*
 * object.c: the per-type table of object sizes, creation and destruction.
 */
#include "arch.h"
#include "asid.h"
#include "cnode.h"
#include "ipc.h"
#include "kernel.h"
#include "object.h"
#include "stats.h"
#include "tcb.h"
#include "vspace.h"

void irq_handler_finalise(struct cap *c);
void ioport_finalise(struct cap *c);
void timer_finalise(struct cap *c);

uint64_t object_size(unsigned type, unsigned bits)
{
	switch (type) {
	case HL_OBJ_UNTYPED:
		return bits >= HL_UNTYPED_MIN_BITS && bits <= HL_UNTYPED_MAX_BITS ? 1ULL << bits : 0;
	case HL_OBJ_CNODE:
		return bits >= HL_CNODE_MIN_BITS && bits <= HL_CNODE_MAX_BITS ? 1ULL << (bits + HL_SLOT_BITS) : 0;
	case HL_OBJ_TCB: return 1ULL << HL_TCB_BITS;
	case HL_OBJ_ENDPOINT: return 1ULL << HL_ENDPOINT_BITS;
	case HL_OBJ_NOTIFICATION: return 1ULL << HL_NOTIFICATION_BITS;
	case HL_OBJ_REPLY: return 1ULL << HL_REPLY_BITS;
	case HL_OBJ_TIMER: return 1ULL << HL_TIMER_BITS;
	case HL_OBJ_VSPACE: case HL_OBJ_PDPT: case HL_OBJ_PD: case HL_OBJ_PT: case HL_OBJ_FRAME:
	case HL_OBJ_ASID_POOL:
		return 1ULL << HL_PAGE_BITS;
	case HL_OBJ_FRAME_2M: return 1ULL << HL_LARGE_PAGE_BITS;
	}
	return 0;
}

uint64_t object_align(unsigned type, unsigned bits)
{
	return object_size(type, bits);
}

void object_create(unsigned type, unsigned bits, uint64_t kaddr, struct cap *c)
{
	c->type = (uint8_t)type;
	c->rights = HL_R_ALL;
	c->obj = kaddr;
	switch (type) {
	case HL_OBJ_UNTYPED: case HL_OBJ_CNODE:
		c->bits = (uint8_t)bits;
		break;
	case HL_OBJ_FRAME:
		c->bits = HL_PAGE_BITS;
		break;
	case HL_OBJ_FRAME_2M:
		c->bits = HL_LARGE_PAGE_BITS;
		break;
	case HL_OBJ_TCB:
		tcb_init((struct tcb *)kaddr);
		break;
	case HL_OBJ_VSPACE:
		vspace_init(kaddr);
		break;
	case HL_OBJ_ASID_POOL:
		asid_pool_init(kaddr, c);
		break;
	}
}

void object_finalise(struct cap *c)
{
	switch (c->type) {
	case HL_OBJ_CNODE: cap_queue_dying_cnode((struct cap *)c->obj, 1ULL << c->bits); break;
	case HL_OBJ_TCB: tcb_finalise(tcb_of(c)); break;
	case HL_OBJ_ENDPOINT: ep_finalise((struct endpoint *)c->obj); break;
	case HL_OBJ_NOTIFICATION: ntfn_finalise((struct notification *)c->obj); break;
	case HL_OBJ_REPLY: reply_finalise((struct reply *)c->obj); break;
	case HL_OBJ_VSPACE: vspace_finalise(c); break;
	case HL_OBJ_IRQ_HANDLER: irq_handler_finalise(c); break;
	case HL_OBJ_IOPORT: ioport_finalise(c); break;
	case HL_OBJ_ASID_POOL: asid_pool_finalise(c); break;
	case HL_OBJ_TIMER: timer_finalise(c); break;
	}
}

/* Every deleted cap that maps something takes its mapping with it; a RAM
 * Untyped (never copied, so this is its only cap) takes its free space. */
void object_cap_removed(struct cap *c)
{
	switch (c->type) {
	case HL_OBJ_UNTYPED:
		if (!c->c)
			kstats.free_untyped_bytes -= (1ULL << c->bits) - c->a;
		break;
	case HL_OBJ_PDPT: case HL_OBJ_PD: case HL_OBJ_PT: case HL_OBJ_FRAME: case HL_OBJ_FRAME_2M:
		vspace_unmap_cap(c);
	}
}
