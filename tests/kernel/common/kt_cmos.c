/*
 * kt_cmos.c: CMOS RTC registers and its periodic interrupt (kt_cmos.h).
 */
#include "kt_cmos.h"

uint64_t kt_cmos_read(hl_cptr_t io, uint64_t reg)
{
	hl_ioport_out8(io, 0x70, reg);
	return hl_ioport_in8(io, 0x71).value;
}

void kt_cmos_write(hl_cptr_t io, uint64_t reg, uint64_t v)
{
	hl_ioport_out8(io, 0x70, reg);
	hl_ioport_out8(io, 0x71, v);
}

void kt_rtc_periodic(hl_cptr_t io, int on)
{
	if (on) {
		kt_cmos_write(io, 0x0A, (kt_cmos_read(io, 0x0A) & 0xF0) | 0x06);	/* 1024 Hz */
		kt_cmos_write(io, 0x0B, kt_cmos_read(io, 0x0B) | 0x40);	/* periodic interrupt on */
	} else {
		kt_cmos_write(io, 0x0B, kt_cmos_read(io, 0x0B) & ~0x40ull);
	}
	kt_cmos_read(io, 0x0C);
}
