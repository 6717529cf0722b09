/*
 * name.c: FAT names. A long name is UTF-16 in the LFN entries; the short
 * name is 8+3 upper-case bytes (bytes above 0x7F read as Latin-1). Long
 * names compare case-insensitively in ASCII only (a documented limit).
 */
#include "fat_int.h"

uint8_t fat_lfn_checksum(const uint8_t s[11])
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + s[i]);
	return sum;
}

int fat_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (!n || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (const char *p = name; *p; p++)
		if ((uint8_t)*p < 0x20 || strchr("\"*/:<>?\\|", *p))
			return 0;
	return 1;
}

static int short_char_ok(uint8_t c)
{
	return c > 0x20 && c < 0x7F && !strchr("\"*+,./:;<=>?[\\]|", c) && !(c >= 'a' && c <= 'z');
}

int fat_short_exact(const char *name, uint8_t out[11])
{
	const char *dot = strchr(name, '.');
	size_t base = dot ? (size_t)(dot - name) : strlen(name);
	size_t ext = dot ? strlen(dot + 1) : 0;

	if (!base || base > 8 || ext > 3 || (dot && (!ext || strchr(dot + 1, '.'))))
		return 0;
	memset(out, ' ', 11);
	for (size_t i = 0; i < base; i++) {
		if (!short_char_ok((uint8_t)name[i]))
			return 0;
		out[i] = (uint8_t)name[i];
	}
	for (size_t i = 0; i < ext; i++) {
		if (!short_char_ok((uint8_t)dot[1 + i]))
			return 0;
		out[8 + i] = (uint8_t)dot[1 + i];
	}
	if (out[0] == 0xE5)
		out[0] = 0x05;
	return 1;
}

/* Appends the legal upper-case form of s[0..n) to out (at most max). */
static size_t basis_part(const char *s, size_t n, uint8_t *out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < max; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c == ' ' || c == '.')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (uint8_t)(c - 'a' + 'A');
		if (c >= 0x80) {
			while (i + 1 < n && ((uint8_t)s[i + 1] & 0xC0) == 0x80)
				i++;	/* one '_' per UTF-8 sequence */
			c = '_';
		} else if (!short_char_ok(c)) {
			c = '_';
		}
		out[k++] = c;
	}
	return k;
}

void fat_short_tail(uint8_t out[11], int n)
{
	char tail[12];
	int base = 8, tl = 0;

	while (base > 0 && out[base - 1] == ' ')
		base--;
	tail[tl++] = '~';
	for (int d = 1000000; d; d /= 10)
		if (n >= d || (tl > 1))
			tail[tl++] = (char)('0' + n / d % 10);
	if (base + tl > 8)
		base = 8 - tl;
	memcpy(out + base, tail, (size_t)tl);
}

void fat_short_basis(const char *name, int n, uint8_t out[11])
{
	const char *dot = strrchr(name, '.');
	size_t len = strlen(name);

	if (dot == name)
		dot = NULL;	/* ".profile": all base */
	memset(out, ' ', 11);
	if (!basis_part(name, dot ? (size_t)(dot - name) : len, out, 8))
		out[0] = '_';
	if (dot)
		basis_part(dot + 1, strlen(dot + 1), out + 8, 3);
	if (n > 0)
		fat_short_tail(out, n);
}

/* Latin-1 byte to UTF-8. */
static size_t put_byte(char *out, size_t o, size_t max, uint8_t c)
{
	if (c < 0x80) {
		if (o + 1 < max)
			out[o++] = (char)c;
	} else if (o + 2 < max) {
		out[o++] = (char)(0xC0 | c >> 6);
		out[o++] = (char)(0x80 | (c & 0x3F));
	}
	return o;
}

void fat_short_display(const uint8_t *e, char *out, size_t max)
{
	size_t o = 0;
	int lower_base = e[12] & 0x08, lower_ext = e[12] & 0x10;
	int bl = 8, el = 3;

	while (bl > 0 && e[bl - 1] == ' ')
		bl--;
	while (el > 0 && e[8 + el - 1] == ' ')
		el--;
	for (int i = 0; i < bl; i++) {
		uint8_t c = i == 0 && e[0] == 0x05 ? 0xE5 : e[i];
		if (lower_base && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		o = put_byte(out, o, max, c);
	}
	if (el) {
		o = put_byte(out, o, max, '.');
		for (int i = 0; i < el; i++) {
			uint8_t c = e[8 + i];
			if (lower_ext && c >= 'A' && c <= 'Z')
				c = (uint8_t)(c - 'A' + 'a');
			o = put_byte(out, o, max, c);
		}
	}
	out[o] = 0;
}

int fat_name_equal(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}
