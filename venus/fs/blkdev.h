/*
 * blkdev.h: the block-device interface every Ares file system sits on.
 *
 * A block device is a sector size, a sector count and three calls on an
 * opaque context. The host back end (blkdev_file.c) is an image file; the
 * memory one (blkdev_mem.c) backs the fuzzers and the crash tests; on Ares
 * the fs server wraps a Venus block driver the same way.
 */
#ifndef VENUS_BLKDEV_H
#define VENUS_BLKDEV_H

#include <stdint.h>

struct blkdev {
	uint32_t sector_size;	/* bytes per sector: a power of two, 512..4096 */
	uint64_t sectors;	/* device size in sectors */
	void *ctx;
	/* Each returns 0 or an FS_E* code (fs.h); count sectors from lba. */
	int (*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);
	int (*write)(void *ctx, uint64_t lba, uint32_t count, const void *buf);
	/* Makes every completed write durable. */
	int (*flush)(void *ctx);
};

/* Reads or writes count sectors after checking the range against the
   device size; FS_EIO outside it. */
int blkdev_read(struct blkdev *d, uint64_t lba, uint32_t count, void *buf);
int blkdev_write(struct blkdev *d, uint64_t lba, uint32_t count, const void *buf);
int blkdev_flush(struct blkdev *d);

/*
 * A device over memory (blkdev_mem.c, portable). fail_after_writes, when
 * not negative, makes every write after that many succeed fail with
 * FS_EIO and change nothing: the crash tests' "power cut".
 */
struct blkdev_mem {
	uint8_t *data;
	uint64_t bytes;
	uint32_t sector_size;
	long fail_after_writes;
	long writes;
};
void blkdev_mem_init(struct blkdev *d, struct blkdev_mem *m, uint8_t *data,
		     uint64_t bytes, uint32_t sector_size);

/* A window of count sectors from first on parent (a partition); reads
   and writes outside it fail with FS_EIO. */
struct blkdev_slice {
	struct blkdev *parent;
	uint64_t first;
};
void blkdev_slice_init(struct blkdev *d, struct blkdev_slice *s, struct blkdev *parent,
		       uint64_t first, uint64_t count);

/* A device over an image file (blkdev_file.c, host only). Returns 0 or
   -1 with errno set; writable opens read-write. */
int blkdev_file_open(struct blkdev *d, const char *path, uint32_t sector_size, int writable);
void blkdev_file_close(struct blkdev *d);

#endif
