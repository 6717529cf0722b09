/*
 * group.c: block groups. The descriptors are kept in memory (e->gdt) and
 * written through the cache to their home blocks when they change; every
 * allocation keeps the bitmap, its checksum, the descriptor's counts and
 * checksum, and the superblock's counts in step (what e2fsck's pass 5
 * checks). Bitmaps of groups still marked uninitialised are built here.
 */
#include "ext4_int.h"

#define BG_INODE_UNINIT 0x1
#define BG_BLOCK_UNINIT 0x2

static uint16_t crc16(uint16_t crc, const uint8_t *p, size_t n)
{
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
	}
	return crc;
}

static uint8_t *desc(const struct ext4 *e, uint32_t g)
{
	return e->gdt + (size_t)g * e->sb.desc_size;
}

static uint16_t desc_csum(const struct ext4 *e, uint32_t g)
{
	uint8_t *d = desc(e, g), le[4], copy[1024];

	put_le32(le, g);
	if (e->sb.csum) {
		memcpy(copy, d, e->sb.desc_size);
		put_le16(copy + 0x1E, 0);
		return (uint16_t)crc32c_raw(crc32c_raw(e->sb.csum_seed, le, 4), copy, e->sb.desc_size);
	}
	uint16_t c = crc16(0xFFFF, e->sb.raw + 0x68, 16);
	c = crc16(c, le, 4);
	c = crc16(c, d, 0x1E);
	if (e->sb.desc_size > 32)
		c = crc16(c, d + 0x20, e->sb.desc_size - 0x20);
	return c;
}

static uint64_t hi_lo(const uint8_t *d, int lo, int hi, const struct ext4 *e)
{
	return le32(d + lo) | (e->sb.desc_size >= 64 ? (uint64_t)le32(d + hi) << 32 : 0);
}

static uint32_t hi_lo16(const uint8_t *d, int lo, int hi, const struct ext4 *e)
{
	return le16(d + lo) | (e->sb.desc_size >= 64 ? (uint32_t)le16(d + hi) << 16 : 0);
}

void ext4_group_get(const struct ext4 *e, uint32_t g, struct ext4_group *o)
{
	const uint8_t *d = desc(e, g);

	o->block_bitmap = hi_lo(d, 0x0, 0x20, e);
	o->inode_bitmap = hi_lo(d, 0x4, 0x24, e);
	o->inode_table = hi_lo(d, 0x8, 0x28, e);
	o->free_blocks = hi_lo16(d, 0xC, 0x2C, e);
	o->free_inodes = hi_lo16(d, 0xE, 0x2E, e);
	o->used_dirs = hi_lo16(d, 0x10, 0x30, e);
	o->itable_unused = hi_lo16(d, 0x1C, 0x32, e);
	o->flags = le16(d + 0x12);
}

int ext4_block_ok(const struct ext4 *e, uint64_t b)
{
	return b > e->sb.first_data_block && b < e->sb.blocks_count;
}

static int check_group(struct ext4 *e, uint32_t g)
{
	struct ext4_group gr;
	uint64_t itable_blocks = ((uint64_t)e->sb.inodes_per_group * e->sb.inode_size + e->sb.block_size - 1) /
				 e->sb.block_size;
	uint16_t c;

	if ((e->sb.csum || e->sb.gdt_csum) && !e->nocsum && (c = desc_csum(e, g)) != le16(desc(e, g) + 0x1E))
		return ext4_fail(e, "ext4: group descriptor %u: checksum 0x%04x, stored 0x%04x", g, c,
				 le16(desc(e, g) + 0x1E));
	ext4_group_get(e, g, &gr);
	if (!ext4_block_ok(e, gr.block_bitmap) || !ext4_block_ok(e, gr.inode_bitmap) ||
	    !ext4_block_ok(e, gr.inode_table) || gr.inode_table + itable_blocks > e->sb.blocks_count)
		return ext4_fail(e, "ext4: group descriptor %u: bitmap or inode table outside the file system", g);
	if (gr.free_inodes > e->sb.inodes_per_group || gr.free_blocks > e->sb.blocks_per_group ||
	    gr.itable_unused > e->sb.inodes_per_group)
		return ext4_fail(e, "ext4: group descriptor %u: counts larger than the group", g);
	return FS_OK;
}

int ext4_load_groups(struct ext4 *e)
{
	uint32_t bs = e->sb.block_size;
	int err;

	e->gstale = calloc(e->sb.groups, 1);
	e->gdirty = malloc(sizeof *e->gdirty * e->sb.groups);
	if (!(e->gdt = malloc((size_t)e->sb.gdt_blocks * bs)) || !e->gstale || !e->gdirty)
		return FS_ENOMEM;
	for (uint32_t i = 0; i < e->sb.gdt_blocks; i++) {
		struct bbuf *b;
		if ((err = ext4_bread(e, e->sb.first_data_block + 1 + i, &b)))
			return err;
		memcpy(e->gdt + (size_t)i * bs, b->data, bs);
		bcache_put(&e->cache, b);
	}
	for (uint32_t g = 0; g < e->sb.groups; g++)
		if ((err = check_group(e, g)))
			return err;
	return FS_OK;
}

#define STALE_BLOCK_BITMAP 1
#define STALE_INODE_BITMAP 2
#define STALE_LISTED 4

/* Group g changed: its descriptor (and the bitmap checksums named in
   what) are brought up to date once, at commit (ext4_groups_flush),
   rather than at every allocation. */
static void mark_stale(struct ext4 *e, uint32_t g, uint8_t what)
{
	if (!(e->gstale[g] & STALE_LISTED))
		e->gdirty[e->ngdirty++] = g;
	e->gstale[g] |= (uint8_t)(what | STALE_LISTED);
}

static void set_hi_lo16(uint8_t *d, int lo, int hi, uint32_t v, const struct ext4 *e)
{
	put_le16(d + lo, (uint16_t)v);
	if (e->sb.desc_size >= 64)
		put_le16(d + hi, (uint16_t)(v >> 16));
}

/* Writes descriptor g (from e->gdt, checksum refreshed) into its block. */
static int group_store(struct ext4 *e, uint32_t g)
{
	uint64_t off = (uint64_t)g * e->sb.desc_size;
	struct bbuf *b;
	int err;

	if (e->sb.csum || e->sb.gdt_csum)
		put_le16(desc(e, g) + 0x1E, desc_csum(e, g));
	if ((err = ext4_bread(e, e->sb.first_data_block + 1 + off / e->sb.block_size, &b)))
		return err;
	memcpy(b->data + off % e->sb.block_size, desc(e, g), e->sb.desc_size);
	ext4_bdirty(e, b);
	bcache_put(&e->cache, b);
	return FS_OK;
}

void ext4_group_put(struct ext4 *e, uint32_t g, const struct ext4_group *in)
{
	uint8_t *d = desc(e, g);

	mark_stale(e, g, 0);

	set_hi_lo16(d, 0xC, 0x2C, in->free_blocks, e);
	set_hi_lo16(d, 0xE, 0x2E, in->free_inodes, e);
	set_hi_lo16(d, 0x10, 0x30, in->used_dirs, e);
	set_hi_lo16(d, 0x1C, 0x32, in->itable_unused, e);
	put_le16(d + 0x12, in->flags);
}

/* Superblock free counts, changed by delta. */
static void sb_free_blocks(struct ext4 *e, int64_t delta)
{
	uint8_t *r = e->sb.raw;
	uint64_t v = le32(r + 0x0C) | (uint64_t)le32(r + 0x158) << 32;

	v += (uint64_t)delta;
	put_le32(r + 0x0C, (uint32_t)v);
	if (e->sb.incompat & INCOMPAT_64BIT)
		put_le32(r + 0x158, (uint32_t)(v >> 32));
}

static void sb_free_inodes(struct ext4 *e, int32_t delta)
{
	put_le32(e->sb.raw + 0x10, le32(e->sb.raw + 0x10) + (uint32_t)delta);
}

static void bitmap_csum(struct ext4 *e, uint32_t g, const uint8_t *bm, int inode)
{
	uint8_t *d = desc(e, g);
	uint32_t n = inode ? e->sb.inodes_per_group / 8 : e->sb.blocks_per_group / 8;
	uint32_t c;

	if (!e->sb.csum)
		return;
	c = crc32c_raw(e->sb.csum_seed, bm, n);
	put_le16(d + (inode ? 0x1A : 0x18), (uint16_t)c);
	if (e->sb.desc_size >= 64)
		put_le16(d + (inode ? 0x3A : 0x38), (uint16_t)(c >> 16));
}

static int has_super_backup(const struct ext4 *e, uint32_t g)
{
	if (g <= 1 || !(e->sb.ro_compat & RO_SPARSE_SUPER))
		return 1;
	for (uint32_t p = 3; p <= 7; p += 2) {
		uint64_t x = p;
		while (x < g)
			x *= p;
		if (x == g)
			return 1;
	}
	return 0;
}

static void mark(uint8_t *bm, uint64_t bit) { bm[bit / 8] |= (uint8_t)(1u << (bit % 8)); }

/* Builds the bitmap of a BLOCK_UNINIT group: its superblock backup and
   descriptors, any group's metadata inside it, and the blocks past the
   end of the file system. */
static void init_block_bitmap(struct ext4 *e, uint32_t g, uint8_t *bm)
{
	uint64_t start = e->sb.first_data_block + (uint64_t)g * e->sb.blocks_per_group;
	uint64_t itable = ((uint64_t)e->sb.inodes_per_group * e->sb.inode_size + e->sb.block_size - 1) / e->sb.block_size;
	uint32_t bpg = e->sb.blocks_per_group;

	memset(bm, 0, e->sb.block_size);
	if (has_super_backup(e, g)) {
		uint32_t n = 1 + e->sb.gdt_blocks + le16(e->sb.raw + 0xCE);
		for (uint32_t i = 0; i < n && i < bpg; i++)
			mark(bm, i);
	}
	for (uint32_t o = 0; o < e->sb.groups; o++) {
		struct ext4_group gr;
		ext4_group_get(e, o, &gr);
		uint64_t m[3] = {gr.block_bitmap, gr.inode_bitmap, gr.inode_table};
		for (int k = 0; k < 3; k++)
			for (uint64_t b = m[k]; b < m[k] + (k == 2 ? itable : 1); b++)
				if (b >= start && b < start + bpg)
					mark(bm, b - start);
	}
	for (uint64_t b = e->sb.blocks_count; b < start + bpg; b++)
		mark(bm, b - start);
	for (uint32_t i = bpg; i < e->sb.block_size * 8; i++)
		mark(bm, i);	/* bits past the group are set, as mkfs does */
}

/* Pins group g's bitmap, built first if the group is uninitialised. */
static int get_bitmap(struct ext4 *e, uint32_t g, int inode, struct bbuf **out)
{
	struct ext4_group gr;
	int err;

	ext4_group_get(e, g, &gr);
	if ((err = ext4_bread(e, inode ? gr.inode_bitmap : gr.block_bitmap, out)))
		return err;
	if (inode && (gr.flags & BG_INODE_UNINIT)) {
		memset((*out)->data, 0, e->sb.block_size);
		for (uint32_t i = e->sb.inodes_per_group; i < e->sb.block_size * 8; i++)
			mark((*out)->data, i);
		gr.flags &= (uint16_t)~BG_INODE_UNINIT;
	} else if (!inode && (gr.flags & BG_BLOCK_UNINIT)) {
		init_block_bitmap(e, g, (*out)->data);
		gr.flags &= (uint16_t)~BG_BLOCK_UNINIT;
	} else {
		return FS_OK;
	}
	ext4_group_put(e, g, &gr);
	ext4_bdirty(e, *out);
	return FS_OK;
}

static int find_zero(const uint8_t *bm, uint32_t from, uint32_t n)
{
	for (uint32_t i = from; i < n; i++) {
		if (i % 8 == 0 && bm[i / 8] == 0xFF && i + 8 <= n) {
			i += 7;	/* a full byte */
			continue;
		}
		if (!(bm[i / 8] & (1u << (i % 8))))
			return (int)i;
	}
	return -1;
}

int ext4_alloc_block(struct ext4 *e, uint64_t goal, uint64_t *out)
{
	uint32_t bpg = e->sb.blocks_per_group, g0 = 0, start = 0;

	if (goal > e->sb.first_data_block && goal < e->sb.blocks_count) {
		g0 = (uint32_t)((goal - e->sb.first_data_block) / bpg);
		start = (uint32_t)((goal - e->sb.first_data_block) % bpg);
	}
	/* The goal's group from the goal on, the others, then the goal's
	   group again from its start. */
	for (uint32_t k = 0; k <= e->sb.groups; k++) {
		uint32_t g = (g0 + k) % e->sb.groups, from = k == 0 ? start : 0;
		struct ext4_group gr;
		struct bbuf *b;
		int err, bit;
		ext4_group_get(e, g, &gr);
		if (!gr.free_blocks)
			continue;
		if ((err = get_bitmap(e, g, 0, &b)))
			return err;
		bit = find_zero(b->data, from, bpg);
		uint64_t blk = e->sb.first_data_block + (uint64_t)g * bpg + (uint64_t)(bit < 0 ? 0 : bit);
		if (bit < 0 && from) {
			bcache_put(&e->cache, b);
			continue;
		}
		if (bit < 0 || !ext4_block_ok(e, blk)) {
			bcache_put(&e->cache, b);
			return ext4_fail(e, "ext4: group %u: descriptor says %u free blocks, bitmap has none",
					 g, gr.free_blocks);
		}
		mark(b->data, (uint32_t)bit);
		mark_stale(e, g, STALE_BLOCK_BITMAP);
		ext4_bdirty(e, b);
		bcache_put(&e->cache, b);
		ext4_group_get(e, g, &gr);
		gr.free_blocks--;
		ext4_group_put(e, g, &gr);
		sb_free_blocks(e, -1);
		*out = blk;
		return FS_OK;
	}
	return FS_ENOSPC;
}

int ext4_free_blocks(struct ext4 *e, uint64_t first, uint32_t count)
{
	for (uint64_t blk = first; blk < first + count; blk++) {
		if (!ext4_block_ok(e, blk))
			return ext4_fail(e, "ext4: freeing block %llu outside the file system", (unsigned long long)blk);
		uint32_t g = (uint32_t)((blk - e->sb.first_data_block) / e->sb.blocks_per_group);
		uint32_t bit = (uint32_t)((blk - e->sb.first_data_block) % e->sb.blocks_per_group);
		struct ext4_group gr;
		struct bbuf *b;
		int err = get_bitmap(e, g, 0, &b);
		if (err)
			return err;
		if (!(b->data[bit / 8] & (1u << (bit % 8)))) {
			bcache_put(&e->cache, b);
			return ext4_fail(e, "ext4: block %llu freed twice", (unsigned long long)blk);
		}
		b->data[bit / 8] &= (uint8_t)~(1u << (bit % 8));
		mark_stale(e, g, STALE_BLOCK_BITMAP);
		ext4_bdirty(e, b);
		bcache_put(&e->cache, b);
		ext4_group_get(e, g, &gr);
		gr.free_blocks++;
		ext4_group_put(e, g, &gr);
		sb_free_blocks(e, 1);
	}
	return FS_OK;
}

int ext4_alloc_inode(struct ext4 *e, uint32_t parent_group, int dir, uint32_t *out)
{
	uint32_t ipg = e->sb.inodes_per_group;

	for (uint32_t k = 0; k < e->sb.groups; k++) {
		uint32_t g = (parent_group + k) % e->sb.groups;
		struct ext4_group gr;
		struct bbuf *b;
		int err, bit;
		ext4_group_get(e, g, &gr);
		if (!gr.free_inodes)
			continue;
		if ((err = get_bitmap(e, g, 1, &b)))
			return err;
		bit = find_zero(b->data, g == 0 ? e->sb.first_ino - 1 : 0, ipg);
		if (bit < 0) {
			bcache_put(&e->cache, b);
			continue;
		}
		mark(b->data, (uint32_t)bit);
		mark_stale(e, g, STALE_INODE_BITMAP);
		ext4_bdirty(e, b);
		bcache_put(&e->cache, b);
		ext4_group_get(e, g, &gr);
		gr.free_inodes--;
		if (dir)
			gr.used_dirs++;
		if ((uint32_t)bit >= ipg - gr.itable_unused)
			gr.itable_unused = ipg - (uint32_t)bit - 1;
		ext4_group_put(e, g, &gr);
		sb_free_inodes(e, -1);
		*out = g * ipg + (uint32_t)bit + 1;
		return FS_OK;
	}
	return FS_ENOSPC;
}

int ext4_free_inode(struct ext4 *e, uint32_t ino, int dir)
{
	uint32_t g = (ino - 1) / e->sb.inodes_per_group, bit = (ino - 1) % e->sb.inodes_per_group;
	struct ext4_group gr;
	struct bbuf *b;
	int err = get_bitmap(e, g, 1, &b);

	if (err)
		return err;
	b->data[bit / 8] &= (uint8_t)~(1u << (bit % 8));
	mark_stale(e, g, STALE_INODE_BITMAP);
	ext4_bdirty(e, b);
	bcache_put(&e->cache, b);
	ext4_group_get(e, g, &gr);
	gr.free_inodes++;
	if (dir && gr.used_dirs)
		gr.used_dirs--;
	ext4_group_put(e, g, &gr);
	sb_free_inodes(e, 1);
	return FS_OK;
}

/* The superblock (counts and checksum) into its block. */
int ext4_write_groups(struct ext4 *e)
{
	uint32_t bs = e->sb.block_size;
	struct bbuf *b;
	int err;

	ext4_super_csum_set(&e->sb);
	if ((err = ext4_bread(e, bs == 1024 ? 1 : 0, &b)))
		return err;
	memcpy(b->data + (bs == 1024 ? 0 : 1024), e->sb.raw, 1024);
	ext4_bdirty(e, b);
	bcache_put(&e->cache, b);
	return FS_OK;
}

static int refresh_bitmap_csum(struct ext4 *e, uint32_t g, int inode)
{
	struct ext4_group gr;
	struct bbuf *b;
	int err;

	ext4_group_get(e, g, &gr);
	if ((err = ext4_bread(e, inode ? gr.inode_bitmap : gr.block_bitmap, &b)))
		return err;
	bitmap_csum(e, g, b->data, inode);
	bcache_put(&e->cache, b);
	return FS_OK;
}

int ext4_groups_flush(struct ext4 *e)
{
	int err;

	for (uint32_t i = 0; i < e->ngdirty; i++) {
		uint32_t g = e->gdirty[i];
		if ((e->gstale[g] & STALE_BLOCK_BITMAP) && (err = refresh_bitmap_csum(e, g, 0)))
			return err;
		if ((e->gstale[g] & STALE_INODE_BITMAP) && (err = refresh_bitmap_csum(e, g, 1)))
			return err;
		if ((err = group_store(e, g)))
			return err;
		e->gstale[g] = 0;
	}
	e->ngdirty = 0;
	return FS_OK;
}
