/* fuzz_part.c: MBR and GPT on a mutated disk image (CRCs checked when the
   first byte is even, skipped when odd, so mutations reach past them). */
#include <stdlib.h>
#include <string.h>

#include "part/part.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blkdev d;
	struct blkdev_mem m;
	static struct part_table t;
	uint8_t *copy;

	if (size < 512 || size > (1u << 20))
		return 0;
	copy = malloc(size);
	memcpy(copy, data, size);
	blkdev_mem_init(&d, &m, copy, size - size % 512, 512);
	part_read(&d, &t, data[0] & 1 ? PART_NO_CRC : 0);
	free(copy);
	return 0;
}
