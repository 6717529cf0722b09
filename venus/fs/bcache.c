/*
 * bcache.c: the block cache. A chained hash table finds a block's buffer;
 * a doubly linked LRU list holds the unpinned buffers, oldest first.
 */
#include "port.h"
#include "bcache.h"
#include "fs.h"

static void lru_unlink(struct bbuf *b)
{
	if (b->lru_next) {
		b->lru_prev->lru_next = b->lru_next;
		b->lru_next->lru_prev = b->lru_prev;
		b->lru_next = b->lru_prev = NULL;
	}
}

static void lru_append(struct bcache *c, struct bbuf *b)
{
	b->lru_prev = c->lru.lru_prev;
	b->lru_next = &c->lru;
	c->lru.lru_prev->lru_next = b;
	c->lru.lru_prev = b;
}

static uint32_t slot_of(const struct bcache *c, uint64_t block)
{
	return (uint32_t)((block * 0x9E3779B97F4A7C15ull) >> 32) % c->nhash;
}

static void hash_remove(struct bcache *c, struct bbuf *b)
{
	struct bbuf **pp = &c->hash[slot_of(c, b->block)];

	while (*pp && *pp != b)
		pp = &(*pp)->hash_next;
	if (*pp)
		*pp = b->hash_next;
	b->hash_next = NULL;
}

int bcache_init(struct bcache *c, struct blkdev *dev, uint32_t block_size, uint32_t nbufs)
{
	memset(c, 0, sizeof *c);
	if (!dev->sector_size || !block_size || block_size % dev->sector_size || !nbufs)
		return FS_EINVAL;
	c->dev = dev;
	c->block_size = block_size;
	c->sectors_per_block = block_size / dev->sector_size;
	c->blocks = dev->sectors / c->sectors_per_block;
	c->nbufs = nbufs;
	c->nhash = nbufs * 2 + 1;
	c->bufs = calloc(nbufs, sizeof *c->bufs);
	c->hash = calloc(c->nhash, sizeof *c->hash);
	c->memory = malloc((size_t)nbufs * block_size);
	if (!c->bufs || !c->hash || !c->memory) {
		bcache_destroy(c);
		return FS_ENOMEM;
	}
	c->lru.lru_next = c->lru.lru_prev = &c->lru;
	for (uint32_t i = 0; i < nbufs; i++) {
		c->bufs[i].data = c->memory + (size_t)i * block_size;
		lru_append(c, &c->bufs[i]);
	}
	return FS_OK;
}

void bcache_destroy(struct bcache *c)
{
	free(c->bufs);
	free(c->hash);
	free(c->memory);
	c->bufs = NULL;
	c->hash = NULL;
	c->memory = NULL;
}

static int write_back(struct bcache *c, struct bbuf *b)
{
	int err = blkdev_write(c->dev, b->block * c->sectors_per_block, c->sectors_per_block, b->data);

	c->stats.writes++;
	if (err) {
		c->io_error = err;
		return err;
	}
	b->dirty = 0;
	return FS_OK;
}

/* The oldest unpinned buffer, cleaned and out of the hash; NULL if all
   are pinned or its write-back failed. */
static struct bbuf *recycle(struct bcache *c)
{
	struct bbuf *b = c->lru.lru_next;

	if (b == &c->lru)
		return NULL;
	if (b->dirty && write_back(c, b))
		return NULL;
	lru_unlink(b);
	if (b->valid)
		hash_remove(c, b);
	b->valid = 0;
	return b;
}

int bcache_get(struct bcache *c, uint64_t block, int fresh, struct bbuf **out)
{
	struct bbuf *b;
	uint32_t s = slot_of(c, block);

	if (block >= c->blocks)
		return FS_EIO;
	for (b = c->hash[s]; b; b = b->hash_next)
		if (b->block == block)
			break;
	if (b) {
		c->stats.hits++;
		lru_unlink(b);
		b->pins++;
		*out = b;
		return FS_OK;
	}
	c->stats.misses++;
	if (!(b = recycle(c)))
		return c->io_error ? c->io_error : FS_ENOMEM;
	if (!fresh) {
		int err = blkdev_read(c->dev, block * c->sectors_per_block, c->sectors_per_block, b->data);
		c->stats.reads++;
		if (err) {
			lru_append(c, b);
			return err;
		}
	}
	b->block = block;
	b->valid = 1;
	b->dirty = 0;
	b->checked = 0;
	b->pins = 1;
	b->hash_next = c->hash[s];
	c->hash[s] = b;
	*out = b;
	return FS_OK;
}

void bcache_put(struct bcache *c, struct bbuf *b)
{
	if (b && --b->pins == 0)
		lru_append(c, b);
}

int bcache_write(struct bcache *c, struct bbuf *b)
{
	return b->dirty ? write_back(c, b) : FS_OK;
}

int bcache_flush(struct bcache *c)
{
	int err = FS_OK;

	for (uint32_t i = 0; i < c->nbufs; i++) {
		struct bbuf *b = &c->bufs[i];
		if (b->valid && b->dirty && write_back(c, b))
			err = FS_EIO;
	}
	if (!err)
		err = blkdev_flush(c->dev);
	if (!err && c->io_error)
		err = c->io_error;
	return err;
}

void bcache_drop(struct bcache *c)
{
	for (uint32_t i = 0; i < c->nbufs; i++) {
		struct bbuf *b = &c->bufs[i];
		if (b->valid && !b->pins) {
			hash_remove(c, b);
			b->valid = 0;
			b->dirty = 0;
		}
	}
}
