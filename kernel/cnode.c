/*
 * cnode.c: CNode invocations: copy, mint, move, mutate, delete, revoke,
 * identify, compare. Slots are named relative to the invoked CNode (index, depth);
 * a source slot is (root cptr, index, depth) from the caller's CSpace.
 */
#include "cnode.h"
#include "debug.h"
#include "ipc.h"
#include "kernel.h"
#include "object.h"
#include "syscall.h"
#include "trace.h"

int cap_derive(const struct cap *src, struct cap *out)
{
	if (src->type == HL_OBJ_UNTYPED)
		return E_TYPE;		/* one cap per region: move it instead */
	if (src->type == HL_OBJ_REPLY)
		return E_TYPE;		/* a reply belongs to one server thread */
	if (src->type >= HL_OBJ_PDPT && src->type <= HL_OBJ_PT)
		return E_TYPE;		/* one cap per table: a table is never mapped twice */
	if (src->type == HL_OBJ_VSPACE && !src->a)
		return E_INVAL;		/* id first: copies made before would each get one */
	*out = *src;
	if (src->type >= HL_OBJ_PDPT && src->type <= HL_OBJ_FRAME_2M)
		out->a = out->b = 0;	/* a copy maps nothing yet */
	return E_OK;
}

/* The destination slot (index, depth) relative to cn; must be empty. */
static struct cap *dest_slot(struct cap *cn, int *err)
{
	struct cap *d = cap_resolve(cn, arg(0), (unsigned)(arg(1) > 64 ? 0 : arg(1)), err);

	if (!d) {
		*err = refuse(*err, "destination (%lu, depth %lu) does not resolve", arg(0), arg(1));
		return NULL;
	}
	if (d->type != HL_OBJ_NULL) {
		*err = refuse(E_EXIST, "destination slot %lu is occupied", arg(0));
		return NULL;
	}
	return d;
}

static struct cap *source_slot(int *err)
{
	struct cap *s = lookup_slot(arg(2), arg(3), arg(4), err);

	if (!s) {
		*err = refuse(*err, "source (0x%lx, %lu, depth %lu) does not resolve", arg(2), arg(3), arg(4));
		return NULL;
	}
	if (s->type == HL_OBJ_NULL) {
		*err = refuse(E_NOCAP, "source slot %lu is empty", arg(3));
		return NULL;
	}
	return s;
}

/* Applies MINT/MUTATE's badge (endpoints, notifications) or guard (CNodes). */
static int apply_badge(struct cap *c, uint64_t badge)
{
	if (c->type == HL_OBJ_ENDPOINT || c->type == HL_OBJ_NOTIFICATION) {
		if (c->badge && badge != c->badge)
			return refuse(E_INVAL, "the cap is already badged 0x%lx", c->badge);
		c->badge = badge;
	} else if (c->type == HL_OBJ_CNODE) {
		if (badge > 64u - c->bits)
			return refuse(E_RANGE, "guard %lu + radix %u exceeds 64 bits", badge, c->bits);
		c->guard_size = (uint8_t)badge;
	}
	return E_OK;
}

static int copy_or_mint(struct cap *cn, uint64_t label, unsigned len)
{
	int err;
	struct cap *d, *s, v;
	bool mint = label == HL_CNODE_MINT;

	if (len < (mint ? 7u : 6u))
		return refuse(E_INVAL, "%s takes %d words, got %u", mint ? "mint" : "copy", mint ? 7 : 6, len);
	if (!(d = dest_slot(cn, &err)) || !(s = source_slot(&err)))
		return err;
	if ((err = cap_derive(s, &v)))
		return refuse(err, "a cap of type %u cannot be copied", s->type);
	v.rights &= (uint8_t)arg(5);
	if (mint && (err = apply_badge(&v, arg(6))))
		return err;
	TRACE(CAP_COPY, current, v.type, v.rights, v.badge);
	cap_insert_child(d, &v, s);
	return E_OK;
}

static int move_or_mutate(struct cap *cn, uint64_t label, unsigned len)
{
	int err;
	struct cap *d, *s;
	bool mutate = label == HL_CNODE_MUTATE;

	if (len < (mutate ? 7u : 5u))
		return refuse(E_INVAL, "%s takes %d words, got %u", mutate ? "mutate" : "move", mutate ? 7 : 5, len);
	if (!(d = dest_slot(cn, &err)) || !(s = source_slot(&err)))
		return err;
	if (mutate) {
		struct cap v = *s;
		v.rights &= (uint8_t)arg(5);
		if ((err = apply_badge(&v, arg(6))))
			return err;
		if (s->type == HL_OBJ_TCB && !(v.rights & HL_R_DEBUG))
			debug_cap_removed(s);	/* a binding cap without the debug right ends it */
		s->rights = v.rights;
		s->badge = v.badge;
		s->guard_size = v.guard_size;
	}
	cap_move(d, s);
	return E_OK;
}

static struct cap *target_slot(struct cap *cn, unsigned len, int *err)
{
	struct cap *t;

	if (len < 2) {
		*err = refuse(E_INVAL, "takes an index and a depth");
		return NULL;
	}
	if (!(t = cap_resolve(cn, arg(0), (unsigned)(arg(1) > 64 ? 0 : arg(1)), err))) {
		*err = refuse(*err, "slot (%lu, depth %lu) does not resolve", arg(0), arg(1));
		return NULL;
	}
	return t;
}

/* Whether the target slot and a source slot name one object: how a server
 * tells a token it minted from its own endpoint (badges cannot be changed
 * once set) from a look-alike on another endpoint. Empty slots match
 * nothing. */
static int compare(struct cap *cn, unsigned len)
{
	int err;
	struct cap *t, *s;

	if (len < 5)
		return refuse(E_INVAL, "compare takes 5 words, got %u", len);
	if (!(t = target_slot(cn, len, &err)) || !(s = source_slot(&err)))
		return err;
	result_value(t->type != HL_OBJ_NULL && t->type == s->type && t->obj == s->obj);
	return E_OK;
}

int cnode_invoke(struct cap *cn, uint64_t label, unsigned len)
{
	int err;
	struct cap *t;

	switch (label) {
	case HL_CNODE_COPY:
	case HL_CNODE_MINT:
		return copy_or_mint(cn, label, len);
	case HL_CNODE_MOVE:
	case HL_CNODE_MUTATE:
		return move_or_mutate(cn, label, len);
	case HL_CNODE_COMPARE:
		return compare(cn, len);
	case HL_CNODE_DELETE:
	case HL_CNODE_REVOKE:
	case HL_CNODE_IDENTIFY:
		break;
	default:
		return refuse(E_NOSYS, "CNode has no method %lu", label);
	}
	if (!(t = target_slot(cn, len, &err)))
		return err;
	if (label == HL_CNODE_IDENTIFY) {
		msg_set(current, 0, t->badge);
		msg_set(current, 1, t->bits);
		result_value(t->type | (uint64_t)t->rights << 8);
		return E_OK;
	}
	if (t->type == HL_OBJ_NULL)
		return refuse(E_NOCAP, "slot %lu is empty", arg(0));
	if (label == HL_CNODE_DELETE)
		cap_delete(t);
	else
		cap_revoke(t);
	return E_OK;
}
