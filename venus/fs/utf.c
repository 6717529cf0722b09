/* utf.c: UTF-8 <-> UTF-16. */
#include "utf.h"

int utf8_to_utf16(const char *s, uint16_t *out, int max)
{
	const uint8_t *p = (const uint8_t *)s;
	int n = 0;

	while (*p) {
		uint32_t c;
		int more;
		if (*p < 0x80) { c = *p; more = 0; }
		else if ((*p & 0xE0) == 0xC0) { c = *p & 0x1F; more = 1; }
		else if ((*p & 0xF0) == 0xE0) { c = *p & 0x0F; more = 2; }
		else if ((*p & 0xF8) == 0xF0) { c = *p & 0x07; more = 3; }
		else return -1;
		p++;
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xC0) != 0x80)
				return -1;
			c = c << 6 | (*p & 0x3F);
		}
		if ((more == 1 && c < 0x80) || (more == 2 && c < 0x800) || (more == 3 && c < 0x10000) ||
		    c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
			return -1;	/* overlong, out of range or a surrogate */
		if (c >= 0x10000) {
			if (n + 2 > max)
				return -1;
			c -= 0x10000;
			out[n++] = (uint16_t)(0xD800 + (c >> 10));
			out[n++] = (uint16_t)(0xDC00 + (c & 0x3FF));
		} else {
			if (n + 1 > max)
				return -1;
			out[n++] = (uint16_t)c;
		}
	}
	return n;
}

int utf16_to_utf8(const uint16_t *in, int n, char *out, size_t outlen)
{
	size_t o = 0;

	for (int i = 0; i < n && in[i]; i++) {
		uint32_t c = in[i];
		uint8_t b[4];
		int len;
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && in[i + 1] >= 0xDC00 && in[i + 1] < 0xE000) {
			c = 0x10000 + ((c - 0xD800) << 10) + (in[i + 1] - 0xDC00u);
			i++;
		} else if (c >= 0xD800 && c < 0xE000) {
			c = 0xFFFD;
		}
		if (c < 0x80) { b[0] = (uint8_t)c; len = 1; }
		else if (c < 0x800) { b[0] = (uint8_t)(0xC0 | c >> 6); b[1] = (uint8_t)(0x80 | (c & 0x3F)); len = 2; }
		else if (c < 0x10000) { b[0] = (uint8_t)(0xE0 | c >> 12); b[1] = (uint8_t)(0x80 | (c >> 6 & 0x3F)); b[2] = (uint8_t)(0x80 | (c & 0x3F)); len = 3; }
		else { b[0] = (uint8_t)(0xF0 | c >> 18); b[1] = (uint8_t)(0x80 | (c >> 12 & 0x3F)); b[2] = (uint8_t)(0x80 | (c >> 6 & 0x3F)); b[3] = (uint8_t)(0x80 | (c & 0x3F)); len = 4; }
		if (o + (size_t)len >= outlen)
			return -1;
		for (int k = 0; k < len; k++)
			out[o++] = (char)b[k];
	}
	if (o >= outlen)
		return -1;
	out[o] = 0;
	return (int)o;
}
