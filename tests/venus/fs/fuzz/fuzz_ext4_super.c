/* fuzz_ext4_super.c: the ext4 superblock parser alone (checksum checked
   and skipped), with any device size. */
#include "ext4/ext4_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ext4_sb sb;
	char why[160];

	if (size < 1032)
		return 0;
	uint64_t dev = le64(data + 1024);
	ext4_parse_super(data, dev, data[1024] & 1 ? EXT4_MOUNT_NOCSUM : 0, &sb, why, sizeof why);
	return 0;
}
