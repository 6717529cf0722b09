/* crc.c: CRC-32 and CRC-32C, slicing by eight (eight 1 KiB tables, built
   on first use, the same on every run). */
#include "crc.h"

static uint32_t ieee[8][256], castagnoli[8][256];
static int ieee_ready, castagnoli_ready;

static void make_tables(uint32_t t[8][256], uint32_t poly)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? poly ^ (c >> 1) : c >> 1;
		t[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++)
			t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
}

static uint32_t crc_run(uint32_t t[8][256], uint32_t crc, const uint8_t *p, size_t n)
{
	while (n >= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		crc = t[7][lo & 0xff] ^ t[6][lo >> 8 & 0xff] ^ t[5][lo >> 16 & 0xff] ^ t[4][lo >> 24] ^
		      t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
		p += 8;
		n -= 8;
	}
	while (n--)
		crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

uint32_t crc32_ieee(uint32_t crc, const void *data, size_t n)
{
	if (!ieee_ready) {
		make_tables(ieee, 0xEDB88320u);
		ieee_ready = 1;
	}
	return ~crc_run(ieee, ~crc, data, n);
}

uint32_t crc32c_raw(uint32_t seed, const void *data, size_t n)
{
	if (!castagnoli_ready) {
		make_tables(castagnoli, 0x82F63B78u);
		castagnoli_ready = 1;
	}
	return crc_run(castagnoli, seed, data, n);
}
