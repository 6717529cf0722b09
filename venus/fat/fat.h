/*
 * fat.h: FAT12, FAT16 and FAT32 with VFAT long names, read-write, as a
 * struct fs (venus/fs/fs.h). See docs/files.md for features and limits.
 */
#ifndef VENUS_FAT_H
#define VENUS_FAT_H

#include "../fs/fs.h"

/* Mounts the FAT file system on dev into fs (flags: FS_MOUNT_*). Returns
   FS_OK, or FS_ECORRUPT with fs->why naming the broken structure, or
   FS_EIO / FS_ENOMEM. cache_blocks bounds the block cache (0: 256). */
int fat_mount(struct fs *fs, struct blkdev *dev, unsigned flags, uint32_t cache_blocks);

#endif
