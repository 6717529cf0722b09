/*
 * file.c: file data through the extent tree, inline data and symlinks.
 * Data blocks are written through the cache as plain (unjournalled)
 * buffers; the journal writes them home before it commits the metadata
 * that points at them (ordered mode).
 */
#include "ext4_int.h"

/* The in-inode extended attribute system.data (inline data past the
   first 60 bytes): its value's place in raw, or 0 if absent. */
static int inline_ea(struct ext4 *e, const struct ext4_inode *in, uint32_t *off, uint32_t *size)
{
	uint32_t isz = e->sb.inode_size, start = 128 + le16(in->raw + 0x80), p;

	*off = *size = 0;
	if (isz <= 128 || start + 4 > isz || le32(in->raw + start) != 0xEA020000u)
		return FS_OK;
	p = start + 4;
	while (p + 16 <= isz && le32(in->raw + p)) {
		const uint8_t *x = in->raw + p;
		uint32_t nl = x[0], voff = le16(x + 2), vsize = le32(x + 8);
		if (p + 16 + nl > isz)
			break;
		if (x[1] == 7 && nl == 4 && !memcmp(x + 16, "data", 4)) {
			if (le32(x + 4) || voff > isz - start - 4 || vsize > isz - start - 4 - voff)
				return ext4_fail(e, "ext4: inode %u: inline data attribute out of bounds", in->ino);
			*off = start + 4 + voff;
			*size = vsize;
			return FS_OK;
		}
		p += (16 + nl + 3) & ~3u;
	}
	return FS_OK;
}

int ext4_inline_read(struct ext4 *e, struct ext4_inode *in, uint64_t off, void *buf, size_t len, size_t *got)
{
	uint32_t ea_off, ea_size;
	uint8_t all[60 + 1024];
	int err;

	*got = 0;
	if ((err = inline_ea(e, in, &ea_off, &ea_size)))
		return err;
	memcpy(all, in->raw + 0x28, 60);
	memcpy(all + 60, in->raw + ea_off, ea_size);
	if (in->size > 60 + ea_size)
		return ext4_fail(e, "ext4: inode %u: inline size %llu exceeds its %u bytes", in->ino,
				 (unsigned long long)in->size, 60 + ea_size);
	if (off >= in->size)
		return FS_OK;
	*got = in->size - off < len ? (size_t)(in->size - off) : len;
	memcpy(buf, all + off, *got);
	return FS_OK;
}

int ext4_file_read(struct ext4 *e, struct ext4_inode *in, uint64_t off, void *buf, size_t len, size_t *got)
{
	uint32_t bs = e->sb.block_size;
	uint8_t *out = buf;
	int err;

	*got = 0;
	if (in->flags & EXT4_INLINE_DATA_FL)
		return ext4_inline_read(e, in, off, buf, len, got);
	if (off >= in->size)
		return FS_OK;
	if (len > in->size - off)
		len = (size_t)(in->size - off);
	while (len) {
		uint32_t lblk = (uint32_t)(off / bs), within = (uint32_t)(off % bs), run;
		size_t piece = bs - within < len ? bs - within : len;
		uint64_t p;
		if ((err = ext4_map(e, in, lblk, &p, &run)))
			return err;
		if (!p) {
			memset(out, 0, piece);	/* a hole */
		} else {
			struct bbuf *b;
			if ((err = ext4_bread(e, p, &b)))
				return err;
			memcpy(out, b->data + within, piece);
			bcache_put(&e->cache, b);
		}
		out += piece;
		off += piece;
		len -= piece;
		*got += piece;
	}
	return FS_OK;
}

int ext4_file_write(struct ext4 *e, struct ext4_inode *in, uint64_t off, const void *buf, size_t len)
{
	uint32_t bs = e->sb.block_size;
	const uint8_t *src = buf;
	int err = FS_OK;

	if (in->flags & EXT4_INLINE_DATA_FL)
		return FS_ENOSYS;
	if (off + len < off || (off + len + bs - 1) / bs > 0xFFFFFFFFull)
		return FS_EFBIG;
	while (len) {
		uint32_t lblk = (uint32_t)(off / bs), within = (uint32_t)(off % bs);
		size_t piece = bs - within < len ? bs - within : len;
		uint64_t p;
		int fresh;
		struct bbuf *b;
		if ((err = ext4_map_alloc(e, in, lblk, &p, &fresh)))
			break;
		if ((err = bcache_get(&e->cache, p, fresh || piece == bs, &b)))
			break;
		if (fresh && piece != bs)
			memset(b->data, 0, bs);
		memcpy(b->data + within, src, piece);
		bcache_dirty(b);
		bcache_put(&e->cache, b);
		src += piece;
		off += piece;
		len -= piece;
		if (off > in->size)
			in->size = off;
	}
	ext4_inode_touch(in, 1, 1);
	int werr = ext4_inode_write(e, in);
	return err ? err : werr;
}

int ext4_file_truncate(struct ext4 *e, struct ext4_inode *in, uint64_t size)
{
	uint32_t bs = e->sb.block_size;
	int err;

	if (in->flags & EXT4_INLINE_DATA_FL)
		return FS_ENOSYS;
	if ((size + bs - 1) / bs > 0xFFFFFFFFull)
		return FS_EFBIG;
	if (size < in->size) {
		if ((err = ext4_extent_truncate(e, in, (uint32_t)((size + bs - 1) / bs))))
			return err;
		if (size % bs) {
			/* The kept block's tail must read as zeros if the file grows. */
			uint64_t p;
			uint32_t run;
			struct bbuf *b;
			if ((err = ext4_map(e, in, (uint32_t)(size / bs), &p, &run)))
				return err;
			if (p) {
				if ((err = ext4_bread(e, p, &b)))
					return err;
				memset(b->data + size % bs, 0, bs - size % bs);
				bcache_dirty(b);
				bcache_put(&e->cache, b);
			}
		}
	}
	in->size = size;
	ext4_inode_touch(in, 1, 1);
	return ext4_inode_write(e, in);
}

int ext4_readlink(struct ext4 *e, struct ext4_inode *in, char *buf, size_t len, size_t *got)
{
	if ((in->mode & FS_S_IFMT) != FS_S_IFLNK)
		return FS_EINVAL;
	if (in->size > 4096)
		return ext4_fail(e, "ext4: symlink %u: length %llu", in->ino, (unsigned long long)in->size);
	if (!(in->flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL))) {
		/* A fast symlink: the target is in i_block. */
		if (in->size >= 60)
			return ext4_fail(e, "ext4: fast symlink %u of %llu bytes", in->ino, (unsigned long long)in->size);
		*got = in->size < len ? (size_t)in->size : len;
		memcpy(buf, in->raw + 0x28, *got);
		return FS_OK;
	}
	return ext4_file_read(e, in, 0, buf, len, got);
}
