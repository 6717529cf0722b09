/*
 * dir.c: directories. A directory is a file of blocks of entries
 * {inode, rec_len, name_len, file_type, name}; with metadata_csum each
 * block ends in a 12-byte tail holding its crc32c. Every rec_len and
 * name_len is checked before the entry is used, so a bad block gives an
 * error, never a loop or an overrun.
 *
 * htree (indexed) directories are read through their leaves, which are
 * ordinary blocks; the index blocks are checked and skipped. Lookups scan
 * linearly (no name hash). Changing an indexed directory first turns it
 * into a plain one: its index blocks become empty leaves and INDEX_FL is
 * cleared, a form e2fsck accepts (it may re-index with -D).
 */
#include "ext4_int.h"

#define TAIL_LEN 12

static uint32_t leaf_limit(const struct ext4 *e)
{
	return e->sb.block_size - (e->sb.csum ? TAIL_LEN : 0);
}

static uint32_t leaf_csum(struct ext4 *e, struct ext4_inode *dir, const uint8_t *blk)
{
	return crc32c_raw(ext4_inode_seed(e, dir), blk, e->sb.block_size - TAIL_LEN);
}

static void set_tail(struct ext4 *e, struct ext4_inode *dir, uint8_t *blk)
{
	uint8_t *t = blk + e->sb.block_size - TAIL_LEN;

	if (!e->sb.csum)
		return;
	memset(t, 0, TAIL_LEN);
	put_le16(t + 4, TAIL_LEN);
	t[7] = 0xDE;
	put_le32(t + 8, leaf_csum(e, dir, blk));
}

static uint32_t rec_need(uint32_t name_len) { return (8 + name_len + 3) & ~3u; }

/* After our own change to a leaf: journal it and vouch that it is still
   a sound leaf (we keep every rec_len valid). */
static void leaf_dirty(struct ext4 *e, struct bbuf *b)
{
	ext4_bdirty(e, b);
	b->checked = 2;
}

/* The rec_len at off, or 0 if it cannot be followed (never trusted). */
static uint32_t next_rec(const struct ext4 *e, const uint8_t *blk, uint32_t off)
{
	uint32_t rec = le16(blk + off + 4);

	return rec < 8 || rec % 4 || rec > leaf_limit(e) - off ? 0 : rec;
}

/* Checks every entry of a leaf block (and its tail). */
static int check_leaf(struct ext4 *e, struct ext4_inode *dir, uint32_t lblk, const uint8_t *blk)
{
	uint32_t limit = leaf_limit(e), off = 0;

	while (off < limit) {
		const uint8_t *d = blk + off;
		uint32_t ino = le32(d), rec = le16(d + 4), nl = d[6];
		if (rec < 8 || rec % 4 || rec > limit - off || (ino && rec_need(nl) > rec))
			return ext4_fail(e, "ext4: directory %u block %u: entry at %u has rec_len %u, name_len %u",
					 dir->ino, lblk, off, rec, nl);
		if (ino > e->sb.inodes_count)
			return ext4_fail(e, "ext4: directory %u block %u: entry at %u names inode %u", dir->ino,
					 lblk, off, ino);
		off += rec;
	}
	if (e->sb.csum) {
		const uint8_t *t = blk + limit;
		if (le32(t) || le16(t + 4) != TAIL_LEN || t[6] || t[7] != 0xDE)
			return ext4_fail(e, "ext4: directory %u block %u: no checksum tail", dir->ino, lblk);
		if (!e->nocsum && le32(t + 8) != leaf_csum(e, dir, blk))
			return ext4_fail(e, "ext4: directory %u block %u: checksum mismatch", dir->ino, lblk);
	}
	return FS_OK;
}

static uint32_t dir_blocks(const struct ext4 *e, const struct ext4_inode *dir)
{
	return (uint32_t)(dir->size / e->sb.block_size);
}

/* Checks an htree index block (the root when lblk is 0); FS_OK if sound. */
static int check_index(struct ext4 *e, struct ext4_inode *dir, uint32_t lblk, const uint8_t *blk)
{
	uint32_t bs = e->sb.block_size, at = lblk ? 8 : 0x20, tail = e->sb.csum ? 8 : 0;
	uint32_t limit = le16(blk + at), count = le16(blk + at + 2);

	if (!lblk) {
		uint32_t levels = blk[0x1E], max_levels = e->sb.incompat & INCOMPAT_LARGEDIR ? 3 : 2;
		if (le16(blk + 4) != 12 || le16(blk + 16) != bs - 12 || blk[0x1D] != 8 || levels >= max_levels)
			return ext4_fail(e, "ext4: directory %u: htree root is malformed (levels %u)", dir->ino, levels);
	}
	if (limit != (bs - at - tail) / 8 || !count || count > limit)
		return ext4_fail(e, "ext4: directory %u block %u: htree node count %u, limit %u", dir->ino, lblk,
				 count, limit);
	for (uint32_t i = 0; i < count; i++)
		if (le32(blk + at + 4 + 8 * i) >= dir_blocks(e, dir))
			return ext4_fail(e, "ext4: directory %u block %u: htree entry %u points past the end",
					 dir->ino, lblk, i);
	if (e->sb.csum && !e->nocsum) {
		uint8_t t[8];
		memcpy(t, blk + at + 8 * limit, 8);
		memset(t + 4, 0, 4);
		uint32_t c = crc32c_raw(ext4_inode_seed(e, dir), blk, at + 8 * count);
		c = crc32c_raw(c, t, 8);
		if (c != le32(blk + at + 8 * limit + 4))
			return ext4_fail(e, "ext4: directory %u block %u: htree checksum mismatch", dir->ino, lblk);
	}
	return FS_OK;
}

static int is_index_block(const struct ext4 *e, const struct ext4_inode *dir, uint32_t lblk, const uint8_t *blk)
{
	if (!(dir->flags & EXT4_INDEX_FL))
		return 0;
	return lblk == 0 || (le32(blk) == 0 && le16(blk + 4) == e->sb.block_size);
}

/* Pins directory block lblk (checked); FS_ECORRUPT for a hole. */
static int dir_block(struct ext4 *e, struct ext4_inode *dir, uint32_t lblk, struct bbuf **out, int *index)
{
	uint64_t p;
	uint32_t run;
	int err;

	if ((err = ext4_map(e, dir, lblk, &p, &run)))
		return err;
	if (!p)
		return ext4_fail(e, "ext4: directory %u has a hole at block %u", dir->ino, lblk);
	if ((err = ext4_bread(e, p, out)))
		return err;
	*index = is_index_block(e, dir, lblk, (*out)->data);
	if ((*out)->checked == (*index ? 3 : 2))
		return FS_OK;	/* checked as this kind since read; our changes keep it sound */
	err = *index ? check_index(e, dir, lblk, (*out)->data) : check_leaf(e, dir, lblk, (*out)->data);
	if (err)
		bcache_put(&e->cache, *out);
	else
		(*out)->checked = *index ? 3 : 2;
	return err;
}

/* Inline directories: the parent in the first 4 bytes, entries after. */
static int iterate_inline(struct ext4 *e, struct ext4_inode *dir, uint64_t *cookie,
			  int (*fn)(void *, const struct ext4_dirent *), void *arg)
{
	const uint8_t *blk = dir->raw + 0x28;
	uint32_t off = *cookie ? (uint32_t)*cookie : 4;
	struct ext4_dirent d;

	while (off + 8 <= 60) {
		const uint8_t *x = blk + off;
		uint32_t rec = le16(x + 4), nl = x[6];
		if (rec < 8 || rec % 4 || rec > 60 - off || (le32(x) && 8 + nl > rec))
			return ext4_fail(e, "ext4: directory %u: inline entry at %u is malformed", dir->ino, off);
		off += rec;
		if (!le32(x))
			continue;
		d.ino = le32(x);
		d.type = x[7];
		d.name_len = (uint8_t)nl;
		memcpy(d.name, x + 8, nl);
		d.name[nl] = 0;
		*cookie = off;
		int r = fn(arg, &d);
		if (r)
			return r;
	}
	*cookie = 60;
	return FS_OK;
}

int ext4_dir_iterate(struct ext4 *e, struct ext4_inode *dir, uint64_t *cookie,
		     int (*fn)(void *arg, const struct ext4_dirent *d), void *arg)
{
	uint32_t nblocks = dir_blocks(e, dir);

	if (dir->flags & EXT4_INLINE_DATA_FL)
		return iterate_inline(e, dir, cookie, fn, arg);
	for (uint32_t lblk = (uint32_t)(*cookie >> 16); lblk < nblocks; lblk++) {
		struct bbuf *b;
		int index, err = dir_block(e, dir, lblk, &b, &index);
		uint32_t off = lblk == (*cookie >> 16) ? (uint32_t)(*cookie & 0xFFFF) : 0;
		if (err)
			return err;
		while (!index && off < leaf_limit(e)) {
			const uint8_t *x = b->data + off;
			struct ext4_dirent d;
			uint32_t rec = next_rec(e, b->data, off);
			if (!rec || (le32(x) && rec_need(x[6]) > rec)) {
				bcache_put(&e->cache, b);
				return ext4_fail(e, "ext4: directory %u block %u: entry at %u is malformed", dir->ino, lblk, off);
			}
			off += rec;
			if (!le32(x))
				continue;
			d.ino = le32(x);
			d.type = x[7];
			d.name_len = x[6];
			memcpy(d.name, x + 8, d.name_len);
			d.name[d.name_len] = 0;
			*cookie = (uint64_t)lblk << 16 | off;
			if (off >= leaf_limit(e))
				*cookie = (uint64_t)(lblk + 1) << 16;
			if ((err = fn(arg, &d))) {
				bcache_put(&e->cache, b);
				return err;
			}
		}
		bcache_put(&e->cache, b);
		*cookie = (uint64_t)(lblk + 1) << 16;
	}
	return FS_OK;
}

struct find_arg {
	const char *name;
	uint32_t ino;
	uint8_t type;
};

static int find_fn(void *arg, const struct ext4_dirent *d)
{
	struct find_arg *a = arg;

	if (strcmp(d->name, a->name))
		return 0;
	a->ino = d->ino;
	a->type = d->type;
	return -1;
}

int ext4_dir_lookup(struct ext4 *e, struct ext4_inode *dir, const char *name, uint32_t *ino, uint8_t *type)
{
	struct find_arg a = {name, 0, 0};
	uint64_t cookie = 0;
	int err;

	if (!strcmp(name, "..") && (dir->flags & EXT4_INLINE_DATA_FL)) {
		*ino = le32(dir->raw + 0x28);
		*type = 2;
		return FS_OK;
	}
	err = ext4_dir_iterate(e, dir, &cookie, find_fn, &a);
	if (err == -1) {
		*ino = a.ino;
		*type = a.type;
		return FS_OK;
	}
	return err ? err : FS_ENOENT;
}

/* Turns an indexed directory into a plain one (see the top comment). */
static int deindex(struct ext4 *e, struct ext4_inode *dir)
{
	uint32_t bs = e->sb.block_size, nblocks = dir_blocks(e, dir);

	for (uint32_t lblk = 0; lblk < nblocks; lblk++) {
		struct bbuf *b;
		int index, err = dir_block(e, dir, lblk, &b, &index);
		if (err)
			return err;
		if (index) {
			uint8_t *d = b->data;
			if (lblk == 0) {
				/* keep "." (12 bytes); ".." takes the rest of the leaf */
				memset(d + 12 + rec_need(d[12 + 6]), 0, bs - 12 - rec_need(d[12 + 6]));
				put_le16(d + 16, (uint16_t)(leaf_limit(e) - 12));
			} else {
				memset(d, 0, bs);
				put_le16(d + 4, (uint16_t)leaf_limit(e));
			}
			set_tail(e, dir, d);
			leaf_dirty(e, b);
		}
		bcache_put(&e->cache, b);
	}
	dir->flags &= ~(uint32_t)EXT4_INDEX_FL;
	return ext4_inode_write(e, dir);
}

static void put_entry(uint8_t *x, uint32_t ino, uint32_t rec, const char *name, uint8_t type)
{
	size_t nl = strlen(name);

	put_le32(x, ino);
	put_le16(x + 4, (uint16_t)rec);
	x[6] = (uint8_t)nl;
	x[7] = type;
	memcpy(x + 8, name, nl);
}

/* Tries to fit the entry into block b; *done when it did. */
static void try_insert(struct ext4 *e, struct ext4_inode *dir, struct bbuf *b, const char *name, uint32_t ino,
		       uint8_t type, int *done)
{
	uint32_t need = rec_need((uint32_t)strlen(name)), off = 0;

	while (off < leaf_limit(e)) {
		uint8_t *x = b->data + off;
		uint32_t rec = next_rec(e, b->data, off), used = le32(x) ? rec_need(x[6]) : 0;
		if (!rec || used > rec)
			return;	/* malformed: checked blocks never are; do not touch it */
		if (rec - used >= need) {
			if (used) {
				put_le16(x + 4, (uint16_t)used);
				x += used;
			}
			put_entry(x, ino, rec - used, name, type);
			set_tail(e, dir, b->data);
			leaf_dirty(e, b);
			*done = 1;
			return;
		}
		off += rec;
	}
}

int ext4_dir_add(struct ext4 *e, struct ext4_inode *dir, const char *name, uint32_t ino, uint8_t type)
{
	uint32_t nblocks = dir_blocks(e, dir);
	int err, done = 0, fresh;

	if (dir->flags & EXT4_INLINE_DATA_FL)
		return FS_ENOSYS;
	if ((dir->flags & EXT4_INDEX_FL) && (err = deindex(e, dir)))
		return err;
	for (uint32_t lblk = 0; lblk < nblocks && !done; lblk++) {
		struct bbuf *b;
		int index;
		if ((err = dir_block(e, dir, lblk, &b, &index)))
			return err;
		try_insert(e, dir, b, name, ino, type, &done);
		bcache_put(&e->cache, b);
	}
	if (done)
		return ext4_inode_write(e, dir);
	/* A new block holding just this entry. */
	uint64_t p;
	struct bbuf *b;
	if (nblocks >= 1u << 20)
		return FS_ENOSPC;	/* far past what a linear scan can serve */
	if ((err = ext4_map_alloc(e, dir, nblocks, &p, &fresh)) || (err = bcache_get(&e->cache, p, 1, &b)))
		return err;
	memset(b->data, 0, e->sb.block_size);
	put_entry(b->data, ino, leaf_limit(e), name, type);
	set_tail(e, dir, b->data);
	leaf_dirty(e, b);
	bcache_put(&e->cache, b);
	dir->size += e->sb.block_size;
	ext4_inode_touch(dir, 1, 1);
	return ext4_inode_write(e, dir);
}

int ext4_dir_remove(struct ext4 *e, struct ext4_inode *dir, const char *name)
{
	uint32_t nblocks = dir_blocks(e, dir);
	size_t nl = strlen(name);
	int err;

	if (dir->flags & EXT4_INLINE_DATA_FL)
		return FS_ENOSYS;
	if ((dir->flags & EXT4_INDEX_FL) && (err = deindex(e, dir)))
		return err;
	for (uint32_t lblk = 0; lblk < nblocks; lblk++) {
		struct bbuf *b;
		int index;
		uint32_t off = 0, prev = UINT32_MAX;
		if ((err = dir_block(e, dir, lblk, &b, &index)))
			return err;
		while (off < leaf_limit(e)) {
			uint8_t *x = b->data + off;
			uint32_t rec = next_rec(e, b->data, off);
			if (!rec) {
				bcache_put(&e->cache, b);
				return ext4_fail(e, "ext4: directory %u block %u: entry at %u is malformed", dir->ino, lblk, off);
			}
			if (le32(x) && x[6] == nl && !memcmp(x + 8, name, nl)) {
				if (prev == UINT32_MAX)
					put_le32(x, 0);
				else
					put_le16(b->data + prev + 4, (uint16_t)(le16(b->data + prev + 4) + le16(x + 4)));
				set_tail(e, dir, b->data);
				leaf_dirty(e, b);
				bcache_put(&e->cache, b);
				ext4_inode_touch(dir, 1, 1);
				return ext4_inode_write(e, dir);
			}
			prev = off;
			off += rec;
		}
		bcache_put(&e->cache, b);
	}
	return FS_ENOENT;
}

int ext4_dir_set_dotdot(struct ext4 *e, struct ext4_inode *dir, uint32_t parent)
{
	struct bbuf *b;
	int index, err;

	if ((dir->flags & EXT4_INDEX_FL) && (err = deindex(e, dir)))
		return err;
	if ((err = dir_block(e, dir, 0, &b, &index)))
		return err;
	uint8_t *dd = b->data + le16(b->data + 4);
	if (le16(b->data + 4) >= leaf_limit(e) || dd[6] != 2 || memcmp(dd + 8, "..", 2)) {
		bcache_put(&e->cache, b);
		return ext4_fail(e, "ext4: directory %u: second entry is not \"..\"", dir->ino);
	}
	put_le32(dd, parent);
	set_tail(e, dir, b->data);
	leaf_dirty(e, b);
	bcache_put(&e->cache, b);
	return FS_OK;
}

int ext4_dir_init(struct ext4 *e, struct ext4_inode *dir, uint32_t parent)
{
	uint64_t p;
	struct bbuf *b;
	int fresh, err;

	if ((err = ext4_map_alloc(e, dir, 0, &p, &fresh)) || (err = bcache_get(&e->cache, p, 1, &b)))
		return err;
	memset(b->data, 0, e->sb.block_size);
	put_entry(b->data, dir->ino, 12, ".", 2);
	put_entry(b->data + 12, parent, leaf_limit(e) - 12, "..", 2);
	set_tail(e, dir, b->data);
	leaf_dirty(e, b);
	bcache_put(&e->cache, b);
	dir->size = e->sb.block_size;
	return FS_OK;
}

static int any_fn(void *arg, const struct ext4_dirent *d)
{
	(void)arg;
	if (!strcmp(d->name, ".") || !strcmp(d->name, ".."))
		return 0;
	return -1;
}

int ext4_dir_is_empty(struct ext4 *e, struct ext4_inode *dir, int *empty)
{
	uint64_t cookie = 0;
	int err = ext4_dir_iterate(e, dir, &cookie, any_fn, NULL);

	*empty = err != -1;
	return err == -1 ? FS_OK : err;
}
