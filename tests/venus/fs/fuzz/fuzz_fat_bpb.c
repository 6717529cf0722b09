/* fuzz_fat_bpb.c: the FAT boot sector parser alone, with any device size. */
#include <stdint.h>

#include "fat/fat_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fat_geom g;
	char why[160];

	if (size < 520)
		return 0;
	uint64_t dev = le64(data + 512);
	fat_parse_bpb(data, 512, dev, &g, why, sizeof why);
	return 0;
}
