/*
 * dir.c: directories. A directory is loaded as its list of clusters (or
 * the fixed FAT12/16 root area), bounded by the format's 65,536 entries,
 * so a looping chain is caught at load. Scanning joins each run of long-
 * name entries to the short entry after it when the ordinals run down to
 * 1 and every checksum matches; otherwise the short name is used.
 */
#include "fat_int.h"
#include "../fs/utf.h"

static int dir_fail(struct fat *f, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));
static int dir_fail(struct fat *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->fs->why, sizeof f->fs->why, fmt, ap);
	va_end(ap);
	return FS_ECORRUPT;
}

int fat_dir_open(struct fat *f, uint32_t first, struct fat_dir *d)
{
	uint32_t max = FAT_DIR_MAX_ENTRIES * 32 / f->g.cluster_size + 1, c = first, cap = 8;
	int err;

	memset(d, 0, sizeof *d);
	d->first = first;
	if (!first) {
		d->nentries = f->g.root_entries;
		return FS_OK;
	}
	if (!(d->clusters = malloc(cap * sizeof *d->clusters)))
		return FS_ENOMEM;
	while (c != FAT_EOC) {
		if (d->nclusters == max) {
			fat_dir_close(d);
			return dir_fail(f, "fat: directory at cluster %u: chain longer than %u clusters (a loop?)",
					first, max);
		}
		if (d->nclusters == cap) {
			uint32_t *n = realloc(d->clusters, (cap *= 2) * sizeof *n);
			if (!n) {
				fat_dir_close(d);
				return FS_ENOMEM;
			}
			d->clusters = n;
		}
		d->clusters[d->nclusters++] = c;
		if ((err = fat_get(f, c, &c))) {
			fat_dir_close(d);
			return err;
		}
	}
	d->nentries = d->nclusters * (f->g.cluster_size / 32);
	if (d->nentries > FAT_DIR_MAX_ENTRIES)
		d->nentries = FAT_DIR_MAX_ENTRIES;
	return FS_OK;
}

void fat_dir_close(struct fat_dir *d)
{
	free(d->clusters);
	d->clusters = NULL;
}

uint64_t fat_dir_pos(struct fat *f, const struct fat_dir *d, uint32_t index)
{
	uint32_t per = f->g.cluster_size / 32;

	if (!d->first)
		return (uint64_t)f->g.root_first_sector * f->g.bytes_per_sector + (uint64_t)index * 32;
	return fat_cluster_sector(f, d->clusters[index / per]) * f->g.bytes_per_sector +
	       (uint64_t)(index % per) * 32;
}

static int entry_io(struct fat *f, uint64_t pos, uint8_t *ent, int write)
{
	struct bbuf *b;
	int err = bcache_get(&f->cache, pos / f->g.bytes_per_sector, 0, &b);

	if (err)
		return err;
	if (write) {
		memcpy(b->data + pos % f->g.bytes_per_sector, ent, 32);
		bcache_dirty(b);
	} else {
		memcpy(ent, b->data + pos % f->g.bytes_per_sector, 32);
	}
	bcache_put(&f->cache, b);
	return FS_OK;
}

int fat_node_read(struct fat *f, fs_node node, uint8_t ent[32])
{
	return entry_io(f, node * 32, ent, 0);
}

int fat_node_write(struct fat *f, fs_node node, const uint8_t ent[32])
{
	return entry_io(f, node * 32, (uint8_t *)ent, 1);
}

int fat_dir_read_entry(struct fat *f, const struct fat_dir *d, uint32_t index, uint8_t ent[32])
{
	return entry_io(f, fat_dir_pos(f, d, index), ent, 0);
}

int fat_dir_write_entry(struct fat *f, const struct fat_dir *d, uint32_t index, const uint8_t ent[32])
{
	return entry_io(f, fat_dir_pos(f, d, index), (uint8_t *)ent, 1);
}

/* A run of long-name entries being collected. */
struct lfn_run {
	int expect;		/* next ordinal wanted; 0 = complete; -1 = none */
	uint8_t sum;
	uint32_t start;
	uint16_t units[20 * 13];
};

static void lfn_piece(struct lfn_run *r, const uint8_t *e, int ord)
{
	static const uint8_t at[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

	for (int k = 0; k < 13; k++)
		r->units[(ord - 1) * 13 + k] = le16(e + at[k]);
}

static void lfn_add(struct lfn_run *r, const uint8_t *e, uint32_t i)
{
	int ord = e[0] & 0x3F;

	if (e[0] & 0x40) {
		if (ord < 1 || ord > 20) {
			r->expect = -1;
			return;
		}
		memset(r->units, 0, sizeof r->units);
		r->sum = e[13];
		r->start = i;
	} else if (r->expect <= 0 || ord != r->expect || e[13] != r->sum) {
		r->expect = -1;
		return;
	}
	lfn_piece(r, e, ord);
	r->expect = ord - 1;
}

/* The long name if the run belongs to short entry e, else the short name. */
static void entry_name(struct lfn_run *r, const uint8_t *e, uint32_t i, struct fat_found *out)
{
	int n = 0;

	if (r->expect == 0 && fat_lfn_checksum(e) == r->sum) {
		while (n < 20 * 13 && r->units[n] && r->units[n] != 0xFFFF)
			n++;
		if (n <= 255 && utf16_to_utf8(r->units, n, out->name, sizeof out->name) > 0) {
			out->first_index = r->start;
			return;
		}
	}
	fat_short_display(e, out->name, sizeof out->name);
	out->first_index = i;
}

int fat_dir_next(struct fat *f, const struct fat_dir *d, uint32_t *index, struct fat_found *out)
{
	struct lfn_run *r = malloc(sizeof *r);
	uint8_t e[32];
	int err = FS_ENOENT;

	if (!r)
		return FS_ENOMEM;
	r->expect = -1;
	for (uint32_t i = *index; i < d->nentries; i++) {
		if ((err = fat_dir_read_entry(f, d, i, e)))
			break;
		err = FS_ENOENT;
		if (e[0] == 0)
			break;
		if (e[0] == 0xE5) {
			r->expect = -1;
			continue;
		}
		if ((e[11] & 0x3F) == FAT_ATTR_LFN) {
			lfn_add(r, e, i);
			continue;
		}
		if (e[11] & FAT_ATTR_VOLUME || (e[0] == '.' && (e[1] == ' ' || (e[1] == '.' && e[2] == ' ')))) {
			r->expect = -1;
			continue;
		}
		entry_name(r, e, i, out);
		memcpy(out->ent, e, 32);
		out->index = i;
		out->pos = fat_dir_pos(f, d, i);
		*index = i + 1;
		err = FS_OK;
		break;
	}
	free(r);
	return err;
}

int fat_dir_find(struct fat *f, const struct fat_dir *d, const char *name, struct fat_found *out)
{
	uint32_t i = 0;
	char shortname[40];
	int err;

	while (!(err = fat_dir_next(f, d, &i, out))) {
		fat_short_display(out->ent, shortname, sizeof shortname);
		if (fat_name_equal(out->name, name) || fat_name_equal(shortname, name))
			return FS_OK;
	}
	return err;
}

/* Adds a zeroed cluster to the directory. */
static int dir_grow(struct fat *f, struct fat_dir *d)
{
	uint32_t per = f->g.cluster_size / 32, c;
	uint32_t *n;
	int err;

	if (!d->first || d->nentries + per > FAT_DIR_MAX_ENTRIES)
		return FS_ENOSPC;
	if (!(n = realloc(d->clusters, (d->nclusters + 1) * sizeof *n)))
		return FS_ENOMEM;
	d->clusters = n;
	if ((err = fat_alloc(f, d->clusters[d->nclusters - 1], &c)) || (err = fat_zero_cluster(f, c)))
		return err;
	d->clusters[d->nclusters++] = c;
	d->nentries += per;
	return FS_OK;
}

/* Parses a numeric tail "~N" out of a short name; 0 if it has none. */
static int tail_of(const uint8_t *s)
{
	for (int i = 7; i > 0; i--) {
		if (s[i] == ' ')
			continue;
		int n = 0, mul = 1, j = i;
		while (j > 0 && s[j] >= '0' && s[j] <= '9') {
			n += (s[j] - '0') * mul;
			mul *= 10;
			j--;
		}
		return j < i && s[j] == '~' ? n : 0;
	}
	return 0;
}

#define TAIL_MAX 4096

/* One pass: the first run of need free slots, and which tails of this
   name's basis are taken. */
static int scan_slots(struct fat *f, const struct fat_dir *d, const char *name, uint32_t need,
		      uint32_t *slot, uint8_t *tails_used)
{
	uint32_t run = 0;
	uint8_t e[32], cand[11], base[11];
	int err;

	*slot = UINT32_MAX;
	if (tails_used)
		fat_short_basis(name, 0, base);
	for (uint32_t i = 0; i < d->nentries; i++) {
		if ((err = fat_dir_read_entry(f, d, i, e)))
			return err;
		if (e[0] == 0) {
			if (*slot == UINT32_MAX && d->nentries - (i - run) >= need)
				*slot = i - run;
			break;
		}
		if (e[0] == 0xE5) {
			if (++run == need && *slot == UINT32_MAX)
				*slot = i + 1 - need;
			continue;
		}
		run = 0;
		if ((e[11] & 0x3F) == FAT_ATTR_LFN || !tails_used)
			continue;
		int n = tail_of(e);
		if (n > 0 && n < TAIL_MAX) {
			memcpy(cand, base, 11);
			fat_short_tail(cand, n);
			if (!memcmp(cand, e, 11))
				tails_used[n] = 1;
		}
	}
	return FS_OK;
}

static void write_lfn(uint8_t *e, const uint16_t *units, int nunits, int ord, int last, uint8_t sum)
{
	static const uint8_t at[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

	memset(e, 0, 32);
	e[0] = (uint8_t)(ord | (last ? 0x40 : 0));
	e[11] = FAT_ATTR_LFN;
	e[13] = sum;
	for (int k = 0; k < 13; k++) {
		int u = (ord - 1) * 13 + k;
		put_le16(e + at[k], u < nunits ? units[u] : u == nunits ? 0 : 0xFFFF);
	}
}

int fat_dir_add(struct fat *f, struct fat_dir *d, const char *name, const uint8_t tmpl[32],
		struct fat_found *out)
{
	uint16_t units[256];
	uint8_t e[32], *tails = NULL;
	uint32_t slot;
	int nunits = 0, nlfn = 0, err;

	if (!fat_name_valid(name))
		return FS_EINVAL;
	memcpy(e, tmpl, 32);
	e[12] &= (uint8_t)~0x18;	/* our short names are upper case: no NT case flags */
	if (!fat_short_exact(name, e)) {
		if ((nunits = utf8_to_utf16(name, units, 255)) < 0)
			return strlen(name) > 255 ? FS_ENAMETOOLONG : FS_EINVAL;
		nlfn = (nunits + 12) / 13;
		if (!(tails = calloc(TAIL_MAX, 1)))
			return FS_ENOMEM;
	}
	err = scan_slots(f, d, name, (uint32_t)nlfn + 1, &slot, tails);
	while (!err && slot == UINT32_MAX) {
		uint32_t old = d->nentries;
		if (!(err = dir_grow(f, d)))
			err = scan_slots(f, d, name, (uint32_t)nlfn + 1, &slot, NULL);
		(void)old;
	}
	if (!err && tails) {
		int n = 1;
		while (n < TAIL_MAX && tails[n])
			n++;
		if (n == TAIL_MAX)
			err = FS_ENOSPC;	/* too many names with one basis */
		fat_short_basis(name, n, e);
	}
	free(tails);
	if (err)
		return err;
	uint8_t sum = fat_lfn_checksum(e);
	for (int k = nlfn; k >= 1; k--) {
		uint8_t l[32];
		write_lfn(l, units, nunits, k, k == nlfn, sum);
		if ((err = fat_dir_write_entry(f, d, slot + (uint32_t)(nlfn - k), l)))
			return err;
	}
	out->first_index = slot;
	out->index = slot + (uint32_t)nlfn;
	out->pos = fat_dir_pos(f, d, out->index);
	memcpy(out->ent, e, 32);
	return fat_dir_write_entry(f, d, out->index, e);
}

int fat_dir_remove(struct fat *f, const struct fat_dir *d, const struct fat_found *e)
{
	uint8_t ent[32];
	int err;

	for (uint32_t i = e->first_index; i <= e->index; i++) {
		if ((err = fat_dir_read_entry(f, d, i, ent)))
			return err;
		ent[0] = 0xE5;
		if ((err = fat_dir_write_entry(f, d, i, ent)))
			return err;
	}
	return FS_OK;
}

int fat_dir_is_empty(struct fat *f, uint32_t first, int *empty)
{
	struct fat_dir d;
	struct fat_found *x = malloc(sizeof *x);
	uint32_t i = 0;
	int err;

	if (!x)
		return FS_ENOMEM;
	if (!(err = fat_dir_open(f, first, &d))) {
		err = fat_dir_next(f, &d, &i, x);
		*empty = err == FS_ENOENT;
		if (err == FS_ENOENT)
			err = FS_OK;
		fat_dir_close(&d);
	}
	free(x);
	return err;
}
