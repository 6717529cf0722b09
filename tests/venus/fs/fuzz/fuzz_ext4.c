/*
 * fuzz_ext4.c: ext4 images mounted read-write with checksums skipped
 * (EXT4_MOUNT_NOCSUM), so mutations reach the superblock, group
 * descriptors, inodes, extent trees, htree nodes and directory entries;
 * then the tree is walked and written to. The input is either a whole
 * small image or, when it starts with "P", patches (offset[3], byte[1])
 * applied to the seed image named by VFS_FUZZ_BASE, which lets a 1 MiB
 * journalled image be fuzzed with short inputs.
 */
#include <stdio.h>

#include "fuzz_common.h"
#include "ext4/ext4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *base;
static size_t base_len;

static void load_base(void)
{
	const char *path = getenv("VFS_FUZZ_BASE");
	FILE *f;

	if (base || !path || !(f = fopen(path, "rb")))
		return;
	fseek(f, 0, SEEK_END);
	base_len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	base = malloc(base_len);
	if (fread(base, 1, base_len, f) != base_len)
		base_len = 0;
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blkdev d;
	struct blkdev_mem m;
	struct fs fs;
	uint8_t *img;
	size_t len;

	load_base();
	if (size >= 1 && data[0] == 'P' && base_len) {
		len = base_len;
		img = malloc(len);
		memcpy(img, base, len);
		for (size_t i = 1; i + 4 <= size; i += 4) {
			size_t off = ((size_t)data[i] << 16 | (size_t)data[i + 1] << 8 | data[i + 2]) % len;
			img[off] = data[i + 3];
		}
	} else {
		if (size < 2048 || size > (4u << 20))
			return 0;
		len = size - size % 1024;
		img = malloc(len);
		memcpy(img, data, len);
	}
	blkdev_mem_init(&d, &m, img, len, 512);
	if (ext4_mount(&fs, &d, EXT4_MOUNT_NOCSUM, 64) == FS_OK) {
		fuzz_budget = 2000;
		fuzz_walk(&fs, fs.root, 0);
		fuzz_writes(&fs);
		fs.ops->unmount(&fs);
	}
	free(img);
	return 0;
}
