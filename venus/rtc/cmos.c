/*
 * cmos.c: reading and setting the CMOS clock, and the calendar.
 *
 * Registers: 0 seconds, 2 minutes, 4 hours, 7 day, 8 month, 9 year, 0x32
 * century (where the firmware keeps it; we assume 20xx when it reads as
 * garbage); status A bit 7 = update in progress, status B bit 7 = hold
 * updates (SET), bit 2 = binary (else BCD), bit 1 = 24-hour (else 12 with
 * bit 7 of the hour = PM).
 */
#include "cmos.h"

enum { SEC = 0, MIN = 2, HOUR = 4, DAY = 7, MONTH = 8, YEAR = 9, STATUS_A = 0xA, STATUS_B = 0xB,
       STATUS_D = 0xD, CENTURY = 0x32 };

#define A_UIP	0x80
#define B_SET	0x80
#define B_BIN	0x04
#define B_24H	0x02
#define D_VRT	0x80	/* valid RAM and time: the battery is good */

static bool leap(unsigned y) { return (y % 4 == 0 && y % 100) || y % 400 == 0; }

static unsigned month_days(unsigned y, unsigned m)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

int64_t cmos_to_unix(const struct cmos_time *t)
{
	if (t->year < 1970 || t->month < 1 || t->month > 12 || t->day < 1 ||
	    t->day > month_days(t->year, t->month) || t->hour > 23 || t->minute > 59 || t->second > 59)
		return -1;
	return days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
}

void cmos_from_unix(int64_t secs, struct cmos_time *t)
{
	int64_t z = secs / 86400 + 719468, era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097), rest = (unsigned)(secs % 86400);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	t->day = doy - (153 * mp + 2) / 5 + 1;
	t->month = mp < 10 ? mp + 3 : mp - 9;
	t->year = (unsigned)(yoe + era * 400) + (t->month <= 2);
	t->hour = rest / 3600, t->minute = rest / 60 % 60, t->second = rest % 60;
}

static unsigned from_bcd(uint8_t v) { return (v >> 4) * 10 + (v & 0xF); }
static uint8_t to_bcd(unsigned v) { return (uint8_t)((v / 10) << 4 | v % 10); }

bool cmos_present(const struct cmos *c)
{
	uint8_t a = c->read(c->ctx, STATUS_A), b = c->read(c->ctx, STATUS_B);

	/* A floating bus reads 0xFF; a real chip has a divider set in A and
	 * keeps B's SET bit clear while it runs. */
	return a != 0xFF && (a & 0x70) && !(b & B_SET);
}

static void read_raw(const struct cmos *c, uint8_t r[7])
{
	static const uint8_t regs[7] = { SEC, MIN, HOUR, DAY, MONTH, YEAR, CENTURY };

	for (int tries = 0; tries < 1000000 && (c->read(c->ctx, STATUS_A) & A_UIP); tries++)
		;
	for (int i = 0; i < 7; i++)
		r[i] = c->read(c->ctx, regs[i]);
}

int cmos_read(const struct cmos *c, struct cmos_time *t)
{
	uint8_t r[7], again[7], b = c->read(c->ctx, STATUS_B);
	bool same = false;

	read_raw(c, r);
	for (int i = 0; i < 8 && !same; i++) {	/* an update between two reads shows as a difference */
		read_raw(c, again);
		same = true;
		for (int k = 0; k < 7; k++) {
			same &= r[k] == again[k];
			r[k] = again[k];
		}
	}
	if (!(c->read(c->ctx, STATUS_D) & D_VRT))
		return -1;
	bool pm = !(b & B_24H) && (r[2] & 0x80);
	r[2] &= 0x7F;
	unsigned v[7];
	for (int k = 0; k < 7; k++)
		v[k] = b & B_BIN ? r[k] : from_bcd(r[k]);
	if (!(b & B_24H))
		v[2] = v[2] % 12 + (pm ? 12 : 0);
	unsigned century = v[6] >= 19 && v[6] <= 99 ? v[6] : 20;
	*t = (struct cmos_time){ century * 100 + v[5], v[4], v[3], v[2], v[1], v[0] };
	return cmos_to_unix(t) < 0 ? -1 : 0;
}

int cmos_write(const struct cmos *c, const struct cmos_time *t)
{
	uint8_t b = c->read(c->ctx, STATUS_B);
	unsigned hour = t->hour;
	uint8_t h;

	if (t->year < 2000 || t->year > 2099 || cmos_to_unix(t) < 0)
		return -1;
	if (!(b & B_24H))
		hour = t->hour % 12 ? t->hour % 12 : 12;
	h = b & B_BIN ? (uint8_t)hour : to_bcd(hour);
	if (!(b & B_24H) && t->hour >= 12)
		h |= 0x80;
	c->write(c->ctx, STATUS_B, b | B_SET);		/* hold updates while we write */
	const struct { uint8_t reg; unsigned v; } f[] = {
		{ SEC, t->second }, { MIN, t->minute }, { DAY, t->day }, { MONTH, t->month },
		{ YEAR, t->year % 100 }, { CENTURY, t->year / 100 },
	};
	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		c->write(c->ctx, f[i].reg, b & B_BIN ? (uint8_t)f[i].v : to_bcd(f[i].v));
	c->write(c->ctx, HOUR, h);
	c->write(c->ctx, STATUS_B, b & ~B_SET);
	return 0;
}
