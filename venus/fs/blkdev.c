/* blkdev.c: range-checked calls through a struct blkdev. */
#include "blkdev.h"
#include "fs.h"

static int in_range(const struct blkdev *d, uint64_t lba, uint32_t count)
{
	return lba <= d->sectors && count <= d->sectors - lba;
}

int blkdev_read(struct blkdev *d, uint64_t lba, uint32_t count, void *buf)
{
	if (!in_range(d, lba, count))
		return FS_EIO;
	return count ? d->read(d->ctx, lba, count, buf) : FS_OK;
}

int blkdev_write(struct blkdev *d, uint64_t lba, uint32_t count, const void *buf)
{
	if (!in_range(d, lba, count))
		return FS_EIO;
	return count ? d->write(d->ctx, lba, count, buf) : FS_OK;
}

int blkdev_flush(struct blkdev *d)
{
	return d->flush ? d->flush(d->ctx) : FS_OK;
}

static int slice_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct blkdev_slice *s = ctx;

	return blkdev_read(s->parent, s->first + lba, count, buf);
}

static int slice_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct blkdev_slice *s = ctx;

	return blkdev_write(s->parent, s->first + lba, count, buf);
}

static int slice_flush(void *ctx)
{
	struct blkdev_slice *s = ctx;

	return blkdev_flush(s->parent);
}

void blkdev_slice_init(struct blkdev *d, struct blkdev_slice *s, struct blkdev *parent,
		       uint64_t first, uint64_t count)
{
	s->parent = parent;
	s->first = first;
	d->sector_size = parent->sector_size;
	d->sectors = first <= parent->sectors ? count : 0;
	if (first <= parent->sectors && count > parent->sectors - first)
		d->sectors = parent->sectors - first;
	d->ctx = s;
	d->read = slice_read;
	d->write = slice_write;
	d->flush = slice_flush;
}
