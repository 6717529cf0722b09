/*
 * bench.c: the work behind tests/venus/fs/bench.sh. Usage:
 *   vfs-bench fat|ext4 mount|write|read|small IMAGE
 * loads IMAGE into memory (so the device costs nothing), mounts it and
 * does one job: mount (mount and unmount only), write (a 64 MiB file in
 * 64 KiB writes, then sync), read (write, then read it back in 64 KiB
 * reads) or small (10,000 files of 100 bytes in 100 directories, then
 * sync). bench.sh subtracts the jobs' instruction counts from each other;
 * the read job also prints its read phase's wall time (read_ns N).
 */
#include <time.h>

#include "fsimg.h"
#include "fat/fat.h"
#include "ext4/ext4.h"

#define FILE_BYTES (64u << 20)
#define CHUNK (64u << 10)

static int die(const char *what, struct fs *fs, int err)
{
	fprintf(stderr, "vfs-bench: %s: %s (%s)\n", what, fs_strerror(err), fs->why);
	exit(1);
}

static void write_big(struct fs *fs, uint8_t *buf)
{
	fs_node n;
	int err;

	if ((err = fs->ops->create(fs, fs->root, "big.bin", 0644, &n)))
		die("create", fs, err);
	for (uint32_t off = 0; off < FILE_BYTES; off += CHUNK)
		if ((err = fs->ops->write(fs, n, off, buf, CHUNK)))
			die("write", fs, err);
	if ((err = fs->ops->sync(fs)))
		die("sync", fs, err);
}

static void read_big(struct fs *fs, uint8_t *buf)
{
	fs_node n;
	size_t got;
	uint64_t total = 0;
	int err;

	if ((err = fs_walk(fs, "big.bin", &n)))
		die("walk", fs, err);
	for (uint32_t off = 0;; off += CHUNK) {
		if ((err = fs->ops->read(fs, n, off, buf, CHUNK, &got)))
			die("read", fs, err);
		if (!got)
			break;
		total += got;
	}
	if (total != FILE_BYTES)
		die("read: short", fs, FS_EIO);
}

static void small_files(struct fs *fs)
{
	char name[32];
	fs_node d, n;
	int err;

	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "dir%02d", i);
		if ((err = fs->ops->mkdir(fs, fs->root, name, 0755, &d)))
			die("mkdir", fs, err);
		for (int k = 0; k < 100; k++) {
			snprintf(name, sizeof name, "file%03d.txt", k);
			if ((err = fs->ops->create(fs, d, name, 0644, &n)) ||
			    (err = fs->ops->write(fs, n, 0, "a small file's hundred bytes of text, repeated until it is long enough to count as small.....\n", 100)))
				die("small file", fs, err);
		}
	}
	if ((err = fs->ops->sync(fs)))
		die("sync", fs, err);
}

int main(int argc, char **argv)
{
	struct blkdev d;
	struct blkdev_mem m;
	struct fs fs;
	size_t len;
	uint8_t *image, *buf = malloc(CHUNK);
	int err;

	if (argc != 4 || !(image = read_host_file(argv[3], &len))) {
		fprintf(stderr, "usage: vfs-bench fat|ext4 mount|write|read|small IMAGE\n");
		return 2;
	}
	fill_pattern(buf, CHUNK, 5);
	blkdev_mem_init(&d, &m, image, len, 512);
	err = !strcmp(argv[1], "fat") ? fat_mount(&fs, &d, 0, 256) : ext4_mount(&fs, &d, 0, 0);
	if (err || (fs.flags & FS_MOUNT_RDONLY))
		die("mount", &fs, err ? err : FS_EROFS);
	if (!strcmp(argv[2], "write") || !strcmp(argv[2], "read"))
		write_big(&fs, buf);
	if (!strcmp(argv[2], "read")) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		read_big(&fs, buf);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("read_ns %lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec));
	}
	if (!strcmp(argv[2], "small"))
		small_files(&fs);
	if ((err = fs.ops->unmount(&fs)))
		die("unmount", &fs, err);
	free(image);
	free(buf);
	return 0;
}
