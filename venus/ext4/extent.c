/*
 * extent.c: the extent tree. The root lives in the inode's i_block (four
 * entries); deeper nodes are blocks with a crc32c tail. Every node is
 * checked when it is entered: magic, entries <= max, max right for its
 * container, depth exactly one less than its parent's (so a loop cannot
 * recur), sorted keys and in-range block numbers.
 *
 * Growing inserts extents (or lengthens the last one when the new block
 * follows it on disk), splitting full nodes and adding a level when the
 * root is full. Shrinking frees extents from a logical block on and any
 * node left empty.
 */
#include "ext4_int.h"

#define EXT_MAGIC 0xF30A
#define EXT_MAX_DEPTH 5
#define EXT_INIT_MAX_LEN 32768u

struct level {
	struct bbuf *b;		/* NULL: the root in the inode */
	uint8_t *node;		/* header, then 12-byte entries */
	int idx;		/* entry chosen at this level (-1: before the first) */
};

static uint16_t h_entries(const uint8_t *n) { return le16(n + 2); }
static uint16_t h_max(const uint8_t *n) { return le16(n + 4); }
static uint16_t h_depth(const uint8_t *n) { return le16(n + 6); }
static uint8_t *ent(uint8_t *n, int i) { return n + 12 + 12 * i; }
static uint64_t idx_leaf(const uint8_t *x) { return le32(x + 4) | (uint64_t)le16(x + 8) << 32; }
static uint64_t ext_start(const uint8_t *x) { return le32(x + 8) | (uint64_t)le16(x + 6) << 32; }
static uint32_t ext_len(const uint8_t *x)
{
	uint32_t l = le16(x + 4);
	return l > EXT_INIT_MAX_LEN ? l - EXT_INIT_MAX_LEN : l;
}
static int ext_unwritten(const uint8_t *x) { return le16(x + 4) > EXT_INIT_MAX_LEN; }

static uint32_t block_max(const struct ext4 *e) { return (e->sb.block_size - 12) / 12; }

static uint32_t node_csum(struct ext4 *e, struct ext4_inode *in, const uint8_t *n)
{
	return crc32c_raw(ext4_inode_seed(e, in), n, 12 + 12 * (size_t)h_max(n));
}

void ext4_extent_init(struct ext4_inode *in)
{
	uint8_t *n = in->raw + 0x28;

	memset(n, 0, 60);
	put_le16(n, EXT_MAGIC);
	put_le16(n + 4, 4);
	in->flags |= EXT4_EXTENTS_FL;
}

/* Checks a node's header and entries; depth is what it must have. */
static int check_node(struct ext4 *e, struct ext4_inode *in, uint8_t *n, struct bbuf *b, int depth)
{
	uint32_t max = b ? block_max(e) : 4;
	uint16_t cnt = h_entries(n);

	if (le16(n) != EXT_MAGIC)
		return ext4_fail(e, "ext4: inode %u: extent node %s: bad magic 0x%04x", in->ino,
				 b ? "block" : "root", le16(n));
	if (h_max(n) != max || cnt > h_max(n) || h_depth(n) != depth || depth > EXT_MAX_DEPTH)
		return ext4_fail(e, "ext4: inode %u: extent node (entries %u, max %u, depth %u, want depth %d)",
				 in->ino, cnt, h_max(n), h_depth(n), depth);
	if (b && b->checked != 1 && e->sb.csum && !e->nocsum && node_csum(e, in, n) != le32(n + 12 + 12 * max))
		return ext4_fail(e, "ext4: inode %u: extent block %llu: checksum mismatch", in->ino,
				 (unsigned long long)b->block);
	for (int i = 0; i < cnt; i++) {
		uint8_t *x = ent(n, i);
		if (i && le32(x) <= le32(ent(n, i - 1)))
			return ext4_fail(e, "ext4: inode %u: extent keys out of order", in->ino);
		if (depth && !ext4_block_ok(e, idx_leaf(x)))
			return ext4_fail(e, "ext4: inode %u: extent index points to block %llu", in->ino,
					 (unsigned long long)idx_leaf(x));
		if (!depth) {
			uint64_t s = ext_start(x);
			uint32_t l = ext_len(x);
			if (!l || !ext4_block_ok(e, s) || s + l > e->sb.blocks_count ||
			    (i && le32(ent(n, i - 1)) + ext_len(ent(n, i - 1)) > le32(x)) ||
			    (uint64_t)le32(x) + l > 0x100000000ull)
				return ext4_fail(e, "ext4: inode %u: extent %d (block %u, %u at %llu) is invalid",
						 in->ino, i, le32(x), l, (unsigned long long)s);
		}
	}
	if (b)
		b->checked = 1;	/* as an extent node; our changes keep its checksum right */
	return FS_OK;
}

/* The last entry whose key is <= lblk, or -1. */
static int search(uint8_t *n, uint32_t lblk)
{
	int i = -1;

	while (i + 1 < h_entries(n) && le32(ent(n, i + 1)) <= lblk)
		i++;
	return i;
}

static void release(struct ext4 *e, struct level *p, int levels)
{
	for (int i = 0; i < levels; i++)
		if (p[i].b)
			bcache_put(&e->cache, p[i].b);
}

/* Walks from the root to the leaf that holds (or would hold) lblk, pinning
   the blocks on the way; *levels gets the path length. */
static int find_path(struct ext4 *e, struct ext4_inode *in, uint32_t lblk, struct level *p, int *levels)
{
	uint8_t *n = in->raw + 0x28;
	int depth = h_depth(n), err, k = 0;

	*levels = 0;
	if (!(in->flags & EXT4_EXTENTS_FL))
		return ext4_fail(e, "ext4: inode %u uses block maps (not supported)", in->ino);
	if (depth > EXT_MAX_DEPTH)
		return ext4_fail(e, "ext4: inode %u: extent tree depth %d", in->ino, depth);
	if ((err = check_node(e, in, n, NULL, depth)))
		return err;
	p[0].b = NULL;
	p[0].node = n;
	for (;;) {
		p[k].idx = search(p[k].node, lblk);
		*levels = k + 1;
		if (!depth)
			return FS_OK;
		int i = p[k].idx < 0 ? 0 : p[k].idx;
		if (!h_entries(p[k].node))
			return ext4_fail(e, "ext4: inode %u: empty extent index", in->ino);
		struct bbuf *b;
		if ((err = ext4_bread(e, idx_leaf(ent(p[k].node, i)), &b)))
			return err;
		k++;
		depth--;
		p[k].b = b;
		p[k].node = b->data;
		p[k].idx = -1;
		*levels = k + 1;
		if ((err = check_node(e, in, b->data, b, depth)))
			return err;
	}
}

int ext4_map(struct ext4 *e, struct ext4_inode *in, uint32_t lblk, uint64_t *pblk, uint32_t *run)
{
	struct level p[EXT_MAX_DEPTH + 1];
	int levels, err = find_path(e, in, lblk, p, &levels);

	*pblk = 0;
	*run = 1;
	if (!err) {
		struct level *l = &p[levels - 1];
		if (l->idx >= 0) {
			uint8_t *x = ent(l->node, l->idx);
			uint32_t first = le32(x), len = ext_len(x);
			if (lblk < first + len) {
				*pblk = ext_unwritten(x) ? 0 : ext_start(x) + (lblk - first);
				*run = first + len - lblk;
			}
		}
		if (!*pblk && l->idx + 1 < h_entries(l->node))
			*run = le32(ent(l->node, l->idx + 1)) - lblk;
	}
	release(e, p, levels);
	return err;
}

/* After changing a block node: its checksum, and journal it. */
static void node_dirty(struct ext4 *e, struct ext4_inode *in, struct level *l)
{
	if (!l->b)
		return;	/* the root: written with the inode */
	if (e->sb.csum)
		put_le32(l->node + 12 + 12 * h_max(l->node), node_csum(e, in, l->node));
	ext4_bdirty(e, l->b);
	l->b->checked = 1;	/* we just set its checksum */
}

/* A fresh empty node block of the given depth. */
static int new_node(struct ext4 *e, struct ext4_inode *in, uint64_t goal, int depth, struct bbuf **out,
		    uint64_t *blk)
{
	int err = ext4_alloc_block(e, goal, blk);

	if (err)
		return err;
	if ((err = bcache_get(&e->cache, *blk, 1, out)))
		return err;
	memset((*out)->data, 0, e->sb.block_size);
	put_le16((*out)->data, EXT_MAGIC);
	put_le16((*out)->data + 4, (uint16_t)block_max(e));
	put_le16((*out)->data + 6, (uint16_t)depth);
	put_le32((*out)->data + 8, 0);
	ext4_inode_add_blocks(e, in, 1);
	return FS_OK;
}

static void put_index(uint8_t *x, uint32_t key, uint64_t leaf)
{
	put_le32(x, key);
	put_le32(x + 4, (uint32_t)leaf);
	put_le16(x + 8, (uint16_t)(leaf >> 32));
	put_le16(x + 10, 0);
}

/* Inserts entry x (12 bytes) at position pos of a node with room. */
static void node_insert(uint8_t *n, int pos, const uint8_t *x)
{
	int cnt = h_entries(n);

	memmove(ent(n, pos + 1), ent(n, pos), 12 * (size_t)(cnt - pos));
	memcpy(ent(n, pos), x, 12);
	put_le16(n + 2, (uint16_t)(cnt + 1));
}

/* Moves the full root into a new block, one level down. */
static int grow_root(struct ext4 *e, struct ext4_inode *in, struct level *p, int *levels)
{
	uint8_t *root = in->raw + 0x28;
	struct bbuf *b;
	uint64_t blk;
	int depth = h_depth(root), err;

	if (depth >= EXT_MAX_DEPTH)
		return FS_EFBIG;
	if ((err = new_node(e, in, e->sb.first_data_block + 1, depth, &b, &blk)))
		return err;
	memcpy(ent(b->data, 0), ent(root, 0), 12 * (size_t)h_entries(root));
	put_le16(b->data + 2, h_entries(root));
	put_le16(root + 2, 1);
	put_le16(root + 6, (uint16_t)(depth + 1));
	put_index(ent(root, 0), h_entries(b->data) ? le32(ent(b->data, 0)) : 0, blk);
	memmove(p + 1, p, sizeof *p * (size_t)*levels);
	(*levels)++;
	p[0].b = NULL;
	p[0].node = root;
	p[0].idx = 0;
	p[1].b = b;
	p[1].node = b->data;
	struct level l1 = p[1];
	node_dirty(e, in, &l1);
	return FS_OK;
}

/* Inserts x into level k of the path (splitting or growing as needed). */
static int insert_at(struct ext4 *e, struct ext4_inode *in, struct level *p, int *levels, int k, const uint8_t *x)
{
	struct level *l = &p[k];
	int pos = l->idx + 1, err;

	if (h_entries(l->node) < h_max(l->node)) {
		node_insert(l->node, pos, x);
		node_dirty(e, in, l);
		/* A new first key lowers the keys above it. */
		for (int j = k; j > 0 && pos == 0; j--) {
			pos = p[j - 1].idx < 0 ? 0 : p[j - 1].idx;
			put_le32(ent(p[j - 1].node, pos), le32(x));
			node_dirty(e, in, &p[j - 1]);
		}
		return FS_OK;
	}
	if (k == 0) {
		if ((err = grow_root(e, in, p, levels)))
			return err;
		return insert_at(e, in, p, levels, 1, x);
	}
	/* Split: the new right sibling takes the entries after pos (none
	   when appending, so sequential files fill their leaves). */
	struct bbuf *b;
	uint64_t blk;
	int cnt = h_entries(l->node), move = cnt - pos;
	if ((err = new_node(e, in, l->b->block, h_depth(l->node), &b, &blk)))
		return err;
	uint8_t idx[12];
	if (move > 0) {
		memcpy(ent(b->data, 0), ent(l->node, pos), 12 * (size_t)move);
		put_le16(b->data + 2, (uint16_t)move);
		put_le16(l->node + 2, (uint16_t)pos);
		node_insert(l->node, pos, x);
		put_index(idx, le32(ent(b->data, 0)), blk);
	} else {
		node_insert(b->data, 0, x);
		put_index(idx, le32(x), blk);
	}
	node_dirty(e, in, l);
	struct level nl = {b, b->data, 0};
	node_dirty(e, in, &nl);
	bcache_put(&e->cache, b);
	return insert_at(e, in, p, levels, k - 1, idx);
}

static void put_extent(uint8_t *x, uint32_t lblk, uint64_t pblk, uint32_t len)
{
	put_le32(x, lblk);
	put_le16(x + 4, (uint16_t)len);
	put_le16(x + 6, (uint16_t)(pblk >> 32));
	put_le32(x + 8, (uint32_t)pblk);
}

int ext4_map_alloc(struct ext4 *e, struct ext4_inode *in, uint32_t lblk, uint64_t *pblk, int *fresh)
{
	struct level p[EXT_MAX_DEPTH + 2];
	uint32_t run;
	int levels, err;

	*fresh = 0;
	if ((err = ext4_map(e, in, lblk, pblk, &run)) || *pblk)
		return err;
	if ((err = find_path(e, in, lblk, p, &levels)))
		goto out;
	struct level *l = &p[levels - 1];
	uint8_t *prev = l->idx >= 0 ? ent(l->node, l->idx) : NULL;
	uint64_t goal = prev ? ext_start(prev) + ext_len(prev) : e->sb.first_data_block + 1;
	if (prev && lblk < le32(prev) + ext_len(prev)) {
		err = FS_ENOSYS;	/* inside an unwritten extent: we never make those */
		goto out;
	}
	if ((err = ext4_alloc_block(e, goal, pblk)))
		goto out;
	ext4_inode_add_blocks(e, in, 1);
	*fresh = 1;
	if (prev && !ext_unwritten(prev) && le32(prev) + ext_len(prev) == lblk &&
	    ext_start(prev) + ext_len(prev) == *pblk && ext_len(prev) < EXT_INIT_MAX_LEN) {
		put_le16(prev + 4, (uint16_t)(ext_len(prev) + 1));
		node_dirty(e, in, l);
	} else {
		uint8_t x[12];
		put_extent(x, lblk, *pblk, 1);
		if ((err = insert_at(e, in, p, &levels, levels - 1, x))) {
			/* No room for the extent: give the block back. */
			ext4_free_blocks(e, *pblk, 1);
			ext4_inode_add_blocks(e, in, -1);
			*pblk = 0;
			*fresh = 0;
		}
	}
out:
	release(e, p, levels);
	return err;
}

/* Frees what node n (at depth) maps from logical block from on; *empty
   says whether n is left with no entries. */
static int trunc_node(struct ext4 *e, struct ext4_inode *in, uint8_t *n, struct bbuf *b, int depth,
		      uint32_t from, int *empty)
{
	int err, cnt = h_entries(n);
	uint64_t next_key = UINT64_MAX;	/* where child i's range ends */

	if ((err = check_node(e, in, n, b, depth)))
		return err;
	for (int i = cnt - 1; i >= 0; i--) {
		uint8_t *x = ent(n, i);
		if (depth) {
			struct bbuf *c;
			int child_empty;
			uint64_t cb = idx_leaf(x);
			if (next_key <= from)
				break;
			next_key = le32(x);
			if ((err = ext4_bread(e, cb, &c)))
				return err;
			err = trunc_node(e, in, c->data, c, depth - 1, from, &child_empty);
			bcache_put(&e->cache, c);
			if (err)
				return err;
			if (child_empty) {
				if ((err = ext4_free_blocks(e, cb, 1)))
					return err;
				ext4_inode_add_blocks(e, in, -1);
				memmove(x, x + 12, 12 * (size_t)(h_entries(n) - i - 1));
				put_le16(n + 2, (uint16_t)(h_entries(n) - 1));
			}
			continue;
		}
		uint32_t first = le32(x), len = ext_len(x);
		if (first + len <= from)
			break;
		uint32_t keep = first >= from ? 0 : from - first;
		if ((err = ext4_free_blocks(e, ext_start(x) + keep, len - keep)))
			return err;
		ext4_inode_add_blocks(e, in, -(int64_t)(len - keep));
		if (keep) {
			put_le16(x + 4, (uint16_t)(keep + (ext_unwritten(x) ? EXT_INIT_MAX_LEN : 0)));
		} else {
			memmove(x, x + 12, 12 * (size_t)(h_entries(n) - i - 1));
			put_le16(n + 2, (uint16_t)(h_entries(n) - 1));
		}
	}
	struct level l = {b, n, 0};
	node_dirty(e, in, &l);
	*empty = h_entries(n) == 0;
	return FS_OK;
}

int ext4_extent_truncate(struct ext4 *e, struct ext4_inode *in, uint32_t from)
{
	uint8_t *root = in->raw + 0x28;
	int empty, err;

	if (!(in->flags & EXT4_EXTENTS_FL))
		return ext4_fail(e, "ext4: inode %u uses block maps (not supported)", in->ino);
	if ((err = trunc_node(e, in, root, NULL, h_depth(root), from, &empty)))
		return err;
	if (empty)
		put_le16(root + 6, 0);	/* an empty tree is a depth-0 root */
	return FS_OK;
}
