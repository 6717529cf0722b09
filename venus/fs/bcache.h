/*
 * bcache.h: a fixed-size write-back block cache over a struct blkdev.
 *
 * Memory use is bounded: nbufs buffers of block_size bytes, allocated at
 * creation. A buffer is pinned between bcache_get and bcache_put and is
 * never evicted while pinned; unpinned ones are recycled least recently
 * used first, written back if dirty. bcache_flush writes every dirty
 * buffer and flushes the device.
 */
#ifndef VENUS_FS_BCACHE_H
#define VENUS_FS_BCACHE_H

#include <stdint.h>

#include "blkdev.h"

struct bbuf {
	uint8_t *data;		/* block_size bytes */
	uint64_t block;
	int pins;
	int dirty;
	int valid;
	int held;		/* owned by a journal transaction (its user's flag) */
	int checked;		/* its user verified it since it was read (cleared on a read) */
	struct bbuf *hash_next;
	struct bbuf *lru_prev, *lru_next;
};

struct bcache_stats {
	uint64_t hits, misses, reads, writes;
};

struct bcache {
	struct blkdev *dev;
	uint32_t block_size;
	uint32_t sectors_per_block;
	uint64_t blocks;	/* device size in blocks */
	uint32_t nbufs, nhash;
	struct bbuf *bufs;
	struct bbuf **hash;
	struct bbuf lru;	/* list head: lru.lru_next is the oldest */
	uint8_t *memory;
	struct bcache_stats stats;
	int io_error;		/* a write-back failed: sticky, reported by flush */
};

/* Sets up a cache of nbufs blocks of block_size (a multiple of the device's
   sector size). Returns 0 or FS_ENOMEM / FS_EINVAL. */
int bcache_init(struct bcache *c, struct blkdev *dev, uint32_t block_size, uint32_t nbufs);
void bcache_destroy(struct bcache *c);

/* Pins block and returns it in *out, read from the device unless fresh is
   set (the caller overwrites it whole). FS_EIO past the device's end. */
int bcache_get(struct bcache *c, uint64_t block, int fresh, struct bbuf **out);
void bcache_put(struct bcache *c, struct bbuf *b);
/* Marks b changed; whoever changed it must check it again (or vouch). */
static inline void bcache_dirty(struct bbuf *b) { b->dirty = 1; b->checked = 0; }

/* Writes one buffer now if dirty (for ordered updates). */
int bcache_write(struct bcache *c, struct bbuf *b);
/* Writes every dirty buffer, then flushes the device. */
int bcache_flush(struct bcache *c);
/* Drops every unpinned buffer without writing it (after a failed mount). */
void bcache_drop(struct bcache *c);

#endif
