/*
 * irq_object.c: IRQControl and IRQHandler. A handler cap names one legacy
 * line (alone, or shared with other handlers asked for HL_IRQ_SHARED);
 * with a notification set, each interrupt on the line signals it and
 * masks the line until every handler signalled has acknowledged.
 */
#include "ipc.h"
#include "irq.h"
#include "kernel.h"
#include "stats.h"
#include "trace.h"
#include "syscall.h"

/* A line's handlers: one exclusive, or up to IRQ_SHARERS shared (PCI INTx
 * lines are level-triggered and shared by design). An interrupt signals
 * every handler with a notification and leaves the line masked until each
 * of those has acknowledged it. A handler cap holds its line in a and its
 * sharer index in b. */
#define IRQ_SHARERS 4

struct irq_sharer {
	bool used, pending;
	struct notification *ntfn;
	uint64_t badge;
};

struct irq_line {
	bool exclusive;
	struct irq_sharer s[IRQ_SHARERS];
	uint64_t count;
};

static struct irq_line lines[IRQ_LINES];

static bool line_claimed(const struct irq_line *l)
{
	for (unsigned k = 0; k < IRQ_SHARERS; k++)
		if (l->s[k].used)
			return true;
	return false;
}

/* Unmasks the line once no handler with a notification owes an acknowledgement. */
static void maybe_unmask(unsigned line)
{
	struct irq_line *l = &lines[line];
	bool any = false;

	for (unsigned k = 0; k < IRQ_SHARERS; k++) {
		if (l->s[k].used && l->s[k].ntfn && l->s[k].pending)
			return;
		any |= l->s[k].used && l->s[k].ntfn;
	}
	if (any)
		arch_irq_unmask(line);
	else
		arch_irq_mask(line);
}

void irq_line_raised(unsigned line)
{
	struct irq_line *l = &lines[line];

	l->count++;
	STAT(irqs[line])++;
	TRACE(IRQ, NULL, line, l->count);
	for (unsigned k = 0; k < IRQ_SHARERS; k++)
		if (l->s[k].used && l->s[k].ntfn) {
			l->s[k].pending = true;
			ntfn_signal_raw(l->s[k].ntfn, l->s[k].badge ? l->s[k].badge : 1);
		}
}

void irq_forget_notification(struct notification *n)
{
	for (unsigned i = 0; i < IRQ_LINES; i++)
		for (unsigned k = 0; k < IRQ_SHARERS; k++)
			if (lines[i].s[k].used && lines[i].s[k].ntfn == n) {
				lines[i].s[k].ntfn = NULL;
				lines[i].s[k].pending = false;
				maybe_unmask(i);
			}
}

/* The last cap of a handler is gone: its share of the line is free again. */
void irq_handler_finalise(struct cap *c)
{
	struct irq_line *l = &lines[c->a];

	l->s[c->b % IRQ_SHARERS] = (struct irq_sharer){ false, false, NULL, 0 };
	if (!line_claimed(l))
		l->exclusive = false;
	maybe_unmask((unsigned)c->a);
}

static int control_get(struct cap *ctl, unsigned len)
{
	int err;
	struct cap *slot;
	uint64_t line = arg(0), shared = len >= 5 ? arg(4) : 0;
	struct irq_line *l;
	unsigned k = 0;

	if (len < 4)
		return refuse(E_INVAL, "get takes a line and a destination slot");
	if (line >= IRQ_LINES || line == 2)
		return refuse(E_RANGE, "IRQ %lu is not an available ISA line (0-15 except 2)", line);
	if (shared > HL_IRQ_SHARED)
		return refuse(E_INVAL, "flags 0x%lx: only HL_IRQ_SHARED", shared);
	l = &lines[line];
	if (line_claimed(l) && (l->exclusive || !shared))
		return refuse(E_BUSY, "IRQ %lu already has a handler%s", line, l->exclusive ? "" : " (shared ones only)");
	while (k < IRQ_SHARERS && l->s[k].used)
		k++;
	if (k == IRQ_SHARERS)
		return refuse(E_BUSY, "IRQ %lu has %d handlers already", line, IRQ_SHARERS);
	if (!(slot = lookup_slot(arg(1), arg(2), arg(3), &err)))
		return refuse(err, "destination slot does not resolve");
	if (slot->type != HL_OBJ_NULL)
		return refuse(E_EXIST, "destination slot is occupied");
	struct cap c = { .type = HL_OBJ_IRQ_HANDLER, .rights = HL_R_ALL, .a = line, .b = k };
	cap_insert_child(slot, &c, ctl);
	l->s[k] = (struct irq_sharer){ true, false, NULL, 0 };
	l->exclusive = !shared;
	return E_OK;
}

static int handler_set(struct cap *h, unsigned len)
{
	int err;
	struct cap *n = NULL;

	if (len < 1)
		return refuse(E_INVAL, "takes a notification (0 for none)");
	if (arg(0)) {
		if (!(n = lookup_cap(arg(0), &err)))
			return refuse(err, "notification 0x%lx names no capability", arg(0));
		if (n->type != HL_OBJ_NOTIFICATION)
			return refuse(E_TYPE, "IRQs signal notifications only");
		if (!(n->rights & HL_R_WRITE))
			return refuse(E_PERM, "the notification cap needs the write right");
	}
	struct irq_sharer *me = &lines[h->a].s[h->b % IRQ_SHARERS];
	me->ntfn = n ? (struct notification *)n->obj : NULL;
	me->badge = n ? n->badge : 0;
	me->pending = false;
	maybe_unmask((unsigned)h->a);
	return E_OK;
}

int irq_invoke(struct cap *c, uint64_t label, unsigned len)
{
	if (c->type == HL_OBJ_IRQ_CONTROL)
		return label == HL_IRQ_CONTROL_GET ? control_get(c, len)
						   : refuse(E_NOSYS, "IRQControl has no method %lu", label);
	switch (label) {
	case HL_IRQ_HANDLER_SET_NOTIFICATION:
		return handler_set(c, len);
	case HL_IRQ_HANDLER_ACK:
		lines[c->a].s[c->b % IRQ_SHARERS].pending = false;
		maybe_unmask((unsigned)c->a);
		return E_OK;
	}
	return refuse(E_NOSYS, "IRQHandler has no method %lu", label);
}
