/*
 * inode.c: inodes. An inode is read into a struct ext4_inode (its raw
 * bytes plus the decoded fields the driver uses) and checked against its
 * crc32c; writing puts the fields back, refreshes the checksum and
 * dirties the inode-table block (journalled at commit).
 */
#include "ext4_int.h"

static int locate(struct ext4 *e, uint32_t ino, uint64_t *block, uint32_t *off)
{
	struct ext4_group gr;
	uint32_t g, idx;
	uint64_t byte;

	if (ino < 1 || ino > e->sb.inodes_count)
		return ext4_fail(e, "ext4: inode number %u out of range 1..%u", ino, e->sb.inodes_count);
	g = (ino - 1) / e->sb.inodes_per_group;
	idx = (ino - 1) % e->sb.inodes_per_group;
	ext4_group_get(e, g, &gr);
	byte = (uint64_t)idx * e->sb.inode_size;
	*block = gr.inode_table + byte / e->sb.block_size;
	*off = (uint32_t)(byte % e->sb.block_size);
	return FS_OK;
}

/* Whether the inode has room for the high checksum half. */
static int has_csum_hi(const struct ext4 *e, const uint8_t *r)
{
	return e->sb.inode_size > 128 && le16(r + 0x80) >= 4;
}

uint32_t ext4_inode_seed(const struct ext4 *e, const struct ext4_inode *in)
{
	uint8_t le[4];
	uint32_t c;

	put_le32(le, in->ino);
	c = crc32c_raw(e->sb.csum_seed, le, 4);
	put_le32(le, in->generation);
	return crc32c_raw(c, le, 4);
}

static uint32_t inode_csum(const struct ext4 *e, const struct ext4_inode *in)
{
	uint8_t copy[1024];

	memcpy(copy, in->raw, e->sb.inode_size);
	put_le16(copy + 0x7C, 0);
	if (has_csum_hi(e, copy))
		put_le16(copy + 0x82, 0);
	return crc32c_raw(ext4_inode_seed(e, in), copy, e->sb.inode_size);
}

static void decode(struct ext4_inode *in)
{
	const uint8_t *r = in->raw;

	in->mode = le16(r + 0x00);
	in->size = le32(r + 0x04) | (uint64_t)le32(r + 0x6C) << 32;
	in->links = le16(r + 0x1A);
	in->flags = le32(r + 0x20);
	in->generation = le32(r + 0x64);
}

int ext4_inode_read(struct ext4 *e, uint32_t ino, struct ext4_inode *in)
{
	uint64_t block;
	uint32_t off;
	struct bbuf *b;
	int err;

	if ((err = locate(e, ino, &block, &off)) || (err = ext4_bread(e, block, &b)))
		return err;
	memcpy(in->raw, b->data + off, e->sb.inode_size);
	bcache_put(&e->cache, b);
	in->ino = ino;
	decode(in);
	if (e->sb.inode_size > 128 && 128u + le16(in->raw + 0x80) > e->sb.inode_size)
		return ext4_fail(e, "ext4: inode %u: extra size %u too large", ino, le16(in->raw + 0x80));
	if (e->sb.csum && !e->nocsum) {
		uint32_t want = inode_csum(e, in), got = le16(in->raw + 0x7C);
		if (has_csum_hi(e, in->raw))
			got |= (uint32_t)le16(in->raw + 0x82) << 16;
		else
			want &= 0xFFFF;
		if (want != got)
			return ext4_fail(e, "ext4: inode %u: checksum 0x%08x, stored 0x%08x", ino, want, got);
	}
	return FS_OK;
}

int ext4_inode_write(struct ext4 *e, struct ext4_inode *in)
{
	uint8_t *r = in->raw;
	uint64_t block;
	uint32_t off;
	struct bbuf *b;
	int err;

	put_le16(r + 0x00, (uint16_t)in->mode);
	put_le32(r + 0x04, (uint32_t)in->size);
	put_le32(r + 0x6C, (uint32_t)(in->size >> 32));
	put_le16(r + 0x1A, (uint16_t)in->links);
	put_le32(r + 0x20, in->flags);
	put_le32(r + 0x64, in->generation);
	if (e->sb.csum) {
		uint32_t c = inode_csum(e, in);
		put_le16(r + 0x7C, (uint16_t)c);
		if (has_csum_hi(e, r))
			put_le16(r + 0x82, (uint16_t)(c >> 16));
	}
	if ((err = locate(e, in->ino, &block, &off)) || (err = ext4_bread(e, block, &b)))
		return err;
	memcpy(b->data + off, r, e->sb.inode_size);
	ext4_bdirty(e, b);
	bcache_put(&e->cache, b);
	return FS_OK;
}

void ext4_inode_set_size(struct ext4_inode *in, uint64_t size)
{
	in->size = size;
}

/* i_blocks counts 512-byte sectors (without HUGE_FILE_FL). */
void ext4_inode_add_blocks(struct ext4 *e, struct ext4_inode *in, int64_t fs_blocks)
{
	uint8_t *r = in->raw;
	uint64_t v = le32(r + 0x1C) | (uint64_t)le16(r + 0x74) << 32;

	v += (uint64_t)(fs_blocks * (e->sb.block_size / 512));
	put_le32(r + 0x1C, (uint32_t)v);
	put_le16(r + 0x74, (uint16_t)(v >> 32));
}

void ext4_inode_set_links(struct ext4_inode *in, uint32_t n)
{
	in->links = n;
}

void ext4_inode_touch(struct ext4_inode *in, int m, int c)
{
	uint32_t now = (uint32_t)fs_now();

	if (m)
		put_le32(in->raw + 0x10, now);
	if (c)
		put_le32(in->raw + 0x0C, now);
}
