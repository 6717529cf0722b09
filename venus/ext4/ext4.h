/*
 * ext4.h: ext4 as a struct fs (venus/fs/fs.h). Reads extents (any depth),
 * htree directories (as linear leaves, the index checked), 64-bit block
 * numbers, metadata_csum (crc32c) and inline data, fast and slow symlinks.
 * See docs/files.md for what it writes and its limits.
 */
#ifndef VENUS_EXT4_H
#define VENUS_EXT4_H

#include "../fs/fs.h"

/* Fuzzers only: skip checksum verification to reach deeper code. */
#define EXT4_MOUNT_NOCSUM 0x100u

/* Mounts the ext4 file system on dev into fs (flags: FS_MOUNT_*). Returns
   FS_OK, or FS_ECORRUPT / FS_ENOSYS with fs->why naming the structure or
   feature, or FS_EIO / FS_ENOMEM. cache_blocks bounds the block cache
   (0: 256 blocks). */
int ext4_mount(struct fs *fs, struct blkdev *dev, unsigned flags, uint32_t cache_blocks);

#endif
