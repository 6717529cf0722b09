/*
 * irq_object.c: IRQControl and IRQHandler. A handler cap names one legacy
 * line; with a notification set, each interrupt on the line signals it
 * and masks the line until the driver acknowledges.
 */
#include "ipc.h"
#include "irq.h"
#include "kernel.h"
#include "stats.h"
#include "trace.h"
#include "syscall.h"

struct irq_line {
	bool claimed;
	struct notification *ntfn;
	uint64_t badge;
	uint64_t count;
};

static struct irq_line lines[IRQ_LINES];

void irq_line_raised(unsigned line)
{
	struct irq_line *l = &lines[line];

	l->count++;
	STAT(irqs[line])++;
	TRACE(IRQ, NULL, line, l->count);
	if (l->ntfn)
		ntfn_signal_raw(l->ntfn, l->badge ? l->badge : 1);
}

void irq_forget_notification(struct notification *n)
{
	for (unsigned i = 0; i < IRQ_LINES; i++)
		if (lines[i].ntfn == n) {
			lines[i].ntfn = NULL;
			arch_irq_mask(i);
		}
}

/* The last handler cap of a line is gone: the line is free again. */
void irq_handler_finalise(struct cap *c)
{
	struct irq_line *l = &lines[c->a];

	arch_irq_mask((unsigned)c->a);
	l->claimed = false;
	l->ntfn = NULL;
}

static int control_get(struct cap *ctl, unsigned len)
{
	int err;
	struct cap *slot;
	uint64_t line = arg(0);

	if (len < 4)
		return refuse(E_INVAL, "get takes a line and a destination slot");
	if (line >= IRQ_LINES || line == 2)
		return refuse(E_RANGE, "IRQ %lu is not an available ISA line (0-15 except 2)", line);
	if (lines[line].claimed)
		return refuse(E_BUSY, "IRQ %lu already has a handler", line);
	if (!(slot = lookup_slot(arg(1), arg(2), arg(3), &err)))
		return refuse(err, "destination slot does not resolve");
	if (slot->type != HL_OBJ_NULL)
		return refuse(E_EXIST, "destination slot is occupied");
	struct cap c = { .type = HL_OBJ_IRQ_HANDLER, .rights = HL_R_ALL, .a = line };
	cap_insert_child(slot, &c, ctl);
	lines[line].claimed = true;
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
	struct irq_line *l = &lines[h->a];
	l->ntfn = n ? (struct notification *)n->obj : NULL;
	l->badge = n ? n->badge : 0;
	if (n)
		arch_irq_unmask((unsigned)h->a);
	else
		arch_irq_mask((unsigned)h->a);
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
		if (lines[c->a].ntfn)
			arch_irq_unmask((unsigned)c->a);
		return E_OK;
	}
	return refuse(E_NOSYS, "IRQHandler has no method %lu", label);
}
