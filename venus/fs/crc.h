/* crc.h: the two CRCs the on-disk formats use (crc.c). */
#ifndef VENUS_FS_CRC_H
#define VENUS_FS_CRC_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected 0xEDB88320) as GPT stores it: initial
   ~0 and final XOR included, so crc32(0, "123456789", 9) == 0xCBF43926
   and the running value may be passed back in. */
uint32_t crc32_ieee(uint32_t crc, const void *data, size_t n);
/* Raw CRC-32C (Castagnoli, reflected 0x82F63B78) with no initial or final
   inversion: ext4's crc32c_le(seed, data). */
uint32_t crc32c_raw(uint32_t seed, const void *data, size_t n);

#endif
