/*
 * tick.c: the supervisor's clock. There is no sleep system call, so the
 * supervisor, one priority above the workers, waits on a notification that
 * the CMOS RTC's periodic interrupt (line 8, 1024 Hz) signals: it wakes
 * about once a millisecond, whatever the workers do, and blocks otherwise.
 * Under -icount the RTC runs on the virtual clock, so the ticks fall at the
 * same instructions in every run of a seed.
 */
#include "kf.h"
#include "kt_cmos.h"

#define CN HL_CAP_CNODE
#define D RT_DEPTH
#define RTC_LINE 8

static hl_cptr_t io, handler, ntfn;

int64_t kf_tick_start(hl_cptr_t n)
{
	int64_t st;

	ntfn = n;
	io = slot_alloc();
	handler = slot_alloc();
	st = hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x70, 0x71, CN, io, D).status;
	if (st == E_OK)
		st = hl_irq_control_get(HL_CAP_IRQ_CONTROL, RTC_LINE, CN, handler, D).status;
	if (st == E_OK)
		st = hl_irq_handler_set_notification(handler, ntfn).status;
	if (st != E_OK)
		return st;
	kt_rtc_periodic(io, 1);
	return E_OK;
}

void kf_tick_wait(void)
{
	hl_wait(ntfn);
	kt_cmos_read(io, 0x0C);	/* the RTC holds its line until C is read */
	hl_irq_handler_ack(handler);
}

void kf_tick_stop(void)
{
	kt_rtc_periodic(io, 0);
	hl_irq_handler_set_notification(handler, 0);
	slot_free(handler);
	slot_free(io);
}
