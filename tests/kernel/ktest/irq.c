/*
 * irq.c: IRQControl and IRQHandler: claiming lines (and the refusals),
 * then a real interrupt: the CMOS RTC's periodic interrupt on line 8,
 * delivered as a signal on the handler's notification, held back until
 * the handler acks, and silent once the line has no notification; then a
 * line shared by two handlers: each is signalled, and the line stays
 * masked until both have acked.
 */
#include "kt.h"
#include "kt_cmos.h"

#define RTC_LINE 8

static hl_cptr_t irq_io;

/* Polls n for up to ms milliseconds; returns its bits (0: none came). */
static uint64_t irq_poll(hl_cptr_t n, uint64_t ms)
{
	uint64_t end = kt_tsc() + ms * (kt_tsc_hz() / 1000);

	while (kt_tsc() < end) {
		struct hl_result r = hl_poll(n);

		if (r.status == E_OK)
			return r.value;
		hl_yield();
	}
	return 0;
}

static void irq_claims(hl_cptr_t h, hl_cptr_t s)
{
	kt_ok(kt_either(hl_irq_control_get(HL_CAP_IRQ_CONTROL, 2, CN, s, D).status, E_RANGE, E_INVAL),
	      "line 2 (the cascade): E_RANGE or E_INVAL");
	kt_is(hl_irq_control_get(HL_CAP_IRQ_CONTROL, 16, CN, s, D).status, E_RANGE, "line 16: E_RANGE");
	kt_is(hl_irq_control_get(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, s, D).status, E_BUSY,
	      "line 8 claimed twice: E_BUSY");
	kt_is(hl_irq_control_get(HL_CAP_IRQ_CONTROL, 9, CN, h, D).status, E_EXIST,
	      "claim into an occupied slot: E_EXIST");
	kt_is(hl_irq_control_get(HL_CAP_CONSOLE, 9, CN, s, D).status, E_NOSYS, "IRQ get on the Console: E_NOSYS");
	kt_is(hl_irq_handler_set_notification(h, HL_CAP_TCB).status, E_TYPE,
	      "a TCB as the handler's notification: E_TYPE");
	kt_is(hl_irq_handler_ack(HL_CAP_TCB).status, E_NOSYS, "ack on a TCB: E_NOSYS");
}

static void irq_deliver(hl_cptr_t h, hl_cptr_t n)
{
	uint64_t bits;

	kt_rtc_periodic(irq_io, 1);
	bits = irq_poll(n, 2000);
	kt_is(bits, 0x100, "RTC interrupt delivered as the handler cap's badge");
	kt_cmos_read(irq_io, 0x0C);	/* the RTC holds its line until C is read */
	kt_is(hl_irq_handler_ack(h).status, E_OK, "ack the interrupt");
	kt_is(irq_poll(n, 2000), 0x100, "a second interrupt after the ack");
	kt_cmos_read(irq_io, 0x0C);
	kt_is(irq_poll(n, 50), 0, "no interrupt before the next ack (line masked)");
	kt_is(hl_irq_handler_ack(h).status, E_OK, "ack again");
	kt_is(irq_poll(n, 2000), 0x100, "and interrupts come again");
	kt_rtc_periodic(irq_io, 0);
	kt_is(hl_irq_handler_set_notification(h, 0).status, E_OK, "detach the notification");
	hl_irq_handler_ack(h);
	irq_poll(n, 5);
	kt_is(irq_poll(n, 50), 0, "no signal once detached and the device is quiet");
}

/* Two shared handlers on line 8, each with its own notification. */
static void irq_shared(void)
{
	hl_cptr_t a = slot_alloc(), b = slot_alloc(), x = slot_alloc(), more[3];
	hl_cptr_t na = kt_new(HL_OBJ_NOTIFICATION, 0, "notification A"), nb = kt_new(HL_OBJ_NOTIFICATION, 0, "B");
	uint64_t bad[5] = { RTC_LINE, CN, x, D, 2 };
	unsigned got = 0;

	if (!na || !nb)
		return;
	kt_is(hl_irq_control_get_shared(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, a, D).status, E_OK, "claim line 8 shared");
	kt_is(hl_irq_control_get_shared(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, b, D).status, E_OK, "and again: two handlers");
	kt_is(hl_irq_control_get(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, x, D).status, E_BUSY,
	      "an exclusive claim of a shared line: E_BUSY");
	kt_is(hl_invoke(HL_CAP_IRQ_CONTROL, HL_IRQ_CONTROL_GET, 5, bad).status, E_INVAL, "unknown claim flags: E_INVAL");
	for (int i = 0; i < 3; i++) {
		more[i] = slot_alloc();
		got += hl_irq_control_get_shared(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, more[i], D).status == E_OK;
	}
	kt_is(got, 2, "four handlers share a line at most");
	for (int i = 0; i < 3; i++)
		slot_free(more[i]);
	hl_irq_handler_set_notification(a, na);
	hl_irq_handler_set_notification(b, nb);
	kt_rtc_periodic(irq_io, 1);
	kt_ok(irq_poll(na, 2000) && irq_poll(nb, 2000), "an interrupt signals both handlers");
	kt_cmos_read(irq_io, 0x0C);
	kt_is(hl_irq_handler_ack(a).status, E_OK, "A acks");
	kt_is(irq_poll(na, 50) | irq_poll(nb, 50), 0, "the line stays masked while B owes its ack");
	kt_is(hl_irq_handler_ack(b).status, E_OK, "B acks");
	kt_ok(irq_poll(na, 2000) && irq_poll(nb, 2000), "then the next interrupt comes to both");
	kt_cmos_read(irq_io, 0x0C);
	hl_cnode_delete(CN, b, D);
	kt_is(hl_irq_handler_ack(a).status, E_OK, "B's handler deleted (owing an ack): A acks alone");
	kt_ok(irq_poll(na, 2000) != 0, "and the line works on for A");
	kt_rtc_periodic(irq_io, 0);
	kt_cmos_read(irq_io, 0x0C);
	hl_irq_handler_ack(a);
	slot_free(a);
	kt_is(hl_irq_control_get(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, x, D).status, E_OK,
	      "once both are gone the line can be claimed exclusively again");
	slot_free(x);
	slot_free(b);
	kt_del(na);
	kt_del(nb);
}

void kt_area_irq(void)
{
	hl_cptr_t h = slot_alloc(), s = slot_alloc();
	hl_cptr_t n = kt_new(HL_OBJ_NOTIFICATION, 0, "a notification");
	hl_cptr_t nb = n ? kt_mint(n, HL_R_ALL, 0x100) : 0;

	irq_io = slot_alloc();
	if (!kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x70, 0x71, CN, irq_io, D).status, E_OK,
		   "IOPort cap for the RTC"))
		goto out;
	if (!kt_is(hl_irq_control_get(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, h, D).status, E_OK,
		   "claim line 8 (RTC)"))
		goto out;
	kt_is(kt_type(h), HL_OBJ_IRQ_HANDLER, "the slot holds an IRQHandler");
	irq_claims(h, s);
	if (nb && kt_is(hl_irq_handler_set_notification(h, nb).status, E_OK, "set the handler's notification"))
		irq_deliver(h, n);
	kt_is(hl_cnode_delete(CN, h, D).status, E_OK, "delete the handler");
	kt_is(hl_irq_control_get(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, h, D).status, E_OK,
	      "line 8 can be claimed again after its handler was deleted");
	kt_is(hl_irq_control_get_shared(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, s, D).status, E_BUSY,
	      "a shared claim of an exclusive line: E_BUSY");
	hl_cnode_delete(CN, h, D);
	irq_shared();
out:
	slot_free(h);
	slot_free(s);
	slot_free(irq_io);
	slot_free(nb);
	kt_del(n);
}
