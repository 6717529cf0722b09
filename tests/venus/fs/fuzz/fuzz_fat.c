/* fuzz_fat.c: a mutated FAT image mounted read-write: boot sector, FAT
   chains, directories and long names, then writes. */
#include "fuzz_common.h"
#include "fat/fat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blkdev d;
	struct blkdev_mem m;
	struct fs fs;
	uint8_t *copy;

	if (size < 512 || size > (4u << 20))
		return 0;
	copy = malloc(size);
	memcpy(copy, data, size);
	blkdev_mem_init(&d, &m, copy, size - size % 512, 512);
	if (fat_mount(&fs, &d, 0, 32) == FS_OK) {
		fuzz_budget = 2000;
		fuzz_walk(&fs, fs.root, 0);
		fuzz_writes(&fs);
		fs.ops->unmount(&fs);
	}
	free(copy);
	return 0;
}
