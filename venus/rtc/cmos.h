/*
 * venus/rtc/cmos.h: the MC146818-style CMOS clock as a PC has it (portable:
 * the port accesses go through the two functions given, so the date
 * arithmetic and register decoding are tested on the host).
 */
#ifndef VENUS_RTC_CMOS_H
#define VENUS_RTC_CMOS_H

#include <stdbool.h>
#include <stdint.h>

struct cmos {
	uint8_t (*read)(void *ctx, uint8_t reg);
	void (*write)(void *ctx, uint8_t reg, uint8_t value);
	void *ctx;
};

struct cmos_time {
	unsigned year, month, day, hour, minute, second;
};

/* Seconds since 1970 of a UTC date, or -1 if the date is not valid. */
int64_t cmos_to_unix(const struct cmos_time *t);
/* The UTC date of seconds since 1970 (t >= 0). */
void cmos_from_unix(int64_t secs, struct cmos_time *t);

/* True when the chip answers like a CMOS clock (status registers sane). */
bool cmos_present(const struct cmos *c);
/* Reads the time (waiting out an update, reading until two reads agree);
 * returns 0, or -1 if the chip holds no valid date. */
int cmos_read(const struct cmos *c, struct cmos_time *t);
/* Writes t in the chip's own format (BCD or binary, 12 or 24 hour);
 * returns 0, or -1 if the year is outside 2000-2099. */
int cmos_write(const struct cmos *c, const struct cmos_time *t);

#endif
