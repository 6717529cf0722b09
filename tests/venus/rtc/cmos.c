/*
 * Host tests of venus/rtc/cmos.c: the calendar (known dates, leap years,
 * every day from 1970 to 2099 both ways, invalid dates), and reading and
 * writing a simulated chip in BCD and binary, 24- and 12-hour modes, while
 * it updates, with a dead battery, and dates it cannot hold.
 */
#include <string.h>
#include "tap.h"
#include "cmos.h"

static uint8_t reg[128];
static int updates;	/* reads of status A still to show update-in-progress */

static uint8_t rd(void *ctx, uint8_t r)
{
	(void)ctx;
	if (r == 0xA && updates > 0) {
		updates--;
		return reg[r] | 0x80;
	}
	return reg[r];
}

static void wr(void *ctx, uint8_t r, uint8_t v)
{
	(void)ctx;
	reg[r] = v;
}

static const struct cmos chip = { rd, wr, NULL };

static void chip_reset(uint8_t status_b)
{
	memset(reg, 0, sizeof(reg));
	reg[0xA] = 0x26, reg[0xB] = status_b, reg[0xD] = 0x80;
}

int main(void)
{
	struct cmos_time t = { 2026, 12, 6, 12, 34, 56 }, u;
	int bad = 0;

	plan(28);
	is_int(cmos_to_unix(&t), 1796560496, "2026-12-06 12:34:56 UTC");
	t = (struct cmos_time){ 1970, 1, 1, 0, 0, 0 };
	is_int(cmos_to_unix(&t), 0, "the epoch");
	t = (struct cmos_time){ 2000, 2, 29, 23, 59, 59 };
	is_int(cmos_to_unix(&t), 951868799, "2000-02-29 (a leap year by the 400 rule)");
	t = (struct cmos_time){ 2100, 2, 29, 0, 0, 0 };
	is_int(cmos_to_unix(&t), -1, "2100-02-29 does not exist");
	t = (struct cmos_time){ 2023, 2, 29, 0, 0, 0 };
	is_int(cmos_to_unix(&t), -1, "2023-02-29 does not exist");
	t = (struct cmos_time){ 2023, 13, 1, 0, 0, 0 };
	is_int(cmos_to_unix(&t), -1, "month 13");
	t = (struct cmos_time){ 2023, 4, 31, 0, 0, 0 };
	is_int(cmos_to_unix(&t), -1, "April 31");
	t = (struct cmos_time){ 2023, 1, 1, 24, 0, 0 };
	is_int(cmos_to_unix(&t), -1, "hour 24");
	t = (struct cmos_time){ 1969, 12, 31, 0, 0, 0 };
	is_int(cmos_to_unix(&t), -1, "before 1970");
	for (int64_t day = 0; day < 47482; day++) {	/* 1970-01-01 .. 2099-12-31 */
		cmos_from_unix(day * 86400 + 3661, &u);
		bad += cmos_to_unix(&u) != day * 86400 + 3661 || u.hour != 1 || u.minute != 1 || u.second != 1;
	}
	is_int(bad, 0, "every day 1970-2099 converts both ways");
	cmos_from_unix(4102444799, &u);
	ok(u.year == 2099 && u.month == 12 && u.day == 31 && u.hour == 23, "2099-12-31 23:59:59");

	/* BCD, 24 hour: the PC default. */
	chip_reset(0x02);
	reg[0] = 0x56, reg[2] = 0x34, reg[4] = 0x12, reg[7] = 0x06, reg[8] = 0x12, reg[9] = 0x26, reg[0x32] = 0x20;
	ok(cmos_present(&chip), "a chip with a divider is present");
	updates = 3;
	is_int(cmos_read(&chip, &t), 0, "read while an update runs out");
	ok(t.year == 2026 && t.month == 12 && t.day == 6 && t.hour == 12 && t.minute == 34 && t.second == 56,
	   "BCD 24-hour date read");
	/* 12-hour: 1 PM is 0x81 in BCD. */
	chip_reset(0x00);
	reg[0] = 0, reg[2] = 0, reg[4] = 0x81, reg[7] = 1, reg[8] = 1, reg[9] = 0x30, reg[0x32] = 0x20;
	is_int(cmos_read(&chip, &t), 0, "read in 12-hour mode");
	is_int(t.hour, 13, "1 PM is 13:00");
	reg[4] = 0x12;
	cmos_read(&chip, &t);
	is_int(t.hour, 0, "12 AM is 00:00");
	reg[4] = 0x92;
	cmos_read(&chip, &t);
	is_int(t.hour, 12, "12 PM is 12:00");
	/* Binary, 24 hour, no century register (reads 0): 20xx assumed. */
	chip_reset(0x06);
	reg[0] = 5, reg[2] = 4, reg[4] = 3, reg[7] = 2, reg[8] = 1, reg[9] = 30, reg[0x32] = 0;
	is_int(cmos_read(&chip, &t), 0, "binary read");
	ok(t.year == 2030 && t.month == 1 && t.day == 2 && t.hour == 3 && t.minute == 4 && t.second == 5,
	   "binary date, century assumed 20");
	reg[0xD] = 0;
	is_int(cmos_read(&chip, &t), -1, "a dead battery (VRT clear): no date");
	reg[0xD] = 0x80, reg[8] = 13;
	is_int(cmos_read(&chip, &t), -1, "month 13 in the chip: no date");

	/* Writing keeps the chip's format, and holds updates while it writes. */
	chip_reset(0x02);
	u = (struct cmos_time){ 2031, 7, 8, 21, 9, 10 };
	is_int(cmos_write(&chip, &u), 0, "write in BCD 24-hour mode");
	ok(reg[9] == 0x31 && reg[0x32] == 0x20 && reg[4] == 0x21 && reg[0] == 0x10 && !(reg[0xB] & 0x80),
	   "BCD fields written, SET cleared after");
	chip_reset(0x04);
	is_int(cmos_write(&chip, &u), 0, "write in binary 12-hour mode");
	ok(reg[4] == (9 | 0x80) && reg[9] == 31, "9 PM written as 9 with the PM bit");
	u.year = 2100;
	is_int(cmos_write(&chip, &u), -1, "2100 does not fit the chip");
	memset(reg, 0xFF, sizeof(reg));
	ok(!cmos_present(&chip), "a floating bus (0xFF) is no chip");
	return done_testing();
}
