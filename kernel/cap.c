/*
 * cap.c: capability slots: CSpace lookup and the derivation list.
 *
 * Deleting a CNode's last cap must delete every cap inside it, which may
 * be the last cap of another CNode, and so on. Instead of recursing (a
 * user could nest CNodes deeply enough to overflow the kernel stack),
 * dying CNodes are chained through their slot 0, which is never a user
 * slot, and emptied one after another by a single loop.
 */
#include <mercury/string.h>
#include "cap.h"
#include "cnode.h"
#include "kernel.h"
#include "object.h"
#include "debug.h"
#include "stats.h"
#include "sched.h"
#include "trace.h"

static struct cap *list_head;
static struct cap *dying_cnodes;	/* chained through slot 0's obj field */
static bool reaping;

struct cap *cap_list_head(void)
{
	return list_head;
}

struct cap *cap_resolve(struct cap *root, uint64_t cptr, unsigned depth, int *err)
{
	struct cap *cn;
	uint64_t index;

	return cap_resolve_in(root, cptr, depth, &cn, &index, err);
}

struct cap *cap_resolve_in(struct cap *root, uint64_t cptr, unsigned depth, struct cap **cnode,
			   uint64_t *slot_index, int *err)
{
	struct cap *cn = root;
	unsigned left = depth;

	if (depth == 0 || depth > 64) {
		*err = E_RANGE;
		return NULL;
	}
	for (;;) {
		if (cn->type != HL_OBJ_CNODE) {
			*err = E_NOCAP;
			return NULL;
		}
		unsigned g = cn->guard_size, r = cn->bits;
		if (g + r > left) {
			*err = E_RANGE;		/* depth does not match the CSpace's shape */
			return NULL;
		}
		left -= g;
		if (g && (cptr >> left) & ((1ULL << g) - 1)) {
			*err = E_NOCAP;		/* guard bits must be zero */
			return NULL;
		}
		left -= r;
		uint64_t index = (cptr >> left) & ((1ULL << r) - 1);
		if (index == 0) {
			*err = E_NOCAP;		/* slot 0 is never a user slot */
			return NULL;
		}
		struct cap *slot = cnode_slot(cn, index);
		if (left == 0) {
			*cnode = cn;
			*slot_index = index;
			return slot;
		}
		if (slot->type != HL_OBJ_CNODE) {
			*err = E_NOCAP;
			return NULL;
		}
		cn = slot;
	}
}

void cap_insert_child(struct cap *slot, const struct cap *value, struct cap *parent)
{
	*slot = *value;
	if (parent) {
		slot->depth = parent->depth + 1;
		slot->prev = parent;
		slot->next = parent->next;
		if (parent->next)
			parent->next->prev = slot;
		parent->next = slot;
	} else {
		slot->depth = 0;
		slot->prev = NULL;
		slot->next = list_head;
		if (list_head)
			list_head->prev = slot;
		list_head = slot;
	}
}

void cap_move(struct cap *to, struct cap *from)
{
	*to = *from;
	if (to->type == HL_OBJ_TCB)
		debug_cap_moved(from, to);
	if (to->prev)
		to->prev->next = to;
	else
		list_head = to;
	if (to->next)
		to->next->prev = to;
	memset(from, 0, sizeof(*from));
}

static bool same_object(const struct cap *a, const struct cap *b)
{
	if (!a || !b || a->type != b->type)
		return false;
	if (a->type == HL_OBJ_IRQ_HANDLER || a->type == HL_OBJ_IOPORT)
		return a->a == b->a && a->b == b->b;
	return a->obj == b->obj;
}

bool cap_is_last(const struct cap *slot)
{
	return !same_object(slot, slot->prev) && !same_object(slot, slot->next);
}

bool cap_has_children(const struct cap *slot)
{
	return slot->next && slot->next->depth > slot->depth;
}

static void unlink_slot(struct cap *slot)
{
	if (slot->prev)
		slot->prev->next = slot->next;
	else
		list_head = slot->next;
	if (slot->next)
		slot->next->prev = slot->prev;
	memset(slot, 0, sizeof(*slot));
}

/* Empties the CNodes queued for destruction, one slot at a time. */
static void reap_cnodes(void)
{
	reaping = true;
	while (dying_cnodes) {
		struct cap *slots = dying_cnodes;
		uint64_t n = slots[0].badge;	/* slot count, stored when queued */
		dying_cnodes = (struct cap *)slots[0].obj;
		memset(&slots[0], 0, sizeof(slots[0]));
		for (uint64_t i = 1; i < n; i++)
			cap_delete(&slots[i]);
	}
	reaping = false;
}

/* Queues a CNode whose last cap is gone; called from object_finalise. */
void cap_queue_dying_cnode(struct cap *slots, uint64_t nslots)
{
	slots[0].obj = (uint64_t)dying_cnodes;
	slots[0].badge = nslots;
	dying_cnodes = slots;
}

/* The last child of an Untyped is gone: its memory is free again. */
static void untyped_emptied(struct cap *parent)
{
	if (parent && parent->type == HL_OBJ_UNTYPED && !cap_has_children(parent) && parent->a) {
		if (!parent->c)
			kstats.free_untyped_bytes += parent->a;
		parent->a = 0;
	}
}

void cap_delete(struct cap *slot)
{
	if (slot->type == HL_OBJ_NULL)
		return;
	trace_slot_removed(slot);
	if (slot->type == HL_OBJ_TCB)
		debug_cap_removed(slot);	/* may delete other caps: look around only after */
	bool last = cap_is_last(slot);
	struct cap gone = *slot, *prev = slot->prev;
	TRACE(CAP_DELETE, current, slot->type, slot->obj, last);
	/* Its descendants move up one level: they become its parent's, not
	 * the next sibling's that a later copy would insert before them. */
	for (struct cap *d = slot->next; d && d->depth > slot->depth; d = d->next)
		d->depth--;
	unlink_slot(slot);
	untyped_emptied(prev);
	object_cap_removed(&gone);
	if (last)
		object_finalise(&gone);
	if (dying_cnodes && !reaping)
		reap_cnodes();
}

void cap_revoke(struct cap *slot)
{
	TRACE(CAP_REVOKE, current, slot->type, slot->obj);
	while (slot->type != HL_OBJ_NULL && cap_has_children(slot))
		cap_delete(slot->next);
}
