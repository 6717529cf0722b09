/*
 * fuzz_common.h: what the file-system fuzzers share: a bounded walk of
 * the whole tree (readdir, lookup, stat, read, readlink) and a few writes,
 * so every parser behind a mount meets the mutated bytes.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"

static int fuzz_budget;

static void fuzz_walk(struct fs *fs, fs_node dir, int depth)
{
	struct fs_dirent *de = malloc(sizeof *de);
	uint64_t cookie = 0;
	static uint8_t buf[65536];

	while (de && fuzz_budget-- > 0 && fs->ops->readdir(fs, dir, &cookie, de) == FS_OK) {
		struct fs_stat st;
		fs_node n;
		size_t got;
		if (fs->ops->lookup(fs, dir, de->name, &n) || fs->ops->stat(fs, n, &st))
			continue;
		if ((st.mode & FS_S_IFMT) == FS_S_IFDIR && depth < 6)
			fuzz_walk(fs, n, depth + 1);
		else if ((st.mode & FS_S_IFMT) == FS_S_IFLNK)
			fs->ops->readlink(fs, n, (char *)buf, sizeof buf, &got);
		else
			for (uint64_t off = 0; off < 4 * sizeof buf && fuzz_budget-- > 0; off += sizeof buf)
				if (fs->ops->read(fs, n, off, buf, sizeof buf, &got) || !got)
					break;
	}
	free(de);
}

/* Writes that take the allocation, directory and truncate paths. */
static void fuzz_writes(struct fs *fs)
{
	static uint8_t data[20000];
	fs_node n, d;

	if (fs->flags & FS_MOUNT_RDONLY)
		return;
	if (!fs->ops->create(fs, fs->root, "fuzz-new-file.txt", 0644, &n)) {
		fs->ops->write(fs, n, 0, data, sizeof data);
		fs->ops->truncate(fs, n, 100);
	}
	if (!fs->ops->mkdir(fs, fs->root, "fuzz dir", 0755, &d)) {
		fs->ops->create(fs, d, "inner", 0644, &n);
		fs->ops->rename(fs, d, "inner", fs->root, "moved");
		fs->ops->unlink(fs, fs->root, "moved");
	}
	fs->ops->rmdir(fs, fs->root, "fuzz dir");
	fs->ops->sync(fs);
}

#endif
