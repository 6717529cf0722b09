/* crc.c: table-driven CRC-32 and CRC-32C; the tables are built on first
   use (each is 1 KiB, the same on every run). */
#include "crc.h"

static uint32_t ieee_table[256], castagnoli_table[256];
static int ieee_ready, castagnoli_ready;

static void make_table(uint32_t *t, uint32_t poly)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? poly ^ (c >> 1) : c >> 1;
		t[i] = c;
	}
}

static uint32_t crc_run(const uint32_t *t, uint32_t crc, const uint8_t *p, size_t n)
{
	while (n--)
		crc = t[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

uint32_t crc32_ieee(uint32_t crc, const void *data, size_t n)
{
	if (!ieee_ready) {
		make_table(ieee_table, 0xEDB88320u);
		ieee_ready = 1;
	}
	return ~crc_run(ieee_table, ~crc, data, n);
}

uint32_t crc32c_raw(uint32_t seed, const void *data, size_t n)
{
	if (!castagnoli_ready) {
		make_table(castagnoli_table, 0x82F63B78u);
		castagnoli_ready = 1;
	}
	return crc_run(castagnoli_table, seed, data, n);
}
