/*
 * tcp_opt.c: TCP options (RFC 9293 3.2): MSS, window scale and
 * timestamps (RFC 7323), SACK-permitted and SACK blocks (RFC 2018), with
 * NOP and EOL; unknown kinds are skipped.  A length below 2 or past the header ends the parse as
 * malformed and the segment is dropped.
 */
#include "net_int.h"

bool tcp_parse_opts(const uint8_t *p, size_t len, struct tcp_opts *o)
{
	size_t i = 0;

	memset(o, 0, sizeof *o);
	while (i < len) {
		uint8_t kind = p[i], olen;

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || (olen = p[i + 1]) < 2 || i + olen > len)
			return false;
		switch (kind) {
		case 2:
			if (olen != 4)
				return false;
			o->has_mss = true;
			o->mss = get16(p + i + 2);
			break;
		case 3:
			if (olen != 3)
				return false;
			o->has_ws = true;
			o->ws = p[i + 2] > 14 ? 14 : p[i + 2]; /* RFC 7323 2.3 */
			break;
		case 4:
			if (olen != 2)
				return false;
			o->sack_ok = true;
			break;
		case 5:
			if (olen < 10 || (olen - 2) % 8 || olen > 34)
				return false;
			o->nsack = (olen - 2) / 8;
			for (int b = 0; b < o->nsack; b++) {
				o->sack[b][0] = get32(p + i + 2 + 8 * b);
				o->sack[b][1] = get32(p + i + 6 + 8 * b);
			}
			break;
		case 8:
			if (olen != 10)
				return false;
			o->has_ts = true;
			o->tsval = get32(p + i + 2);
			o->tsecr = get32(p + i + 6);
			break;
		}
		i += olen;
	}
	return true;
}
