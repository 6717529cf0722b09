/*
 * super.c: the ext4 superblock. Every field that sizes or places
 * something is checked against the others and the device before use;
 * feature bits follow the format's rule (an unknown incompat bit: refuse;
 * an unknown ro_compat bit: read-only).
 */
#include "ext4_int.h"

static int bad(char *why, size_t n, int err, const char *fmt, ...) __attribute__((format(__printf__, 4, 5)));
static int bad(char *why, size_t n, int err, const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(why, n, "ext4: superblock: ");

	va_start(ap, fmt);
	if (k > 0 && (size_t)k < n)
		vsnprintf(why + k, n - (size_t)k, fmt, ap);
	va_end(ap);
	return err;
}

static int check_features(struct ext4_sb *sb, char *why, size_t n)
{
	uint32_t unknown = sb->incompat & ~INCOMPAT_READ;

	if (unknown)
		return bad(why, n, FS_ENOSYS, "unsupported incompatible features 0x%x", unknown);
	if (!(sb->incompat & INCOMPAT_FILETYPE))
		return bad(why, n, FS_ENOSYS, "no filetype feature (ext2-style directories)");
	if ((sb->ro_compat & ~RO_WRITE) || (sb->incompat & INCOMPAT_RECOVER))
		sb->force_rdonly = 1;	/* read what we can, write nothing */
	sb->csum = !!(sb->ro_compat & RO_METADATA_CSUM);
	sb->gdt_csum = !sb->csum && (sb->ro_compat & RO_GDT_CSUM);
	return FS_OK;
}

static int check_geometry(struct ext4_sb *sb, const uint8_t *r, uint64_t dev_bytes, char *why, size_t n)
{
	uint64_t groups;

	if (sb->log_block_size > 6)
		return bad(why, n, FS_ECORRUPT, "block size 2^(10+%u) too large", sb->log_block_size);
	if (sb->log_block_size == 6)
		return bad(why, n, FS_ENOSYS, "64 KiB blocks (their rec_len encoding) are not supported");
	sb->block_size = 1024u << sb->log_block_size;
	if (sb->first_data_block != (sb->block_size == 1024 ? 1u : 0u))
		return bad(why, n, FS_ECORRUPT, "first data block %u wrong for %u-byte blocks",
			   sb->first_data_block, sb->block_size);
	if (le32(r + 0x1C) != sb->log_block_size)
		return bad(why, n, FS_ENOSYS, "bigalloc clusters are not supported");
	if (!sb->blocks_per_group || sb->blocks_per_group > sb->block_size * 8)
		return bad(why, n, FS_ECORRUPT, "%u blocks per group", sb->blocks_per_group);
	if (!sb->inodes_per_group || sb->inodes_per_group > sb->block_size * 8)
		return bad(why, n, FS_ECORRUPT, "%u inodes per group", sb->inodes_per_group);
	if (sb->blocks_count <= sb->first_data_block || sb->blocks_count > dev_bytes / sb->block_size)
		return bad(why, n, FS_ECORRUPT, "%llu blocks of %u bytes do not fit the device (%llu bytes)",
			   (unsigned long long)sb->blocks_count, sb->block_size, (unsigned long long)dev_bytes);
	groups = (sb->blocks_count - sb->first_data_block + sb->blocks_per_group - 1) / sb->blocks_per_group;
	if (groups > (1u << 24) || groups * sb->inodes_per_group != sb->inodes_count)
		return bad(why, n, FS_ECORRUPT, "%llu groups of %u inodes is not the inode count %u",
			   (unsigned long long)groups, sb->inodes_per_group, sb->inodes_count);
	sb->groups = (uint32_t)groups;
	if (sb->inode_size < 128 || sb->inode_size > sb->block_size || sb->inode_size > 1024 ||
	    (sb->inode_size & (sb->inode_size - 1)))
		return bad(why, n, FS_ECORRUPT, "inode size %u", sb->inode_size);
	if (sb->incompat & INCOMPAT_64BIT) {
		if (sb->desc_size < 64 || sb->desc_size > 1024 || (sb->desc_size & (sb->desc_size - 1)))
			return bad(why, n, FS_ECORRUPT, "group descriptor size %u", sb->desc_size);
	} else {
		sb->desc_size = 32;
	}
	sb->gdt_blocks = (uint32_t)(((uint64_t)sb->groups * sb->desc_size + sb->block_size - 1) / sb->block_size);
	if (sb->first_data_block + 1 + (uint64_t)sb->gdt_blocks > sb->blocks_count)
		return bad(why, n, FS_ECORRUPT, "group descriptors (%u blocks) run past the end", sb->gdt_blocks);
	if (sb->first_ino < 11 || sb->first_ino >= sb->inodes_count)
		return bad(why, n, FS_ECORRUPT, "first inode %u", sb->first_ino);
	return FS_OK;
}

int ext4_parse_super(const uint8_t *r, uint64_t dev_bytes, unsigned flags, struct ext4_sb *sb,
		     char *why, size_t n)
{
	int err;

	memset(sb, 0, sizeof *sb);
	memcpy(sb->raw, r, 1024);
	if (le16(r + 0x38) != 0xEF53)
		return bad(why, n, FS_ECORRUPT, "magic 0x%04x is not 0xEF53", le16(r + 0x38));
	if (le32(r + 0x4C) < 1)
		return bad(why, n, FS_ENOSYS, "revision 0 (no dynamic inode sizes)");
	sb->inodes_count = le32(r + 0x00);
	sb->blocks_count = le32(r + 0x04);
	sb->first_data_block = le32(r + 0x14);
	sb->log_block_size = le32(r + 0x18);
	sb->blocks_per_group = le32(r + 0x20);
	sb->inodes_per_group = le32(r + 0x28);
	sb->first_ino = le32(r + 0x54);
	sb->inode_size = le16(r + 0x58);
	sb->compat = le32(r + 0x5C);
	sb->incompat = le32(r + 0x60);
	sb->ro_compat = le32(r + 0x64);
	sb->desc_size = le16(r + 0xFE);
	if (sb->incompat & INCOMPAT_64BIT)
		sb->blocks_count |= (uint64_t)le32(r + 0x150) << 32;
	if ((err = check_features(sb, why, n)) || (err = check_geometry(sb, r, dev_bytes, why, n)))
		return err;
	if (sb->csum) {
		if (r[0x175] != 1)
			return bad(why, n, FS_ECORRUPT, "checksum type %u is not crc32c", r[0x175]);
		uint32_t c = crc32c_raw(~0u, r, 0x3FC);
		if (c != le32(r + 0x3FC) && !(flags & EXT4_MOUNT_NOCSUM))
			return bad(why, n, FS_ECORRUPT, "checksum 0x%08x, stored 0x%08x", c, le32(r + 0x3FC));
		sb->csum_seed = sb->incompat & INCOMPAT_CSUM_SEED ? le32(r + 0x270) : crc32c_raw(~0u, r + 0x68, 16);
	}
	return FS_OK;
}

void ext4_super_csum_set(struct ext4_sb *sb)
{
	if (sb->csum)
		put_le32(sb->raw + 0x3FC, crc32c_raw(~0u, sb->raw, 0x3FC));
}
