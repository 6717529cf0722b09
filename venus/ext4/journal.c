/*
 * journal.c: jbd2 transactions for ext4 metadata (ordered data).
 *
 * Every metadata block an operation changes is held (pinned, never
 * evicted) in the running transaction. A commit:
 *   1. writes the data blocks home and flushes (ordered mode);
 *   2. writes a descriptor, a copy of each held block and a commit block
 *      at the start of the log, flushing before and after the commit;
 *   3. marks the log live (journal superblock start, ext4 RECOVER flag);
 *   4. writes the held blocks home and flushes;
 *   5. marks the log empty again and clears RECOVER.
 * A crash before 3 leaves the old state; after 3, replay (e2fsck, the
 * kernel) rewrites every block of the transaction. The log is emptied
 * at each commit, so replay never needs revoke records. Operations that
 * free blocks commit at once, so a freed block is never reused (and
 * overwritten as data) while an older state that points at it could
 * still be the one on disk.
 *
 * Journals: internal (inode 8), 32- or 64-bit block numbers, with no
 * checksums or with CSUM_V3 (what the Linux kernel sets on a
 * metadata_csum file system). v1/v2 checksums and fast commits mount
 * read-only.
 */
#include "ext4_int.h"

#define JBD2_MAGIC 0xC03B3998u
#define JBD2_DESCRIPTOR 1
#define JBD2_COMMIT 2
#define JBD2_SB_V2 4
#define JBD2_INCOMPAT_REVOKE 0x1
#define JBD2_INCOMPAT_64BIT 0x2
#define JBD2_INCOMPAT_CSUM_V3 0x10
#define JBD2_FLAG_ESCAPE 1
#define JBD2_FLAG_SAME_UUID 2
#define JBD2_FLAG_LAST_TAG 8
#define TX_MAX 1024
#define TX_SOFT 256

struct ext4_journal {
	uint64_t *map;			/* log block -> fs block */
	uint32_t maxlen, first;
	uint32_t sequence;
	int tag64;
	int csum3;			/* CSUM_V3: tags, descriptors, commit and sb carry crc32c */
	uint32_t seed;			/* crc32c of the journal's UUID */
	uint8_t sb[1024];		/* journal superblock (block 0 of the log) */
	struct bbuf *held[TX_MAX];
	uint32_t nheld;
	uint32_t soft, hard;		/* commit at soft blocks held; never hold more than hard */
	int broken;			/* a commit failed: no more writes */
};

static uint32_t be32at(const uint8_t *p) { return be32(p); }

/* The journal superblock's crc32c (CSUM_V3), over its 1024 bytes with
   the checksum field zeroed. */
static uint32_t jsb_csum(const uint8_t *sb)
{
	uint8_t copy[1024];

	memcpy(copy, sb, 1024);
	memset(copy + 0xFC, 0, 4);
	return crc32c_raw(~0u, copy, 1024);
}

int ext4_journal_open(struct ext4 *e)
{
	struct ext4_journal *j;
	struct ext4_inode *in;
	struct bbuf *b;
	int err;

	if (!(e->sb.compat & COMPAT_HAS_JOURNAL))
		return ext4_fail(e, "ext4: no journal");
	if (le32(e->sb.raw + 0xE0) != EXT4_JOURNAL_INO || (e->sb.incompat & INCOMPAT_JOURNAL_DEV))
		return ext4_fail(e, "ext4: journal is not inode 8 (external journals unsupported)");
	if (!(j = calloc(1, sizeof *j)) || !(in = malloc(sizeof *in))) {
		free(j);
		return FS_ENOMEM;
	}
	e->journal = j;
	err = ext4_inode_read(e, EXT4_JOURNAL_INO, in);
	uint64_t p;
	uint32_t run;
	if (!err && !(err = ext4_map(e, in, 0, &p, &run)) && !p)
		err = ext4_fail(e, "ext4: journal inode has no block 0");
	if (!err && !(err = ext4_bread(e, p, &b))) {
		memcpy(j->sb, b->data, 1024);
		bcache_put(&e->cache, b);
		const uint8_t *s = j->sb;
		uint32_t incompat = be32at(s + 0x28);
		j->maxlen = be32at(s + 0x10);
		j->first = be32at(s + 0x14);
		j->sequence = be32at(s + 0x18);
		j->tag64 = !!(incompat & JBD2_INCOMPAT_64BIT);
		j->csum3 = !!(incompat & JBD2_INCOMPAT_CSUM_V3);
		j->seed = crc32c_raw(~0u, s + 0x30, 16);
		if (be32at(s) != JBD2_MAGIC || be32at(s + 4) != JBD2_SB_V2 || be32at(s + 0xC) != e->sb.block_size)
			err = ext4_fail(e, "ext4: journal superblock: bad magic, type or block size");
		else if (incompat & ~(uint32_t)(JBD2_INCOMPAT_REVOKE | JBD2_INCOMPAT_64BIT | JBD2_INCOMPAT_CSUM_V3))
			err = ext4_fail(e, "ext4: journal features 0x%x (v1/v2 checksums or fast commits)", incompat);
		else if ((incompat & JBD2_INCOMPAT_CSUM_V3) && (s[0x50] != 4 || jsb_csum(s) != be32at(s + 0xFC)))
			err = ext4_fail(e, "ext4: journal superblock: checksum type %u or checksum wrong", s[0x50]);
		else if (be32at(s + 0x1C))
			err = ext4_fail(e, "ext4: the journal needs recovery");
		else if (j->first < 1 || j->maxlen < 64 || j->first >= j->maxlen || in->size / e->sb.block_size < j->maxlen ||
			 j->maxlen > e->sb.blocks_count)
			err = ext4_fail(e, "ext4: journal superblock: first %u, length %u", j->first, j->maxlen);
	}
	if (!err && !(j->map = malloc(sizeof *j->map * j->maxlen)))
		err = FS_ENOMEM;
	/* A transaction, with its descriptors, must fit the log with room,
	   and its pinned blocks must leave half the cache for the work. */
	j->hard = (j->maxlen - j->first) / 2 < TX_MAX ? (j->maxlen - j->first) / 2 : TX_MAX;
	if (j->hard > e->cache.nbufs / 2)
		j->hard = e->cache.nbufs / 2;
	j->soft = j->hard / 2 < TX_SOFT ? j->hard / 2 : TX_SOFT;
	for (uint32_t i = 0; !err && i < j->maxlen; i++)
		if (!(err = ext4_map(e, in, i, &j->map[i], &run)) && !j->map[i])
			err = ext4_fail(e, "ext4: journal has a hole at block %u", i);
	free(in);
	if (err)
		ext4_journal_close(e);
	return err;
}

void ext4_journal_close(struct ext4 *e)
{
	struct ext4_journal *j = e->journal;

	if (!j)
		return;
	for (uint32_t i = 0; i < j->nheld; i++) {
		j->held[i]->held = 0;
		bcache_put(&e->cache, j->held[i]);
	}
	free(j->map);
	free(j);
	e->journal = NULL;
}

void ext4_bdirty(struct ext4 *e, struct bbuf *b)
{
	struct ext4_journal *j = e->journal;

	bcache_dirty(b);
	if (!j || b->held)
		return;
	if (j->nheld >= j->hard) {
		j->broken = 1;	/* reported by the commit; nothing reaches the disk */
		return;
	}
	b->held = 1;
	b->pins++;
	j->held[j->nheld++] = b;
}

static int write_log(struct ext4 *e, uint32_t at, const uint8_t *data)
{
	struct ext4_journal *j = e->journal;
	uint32_t spb = e->cache.sectors_per_block;

	return blkdev_write(e->cache.dev, j->map[at] * spb, spb, data);
}

/* The journal superblock with start (0: empty) and the next sequence. */
static int write_jsb(struct ext4 *e, uint32_t start)
{
	struct ext4_journal *j = e->journal;
	uint8_t *blk = calloc(1, e->sb.block_size);
	int err;

	if (!blk)
		return FS_ENOMEM;
	put_be32(j->sb + 0x18, j->sequence);
	put_be32(j->sb + 0x1C, start);
	if (j->csum3)
		put_be32(j->sb + 0xFC, jsb_csum(j->sb));
	memcpy(blk, j->sb, 1024);
	err = write_log(e, 0, blk);
	free(blk);
	return err;
}

/* The ext4 superblock straight to disk with RECOVER set or clear. */
static int write_recover(struct ext4 *e, int on)
{
	uint32_t bs = e->sb.block_size, f = le32(e->sb.raw + 0x60);
	uint8_t *blk = malloc(bs);
	struct bbuf *b;
	int err;

	if (!blk)
		return FS_ENOMEM;
	put_le32(e->sb.raw + 0x60, on ? f | INCOMPAT_RECOVER : f & ~(uint32_t)INCOMPAT_RECOVER);
	ext4_super_csum_set(&e->sb);
	if (!(err = ext4_bread(e, bs == 1024 ? 1 : 0, &b))) {
		memcpy(blk, b->data, bs);
		memcpy(b->data + (bs == 1024 ? 0 : 1024), e->sb.raw, 1024);	/* keep the cached copy in step */
		memcpy(blk + (bs == 1024 ? 0 : 1024), e->sb.raw, 1024);
		bcache_put(&e->cache, b);
		err = blkdev_write(e->cache.dev, (bs == 1024 ? 1 : 0) * e->cache.sectors_per_block,
				   e->cache.sectors_per_block, blk);
	}
	put_le32(e->sb.raw + 0x60, f);
	ext4_super_csum_set(&e->sb);
	free(blk);
	return err;
}

static void log_header(uint8_t *d, uint32_t bs, uint32_t type, uint32_t sequence)
{
	memset(d, 0, bs);
	put_be32(d, JBD2_MAGIC);
	put_be32(d + 4, type);
	put_be32(d + 8, sequence);
}

/* A descriptor for held blocks i..i+n-1: one tag each, the first with
   the journal's UUID after it, the last marked LAST_TAG. */
static uint32_t tag_size(const struct ext4_journal *j)
{
	return j->csum3 ? 16 : j->tag64 ? 12 : 8;
}

/* CSUM_V3: crc32c of the sequence and the block as logged (escaped). */
static uint32_t logged_csum(const struct ext4_journal *j, const uint8_t *data, uint32_t bs)
{
	static const uint8_t zero[4];
	uint8_t seq[4];
	uint32_t c;

	put_be32(seq, j->sequence);
	c = crc32c_raw(j->seed, seq, 4);
	c = crc32c_raw(c, be32(data) == JBD2_MAGIC ? zero : data, 4);
	return crc32c_raw(c, data + 4, bs - 4);
}

static void put_tag(const struct ext4_journal *j, uint8_t *t, const struct bbuf *b, uint32_t flags, uint32_t bs)
{
	put_be32(t, (uint32_t)b->block);
	if (j->csum3) {
		put_be32(t + 4, flags);
		put_be32(t + 8, (uint32_t)(b->block >> 32));
		put_be32(t + 12, logged_csum(j, b->data, bs));
		return;
	}
	t[6] = (uint8_t)(flags >> 8);
	t[7] = (uint8_t)flags;
	if (j->tag64)
		put_be32(t + 8, (uint32_t)(b->block >> 32));
}

static void fill_descriptor(struct ext4 *e, uint8_t *d, uint32_t i, uint32_t n)
{
	struct ext4_journal *j = e->journal;
	uint32_t off = 12, bs = e->sb.block_size;

	log_header(d, bs, JBD2_DESCRIPTOR, j->sequence);
	for (uint32_t k = 0; k < n; k++) {
		struct bbuf *b = j->held[i + k];
		uint32_t flags = (k ? JBD2_FLAG_SAME_UUID : 0) | (k == n - 1 ? JBD2_FLAG_LAST_TAG : 0);
		if (be32(b->data) == JBD2_MAGIC)
			flags |= JBD2_FLAG_ESCAPE;
		put_tag(j, d + off, b, flags, bs);
		off += tag_size(j);
		if (!k) {
			memcpy(d + off, j->sb + 0x30, 16);
			off += 16;
		}
	}
	if (j->csum3)
		put_be32(d + bs - 4, crc32c_raw(j->seed, d, bs));	/* the tail, zero while summed */
}

/* Step 2: descriptors with their copies, a flush, the commit block and
   a flush. */
static int write_transaction(struct ext4 *e)
{
	struct ext4_journal *j = e->journal;
	uint32_t bs = e->sb.block_size, per = (bs - 12 - 16 - (j->csum3 ? 4 : 0)) / tag_size(j), at = j->first;
	uint8_t *d = malloc(bs);
	int err = d ? FS_OK : FS_ENOMEM;

	for (uint32_t i = 0; !err && i < j->nheld; i += per) {
		uint32_t n = j->nheld - i < per ? j->nheld - i : per;
		if (at + 1 + n + 1 > j->maxlen) {
			err = FS_ENOSPC;
			break;
		}
		fill_descriptor(e, d, i, n);
		err = write_log(e, at++, d);
		for (uint32_t k = 0; k < n && !err; k++) {
			memcpy(d, j->held[i + k]->data, bs);
			if (be32(d) == JBD2_MAGIC)
				memset(d, 0, 4);	/* escaped: replay restores the magic */
			err = write_log(e, at++, d);
		}
	}
	if (!err)
		err = blkdev_flush(e->cache.dev);
	if (!err) {
		uint64_t now = (uint64_t)fs_now();
		log_header(d, bs, JBD2_COMMIT, j->sequence);
		put_be32(d + 48, (uint32_t)(now >> 32));
		put_be32(d + 52, (uint32_t)now);
		if (j->csum3)
			put_be32(d + 16, crc32c_raw(j->seed, d, bs));	/* h_chksum[0], zero while summed */
		err = write_log(e, at, d);
	}
	if (!err)
		err = blkdev_flush(e->cache.dev);
	free(d);
	return err;
}

/* Step 1: every dirty buffer the transaction does not hold is data. */
static int write_data(struct ext4 *e)
{
	for (uint32_t i = 0; i < e->cache.nbufs; i++) {
		struct bbuf *b = &e->cache.bufs[i];
		int err;
		if (b->valid && b->dirty && !b->held && (err = bcache_write(&e->cache, b)))
			return err;
	}
	return blkdev_flush(e->cache.dev);
}

static int checkpoint(struct ext4 *e)
{
	struct ext4_journal *j = e->journal;
	int err;

	for (uint32_t i = 0; i < j->nheld; i++)
		if ((err = bcache_write(&e->cache, j->held[i])))
			return err;
	if ((err = blkdev_flush(e->cache.dev)))
		return err;
	j->sequence++;
	if ((err = write_jsb(e, 0)) || (err = write_recover(e, 0)))
		return err;
	return blkdev_flush(e->cache.dev);
}

int ext4_tx_commit(struct ext4 *e)
{
	struct ext4_journal *j = e->journal;
	int err;

	if (!j)
		return FS_OK;
	if (j->broken)
		return ext4_fail(e, "ext4: a transaction outgrew the journal's limit: writes stopped");
	if (!j->nheld)
		return FS_OK;
	if ((err = ext4_groups_flush(e)) || (err = ext4_write_groups(e)))	/* they join the transaction */
		goto fail;
	if ((err = write_data(e)) || (err = write_transaction(e)))
		goto fail;
	if ((err = write_jsb(e, j->first)) || (err = write_recover(e, 1)) || (err = blkdev_flush(e->cache.dev)))
		goto fail;
	if ((err = checkpoint(e)))
		goto fail;
	for (uint32_t i = 0; i < j->nheld; i++) {
		j->held[i]->held = 0;
		bcache_put(&e->cache, j->held[i]);
	}
	j->nheld = 0;
	return FS_OK;
fail:
	j->broken = 1;
	return err;
}

/* Commits if the operation freed blocks or the transaction is large. */
int ext4_tx_end(struct ext4 *e, int freed)
{
	struct ext4_journal *j = e->journal;

	if (!j)
		return FS_OK;
	if (freed || j->nheld >= j->soft || j->broken)
		return ext4_tx_commit(e);
	return FS_OK;
}
