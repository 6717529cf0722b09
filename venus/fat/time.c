/* time.c: DOS dates and times (local time with no zone; Ares treats them
   as UTC) to and from seconds since 1970. */
#include "fat_int.h"

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void fat_ent_stamp(uint8_t *e, int creation)
{
	int64_t t = fs_now();
	int y;
	unsigned m, d;

	if (t < 315532800)	/* before 1980: the format's epoch */
		t = 315532800;
	civil_from_days(t / 86400, &y, &m, &d);
	if (y > 2107)
		y = 2107;
	uint16_t date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
	unsigned s = (unsigned)(t % 86400);
	uint16_t time = (uint16_t)((s / 3600) << 11 | (s / 60 % 60) << 5 | (s % 60) / 2);
	put_le16(e + 22, time);
	put_le16(e + 24, date);
	put_le16(e + 18, date);
	if (creation) {
		e[13] = (uint8_t)((s % 2) * 100);
		put_le16(e + 14, time);
		put_le16(e + 16, date);
	}
}

int64_t fat_ent_mtime(const uint8_t *e)
{
	uint16_t time = le16(e + 22), date = le16(e + 24);
	unsigned m = date >> 5 & 15, d = date & 31;

	if (!m || m > 12 || !d)
		return 0;
	return days_from_civil(1980 + (date >> 9), m, d) * 86400 + (time >> 11) * 3600 +
	       (time >> 5 & 63) * 60 + (time & 31) * 2;
}
