/*
 * cap.h: capability slots, the derivation tree, and CSpace lookup.
 *
 * A slot is 64 bytes. Every non-empty slot is also a node of one global
 * derivation list (seL4's mapping database): a cap's descendants follow it
 * with a greater depth. Retype makes object caps children of their Untyped;
 * copy and mint make children of the source; move keeps the position.
 * All caps of one object are therefore contiguous in the list, so "last
 * cap of an object" is a look at the two neighbours.
 */
#ifndef KERNEL_CAP_H
#define KERNEL_CAP_H

#include <stdint.h>
#include <stdbool.h>
#include <helios/errors.h>
#include <helios/objects.h>

struct cap {
	uint8_t type;		/* enum hl_obj_type; HL_OBJ_NULL = empty */
	uint8_t rights;		/* HL_R_* */
	uint8_t bits;		/* CNode radix, Untyped/Frame size bits */
	uint8_t guard_size;	/* CNode: bits skipped (must be zero) before the index */
	uint32_t depth;		/* derivation depth */
	uint64_t obj;		/* kernel address of the object (direct map) */
	uint64_t badge;		/* endpoint/notification badge */
	uint64_t a, b;		/* Untyped: a = watermark; frame, page table: a = asid, b = vaddr
				   when mapped; VSpace: a = asid; IRQ handler: a = line;
				   IOPort: a, b = first and last port */
	struct cap *prev, *next;	/* derivation list */
	uint64_t c;		/* Untyped and frames: 1 for device memory */
};

_Static_assert(sizeof(struct cap) == 1 << HL_SLOT_BITS, "slot size");

/* Resolves cptr over depth bits in the CSpace rooted at root. On failure
 * returns NULL and sets *err (E_NOCAP or E_RANGE). */
struct cap *cap_resolve(struct cap *root, uint64_t cptr, unsigned depth, int *err);

/* As cap_resolve, also giving the CNode holding the slot and the slot's index. */
struct cap *cap_resolve_in(struct cap *root, uint64_t cptr, unsigned depth, struct cap **cnode,
			   uint64_t *index, int *err);

/* Inserts a new cap into an empty slot as a child of parent (or at the
 * list head when parent is NULL). */
void cap_insert_child(struct cap *slot, const struct cap *value, struct cap *parent);
/* Moves the cap in from to the empty slot to, keeping its tree position. */
void cap_move(struct cap *to, struct cap *from);
/* Deletes one cap, finalising its object if it was the last cap. */
void cap_delete(struct cap *slot);
/* Deletes every descendant of slot, leaving slot itself. */
void cap_revoke(struct cap *slot);
/* True if the slot's cap has descendants. */
bool cap_has_children(const struct cap *slot);
/* True if no other cap refers to the same object. */
bool cap_is_last(const struct cap *slot);

/* Head of the derivation list (for the invariant checker). */
struct cap *cap_list_head(void);

#endif
