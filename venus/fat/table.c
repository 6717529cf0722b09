/*
 * table.c: the file allocation table. Entries are read from the active
 * FAT and written to every FAT (or only the active one when mirroring is
 * off), so the copies stay in step. FAT12's 12-bit entries may straddle
 * two sectors, so entries are read and written a byte at a time through
 * the cache. Every value read is checked: a link to a cluster outside
 * 2..clusters+1 is corruption, never followed.
 */
#include "fat_int.h"

static int fat_fail(struct fat *f, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));
static int fat_fail(struct fat *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->fs->why, sizeof f->fs->why, fmt, ap);
	va_end(ap);
	return FS_ECORRUPT;
}

/* Byte off of FAT number copy. */
static int fat_byte(struct fat *f, uint32_t copy, uint64_t off, uint8_t *val, int write)
{
	uint64_t sector = f->g.reserved_sectors + (uint64_t)copy * f->g.fat_sectors + off / f->g.bytes_per_sector;
	struct bbuf *b;
	int err = bcache_get(&f->cache, sector, 0, &b);

	if (err)
		return err;
	if (write) {
		b->data[off % f->g.bytes_per_sector] = *val;
		bcache_dirty(b);
	} else {
		*val = b->data[off % f->g.bytes_per_sector];
	}
	bcache_put(&f->cache, b);
	return FS_OK;
}

static uint64_t entry_offset(const struct fat *f, uint32_t c)
{
	return f->g.type == 12 ? c + c / 2 : (uint64_t)c * (f->g.type == 16 ? 2 : 4);
}

/* FAT16/32 entries never straddle a sector: one cache lookup each. */
static int aligned_io(struct fat *f, uint32_t copy, uint64_t off, uint32_t *v, int write)
{
	uint64_t sector = f->g.reserved_sectors + (uint64_t)copy * f->g.fat_sectors + off / f->g.bytes_per_sector;
	uint32_t at = (uint32_t)(off % f->g.bytes_per_sector);
	struct bbuf *b;
	int err = bcache_get(&f->cache, sector, 0, &b);

	if (err)
		return err;
	if (f->g.type == 16) {
		if (write)
			put_le16(b->data + at, (uint16_t)*v);
		else
			*v = le16(b->data + at);
	} else if (write) {
		put_le32(b->data + at, (le32(b->data + at) & 0xF0000000u) | (*v & 0x0FFFFFFF));
	} else {
		*v = le32(b->data + at) & 0x0FFFFFFF;
	}
	if (write)
		bcache_dirty(b);
	bcache_put(&f->cache, b);
	return FS_OK;
}

static int raw_get(struct fat *f, uint32_t c, uint32_t *v)
{
	uint8_t b[4] = {0};
	int n = f->g.type == 32 ? 4 : 2, err;

	if (f->g.type != 12)
		return aligned_io(f, f->g.active_fat, entry_offset(f, c), v, 0);

	for (int i = 0; i < n; i++)
		if ((err = fat_byte(f, f->g.active_fat, entry_offset(f, c) + i, &b[i], 0)))
			return err;
	*v = le32(b);
	if (f->g.type == 12)
		*v = c & 1 ? (*v & 0xFFFF) >> 4 : *v & 0xFFF;
	else if (f->g.type == 32)
		*v &= 0x0FFFFFFF;
	return FS_OK;
}

static int raw_set(struct fat *f, uint32_t c, uint32_t v)
{
	uint64_t off = entry_offset(f, c);
	int n = f->g.type == 32 ? 4 : 2, err;

	for (uint32_t copy = 0; copy < f->g.nfats; copy++) {
		uint8_t b[4];
		if (!f->g.mirror && copy != f->g.active_fat)
			continue;
		if (f->g.type != 12) {
			if ((err = aligned_io(f, copy, off, &v, 1)))
				return err;
			continue;
		}
		for (int i = 0; i < n; i++)
			if ((err = fat_byte(f, copy, off + i, &b[i], 0)))
				return err;
		uint32_t old = le32(b), nv;
		if (f->g.type == 12)
			nv = c & 1 ? (old & ~0xFFF0u) | (v & 0xFFF) << 4 : (old & ~0xFFFu) | (v & 0xFFF);
		else if (f->g.type == 16)
			nv = (old & ~0xFFFFu) | (v & 0xFFFF);
		else
			nv = (old & 0xF0000000u) | (v & 0x0FFFFFFF);	/* keep the reserved top bits */
		put_le32(b, nv);
		for (int i = 0; i < n; i++)
			if ((err = fat_byte(f, copy, off + i, &b[i], 1)))
				return err;
	}
	return FS_OK;
}

static uint32_t eoc_min(const struct fat *f)
{
	return f->g.type == 12 ? 0xFF8 : f->g.type == 16 ? 0xFFF8 : 0x0FFFFFF8;
}

int fat_get(struct fat *f, uint32_t c, uint32_t *next)
{
	uint32_t v;
	int err;

	if (!fat_valid_cluster(f, c))
		return fat_fail(f, "fat: cluster %u out of range 2..%u", c, f->g.clusters + 1);
	if ((err = raw_get(f, c, &v)))
		return err;
	if (v >= eoc_min(f)) {
		*next = FAT_EOC;
		return FS_OK;
	}
	if (!fat_valid_cluster(f, v))
		return fat_fail(f, "fat: FAT entry for cluster %u is 0x%x (%s)", c, v,
				v == 0 ? "free, inside a chain" : "out of range");
	*next = v;
	return FS_OK;
}

int fat_set(struct fat *f, uint32_t c, uint32_t value)
{
	if (!fat_valid_cluster(f, c))
		return fat_fail(f, "fat: cluster %u out of range", c);
	if (value == FAT_EOC)
		value = f->g.type == 12 ? 0xFFF : f->g.type == 16 ? 0xFFFF : 0x0FFFFFFF;
	return raw_set(f, c, value);
}

int fat_count_free(struct fat *f)
{
	uint32_t v;
	int err;

	f->free_count = 0;
	f->next_free = 0;
	for (uint32_t c = 2; c <= f->g.clusters + 1; c++) {
		if ((err = raw_get(f, c, &v)))
			return err;
		if (!v) {
			if (!f->next_free)
				f->next_free = c;
			f->free_count++;
		}
	}
	if (!f->next_free)
		f->next_free = 2;
	return FS_OK;
}

int fat_alloc(struct fat *f, uint32_t prev, uint32_t *out)
{
	uint32_t n = f->g.clusters, c = f->next_free, v;
	int err;

	if (!f->free_count)
		return FS_ENOSPC;
	for (uint32_t i = 0; i < n; i++, c++) {
		if (!fat_valid_cluster(f, c))
			c = 2;
		if ((err = raw_get(f, c, &v)))
			return err;
		if (v)
			continue;
		/* The new cluster ends its chain before anything links to it. */
		if ((err = fat_set(f, c, FAT_EOC)) || (prev && (err = fat_set(f, prev, c))))
			return err;
		f->free_count--;
		f->next_free = c + 1;
		*out = c;
		return FS_OK;
	}
	f->free_count = 0;
	return FS_ENOSPC;
}

int fat_free_chain(struct fat *f, uint32_t first)
{
	uint32_t c = first, next;
	int err;

	for (uint32_t steps = 0; c != FAT_EOC && c; steps++) {
		if (steps > f->g.clusters)
			return fat_fail(f, "fat: chain from cluster %u loops", first);
		if ((err = fat_get(f, c, &next)) || (err = raw_set(f, c, 0)))
			return err;
		f->free_count++;
		if (c < f->next_free)
			f->next_free = c;
		c = next;
	}
	f->cur_first = 0;
	f->checked_first = 0;
	return FS_OK;
}

int fat_chain_at(struct fat *f, uint32_t first, uint32_t index, uint32_t *c)
{
	uint32_t cur = first, i = 0;
	int err;

	if (f->cur_first == first && f->cur_index <= index) {
		cur = f->cur_cluster;
		i = f->cur_index;
	}
	if (index > f->g.clusters)
		return fat_fail(f, "fat: chain from cluster %u: position %u beyond the volume", first, index);
	while (i < index) {
		uint32_t next;
		if ((err = fat_get(f, cur, &next)))
			return err;
		if (next == FAT_EOC) {
			*c = 0;
			return fat_fail(f, "fat: chain from cluster %u ends at position %u, before %u",
					first, i, index);
		}
		cur = next;
		i++;
	}
	if (!fat_valid_cluster(f, cur))
		return fat_fail(f, "fat: chain from cluster %u: cluster %u out of range", first, cur);
	f->cur_first = first;
	f->cur_index = index;
	f->cur_cluster = cur;
	*c = cur;
	return FS_OK;
}

int fat_zero_cluster(struct fat *f, uint32_t c)
{
	uint64_t s = fat_cluster_sector(f, c);

	for (uint32_t i = 0; i < f->g.sectors_per_cluster; i++) {
		struct bbuf *b;
		int err = bcache_get(&f->cache, s + i, 1, &b);
		if (err)
			return err;
		memset(b->data, 0, f->g.bytes_per_sector);
		bcache_dirty(b);
		bcache_put(&f->cache, b);
	}
	return FS_OK;
}

/* FSInfo holds hints only; we write the counts we keep (always right). */
int fat_write_fsinfo(struct fat *f)
{
	struct bbuf *b;
	int err;

	if (f->g.type != 32 || !f->g.fsinfo_sector)
		return FS_OK;
	if ((err = bcache_get(&f->cache, f->g.fsinfo_sector, 0, &b)))
		return err;
	if (le32(b->data) == 0x41615252 && le32(b->data + 484) == 0x61417272) {
		put_le32(b->data + 488, f->free_count);
		put_le32(b->data + 492, f->next_free);
		bcache_dirty(b);
	}
	bcache_put(&f->cache, b);
	return FS_OK;
}

/* FAT[1]'s clean-shutdown bit (FAT16/32): cleared while mounted writable. */
int fat_set_clean(struct fat *f, int clean)
{
	uint32_t v, bit = f->g.type == 16 ? 0x8000 : 0x08000000;
	int err;

	if (f->g.type == 12)
		return FS_OK;
	if ((err = raw_get(f, 1, &v)))
		return err;
	return raw_set(f, 1, clean ? v | bit : v & ~bit);
}
