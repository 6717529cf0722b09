/* blkdev_mem.c: a block device over a memory buffer, with an optional
   write budget after which writes fail (crash simulation). */
#include "port.h"

#include "blkdev.h"
#include "fs.h"

static int mem_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct blkdev_mem *m = ctx;

	memcpy(buf, m->data + lba * m->sector_size, (size_t)count * m->sector_size);
	return FS_OK;
}

static int mem_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct blkdev_mem *m = ctx;

	if (m->fail_after_writes >= 0 && m->writes >= m->fail_after_writes)
		return FS_EIO;
	m->writes++;
	memcpy(m->data + lba * m->sector_size, buf, (size_t)count * m->sector_size);
	return FS_OK;
}

static int mem_flush(void *ctx)
{
	(void)ctx;
	return FS_OK;
}

void blkdev_mem_init(struct blkdev *d, struct blkdev_mem *m, uint8_t *data,
		     uint64_t bytes, uint32_t sector_size)
{
	m->data = data;
	m->bytes = bytes;
	m->sector_size = sector_size;
	m->fail_after_writes = -1;
	m->writes = 0;
	d->sector_size = sector_size;
	d->sectors = bytes / sector_size;
	d->ctx = m;
	d->read = mem_read;
	d->write = mem_write;
	d->flush = mem_flush;
}
