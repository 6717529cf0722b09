/*
 * file.c: file data. A file is its directory entry (first cluster and
 * size) and a cluster chain; data moves a sector at a time through the
 * block cache. Positions are found with fat_chain_at, which resumes from
 * the last walk, so sequential access costs one FAT lookup per cluster.
 */
#include "fat_int.h"

/* Copies between buf and the chain from byte off, n bytes, all inside
   the chain (the caller has made sure). */
static int data_io(struct fat *f, uint32_t first, uint64_t off, uint8_t *buf, size_t n, int write)
{
	uint32_t bps = f->g.bytes_per_sector, cs = f->g.cluster_size;

	while (n) {
		uint32_t c, within = (uint32_t)(off % cs), in_sec = within % bps;
		size_t piece = bps - in_sec < n ? bps - in_sec : n;
		struct bbuf *b;
		int err;
		if ((err = fat_chain_at(f, first, (uint32_t)(off / cs), &c)))
			return err;
		uint64_t sector = fat_cluster_sector(f, c) + within / bps;
		if ((err = bcache_get(&f->cache, sector, write && piece == bps, &b)))
			return err;
		if (write) {
			memcpy(b->data + in_sec, buf, piece);
			bcache_dirty(b);
		} else {
			memcpy(buf, b->data + in_sec, piece);
		}
		bcache_put(&f->cache, b);
		buf += piece;
		off += piece;
		n -= piece;
	}
	return FS_OK;
}

/* A file's chain must end exactly where its size says: a longer one may
   be a loop, a shorter one would leave the size pointing nowhere. */
static int check_chain(struct fat *f, uint32_t first, uint32_t size)
{
	uint32_t want = (uint32_t)(((uint64_t)size + f->g.cluster_size - 1) / f->g.cluster_size), c, next;
	int err;

	if (f->checked_first == first && f->checked_size == size)
		return FS_OK;
	if ((err = fat_chain_at(f, first, want - 1, &c)) || (err = fat_get(f, c, &next)))
		return err;
	if (next != FAT_EOC)
		return fs_fail(f->fs, FS_ECORRUPT,
			       "fat: chain from cluster %u is longer than the file's %u bytes (a loop?)", first, size);
	f->checked_first = first;
	f->checked_size = size;
	return FS_OK;
}

int fat_file_read(struct fat *f, const uint8_t *ent, uint64_t off, void *buf, size_t len, size_t *got)
{
	uint32_t size = le32(ent + 28), first = fat_ent_cluster(f, ent);
	size_t n;
	int err;

	*got = 0;
	if (ent[11] & FAT_ATTR_DIR)
		return FS_EISDIR;
	if (off >= size)
		return FS_OK;
	n = size - off < len ? (size_t)(size - off) : len;
	if (!first)
		return fs_fail(f->fs, FS_ECORRUPT, "fat: file of %u bytes has no first cluster", size);
	if ((err = check_chain(f, first, size)) || (err = data_io(f, first, off, buf, n, 0)))
		return err;
	*got = n;
	return FS_OK;
}

/* Makes the chain from *first hold at least want clusters, given that it
   holds have (from the file size); new clusters are zeroed. */
static int chain_grow(struct fat *f, uint32_t *first, uint32_t have, uint32_t want)
{
	uint32_t last = 0, c, next;
	int err;

	if (!have && *first) {
		/* An empty file holding clusters: they belong to nobody. */
		if ((err = fat_free_chain(f, *first)))
			return err;
		*first = 0;
	}
	if (have) {
		if ((err = fat_chain_at(f, *first, have - 1, &last)) || (err = fat_get(f, last, &next)))
			return err;
		if (next != FAT_EOC) {
			/* Clusters past the size: no file owns them; cut them off. */
			if ((err = fat_set(f, last, FAT_EOC)) || (err = fat_free_chain(f, next)))
				return err;
		}
	}
	for (; have < want; have++) {
		if ((err = fat_alloc(f, last, &c)) || (err = fat_zero_cluster(f, c)))
			return err;
		if (!last)
			*first = c;
		last = c;
	}
	return FS_OK;
}

/* Cuts the chain from *first back to keep clusters (after a failed grow). */
static void chain_trim(struct fat *f, uint32_t *first, uint32_t keep)
{
	uint32_t last, next;

	f->cur_first = 0;
	if (!*first)
		return;
	if (!keep) {
		fat_free_chain(f, *first);
		*first = 0;
	} else if (!fat_chain_at(f, *first, keep - 1, &last) && !fat_get(f, last, &next) && next != FAT_EOC) {
		fat_set(f, last, FAT_EOC);
		fat_free_chain(f, next);
	}
}

static uint32_t clusters_for(const struct fat *f, uint64_t bytes)
{
	return (uint32_t)((bytes + f->g.cluster_size - 1) / f->g.cluster_size);
}

static int zero_range(struct fat *f, uint32_t first, uint64_t from, uint64_t to)
{
	static const uint8_t zeros[512];

	while (from < to) {
		size_t n = to - from < sizeof zeros ? (size_t)(to - from) : sizeof zeros;
		int err = data_io(f, first, from, (uint8_t *)zeros, n, 1);
		if (err)
			return err;
		from += n;
	}
	return FS_OK;
}

int fat_file_write(struct fat *f, fs_node node, uint64_t off, const void *buf, size_t len)
{
	uint8_t ent[32];
	uint32_t size, first, have;
	int err;

	if ((err = fat_node_read(f, node, ent)))
		return err;
	if (ent[11] & FAT_ATTR_DIR)
		return FS_EISDIR;
	if (off + len > 0xFFFFFFFFull || off + len < off)
		return FS_EFBIG;
	size = le32(ent + 28);
	first = fat_ent_cluster(f, ent);
	f->checked_first = 0;
	have = first ? clusters_for(f, size) : 0;
	if (!len && off <= size)
		return FS_OK;
	if (clusters_for(f, off + len) > have && (err = chain_grow(f, &first, have, clusters_for(f, off + len)))) {
		chain_trim(f, &first, have);	/* all or nothing: no clusters past the size */
		goto out;
	}
	if (off > size && (err = zero_range(f, first, size, off)))
		goto out;
	if ((err = data_io(f, first, off, (uint8_t *)buf, len, 1)))
		goto out;
	if (off + len > size)
		size = (uint32_t)(off + len);
out:
	fat_ent_set_cluster(ent, first);
	put_le32(ent + 28, size);
	ent[11] |= FAT_ATTR_ARCHIVE;
	fat_ent_stamp(ent, 0);
	int werr = fat_node_write(f, node, ent);
	return err ? err : werr;
}

int fat_file_truncate(struct fat *f, fs_node node, uint64_t size)
{
	uint8_t ent[32];
	uint32_t old, first, keep, last, next;
	int err;

	if ((err = fat_node_read(f, node, ent)))
		return err;
	if (ent[11] & FAT_ATTR_DIR)
		return FS_EISDIR;
	if (size > 0xFFFFFFFFull)
		return FS_EFBIG;
	old = le32(ent + 28);
	first = fat_ent_cluster(f, ent);
	if (size > old) {
		static const uint8_t none[1];
		/* Growing is a write of nothing at the new end: zero-filled. */
		if ((err = fat_file_write(f, node, size - 1, none, 1)))
			return err;
		return FS_OK;
	}
	keep = clusters_for(f, size);
	f->cur_first = 0;
	if (first && !keep) {
		/* The entry lets go of the chain before the chain is freed. */
		fat_ent_set_cluster(ent, 0);
		put_le32(ent + 28, 0);
		fat_ent_stamp(ent, 0);
		if ((err = fat_node_write(f, node, ent)))
			return err;
		return fat_free_chain(f, first);
	}
	if (first) {
		if ((err = fat_chain_at(f, first, keep - 1, &last)) || (err = fat_get(f, last, &next)))
			return err;
		if (next != FAT_EOC && ((err = fat_set(f, last, FAT_EOC)) || (err = fat_free_chain(f, next))))
			return err;
	}
	put_le32(ent + 28, (uint32_t)size);
	fat_ent_stamp(ent, 0);
	return fat_node_write(f, node, ent);
}
