/*
 * kt_cmos.h: the CMOS RTC through an IOPort cap for ports 0x70-0x71: its
 * registers, and its periodic interrupt (line 8), which the suites use as a
 * real device interrupt (ktest's irq area) and as a clock (kfuzz's supervisor).
 */
#ifndef KT_CMOS_H
#define KT_CMOS_H

#include "rt.h"

uint64_t kt_cmos_read(hl_cptr_t io, uint64_t reg);
void kt_cmos_write(hl_cptr_t io, uint64_t reg, uint64_t v);
/* Periodic interrupt at 1024 Hz on (on != 0) or off; either way register C
 * is read, since the RTC holds its line until it is. */
void kt_rtc_periodic(hl_cptr_t io, int on);

#endif
