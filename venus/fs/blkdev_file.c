/* blkdev_file.c: the host back end, a block device over an image file
   with pread/pwrite/fsync. Not portable to Ares (POSIX files). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkdev.h"
#include "fs.h"

struct file_dev {
	int fd;
	uint32_t sector_size;
};

static int io_all(int fd, void *buf, size_t n, off_t off, int writing)
{
	uint8_t *p = buf;

	while (n) {
		ssize_t r = writing ? pwrite(fd, p, n, off) : pread(fd, p, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return FS_EIO;
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return FS_OK;
}

static int file_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct file_dev *f = ctx;

	return io_all(f->fd, buf, (size_t)count * f->sector_size,
		      (off_t)(lba * f->sector_size), 0);
}

static int file_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct file_dev *f = ctx;

	return io_all(f->fd, (void *)buf, (size_t)count * f->sector_size,
		      (off_t)(lba * f->sector_size), 1);
}

static int file_flush(void *ctx)
{
	struct file_dev *f = ctx;

	return fsync(f->fd) == 0 ? FS_OK : FS_EIO;
}

int blkdev_file_open(struct blkdev *d, const char *path, uint32_t sector_size, int writable)
{
	struct file_dev *f;
	struct stat st;
	int fd = open(path, writable ? O_RDWR : O_RDONLY);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !(f = malloc(sizeof *f))) {
		close(fd);
		return -1;
	}
	f->fd = fd;
	f->sector_size = sector_size;
	d->sector_size = sector_size;
	d->sectors = (uint64_t)st.st_size / sector_size;
	d->ctx = f;
	d->read = file_read;
	d->write = file_write;
	d->flush = file_flush;
	return 0;
}

void blkdev_file_close(struct blkdev *d)
{
	struct file_dev *f = d->ctx;

	if (f) {
		close(f->fd);
		free(f);
	}
	d->ctx = NULL;
}
